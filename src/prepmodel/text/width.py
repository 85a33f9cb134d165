"""Display width of text in a terminal or a fixed-width editor column."""

from __future__ import annotations

import functools
import unicodedata


@functools.lru_cache(maxsize=65536)
def width(text: str) -> int:
    """Display columns: East Asian wide and full-width characters count 2, combining 0."""
    if text.isascii():
        return len(text)  # printable ASCII is one column a character (the common case)
    total = 0
    for ch in text:
        if unicodedata.combining(ch):
            continue
        total += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return total
