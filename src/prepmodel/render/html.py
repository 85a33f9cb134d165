"""One self-contained HTML page: the interactive viewer (inline SVG, pan and zoom, side
panel, search, goal selector, presentation mode), the checkpoint table and the diagnostics,
in the diagram's language. Nothing is loaded from the network: the viewer's script and
style (``assets/viewer.js``, ``assets/viewer.css``, our own code) are inlined, so the page
opens offline at a workshop."""

from __future__ import annotations

import html
import re
from pathlib import PurePath

from prepmodel.diagnostics import Diagnostic
from prepmodel.journey.core import Journey
from prepmodel.render.steplist import diagram_language
from prepmodel.render.svgmarkup import dot_ids
from prepmodel.render.viewer import asset, json_script, viewer_data
from prepmodel.render.words import LEGEND, TABLE_HEADINGS, words
from prepmodel.text.safe import printable


def _e(text: str | None) -> str:
    return html.escape(printable(text or ""), quote=True)  # no control character in XML


def _inline_svg(svg: bytes) -> str:
    text = svg.decode("utf-8")
    start = text.find("<svg")
    text = text[start:] if start >= 0 else text
    text = re.sub(r"<!--.*?-->\n?", "", text, flags=re.S)
    # The graph's own title would be the tooltip of every empty spot of the viewer.
    text = re.sub(
        r'(<g id="graph0" class="graph"[^>]*>)\n<title>[^<]*</title>', r"\1", text, count=1
    )
    # The viewer sizes the picture to its window and moves the viewBox to pan and zoom.
    return re.sub(r'^<svg width="[^"]*" height="[^"]*"', '<svg id="diagram"', text, count=1)


def checkpoint_table(j: Journey, lang: str = "en") -> str:
    """Every step with its checkpoint role per goal, phase, routes, work and performers."""
    w = words(lang)
    goals = j.goals()
    roles: dict[str, list[str]] = {}
    some: dict[str, bool] = {}
    for g in goals:
        for c in g.checkpoints:
            roles.setdefault(c.key, []).append(j.name(g.key) + (w["exit_mark"] if c.exit else ""))
            some[c.key] = False
        for k in g.route_dependent:
            roles.setdefault(k, []).append(j.name(g.key) + w["some_routes"])
            some.setdefault(k, True)
    heads = TABLE_HEADINGS
    rows = ["<tr>" + "".join(f"<th>{_e(w[h])}</th>" for h in heads) + "</tr>"]
    for s in j.steps:
        name = j.name(s.key)
        d = j.model.deliverables[s.key]
        cls = ' class="some"' if some.get(s.key, True) else ""
        alts = s.route_ids() if s.group_members is None else [(str(s.number), None)]
        span = f' rowspan="{len(alts)}"' if len(alts) > 1 else ""
        for i, (rid, r) in enumerate(alts):
            needs = (
                " + ".join(f"[{j.name(k)}]" if k in r.optional else j.name(k) for k in r.inputs)
                if r is not None
                else " + ".join(j.name(k) for k in s.group_members or ())
            )
            work = " · ".join(p for p in (r.work, ", ".join(r.by)) if p) if r else w["group"]
            head = tail = ""
            if i == 0:
                head = (
                    f'<td class="n"{span}>{s.number}</td><td{span}{cls}>{_e(name)}</td>'
                    f"<td{span}>{_e(j.phase_of.get(s.key))}</td>"
                )
                tail = (
                    f"<td{span}>{_e(', '.join(roles.get(s.key, [])))}</td>"
                    f"<td{span}>{_e(d.owner)}</td><td{span}>{_e(', '.join(d.kpis))}</td>"
                    f'<td{span} class="note">{_e(d.note)}</td>'
                )
            rows.append(
                f"<tr>{head}<td>{_e(rid)}</td><td>{_e(needs)}</td><td>{_e(work)}</td>{tail}</tr>"
            )
    given = [
        f"<tr><td>{_e(d.name)}</td><td>{_e(d.owner)}</td><td>{_e(', '.join(d.kpis))}</td>"
        f'<td class="note">{_e(d.note)}</td></tr>'
        for d in (j.model.deliverables[k] for k in j.model.externals)
        if d.owner or d.kpis or d.note
    ]
    table = '<table class="checkpoints">' + "".join(rows) + "</table>"
    if given:
        given_heads = ("th_deliverable", "th_owner", "th_kpi", "th_note")
        table += (
            f'<h3>{_e(w["given_parts"])}</h3><table class="given">'
            + "<tr>"
            + "".join(f"<th>{_e(w[h])}</th>" for h in given_heads)
            + "</tr>"
            + "".join(given)
            + "</table>"
        )
    return table


