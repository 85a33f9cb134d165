"""One build of the preview: read the model, check it, render the viewer page.

Plain synchronous functions (the server runs them in a worker thread). A build never
raises for a bad model: a syntax error, a missing file, an unreadable file, a goal that is
gone or a layout that fails all become a :class:`Build` whose ``status`` says so, with a
message a workshop can read and, where there is one, the line to look at. The exports are
made by the same library calls, with the same defaults, as ``prep render -o`` and
``prep checkpoints --format``, so they are the same bytes the command line writes.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, Literal

if TYPE_CHECKING:
    from prepmodel.checks.analysis import Analysis
    from prepmodel.diagnostics import Diagnostic
    from prepmodel.render.dot import DiagramOptions

Status = Literal["ok", "error", "missing"]

#: Export name -> (format given to the library, media type). The names are the only
#: export paths the server answers; nothing from a request reaches the file system.
EXPORTS: Final[dict[str, tuple[str, str]]] = {
    "svg": ("svg", "image/svg+xml"),
    "png": ("png", "image/png"),
    "pdf": ("pdf", "application/pdf"),
    "csv": ("csv", "text/csv; charset=utf-8"),
    "md": ("markdown", "text/markdown; charset=utf-8"),
}


@dataclass(frozen=True)
class Settings:
    """What ``prep serve`` was asked for, beyond the file: as in ``prep render``."""

    goal: str | None = None
    direction: str | None = None
    lang: str | None = None
    engine: str = "auto"
    timeout: float | None = 120.0
    #: ``--when`` (comma-separated scenario names) and ``--when-hide``, as in ``prep render``
    when: str | None = None
    when_hide: bool = False


@dataclass
class Build:
    """The outcome of reading and rendering the model once.

    ``status``: ``ok`` (``page`` is the viewer page; semantic errors are listed, the
    diagram is drawn as ``prep render`` would), ``error`` (nothing new to show: a syntax
    error, an unreadable file, a layout failure; ``message`` and ``line`` say where) or
    ``missing`` (the file is gone, e.g. deleted or renamed by an editor).
    """

    status: Status
    message: str | None = None
    line: int | None = None
    diagnostics: list[dict[str, Any]] = field(default_factory=list)
    summary: dict[str, int] = field(
        default_factory=lambda: {"errors": 0, "warnings": 0, "infos": 0}
    )
    lang: str = "en"
    title: str | None = None
    page: bytes | None = None
    text: str | None = None
    analysis: Analysis | None = None
    goal_key: str | None = None
    seconds: float = 0.0
    when: frozenset[str] | None = None  # the chosen scenarios (identities)
    scenario: tuple[str, ...] = ()  # their names as the model writes them
    #: The files the model's imports named (read or not): watched, and read again to
    #: tell whether a rebuild is needed.
    imports: list[Path] = field(default_factory=list)


def read_model(path: Path) -> tuple[bytes | None, str | None, bool]:
    """The bytes of ``path``; or None with a message; the flag says the file is missing."""
    try:
        if path.is_dir():
            return None, f"{path.name} is a folder, not a .prep file", False
        return path.read_bytes(), None, False
    except FileNotFoundError:
        return None, None, True
    except OSError as err:
        return None, f"cannot read {path.name}: {err.strerror or err}", False


def build(data: bytes | None, shown: str, folder: Path, settings: Settings) -> Build:
    """Check and render ``data`` (the model's bytes; None: the file is missing).

    ``shown`` is the path as the user wrote it (diagnostics and ``file:line`` use it, as
    ``prep check`` does); ``folder`` is where ``prep.toml`` is looked for.
    """
    started = time.perf_counter()
    result = _build(data, shown, folder, settings)
    result.seconds = time.perf_counter() - started
    return result


def imported_files(analysis: Analysis) -> list[Path]:
    """The files ``analysis``'s imports named: those read, then those that could not be."""
    source = analysis.source
    return [Path(f.path) for f in source.imports] + [Path(p) for p in source.unread_imports]


def _build(data: bytes | None, shown: str, folder: Path, settings: Settings) -> Build:
    from prepmodel.checks.analysis import analyse_bytes
    from prepmodel.checks.config import ConfigError, find_config
    from prepmodel.diagnostics import summary
    from prepmodel.render import render
    from prepmodel.render.engine import EngineError
    from prepmodel.render.steplist import diagram_language

    if data is None:
        return Build("missing", message=f"{shown}: no such file (waiting for it to come back)")
    try:
        config = find_config(folder)
    except ConfigError as err:
        return Build("error", message=str(err))
    analysis = analyse_bytes(data, shown, config)
    text = analysis.source.text
    from prepmodel.model.language import model_language

    # messages and hints in the language `prep check` speaks for this file
    spoken_in = model_language(analysis.model, settings.lang)
    spoken = [d.localized(spoken_in) for d in analysis.diagnostics]
    listed = [_listed(d, analysis.source.line_at(d.span.line, d.span.file)) for d in spoken]
    counts = summary(analysis.diagnostics)
    imports = imported_files(analysis)
    if not analysis.syntax_ok:
        first = next((d for d in spoken if d.code in ("PS01", "IM01", "IM02")), None)
        first = first or spoken[0]
        return Build(
            "error",
            message=f"{first.file}:{first.span.line}:{first.span.column}: "
            f"{first.code} {first.message}",
            line=first.span.line if not first.span.file else None,
            diagnostics=listed,
            summary=counts,
            text=text,
            imports=imports,
        )
    lang = settings.lang or diagram_language(analysis.journey)
    goal_key, problem = goal_of(analysis, settings.goal)
    when, scenario_problem = scenarios_of(analysis, settings.when)
    problem = problem or scenario_problem
    if problem is not None:
        return Build(
            "error", message=problem, diagnostics=listed, summary=counts, text=text, imports=imports
        )
    try:
        page = render(
            analysis,
            "html",
            diagram_options(settings, goal_key, when),
            settings.engine,
            lang=settings.lang,
            timeout=settings.timeout,
        ).data
    except EngineError as err:
        return Build(
            "error",
            message=str(err),
            diagnostics=listed,
            summary=counts,
            text=text,
            imports=imports,
        )
    return Build(
        "ok",
        diagnostics=listed,
        summary=counts,
        lang=lang,
        title=analysis.model.title,
        page=page,
        text=text,
        analysis=analysis,
        goal_key=goal_key,
        when=when,
        scenario=analysis.journey.in_scenario(when).chosen if when else (),
        imports=imports,
    )


def _listed(diagnostic: Diagnostic, source_line: str) -> dict[str, Any]:
    """A diagnostic as the page lists it: the contract's JSON fields, plus the source line
    and its caret exactly as ``prep check`` prints them (``excerpt``; None when empty)."""
    from prepmodel.views.report import format_text

    lines = format_text(diagnostic, source_line).split("\n")
    excerpt = [line[2:] for line in lines[1:] if not line.startswith("  hint: ")]
    return {**diagnostic.to_dict(), "excerpt": "\n".join(excerpt) if excerpt else None}


def goal_of(analysis: Analysis, name: str | None) -> tuple[str | None, str | None]:
    """The key of the goal ``name`` denotes, or a message naming the goals there are."""
    if name is None:
        return None, None
    from prepmodel.checks.rules.gp_gaps import did_you_mean
    from prepmodel.model.core import identity

    key = identity(name)
    if key in analysis.model.goals:
        return key, None
    names = [analysis.model.name(k) for k in analysis.model.goals]
    close = did_you_mean(name, names)
    hint = f"; did you mean '{close}'?" if close else f"; the goals are: {', '.join(names)}"
    return None, f"no goal named '{name}'{hint if names else '; the model has no goal'}"


def scenarios_of(analysis: Analysis, when: str | None) -> tuple[frozenset[str] | None, str | None]:
    """The identities of the scenarios ``--when`` names, or a message (SC01, as
    ``prep render --when`` says it) when the model, as it is now, mentions one of them
    nowhere."""
    if when is None:
        return None, None
    from prepmodel.checks.rules.gp_gaps import did_you_mean
    from prepmodel.model.core import identity
    from prepmodel.model.scenarios import scenarios, unknown

    names = [n.strip() for n in when.split(",") if n.strip()]
    known = scenarios(analysis.model)
    for name in unknown(analysis.model, names):
        close = did_you_mean(name, known)
        hint = (
            f"; did you mean '{close}'?"
            if close
            else (f"; the scenarios are: {', '.join(known)}" if known else "; no route has `when`")
        )
        return None, f"SC01 no route mentions the scenario '{name}'{hint}"
    return frozenset(identity(n) for n in names) or None, None


def diagram_options(
    settings: Settings, goal_key: str | None, when: frozenset[str] | None = None
) -> DiagramOptions:
    """The options ``prep render`` builds from the same flags."""
    from prepmodel.render.dot import DiagramOptions

    return DiagramOptions(
        direction=settings.direction,
        goal=goal_key,
        when=when,
        when_hide=settings.when_hide and when is not None,
    )


def export(done: Build, name: str, settings: Settings) -> bytes:
    """Export ``name`` (a key of :data:`EXPORTS`) of a good build: the bytes of
    ``prep render FILE -o OUT.<svg|png|pdf>`` or ``prep checkpoints FILE --format
    <csv|markdown>`` with the same ``--goal``, ``--direction``, ``--lang`` and ``--when``.
    Raises EngineError / RasterError when the picture cannot be made."""
    from prepmodel.render import render
    from prepmodel.views.checkpoints import render_table

    assert done.analysis is not None
    fmt = EXPORTS[name][0]
    if fmt in ("csv", "markdown"):
        from prepmodel.model.language import model_language

        # the table's words as `prep checkpoints --lang` (or the model's language) says them
        lang = model_language(done.analysis.model, settings.lang)
        journey = done.analysis.journey
        if done.when:  # as `prep checkpoints --when`
            journey = journey.in_scenario(done.when)
        return render_table(journey, fmt, done.goal_key, lang).encode("utf-8")
    return render(
        done.analysis,
        fmt,
        diagram_options(settings, done.goal_key, done.when),
        settings.engine,
        None,
        2.0,
        settings.lang,
        settings.timeout,
    ).data
