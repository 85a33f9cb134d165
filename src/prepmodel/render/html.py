"""One self-contained HTML page: the diagram (inline SVG), the checkpoint table and the
diagnostics. Nothing is loaded from the network, so it opens offline at a workshop."""

from __future__ import annotations

import html
import re
from pathlib import PurePath

from prepmodel.diagnostics import Diagnostic
from prepmodel.journey import Journey
from prepmodel.textsafe import printable

_CSS = """
body{font-family:"Noto Sans CJK JP","Noto Sans JP","Hiragino Sans","Yu Gothic",Meiryo,
"DejaVu Sans",sans-serif;color:#1f2933;margin:24px;}
h1{font-size:20px;margin:0 0 12px}h2{font-size:16px;margin:24px 0 8px}
.diagram{overflow:auto;border:1px solid #d9e2ec;border-radius:6px;padding:8px}
table{border-collapse:collapse;font-size:13px}td,th{border:1px solid #d9e2ec;padding:4px 8px;
text-align:left;vertical-align:top}th{background:#f5f7fa}td.n{text-align:right}
.some{color:#7b8794}.error{color:#d64545}.warning{color:#c77700}.info{color:#1f5fbf}
code{font-size:12px}
.legend{display:flex;flex-wrap:wrap;gap:6px 18px;margin:8px 0 0;padding:0;list-style:none;
font-size:13px}.legend li{display:flex;align-items:center;gap:6px}.legend svg{flex:none}
"""


def _e(text: str | None) -> str:
    return html.escape(printable(text or ""), quote=True)  # no control character in XML


def _inline_svg(svg: bytes) -> str:
    text = svg.decode("utf-8")
    start = text.find("<svg")
    text = text[start:] if start >= 0 else text
    return re.sub(r"<!--.*?-->\n?", "", text, flags=re.S)


def checkpoint_table(j: Journey) -> str:
    """Every step with its checkpoint role per goal, phase, routes, work and performers."""
    goals = j.goals()
    roles: dict[str, list[str]] = {}
    for g in goals:
        for c in g.checkpoints:
            roles.setdefault(c.key, []).append(j.name(g.key) + (" ▶ exit" if c.exit else ""))
        for k in g.route_dependent:
            roles.setdefault(k, []).append(j.name(g.key) + " (some routes)")
    rows = ['<tr><th>Step</th><th>Deliverable</th><th>Phase</th><th>Route</th>'
            '<th>Needs</th><th>Work · by</th><th>Checkpoint of</th></tr>']
    for s in j.steps:
        name = j.name(s.key)
        cls = "" if any("some routes" not in r for r in roles.get(s.key, [])) else ' class="some"'
        alts = s.route_ids() if s.group_members is None else [(str(s.number), None)]
        span = f' rowspan="{len(alts)}"' if len(alts) > 1 else ""
        for i, (rid, r) in enumerate(alts):
            needs = (" + ".join(j.name(k) for k in r.inputs) if r is not None else
                     " + ".join(j.name(k) for k in s.group_members or ()))
            work = " · ".join(p for p in (r.work, ", ".join(r.by)) if p) if r else "(group)"
            head = tail = ""
            if i == 0:
                head = (f'<td class="n"{span}>{s.number}</td><td{span}{cls}>{_e(name)}</td>'
                        f'<td{span}>{_e(j.phase_of.get(s.key))}</td>')
                tail = f'<td{span}>{_e(", ".join(roles.get(s.key, [])))}</td>'
            rows.append(f"<tr>{head}<td>{_e(rid)}</td><td>{_e(needs)}</td>"
                        f"<td>{_e(work)}</td>{tail}</tr>")
    return "<table class=\"checkpoints\">" + "".join(rows) + "</table>"


