"""Display width of text in a terminal or a fixed-width editor column."""

from __future__ import annotations

import functools

from wcwidth import wcswidth, wcwidth


@functools.lru_cache(maxsize=65536)
def width(text: str) -> int:
    """Display columns, as a terminal draws ``text`` (by ``wcwidth``): East Asian wide and
    full-width characters and emoji count 2; combining marks, zero-width spaces and
    joiners, and variation selectors count 0, so an emoji sequence takes 2 columns."""
    if text.isascii():
        return len(text)  # ASCII is one column a character (the common case)
    total = wcswidth(text)
    if total >= 0:
        return total
    # A control character (a tab; anything else is shown escaped by prepmodel.text.safe)
    # makes wcswidth give up: measure character by character, a control character as 1,
    # as the ASCII path does.
    return sum(1 if (columns := wcwidth(ch)) < 0 else columns for ch in text)
