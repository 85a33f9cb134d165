"""Parse, build, check: the pipeline every command starts with, run once per file."""

from __future__ import annotations

import gc
import re
from dataclasses import dataclass, replace
from functools import cached_property
from typing import Any

from prepmodel.checks.cascade import drop_explained
from prepmodel.checks.config import Config
from prepmodel.checks.imports import Reader, resolve
from prepmodel.checks.rules import RuleContext, run_rules
from prepmodel.checks.rules.base import NamingOptions
from prepmodel.diagnostics import Diagnostic, Severity
from prepmodel.journey.core import Journey, JourneyState
from prepmodel.model.core import Model, ModelBuilder, build
from prepmodel.model.graph import ModelGraph
from prepmodel.syntax.parser import decode, parse, stream
from prepmodel.syntax.tree import ImportStmt, SourceFile, Statement

_IGNORE = re.compile(r"#\s*prep:\s*ignore(?:\[([A-Za-z0-9_,\s]*)\])?")


@dataclass
class Analysis:
    """One file, parsed and modelled, with its diagnostics after ignores and config."""

    source: SourceFile
    model: Model
    diagnostics: list[Diagnostic]
    graph: ModelGraph

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity is Severity.ERROR]

    @property
    def syntax_ok(self) -> bool:
        return self.source.ok

    def release_syntax(self) -> None:
        """Drop the syntax tree (statements) of this file and of its imports, keeping their
        text for diagnostics: a command that needs only the model frees a third of the
        memory of a big model this way (issue #18)."""
        src = self.source
        self.source = replace(
            src,
            statements=(),
            imports=tuple(replace(f, statements=()) for f in src.imports),
        )

    @cached_property
    def journey(self) -> Journey:
        return Journey.of(self.model, self.graph)


def ignored_codes(source: SourceFile) -> dict[int, set[str] | None]:
    """Line -> codes suppressed there by ``# prep: ignore[...]`` (None: all codes)."""
    out: dict[int, set[str] | None] = {}
    for c in source.comments:
        m = _IGNORE.search(c.text)
        if not m:
            continue
        if m.group(1) is None:
            out[c.line] = None
        else:
            codes = {x.strip().upper() for x in m.group(1).split(",") if x.strip()}
            prev = out.get(c.line, set())
            out[c.line] = None if prev is None else prev | codes
    return out


def analyse_text(
    text: str,
    path: str = "<stdin>",
    config: Config | None = None,
    *,
    rules: bool = True,
    reader: Reader | None = None,
    imports: bool = True,
    parsed: SourceFile | None = None,
) -> Analysis:
    """Run the whole check pipeline on source text (``rules=False``: syntax errors only,
    for commands such as `prep diff` that need the model but not the findings).

    Imports are read with ``reader`` (default: the disk, relative to ``path``); each
    finding names the file it is in (``Diagnostic.file``), and ``# prep: ignore`` applies
    in the file it is written in. ``imports=False``: the file on its own, imports not
    followed (`prep fmt`).

    The garbage collector is left as the caller set it (the `prep` command switches it
    off for its whole run; a library call must not change process-wide state).

    ``parsed``: ``parse(text, path)`` when the caller has it already (the language server
    re-parses only the statements an edit touched, :mod:`prepmodel.syntax.incremental`)."""
    source = parsed if parsed is not None else parse(text, path)
    if imports:
        source = resolve(source, reader)
    model = build(source)
    ctx = RuleContext(source, model, naming=config.naming if config else NamingOptions())
    return _findings(ctx, path, config, run_rules(ctx) if rules else None)


def with_rules(a: Analysis, path: str, config: Config | None = None) -> Analysis:
    """``a``, analysed with ``rules=False``, with the rules' findings too: the same
    analysis as ``analyse_text(..., rules=True)``, on the model and graph ``a`` has. ``a``
    must still have its syntax tree."""
    ctx = _context(a, config)
    return _findings(ctx, path, config, run_rules(ctx))


@dataclass
class Staged:
    """The rules of an analysis run in two stages (`prep checkpoints`, issue #18): the
    findings of those that read the syntax tree, made before the tree is freed
    (:func:`stage_rules`), then the others' (:func:`finish_rules`), which a forked process
    can make while this one makes the tables."""

    ctx: RuleContext
    path: str
    config: Config | None
    found: list[Diagnostic]