def _swatch(shape: str, fill: str, stroke: str, width: float = 1.5, dash: bool = False,
            double: bool = False, text: str = "") -> str:
    """A small inline SVG sample of one diagram element (no external resources)."""
    d = ' stroke-dasharray="4,2"' if dash else ""
    if shape == "box":
        inner = (f'<rect x="3" y="3" width="34" height="16" rx="4" fill="{fill}" '
                 f'stroke="{stroke}" stroke-width="{width}"{d}/>')
        if double:
            inner = (f'<rect x="1" y="1" width="38" height="20" rx="5" fill="none" '
                     f'stroke="{stroke}" stroke-width="{width}"/>') + inner
        w, h = 40, 22
    elif shape == "dot":
        inner = (f'<circle cx="11" cy="11" r="9" fill="{fill}" stroke="{stroke}"/>'
                 f'<text x="11" y="15" font-size="10" text-anchor="middle" fill="white">'
                 f"{_e(text)}</text>")
        w, h = 22, 22
    else:  # band
        inner = f'<rect x="1" y="3" width="38" height="16" rx="3" fill="{fill}" stroke="{stroke}"/>'
        w, h = 40, 22
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" '
            f'viewBox="0 0 {w} {h}" aria-hidden="true">{inner}</svg>')


def legend() -> str:
    """What each shape, colour and line of the diagram means (the colours of style.py)."""
    from prepmodel.render import style as d

    items = [
        (_swatch("box", d.PART_FILL, d.MUTED, 1.2), "external part (given from outside)"),
        (_swatch("box", d.CHECKPOINT_FILL, d.CHECKPOINT_LINE, 2),
         "checkpoint: every route needs it"),
        (_swatch("box", "white", d.CHECKPOINT_LINE, 1.6, dash=True), "needed on some routes only"),
        (_swatch("box", d.GOAL_FILL, d.GOAL_LINE, 2, double=True), "goal"),
        (_swatch("box", "white", d.INK, 1.4, dash=True), "group (exists when all its parts do)"),
        (_swatch("dot", d.INK, d.INK, text="3"), "assembly step 3 (3.a, 3.b: alternative routes); "
                                                 "work and (performers) follow it"),
        (_swatch("band", d.PHASE_FILLS[0], d.PHASE_LINE), "phase, in journey order"),
        (_swatch("box", d.GAP_FILL, d.GAP, 2, dash=True), "gap: needed but never made"),
        (_swatch("box", d.PART_FILL, d.GAP, 2.4), "on a cycle"),
        (_swatch("box", d.ORPHAN_FILL, d.ORPHAN, 2), "no goal needs it"),
    ]
    return '<ul class="legend">' + "".join(
        f"<li>{svg}<span>{_e(text)}</span></li>" for svg, text in items) + "</ul>"


def diagnostics_list(diagnostics: list[Diagnostic]) -> str:
    if not diagnostics:
        return "<p>No problems found.</p>"
    items = []
    for d in diagnostics:
        hint = f"<br><small>hint: {_e(d.hint)}</small>" if d.hint else ""
        items.append(f'<li class="{d.severity.value}"><code>{_e(d.file)}:{d.span.line}:'
                     f'{d.span.column}</code> <b>{d.code}</b> {_e(d.severity.value)}: '
                     f"{_e(d.message)}{hint}</li>")
    return "<ul class=\"diagnostics\">" + "".join(items) + "</ul>"


def html_page(j: Journey, svg: bytes, diagnostics: list[Diagnostic]) -> bytes:
    """The page as UTF-8 bytes; the same inputs give the same bytes."""
    title = j.model.title or PurePath(j.model.path).name  # not the folders it came from
    lang = (j.model.attrs.get("lang") or ("ja",))[0] if j.model.attrs.get("lang") else "en"
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{_e(lang)}"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(title)}</title><style>{_CSS}</style></head><body>",
        f"<h1>{_e(title)}</h1>",
        f'<div class="diagram">{_inline_svg(svg)}</div>',
        legend(),
        "<h2>Checkpoints</h2>",
        checkpoint_table(j),
        "<h2>Diagnostics</h2>",
        diagnostics_list(diagnostics),
        "</body></html>",
        "",
    ]
    return "\n".join(parts).encode("utf-8")
