"""Diagnostics are data: a frozen record per finding, plus the table of codes."""

from __future__ import annotations

import enum
from dataclasses import dataclass, replace
from typing import Any

from prepmodel.text.i18n import localize
from prepmodel.text.span import Span


class Severity(enum.StrEnum):
    """How bad a finding is; ``off`` only appears in configuration."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"error": 0, "warning": 1, "info": 2}[self.value]


@dataclass(frozen=True, slots=True)
class CodeInfo:
    """One diagnostic code: its rule name, default severity and a one-line summary."""

    code: str
    name: str
    severity: Severity
    summary: str


CODES: dict[str, CodeInfo] = {}
"""Every declared code. A code is declared once, beside the code that finds it: the rules
with ``prepmodel.checks.rules.base.rule``, the parser's PS01 in ``prepmodel.syntax.errors``.
Import ``prepmodel.checks.rules`` to have them all."""


def declare(code: str, name: str, severity: Severity, summary: str) -> CodeInfo:
    """Register a diagnostic code; declaring one code twice differently is a bug."""
    info = CodeInfo(code, name, severity, summary)
    known = CODES.setdefault(code, info)
    if known != info:
        raise ValueError(f"diagnostic code {code} declared twice: {known} and {info}")
    return info


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One finding at one place of one file."""

    code: str
    severity: Severity
    span: Span
    message: str
    hint: str | None = None
    file: str = "<stdin>"

    @classmethod
    def make(cls, code: str, span: Span, message: str, hint: str | None = None) -> Diagnostic:
        """A diagnostic with the code's default severity; the file is set later."""
        return cls(code, CODES[code].severity, span, message, hint)

    def with_file(self, file: str) -> Diagnostic:
        return replace(self, file=file)

    def with_severity(self, severity: Severity) -> Diagnostic:
        return replace(self, severity=severity)

    def localized(self, lang: str) -> Diagnostic:
        """The same finding with its message and hint in ``lang`` (``en``: as made)."""
        if lang == "en":
            return self
        hint = None if self.hint is None else localize(self.hint, lang)
        return replace(self, message=localize(self.message, lang), hint=hint)

    @property
    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.file, self.span.line, self.span.column, self.code, self.message)

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "severity": self.severity.value,
            "file": self.file,
            "line": self.span.line,
            "column": self.span.column,
            "end_line": self.span.end_line,
            "end_column": self.span.end_column,
            "message": self.message,
            "hint": self.hint,
        }


def summary(diagnostics: list[Diagnostic]) -> dict[str, int]:
    """Counts per severity, with the contract's key names."""
    counts = {"errors": 0, "warnings": 0, "infos": 0}
    for d in diagnostics:
        counts[d.severity.value + "s"] += 1
    return counts
