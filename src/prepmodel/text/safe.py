"""Text from a model made safe for the place it is shown: terminals, CSV, markdown.

A model may come from anyone (a colleague, a customer, a pull request), so its names can
hold anything the file format lets through. These helpers are the one place that decides
how such text is neutralised for each human-readable output (docs/security.md).
"""

from __future__ import annotations

import re

# C0 controls except tab, line feed and the CR of a CRLF, DEL, C1 controls, and the
# bidirectional overrides/isolates that reorder what a terminal or a review page shows.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]|\r(?!\n)")


def _escaped(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str) -> str:
    """``text`` with every control character written as an escape (ESC -> ``\\x1b``), so
    nothing from a model can move the cursor, set a title or start a CI log command."""
    return _CONTROL.sub(_escaped, text)


def has_control(text: str) -> bool:
    """True when ``text`` holds a character :func:`printable` would escape."""
    return _CONTROL.search(text) is not None


# OWASP "CSV injection": a spreadsheet runs a cell that starts with one of these.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def csv_cell(value: object) -> object:
    """A CSV cell a spreadsheet shows as text: a string that would start a formula gets a
    leading ``'`` (numbers stay numbers)."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


# Markdown's inline markup (code, emphasis, links, tables, headings, strikethrough) and
# HTML; ``<``, ``>`` and ``&`` become entities, the rest a backslash escape.
_MD_SPECIAL = re.compile(r"[\\`*_\[\]|#~<>&]")
_MENTION = re.compile(r"(?<![\w@])@(?=[\w-])")


def markdown_cell(text: str | None) -> str:
    """Text from a model inside Markdown (a table cell, a heading, a list item): the one
    escaper of every Markdown output. Markup characters escaped, HTML impossible (``<``,
    ``>`` and ``&`` as entities), ``@mentions`` defused, one line."""
    if not text:
        return ""

    def one(match: re.Match[str]) -> str:
        ch = match.group()
        return {"<": "&lt;", ">": "&gt;", "&": "&amp;"}.get(ch, "\\" + ch)

    out = _MD_SPECIAL.sub(one, text)
    out = _MENTION.sub("@\u200b", out)
    return printable(out.replace("\r\n", " ").replace("\n", " ").replace("\r", " "))
