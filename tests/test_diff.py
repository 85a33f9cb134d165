"""`prep diff`: rename matching, per-aspect changes, journey impact, outputs, git."""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from prepmodel.checks.analysis import analyse_text
from prepmodel.review.diff import RENAME_WEIGHTS, ModelDiff, semantic_diff
from prepmodel.review.diff_dot import diff_dot
from prepmodel.review.report import diff_json, format_diff, format_text, union_view

from .conftest import CASES, ROOT, run_prep
from .regen_golden import diff_outputs

# Fixed copies (the samples may evolve): the contract's restaurant, and the onboarding
# model of the golden case.
RESTAURANT = (CASES / "diff" / "formatting-only" / "old.prep").read_text(encoding="utf-8")
ONBOARDING = (CASES / "diff" / "onboarding-ja" / "old.prep").read_text(encoding="utf-8")
TABLET_ROUTE = '"Order slip" <- "Customer\'s choice", Tablet { work: "Self-order"; by: Customer }'


def sdiff(old: str, new: str) -> ModelDiff:
    return semantic_diff(analyse_text(old, "old.prep"), analyse_text(new, "new.prep"))


def core(d: ModelDiff) -> dict[str, object]:
    """The contract's four keys."""
    j = diff_json(d)
    return {k: j[k] for k in ("added", "removed", "renamed", "changed")}


def texts(d: ModelDiff) -> list[str]:
    return [f"{c.name}: {det.aspect}: {det.text}" for c in d.changed for det in c.details]


# --- renames ------------------------------------------------------------------------------
def test_bill_to_invoice_is_a_rename() -> None:
    d = sdiff(RESTAURANT, RESTAURANT.replace("Bill", "Invoice"))
    assert core(d) == {
        "added": [],
        "removed": [],
        "renamed": [{"from": "Bill", "to": "Invoice", "score": d.renamed[0].score}],
        "changed": [],
    }
    assert d.journey == []
    assert format_text(d) == "~ Bill → Invoice (renamed)\n"


def test_rename_that_also_changes() -> None:
    new = (
        RESTAURANT.replace('Bill <- "Order slip"', 'Invoice <- "Order slip", Tablet')
        .replace('"Served meal", Bill', '"Served meal", Invoice')
        .replace('"Print the bill"', '"Print the invoice"; effort: 5m')
    )
    d = sdiff(RESTAURANT, new)
    assert [(r.old_name, r.new_name) for r in d.renamed] == [("Bill", "Invoice")]
    assert core(d)["changed"] == [
        {
            "name": "Invoice",
            "what": ["routes", "attributes"],
            "from": "Bill",
            "details": diff_json(d)["changed"][0]["details"],
        }
    ]
    assert texts(d) == [
        "Invoice: routes: 4 gained input Tablet",
        'Invoice: attributes: 4 effort (none) → "5m"',
        'Invoice: attributes: 4 work "Print the bill" → "Print the invoice"',
    ]


def test_several_neighbouring_renames_at_once() -> None:
    new = (
        RESTAURANT.replace("Bill", "Invoice")
        .replace("Order slip", "Ticket")
        .replace("Cooked dish", "Plated food")
        .replace("Served meal", "Meal on table")
    )
    d = sdiff(RESTAURANT, new)
    assert sorted((r.old_name, r.new_name) for r in d.renamed) == [
        ("Bill", "Invoice"),
        ("Cooked dish", "Plated food"),
        ("Order slip", "Ticket"),
        ("Served meal", "Meal on table"),
    ]
    assert not d.added and not d.removed and not d.changed and not d.journey


def test_japanese_rename() -> None:
    d = sdiff(ONBOARDING, ONBOARDING.replace("成功定義書", "成功定義シート"))
    assert core(d)["renamed"] == [
        {"from": "成功定義書", "to": "成功定義シート", "score": d.renamed[0].score}
    ]
    assert not d.added and not d.removed and not d.changed and not d.journey


def test_several_japanese_renames() -> None:
    new = (
        ONBOARDING.replace("成功定義書", "成功定義シート")
        .replace("導入計画書", "導入計画")
        .replace("ヘルススコア定義書", "ヘルススコア設計書")
    )
    d = sdiff(ONBOARDING, new)
    assert [(r.old_name, r.new_name) for r in d.renamed] == [
        ("ヘルススコア定義書", "ヘルススコア設計書"),
        ("導入計画書", "導入計画"),
        ("成功定義書", "成功定義シート"),
    ]
    assert not d.added and not d.removed and not d.changed


