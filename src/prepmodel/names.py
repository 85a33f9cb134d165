"""Writing names back as `.prep` text: bare where the lexer allows, quoted otherwise."""

from __future__ import annotations

import re

KEYWORDS = frozenset(
    {"model", "goal", "external", "deliverable", "group", "phase", "role", "import"}
)
_BARE = re.compile(r'[^\s#"{}()\[\],:;<>=|\-][^\s#"{}()\[\],:;<>=|]*\Z')


def is_bare(text: str) -> bool:
    """True when ``text`` can be written without quotes anywhere a name may stand."""
    return bool(_BARE.match(text)) and text not in KEYWORDS


def quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def render_name(text: str) -> str:
    """``text`` as it should be written in a `.prep` file."""
    return text if is_bare(text) else quote(text)
