"""Responsibility (contract §10): support modes for every combination of parties, hand-overs
and RACI cells on hand-made models with known answers, the `kpi`/`party` language, and
`prep raci` in every format (the .xlsx read back with openpyxl)."""

from __future__ import annotations

import io
import itertools
import json
from pathlib import Path

import openpyxl
import pytest

from prepmodel.checks.analysis import analyse_text
from prepmodel.journey.responsibility import raci
from prepmodel.model.responsibility import (
    handovers,
    mode_of,
    owner_party,
    party_of_word,
    role_party,
    route_mode,
)
from prepmodel.review.fmt import format_source
from tests.conftest import ROOT, run_prep

# One role per party, and one without: the letters are the parties.
ROLES = {"customer": "Cu", "vendor": "Ve", "partner": "Pa", None: "Nn"}
HEADER = """role Cu { party: customer }
role Ve { party: 自社 }
role Pa { party: パートナー }
role Nn
goal G
external In
"""


def _reference_mode(owner: str | None, performers: list[str | None]) -> str | None:
    """The contract's words, spelled out case by case."""
    if owner is None or not performers or any(p is None for p in performers):
        return None
    in_p = [p for p in performers if p == owner]
    others = [p for p in performers if p != owner]
    if in_p and not others:
        return "self"
    if in_p and others:
        return "alongside"
    return "on-behalf"


PARTY_CHOICES: list[str | None] = ["customer", "vendor", "partner", None]


@pytest.mark.parametrize("owner", [*PARTY_CHOICES, "unowned"])
def test_support_mode_of_every_combination(owner: str | None) -> None:
    """Every owner party (and no owner) against every set of performers' parties (the
    empty set included), through the parser and the model."""
    for size in range(0, 4):
        for performers in itertools.combinations(PARTY_CHOICES, size):
            by = ", ".join(ROLES[p] for p in performers)
            owner_attr = "" if owner == "unowned" else f"owner: {ROLES[owner]}"
            route_attrs = f"{{ by: {by} }}" if by else ""
            text = f"{HEADER}G <- In {route_attrs}\ndeliverable G {{ {owner_attr} }}\n"
            if owner == "unowned":
                text = f"{HEADER}G <- In {route_attrs}\n"
            a = analyse_text(text, "m.prep")
            (route,) = a.model.routes
            expected = _reference_mode(None if owner == "unowned" else owner, list(performers))
            assert route_mode(a.model, route) == expected, (owner, performers)
            assert (
                mode_of(owner_party(a.model, "G"), [role_party(a.model, b) for b in route.by])
                == expected
            )


def test_party_words_and_aliases() -> None:
    assert [party_of_word(w) for w in ("customer", "Vendor", "PARTNER")] == [
        "customer",
        "vendor",
        "partner",
    ]
    assert [party_of_word(w) for w in ("顧客", "自社", "パートナー", "ﾊﾟｰﾄﾅｰ")] == [
        "customer",
        "vendor",
        "partner",
        "partner",
    ]
    assert party_of_word("vender") is None


def test_unknown_party_is_a_clear_diagnostic() -> None:
    a = analyse_text(
        "role CSM { party: vender }\ngoal G\nexternal I\nG <- I { by: CSM }\n", "m.prep"
    )
    (d,) = [d for d in a.diagnostics if d.code == "RS04"]
    assert (d.span.line, d.span.column) == (1, 19)
    assert "vender" in str(d.message) and "vendor" in str(d.hint)
    assert role_party(a.model, "CSM") is None


HANDOVER_MODEL = """model M { lang: en }
role C { party: customer }
role V { party: vendor }
role P { party: partner }
goal Goal { owner: V }
external Brief { owner: C }
external Manual
Plan <- Brief { by: V }
Draft <- Plan, Manual { by: C, V }
Goal <- Draft, Pack { by: V }
group Pack = Plan, Offer
Offer <- Brief { by: P }
deliverable Plan { owner: V }
deliverable Draft { owner: C }
deliverable Offer { owner: P }
"""


def test_handovers_on_a_hand_made_model() -> None:
    a = analyse_text(HANDOVER_MODEL, "m.prep")
    got = [(h.source, h.target, h.source_party, h.target_party) for h in handovers(a.model)]
    assert got == [
        ("Brief", "Plan", "customer", "vendor"),
        ("Plan", "Draft", "vendor", "customer"),
        ("Draft", "Goal", "customer", "vendor"),
        ("Brief", "Offer", "customer", "partner"),
        # Pack has no owner: no hand-over into or out of it; Manual has no owner either
    ]
    j = json.loads(
        run_prep("checkpoints", "-", "--format", "json", stdin=HANDOVER_MODEL.encode()).stdout
    )
    pairs = [(h["from"], h["to"], h["from_party"], h["to_party"]) for h in j["handovers"]]
    assert sorted(pairs) == sorted(got)
    modes = {r["id"]: r["mode"] for s in j["steps"] for r in s["routes"]}
    # Plan: owner V, by V -> self; Draft: owner C, by C+V -> alongside; Goal: owner V,
    # by V -> self; Offer: owner P, by P -> self
    by_name = {s["name"]: s for s in j["steps"]}
    assert by_name["Plan"]["routes"][0]["mode"] == "self"
    assert by_name["Draft"]["routes"][0]["mode"] == "alongside"
    assert by_name["Goal"]["owner"] == "V"
    assert set(modes.values()) <= {"self", "alongside", "on-behalf", None}


