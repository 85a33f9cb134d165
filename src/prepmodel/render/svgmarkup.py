"""Attributes Graphviz cannot write: ``data-name`` and ``data-src`` on deliverable nodes.

Contract §16: every deliverable node of the SVG carries its display name and its source
position ``file:line``. Graphviz has no ``data-*`` attributes, so they are added to its
output here, by matching the node groups it writes::

    <g id="node3" class="node deliverable produced checkpoint">
    <title>d5</title>

The title is the DOT id: ``d{i}`` is the box of the i-th deliverable of the model, and
``d{i}_c{n}`` a part copy of it drawn beside a step. Unknown titles are left alone. Only
attributes are inserted (escaped for XML), so the SVG stays well-formed and the same input
gives the same bytes.
"""

from __future__ import annotations

import re
from html import escape

from prepmodel.model.core import Model

#: A deliverable node's opening tag and the title that names it.
_NODE = re.compile(
    r'(<g id="[^"]*" class="node deliverable[^"]*")(>\s*<title>)(d(\d+)(?:_c\d+)?)(</title>)'
)
#: Characters XML 1.0 does not allow, even as references.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def dot_ids(model: Model) -> dict[str, str]:
    """Deliverable key -> its DOT id (``d{i}``, i its position in ``model.deliverables``)."""
    return {key: f"d{i}" for i, key in enumerate(model.deliverables)}


def attr(text: str) -> str:
    """``text`` as the value of an XML attribute (quotes, ``<``, ``&`` and controls)."""
    text = _NOT_XML.sub("\ufffd", text)
    return (
        escape(text, quote=True).replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;")
    )


def source_of(model: Model, key: str) -> str:
    """``file:line`` where the deliverable is first named: the model's file as it was
    named, or an imported file as diagnostics name it (its import path joined to the
    top-level file's folder)."""
    span = model.deliverables[key].span
    return f"{span.file or model.path}:{span.line}"


def annotate(svg: bytes, model: Model) -> bytes:
    """``svg`` with ``data-name`` and ``data-src`` on every deliverable node it draws."""
    keys = list(model.deliverables)
    text = svg.decode("utf-8")

    def add(match: re.Match[str]) -> str:
        index = int(match.group(4))
        if index >= len(keys):
            return match.group(0)
        key = keys[index]
        extra = (
            f' data-name="{attr(model.deliverables[key].name)}"'
            f' data-src="{attr(source_of(model, key))}"'
        )
        return match.group(1) + extra + match.group(2) + match.group(3) + match.group(5)

    return _NODE.sub(add, text).encode("utf-8")
