"""Keep the message catalogues in step with the source (a maintainer's tool; needs Babel).

::

    python -m prepmodel.cli.catalog check     # exit 1 naming every msgid without Japanese
    python -m prepmodel.cli.catalog update    # add new msgids to the .po files, drop old ones
    python -m prepmodel.cli.catalog compile   # .po -> .mo (commit both)

The msgids are every string literal given to ``msg(...)``, ``N_(...)`` or ``_(...)`` in
``src/prepmodel`` (read with :mod:`ast`, so a template must be a literal, never an
f-string), plus each code's summary and each rule's description from the rule registry.
``check`` also fails when a translation drops or renames a ``{field}`` of its template, and
when a ``.mo`` is not the compilation of its ``.po``. Workflow: docs/i18n.md.
"""

from __future__ import annotations

import ast
import datetime
import string
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from prepmodel.text.i18n import DOMAIN, LANGUAGES, LOCALE_DIR

if TYPE_CHECKING:
    from babel.messages.catalog import Catalog

PACKAGE = Path(__file__).resolve().parents[1]
MARKERS = {"msg": True, "N_": True, "_": False}  # name -> its argument must be a literal
TRANSLATED = tuple(lang for lang in LANGUAGES if lang != "en")


@dataclass
class Extracted:
    """The msgids found, where each is used, and calls whose msgid is not a literal."""

    places: dict[str, set[str]] = field(default_factory=dict)
    not_literal: list[str] = field(default_factory=list)

    def add(self, msgid: str, place: str) -> None:
        self.places.setdefault(msgid, set()).add(place)


def extract_source(root: Path = PACKAGE, extracted: Extracted | None = None) -> Extracted:
    """Every msgid marked in the Python files under ``root``."""
    found = extracted or Extracted()
    for path in sorted(root.rglob("*.py")):
        place = path.relative_to(root.parent).as_posix()
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
                continue
            literal_only = MARKERS.get(node.func.id)
            if literal_only is None or not node.args:
                continue
            first = node.args[0]
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                found.add(first.value, place)
            elif literal_only:
                found.not_literal.append(f"{place}:{node.lineno}: {node.func.id}(...)")
    return found


def extract_registry(extracted: Extracted) -> Extracted:
    """Each code's summary and each rule's description (the text `prep rules` shows)."""
    from prepmodel.checks.rules import CODES, RULES

    for code, info in CODES.items():
        extracted.add(info.summary, f"summary of {code}")
    for code, rule in RULES.items():
        extracted.add(rule.description, f"description of {code}")
    return extracted


def extract_all(root: Path = PACKAGE) -> Extracted:
    return extract_registry(extract_source(root))


def po_path(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def read_catalog(lang: str) -> Catalog:
    from babel.messages.pofile import read_po

    with po_path(lang).open("rb") as f:
        return read_po(f, locale=lang, domain=DOMAIN)


def _fields(template: str) -> set[str] | None:
    """The named fields of a format template; None when it is not one (no fields, or
    braces that are literal because the message is never formatted)."""
    try:
        names = {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}
    except ValueError:
        return None
    return {name.split(".")[0].split("[")[0] for name in names} or None


def _mo_catalog(path: Path) -> dict[str, str]:
    import gettext

    with path.open("rb") as f:
        translations = gettext.GNUTranslations(f)
    table: dict[str, str] = translations._catalog  # type: ignore[attr-defined]
    return {k: v for k, v in table.items() if k}


def problems(extracted: Extracted | None = None, langs: Iterable[str] = TRANSLATED) -> list[str]:
    """Everything that keeps a catalogue from being complete and current, one line each."""
    found = extracted or extract_all()
    out = [f"msgid is not a string literal: {where}" for where in found.not_literal]
    for lang in langs:
        if not po_path(lang).exists():
            out.append(f"{lang}: no catalogue at {po_path(lang)}")
            continue
        catalog = read_catalog(lang)
        for msgid in sorted(found.places):
            message = catalog.get(msgid)
            where = ", ".join(sorted(found.places[msgid]))
            if message is None or not message.string:
                out.append(f"{lang}: missing translation for {msgid!r} ({where})")
                continue
            if message.fuzzy:
                out.append(f"{lang}: fuzzy translation for {msgid!r} ({where})")
            wanted = _fields(msgid)
            if wanted is not None and _fields(str(message.string)) != wanted:
                out.append(
                    f"{lang}: the translation of {msgid!r} must use the fields "
                    f"{sorted(wanted)}: {message.string!r}"
                )
        mo = po_path(lang).with_suffix(".mo")
        expected = {str(m.id): str(m.string) for m in catalog if m.id and m.string and not m.fuzzy}
        if not mo.exists() or _mo_catalog(mo) != expected:
            out.append(f"{lang}: {mo.name} is not compiled from {po_path(lang).name}: run compile")
    return out


_FIXED_DATE = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)


def update(extracted: Extracted | None = None, langs: Iterable[str] = TRANSLATED) -> list[str]:
    """Add new msgids (untranslated) to each ``.po`` and drop those the source no longer
    uses; returns what changed."""
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import write_po

    found = extracted or extract_all()
    changes: list[str] = []
    for lang in langs:
        old = read_catalog(lang) if po_path(lang).exists() else None
        new = Catalog(
            locale=lang,
            domain=DOMAIN,
            project="prepmodel",
            fuzzy=False,
            creation_date=_FIXED_DATE,  # no dates that change on every run
            revision_date=_FIXED_DATE,
        )
        for msgid in sorted(found.places):
            before = old.get(msgid) if old is not None else None
            string_ = str(before.string) if before is not None and before.string else ""
            if before is None:
                changes.append(f"{lang}: new {msgid!r}")
            new.add(
                msgid,
                string_,
                locations=[(place, 0) for place in sorted(found.places[msgid])],
                flags=before.flags if before is not None else (),
            )
        if old is not None:
            changes += [f"{lang}: dropped {m.id!r}" for m in old if m.id and m.id not in new]
        po_path(lang).parent.mkdir(parents=True, exist_ok=True)
        with po_path(lang).open("wb") as f:
            write_po(f, new, width=100, omit_header=False, sort_output=True, include_lineno=False)
    return changes


def compile_catalogs(langs: Iterable[str] = TRANSLATED) -> list[Path]:
    """Write each ``.mo`` from its ``.po``."""
    from babel.messages.mofile import write_mo

    written = []
    for lang in langs:
        mo = po_path(lang).with_suffix(".mo")
        with mo.open("wb") as f:
            write_mo(f, read_catalog(lang), use_fuzzy=False)
        written.append(mo)
    return written


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    command = args[0] if args else "check"
    if command == "check":
        found = problems()
        for line in found:
            print(line)
        print(f"{len(found)} problem(s) in the message catalogues" if found else "catalogues ok")
        return 1 if found else 0
    if command == "update":
        for line in update():
            print(line)
        return 0
    if command == "compile":
        for path in compile_catalogs():
            print(f"wrote {path}")
        return 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main())
