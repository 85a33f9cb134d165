"""JSON for machines and for diffs: one object per line inside each top-level list.

``json.dumps(..., indent=2)`` runs the pure-Python encoder and took a quarter of
`prep checkpoints` on a 10,000-deliverable model; this layout uses the C encoder for each
item and still gives one line per step or diagnostic, which reads well in a code review.

:func:`chunks` writes the same text piece by piece from lazily made items, so a command
can send it out without holding the whole object and its text at once (issue #18: at
100,000 deliverables the object and its text were half a gigabyte).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from json.encoder import encode_basestring
from typing import Any

#: Items per piece :func:`chunks` yields: big enough that writing costs little per item.
BATCH = 512

#: A string as JSON text, exactly as the encoder writes it (``ensure_ascii=False``).
text = encode_basestring


def optional_text(value: str | None) -> str:
    """A string or None as JSON text."""
    return "null" if value is None else encode_basestring(value)


def texts(values: Iterable[str]) -> str:
    """A list of strings as JSON text."""
    return "[" + ", ".join(map(encode_basestring, values)) + "]"


@dataclass(frozen=True)
class Encoded:
    """A list whose items are already JSON text (one line each): a big table writes its
    rows with string operations instead of building a dict per row and encoding it, which
    was a third of `prep checkpoints --format json` beyond `prep check` (issue #18)."""

    items: Iterable[str]

    def decoded(self) -> list[Any]:
        return [json.loads(item) for item in self.items]


def dumps(obj: dict[str, Any]) -> str:
    """``obj`` as JSON text ending in a newline; same input, same bytes."""
    return "".join(chunks(obj.items()))


def chunks(pairs: Iterable[tuple[str, Any]]) -> Iterator[str]:
    """The text of :func:`dumps` for the object of ``pairs``, in pieces. A value that is
    a list, or an iterator (consumed once, lazily), is written one item per line."""
    first = True
    for key, value in pairs:
        head = ("{\n  " if first else ",\n  ") + json.dumps(key, ensure_ascii=False) + ": "
        first = False
        if isinstance(value, Encoded):
            yield from _list(head, iter(value.items), encoded=True)
        elif isinstance(value, list | Iterator):
            yield from _list(head, iter(value))
        else:
            yield head + json.dumps(value, ensure_ascii=False)
    yield "{\n\n}\n" if first else "\n}\n"


def _list(head: str, items: Iterator[Any], encoded: bool = False) -> Iterator[str]:
    encode = json.JSONEncoder(ensure_ascii=False).encode
    start = head + "[\n"
    batch: list[str] = []
    for item in items:
        batch.append("    " + (item if encoded else encode(item)))
        if len(batch) == BATCH:
            yield start + ",\n".join(batch)
            start = ",\n"
            batch = []
    if batch:
        yield start + ",\n".join(batch)
    elif start != ",\n":  # no item at all
        yield head + "[]"
        return
    yield "\n  ]"
