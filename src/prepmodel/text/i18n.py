"""Words for people in their language: English in the code, translations in gettext catalogues.

A finding is made long before anyone knows who will read it (the model's ``lang`` is read
after parsing; the command line decides last). So a message is a :class:`Message`: a ``str``
holding the English text — what tests, sorting, JSON and SARIF see — that also remembers
its English template and arguments, so that the printer can say it again in the reader's
language with :func:`localize`. Arguments that are messages themselves are translated too;
names from the model are never translated.

- ``msg("cycle: {names}", names=...)`` — a lazily translated message (diagnostics, diff
  details);
- ``N_("...")`` — marks a constant for extraction; translate it where it is shown;
- ``_ = translator(lang)`` then ``_("Step")`` — words translated on the spot (headings).

The catalogues are ``locale/<lang>/LC_MESSAGES/prepmodel.po`` beside this module, compiled
to ``.mo`` (committed and shipped in the wheel); the standard library's :mod:`gettext`
reads them, nothing is fetched at run time. ``python -m prepmodel.cli.catalog check``
finds every msgid in the source and fails naming any that has no Japanese (docs/i18n.md).

Which language: :func:`resolve_language` — ``--lang``, then the model's ``lang``, then the
locale (``LC_ALL``, ``LC_MESSAGES``, ``LANG``; ``C``/``POSIX`` say nothing), then Japanese
when the model's names are Japanese, else English. ``prep render --lang`` and every other
``--lang`` use it.
"""

from __future__ import annotations

import functools
import gettext
import os
import re
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

__all__ = [
    "DOMAIN",
    "LANGUAGES",
    "LOCALE_DIR",
    "N_",
    "Message",
    "listing",
    "locale_language",
    "localize",
    "looks_japanese",
    "msg",
    "resolve_language",
    "translator",
]

LANGUAGES = ("en", "ja")
DOMAIN = "prepmodel"
LOCALE_DIR = Path(__file__).with_name("locale")


class Message(str):
    """English text that can be said again in another language (see the module's doc)."""

    __slots__ = ("args", "template")
    template: str
    args: Mapping[str, object]

    def __new__(cls, template: str, args: Mapping[str, object] | None = None) -> Message:
        args = dict(args or {})
        english = template.format_map(args) if args else template
        self = super().__new__(cls, english)
        self.template = template
        self.args = args
        return self

    def in_language(self, lang: str) -> str:
        """The text in ``lang`` (the English text when there is no translation)."""
        if lang == "en":
            return str(self)
        template = translator(lang)(self.template)
        if not self.args:
            return template
        args = {key: localize(value, lang) for key, value in self.args.items()}
        try:
            return template.format_map(args)
        except (KeyError, IndexError, ValueError):  # a broken translation: say it in English
            return self.template.format_map(args)

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.template, dict(self.args)))


class _Joined(Message):
    """Items joined by the language's list separator (", " in English, "、" in Japanese)."""

    __slots__ = ("items",)
    items: tuple[str, ...]

    def __new__(cls, items: Iterable[str]) -> _Joined:
        parts = tuple(items)
        self = str.__new__(cls, ", ".join(parts))
        self.template, self.args, self.items = ", ", {}, parts
        return self

    def in_language(self, lang: str) -> str:
        separator = translator(lang)(", ") if lang != "en" else ", "
        return separator.join(localize(item, lang) for item in self.items)

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.items,))


def msg(template: str, /, **args: object) -> Message:
    """A message in English now, in the reader's language when it is printed.

    ``template`` is a :meth:`str.format` template with named fields; it is the msgid, so it
    must be a string literal at the call site (the catalogue check reads the source).
    """
    return Message(template, args)


def N_(text: str) -> Message:
    """Mark a constant for the catalogue; it is translated where it is shown."""
    return Message(text)


def listing(items: Iterable[str]) -> str:
    """``a, b or c`` (``a、b、または c`` in Japanese); one item alone as it is."""
    parts = list(items)
    if len(parts) <= 1:
        return parts[0] if parts else ""
    return msg("{items} or {last}", items=_Joined(parts[:-1]), last=parts[-1])


def localize(value: object, lang: str) -> str:
    """``value`` in ``lang`` when it is a :class:`Message`; other values as ``str``."""
    if isinstance(value, Message):
        return value.in_language(lang)
    return value if isinstance(value, str) else str(value)


@functools.cache
def _translations(lang: str) -> gettext.NullTranslations:
    return gettext.translation(DOMAIN, LOCALE_DIR, languages=[lang], fallback=True)


def translator(lang: str) -> Callable[[str], str]:
    """The ``gettext`` function of ``lang`` (the identity for English)."""
    if lang == "en":
        return str
    return _translations(lang).gettext


# ---------------------------------------------------------------------------------------
# Which language


def _language_code(value: str) -> str:
    """``ja`` for any Japanese tag (``ja``, ``ja_JP.UTF-8``, ``ja-JP``), else ``en``."""
    return "ja" if value.strip().lower().replace("-", "_").startswith("ja") else "en"


def locale_language(environ: Mapping[str, str] | None = None) -> str | None:
    """The language the locale asks for, or ``None`` when it says nothing.

    As POSIX has it, the first of ``LC_ALL``, ``LC_MESSAGES`` and ``LANG`` that is set
    decides; ``C`` and ``POSIX`` (a container's default) name no language.
    """
    env = os.environ if environ is None else environ
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(variable, "")
        if value:
            tag = value.split(".")[0].split("@")[0]
            if tag.upper() in ("C", "POSIX"):
                return None
            return _language_code(tag)
    return None


_JAPANESE = re.compile("[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f]")


def looks_japanese(texts: Iterable[str]) -> bool:
    """Whether any of ``texts`` holds kana or kanji."""
    return any(_JAPANESE.search(text) for text in texts)


def resolve_language(
    explicit: str | None,
    declared: str | None = None,
    *,
    names: Callable[[], Iterable[str]] | None = None,
    environ: Mapping[str, str] | None = None,
) -> str:
    """``en`` or ``ja``: ``--lang``, else the model's ``lang``, else the locale, else
    Japanese when the model's ``names`` are (read only when it comes to that), else English.
    """
    if explicit:
        return _language_code(explicit)
    if declared:
        return _language_code(declared)
    from_locale = locale_language(environ)
    if from_locale is not None:
        return from_locale
    if names is not None and looks_japanese(names()):
        return "ja"
    return "en"