def _swatch(
    shape: str,
    fill: str,
    stroke: str,
    width: float = 1.5,
    dash: bool = False,
    double: bool = False,
    text: str = "",
) -> str:
    """A small inline SVG sample of one diagram element (no external resources)."""
    d = ' stroke-dasharray="4,2"' if dash else ""
    if shape == "box":
        inner = (
            f'<rect x="3" y="3" width="34" height="16" rx="4" fill="{fill}" '
            f'stroke="{stroke}" stroke-width="{width}"{d}/>'
        )
        if double:
            inner = (
                f'<rect x="1" y="1" width="38" height="20" rx="5" fill="none" '
                f'stroke="{stroke}" stroke-width="{width}"/>'
            ) + inner
        w, h = 40, 22
    elif shape == "line":
        inner = (
            f'<line x1="2" y1="11" x2="38" y2="11" stroke="{stroke}" stroke-width="{width}"{d}/>'
        )
        w, h = 40, 22
    elif shape == "dot":
        inner = (
            f'<circle cx="11" cy="11" r="9" fill="{fill}" stroke="{stroke}"/>'
            f'<text x="11" y="15" font-size="10" text-anchor="middle" fill="white">'
            f"{_e(text)}</text>"
        )
        w, h = 22, 22
    else:  # band
        inner = f'<rect x="1" y="3" width="38" height="16" rx="3" fill="{fill}" stroke="{stroke}"/>'
        w, h = 40, 22
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" '
        f'viewBox="0 0 {w} {h}" aria-hidden="true">{inner}</svg>'
    )


#: The SVG classes that show each legend symbol is drawn (node classes, or a cluster).
_PRESENT = {
    "external": r'class="node deliverable external',
    "checkpoint": r'class="node deliverable [^"]*\bcheckpoint\b',
    "route-dependent": r'class="node deliverable [^"]*\broute-dependent\b',
    "some-routes": r'class="node deliverable [^"]*\bsome-routes\b',
    "goal": r'class="node deliverable goal',
    "group": r'class="node deliverable group',
    "junction": r'class="node junction',
    "phase": r'class="cluster phase',
    "gap": r'class="node deliverable [^"]*\bgap\b',
    "cycle": r'class="[^"]*\bcycle\b',
    "orphan": r'class="node deliverable [^"]*\borphan\b',
    "optional": r'class="edge [^"]*\boptional\b',
    "out-of-scenario": r'class="[^"]*\bout-of-scenario\b',
}


def present_symbols(svg: str) -> list[str]:
    """The legend entries whose symbols the diagram ``svg`` draws, in legend order."""
    svg = svg.replace("&#45;", "-")  # Graphviz writes the hyphens of classes as references
    return [name for name, pattern in _PRESENT.items() if re.search(pattern, svg)]


def legend(lang: str = "en", present: list[str] | None = None) -> str:
    """What each shape, colour and line of the diagram means (the colours of style.py);
    only the entries in ``present`` (all when None)."""
    from prepmodel.render import style as d

    swatches = {
        "external": _swatch("box", d.PART_FILL, d.MUTED, 1.2),
        "checkpoint": _swatch("box", d.CHECKPOINT_FILL, d.CHECKPOINT_LINE, 2),
        "route-dependent": _swatch("box", "white", d.CHECKPOINT_LINE, 1.6, dash=True),
        "some-routes": _swatch("box", d.PART_FILL, d.MUTED, 1.2, dash=True),
        "goal": _swatch("box", d.GOAL_FILL, d.GOAL_LINE, 2, double=True),
        "group": _swatch("box", "white", d.INK, 1.4, dash=True),
        "junction": _swatch("dot", d.INK, d.INK, text="3"),
        "phase": _swatch("band", d.PHASE_FILLS[0], d.PHASE_LINE),
        "gap": _swatch("box", d.GAP_FILL, d.GAP, 2, dash=True),
        "cycle": _swatch("box", d.PART_FILL, d.GAP, 2.4),
        "orphan": _swatch("box", d.ORPHAN_FILL, d.ORPHAN, 2),
        "optional": _swatch("line", "none", d.MUTED, 1.5, dash=True),
        "out-of-scenario": _swatch("box", d.OUT_OF_SCENARIO_FILL, d.OUT_OF_SCENARIO, 1.2),
    }
    texts = LEGEND["ja" if lang == "ja" else "en"]
    names = list(swatches) if present is None else present
    return (
        '<ul class="legend">'
        + "".join(
            f'<li data-symbol="{name}">{swatches[name]}<span>{_e(texts[name])}</span></li>'
            for name in names
        )
        + "</ul>"
    )