RACI_MODEL = """model R { lang: en }
role Cust { party: customer }
role CSM, Eng { party: vendor }
role Reseller { party: partner }
goal Live { owner: Cust }
external Contract { owner: CSM }
external Manual
Plan <- Contract { by: CSM; consulted: Cust; informed: Reseller }
Live <- Plan, Manual { by: Cust, CSM; informed: Eng }
Live <- Plan { by: Eng; consulted: CSM }
deliverable Plan { owner: CSM }
"""


def test_raci_cells_on_a_hand_made_model() -> None:
    a = analyse_text(RACI_MODEL, "m.prep")
    table = raci(a.journey)
    assert [(c.name, c.party) for c in table.roles] == [
        ("Cust", "customer"),
        ("Reseller", "partner"),
        ("CSM", "vendor"),
        ("Eng", "vendor"),
    ]
    rows = {r.name: r for r in table.rows}
    assert [r.name for r in table.rows] == ["Plan", "Live", "Contract"]
    assert rows["Plan"].cells == {"CSM": "RA", "Cust": "C", "Reseller": "I"}
    assert rows["Live"].cells == {"Cust": "RA", "CSM": "RC", "Eng": "RI"}
    assert rows["Contract"].cells == {"CSM": "A"} and rows["Contract"].step is None
    assert [(m.id, m.mode) for m in rows["Plan"].routes] == [("1", "self")]
    assert [(m.id, m.mode) for m in rows["Live"].routes] == [
        ("2.a", "alongside"),
        ("2.b", "on-behalf"),
    ]


def test_raci_json_shape_and_when(tmp_path: Path) -> None:
    f = tmp_path / "m.prep"
    text = RACI_MODEL.replace("{ by: Eng;", "{ when: outsourced; by: Eng;")
    f.write_text(text.replace("{ by: Cust, CSM;", "{ when: inhouse; by: Cust, CSM;"), "utf-8")
    r = run_prep("raci", str(f), "--format", "json")
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert data["roles"][0] == {"name": "Cust", "party": "customer"}
    live = next(row for row in data["rows"] if row["name"] == "Live")
    assert {k: live[k] for k in ("step", "name", "owner")} == {
        "step": 2,
        "name": "Live",
        "owner": "Cust",
    }
    assert [{"id": x["id"], "mode": x["mode"]} for x in live["routes"]] == [
        {"id": "2.a", "mode": "alongside"},
        {"id": "2.b", "mode": "on-behalf"},
    ]
    r = run_prep("raci", str(f), "--format", "json", "--when", "outsourced")
    live = next(row for row in json.loads(r.stdout)["rows"] if row["name"] == "Live")
    assert [x["id"] for x in live["routes"]] == ["2.b"]
    assert live["cells"]["Eng"] == "R" and "Cust" in live["cells"]  # A stays: Cust owns it
    r = run_prep("raci", str(f), "--when", "nosuch")
    assert r.returncode == 2 and b"SC01" in r.stderr


def test_raci_text_markdown_csv() -> None:
    from prepmodel.views.raci import render_raci

    a = analyse_text((ROOT / "samples/cs-journey.prep").read_text("utf-8"), "cs.prep")
    for fmt in ("text", "markdown", "csv"):
        out = render_raci(a.journey, fmt, "ja")
        assert "成功定義書" in out and "伴走" in out and "代走" in out and "自走" in out
        assert "顧客PM" in out
    r = run_prep("raci", "samples/cs-journey.prep")
    assert r.returncode == 0, r.stderr
    text = r.stdout.decode()
    assert text == render_raci(a.journey, "text", "ja")
    party_line = next(line for line in text.splitlines() if "パートナー" in line and "顧客" in line)
    assert party_line.index("顧客") < party_line.index("パートナー") < party_line.index("自社")
    en = render_raci(a.journey, "text", "en")
    assert "alongside" in en and "on-behalf" in en and "customer" in en
    csv_rows = render_raci(a.journey, "csv", "ja").splitlines()
    assert csv_rows[0].split(",")[3] == "顧客PM (顧客)"
    assert csv_rows[1].split(",")[:4] == ["1", "成功定義書", "顧客PM", "RA"]