def test_a_replacement_in_one_place_is_not_a_rename() -> None:
    # One shared neighbour and an unrelated name: Fax was swapped for Tablet.
    d = sdiff(RESTAURANT.replace("Tablet", "Fax"), RESTAURANT)
    assert core(d)["added"] == ["Tablet"] and core(d)["removed"] == ["Fax"]
    assert d.renamed == []
    assert texts(d) == [
        "Order slip: routes: 1.b gained input Tablet",
        "Order slip: routes: 1.b lost input Fax",
    ]


def test_unrelated_additions_are_not_renames() -> None:
    new = RESTAURANT + '\n"Tip" <- "Paid meal"\ngoal Tip\n'
    old = RESTAURANT + '\nexternal Coupon\n"Paid meal" <- "Served meal", Coupon\n'
    d = sdiff(old, new)
    assert d.renamed == []
    assert core(d)["added"] == ["Tip"] and core(d)["removed"] == ["Coupon"]


def test_rename_weights_sum_to_one() -> None:
    assert sum(RENAME_WEIGHTS.values()) == pytest.approx(1.0)


# --- per-deliverable changes --------------------------------------------------------------
def test_order_slip_gains_an_input() -> None:
    new = RESTAURANT.replace('"Customer\'s choice", Menu {', '"Customer\'s choice", Menu, Tablet {')
    d = sdiff(RESTAURANT, new)
    assert core(d)["changed"][0]["name"] == "Order slip"
    assert [c.what for c in d.changed] == [["routes"]]
    assert texts(d) == ["Order slip: routes: 1.a gained input Tablet"]
    assert not d.added and not d.removed and not d.renamed


def test_input_added_and_new_external() -> None:
    new = RESTAURANT.replace(", Tablet {", ", Tablet, Wifi {") + "external Wifi\n"
    d = sdiff(RESTAURANT, new)
    assert core(d) == {
        "added": ["Wifi"],
        "removed": [],
        "renamed": [],
        "changed": [
            {
                "name": "Order slip",
                "what": ["routes"],
                "details": diff_json(d)["changed"][0]["details"],
            }
        ],
    }
    assert format_text(d) == ("+ Wifi\n* Order slip: routes: 1.b gained input Wifi\n")


def test_alternative_route_removed_and_added() -> None:
    without = RESTAURANT.replace(TABLET_ROUTE, "")
    d = sdiff(RESTAURANT, without)
    assert texts(d) == [
        "Order slip: routes: alternative route removed: Customer's choice + Tablet (Self-order)"
    ]
    detail = d.changed[0].details[0]
    assert (detail.change, detail.route, detail.old) == (
        "route_removed",
        "1.b",
        ["Customer's choice", "Tablet"],
    )
    back = sdiff(without, RESTAURANT)
    assert texts(back) == [
        "Order slip: routes: alternative route 1.b added: Customer's choice + Tablet (Self-order)"
    ]
    assert [c.what for c in back.changed] == [["routes"]]


def test_route_attributes_change() -> None:
    new = RESTAURANT.replace("by: Chef", "by: Chef, Sous-chef; effort: 20m")
    d = sdiff(RESTAURANT, new)
    assert texts(d) == [
        'Cooked dish: attributes: 2 by "Chef" → "Chef, Sous-chef"',
        'Cooked dish: attributes: 2 effort (none) → "20m"',
    ]


def test_deliverable_attributes_change() -> None:
    d = sdiff(ONBOARDING, ONBOARDING.replace("owner: 顧客PM", "owner: CSM"))
    assert texts(d) == ['教育済みユーザー: attributes: owner "顧客PM" → "CSM"']


def test_kind_goal_to_produced() -> None:
    old = RESTAURANT.replace('goal "Paid meal"', 'goal "Paid meal", "Served meal"')
    d = sdiff(old, RESTAURANT)
    assert core(d)["changed"][0] == {
        "name": "Served meal",
        "what": ["kind"],
        "details": [
            {
                "aspect": "kind",
                "change": "kind_changed",
                "route": None,
                "key": None,
                "old": "goal",
                "new": "produced",
                "text": "goal → produced",
            }
        ],
    }
    assert [(g.goal, g.change) for g in d.journey] == [("Served meal", "goal_removed")]


def test_kind_external_to_produced() -> None:
    new = (
        RESTAURANT.replace("Menu, Tablet", "Tablet") + 'Menu <- "Menu card"\nexternal "Menu card"\n'
    )
    d = sdiff(RESTAURANT, new)
    assert core(d)["added"] == ["Menu card"]
    assert [c.what for c in d.changed] == [["routes", "kind"]]
    assert texts(d) == ["Menu: routes: route 1 added: Menu card", "Menu: kind: external → produced"]


