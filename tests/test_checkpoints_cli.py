"""`prep checkpoints` end to end, in every format, on the real samples."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from .conftest import ROOT, run_prep


def _json(*args: str) -> dict:  # type: ignore[type-arg]
    r = run_prep("checkpoints", *args, "--format", "json")
    assert r.returncode == 0, r.stderr.decode()
    return json.loads(r.stdout)  # type: ignore[no-any-return]


def test_restaurant_json_matches_the_contract() -> None:
    data = _json("samples/restaurant.prep")
    steps = [(s["step"], s["name"]) for s in data["steps"]]
    assert steps == [
        (1, "Order slip"),
        (2, "Cooked dish"),
        (3, "Served meal"),
        (4, "Bill"),
        (5, "Paid meal"),
    ]
    first = data["steps"][0]
    assert [r["id"] for r in first["routes"]] == ["1.a", "1.b"]
    assert first["routes"][0]["inputs"] == ["Customer's choice", "Menu"]
    assert first["routes"][0]["work"] == "Take the order"
    assert first["routes"][0]["by"] == ["Waiter"]
    assert data["steps"][1]["routes"][0]["id"] == "2"
    (goal,) = data["goals"]
    assert goal["name"] == "Paid meal"
    assert [c["step"] for c in goal["checkpoints"]] == [1, 2, 3, 4, 5]
    assert goal["checkpoints"][0] == {"step": 1, "name": "Order slip", "phase": None, "exit": False}
    assert goal["route_dependent"] == []
    assert goal["critical_path"] == [
        "Customer's choice",
        "Order slip",
        "Cooked dish",
        "Served meal",
        "Paid meal",
    ]


def test_onboarding_phases_exits_and_route_dependent() -> None:
    data = _json("samples/onboarding.prep", "--goal", "定着した顧客業務")
    (goal,) = data["goals"]
    by_name = {c["name"]: c for c in goal["checkpoints"]}
    assert by_name["成功定義書"]["phase"] == "Land" and by_name["成功定義書"]["exit"]
    assert by_name["稼働中の業務フロー"]["exit"] and not by_name["トレーニング資料"]["exit"]
    assert by_name["定着した顧客業務"]["exit"]  # a goal is an exit of its phase
    assert "更新契約" not in by_name
    # --goal keeps the global numbers
    full = _json("samples/onboarding.prep")
    numbers = {s["name"]: s["step"] for s in full["steps"]}
    assert all(numbers[c["name"]] == c["step"] for c in goal["checkpoints"])


def test_route_dependent_listed_apart(tmp_path: Path) -> None:
    f = tmp_path / "m.prep"
    f.write_text(
        "goal 稼働\nexternal 契約書\n稼働 <- 手順書\n稼働 <- 動画\n"
        "手順書 <- 契約書\n動画 <- 契約書\n",
        "utf-8",
    )
    data = _json(str(f))
    assert data["goals"][0]["route_dependent"] == ["手順書", "動画"]
    text = run_prep("checkpoints", str(f), "--lang", "en").stdout.decode()
    assert "Route-dependent (needed on some routes only):" in text
    assert "3  稼働" in text and "3.a  ← 手順書" in text


def test_text_view() -> None:
    out = run_prep("checkpoints", "samples/onboarding.prep", "--lang", "en").stdout.decode()
    assert "Goal: 定着した顧客業務" in out
    assert "  [Land]" in out and out.index("[Land]") < out.index("[Adopt]")
    assert "導入計画書  ← 成功定義書 + 契約書   (計画策定 · CSM)" in out
    assert "▶ exit" in out
    assert "Critical path: 顧客の現行業務 → 成功定義書" in out


def test_markdown_tables() -> None:
    out = run_prep("checkpoints", "samples/onboarding.prep", "--format", "markdown", "--lang", "en")
    md = out.stdout.decode()
    assert "| Step | Deliverable | Phase | Needs | Routes | Owner | KPI | Note |" in md
    assert "## Playbook: alternative routes" in md
    # phase-major numbering (contract §14): Land has steps 1-2, so Adopt starts at 3
    assert "| 3 | 設定済みテナント | 3.a | 導入計画書 + 契約書 | 初期設定 | CSM |" in md
    assert "## Health score: KPIs" in md
    assert "| 業務時間削減率 | 効果測定レポート |" in md


def test_csv_and_excel(tmp_path: Path) -> None:
    r = run_prep("checkpoints", "samples/restaurant.prep", "--format", "csv")
    rows = list(csv.reader(io.StringIO(r.stdout.decode())))
    assert rows[0][:4] == ["goal", "step", "deliverable", "role"]
    assert rows[1][:4] == ["Paid meal", "1", "Order slip", "checkpoint"]
    out = tmp_path / "cp.csv"
    r = run_prep(
        "checkpoints", "samples/onboarding.prep", "--format", "csv", "--excel", "-o", str(out)
    )
    assert r.returncode == 0
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data
    assert "成功定義書".encode() in data
    assert run_prep("checkpoints", "samples/restaurant.prep", "--excel").returncode == 2


def test_errors_still_give_what_can_be_computed(tmp_path: Path) -> None:
    f = tmp_path / "m.prep"
    f.write_text("goal A\nexternal X\nA <- B, Gap\nB <- A2\nA2 <- B\nC <- X\n", "utf-8")
    r = run_prep("checkpoints", str(f), "--format", "json")
    assert r.returncode == 1
    assert b"CY01" in r.stderr and b"GP01" in r.stderr
    data = json.loads(r.stdout)
    assert {s["name"] for s in data["steps"]} == {"A", "B", "A2"}


def test_unknown_goal_is_a_usage_error() -> None:
    r = run_prep("checkpoints", "samples/restaurant.prep", "--goal", "Paid mael")
    assert r.returncode == 2 and b"did you mean 'Paid meal'" in r.stderr


def test_syntax_error_exit_1() -> None:
    r = run_prep("checkpoints", "samples/broken.prep")
    assert r.returncode == 1 and b"PS01" in r.stderr and r.stdout == b""


def test_api_matches_cli() -> None:
    import prepmodel

    text = (ROOT / "samples" / "restaurant.prep").read_text("utf-8")
    assert prepmodel.checkpoints(text, "samples/restaurant.prep") == _json(
        "samples/restaurant.prep"
    )
