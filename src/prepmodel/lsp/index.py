"""Where every name of a file is: the occurrences that navigation, rename, highlighting,
semantic tokens and completion read.

Built from the syntax tree of one file. Each occurrence carries the identity of what it
names (NFKC, white space collapsed: :func:`prepmodel.model.core.identity`), so
``ＫＰＩ設計`` and ``KPI設計`` are one deliverable here as they are for the checker. A
document's own index holds its own statements; its ``model_index`` those of every file
its imports bring in too (contract §8).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property
from typing import Literal

from prepmodel.model.core import identity
from prepmodel.syntax import tree as syn
from prepmodel.text.span import Span

Kind = Literal["deliverable", "role", "phase", "kpi", "scenario", "key", "keyword", "text"]
#: What an occurrence does: ``output`` of a route, a ``goal``/``external``/``declared``/
#: ``group`` statement, an ``input``/``member`` use, a ``phase`` member, a declaration.
Usage = Literal[
    "output",
    "goal",
    "external",
    "declared",
    "group",
    "input",
    "member",
    "phase-member",
    "declaration",
    "use",
    "key",
    "keyword",
    "text",
    "import",
]

ROLE_KEYS = frozenset({"by", "owner", "consulted", "informed"})
SCENARIO_KEYS = frozenset({"when"})
KPI_KEYS = frozenset({"kpi"})
DEFINING: frozenset[str] = frozenset({"output", "group", "external", "goal"})


@dataclass(frozen=True, slots=True)
class Occurrence:
    kind: Kind
    key: str
    text: str
    span: Span
    usage: Usage
    quoted: bool = False
    statement: int = -1  # index of the statement in the file

    def contains(self, line: int, column: int) -> bool:
        """Whether 1-based (line, column) is on this occurrence, its end included (the
        cursor right after a name is still on it)."""
        span = self.span
        return span.line == line and span.column <= column <= span.end_column


class FileIndex:
    """The occurrences of one parsed file, in file order; with ``whole``, of the whole
    multi-file model the file is the top of (imported files' occurrences carry their file
    in ``span.file``: for go-to-definition, references and rename across files)."""

    def __init__(self, source: syn.SourceFile, *, whole: bool = False) -> None:
        self.source = source
        self.occurrences: list[Occurrence] = []
        statements = source.statements
        if not whole and source.imports:
            statements = tuple(st for st in statements if not st.span.file)
        for number, statement in enumerate(statements):
            self._statement(number, statement)
        self.occurrences.sort(key=lambda o: (o.span.file, o.span.line, o.span.column))

    def _add(self, kind: Kind, name: syn.Name, usage: Usage, number: int) -> None:
        key = identity(name.text) if kind not in ("key", "keyword", "text") else name.text
        self.occurrences.append(
            Occurrence(kind, key, name.text, name.span, usage, name.quoted, number)
        )

    def _keyword(self, statement: syn.Statement, number: int) -> None:
        span = statement.span
        word = statement.kind if not isinstance(statement, syn.DeclStmt) else statement.keyword
        keyword_span = Span(span.line, span.column, span.line, span.column + len(word), span.file)
        self.occurrences.append(Occurrence("keyword", word, word, keyword_span, "keyword"))

    def _statement(self, number: int, statement: syn.Statement) -> None:
        match statement:
            case syn.ModelStmt(title=title):
                self._keyword(statement, number)
                if title is not None:
                    self._add("text", title, "text", number)
            case syn.DeclStmt(keyword=keyword, names=names):
                self._keyword(statement, number)
                for name in names:
                    if keyword == "role":
                        self._add("role", name, "declaration", number)
                    elif keyword == "kpi":
                        self._add("kpi", name, "declaration", number)
                    else:
                        usage: Usage = "declared" if keyword == "deliverable" else keyword
                        self._add("deliverable", name, usage, number)
            case syn.AssemblyStmt(output=output, inputs=inputs):
                self._add("deliverable", output, "output", number)
                for name in inputs:
                    self._add("deliverable", name, "input", number)
            case syn.GroupStmt(name=name, members=members):
                self._keyword(statement, number)
                self._add("deliverable", name, "group", number)
                for member in members:
                    self._add("deliverable", member, "member", number)
            case syn.PhaseStmt(name=name, members=members):
                self._keyword(statement, number)
                self._add("phase", name, "declaration", number)
                for member in members:
                    self._add("deliverable", member, "phase-member", number)
            case syn.ImportStmt(path=path):
                self._keyword(statement, number)
                self._add("text", path, "import", number)
        if statement.block is not None:
            for attr in statement.block.attrs:
                self._add("key", attr.key, "key", number)
                key = attr.key.text
                kind: Kind = (
                    "role"
                    if key in ROLE_KEYS
                    else "scenario"
                    if key in SCENARIO_KEYS
                    else "kpi"
                    if key in KPI_KEYS
                    else "text"
                )
                for value in attr.values:
                    self._add(kind, value, "use" if kind != "text" else "text", number)

    # --- lookups ---------------------------------------------------------------------------
    def at(self, line: int, column: int) -> Occurrence | None:
        """The name under 1-based (line, column); a name beats a keyword or key."""
        found = [o for o in self._on_line.get(line, ()) if o.contains(line, column)]
        if not found:
            return None
        # Right after one name and right before the next ("A,B"): the one the cursor is in.
        inside = [o for o in found if o.span.column <= column < o.span.end_column]
        return (inside or found)[0]

    @cached_property
    def _on_line(self) -> dict[int, list[Occurrence]]:
        by_line: dict[int, list[Occurrence]] = defaultdict(list)
        for occurrence in self.occurrences:
            by_line[occurrence.span.line].append(occurrence)
        return by_line

    @cached_property
    def _by_identity(self) -> dict[tuple[str, str], list[Occurrence]]:
        found: dict[tuple[str, str], list[Occurrence]] = defaultdict(list)
        for occurrence in self.occurrences:
            if occurrence.kind not in ("key", "keyword", "text"):
                found[occurrence.kind, occurrence.key].append(occurrence)
        return found

    def same(self, occurrence: Occurrence) -> list[Occurrence]:
        """Every occurrence of what ``occurrence`` names, in file order."""
        return list(self._by_identity.get((occurrence.kind, occurrence.key), ()))

    def of(self, kind: Kind, key: str) -> list[Occurrence]:
        return list(self._by_identity.get((kind, key), ()))

    def definitions(self, occurrence: Occurrence) -> list[Occurrence]:
        """Where ``occurrence``'s deliverable is made: its routes' outputs and its group
        statement; else its ``external``/``goal`` statement; else any declaration. For a
        role or a phase: its declaration. Empty when nothing defines it (a gap)."""
        same = self.same(occurrence)
        if occurrence.kind != "deliverable":
            return [o for o in same if o.usage == "declaration"]
        for usages in (("output", "group"), ("external",), ("goal", "declared")):
            found = [o for o in same if o.usage in usages]
            if found:
                return found
        return []

    def names(self, kind: Kind) -> dict[str, Occurrence]:
        """Identity -> first occurrence, for every name of ``kind``, in file order."""
        first: dict[str, Occurrence] = {}
        for (found_kind, key), occurrences in self._by_identity.items():
            if found_kind == kind:
                first.setdefault(key, occurrences[0])
        return dict(sorted(first.items(), key=lambda item: item[1].span))