def test_raci_xlsx_read_back(tmp_path: Path) -> None:
    out = tmp_path / "raci.xlsx"
    r = run_prep("raci", "samples/cs-journey.prep", "-o", str(out))
    assert r.returncode == 0, r.stderr
    first = out.read_bytes()
    assert run_prep("raci", "samples/cs-journey.prep", "-o", str(out)).returncode == 0
    assert out.read_bytes() == first  # same input, same bytes
    sheet = openpyxl.load_workbook(io.BytesIO(first))["RACI"]
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    a = analyse_text((ROOT / "samples/cs-journey.prep").read_text("utf-8"), "cs.prep")
    table = raci(a.journey)
    roles = [c.name for c in table.roles]
    assert values[1][:3] == ["手順", "成果物", "オーナー"]
    assert values[1][3 : 3 + len(roles)] == roles
    assert values[0][3] == "顧客"  # the party row above the role headers
    assert sheet.freeze_panes == "A3"
    for row, cells in zip(table.rows, values[2:], strict=True):
        assert cells[0] == row.step and cells[1] == row.name
        assert [c or "" for c in cells[3 : 3 + len(roles)]] == [row.cells.get(n, "") for n in roles]
    merged = {str(m) for m in sheet.merged_cells.ranges}
    assert "D1:E1" in merged  # 顧客PM, 顧客管理者
    assert sheet.column_dimensions["B"].width >= 2 * len("ヘルススコア定義書")


def test_raci_never_writes_over_its_input(tmp_path: Path) -> None:
    f = tmp_path / "m.xlsx"
    f.write_text(RACI_MODEL, "utf-8")
    r = run_prep("raci", str(f), "-o", str(f))
    assert r.returncode == 2 and f.read_text("utf-8") == RACI_MODEL


def test_raci_on_a_syntax_error_exits_1() -> None:
    r = run_prep("raci", "-", stdin=b"goal A\nA <- \n")
    assert r.returncode == 1 and b"PS01" in r.stderr and r.stdout == b""


def test_kpi_stays_a_name_outside_statement_starts() -> None:
    text = "goal kpi\nkpi <- a, kpi2\nexternal a, kpi2 { kpi: kpi }\nkpi k1 { party: vendor }\n"
    a = analyse_text(text, "m.prep")
    assert a.syntax_ok, a.diagnostics
    assert "kpi" in a.model.deliverables and a.model.goals == ("kpi",)
    assert list(a.model.kpis) == ["k1"]
    assert a.model.kpis["k1"].attrs["party"] == ("vendor",)
    result = format_source(text, "m.prep")
    assert result.ok
    assert format_source(result.text, "m.prep").text == result.text  # idempotent
    assert "kpi k1 { party: vendor }" in result.text


def test_fmt_formats_the_kpi_statement() -> None:
    text = 'kpi  A ,B{party:顧客;unit:"%"\n target: 30}\ngoal G { kpi: A }\nexternal I\nG <- I\n'
    out = format_source(text, "m.prep").text
    assert out.splitlines()[0] == "kpi A, B { party: 顧客; unit: %; target: 30 }"


def test_kpi_statement_unknown_key_is_at01() -> None:
    a = analyse_text("kpi A { unti: x }\ngoal G { kpi: A }\nexternal I\nG <- I\n", "m.prep")
    (d,) = [d for d in a.diagnostics if d.code == "AT01"]
    assert "unit" in str(d.hint)


def test_roles_merge_across_statements() -> None:
    a = analyse_text(
        "role A\nrole A { party: vendor }\ngoal G\nexternal I\nG <- I { by: A }\n", "m.prep"
    )
    assert role_party(a.model, "A") == "vendor"


def test_checkpoints_text_and_csv_show_modes_only_with_parties() -> None:
    text = run_prep("checkpoints", "samples/cs-journey.prep").stdout.decode()
    assert "伴走" in text and "受け渡し点" in text
    csv = run_prep("checkpoints", "samples/cs-journey.prep", "--format", "csv").stdout.decode()
    assert csv.splitlines()[0].split(",")[10] == "支援形態"
    old = run_prep("checkpoints", "samples/restaurant.prep", "--format", "csv").stdout.decode()
    assert "mode" not in old.splitlines()[0]


def test_kpi_statement_same_on_both_parser_paths() -> None:
    """The fast LALR driver and Lark's own parser agree on `kpi` statements and on `kpi`
    used as a name (tests/test_parser_paths.py compares them on every sample too)."""
    from tests.test_parser_paths import both

    text = "kpi A, B { party: 顧客 }\ngoal kpi { kpi: A }\nkpi <- x { by: R }\nexternal x\n"
    fast, slow = both(text)
    assert fast is not None and fast == slow
    statements, _comments = fast  # type: ignore[misc]
    assert [type(st).__name__ for st in statements] == [
        "DeclStmt",
        "DeclStmt",
        "AssemblyStmt",
        "DeclStmt",
    ]
    assert statements[0].keyword == "kpi" and statements[2].output.text == "kpi"