def test_phase_change() -> None:
    new = ONBOARDING.replace(
        "phase Land: 成功定義書, 導入計画書", "phase Land: 成功定義書"
    ).replace("phase Adopt: ", "phase Adopt: 導入計画書, ")
    d = sdiff(ONBOARDING, new)
    assert core(d)["changed"] == [
        {"name": "導入計画書", "what": ["phase"], "details": diff_json(d)["changed"][0]["details"]}
    ]
    assert texts(d) == ["導入計画書: phase: Land → Adopt"]


# --- formatting only ----------------------------------------------------------------------
FORMATTED = """# The restaurant again, formatted differently
model   "Restaurant floor"    # title
external Ingredients ;  external Tablet, Menu,
    "Customer's choice"
goal "Paid meal"
"Order slip" <- "Customer's choice",   Tablet { by: Customer
  work: "Self-order" }
"Order slip" <- Menu, "Customer's choice" { work: "Take the order"; by: Waiter }
"Cooked dish" <- Ingredients, "Order slip" { work: Cook; by: Chef }
"Served meal" <- "Order slip", "Cooked dish" { work: Serve; by: Waiter }
Bill <- "Order slip" { work: "Print the bill" }    # comment
"Paid meal" <- Bill, "Served meal" { work: "Settle the bill"; by: Cashier }
"""


def test_formatting_only_change_is_empty() -> None:
    d = sdiff(RESTAURANT, FORMATTED)
    assert core(d) == {"added": [], "removed": [], "renamed": [], "changed": []}
    assert d.journey == [] and d.empty
    assert format_text(d) == "no semantic differences\n"


def test_reordering_is_reported_only_as_renumbering() -> None:
    lines = RESTAURANT.splitlines()
    reordered = (
        "\n".join(["# reversed"] + [ln + "  # c" if "<-" in ln else ln for ln in reversed(lines)])
        + "\n"
    )
    d = sdiff(RESTAURANT, reordered)
    assert core(d) == {"added": [], "removed": [], "renamed": [], "changed": []}
    events = [e for g in d.journey for e in g.events]
    assert events and {e.change for e in events} == {"renumbered"}


def test_same_identity_other_spelling_is_no_change() -> None:
    d = sdiff(
        "goal ＫＰＩ設計\nＫＰＩ設計 <- 要件\nexternal 要件\n",
        "goal KPI設計\nKPI設計 <- 要件\nexternal 要件\n",
    )
    assert core(d) == {"added": [], "removed": [], "renamed": [], "changed": []}


# --- journey ------------------------------------------------------------------------------
def test_journey_impact_events() -> None:
    case = CASES / "diff" / "journey"
    d = sdiff(
        (case / "old.prep").read_text(encoding="utf-8"),
        (case / "new.prep").read_text(encoding="utf-8"),
    )
    by_goal = {g.goal: g for g in d.journey}
    assert by_goal["Happy regular"].change == "goal_added"
    paid = {(e.change, e.name): e for e in by_goal["Paid meal"].events}
    assert paid[("became_route_dependent", "Cooked dish")].old_step == 2
    assert ("route_dependent_added", "Table setting") in paid
    moved = paid[("renumbered", "Order slip")]
    assert (moved.old_step, moved.new_step) == (1, 2)


def test_journey_new_and_removed_checkpoint_with_rename() -> None:
    old = RESTAURANT
    new = (
        RESTAURANT.replace("Bill", "Invoice").replace(
            '"Paid meal" <- "Served meal", Invoice',
            '"Paid meal" <- "Served meal", Invoice, Receipt',
        )
        + 'Receipt <- Invoice { work: "Print a receipt" }\n'
    )
    d = sdiff(old, new)
    assert [(r.old_name, r.new_name) for r in d.renamed] == [("Bill", "Invoice")]
    events = {(e.change, e.name): e for g in d.journey for e in g.events}
    assert ("checkpoint_added", "Receipt") in events
    # Invoice keeps step 4: a rename is not a journey change.
    assert not any(name == "Invoice" for _, name in events)


# --- outputs ------------------------------------------------------------------------------
@pytest.mark.parametrize("case", sorted(p.name for p in (CASES / "diff").iterdir() if p.is_dir()))
def test_golden(case: str) -> None:
    folder = CASES / "diff" / case
    for name, data in diff_outputs(folder).items():
        expected = (folder / name).read_bytes()
        assert data == expected, (
            f"{case}/{name} differs; if intended, run "
            "PYTHONPATH=src python tests/regen_golden.py --diff"
        )


