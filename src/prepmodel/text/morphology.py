"""The shared SudachiPy tokenizer (small dictionary, split mode C).

Both the naming lint (:mod:`prepmodel.checks.naming`) and label wrapping
(:mod:`prepmodel.render.wrap`) analyse Japanese with it. SudachiPy and its dictionary are
imported on the first call only, so importing this module, or ``prep`` starting up, stays
cheap.
"""

from __future__ import annotations

import functools
from typing import Any

__all__ = ["sudachi_tokenizer"]


@functools.cache
def sudachi_tokenizer() -> Any:
    """The SudachiPy tokenizer (split mode C, small dictionary), created once on first use.

    It reads the part of speech and dictionary form of each morpheme besides its surface.
    """
    from sudachipy import Dictionary, SplitMode

    dictionary = Dictionary(dict="small")
    make = getattr(dictionary, "tokenizer", None) or dictionary.create
    return make(mode=SplitMode.C, fields={"pos", "dictionary_form"})