def stage_rules(a: Analysis, path: str, config: Config | None = None) -> Staged:
    """The first stage of :func:`with_rules` on ``a`` (analysed with ``rules=False``, still
    with its syntax tree): the rules that read the tree. Then the tree is freed
    (:meth:`Analysis.release_syntax`): a big model's tables and the other rules need only
    the model, and a forked process need not share the tree's pages."""
    ctx = _context(a, config)
    found = run_rules(ctx, syntax=True)
    a.release_syntax()
    ctx.source = a.source  # the context held the tree too
    return Staged(ctx, path, config, found)


def finish_rules(staged: Staged) -> Analysis:
    """The second stage: the same analysis as :func:`with_rules`, from the first stage's
    findings and those of the rules that need only the model and the source's text."""
    ctx = staged.ctx
    return _findings(ctx, staged.path, staged.config, staged.found + run_rules(ctx, syntax=False))


def _context(a: Analysis, config: Config | None) -> RuleContext:
    """The rules' context on the model, graph and journey ``a`` has."""
    ctx = RuleContext(a.source, a.model, naming=config.naming if config else NamingOptions())
    ctx.__dict__["graph"] = a.graph
    if "journey" in a.__dict__:
        ctx.__dict__["journey"] = a.journey
    return ctx


def _findings(
    ctx: RuleContext, path: str, config: Config | None, found: list[Diagnostic] | None
) -> Analysis:
    """The analysis of ``ctx``: the rules' ``found`` findings (None: the syntax errors
    alone), without those ignored in the file or turned off in ``config``, in report
    order."""
    source, model = ctx.source, ctx.model
    found = list(source.diagnostics) if found is None else drop_explained(ctx, found)
    ignores = {"": ignored_codes(source)}
    for imported in source.imports:
        ignores[imported.path] = ignored_codes(imported)
    kept: list[Diagnostic] = []
    for d in found:
        file = d.span.file
        codes = ignores.get(file, {}).get(d.span.line, set())
        if codes is None or d.code in codes:
            continue
        kept.append(d.with_file(file or path))
    if config is not None:
        kept = config.apply(kept)
    kept.sort(key=lambda d: d.sort_key)
    analysis = Analysis(source, model, kept, ctx.graph)
    if "journey" in ctx.__dict__:  # a rule made it (RS03): the commands use it as it is
        analysis.__dict__["journey"] = ctx.journey
    return analysis


def analyse_bytes(
    data: bytes,
    path: str,
    config: Config | None = None,
    *,
    rules: bool = True,
    reader: Reader | None = None,
    imports: bool = True,
) -> Analysis:
    """Like :func:`analyse_text`, for raw bytes (invalid UTF-8 is a PS01)."""
    text, problem = decode(data, path)
    if text is None:
        assert problem is not None
        # Nothing could be read: an empty file whose one syntax problem is the encoding
        # (so every command that needs a model stops at it, as for any PS01).
        empty = SourceFile(path, "", (), (), (problem,))
        model = build(empty)
        return Analysis(empty, model, [problem], ModelGraph(model))
    return analyse_text(text, path, config, rules=rules, reader=reader, imports=imports)


class _Imports(Exception):
    """An import statement: the model needs other files too."""


def streamed_model(text: str, path: str, *, imports: bool = True) -> Model | None:
    """The model of ``text``, built while it is parsed (:func:`prepmodel.syntax.parser.
    stream`): each statement is added and freed, so the file's whole syntax tree never
    exists; a 100,000-deliverable model peaks at half the memory of :func:`analyse_text`
    (issue #18). The same model as ``analyse_text(text, path, rules=False,
    imports=imports).model`` for a file with no syntax error and, with ``imports``, no
    import; None for any other file: the caller then analyses it as usual, for its
    diagnostics or imported files."""
    builder = ModelBuilder(path)
    add = builder.add

    def sink(st: Statement) -> None:
        if imports and type(st) is ImportStmt:
            raise _Imports
        add(st)

    try:
        if not stream(text, sink):
            return None
    except _Imports:
        return None
    return builder.model()


# Below this size the second process costs more than it saves.
PARALLEL_BYTES = 400_000


def jobs() -> int | None:
    """``PREP_JOBS`` in the environment as a number; None when unset or not a number."""
    import os

    value = os.environ.get("PREP_JOBS", "").strip()
    return int(value) if value.isdigit() else None