def test_json_shape() -> None:
    d = sdiff(RESTAURANT.replace("Tablet", "Fax"), RESTAURANT.replace("Bill", "Invoice"))
    j = json.loads(format_diff(d, "json"))
    assert {"added", "removed", "renamed", "changed"} <= set(j)
    assert j["added"] == ["Tablet"] and j["removed"] == ["Fax"]
    assert [{k: r[k] for k in ("from", "to")} for r in j["renamed"]] == [
        {"from": "Bill", "to": "Invoice"}
    ]
    assert j["changed"][0]["name"] == "Order slip" and j["changed"][0]["what"] == ["routes"]
    for c in j["changed"]:
        assert set(c["what"]) <= {"routes", "attributes", "phase", "kind"}


def test_output_is_deterministic() -> None:
    new = ONBOARDING.replace("成功定義書", "成功定義シート") + "external 追加資料\n"
    outs = {format_diff(sdiff(ONBOARDING, new), fmt) for fmt in ("json",) for _ in range(3)}
    assert len(outs) == 1


def test_text_colour_and_markdown() -> None:
    d = sdiff(RESTAURANT.replace("Tablet", "Fax"), RESTAURANT.replace("Bill", "Invoice"))
    coloured = format_text(d, color=True)
    assert "\x1b[32m+ Tablet\x1b[0m" in coloured and "\x1b[31m- Fax\x1b[0m" in coloured
    md = format_diff(d, "markdown", old_label="a.prep", new_label="b.prep")
    assert md.startswith("### prep diff: `a.prep` → `b.prep`\n")
    assert "**Summary:** 1 added, 1 removed, 1 renamed, 1 changed" in md
    assert "| renamed | Bill → Invoice |" in md


def test_union_view_and_dot() -> None:
    d = sdiff(RESTAURANT.replace("Tablet", "Fax"), RESTAURANT.replace("Bill", "Invoice"))
    view = union_view(d)
    status = {n.name: n.status for n in view.nodes}
    assert status["Tablet"] == "added" and status["Fax"] == "removed"
    assert status["Invoice"] == "renamed" and status["Order slip"] == "changed"
    assert status["Menu"] == "same"
    edges = {(e.source, e.target): e.status for e in view.edges}
    assert edges[("new:Tablet", "new:Order slip")] == "added"
    assert edges[("old:Fax", "new:Order slip")] == "removed"
    dot = diff_dot(d)
    assert "Bill → Invoice" in dot and "#2f855a" in dot and "dashed" in dot
    assert dot == diff_dot(d)


# --- command line -------------------------------------------------------------------------
def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_cli_formats_and_exit_codes(tmp_path: Path) -> None:
    old = write(tmp_path / "old.prep", RESTAURANT)
    new = write(tmp_path / "new.prep", RESTAURANT.replace("Bill", "Invoice"))
    r = run_prep("diff", str(old), str(new))
    assert r.returncode == 0 and r.stdout.decode() == "~ Bill → Invoice (renamed)\n"
    assert run_prep("diff", str(old), str(new), "--exit-code").returncode == 1
    assert run_prep("diff", str(old), str(old), "--exit-code").returncode == 0
    j = json.loads(run_prep("diff", str(old), str(new), "--format", "json").stdout)
    assert j["renamed"][0]["to"] == "Invoice"
    md = run_prep("diff", str(old), str(new), "-f", "markdown").stdout.decode()
    assert md.startswith("### prep diff")


def test_cli_errors(tmp_path: Path) -> None:
    good = write(tmp_path / "good.prep", RESTAURANT)
    bad = write(tmp_path / "bad.prep", "goal A\nA <- B {\n")
    r = run_prep("diff", str(bad), str(good))
    assert r.returncode == 1 and b"PS01" in r.stderr and r.stdout == b""
    r = run_prep("diff", str(tmp_path / "missing.prep"), str(good))
    assert r.returncode == 2 and b"no such file" in r.stderr
    r = run_prep("diff", str(good), str(good), "-o", str(tmp_path / "x.jpg"))
    assert r.returncode == 2


def test_cli_union_diagram(tmp_path: Path) -> None:
    old = write(tmp_path / "old.prep", RESTAURANT.replace("Tablet", "Fax"))
    new = write(tmp_path / "new.prep", RESTAURANT.replace("Bill", "Invoice"))
    r = run_prep("diff", str(old), str(new), "-o", str(tmp_path / "u.dot"))
    assert r.returncode == 0
    assert "Bill → Invoice" in (tmp_path / "u.dot").read_text(encoding="utf-8")
    r = run_prep("diff", str(old), str(new), "-o", str(tmp_path / "u.svg"))
    assert r.returncode == 0, r.stderr.decode()
    svg = (tmp_path / "u.svg").read_text(encoding="utf-8")
    assert "<svg" in svg and "Invoice" in svg


