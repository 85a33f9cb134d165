"""`prep diff -o OUT`: the union diagram as .svg, .png, .pdf, .html or .dot, made the way
`prep render` makes its pictures: laid out by ``render/engine.py`` (the embedded
WebAssembly Graphviz by default), rasterised by ``render/raster.py`` with a Japanese font
found as for `render`, and the same inputs give the same bytes.

The HTML page is one self-contained file (no script, nothing from the network): the
diagram with its legend, then the changes and the journey impact as tables.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from prepmodel.render import Rendered, rasterise
from prepmodel.render.engine import DEFAULT_TIMEOUT
from prepmodel.review.diff import kind_of
from prepmodel.review.diff_dot import diff_dot, diff_language
from prepmodel.review.diff_legend import with_legend
from prepmodel.review.report import journey_lines
from prepmodel.review.union import union_view
from prepmodel.text.safe import printable

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from prepmodel.review.diff import ModelDiff

FORMATS = ("svg", "png", "pdf", "html", "dot")


def render_diff(
    d: ModelDiff,
    fmt: str,
    engine: str = "auto",
    font: Path | None = None,
    scale: float = 2.0,
    lang: str | None = None,
    timeout: float | None = DEFAULT_TIMEOUT,
    progress: Callable[[float], None] | None = None,
    labels: tuple[str, str] | None = None,
) -> Rendered:
    """The union diagram of ``d`` in ``fmt``. Raises EngineError / RasterError on failure.

    ``lang`` (``ja`` or ``en``) is the language of the diagram's own words (default: the
    new model's, as `prep render`); ``labels`` name OLD and NEW on the HTML page.
    """
    from prepmodel.render.engine import layout

    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}")
    lang = lang or diff_language(d)
    source = diff_dot(d, lang=lang)
    if fmt == "dot":
        return Rendered(source.encode("utf-8"))
    laid = layout(source, "svg", engine, timeout=timeout, progress=progress)  # type: ignore[arg-type]
    svg = with_legend(laid, union_view(d), lang)
    if fmt == "svg":
        return Rendered(svg)
    if fmt == "html":
        return Rendered(diff_page(d, svg, lang, labels))
    return rasterise(svg, fmt, font, scale)


_WORDS = {
    "en": {
        "title": "prep diff",
        "changes": "Changes",
        "change": "Change",
        "deliverable": "Deliverable",
        "details": "Details",
        "journey": "Journey impact",
        "goals": "Goals",
        "what": "What changed",
        "none": "No semantic differences.",
        "renamed": "renamed",
        "added": "added",
        "removed": "removed",
        "changed": "changed",
    },
    "ja": {
        "title": "prep diff",
        "changes": "変更",
        "change": "変更",
        "deliverable": "成果物",
        "details": "内容",
        "journey": "ジャーニーへの影響",
        "goals": "ゴール",
        "what": "変わったこと",
        "none": "意味上の違いはありません。",
        "renamed": "名前の変更",
        "added": "追加",
        "removed": "削除",
        "changed": "変更",
    },
}

_CSS = (
    "body{font-family:'Noto Sans CJK JP','Noto Sans JP','Hiragino Sans','Yu Gothic',Meiryo,"
    "sans-serif;color:#1f2933;margin:0;padding:16px 24px;font-size:15px}"
    "h1{font-size:20px;margin:0 0 4px}h2{font-size:18px;margin:24px 0 8px}"
    "p.sides{color:#52606d;margin:0 0 12px}figure{margin:0;overflow:auto;border:1px solid #d9e2ec}"
    "figure svg{display:block;max-width:100%;height:auto}"
    "table{border-collapse:collapse}td,th{border:1px solid #d9e2ec;padding:4px 8px;"
    "text-align:left;vertical-align:top}th{background:#f5f7fa}"
    "td.added{color:#2f855a}td.removed{color:#c53030}td.changed,td.renamed{color:#b7791f}"
)


def _e(text: str | None) -> str:
    return html.escape(printable(text or ""), quote=True)


def _inline(svg: bytes) -> str:
    text = svg.decode("utf-8")
    start = text.find("<svg")
    return text[start:] if start >= 0 else text


def diff_page(
    d: ModelDiff, svg: bytes, lang: str = "en", labels: tuple[str, str] | None = None
) -> bytes:
    """One offline page: the union diagram with its legend, the changes, the journey."""
    w = _WORDS["ja" if lang == "ja" else "en"]
    title = d.new.model.title or d.old.model.title or ""
    rows: list[tuple[str, str, str]] = []
    rows += [("renamed", f"{r.old_name} → {r.new_name}", "") for r in d.renamed]
    rows += [("added", d.new_name(k), kind_of(d.new, k)) for k in d.added]
    rows += [("removed", d.old_name(k), kind_of(d.old, k)) for k in d.removed]
    rows += [
        ("changed", c.name, "\n".join(f"{x.aspect}: {x.text}" for x in c.details))
        for c in d.changed
    ]
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{_e(lang)}"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(w['title'] + (': ' + title if title else ''))}</title>",
        f"<style>{_CSS}</style></head><body>",
        f"<h1>{_e(w['title'] + (': ' + title if title else ''))}</h1>",
    ]
    if labels:
        parts.append(
            f'<p class="sides"><code>{_e(labels[0])}</code> → <code>{_e(labels[1])}</code></p>'
        )
    parts.append(f'<figure id="diagram">{_inline(svg)}</figure>')
    parts.append(f"<h2>{_e(w['changes'])}</h2>")
    if rows:
        parts.append(
            f'<table class="changes"><tr><th>{_e(w["change"])}</th>'
            f"<th>{_e(w['deliverable'])}</th><th>{_e(w['details'])}</th></tr>"
        )
        for change, name, details in rows:
            cell = "<br>".join(_e(line) for line in details.split("\n"))
            parts.append(
                f'<tr><td class="{change}">{_e(w[change])}</td><td>{_e(name)}</td>'
                f"<td>{cell}</td></tr>"
            )
        parts.append("</table>")
    else:
        parts.append(f"<p>{_e(w['none'])}</p>")
    lines = journey_lines(d)
    if lines:
        parts.append(f"<h2>{_e(w['journey'])}</h2>")
        parts.append(
            f'<table class="journey"><tr><th>{_e(w["goals"])}</th><th>{_e(w["what"])}</th></tr>'
        )
        parts += [
            f"<tr><td>{_e(', '.join(goals))}</td><td>{_e(text)}</td></tr>" for goals, text in lines
        ]
        parts.append("</table>")
    parts += ["</body></html>", ""]
    return "\n".join(parts).encode("utf-8")