def jobs_allowed() -> bool:
    """False when ``PREP_JOBS=1`` asks for one process (no fork)."""
    return jobs() != 1


def analyse_pair(
    first: tuple[bytes, str],
    second: tuple[bytes, str],
    *,
    rules: bool = False,
    journeys: bool = False,
    readers: tuple[Reader | None, Reader | None] = (None, None),
    imports: bool = True,
    release_syntax: bool = False,
) -> tuple[Analysis, Analysis]:
    """Analyse two files, each in a forked process when both are big (`prep diff`).

    Parsing is pure Python, so two sides take twice as long on one core; this machine has
    at least two. Each child sends back only the model (:mod:`prepmodel.checks.wire`), and
    with ``journeys`` each goal's journey too; the graph is rebuilt here. This process
    never holds a syntax tree, so its peak is the two models. Without ``rules``, a child
    builds its model while the file is parsed (:func:`streamed_model`) and sends it in
    chunks, and both children are read before either side is rebuilt here: on a
    100,000-deliverable model the three processes peak at 1.3-1.4 GB together, where
    analysing each side whole and sending it in one message peaked at 1.95 GB (#18).
    When a side has syntax errors, or fork is not available, or anything goes wrong, that
    side is analysed here as usual. ``readers``: where each side's imports are read
    (default: the disk; `prep diff REV:path` reads them from the revision);
    ``imports=False``: each side alone (`prep git-diff-driver`, which gets two loose
    files). With ``release_syntax`` a side analysed here keeps no syntax tree either
    (built while parsed when it can be, else dropped once its model is made): a diff needs
    only the models.
    """
    import multiprocessing
    import os
    import sys

    (data_a, path_a), (data_b, path_b) = first, second
    reader_a, reader_b = readers

    def here(data: bytes, path: str, reader: Reader | None) -> Analysis:
        a: Analysis | None = None
        if release_syntax and not rules:  # the model alone, built while parsed (#18)
            model = _streamed_bytes(data, path, imports)
            if model is not None:
                a = _model_only(data, path, model, None)
        if a is None:
            a = analyse_bytes(data, path, rules=rules, reader=reader, imports=imports)
            if release_syntax and a.syntax_ok:
                a.release_syntax()  # before the journeys: they reuse the tree's memory
        if journeys and a.syntax_ok:
            for goal in a.model.goals:
                a.journey.goal(goal)
        return a

    can_fork = hasattr(os, "fork") and "fork" in multiprocessing.get_all_start_methods()
    if not can_fork or len(data_a) + len(data_b) < PARALLEL_BYTES or not jobs_allowed():
        return here(data_a, path_a, reader_a), here(data_b, path_b, reader_b)

    context = multiprocessing.get_context("fork")
    sys.stdout.flush()  # each child flushes its copy of these buffers when it ends
    sys.stderr.flush()
    sides = [
        _fork_side(context, data, path, reader, rules, imports, journeys)
        for data, path, reader in ((data_a, path_a, reader_a), (data_b, path_b, reader_b))
    ]
    # Both children's messages are read as they come, before either is rebuilt here: a
    # child ends once it is read, instead of waiting at its peak while this process
    # rebuilds the other side (the chunks are a tenth of the objects they make; #18).
    messages = _collect([receive for _worker, receive in sides])
    for worker, _receive in sides:
        worker.join()
    out: list[Analysis] = []
    for message, (data, path, reader) in zip(
        messages, ((data_a, path_a, reader_a), (data_b, path_b, reader_b)), strict=True
    ):
        received = _received(message, data, path) if message else None
        out.append(received if received is not None else here(data, path, reader))
    return out[0], out[1]


