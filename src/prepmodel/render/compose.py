"""One picture from the panels of a diagram: each band laid out on its own, then placed in
journey order, wrapped into rows so that the whole reads on a 16:9 screen.

Graphviz lays out each panel (``Drawing.dot``); this module reads the size of each panel's
SVG, splits a band that alone would be far wider than the screen into ranges of its steps,
chooses the number of rows whose overall shape is closest to 16:9 (never wider than
:data:`MAX_ASPECT` when rows can help), and writes one SVG: the model's title, then the
panels, each in a ``<g class="panel">`` moved into place. Element ids of each panel are
prefixed (``p2_node5``) so that they stay unique. Same input, same bytes.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

from prepmodel.render.dot import Drawing, Panel
from prepmodel.render.engine import DEFAULT_TIMEOUT, EngineError, EngineName, layout
from prepmodel.render.measure import text_width
from prepmodel.render.style import FONT, INK, TITLE_SIZE, fmt
from prepmodel.render.worklabels import settle_work_labels

__all__ = ["MAX_ASPECT", "TARGET_ASPECT", "compose_svg"]

#: The screen the picture is made for.
TARGET_ASPECT: Final[float] = 16 / 9
#: The widest overall shape accepted while more rows would still help.
MAX_ASPECT: Final[float] = 2.0
GAP: Final[float] = 18.0  # points between panels and rows
PAD: Final[float] = 8.0

_SVG_SIZE = re.compile(r'<svg width="([\d.]+)pt" height="([\d.]+)pt"')
_BODY = re.compile(r"<svg\b[^>]*>(.*)</svg>\s*\Z", re.S)
_ID = re.compile(r'\bid="([^"]*)"')


@dataclass(frozen=True)
class LaidOut:
    panel: Panel
    body: str  # the panel's SVG content (between <svg> and </svg>)
    width: float
    height: float


def compose_svg(
    drawing: Drawing,
    engine: EngineName = "auto",
    timeout: float | None = DEFAULT_TIMEOUT,
    progress: Callable[[float], None] | None = None,
) -> bytes:
    """The whole diagram as one SVG document."""
    laid = lay_out_panels(drawing, engine, timeout, progress)
    horizontal = drawing.direction in ("LR", "RL")
    return _write(drawing, laid, _rows(_sizes(laid, horizontal)), horizontal)


def _sizes(items: list[LaidOut], horizontal: bool) -> list[tuple[float, float]]:
    return [(p.width, p.height) if horizontal else (p.height, p.width) for p in items]


def lay_out_panels(
    drawing: Drawing,
    engine: EngineName = "auto",
    timeout: float | None = DEFAULT_TIMEOUT,
    progress: Callable[[float], None] | None = None,
) -> list[LaidOut]:
    """Every panel laid out, a band far wider than the rest cut into ranges of its steps:
    the panels the picture shows (``prep render -o x.dot`` writes their DOT)."""
    horizontal = drawing.direction in ("LR", "RL")

    def lay_out(panel: Panel) -> LaidOut:
        svg = layout(drawing.dot(panel), "svg", engine, timeout=timeout, progress=progress)
        return _laid(panel, svg.decode("utf-8"), drawing.direction)

    def sizes(items: list[LaidOut]) -> list[tuple[float, float]]:
        return _sizes(items, horizontal)

    laid = [lay_out(p) for p in drawing.panels()]
    # A band far wider than everything stacked can hold: cut it into ranges of its steps.
    for _ in range(8):
        rows = _rows(sizes(laid))
        if _aspect(sizes(laid), rows) <= MAX_ASPECT or not drawing.copies:
            break
        widest = max(range(len(laid)), key=lambda i: sizes(laid)[i][0])
        stacked = sum(h for _, h in sizes(laid)) + GAP * (len(laid) - 1)
        long_side = sizes(laid)[widest][0]
        parts = _split(
            laid[widest].panel, max(2, math.ceil(long_side / (stacked * TARGET_ASPECT))), drawing
        )
        if len(parts) < 2:
            break
        laid[widest : widest + 1] = [lay_out(p) for p in parts]
    return laid


def _split(panel: Panel, parts: int, drawing: Drawing) -> list[Panel]:
    """``panel`` cut into at most ``parts`` ranges of consecutive steps of about equal
    size, each with at least one step (``home`` is in step order)."""
    home = panel.home
    steps = sum(1 for k in home if k in drawing.j.step_of)
    parts = min(parts, steps)
    if parts < 2:
        return [panel]
    chunks: list[list[str]] = [[] for _ in range(parts)]
    seen = 0
    for key in home:
        chunks[min(seen * parts // steps, parts - 1)].append(key)
        seen += key in drawing.j.step_of
    kept = [tuple(c) for c in chunks if c]
    band = panel.band or panel.title
    out = []
    for n, chunk in enumerate(kept, start=1):
        numbers = [drawing.j.step_of[k] for k in chunk if k in drawing.j.step_of]
        first, last = min(numbers), max(numbers)
        span = f"{drawing.texts['steps']} {first}" + (f"–{last}" if last != first else "")
        title = f"{band} · {span}" if band else span
        out.append(
            Panel(panel.number * 100 + n, title, chunk, panel.legend and n == len(kept), band)
        )
    return out


def split_svg(svg: str) -> tuple[str, float, float]:
    """An SVG document's content (between ``<svg>`` and ``</svg>``) and its size in pt."""
    size = _SVG_SIZE.search(svg)
    body = _BODY.search(svg)
    if size is None or body is None:  # Graphviz always writes both
        raise EngineError("Graphviz wrote an SVG without a size or without content")
    return body.group(1).strip("\n"), float(size.group(1)), float(size.group(2))


