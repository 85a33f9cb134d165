"""The language a model speaks to its readers: one answer for messages, tables and diagrams."""

from __future__ import annotations

from collections.abc import Mapping

from prepmodel.model.core import Model
from prepmodel.text.i18n import resolve_language


def model_language(
    model: Model, explicit: str | None = None, environ: Mapping[str, str] | None = None
) -> str:
    """``en`` or ``ja`` for ``model``: ``--lang``, its ``lang``, the locale, its names
    (:func:`prepmodel.text.i18n.resolve_language`)."""
    declared = next(iter(model.attrs.get("lang", ())), None)
    return resolve_language(
        explicit,
        declared,
        names=lambda: [model.title or "", *(d.name for d in model.deliverables.values())],
        environ=environ,
    )