def _fork_side(
    context: Any,
    data: bytes,
    path: str,
    reader: Reader | None,
    rules: bool,
    imports: bool,
    journeys: bool,
) -> tuple[Any, Any]:
    """Start a child that analyses one side and sends back its model (and journeys)."""
    from prepmodel.checks import wire

    receive, send = context.Pipe(duplex=False)

    def child() -> None:
        gc.disable()  # this process is ours and short-lived: no cycles worth collecting
        # Without the rules, the model alone, made while the file is parsed (a lower peak).
        model = None if rules else _streamed_bytes(data, path, imports)
        if model is not None:
            graph = ModelGraph(model)
        else:
            analysis = analyse_bytes(data, path, rules=rules, reader=reader, imports=imports)
            if analysis.diagnostics:
                # Syntax errors: the parent analyses this side itself, to report them.
                send.send_bytes(b"")
                send.close()
                return
            # Only the model goes back: its syntax tree is freed before the journeys and
            # the message are made, which then reuse that memory (a lower peak, #18).
            analysis.release_syntax()
            model, graph = analysis.model, analysis.graph
            del analysis
        state = Journey.of(model, graph).export() if journeys else None
        # The message goes a chunk at a time: its rows are never all made at once.
        for chunk in wire.chunks(model, state):
            send.send_bytes(chunk)
        send.send_bytes(b"")  # the end
        send.close()

    worker = context.Process(target=child, daemon=True)
    worker.start()
    send.close()
    return worker, receive


def _collect(connections: list[Any]) -> list[list[bytes] | None]:
    """The chunks each connection sends up to an empty one (closing each at its end);
    None for one that sent no model (an empty first chunk) or failed."""
    from multiprocessing.connection import wait

    got: list[list[bytes]] = [[] for _ in connections]
    complete = [False] * len(connections)  # its empty chunk came after its model's
    pending = {id(c): i for i, c in enumerate(connections)}
    while pending:
        for ready in wait([connections[i] for i in pending.values()]):
            i = pending[id(ready)]
            connection = connections[i]
            try:
                chunk = connection.recv_bytes()
            except (EOFError, OSError):
                chunk = None
            if chunk:
                got[i].append(chunk)
                continue
            complete[i] = chunk is not None and bool(got[i])
            connection.close()
            del pending[id(ready)]
    return [chunks if done else None for chunks, done in zip(got, complete, strict=True)]


def _received(chunks: list[bytes], data: bytes, path: str) -> Analysis | None:
    """The side a child analysed and sent as ``chunks`` (freed as they are read), or None
    when they do not make a model."""
    from prepmodel.checks import wire

    loader = wire.Loader()
    chunks.reverse()
    try:
        while chunks:
            loader.feed(chunks.pop())
        payload = loader.result()
    except (ValueError, TypeError, EOFError):
        return None
    finally:
        chunks.clear()
    return _model_only(data, path, *payload)


def _streamed_bytes(data: bytes, path: str, imports: bool) -> Model | None:
    """:func:`streamed_model` of a file's bytes; None also when they are not UTF-8 text."""
    text, _problem = decode(data, path)
    return streamed_model(text, path, imports=imports) if text is not None else None


def _model_only(data: bytes, path: str, model: Model, state: JourneyState | None) -> Analysis:
    """The analysis of a side of `prep diff` made without its syntax tree (built while
    parsed, or in a child): the model, its graph and the text; no statements, which a
    diff does not need. ``state``: the journey a child made, or None."""
    text = data.decode("utf-8")
    if text.startswith("\ufeff"):
        text = text[1:]
    source = SourceFile(path, text, (), (), ())
    analysis = Analysis(source, model, [], ModelGraph(model))
    if state is not None:
        analysis.__dict__["journey"] = Journey.restore(analysis.graph, state)
    return analysis


def reported_once(analyses: list[Analysis]) -> list[Analysis]:
    """``analyses`` with each finding kept at its first report only: a file checked on its
    own and through the import of another (`prep check a.prep b.prep`, a imports b) has
    its problems reported once, under the file that found them first."""
    import dataclasses
    import os

    if not any(a.source.imports for a in analyses):
        return analyses
    seen: set[tuple[object, ...]] = set()
    out: list[Analysis] = []
    for a in analyses:
        kept = []
        for d in a.diagnostics:
            where = d.file if d.file.startswith("<") else os.path.realpath(d.file)
            key: tuple[object, ...] = (where, tuple(d.span)[:4], d.code, str(d.message))
            chain = getattr(d.message, "args", {}).get("chain") if d.code == "IM02" else None
            if isinstance(chain, str):  # one cycle, whichever of its files was checked
                key = ("IM02", frozenset(os.path.realpath(f) for f in chain.split(" → ")))
            if key not in seen:
                seen.add(key)
                kept.append(d)
        if len(kept) == len(a.diagnostics):
            out.append(a)
        else:
            copy = dataclasses.replace(a, diagnostics=kept)
            copy.__dict__.update({k: v for k, v in a.__dict__.items() if k == "journey"})
            out.append(copy)
    return out
