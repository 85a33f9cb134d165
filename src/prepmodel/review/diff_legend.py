"""The legend of the diff diagram, and the diagram in every format `prep diff -o` writes.

Graphviz lays out the union graph (``diff_dot.py``); the legend is then drawn under it as
plain SVG, with real swatches (a green box, a red dashed junction, an amber line), and only
the entries the picture uses. PNG and PDF are made from that SVG by ``render/raster.py``,
so they carry the legend too; the HTML page (``diff_html.py``) shows the same SVG.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from prepmodel.render.compose import split_svg
from prepmodel.render.measure import text_width
from prepmodel.render.style import FONT, INK, LIST_SIZE, PHASE_FILLS, PHASE_LINE, fmt
from prepmodel.review.diff_dot import (
    ADDED,
    ADDED_FILL,
    CHANGED,
    CHANGED_FILL,
    JUNCTION_SAME,
    MUTED,
    REMOVED,
    REMOVED_FILL,
    SAME_FILL,
)
from prepmodel.review.union import UnionView

#: Legend entries in order: key -> (English, Japanese).
ENTRIES: dict[str, tuple[str, str]] = {
    "same": ("unchanged", "変更なし"),
    "added": ("added", "追加"),
    "removed": ("removed", "削除"),
    "changed": (
        "changed (routes, attributes, phase or kind)",
        "変更（ルート・属性・フェーズ・種類）",
    ),
    "renamed": ("renamed: old → new", "名前の変更：旧 → 新"),
    "junction": (
        "assembly step 3 (3.a, 3.b: alternative routes); its inputs meet there",
        "組立手順 3（3.a・3.b は別ルート）：入力がここで合流",
    ),
    "route-added": ("route added", "ルートの追加"),
    "route-removed": ("route removed", "ルートの削除"),
    "route-changed": (
        "route changed (inputs, work or performers)",
        "ルートの変更（入力・作業・担当）",
    ),
    "input-added": ("input added", "入力の追加"),
    "input-removed": ("input removed", "入力の削除"),
    "input-changed": (
        "input became optional or required",
        "入力が任意に、または必須に変わった",
    ),
    "optional": ("dashed: an optional input [X]", "点線：任意の入力 [X]"),
    "phase": ("phase, in journey order (+ added, − removed)", "フェーズ（+ 追加、− 削除）"),
}
TITLE = ("Legend", "凡例")

ROW = 22.0  # pt per legend row
SWATCH = 36.0
GAP = 18.0
PAD = 12.0


def present(view: UnionView) -> list[str]:
    """The legend entries the union diagram uses, in legend order."""
    used: set[str] = {n.status for n in view.nodes}
    if any(n.changed for n in view.nodes):
        used.add("changed")
    for r in view.routes:
        used.add("junction")
        if r.status != "same":
            used.add(f"route-{r.status}")
        for _, status in r.inputs:
            if status != "same" and r.status not in ("added", "removed"):
                used.add(f"input-{status}")
        if r.optional:
            used.add("optional")
    if view.phases:
        used.add("phase")
    return [k for k in ENTRIES if k in used]


def _xml(text: str) -> str:
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )


def _box(fill: str, line: str, dash: bool = False, width: float = 1.4) -> str:
    d = ' stroke-dasharray="4,2"' if dash else ""
    return (
        f'<rect x="2" y="-7" width="{fmt(SWATCH - 4)}" height="14" rx="4" fill="{fill}" '
        f'stroke="{line}" stroke-width="{fmt(width)}"{d}/>'
    )


def _dot(fill: str, line: str, ink: str, dash: bool = False) -> str:
    d = ' stroke-dasharray="3,2"' if dash else ""
    return (
        f'<line x1="0" y1="0" x2="{fmt(SWATCH)}" y2="0" stroke="{MUTED}" stroke-width="1.1"/>'
        f'<circle cx="{fmt(SWATCH / 2)}" cy="0" r="8" fill="{fill}" stroke="{line}"{d}/>'
        f'<text x="{fmt(SWATCH / 2)}" y="3.5" font-size="9" text-anchor="middle" '
        f'font-family="{_xml(FONT)}" fill="{ink}">3</text>'
    )


def _line(color: str, dash: bool, width: float) -> str:
    d = ' stroke-dasharray="5,3"' if dash else ""
    return (
        f'<line x1="0" y1="0" x2="{fmt(SWATCH)}" y2="0" stroke="{color}" '
        f'stroke-width="{fmt(width)}"{d}/>'
    )


SWATCHES: dict[str, str] = {
    "same": _box(SAME_FILL, MUTED),
    "added": _box(ADDED_FILL, ADDED, width=2),
    "removed": _box(REMOVED_FILL, REMOVED, dash=True),
    "changed": _box(CHANGED_FILL, CHANGED, width=2),
    "renamed": _box("white", CHANGED, width=2),
    "junction": _dot(JUNCTION_SAME, JUNCTION_SAME, "white"),
    "route-added": _dot(ADDED, ADDED, "white"),
    "route-removed": _dot(REMOVED_FILL, REMOVED, REMOVED, dash=True),
    "route-changed": _dot(CHANGED, CHANGED, "white"),
    "input-added": _line(ADDED, False, 2),
    "input-removed": _line(REMOVED, True, 1.6),
    "input-changed": _line(CHANGED, False, 1.6),
    "optional": _line(MUTED, True, 1.1),
    "phase": (
        f'<rect x="1" y="-8" width="{fmt(SWATCH - 2)}" height="16" rx="3" '
        f'fill="{PHASE_FILLS[0]}" stroke="{PHASE_LINE}"/>'
    ),
}


@dataclass
class _Rows:
    width: float
    rows: list[list[tuple[str, float]]] = field(default_factory=list)

    def place(self, key: str, text_w: float) -> None:
        item = SWATCH + 6 + text_w
        if not self.rows or sum(w + GAP for _, w in self.rows[-1]) + item > self.width:
            self.rows.append([])
        self.rows[-1].append((key, item))


def legend_svg(keys: list[str], width: float, lang: str) -> tuple[str, float, float]:
    """The legend as an SVG group drawn at the origin, its width and its height (pt);
    entries flow in rows no wider than ``width`` (at least one entry a row)."""
    index = 1 if lang == "ja" else 0
    texts = {k: ENTRIES[k][index] for k in keys}
    title = TITLE[index]
    rows = _Rows(max(width - 2 * PAD, 10.0))
    for k in keys:
        rows.place(k, text_width(texts[k], LIST_SIZE))
    used = max(
        [text_width(title, LIST_SIZE)] + [sum(w + GAP for _, w in row) - GAP for row in rows.rows]
    )
    height = PAD + ROW * (len(rows.rows) + 1) + PAD / 2
    out = [
        f'<g id="legend" class="legend" data-entries="{" ".join(keys)}">',
        f'<text x="{fmt(PAD)}" y="{fmt(PAD + LIST_SIZE)}" font-family="{_xml(FONT)}" '
        f'font-size="{fmt(LIST_SIZE)}" font-weight="bold" fill="{INK}">{_xml(title)}</text>',
    ]
    for n, row in enumerate(rows.rows, start=1):
        x = PAD
        y = PAD + ROW * n + ROW / 2
        for key, item in row:
            out.append(
                f'<g class="entry" data-symbol="{key}" transform="translate({fmt(x)},{fmt(y)})">'
                f"{SWATCHES[key]}"
                f'<text x="{fmt(SWATCH + 6)}" y="4" font-family="{_xml(FONT)}" '
                f'font-size="{fmt(LIST_SIZE)}" fill="{INK}">{_xml(texts[key])}</text></g>'
            )
            x += item + GAP
    out.append("</g>")
    return "".join(out), used + 2 * PAD, height


_HEAD = re.compile(r"\A.*?(?=<svg\b)", re.S)


def with_legend(svg: bytes, view: UnionView, lang: str) -> bytes:
    """The laid-out union diagram with its legend underneath, as one SVG document."""
    text = svg.decode("utf-8")
    body, width, height = split_svg(text)
    keys = present(view)
    legend, legend_w, legend_h = legend_svg(keys, max(width, 480.0), lang)
    total_w = max(width, legend_w)
    total_h = height + legend_h
    head = _HEAD.match(text)
    out = [
        head.group(0).rstrip("\n") if head else '<?xml version="1.0" encoding="UTF-8"?>',
        f'<svg width="{fmt(total_w)}pt" height="{fmt(total_h)}pt" '
        f'viewBox="0 0 {fmt(total_w)} {fmt(total_h)}" xmlns="http://www.w3.org/2000/svg" '
        'xmlns:xlink="http://www.w3.org/1999/xlink">',
        f'<rect x="0" y="0" width="{fmt(total_w)}" height="{fmt(total_h)}" fill="white"/>',
        f'<svg x="0" y="0" width="{fmt(width)}" height="{fmt(height)}" '
        f'viewBox="0 0 {fmt(width)} {fmt(height)}" overflow="visible">',
        body,
        "</svg>",
        f'<g transform="translate(0,{fmt(height)})">{legend}</g>',
        "</svg>",
        "",
    ]
    return "\n".join(out).encode("utf-8")
