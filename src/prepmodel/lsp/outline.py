"""Document symbols (goals, phases, steps with their routes, externals, roles), workspace
symbols, folding ranges and semantic tokens."""

from __future__ import annotations

from collections.abc import Sequence

from lsprotocol import types as lsp

from prepmodel.lsp.documents import Document
from prepmodel.lsp.index import Occurrence
from prepmodel.model.core import Route, identity
from prepmodel.review.match import kind_of
from prepmodel.text.span import Span

# Standard token types, so every theme colours them; docs/lsp.md gives the mapping.
TOKEN_TYPES = [
    "variable",  # a produced deliverable (or one not produced yet)
    "enumMember",  # an external deliverable
    "class",  # a goal
    "struct",  # a group
    "type",  # a role
    "namespace",  # a phase
    "event",  # a KPI
    "label",  # a scenario
    "keyword",
    "property",  # an attribute key
    "comment",
    "string",  # the model title, an import path
]
TOKEN_MODIFIERS = ["declaration", "definition"]
LEGEND = lsp.SemanticTokensLegend(token_types=TOKEN_TYPES, token_modifiers=TOKEN_MODIFIERS)
_TYPE = {name: number for number, name in enumerate(TOKEN_TYPES)}
_PLAIN = {
    "role": "type",
    "phase": "namespace",
    "kpi": "event",
    "scenario": "label",
    "keyword": "keyword",
    "key": "property",
    "text": "string",
}


def _symbol(
    document: Document,
    name: str,
    kind: lsp.SymbolKind,
    span: Span,
    selection: Span,
    detail: str | None = None,
    children: list[lsp.DocumentSymbol] | None = None,
) -> lsp.DocumentSymbol:
    whole = document.lines.span_range(span)
    chosen = document.lines.span_range(selection)
    if not (span.line <= selection.line and selection.end_line <= span.end_line):
        whole = chosen
    return lsp.DocumentSymbol(
        name=name or "(empty)",
        kind=kind,
        range=whole,
        selection_range=chosen,
        detail=detail,
        children=children,
    )


def _route_symbol(document: Document, route_id: str, route: Route) -> lsp.DocumentSymbol:
    model = document.analysis.model
    inputs = ", ".join(model.name(k) for k in route.inputs)
    return _symbol(
        document,
        f"{route_id} ← {inputs}",
        lsp.SymbolKind.Function,
        route.span,
        route.output_span,
        route.work,
    )


def document_symbols(document: Document) -> list[lsp.DocumentSymbol]:
    """The outline: goals, then the steps (under their phases when there are phases),
    then externals and roles."""
    analysis = document.analysis
    model = analysis.model
    journey = analysis.journey
    index = document.index
    out: list[lsp.DocumentSymbol] = []
    # In a multi-file model, the outline is this file's: what imported files say is
    # theirs (spans with a file).
    for key in model.goals:
        first = index.of("deliverable", key)
        spot = next((o.span for o in first if o.usage == "goal"), model.deliverables[key].span)
        if spot.file:
            continue
        out.append(_symbol(document, model.name(key), lsp.SymbolKind.Class, spot, spot, "goal"))
    step_symbols: dict[str, lsp.DocumentSymbol] = {}
    for step in journey.steps:
        own = [(rid, r) for rid, r in step.route_ids() if not r.span.file]
        routes = [_route_symbol(document, rid, r) for rid, r in own]
        if own:
            span = Span(
                own[0][1].span.line,
                own[0][1].span.column,
                own[-1][1].span.end_line,
                own[-1][1].span.end_column,
            )
            selection = own[0][1].output_span
        elif step.routes:
            continue  # made only in imported files
        else:
            group = model.groups[step.key]
            span, selection = group.span, group.span
            if span.file:
                continue
        step_symbols[step.key] = _symbol(
            document,
            f"{step.number}. {model.name(step.key)}",
            lsp.SymbolKind.Struct if step.group_members is not None else lsp.SymbolKind.Object,
            span,
            selection,
            f"{len(step.routes)} routes" if len(step.routes) > 1 else None,
            routes or None,
        )
    placed: set[str] = set()
    for phase in model.phases:
        if phase.span.file:
            continue
        children = [
            step_symbols[k]
            for k in journey.graph.step_order(
                [k for k in phase.members if k in step_symbols and k not in placed]
            )
        ]
        placed.update(k for k in phase.members if k in step_symbols)
        out.append(
            _symbol(
                document,
                phase.name,
                lsp.SymbolKind.Namespace,
                phase.span,
                phase.span,
                f"phase {phase.index + 1}",
                children or None,
            )
        )
    out.extend(symbol for key, symbol in step_symbols.items() if key not in placed)
    for key in model.externals:
        span = model.deliverables[key].span
        if span.file:
            continue
        out.append(
            _symbol(document, model.name(key), lsp.SymbolKind.Constant, span, span, "external")
        )
    for role in model.roles.values():
        if role.span.file:
            continue
        out.append(
            _symbol(document, role.name, lsp.SymbolKind.Interface, role.span, role.span, "role")
        )
    return out


