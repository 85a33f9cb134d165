"""Rendering: DOT text -> Graphviz layout (embedded wasm or system dot) -> SVG, PNG, PDF,
HTML. ``render`` is the one entry point the CLI uses.

``PREP_FONT_SEARCH_PATH`` (environment): when set, the Japanese font for PNG/PDF is looked
for only in these files (separated by ``os.pathsep``) instead of the well-known paths and
fontconfig; set it to an empty string to simulate a machine without Japanese fonts.
``--font FILE`` still wins over it.
"""

from __future__ import annotations

import os
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from prepmodel.render.engine import DEFAULT_TIMEOUT

if TYPE_CHECKING:
    from collections.abc import Callable

    from prepmodel.checks.analysis import Analysis
    from prepmodel.journey.core import Journey
    from prepmodel.render.dot import DiagramOptions

FORMATS = ("svg", "png", "pdf", "dot", "html")
FONT_SEARCH_ENV = "PREP_FONT_SEARCH_PATH"


@dataclass
class Rendered:
    data: bytes
    warnings: list[str] = field(default_factory=list)


def render(
    analysis: Analysis,
    fmt: str,
    options: DiagramOptions | None = None,
    engine: str = "auto",
    font: Path | None = None,
    scale: float = 2.0,
    lang: str | None = None,
    timeout: float | None = DEFAULT_TIMEOUT,
    progress: Callable[[float], None] | None = None,
) -> Rendered:
    """The diagram of ``analysis`` in ``fmt``. Raises EngineError / RasterError on failure.

    ``scale``: PNG pixels per SVG point. ``lang`` (``ja`` or ``en``): the language of the
    diagram's own words, instead of the model's ``lang`` (or the language of its names).
    ``timeout`` (seconds for each Graphviz layout; None: no limit) and ``progress`` go to
    :func:`~prepmodel.render.engine.layout`. Same inputs, same bytes, for every format.
    """
    from prepmodel.render.dot import Drawing
    from prepmodel.render.engine import layout
    from prepmodel.render.svgmarkup import annotate

    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}")
    journey = analysis.journey if lang is None else journey_in(analysis, lang)
    drawing = Drawing(journey, options)
    if fmt == "dot":
        panels = drawing.panels()
        if drawing.copies:
            # the panels the picture shows: an over-wide band is cut only after a layout
            from prepmodel.render.compose import lay_out_panels

            laid = lay_out_panels(drawing, engine, timeout, progress)  # type: ignore[arg-type]
            panels = [p.panel for p in laid]
        return Rendered("".join(drawing.dot(p) for p in panels).encode("utf-8"))
    if drawing.copies:
        from prepmodel.render.compose import compose_svg

        svg = compose_svg(drawing, engine, timeout, progress)  # type: ignore[arg-type]
    else:
        from prepmodel.render.worklabels import settle_work_labels

        (panel,) = drawing.panels()
        svg = layout(
            drawing.dot(panel),
            "svg",
            engine,  # type: ignore[arg-type]
            timeout=timeout,
            progress=progress,
        )
        svg = settle_work_labels(svg.decode("utf-8"), drawing.direction).encode()
    svg = annotate(svg, journey.model)
    if fmt == "svg":
        return Rendered(svg)
    if fmt == "html":
        from prepmodel.render.html import html_page

        when = drawing.options.when
        title = drawing.title if drawing.scenario else None
        table = journey.in_scenario(when) if when else None
        return Rendered(html_page(journey, svg, analysis.diagnostics, title=title, table=table))
    return rasterise(svg, fmt, font, scale)


def rasterise(svg: bytes, fmt: str, font: Path | None, scale: float) -> Rendered:
    """``svg`` as PNG (``scale`` pixels a point) or PDF, with a Japanese font found as
    ``prep render`` finds it; the renderer's warnings come back with the bytes."""
    from prepmodel.render import raster

    chosen = raster.find_japanese_font(font, search_paths=font_search_paths())
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        data = (
            raster.svg_to_png(svg, chosen, scale)
            if fmt == "png"
            else raster.svg_to_pdf(svg, chosen)
        )
    return Rendered(data, [str(w.message) for w in caught])


def journey_in(analysis: Analysis, lang: str) -> Journey:
    """The journey of the model as if it said ``lang: <lang>`` (the words of the diagram
    follow the model's ``lang``); nothing else about the model changes."""
    from prepmodel.journey.core import Journey

    model = analysis.model
    if tuple(model.attrs.get("lang", ())) == (lang,):
        return analysis.journey
    relabelled = model.model_copy(update={"attrs": {**model.attrs, "lang": (lang,)}})
    return Journey.of(relabelled)


def render_pages(
    analysis: Analysis,
    fmt: str,
    options: DiagramOptions | None = None,
    kind: str = "phase",
    engine: str = "auto",
    font: Path | None = None,
    lang: str | None = None,
    timeout: float | None = DEFAULT_TIMEOUT,
    progress: Callable[[float], None] | None = None,
) -> tuple[list[bytes], list[str]]:
    """A deck of 16:9 pages (``pages.deck``) as files and warnings: one PDF with a page
    each, one HTML page that shows them in turn, or one PNG or SVG file per page."""
    from prepmodel.render.dot import Drawing
    from prepmodel.render.pages import deck

    if fmt not in ("pdf", "html", "png", "svg"):
        raise ValueError(f"pages cannot be written as {fmt!r}")
    journey = analysis.journey if lang is None else journey_in(analysis, lang)
    pages = deck(
        Drawing(journey, options),
        kind,  # type: ignore[arg-type]
        engine,  # type: ignore[arg-type]
        timeout,
        progress,
    )
    if fmt == "svg":
        return [p.svg.encode("utf-8") for p in pages], []
    if fmt == "html":
        from prepmodel.render.deck_html import deck_page

        return [deck_page(journey, pages)], []
    from prepmodel.render import raster

    chosen = raster.find_japanese_font(font, search_paths=font_search_paths())
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        if fmt == "png":
            files = [raster.svg_to_png(p.svg.encode("utf-8"), chosen, 1.0) for p in pages]
        else:
            files = [
                raster.join_pdfs([raster.svg_to_pdf(p.svg.encode("utf-8"), chosen) for p in pages])
            ]
    return files, sorted({str(w.message) for w in caught})


def font_search_paths() -> list[Path] | None:
    """The font files named by ``PREP_FONT_SEARCH_PATH``, or None when it is not set."""
    value = os.environ.get(FONT_SEARCH_ENV)
    if value is None:
        return None
    return [Path(p) for p in value.split(os.pathsep) if p]
