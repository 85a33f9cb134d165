"""How the diagrams look, and how values are written into DOT.

Fonts, text sizes, wrap widths and colours of the assembly diagram (``dot.py``, its step
list in ``steplist.py`` and the HTML legend), part of which the diff diagram (``diff_dot.py``)
shares; and the small helpers that put user text and numbers into DOT attributes the same way
everywhere, so the same input gives the same bytes.
"""

from __future__ import annotations

from collections.abc import Iterable

FONT = "Noto Sans CJK JP,Noto Sans JP,Hiragino Sans,Yu Gothic,Meiryo,DejaVu Sans,sans-serif"
TITLE_SIZE = 18.0
PHASE_SIZE = 13.0
NAME_SIZE = 13.0
LIST_SIZE = 11.0
WORK_SIZE = 10.0
STEP_SIZE = 10.0
NAME_WIDTH = 150.0  # points before a name wraps
WORK_WIDTH = 90.0
LIST_WIDTH = 220.0

INK = "#1f2933"
MUTED = "#7b8794"
WORK_INK = "#3e4c59"
PART_FILL = "#f5f7fa"
PART_INK = "#52606d"
CHECKPOINT_FILL = "#e3f0ff"
CHECKPOINT_LINE = "#1f5fbf"
GOAL_FILL = "#ffe8a3"
GOAL_LINE = "#b7791f"
GAP = "#d64545"
GAP_FILL = "#fde8e8"
ORPHAN = "#c77700"
ORPHAN_FILL = "#fff4e0"
PHASE_LINE = "#bcccdc"
OUT_OF_SCENARIO = "#c5ccd3"  # routes and deliverables outside the chosen scenarios (--when)
OUT_OF_SCENARIO_FILL = "#f7f8fa"
PHASE_INK = "#334e68"
HANDOVER = "#7b3fbf"  # an input arrow where the owner's party changes (a hand-over)
OWNER_INK = "#52606d"
#: Lanes of `render --lanes`: customer, partner, vendor, unowned (a service blueprint).
LANE_FILLS = ("#eaf3f8", "#f2f5e6", "#f0eff9", "#f5f5f5")
PHASE_FILLS = ("#eef6f0", "#f0eff9", "#fbf3ea", "#eaf3f8", "#f8eef4", "#f2f5e6")


def esc(text: str) -> str:
    """User text inside a DOT label: backslashes doubled and ``&`` written as ``&amp;``, so
    both show as written (Graphviz reads ``\\N`` as the node's name and ``&lt;`` or
    ``&#x1b;`` as the character, which XML may not even allow)."""
    return text.replace("\\", "\\\\").replace("&", "&amp;")


def esc_tooltip(text: str) -> str:
    """User text inside a DOT tooltip: Graphviz removes one level of backslashes more
    there than in a label (then expands ``\\N``, ``\\G``), so each is written four times."""
    return text.replace("\\", "\\\\\\\\").replace("&", "&amp;")


def label_lines(lines: Iterable[str]) -> str:
    """Lines of user text as one DOT label, each escaped, joined by DOT's ``\\n``."""
    return "\\n".join(esc(line) for line in lines)


def fmt(x: float) -> str:
    """A size in DOT: four decimals at most, no trailing zeros (``0.3``, ``1``)."""
    return f"{x:.4f}".rstrip("0").rstrip(".")