def workspace_symbols(documents: list[Document], query: str) -> list[lsp.WorkspaceSymbol]:
    """Deliverables, roles and phases of every document whose name holds the query
    (compared by identity, regardless of width and case)."""
    wanted = identity(query).casefold()
    kinds = {
        "deliverable": lsp.SymbolKind.Object,
        "role": lsp.SymbolKind.Interface,
        "phase": lsp.SymbolKind.Namespace,
    }
    out: list[lsp.WorkspaceSymbol] = []
    for document in documents:
        for kind, symbol_kind in kinds.items():
            for occurrence in document.index.names(kind).values():  # type: ignore[arg-type]
                definitions = document.index.definitions(occurrence) or [occurrence]
                if wanted and wanted not in occurrence.key.casefold():
                    continue
                out.append(
                    lsp.WorkspaceSymbol(
                        name=occurrence.text,
                        kind=symbol_kind,
                        location=lsp.Location(
                            uri=document.uri,
                            range=document.lines.span_range(definitions[0].span),
                        ),
                        container_name=kind,
                    )
                )
    return out


def folding_ranges(document: Document) -> list[lsp.FoldingRange]:
    """Statements over several lines (long lists, blocks) and runs of comment lines."""
    out: list[lsp.FoldingRange] = []
    for statement in document.analysis.source.statements:
        if statement.span.end_line > statement.span.line:
            out.append(
                lsp.FoldingRange(
                    start_line=statement.span.line - 1, end_line=statement.span.end_line - 1
                )
            )
    run: list[int] = []
    for comment in document.analysis.source.comments:
        code_before = document.lines.line(comment.line - 1)[: comment.column - 1].strip()
        if not code_before and run and comment.line == run[-1] + 1:
            run.append(comment.line)
            continue
        if len(run) > 1:
            out.append(_comment_fold(run))
        run = [comment.line] if not code_before else []
    if len(run) > 1:
        out.append(_comment_fold(run))
    return sorted(out, key=lambda r: (r.start_line, r.end_line))


def _comment_fold(run: list[int]) -> lsp.FoldingRange:
    return lsp.FoldingRange(
        start_line=run[0] - 1, end_line=run[-1] - 1, kind=lsp.FoldingRangeKind.Comment
    )


_DELIVERABLE_TOKEN = {
    "goal": "class",
    "external": "enumMember",
    "group": "struct",
    "produced": "variable",
    "declared": "variable",
}


def _deliverable_type(document: Document, occurrence: Occurrence) -> str:
    if occurrence.key not in document.analysis.model.deliverables:
        return "variable"
    return _DELIVERABLE_TOKEN[kind_of(document.analysis, occurrence.key)]


def semantic_tokens(document: Document) -> lsp.SemanticTokens:
    """Every name, keyword, attribute key and comment, in the client's units."""
    lines = document.lines
    raw: list[tuple[int, int, int, int, int]] = []  # line, start, end (characters), type, mods
    for occurrence in document.index.occurrences:
        span = occurrence.span
        if span.end_line != span.line:
            continue
        if occurrence.kind == "deliverable":
            token_name = _deliverable_type(document, occurrence)
        else:
            token_name = _PLAIN[occurrence.kind]
        modifiers = 0
        if occurrence.usage in ("output", "group", "external", "goal", "declared"):
            modifiers |= 2  # definition
        if occurrence.usage == "declaration":
            modifiers |= 1
        raw.append(
            (span.line - 1, span.column - 1, span.end_column - 1, _TYPE[token_name], modifiers)
        )
    for comment in document.analysis.source.comments:
        start = comment.column - 1
        raw.append((comment.line - 1, start, start + len(comment.text), _TYPE["comment"], 0))
    raw.sort()
    data: list[int] = []
    previous_line = previous_start = 0
    last_end: tuple[int, int] = (-1, -1)
    for line, start, end, token, modifiers in raw:
        if (line, start) < last_end:
            continue  # never overlap (cannot happen with a well-formed tree)
        client_start = lines.to_client(line, start)
        length = lines.to_client(line, end) - client_start
        if length <= 0:
            continue
        delta_line = line - previous_line
        delta_start = client_start - previous_start if delta_line == 0 else client_start
        data.extend((delta_line, delta_start, length, token, modifiers))
        previous_line, previous_start = line, client_start
        last_end = (line, end)
    return lsp.SemanticTokens(data=data)


def flatten(uri: str, symbols: list[lsp.DocumentSymbol]) -> list[lsp.SymbolInformation]:
    """The outline as a flat list, for clients without hierarchical symbols."""
    out: list[lsp.SymbolInformation] = []

    def walk(items: Sequence[lsp.DocumentSymbol], container: str | None) -> None:
        for symbol in items:
            out.append(
                lsp.SymbolInformation(
                    name=symbol.name,
                    kind=symbol.kind,
                    location=lsp.Location(uri=uri, range=symbol.selection_range),
                    container_name=container,
                )
            )
            walk(symbol.children or [], symbol.name)

    walk(symbols, None)
    return out