# --- git ----------------------------------------------------------------------------------
def git(repo: Path, *args: str, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
        cwd=repo,
        capture_output=True,
        check=True,
        env={**os.environ, **(env or {})},
    )
    return done.stdout.decode("utf-8")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    if subprocess.run(["git", "--version"], capture_output=True).returncode != 0:
        pytest.skip("git not installed")
    root = tmp_path / "repo"
    (root / "models").mkdir(parents=True)
    git(root, "init", "-q")
    write(root / "models" / "restaurant.prep", RESTAURANT)
    git(root, "add", ".")
    git(root, "commit", "-qm", "first")
    write(root / "models" / "restaurant.prep", RESTAURANT.replace("Bill", "Invoice"))
    git(root, "commit", "-qam", "rename")
    return root


def prep_env() -> dict[str, str]:
    path = os.environ.get("PYTHONPATH")
    src = str(ROOT / "src")
    return {"PYTHONPATH": src + (os.pathsep + path if path else "")}


def test_git_revisions(repo: Path) -> None:
    env = prep_env()
    r = run_prep(
        "diff", "HEAD~1:models/restaurant.prep", "models/restaurant.prep", cwd=repo, env=env
    )
    assert r.returncode == 0, r.stderr.decode()
    assert r.stdout.decode() == "~ Bill → Invoice (renamed)\n"
    # REV:./path is relative to the current folder, as in git.
    r = run_prep(
        "diff", "HEAD~1:./restaurant.prep", "HEAD:./restaurant.prep", cwd=repo / "models", env=env
    )
    assert r.stdout.decode() == "~ Bill → Invoice (renamed)\n"
    r = run_prep("diff", "HEAD~1:restaurant.prep", "restaurant.prep", cwd=repo / "models", env=env)
    assert r.returncode == 2 and b"HEAD~1:./restaurant.prep" in r.stderr  # git's hint
    r = run_prep(
        "diff", "HEAD~7:models/restaurant.prep", "models/restaurant.prep", cwd=repo, env=env
    )
    assert r.returncode == 2 and b"HEAD~7" in r.stderr
    r = run_prep("diff", "HEAD:models", "models/restaurant.prep", cwd=repo, env=env)
    assert r.returncode == 2 and b"tree" in r.stderr


def test_git_diff_driver_end_to_end(repo: Path) -> None:
    env = prep_env()
    command = f"{shlex.quote(sys.executable)} -m prepmodel git-diff-driver"
    write(repo / ".gitattributes", "*.prep diff=prep\n")
    git(repo, "config", "diff.prep.command", command)
    path = repo / "models" / "restaurant.prep"
    write(
        path,
        path.read_text(encoding="utf-8").replace(", Tablet {", ", Tablet, Wifi {")
        + "external Wifi\n",
    )
    out = git(repo, "diff", env=env)
    assert out == (
        "prep diff a/models/restaurant.prep b/models/restaurant.prep\n"
        "+ Wifi\n* Order slip: routes: 1.b gained input Wifi\n"
    )
    history = git(repo, "log", "-p", "--ext-diff", "-1", "--format=%s", env=env)
    assert "~ Bill → Invoice (renamed)" in history
    raw = git(repo, "diff", "--no-ext-diff", env=env)
    assert "+external Wifi" in raw
    # A new file (old side /dev/null) and a file that does not parse.
    write(repo / "models" / "new.prep", "goal X\nX <- Y\nexternal Y\n")
    git(repo, "add", "-N", "models/new.prep")
    out = git(repo, "diff", "--", "models/new.prep", env=env)
    assert "+ X\n+ Y\n" in out
    write(path, "goal A\nA <- B {\n")
    out = git(repo, "diff", "--", "models/restaurant.prep", env=env)
    assert "PS01" in out and '-goal "Paid meal"' in out


def test_git_diff_driver_argument_count() -> None:
    r = run_prep("git-diff-driver", "a", "b")
    assert r.returncode == 2


# --- repository files ---------------------------------------------------------------------
def test_pre_commit_hooks_and_workflow() -> None:
    hooks = (ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    assert "id: prep-fmt" in hooks and "id: prep-check" in hooks
    assert "entry: prep fmt" in hooks and "files: \\.prep$" in hooks
    flow = (ROOT / "docs" / "examples" / "prep-review.yml").read_text(encoding="utf-8")
    assert "prep check" in flow and "--format sarif" in flow
    assert "github/codeql-action/upload-sarif" in flow
    assert "prep diff" in flow and "--format markdown" in flow
