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

if TYPE_CHECKING:
    from collections.abc import Callable

    from prepmodel.analysis import Analysis
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
    timeout: float | None = None,
    progress: Callable[[float], None] | None = None,
) -> Rendered:
    """The diagram of ``analysis`` in ``fmt``. Raises EngineError / RasterError on failure.

    ``scale``: PNG pixels per SVG point. Same inputs, same bytes, for every format.
    ``timeout`` and ``progress`` go to :func:`~prepmodel.render.engine.layout` (None:
    its default timeout).
    """
    from prepmodel.render.dot import build_dot
    from prepmodel.render.engine import layout

    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}")
    source = build_dot(analysis.journey, options)
    if fmt == "dot":
        return Rendered(source.encode("utf-8"))
    limits = {"timeout": timeout} if timeout is not None else {}
    svg = layout(source, "svg", engine, progress=progress, **limits)  # type: ignore[arg-type]
    if fmt == "svg":
        return Rendered(svg)
    if fmt == "html":
        from prepmodel.render.html import html_page

        return Rendered(html_page(analysis.journey, svg, analysis.diagnostics))
    from prepmodel.render import raster

    chosen = raster.find_japanese_font(font, search_paths=font_search_paths())
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        data = (raster.svg_to_png(svg, chosen, scale) if fmt == "png"
                else raster.svg_to_pdf(svg, chosen))
    return Rendered(data, [str(w.message) for w in caught])


def font_search_paths() -> list[Path] | None:
    """The font files named by ``PREP_FONT_SEARCH_PATH``, or None when it is not set."""
    value = os.environ.get(FONT_SEARCH_ENV)
    if value is None:
        return None
    return [Path(p) for p in value.split(os.pathsep) if p]
