"""Writing names back as `.prep` text: bare where the lexer allows, quoted otherwise."""

from __future__ import annotations

import re

# The one place these are spelled out; the lexer and the syntax-error messages build on
# them (grammar/prep.lark says the same for Lark, and a test checks that they agree).
KEYWORDS = frozenset(
    {"model", "goal", "external", "deliverable", "group", "phase", "role", "import"}
)
#: Characters no name may hold (C0 controls but tab, DEL, C1): a name is printed in
#: terminals, CI logs and XML, where they act instead of showing (docs/security.md).
CONTROL = r"\x00-\x08\x0a-\x1f\x7f-\x9f"
#: A bare name: no white space, no reserved punctuation, not starting with '-'.
BARE_NAME = r'[^\s#"{}()\[\],:;<>=|\-' + CONTROL + r'][^\s#"{}()\[\],:;<>=|' + CONTROL + "]*"
#: A quoted name: on one line, with backslash escapes.
QUOTED_NAME = r'"(?:[^"\\' + CONTROL + r"]|\\[^" + CONTROL + '])*"'

_BARE = re.compile(BARE_NAME + r"\Z")


def is_bare(text: str) -> bool:
    """True when ``text`` can be written without quotes anywhere a name may stand."""
    return bool(_BARE.match(text)) and text not in KEYWORDS


def quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def render_name(text: str) -> str:
    """``text`` as it should be written in a `.prep` file."""
    return text if is_bare(text) else quote(text)