def _laid(panel: Panel, svg: str, direction: str) -> LaidOut:
    return LaidOut(panel, *_prefixed(panel.number, svg, direction))


@functools.lru_cache(maxsize=16)
def _prefixed(number: int, svg: str, direction: str) -> tuple[str, float, float]:
    """A panel's content with its work labels next to their junctions and its ids
    prefixed, and its size. Kept for the last few layouts: ``prep serve`` lays out the
    unchanged bands again from the layout cache."""
    body, width, height = split_svg(settle_work_labels(svg, direction))
    prefix = f"p{number}_"
    return _ID.sub(lambda m: f'id="{prefix}{m.group(1)}"', body), width, height


def _rows(sizes: list[tuple[float, float]]) -> list[int]:
    """How many panels go in each row: the count of rows whose picture is closest to
    16:9, preferring any that is at most :data:`MAX_ASPECT` wide. ``sizes`` are (length
    along the main direction, across)."""
    best: tuple[float, list[int]] | None = None
    for rows in range(1, len(sizes) + 1):
        counts = _partition([w for w, _ in sizes], rows)
        aspect = _aspect(sizes, counts)
        score = abs(math.log(aspect / TARGET_ASPECT)) + (0 if aspect <= MAX_ASPECT else 10)
        if best is None or score < best[0] - 1e-9:
            best = (score, counts)
    assert best is not None
    return best[1]


def _aspect(sizes: list[tuple[float, float]], counts: list[int]) -> float:
    """Length over breadth of the picture with ``counts`` panels per row."""
    width = 0.0
    height = 0.0
    start = 0
    for count in counts:
        row = sizes[start : start + count]
        width = max(width, sum(w for w, _ in row) + GAP * (count - 1))
        height += max(h for _, h in row)
        start += count
    height += GAP * (len(counts) - 1)
    return width / max(height, 1.0)


def _partition(widths: list[float], rows: int) -> list[int]:
    """Split ``widths`` in order into at most ``rows`` runs, minimising the widest run
    (binary search on the width, greedy fill)."""

    def fill(limit: float) -> list[int] | None:
        counts: list[int] = []
        current = 0.0
        for w in widths:
            if counts and current + GAP + w <= limit:
                counts[-1] += 1
                current += GAP + w
            else:
                counts.append(1)
                current = w
        return counts if len(counts) <= rows else None

    low, high = max(widths), sum(widths) + GAP * len(widths)
    for _ in range(40):
        mid = (low + high) / 2
        if fill(mid) is None:
            low = mid
        else:
            high = mid
    result = fill(high)
    assert result is not None
    return result


def _write(drawing: Drawing, laid: list[LaidOut], rows: list[int], horizontal: bool) -> bytes:
    title = drawing.title
    title_h = TITLE_SIZE * 1.6 if title else 0.0
    placed: list[tuple[LaidOut, float, float]] = []
    offset = title_h + PAD  # across the main direction
    extent = 0.0  # along the main direction
    start = 0
    for count in rows:
        row = laid[start : start + count]
        start += count
        along = PAD
        thickness = max(p.height if horizontal else p.width for p in row)
        for p in row:
            if horizontal:
                placed.append((p, along, offset))
                along += p.width + GAP
            else:
                placed.append((p, offset, along))
                along += p.height + GAP
        extent = max(extent, along - GAP + PAD)
        offset += thickness + GAP
    across = offset - GAP + PAD
    width, height = (extent, across) if horizontal else (across, extent)
    width = max(width, text_width(title, TITLE_SIZE) + 2 * PAD)
    if drawing.direction == "RL":  # the journey runs right to left along each row
        placed = [(p, width - x - p.width, y) for p, x, y in placed]
    elif drawing.direction == "BT":
        placed = [(p, x, height - y - p.height + title_h) for p, x, y in placed]
    out = [
        '<?xml version="1.0" encoding="UTF-8" standalone="no"?>',
        '<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN"',
        ' "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">',
        f'<svg width="{fmt(width)}pt" height="{fmt(height)}pt" '
        f'viewBox="0 0 {fmt(width)} {fmt(height)}" xmlns="http://www.w3.org/2000/svg" '
        'xmlns:xlink="http://www.w3.org/1999/xlink">',
        f'<g id="diagram" class="graph diagram" data-rows="{len(rows)}">',
        f'<rect x="0" y="0" width="{fmt(width)}" height="{fmt(height)}" fill="white"/>',
    ]
    if title:
        out.append(
            f'<text class="title" x="{fmt(width / 2)}" y="{fmt(TITLE_SIZE * 1.25)}" '
            f'text-anchor="middle" font-family="{_xml(FONT)}" '
            f'font-size="{fmt(TITLE_SIZE)}" fill="{INK}">{_xml(title)}</text>'
        )
    for p, x, y in placed:
        out.append(
            f'<g id="panel{p.panel.number}" class="panel" '
            f'data-title="{_xml(p.panel.title)}" '
            f'transform="translate({fmt(x)},{fmt(y)})">'
        )
        out.append(p.body)
        out.append("</g>")
    out += ["</g>", "</svg>", ""]
    return "\n".join(out).encode("utf-8")


def _xml(text: str) -> str:
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )
