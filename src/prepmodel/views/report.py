"""Diagnostics printed for people (text) and machines (json, sarif, github)."""

from __future__ import annotations

from typing import Any

from prepmodel.checks.rules import CODES
from prepmodel.diagnostics import Diagnostic, summary
from prepmodel.text.i18n import translator
from prepmodel.text.safe import printable
from prepmodel.text.width import width as display_width

_SARIF_LEVEL = {"error": "error", "warning": "warning", "info": "note"}
_GITHUB_LEVEL = {"error": "error", "warning": "warning", "info": "notice"}
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def caret_line(source_line: str, column: int, width: int) -> str:
    """Spaces (tabs kept) up to ``column``, then carets under ``width`` characters."""
    prefix = source_line[: column - 1]
    # Measured a tab-free run at a time, not a character at a time: an emoji sequence
    # (joiners, variation selectors) is two columns in all, not two for each emoji.
    pad = "\t".join(" " * display_width(part) for part in prefix.split("\t"))
    marked = source_line[column - 1 : column - 1 + max(width, 1)]
    return pad + "^" * max(1, display_width(marked))


MAX_SHOWN = 160


def clip_line(line: str, column: int, width: int) -> tuple[str, int]:
    """A window of a very long source line around ``column``, and the column in it."""
    if len(line) <= MAX_SHOWN:
        return line, column
    start = max(0, column - 1 - 60)
    end = min(len(line), column - 1 + min(width, 60) + 60)
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(line) else ""
    return prefix + line[start:end] + suffix, column - start + len(prefix)


def format_text(
    d: Diagnostic, source_line: str | None, color: bool = False, lang: str = "en"
) -> str:
    """``path:line:col: CODE severity: message``, the line, a caret, and the hint, the
    message and hint in ``lang`` (the code, severity and place stay as they are: editors
    and CI read them)."""
    d = d.localized(lang)
    sev = d.severity.value
    file, message = printable(d.file), printable(d.message)
    head = f"{file}:{d.span.line}:{d.span.column}: {d.code} {sev}: {message}"
    if color:
        from click import style

        tint = {"error": "red", "warning": "yellow", "info": "cyan"}[sev]
        place = style(f"{file}:{d.span.line}:{d.span.column}:", bold=True)
        head = f"{place} {style(f'{d.code} {sev}:', fg=tint, bold=True)} {message}"
    lines = [head]
    if source_line is not None and source_line.strip():
        width = d.span.end_column - d.span.column if d.span.end_line == d.span.line else 1
        shown, column = clip_line(source_line, d.span.column, width)
        width = min(width, len(shown) - column + 1)
        # Control characters are shown escaped; the caret follows the escaped text.
        before = printable(shown[: column - 1])
        marked = printable(shown[column - 1 : column - 1 + max(width, 1)])
        safe = before + marked + printable(shown[column - 1 + max(width, 1) :])
        lines.append(f"  {safe}")
        lines.append("  " + caret_line(safe, len(before) + 1, len(marked)))
    if d.hint:
        _ = translator(lang)
        lines.append(f"  {_('hint')}: {printable(d.hint)}")
    return "\n".join(lines)


def format_json(diagnostics: list[Diagnostic], lang: str = "en") -> str:
    """The contract's ``prep check --format json`` object; messages in ``lang``."""
    from prepmodel.views.jsonout import dumps

    return dumps(
        {
            "diagnostics": [d.localized(lang).to_dict() for d in diagnostics],
            "summary": summary(diagnostics),
        }
    )


def format_github(d: Diagnostic, lang: str = "en") -> str:
    """A GitHub Actions workflow command that annotates the line in a pull request."""
    d = d.localized(lang)

    def prop(v: str) -> str:
        v = printable(v)
        return (
            v.replace("%", "%25")
            .replace("\r", "%0D")
            .replace("\n", "%0A")
            .replace(":", "%3A")
            .replace(",", "%2C")
        )

    def data(v: str) -> str:
        v = printable(v.replace("\r\n", "\n"))
        return v.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")

    s = d.span
    _ = translator(lang)
    text = (
        _("{message} (hint: {hint})").format(message=d.message, hint=d.hint)
        if d.hint
        else d.message
    )
    return (
        f"::{_GITHUB_LEVEL[d.severity.value]} file={prop(d.file)},line={s.line},"
        f"col={s.column},endLine={s.end_line},endColumn={s.end_column},"
        f"title={prop(d.code)}::{data(text)}"
    )


def sarif_log(
    diagnostics: list[Diagnostic], version: str, lang: str = "en", artifacts: bool = False
) -> dict[str, Any]:
    """A SARIF 2.1.0 log: one run, every rule described, one result per diagnostic; the
    summaries, descriptions and messages in ``lang`` (each rule's full help stays English).

    With ``artifacts`` (the models import files) the run lists each file once in
    ``artifacts`` and each result's location names its file by URI and index."""
    from prepmodel.checks.rules import RULES

    _ = translator(lang)

    codes = list(RULES)
    rules = []
    for code in codes:
        rule = RULES[code]
        info = CODES[code]
        rules.append(
            {
                "id": code,
                "name": info.name,
                "shortDescription": {"text": _(info.summary)},
                "fullDescription": {"text": _(rule.description)},
                "defaultConfiguration": {"level": _SARIF_LEVEL[info.severity.value]},
                "help": {"text": rule.doc},
            }
        )
    results = []
    files: dict[str, int] = {}
    for found in diagnostics:
        d = found.localized(lang)
        uri = d.file.replace("\\", "/")
        location: dict[str, Any] = {"uri": uri}
        if artifacts:
            location["index"] = files.setdefault(uri, len(files))
        text = d.message + (f"\n{_('hint')}: {d.hint}" if d.hint else "")
        results.append(
            {
                "ruleId": d.code,
                "ruleIndex": codes.index(d.code),
                "level": _SARIF_LEVEL[d.severity.value],
                "message": {"text": text},
                "locations": [
                    {
                        "physicalLocation": {
                            "artifactLocation": location,
                            "region": {
                                "startLine": d.span.line,
                                "startColumn": d.span.column,
                                "endLine": d.span.end_line,
                                "endColumn": max(d.span.end_column, d.span.column + 1)
                                if d.span.end_line == d.span.line
                                else d.span.end_column,
                            },
                        }
                    }
                ],
            }
        )
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "prep",
                "informationUri": "https://pypi.org/project/prepmodel/",
                "version": version,
                "rules": rules,
            }
        },
        "columnKind": "unicodeCodePoints",
    }
    if artifacts:
        run["artifacts"] = [{"location": {"uri": uri}} for uri in files]
    run["results"] = results
    return {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}
