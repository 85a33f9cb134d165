"""Text helpers shared by every output: display width (carets, fmt's line limit) and the
one Markdown escaper (checkpoint tables, the diff's pull-request comment)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from prepmodel.review.fmt import WIDTH, format_source
from prepmodel.text.safe import markdown_cell
from prepmodel.text.width import width

from .conftest import run_prep

FAMILY = "👨\u200d👩\u200d👧"  # one emoji: three people joined by zero-width joiners
HEART = "❤\ufe0f"  # a heart with the emoji variation selector


@pytest.mark.parametrize(
    ("text", "columns"),
    [
        ("Paid meal", 9),
        ("a\tb", 3),  # ASCII fast path: one column a character
        ("注文票", 6),
        ("ＫＰＩ", 6),
        ("ｶﾞ", 2),  # half-width katakana and its sound mark
        ("e\u0301", 1),  # combining acute accent
        ("a\u200bb", 2),  # zero-width space
        (FAMILY, 2),
        (HEART, 2),
        (f"Trip {FAMILY} plan", 12),
        ("注文\t票", 7),  # a tab outside the ASCII path counts 1, as inside it
    ],
)
def test_display_width(text: str, columns: int) -> None:
    assert width(text) == columns


def test_caret_after_an_emoji_sequence(tmp_path: Path) -> None:
    model = tmp_path / "trip.prep"
    model.write_text(
        f'goal "Trip {FAMILY} plan"\n"Trip {FAMILY} plan" <- "Ticket {HEART}", Bookng\n'
        "Booking <- Request\n",
        encoding="utf-8",
    )
    out = run_prep("check", str(model)).stdout.decode("utf-8").splitlines()
    at = out.index(
        f"{model}:2:35: GP01 error: 'Bookng' is needed but neither produced nor external"
    )
    # `"Trip 👨‍👩‍👧 plan" <- "Ticket ❤️", ` is 31 columns on a terminal.
    assert out[at + 2] == "  " + " " * 31 + "^" * 6
    first = out.index(
        f"{model}:2:22: GP01 error: 'Ticket {HEART}' is needed but neither produced nor external"
    )
    assert out[first + 2] == "  " + " " * 18 + "^" * 11


def test_fmt_measures_emoji_sequences_as_a_terminal_does() -> None:
    names = [f'"{FAMILY} {n}"' for n in range(10)]
    statement = "Goal <- " + ", ".join(names)
    assert width(statement) <= WIDTH < len(statement) + 6 * len(names)
    result = format_source(f"goal Goal\n{statement}\n", "family.prep")
    assert result.ok
    assert result.text == f"goal Goal\n{statement}\n"  # fits in 100 columns: one line


def test_fmt_still_wraps_what_is_too_wide() -> None:
    names = [f'"{FAMILY}{FAMILY} family {n}"' for n in range(10)]
    result = format_source("goal Goal\nGoal <- " + ", ".join(names) + "\n", "family.prep")
    assert result.ok
    lines = result.text.splitlines()
    assert len(lines) > 2
    assert all(width(line) <= WIDTH for line in lines)


TRICKY = "`Run` *book* _v2_ ~draft~ #1 [x](y) <b>&</b> a|b \\ @team"
ESCAPED = (
    "\\`Run\\` \\*book\\* \\_v2\\_ \\~draft\\~ \\#1 \\[x\\](y) &lt;b&gt;&amp;&lt;/b&gt; "
    "a\\|b \\\\ @\u200bteam"
)


def test_one_markdown_escaper() -> None:
    assert markdown_cell(TRICKY) == ESCAPED
    assert markdown_cell("line one\r\nline two\nthree") == "line one line two three"
    assert markdown_cell(None) == ""


def test_checkpoint_table_and_diff_comment_escape_alike(tmp_path: Path) -> None:
    quoted = json.dumps(TRICKY, ensure_ascii=False)
    old = tmp_path / "old.prep"
    new = tmp_path / "new.prep"
    old.write_text("goal Meal\nMeal <- Dish\nexternal Dish\n", encoding="utf-8")
    new.write_text(
        f"goal Meal\nMeal <- Dish, {quoted}\nexternal Dish, {quoted}\n", encoding="utf-8"
    )
    table = run_prep("checkpoints", str(new), "--format", "markdown").stdout.decode("utf-8")
    comment = run_prep("diff", str(old), str(new), "--format", "markdown").stdout.decode("utf-8")
    assert ESCAPED in table
    assert ESCAPED in comment
    assert TRICKY not in table + comment
