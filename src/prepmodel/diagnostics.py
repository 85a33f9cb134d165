"""Diagnostics are data: a frozen record per finding, plus the table of codes."""

from __future__ import annotations

import enum
from dataclasses import dataclass, replace
from typing import Any

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


_TABLE = [
    ("PS01", "syntax-error", Severity.ERROR, "syntax error"),
    (
        "PS02",
        "duplicate-statement",
        Severity.ERROR,
        "a duplicated `model` statement, or a key repeated in one block",
    ),
    ("GL01", "no-goal", Severity.ERROR, "the model has no goal"),
    ("GL02", "unproduced-goal", Severity.ERROR, "a goal that nothing produces"),
    ("GP01", "gap", Severity.ERROR, "a deliverable is needed but is neither produced nor external"),
    ("GP02", "unused-external", Severity.WARNING, "an external deliverable nothing uses"),
    ("CY01", "cycle", Severity.ERROR, "a deliverable needs itself"),
    ("RC01", "orphan", Severity.WARNING, "a produced or declared deliverable that no goal needs"),
    ("RT01", "duplicate-route", Severity.WARNING, "two routes of one output with the same inputs"),
    (
        "RT02",
        "external-produced",
        Severity.ERROR,
        "a deliverable declared external and also produced",
    ),
    ("NM01", "action-name", Severity.WARNING, "a deliverable named like an action (a verb phrase)"),
    ("NM02", "inconsistent-spelling", Severity.WARNING, "one deliverable spelled two ways"),
    ("PH01", "multiple-phases", Severity.ERROR, "a deliverable in more than one phase"),
    (
        "PH02",
        "backward-journey",
        Severity.WARNING,
        "the journey runs backwards: a deliverable needs one from a later phase",
    ),
    (
        "PH03",
        "unphased",
        Severity.INFO,
        "phases are declared but a produced deliverable is in none",
    ),
    (
        "GR01",
        "recursive-group",
        Severity.ERROR,
        "a group that contains itself, directly or through other groups",
    ),
    (
        "GR02",
        "group-conflict",
        Severity.ERROR,
        "a group defined twice, or a group that also has routes or is declared external",
    ),
    ("AT01", "unknown-attribute", Severity.WARNING, "an unknown attribute key"),
]

CODES: dict[str, CodeInfo] = {c: CodeInfo(c, n, s, d) for c, n, s, d in _TABLE}


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
