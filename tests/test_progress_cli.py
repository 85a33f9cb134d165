"""`prep progress` from the command line: the three kinds of source (CSV, Parquet, a table
in a real DuckDB file), the contract's JSON shape (§15), every format, `--when`, `--goal`,
`--emit-sql`, and clear errors (exit 2, file and row, no traceback)."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import duckdb
import pytest

from tests.conftest import SAMPLES, run_prep

MODEL = SAMPLES / "onboarding.prep"
EVENTS = SAMPLES / "onboarding-events.csv"
AS_OF = "2026-03-31"

SCENARIO_MODEL = """\
model 確定申告 { lang: ja }
goal 申告書控え
external 帳簿, 決算書, 電子証明書
申告書 <- 帳簿, 決算書 { when: 税理士依頼; effort: 2d }
申告書 <- 帳簿, 決算書, 電子証明書 { when: 自分で; effort: 1d }
申告書控え <- 申告書 { effort: 4h }
deliverable 申告書 { owner: 税理士 }
"""


def _json(*args: str) -> dict[str, Any]:
    r = run_prep("progress", *args, *(() if "-f" in args else ("-f", "json")))
    assert r.returncode in (0, 1), r.stderr.decode()
    data = json.loads(r.stdout)
    assert isinstance(data, dict)
    return data


def _write(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)
    return path


def test_sample_json_has_the_contract_shape() -> None:
    r = run_prep("progress", str(MODEL), "--events", str(EVENTS), "--as-of", AS_OF, "-f", "json")
    assert r.returncode == 1  # the sample's data contradicts the model on purpose
    data = json.loads(r.stdout)
    assert data["as_of"] == AS_OF
    assert len(data["customers"]) == 31
    for c in data["customers"]:
        assert set(c) >= {"customer", "reached", "next", "phase", "status", "days_since_progress"}
        assert c["status"] in ("done", "on-track", "behind", "stuck")
    steps = [f["step"] for f in data["funnel"]]
    assert steps == sorted(steps) and len(steps) == 12
    reached = [f["reached"] for f in data["funnel"]]
    assert reached == sorted(reached, reverse=True)
    kinds = {(p["kind"], p["customer"], p["deliverable"]) for p in data["problems"]}
    assert ("unknown-deliverable", "顧客004", "導入計画 書") in kinds
    assert ("before-inputs", "顧客031", "ヘルススコア定義書") in kinds
    assert any(k == "duplicate" for k, _, _ in kinds)
    unknown = next(p for p in data["problems"] if p["kind"] == "unknown-deliverable")
    assert "導入計画書" in unknown["message"]  # did you mean
    assert set(unknown) >= {"kind", "customer", "deliverable", "message"}
    done = [c for c in data["customers"] if c["status"] == "done"]
    assert done and all(c["next"] == [] and len(c["reached"]) == 12 for c in done)


@pytest.mark.slow
def test_same_input_same_bytes_in_every_format(tmp_path: Path) -> None:
    for fmt in ("text", "markdown", "csv", "json", "html"):
        runs = [
            run_prep("progress", str(MODEL), "--events", str(EVENTS), "--as-of", AS_OF, "-f", fmt)
            for _ in range(2)
        ]
        assert runs[0].stdout == runs[1].stdout and runs[0].stdout
        assert b"Traceback" not in runs[0].stderr
    out = tmp_path / "report.html"
    r = run_prep("progress", str(MODEL), "--events", str(EVENTS), "--as-of", AS_OF, "-o", str(out))
    assert r.returncode == 1 and out.read_text("utf-8").startswith("<!DOCTYPE html>")


def test_japanese_headings_for_a_japanese_model() -> None:
    r = run_prep("progress", str(MODEL), "--events", str(EVENTS), "--as-of", AS_OF)
    text = r.stdout.decode()
    assert "顧客" in text.splitlines()[2]  # the customer table's heading row
    for word in ("ファネル", "状態", "データの問題"):
        assert word in text, word
    en = run_prep(
        "progress", str(MODEL), "--events", str(EVENTS), "--as-of", AS_OF, "--lang", "en"
    ).stdout.decode()
    assert "Funnel" in en and "Customer" in en


def test_csv_rows_per_customer() -> None:
    r = run_prep("progress", str(MODEL), "--events", str(EVENTS), "--as-of", AS_OF, "-f", "csv")
    rows = list(csv.DictReader(r.stdout.decode().splitlines()))
    assert len(rows) == 31
    first = rows[0]
    assert first["customer"] == "顧客001" and first["status"] in ("on-track", "stuck")


def test_parquet_and_duckdb_table_give_the_csv_results(tmp_path: Path) -> None:
    base = _json(str(MODEL), "--events", str(EVENTS), "--as-of", AS_OF)
    pq = tmp_path / "events.parquet"
    db = tmp_path / "crm.duckdb"
    con = duckdb.connect(str(db))
    con.execute(
        "CREATE TABLE facts AS SELECT customer, deliverable, CAST(date AS DATE) AS date "
        f"FROM read_csv('{EVENTS}', all_varchar = true)"
    )
    con.execute(f"COPY facts TO '{pq}' (FORMAT parquet)")
    con.close()
    for source in (str(pq), f"{db}:facts", f"{db}:main.facts"):
        assert _json(str(MODEL), "--events", source, "--as-of", AS_OF) == base, source
    before = db.read_bytes()
    _json(str(MODEL), "--events", f"{db}:facts", "--as-of", AS_OF)
    assert db.read_bytes() == before  # opened read-only


HEAD = ["customer", "deliverable", "date"]


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        ([HEAD, ["a", "成功定義書", "2026-13-01"]], ":2: cannot read the date '2026-13-01'"),
        (
            [HEAD, ["a", "成功定義書", "2026-01-01"], ["b", "導入計画書", "yesterday"]],
            ":3: cannot read the date 'yesterday'",
        ),
        ([HEAD, ["", "成功定義書", "2026-01-01"]], ":2: no customer"),
        ([HEAD, ["a", "", "2026-01-01"]], ":2: no deliverable"),
        (
            [["customer", "deliverable", "when"], ["a", "成功定義書", "2026-01-01"]],
            "no column date",
        ),
    ],
)
def test_bad_data_exits_2_with_file_and_row(
    tmp_path: Path, rows: list[list[str]], expected: str
) -> None:
    src = _write(tmp_path / "bad.csv", rows)
    r = run_prep("progress", str(MODEL), "--events", str(src), "--as-of", AS_OF)
    err = r.stderr.decode()
    assert r.returncode == 2, err
    assert str(src) in err and expected in err, err
    assert "Traceback" not in err and not r.stdout


def test_unreadable_sources_exit_2(tmp_path: Path) -> None:
    for source, expected in [
        (str(tmp_path / "none.csv"), "no such file"),
        (str(tmp_path), "is a folder"),
        (f"{tmp_path / 'none.duckdb'}:t", "no such file"),
    ]:
        r = run_prep("progress", str(MODEL), "--events", source, "--as-of", AS_OF)
        assert r.returncode == 2 and expected in r.stderr.decode(), r.stderr
        assert b"Traceback" not in r.stderr
    db = tmp_path / "x.duckdb"
    duckdb.connect(str(db)).close()
    r = run_prep("progress", str(MODEL), "--events", f"{db}:missing", "--as-of", AS_OF)
    assert r.returncode == 2 and b"Traceback" not in r.stderr and b"missing" in r.stderr
    r = run_prep("progress", str(MODEL), "--events", str(EVENTS), "--as-of", "31/03/2026")
    assert r.returncode == 2 and b"--as-of" in r.stderr
    r = run_prep("progress", str(MODEL))
    assert r.returncode == 2 and b"--events" in r.stderr


def test_output_never_overwrites_an_input(tmp_path: Path) -> None:
    src = tmp_path / "e.csv"
    src.write_bytes(EVENTS.read_bytes())
    r = run_prep("progress", str(MODEL), "--events", str(src), "--as-of", AS_OF, "-o", str(src))
    assert r.returncode == 2 and src.read_bytes() == EVENTS.read_bytes()


def test_when_goal_behind_why_and_route(tmp_path: Path) -> None:
    model = tmp_path / "tax.prep"
    model.write_text(SCENARIO_MODEL, "utf-8")
    src = _write(
        tmp_path / "e.csv",
        [
            ["customer", "deliverable", "date", "route"],
            ["a", "申告書", "2026-03-01", "1.a"],  # behind: 4h after 10 days
            ["b", "申告書", "2026-03-09", ""],  # on-track (1 day left of 4h -> 1 day)
            ["c", "帳簿", "2026-03-01", ""],  # only an external: next is 申告書
            ["d", "申告書", "2026-03-01", "9.z"],  # a route 申告書 does not have
            ["e", "申告書", "2026-01-02", ""],
            ["e", "申告書控え", "2026-01-05", ""],  # done
            ["f", "帳簿", "2026-03-08", ""],  # 2 days in: 申告書 takes 1d (自分で) or 2d
        ],
    )
    data = _json(str(model), "--events", str(src), "--as-of", "2026-03-10")
    by = {c["customer"]: c for c in data["customers"]}
    assert by["a"]["status"] == "behind" and by["a"]["next"] == ["申告書控え"]
    assert by["b"]["status"] == "on-track"
    assert by["c"]["next"] == ["申告書"] and by["c"]["reached"] == []
    assert by["c"]["why"] == []  # 申告書's inputs are all given (externals)
    assert by["e"]["status"] == "done"
    kinds = {(p["kind"], p["customer"]) for p in data["problems"]}
    assert ("unknown-route", "d") in kinds
    # every route: the quickest ready route of 申告書 takes 1d, so f is behind after 2 days;
    # with a tax accountant (2d) f is on track
    assert by["f"]["status"] == "behind"
    accountant = _json(
        str(model), "--events", str(src), "--as-of", "2026-03-10", "--when", "税理士依頼"
    )
    assert {c["customer"]: c["status"] for c in accountant["customers"]}["f"] == "on-track"
    r = run_prep("progress", str(model), "--events", str(src), "--when", "自分でx")
    assert r.returncode == 2 and "SC01" in r.stderr.decode() and "自分で" in r.stderr.decode()
    goal = _json(
        str(MODEL), "--events", str(EVENTS), "--as-of", AS_OF, "--goal", "定着した顧客業務"
    )
    names = [f["name"] for f in goal["funnel"]]
    assert "更新契約" not in names and names[-1] == "定着した顧客業務"


WHY_MODEL = """\
goal Live
external Contract
Plan <- Contract
Tenant <- Plan
Users <- Plan
Extra <- Plan
Go <- Tenant, Users
Go <- Tenant, Extra
Live <- Go
deliverable Users { owner: CustomerPM }
phase Land: Plan
phase Adopt: Tenant, Users, Extra, Go, Live
"""


def test_why_names_the_missing_inputs_and_their_owners(tmp_path: Path) -> None:
    model = tmp_path / "m.prep"
    model.write_text(WHY_MODEL, "utf-8")
    # checkpoints: Plan, Tenant, Go, Live (Users and Extra depend on the route of Go)
    src = _write(
        tmp_path / "e.csv",
        [
            ["customer", "deliverable", "date"],
            ["a", "Plan", "2026-01-01"],
            ["a", "Tenant", "2026-01-02"],  # Go needs Users (route 1) or Extra (route 2)
            ["b", "Plan", "2026-01-01"],
            ["b", "Tenant", "2026-01-02"],
            ["b", "Extra", "2026-01-03"],  # Go is ready by its second route
            ["c", "Plan", "2026-01-01"],
            ["c", "Live", "2026-01-09"],  # Live without Tenant or Go: contradicts the model
        ],
    )
    data = _json(str(model), "--events", str(src), "--as-of", "2026-01-10")
    by = {c["customer"]: c for c in data["customers"]}
    assert by["a"]["next_checkpoint"] == "Go"
    assert by["a"]["why"] == [{"deliverable": "Users", "owner": "CustomerPM"}]
    assert by["a"]["next"] == ["Users", "Extra"] and by["a"]["phase"] == "Adopt"
    assert by["b"]["next_checkpoint"] == "Go" and by["b"]["why"] == []
    assert by["c"]["reached"] == ["Plan", "Live"] and by["c"]["next_checkpoint"] == "Tenant"
    problems = {(p["kind"], p["customer"], p["deliverable"]) for p in data["problems"]}
    assert problems == {("missing-inputs", "c", "Live")}
    # the funnel counts a checkpoint for those who reached it and every one before it
    assert [f["reached"] for f in data["funnel"]] == [3, 2, 0, 0]
    assert [f["facts"] for f in data["funnel"]] == [3, 2, 0, 1]
    text = run_prep("progress", str(model), "--events", str(src), "--as-of", "2026-01-10")
    assert "missing: Users (CustomerPM)" in text.stdout.decode()
    assert "ready: Go" in text.stdout.decode()


def test_emit_sql_runs_unchanged_on_duckdb(tmp_path: Path) -> None:
    r = run_prep("progress", str(MODEL), "--emit-sql", "duckdb", "--as-of", AS_OF)
    assert r.returncode == 0, r.stderr
    script = r.stdout.decode()
    assert "CREATE OR REPLACE TEMPORARY VIEW m_route AS" in script and "FROM events" in script
    con = duckdb.connect(":memory:")
    con.execute(
        "CREATE TABLE events AS SELECT customer, deliverable, CAST(date AS DATE) AS date "
        f"FROM read_csv('{EVENTS}', all_varchar = true)"
    )
    results = []
    for stmt in script.split(";\n\n"):
        rel = con.execute(stmt.strip().rstrip(";"))
        if stmt.lstrip().startswith("SELECT"):
            results.append(rel.fetchall())
    customers, funnel, cohorts, problems = results
    data: dict[str, Any] = _json(str(MODEL), "--events", str(EVENTS), "--as-of", AS_OF)
    assert len(cohorts) == len(data["cohorts"])
    assert [c[0] for c in customers] == [c["customer"] for c in data["customers"]]
    assert [c[-1] for c in customers] == [c["status"] for c in data["customers"]]
    assert [f[3] for f in funnel] == [f["reached"] for f in data["funnel"]]
    assert len(problems) == len(data["problems"])
    spark = run_prep("progress", str(MODEL), "--emit-sql", "spark", "--as-of", AS_OF)
    assert spark.returncode == 0 and b"CREATE OR REPLACE TEMPORARY VIEW" in spark.stdout
    assert b"DATEDIFF" in spark.stdout or b"DATE_DIFF" in spark.stdout


def test_duckdb_is_not_loaded_by_prep_version() -> None:
    import subprocess
    import sys

    r = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "prepmodel", "--version"],
        capture_output=True,
        check=True,
    )
    assert b"duckdb" not in r.stderr and b"sqlglot" not in r.stderr


def test_sample_events_are_what_the_script_writes(tmp_path: Path) -> None:
    import subprocess
    import sys

    out = tmp_path / "events.csv"
    subprocess.run([sys.executable, str(SAMPLES / "make_events.py"), str(out)], check=True)
    assert out.read_bytes() == EVENTS.read_bytes()


def test_readme_shows_the_real_output() -> None:
    readme = (SAMPLES.parent / "README.md").read_text("utf-8")
    section = readme.split("## Customer progress: `prep progress`", 1)[1].split("\n## ", 1)[0]
    shown = section.split("```\n")[3].split("\n```", 1)[0]
    r = run_prep("progress", str(MODEL), "--events", str(EVENTS), "--as-of", AS_OF)
    real = r.stdout.decode()
    for line in shown.splitlines():
        if line != "…":
            assert line in real.splitlines(), line
