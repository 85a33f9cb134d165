"""`prep check`'s diagnostics as LSP diagnostics: same code, message and hint."""

from __future__ import annotations

from lsprotocol import types as lsp

from prepmodel.diagnostics import Diagnostic, Severity
from prepmodel.lsp.positions import LineIndex
from prepmodel.text.i18n import translator

SEVERITY = {
    Severity.ERROR: lsp.DiagnosticSeverity.Error,
    Severity.WARNING: lsp.DiagnosticSeverity.Warning,
    Severity.INFO: lsp.DiagnosticSeverity.Information,
}
#: Codes about something nothing uses: editors grey these out.
UNNECESSARY = frozenset({"GP02", "RC01"})
SOURCE = "prep"


def to_lsp(diagnostic: Diagnostic, lines: LineIndex, lang: str = "en") -> lsp.Diagnostic:
    """One diagnostic in the client's positions, its message and hint in ``lang`` (the
    language `prep check` speaks about the file). The hint follows the message on its own
    line, as `prep check` prints it; ``data`` keeps the hint as made (English), which the
    code actions read whatever language the user sees."""
    shown = diagnostic.localized(lang)
    message = shown.message
    if shown.hint:
        _ = translator(lang)
        message += f"\n{_('hint')}: {shown.hint}"
    return lsp.Diagnostic(
        range=lines.span_range(diagnostic.span),
        message=message,
        severity=SEVERITY[diagnostic.severity],
        code=diagnostic.code,
        source=SOURCE,
        tags=[lsp.DiagnosticTag.Unnecessary] if diagnostic.code in UNNECESSARY else None,
        data={"code": diagnostic.code, "hint": diagnostic.hint, "message": diagnostic.message},
    )


def by_file(diagnostics: list[Diagnostic]) -> dict[str, list[Diagnostic]]:
    """Diagnostics grouped by the file they name (an imported file's go to that file)."""
    grouped: dict[str, list[Diagnostic]] = {}
    for diagnostic in diagnostics:
        grouped.setdefault(diagnostic.file, []).append(diagnostic)
    return grouped
