"""Writing names back as `.prep` text: bare where the lexer allows, quoted otherwise."""

from __future__ import annotations

import re

# The one place these are spelled out; the lexer and the syntax-error messages build on
# them (grammar/prep.lark says the same for Lark, and a test checks that they agree).
KEYWORDS = frozenset(
    {"model", "goal", "external", "deliverable", "group", "phase", "role", "import", "kpi"}
)
#: Keywords that never need quotes: `kpi` (v2) is a keyword only where a statement
#: starts and is not followed by `<-` (prepmodel.syntax.lexer), so `kpi <- x`, `A <- kpi`
#: and `{ kpi: x }` all read it as a name.
NEVER_QUOTED = frozenset({"kpi"})
#: Characters no name may hold (C0 controls but tab, DEL, C1): a name is printed in
#: terminals, CI logs and XML, where they act instead of showing (docs/security.md).
CONTROL = r"\x00-\x08\x0a-\x1f\x7f-\x9f"
#: A bare name: no white space, no reserved punctuation, not starting with '-'.
BARE_NAME = r'[^\s#"{}()\[\],:;<>=|\-' + CONTROL + r'][^\s#"{}()\[\],:;<>=|' + CONTROL + "]*"
#: A quoted name: on one line, with backslash escapes.
QUOTED_NAME = r'"(?:[^"\\' + CONTROL + r"]|\\[^" + CONTROL + '])*"'

#: What a Japanese input method types for ASCII punctuation: ideographic and full-width
#: commas, a full-width colon and semicolon.  A bare name (or attribute key) holding one is
#: almost always two names run together ("帳簿、決算書"), so the lexer stops at it (PS01);
#: attribute values may hold them (`note: 帳簿、決算書を確認`), and a quoted name may too.
IME_PUNCTUATION = {"、": ",", "，": ",", "：": ":", "；": ";", "＝": "="}
IME_SLIP = re.compile("[" + "".join(IME_PUNCTUATION) + "]")
#: Attribute keys whose values are names (roles, KPIs, scenarios), not free text: their
#: bare values are held to the same rule as names.
NAME_VALUED_KEYS = frozenset({"by", "owner", "kpi", "consulted", "informed", "when"})

_BARE = re.compile(BARE_NAME + r"\Z")


def is_bare(text: str, *, value: bool = False) -> bool:
    """True when ``text`` can be written without quotes where a name stands (``value``:
    where an attribute value stands, which may hold full-width punctuation)."""
    if not _BARE.match(text) or (text in KEYWORDS and text not in NEVER_QUOTED):
        return False
    return value or not IME_SLIP.search(text)


def quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def render_name(text: str, *, value: bool = False) -> str:
    """``text`` as it should be written in a `.prep` file (``value``: as an attribute value)."""
    return text if is_bare(text, value=value) else quote(text)
