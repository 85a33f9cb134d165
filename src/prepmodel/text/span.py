"""Source positions shared by every layer (1-based lines, columns in Unicode characters)."""

from __future__ import annotations

from typing import NamedTuple


class Span(NamedTuple):
    """A region of a source file; ``end_column`` is exclusive, as in SARIF and LSP.

    A NamedTuple rather than a frozen dataclass: a big model has a few hundred thousand
    of them, and a tuple is three times cheaper to make. Ordered by position.

    ``file`` is "" in the file being read (the top-level file of a model) and the path of
    an imported file in what that file says (``prepmodel.checks.imports``), so every
    node, route and diagnostic of a multi-file model knows its file.
    """

    line: int
    column: int
    end_line: int
    end_column: int
    file: str = ""

    @classmethod
    def point(cls, line: int, column: int, width: int = 1) -> Span:
        """A span of ``width`` characters on one line."""
        return cls(line, column, line, column + width)

    def to_dict(self) -> dict[str, int]:
        return {
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
        }


FILE_START = Span(1, 1, 1, 1)
