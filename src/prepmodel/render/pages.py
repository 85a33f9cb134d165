"""A deck of 16:9 pages for a workshop: an overview, then one page per phase (or per step).

Every page is a 1920×1080 SVG (one user unit = one pixel of a 1080p projector): a header
with the model's title, the page's title and its number, then the content scaled to fill
the rest. A band is cut into ranges of its steps until its smallest text (the work labels)
is at least :data:`MIN_TEXT_PX` tall; the overview is the whole picture when that fits too,
else a journey map: one box per phase with its checkpoints, in journey order.

``prep render M -o deck.pdf --pages phase`` writes one PDF page per SVG page (svg2pdf, then
joined with pypdf), ``.png`` one file per page, ``.html`` one offline page that shows them
one after the other, ``.svg`` the pages stacked in one file.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final, Literal

from prepmodel.render.compose import LaidOut, _laid, _split, _xml, compose_svg, split_svg
from prepmodel.render.dot import Drawing, Panel, _Graph
from prepmodel.render.engine import DEFAULT_TIMEOUT, EngineName, layout
from prepmodel.render.measure import label_box, wrap_label
from prepmodel.render.style import (
    FONT,
    GOAL_FILL,
    GOAL_LINE,
    INK,
    MUTED,
    PHASE_FILLS,
    PHASE_LINE,
    WORK_SIZE,
    fmt,
    label_lines,
)

__all__ = ["MIN_TEXT_PX", "PAGE_HEIGHT", "PAGE_WIDTH", "Page", "PagesKind", "deck"]

PagesKind = Literal["phase", "step"]
PAGE_WIDTH: Final[int] = 1920
PAGE_HEIGHT: Final[int] = 1080
HEADER: Final[float] = 64.0
MARGIN: Final[float] = 24.0
#: The smallest text on a page, in pixels of a 1080p screen.
MIN_TEXT_PX: Final[float] = 14.0
#: The smallest text drawn in a band (work labels), in points.
SMALLEST_TEXT: Final[float] = WORK_SIZE
HEADER_SIZE: Final[float] = 26.0
MAP_SIZE: Final[float] = 18.0
MAP_LINES: Final[int] = 12  # checkpoints listed per phase on the journey map

_ID = re.compile(r'\bid="([^"]*)"')
_PAGE_TEXTS = {
    "en": {
        "overview": "Overview",
        "journey": "The journey, phase by phase",
        "page": "page",
        "steps": "steps",
        "step": "step",
        "more": "+ {} more checkpoints",
    },
    "ja": {
        "overview": "全体像",
        "journey": "フェーズごとの道のり",
        "page": "ページ",
        "steps": "手順",
        "step": "手順",
        "more": "ほか {} 件のチェックポイント",
    },
}


@dataclass(frozen=True)
class Page:
    title: str
    svg: str  # a complete SVG document of PAGE_WIDTH x PAGE_HEIGHT


def deck(
    drawing: Drawing,
    kind: PagesKind = "phase",
    engine: EngineName = "auto",
    timeout: float | None = DEFAULT_TIMEOUT,
    progress: Callable[[float], None] | None = None,
) -> list[Page]:
    """The overview page, then the pages of every band (phase) or every step."""
    texts = _PAGE_TEXTS[drawing.lang]

    def lay_out(panel: Panel) -> LaidOut:
        svg = layout(drawing.dot(panel), "svg", engine, timeout=timeout, progress=progress)
        return _laid(panel, svg.decode("utf-8"), drawing.direction)

    contents: list[tuple[str, str, float, float]] = []  # title, body, width, height
    whole = compose_svg(drawing, engine, timeout, progress).decode("utf-8")
    body, width, height = split_svg(whole)
    if _scale(width, height) * SMALLEST_TEXT >= MIN_TEXT_PX:
        contents.append((texts["overview"], body, width, height))
    else:
        svg = layout(journey_dot(drawing), "svg", engine, timeout=timeout, progress=progress)
        laid = _laid(Panel(0, texts["journey"], ()), svg.decode("utf-8"), "LR")
        contents.append((texts["journey"], laid.body, laid.width, laid.height))
    if kind == "step":
        panels = [
            Panel(900000 + n, f"{texts['step']} {s.number}", (s.key,), legend=False)
            for n, s in enumerate(drawing.j.steps, start=1)
            if s.key in drawing.shown
        ]
    else:
        panels = drawing.panels()
    for panel in panels:
        for part in _fitting(panel, drawing, lay_out):
            contents.append(
                (part.panel.title or texts["overview"], part.body, part.width, part.height)
            )
    title = drawing.title
    total = len(contents)
    return [
        Page(page_title, _page(title, page_title, n, total, body, w, h, texts["page"]))
        for n, (page_title, body, w, h) in enumerate(contents, start=1)
    ]


def _fitting(panel: Panel, drawing: Drawing, lay_out: Callable[[Panel], LaidOut]) -> list[LaidOut]:
    """The band laid out, cut into step ranges until each part reads on one page."""
    one = lay_out(panel)
    if _scale(one.width, one.height) * SMALLEST_TEXT >= MIN_TEXT_PX:
        return [one]
    need = MIN_TEXT_PX / SMALLEST_TEXT
    parts = max(
        2,
        math.ceil(
            max(one.width * need / PAGE_WIDTH, one.height * need / (PAGE_HEIGHT - HEADER - MARGIN))
        ),
    )
    pieces = _split(panel, parts, drawing)
    if len(pieces) < 2:
        return [one]  # a single step that is still too big: shown as large as it goes
    out: list[LaidOut] = []
    for piece in pieces:
        out.extend(
            _fitting(piece, drawing, lay_out) if piece.home != panel.home else [lay_out(piece)]
        )
    return out


def journey_dot(drawing: Drawing) -> str:
    """The journey map: one box per phase listing its checkpoints (▶ exits), in order."""
    j = drawing.j
    texts = _PAGE_TEXTS[drawing.lang]
    dot = _Graph("journey")
    dot.attr(rankdir="LR", nodesep="0.3", ranksep="0.4", fontname=FONT, bgcolor="white", pad="0.2")
    dot.attr(
        "node",
        fontname=FONT,
        fontsize=fmt(MAP_SIZE),
        fontcolor=INK,
        shape="box",
        style="rounded,filled",
        fixedsize="true",
        penwidth="1.4",
    )
    roles = drawing.roles
    previous: str | None = None
    band_of: dict[str, str] = {}
    for panel in drawing.panels():
        lines = [panel.title or drawing.j.model.title or ""]
        checkpoints = [
            k for k in panel.home if k in roles.checkpoints or j.model.deliverables[k].goal
        ]
        shown = checkpoints
        if len(checkpoints) > MAP_LINES:  # a big band: its exits, and how many more
            shown = [k for k in checkpoints if k in roles.exits][:MAP_LINES]
        for key in shown:
            mark = "▶ " if key in roles.exits else "● "
            lines += wrap_label(mark + j.name(key), 320, MAP_SIZE)
        if len(shown) < len(checkpoints):
            lines.append(texts["more"].format(len(checkpoints) - len(shown)))
        w, h = label_box(lines, MAP_SIZE, margin=(0.2, 0.12))
        node = f"band{panel.number}"
        band_of.update((k, node) for k in panel.home)
        dot.node(
            node,
            label=label_lines(lines).replace("\\n", "\\l") + "\\l",
            width=fmt(w),
            height=fmt(h),
            fillcolor=PHASE_FILLS[(panel.number - 1) % len(PHASE_FILLS)],
            color=PHASE_LINE,
            **{"class": "journey-phase"},
        )
        if previous is not None:
            dot.edge(previous, node, color=MUTED, penwidth="2")
        previous = node
    goals = [k for k in j.model.goals if k in drawing.shown]
    for key in goals:
        lines = wrap_label(j.name(key), 260, MAP_SIZE)
        w, h = label_box(lines, MAP_SIZE, margin=(0.2, 0.12))
        node = f"goal{drawing.ids[key]}"
        dot.node(
            node,
            label=label_lines(lines),
            width=fmt(w),
            height=fmt(h),
            fillcolor=GOAL_FILL,
            color=GOAL_LINE,
            peripheries="2",
            **{"class": "journey-goal"},
        )
        source = band_of.get(key, previous)
        if source is not None:
            dot.edge(source, node, color=MUTED, penwidth="2")
    return dot.source()


def _scale(width: float, height: float) -> float:
    return min(
        (PAGE_WIDTH - 2 * MARGIN) / max(width, 1.0),
        (PAGE_HEIGHT - HEADER - MARGIN) / max(height, 1.0),
    )


def _page(
    model_title: str,
    title: str,
    number: int,
    total: int,
    body: str,
    width: float,
    height: float,
    page_word: str,
) -> str:
    scale = _scale(width, height)
    x = (PAGE_WIDTH - width * scale) / 2
    y = HEADER + (PAGE_HEIGHT - HEADER - MARGIN - height * scale) / 2
    prefix = f"pg{number}_"
    body = _ID.sub(lambda m: f'id="{prefix}{m.group(1)}"', body)
    head = f"{model_title} — {title}" if model_title and title else (model_title or title)
    return "\n".join(
        [
            '<?xml version="1.0" encoding="UTF-8" standalone="no"?>',
            f'<svg width="{PAGE_WIDTH}" height="{PAGE_HEIGHT}" '
            f'viewBox="0 0 {PAGE_WIDTH} {PAGE_HEIGHT}" xmlns="http://www.w3.org/2000/svg" '
            'xmlns:xlink="http://www.w3.org/1999/xlink">',
            f'<g id="page{number}" class="deck-page" data-title="{_xml(title)}" '
            f'data-scale="{fmt(scale)}">',
            f'<rect x="0" y="0" width="{PAGE_WIDTH}" height="{PAGE_HEIGHT}" fill="white"/>',
            f'<text class="page-title" x="{fmt(MARGIN)}" y="{fmt(HEADER * 0.62)}" '
            f'font-family="{_xml(FONT)}" font-size="{fmt(HEADER_SIZE)}" '
            f'fill="{INK}">{_xml(head)}</text>',
            f'<text class="page-number" x="{fmt(PAGE_WIDTH - MARGIN)}" y="{fmt(HEADER * 0.62)}" '
            f'text-anchor="end" font-family="{_xml(FONT)}" font-size="{fmt(MIN_TEXT_PX + 4)}" '
            f'fill="{MUTED}">{_xml(page_word)} {number} / {total}</text>',
            f'<line x1="{fmt(MARGIN)}" y1="{fmt(HEADER - 8)}" x2="{fmt(PAGE_WIDTH - MARGIN)}" '
            f'y2="{fmt(HEADER - 8)}" stroke="{PHASE_LINE}" stroke-width="2"/>',
            f'<g class="page-content" transform="translate({fmt(x)},{fmt(y)}) '
            f'scale({fmt(scale)})">',
            body,
            "</g>",
            "</g>",
            "</svg>",
            "",
        ]
    )
