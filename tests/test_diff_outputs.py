"""`prep diff` outputs (issue #12, "Outputs"): journey lines said once for the goals they
concern, route-dependent steps in the renumbering, and the union diagram (step junctions,
legend, phase bands) written as .svg, .png, .pdf, .html or .dot like `prep render`."""

from __future__ import annotations

import json
from pathlib import Path

from prepmodel.check.analysis import analyse_text
from prepmodel.review.diff import ModelDiff, semantic_diff
from prepmodel.review.report import format_diff

from .conftest import CASES, run_prep

ONBOARDING = CASES / "diff" / "onboarding-ja"

# Two goals; "Cooked dish" and "Ready meal" are needed on some routes only (route-dependent).
MEAL = """\
goal Meal, "Happy regular"
external Choice, Menu, Ingredients
Meal <- "Cooked dish" { work: Serve }
Meal <- "Ready meal" { work: "Hand over" }
"Happy regular" <- Meal { work: "Say goodbye" }
"Order slip" <- Choice, Menu { work: "Take the order" }
"Cooked dish" <- "Order slip", Ingredients { work: Cook }
"Ready meal" <- "Order slip" { work: "Warm up" }
"""
COOK = '"Cooked dish" <- "Order slip", Ingredients { work: Cook }\n'
WARM = '"Ready meal" <- "Order slip" { work: "Warm up" }\n'


def sdiff(old: str, new: str) -> ModelDiff:
    return semantic_diff(analyse_text(old, "old.prep"), analyse_text(new, "new.prep"))


def journey_section(text: str) -> list[str]:
    lines = text.splitlines()
    return lines[lines.index("journey:") + 1 :]


def test_route_dependent_steps_are_renumbered() -> None:
    d = sdiff(MEAL, MEAL.replace(COOK + WARM, WARM + COOK))
    assert not d.empty  # `prep diff --exit-code` sees the new numbers
    moved = {(e.name, e.old_step, e.new_step) for g in d.journey for e in g.events}
    assert moved == {("Ready meal", 3, 2), ("Cooked dish", 2, 3)}
    assert journey_section(format_diff(d)) == [
        "  Happy regular, Meal: steps renumbered: Ready meal 3 → 2, Cooked dish 2 → 3"
    ]


def test_shared_journey_lines_are_said_once_with_the_goals() -> None:
    d = sdiff(
        (ONBOARDING / "old.prep").read_text(encoding="utf-8"),
        (ONBOARDING / "new.prep").read_text(encoding="utf-8"),
    )
    assert len(d.journey) == 2  # both goals are affected ...
    lines = journey_section(format_diff(d))
    assert lines == [  # ... and the change is said once
        "  定着した顧客業務, 更新契約: steps renumbered: 新業務フロー図 4 → 2, "
        "トレーニング資料 5 → 3, 導入計画書 2 → 4, 設定済みテナント 3 → 5"
    ]
    md = format_diff(d, "markdown")
    impact = md[md.index("#### Journey impact") :].splitlines()[2:]
    assert impact == [
        "- **定着した顧客業務**, **更新契約**: steps renumbered: 新業務フロー図 4 → 2, "
        "トレーニング資料 5 → 3, 導入計画書 2 → 4, 設定済みテナント 3 → 5"
    ]
    # JSON keeps one entry per goal for machines
    data = json.loads(format_diff(d, "json"))
    assert [g["goal"] for g in data["journey"]] == ["定着した顧客業務", "更新契約"]


def test_partly_shared_changes_split_by_goal() -> None:
    old = (
        MEAL.replace('"Happy regular" <- Meal {', '"Happy regular" <- Meal, Feedback {')
        + "external Feedback\n"
    )
    new = old.replace(
        "external Feedback\n", "Feedback <- Survey { work: Collect }\nexternal Survey\n"
    )
    new = new.replace(COOK + WARM, WARM + COOK)
    lines = journey_section(format_diff(sdiff(old, new)))
    # what only one goal sees is said for that goal, what both see once for both
    assert lines == [
        "  Happy regular: new checkpoint Feedback (step 5)",
        "  Happy regular, Meal: steps renumbered: Ready meal 3 → 2, Cooked dish 2 → 3",
        "  Happy regular: steps renumbered: Happy regular 5 → 6",
    ]


def test_cli_text_says_each_journey_line_once(tmp_path: Path) -> None:
    r = run_prep("diff", str(ONBOARDING / "old.prep"), str(ONBOARDING / "new.prep"))
    assert r.returncode == 0, r.stderr.decode()
    text = r.stdout.decode("utf-8")
    assert text.count("steps renumbered") == 1
    assert "  定着した顧客業務, 更新契約: steps renumbered:" in text
