"""Positions between the parser's spans and the client's encoding.

The parser counts columns in Unicode characters (code points, 1-based); an LSP client
counts in UTF-16 code units by default, or in UTF-8 bytes when it offers that at
``initialize`` and the server picks it. `𠮷` is one character, two UTF-16 units and four
UTF-8 bytes, so the conversion needs the text of the line.
"""

from __future__ import annotations

from collections.abc import Sequence

from lsprotocol import types as lsp

from prepmodel.text.span import Span

UTF8 = "utf-8"
UTF16 = "utf-16"
UTF32 = "utf-32"


def _units(char: str, encoding: str) -> int:
    code = ord(char)
    if encoding == UTF16:
        return 2 if code > 0xFFFF else 1
    if encoding == UTF8:
        return 1 if code < 0x80 else 2 if code < 0x800 else 3 if code < 0x10000 else 4
    return 1


def split_lines(text: str) -> list[str]:
    """The document's lines without their ends (``\\r\\n``, ``\\n``; a lone ``\\r`` is kept
    as part of the line, as the parser does)."""
    return [line.removesuffix("\r") for line in text.split("\n")]


class LineIndex:
    """Converts between character columns and client units for one document text."""

    def __init__(self, lines: Sequence[str], encoding: str = UTF16) -> None:
        self.lines = lines
        self.encoding = encoding

    @classmethod
    def of(cls, text: str, encoding: str = UTF16) -> LineIndex:
        return cls(split_lines(text), encoding)

    def line(self, number: int) -> str:
        """Line ``number`` (0-based), or '' past the end."""
        return self.lines[number] if 0 <= number < len(self.lines) else ""

    def to_client(self, line: int, char: int) -> int:
        """Client units before character ``char`` (0-based) of line ``line`` (0-based)."""
        text = self.line(line)
        if self.encoding == UTF32 or text.isascii():
            return min(char, len(text)) if char >= 0 else 0
        prefix = text[: max(char, 0)]
        # Encoding in C is far faster than counting in Python on long Japanese lines.
        if self.encoding == UTF16:
            return len(prefix.encode("utf-16-le", "surrogatepass")) // 2
        return len(prefix.encode("utf-8", "surrogatepass"))

    def from_client(self, position: lsp.Position) -> tuple[int, int]:
        """(line, character) of a client position, 0-based; a position past the end of a
        line (or inside a surrogate pair or a UTF-8 sequence) goes to the next character
        boundary at or after it, clamped to the line."""
        line = min(max(position.line, 0), max(len(self.lines) - 1, 0))
        text = self.line(line)
        wanted = max(position.character, 0)
        if self.encoding == UTF32 or text.isascii():
            return line, min(wanted, len(text))
        units = 0
        for index, char in enumerate(text):
            if units >= wanted:
                return line, index
            units += _units(char, self.encoding)
        return line, len(text)

    def position(self, line: int, char: int) -> lsp.Position:
        """The client position of a 0-based (line, character)."""
        return lsp.Position(line=line, character=self.to_client(line, char))

    def span_range(self, span: Span) -> lsp.Range:
        """The client range of a parser span (1-based, end column exclusive)."""
        return lsp.Range(
            start=self.position(span.line - 1, span.column - 1),
            end=self.position(span.end_line - 1, span.end_column - 1),
        )

    def end(self) -> lsp.Position:
        """The position after the last character of the document."""
        last = len(self.lines) - 1
        return self.position(last, len(self.line(last)))

    def offset(self, line: int, char: int) -> int:
        """The offset in the text (``\\n`` line ends) of a 0-based (line, character)."""
        return sum(len(text) + 1 for text in self.lines[:line]) + char