def diagnostics_list(diagnostics: list[Diagnostic], lang: str = "en") -> str:
    w = words(lang)
    if not diagnostics:
        return f"<p>{_e(w['no_problems'])}</p>"
    items = []
    for found in diagnostics:
        d = found.localized(lang)
        hint = f"<br><small>{_e(w['hint'])}: {_e(d.hint)}</small>" if d.hint else ""
        items.append(
            f'<li class="{d.severity.value}"><code>{_e(d.file)}:{d.span.line}:'
            f"{d.span.column}</code> <b>{d.code}</b> {_e(d.severity.value)}: "
            f"{_e(d.message)}{hint}</li>"
        )
    return '<ul class="diagnostics">' + "".join(items) + "</ul>"


def _controls(j: Journey, lang: str, title: str | None = None) -> str:
    """The bar above the diagram: title, search, goal selector, zoom and presentation."""
    w = words(lang)
    title = title or j.model.title or PurePath(j.model.path).name  # not its folders
    ids = dot_ids(j.model)
    goals = "".join(f'<option value="{ids[k]}">{_e(j.name(k))}</option>' for k in j.model.goals)
    return (
        f'<header id="bar"><h1>{_e(title)}</h1>'
        f'<input id="search" type="search" autocomplete="off" placeholder="{_e(w["search"])}"'
        f' aria-label="{_e(w["search"])}"><span id="found" aria-live="polite"></span>'
        f'<label class="goal">{_e(w["goal_label"])} <select id="goal">'
        f'<option value="">{_e(w["all_goals"])}</option>{goals}</select></label>'
        f'<span class="buttons"><button id="zoom-out" type="button" title="{_e(w["zoom_out"])}"'
        f' aria-label="{_e(w["zoom_out"])}">−</button>'
        f'<button id="zoom-in" type="button" title="{_e(w["zoom_in"])}"'
        f' aria-label="{_e(w["zoom_in"])}">+</button>'
        f'<button id="fit" type="button" title="{_e(w["fit"])}">{_e(w["fit"])}</button>'
        f'<button id="present" type="button" title="{_e(w["present"])}">{_e(w["present"])}'
        f"</button></span></header>"
    )


def html_page(
    j: Journey,
    svg: bytes,
    diagnostics: list[Diagnostic],
    lang: str | None = None,
    title: str | None = None,
    table: Journey | None = None,
) -> bytes:
    """The page as UTF-8 bytes: the interactive viewer (diagram, controls, side panel,
    legend), then the checkpoint table and the diagnostics. ``lang`` defaults to the
    diagram's language; ``title`` to the model's (``--when`` names the scenario there);
    ``table``: the journey the checkpoint table lists (``--when``: the scenario's, with
    the whole model's numbers), default ``j``. The same inputs give the same bytes."""
    lang = lang or diagram_language(j)
    w = words(lang)
    title = title or j.model.title or PurePath(j.model.path).name  # not its folders
    picture = _inline_svg(svg)
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{_e(lang)}"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(title)}</title><style>{asset('viewer.css')}</style></head>",
        "<body>",
        '<div id="app">',
        _controls(j, lang, title),
        '<main id="stage"><div id="canvas">',
        picture,
        '</div><aside id="panel" hidden></aside><div id="caption" hidden></div>',
        f'<p id="help">{_e(w["help"])}</p></main>',
        f'<details id="legend" open><summary>{_e(w["legend"])}</summary>'
        f"{legend(lang, present_symbols(picture))}</details>",
        "</div>",
        f'<section id="tables"><h2>{_e(w["checkpoints"])}</h2>',
        checkpoint_table(table or j, lang),
        f"<h2>{_e(w['diagnostics'])}</h2>",
        diagnostics_list(diagnostics, lang),
        "</section>",
        json_script(viewer_data(j, lang)),
        f"<script>{asset('viewer.js')}</script>",
        "</body></html>",
        "",
    ]
    return "\n".join(parts).encode("utf-8")
