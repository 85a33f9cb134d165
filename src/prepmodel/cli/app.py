"""The `prep` command: parse arguments, call the library, print, choose the exit code.

Only this module touches argv, files, colours and exit codes. Heavy modules are imported
inside the commands that need them, so `prep --version` starts fast.
"""

from __future__ import annotations

import enum
import gc
import itertools
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn, Optional

import typer

from prepmodel.cli.color import ColorMode
from prepmodel.text.safe import printable

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from prepmodel.checks.analysis import Analysis
    from prepmodel.checks.config import Config
    from prepmodel.checks.imports import Reader
    from prepmodel.diagnostics import Diagnostic

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2

app = typer.Typer(
    add_completion=True,
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    help="prep: deliverable-perspective (PReP) process models — check, list checkpoints, "
    "render assembly-instruction diagrams, format and diff .prep files.",
)


class CheckFormat(enum.StrEnum):
    text = "text"
    json = "json"
    sarif = "sarif"
    github = "github"


class TableFormat(enum.StrEnum):
    text = "text"
    markdown = "markdown"
    csv = "csv"
    json = "json"


class Lang(enum.StrEnum):
    ja = "ja"
    en = "en"


LANG_HELP = (
    "Language of messages, hints and headings (default: the model's `lang`, else the "
    "locale LC_ALL/LC_MESSAGES/LANG, else that of its names; docs/i18n.md)."
)
LangOption = Annotated[Optional[Lang], typer.Option("--lang", help=LANG_HELP)]  # noqa: UP045
WhenOption = Annotated[
    Optional[str],  # noqa: UP045
    typer.Option(
        "--when",
        metavar="S[,S...]",
        help="Show these scenarios (comma-separated): routes outside them in light grey.",
    ),
]
#: ``--when`` on the commands that compute (checkpoints, schedule, raci, progress).
ScenarioOption = Annotated[
    Optional[str],  # noqa: UP045
    typer.Option(
        "--when",
        metavar="S[,S...]",
        help="Only the routes that apply in all these scenarios (`when:` on routes).",
    ),
]
WhenHideOption = Annotated[
    bool, typer.Option("--when-hide", help="With --when: leave the other routes out.")
]


def language_of(a: Analysis, lang: Lang | None) -> str:
    """The language to speak about one file: ``--lang``, its ``lang``, the locale, its names."""
    from prepmodel.model.language import model_language

    return model_language(a.model, lang.value if lang else None)


def fail(message: str, code: int = EXIT_USAGE) -> NoReturn:
    """Print ``prep: message`` on stderr and exit (2 by default: usage or I/O)."""
    typer.echo(f"prep: {printable(message)}", err=True)
    raise typer.Exit(code)


def read_input(path: str) -> bytes:
    """The bytes of a file, or of standard input for ``-``; I/O problems exit 2."""
    if path == "-":
        try:
            if sys.stdin is None:
                raise OSError("closed")
            return sys.stdin.buffer.read()
        except (OSError, ValueError, AttributeError):
            fail("cannot read standard input (is it closed?)")
    p = Path(path)
    if p.is_dir():
        fail(f"{path}: is a folder, not a .prep file")
    try:
        return p.read_bytes()
    except FileNotFoundError:
        fail(f"{path}: no such file")
    except OSError as err:
        fail(f"{path}: cannot read: {err.strerror or err}")


def load_config(path: str) -> Config:
    from prepmodel.checks.config import ConfigError, find_config

    folder = Path.cwd() if path == "-" else Path(path).parent
    try:
        return find_config(folder)
    except ConfigError as err:
        fail(str(err))


def analyse(
    path: str,
    stdin_filename: str | None = None,
    *,
    config: Config | None = None,
    rules: bool = True,
) -> Analysis:
    """Read, parse and check one file with the settings that apply to it (standard input
    as if it were ``stdin_filename``, when given: its name and its folder's settings;
    ``config``: those settings, when the caller has read them). ``rules=False``: the model
    and its syntax errors only (:func:`prepmodel.checks.analysis.with_rules` adds the
    rest)."""
    from prepmodel.checks.analysis import analyse_bytes

    data = read_input(path)
    if path == "-":
        shown = stdin_filename or "<stdin>"
        settings = config if config is not None else load_config(stdin_filename or "-")
        return analyse_bytes(data, shown, settings, rules=rules)
    settings = config if config is not None else load_config(path)
    return analyse_bytes(data, path, settings, rules=rules)


def gather(paths: list[str] | None, stdin_filename: str | None) -> list[str]:
    """The files a command reads: folders expanded to the ``.prep`` files under them
    (prepmodel.cli.discover), standard input when only ``--stdin-filename`` is given."""
    if not paths:
        if stdin_filename is None:
            fail("no files given: name .prep files or folders, or '-' for standard input")
        return ["-"]
    from prepmodel.cli.discover import expand

    files, empty = expand(paths)
    for folder in empty:
        typer.echo(f"prep: warning: {printable(folder)}: no .prep files found", err=True)
    return files


def one_model(path: str) -> str:
    """A command that reads one model: a folder stands for the one .prep file under it
    (searched as for `prep check`); none or several exit 2, naming them."""
    if path == "-" or not Path(path).is_dir():
        return path
    from prepmodel.cli.discover import expand

    files, _ = expand([path])
    if len(files) == 1:
        return files[0]
    if files:
        shown = ", ".join(files[:5]) + (", …" if len(files) > 5 else "")
        fail(f"{path}: holds {len(files)} .prep files ({shown}); name one")
    fail(f"{path}: is a folder without .prep files")


STDIN_FILENAME_HELP = (
    "Name standard input as this path, for editors: in messages, and for the settings "
    "(prep.toml) that apply to it."
)


def _use_color(stream: object) -> bool:
    from prepmodel.cli.color import use_color

    return use_color(stream)


def print_diagnostics(
    analyses: list[Analysis], err: bool = False, lang: Lang | None = None
) -> None:
    """Text diagnostics with the source line and a caret, then a one-line summary; each
    file's in its language (``--lang``, else its model's: :func:`language_of`)."""
    from prepmodel.diagnostics import summary
    from prepmodel.text.i18n import translator
    from prepmodel.views.report import format_text

    stream = sys.stderr if err else sys.stdout
    color = _use_color(stream)
    every: list[Diagnostic] = []
    languages = []
    for a in analyses:
        language = language_of(a, lang)
        languages.append(language)
        for d in a.diagnostics:
            line = a.source.line_at(d.span.line, d.span.file)
            typer.echo(format_text(d, line, color, language), err=err, color=color)
            every.append(d)
    counts = summary(every)
    if every or not err:
        # One language for the summary: the files' own when they agree, else English.
        _ = translator(languages[0] if len(set(languages)) == 1 else "en")
        parts = [
            _("{count} error(s)").format(count=counts["errors"]),
            _("{count} warning(s)").format(count=counts["warnings"]),
        ]
        if counts["infos"]:
            parts.append(_("{count} info").format(count=counts["infos"]))
        checked = (
            _("{count} file checked: {counts}")
            if len(analyses) == 1
            else _("{count} files checked: {counts}")
        )
        typer.echo(checked.format(count=len(analyses), counts=_(", ").join(parts)), err=err)


def _version(value: bool) -> None:
    if value:
        from prepmodel import __version__

        typer.echo(f"prep {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[
        Optional[bool],  # noqa: UP045 - typer needs Optional here
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = None,
    color: Annotated[
        ColorMode,
        typer.Option(
            "--color",
            help="Colour the text output: auto (a terminal, unless NO_COLOR; FORCE_COLOR "
            "or CLICOLOR_FORCE force it), always or never.",
        ),
    ] = ColorMode.auto,
) -> None:
    """prep: deliverable-perspective process models."""
    from prepmodel.cli.color import choose

    choose(color)


@app.command()
def check(
    files: Annotated[
        Optional[list[str]],  # noqa: UP045 - typer needs Optional here
        typer.Argument(
            metavar="PATH...",
            help="The .prep files, or folders to search for them ('-' for stdin).",
        ),
    ] = None,
    format: Annotated[CheckFormat, typer.Option("--format", "-f")] = CheckFormat.text,
    strict: Annotated[bool, typer.Option(help="Warnings fail the check too.")] = False,
    stdin_filename: Annotated[
        Optional[str],  # noqa: UP045 - typer needs Optional here
        typer.Option("--stdin-filename", metavar="PATH", help=STDIN_FILENAME_HELP),
    ] = None,
    lang: LangOption = None,
) -> None:
    """Report every problem: syntax, gaps, cycles, orphans, naming, phases.

    A folder is searched for .prep files (hidden and git-ignored ones skipped). Messages
    follow --lang, else each model's language; json and sarif stay English unless --lang
    is given. Exit status: 0 no errors, 1 errors (or warnings with --strict), 2 usage or
    I/O (a file that cannot be read; the others are still checked).
    """
    analyses = []
    status = EXIT_OK
    for path in gather(files, stdin_filename):
        try:
            analyses.append(analyse(path, stdin_filename))
        except typer.Exit as err:  # reported already; go on with the other files
            status = max(status, err.exit_code)
    from prepmodel.checks.analysis import reported_once

    analyses = reported_once(analyses)  # a imports b, both named: b's problems once
    every = sorted((d for a in analyses for d in a.diagnostics), key=lambda d: d.sort_key)
    machine = lang.value if lang else "en"  # json and sarif: English unless asked
    if format is CheckFormat.text:
        print_diagnostics(analyses, lang=lang)
    elif format is CheckFormat.json:
        from prepmodel.views.report import format_json

        typer.echo(format_json(every, machine), nl=False)
    elif format is CheckFormat.sarif:
        import json

        from prepmodel import __version__
        from prepmodel.views.report import sarif_log

        log = sarif_log(every, __version__, machine, any(a.source.imports for a in analyses))
        typer.echo(json.dumps(log, ensure_ascii=False, indent=2))
    else:
        from prepmodel.views.report import format_github

        language = {
            path: language_of(a, lang)
            for a in analyses
            for path in (a.source.path, *(f.path for f in a.source.imports))
        }
        for d in every:
            typer.echo(format_github(d, language.get(d.file, machine)))
    failing = [
        d
        for d in every
        if d.severity.value == "error" or (strict and d.severity.value == "warning")
    ]
    raise typer.Exit(max(status, EXIT_FAILED if failing else EXIT_OK))


@app.command()
def rules(
    code: Annotated[Optional[str], typer.Argument(metavar="[CODE]", help="Show one rule.")] = None,  # noqa: UP045
    lang: Annotated[
        Optional[Lang],  # noqa: UP045
        typer.Option(help="Language of the descriptions (default: the locale, else English)."),
    ] = None,
) -> None:
    """List every rule: code, name, default severity, what it catches, examples."""
    from prepmodel.checks.rules import RULES
    from prepmodel.text.i18n import resolve_language, translator

    _ = translator(resolve_language(lang.value if lang else None))

    chosen = list(RULES.values())
    if code is not None:
        chosen = [r for r in chosen if r.code == code.upper()]
        if not chosen:
            fail(f"no rule {code!r}; `prep rules` lists them")
    for i, rule in enumerate(chosen):
        info = rule.info
        if i:
            typer.echo("")
        typer.echo(f"{rule.code}  {info.name}  [{info.severity.value}]")
        typer.echo(f"    {_(rule.description)}")
        for title, label in (("Bad", _("bad:")), ("Good", _("good:"))):
            body = rule.section(title)
            if body:
                typer.echo(f"  {label}")
                for line in body.splitlines():
                    typer.echo(f"    {line}")


def _excel_ok(fmt: TableFormat, excel: bool) -> None:
    if excel and fmt is not TableFormat.csv:
        fail("--excel goes with --format csv")


@app.command()
def checkpoints(
    file: Annotated[
        str,
        typer.Argument(
            metavar="FILE",
            help="The .prep file ('-' for stdin), or a folder that holds one.",
        ),
    ],
    format: Annotated[TableFormat, typer.Option("--format", "-f")] = TableFormat.text,
    goal: Annotated[Optional[str], typer.Option(help="Only this goal.")] = None,  # noqa: UP045
    excel: Annotated[
        bool, typer.Option(help="CSV for Excel: UTF-8 with a BOM, CRLF line ends.")
    ] = False,
    output: Annotated[
        Optional[Path], typer.Option("--output", "-o", help="Write to a file.")  # noqa: UP045
    ] = None,
    lang: LangOption = None,
    when: ScenarioOption = None,
    columns: Annotated[
        Optional[str],  # noqa: UP045 - typer needs Optional here
        typer.Option(
            "--scenarios",
            metavar="all|S[,S...]",
            help="Markdown: add a table of checkpoints with a column per scenario.",
        ),
    ] = None,
) -> None:
    """The journey: numbered steps, checkpoints per goal and phase, the critical path.

    Diagnostics go to stderr; a model with errors still prints what can be computed and
    exits 1.
    """
    from prepmodel.checks.analysis import finish_rules, stage_rules, with_rules
    from prepmodel.cli import fork
    from prepmodel.views import checkpoints as tables

    _excel_ok(format, excel)
    file = one_model(file)
    if output is not None:
        refuse_input(output, [file])
    # The rules run after the model is built, in two stages: those that read the syntax
    # tree, then, with the tree freed, the others, which a second process runs on a big
    # model while this one makes the tables (prepmodel.cli.fork, issue #18).
    config = load_config(file)
    a = analyse(file, config=config, rules=False)
    if output is not None:
        refuse_input(output, [f.path for f in a.source.imports])
    if not a.syntax_ok:
        a = with_rules(a, a.source.path, config)
        print_diagnostics([a], err=True, lang=lang)
        raise typer.Exit(EXIT_FAILED)
    goal_key = resolve_goal(a, goal)
    language = language_of(a, lang)
    chosen = None if when is None else resolve_scenarios(a, when)
    only = None
    if columns is not None:
        if format is not TableFormat.markdown:
            fail("--scenarios goes with --format markdown")
        if columns.strip() != "all":
            resolve_scenarios(a, columns)  # SC01 for a name no route mentions
            only = [n.strip() for n in columns.split(",") if n.strip()]

    def make() -> Iterator[str]:
        journey = a.journey if chosen is None else a.journey.in_scenario(chosen)
        if columns is None:
            # JSON is made item by item: the object and its text of a big model never sit
            # in memory whole (issue #18)
            yield from tables.render_chunks(journey, format.value, goal_key, language)
            return
        yield tables.render_table(journey, format.value, goal_key, language)
        yield "\n" + tables.scenario_markdown(a.journey, goal_key, language, only)

    def write(pieces: Iterator[str]) -> None:
        if output is None and not excel:  # written as it comes
            out = sys.stdout.buffer
            for piece in pieces:
                out.write(piece.encode("utf-8"))
            sys.stdout.flush()
            return
        text = "".join(pieces)
        if excel:
            data = ("\ufeff" + text.replace("\r\n", "\n").replace("\n", "\r\n")).encode("utf-8")
        else:
            data = text.encode("utf-8")
        emit(data, output)

    # The tables and the other rules need the model only: the syntax tree, a third of a
    # big model's memory, goes before they run (and before a second process shares it).
    staged = stage_rules(a, a.source.path, config)

    def check() -> int:
        checked = finish_rules(staged)
        if "journey" in checked.__dict__:  # a rule made it (RS03): the tables use it
            a.__dict__.setdefault("journey", checked.journey)
        if checked.diagnostics:
            print_diagnostics([checked], err=True, lang=lang)
        return EXIT_FAILED if checked.errors else EXIT_OK

    size = len(a.source.text) + sum(len(f.text) for f in a.source.imports)
    if not fork.can_fork(size):
        status = check()
        write(make())
        raise typer.Exit(status)
    # The rules run in a child that prints the findings and ends; the tables are made
    # here meanwhile and written once the child has ended (prepmodel.cli.fork).
    child = fork.Child(check)
    try:
        pieces = make()
        first = next(pieces, None)  # the journey and every goal: most of the work
    finally:
        status = child.wait()
    if status not in (EXIT_OK, EXIT_FAILED):  # the rules failed: no tables, as in one process
        raise typer.Exit(status)
    write(itertools.chain(() if first is None else (first,), pieces))
    raise typer.Exit(status)


class Engine(enum.StrEnum):
    auto = "auto"
    wasm = "wasm"
    system = "system"


class Pages(enum.StrEnum):
    phase = "phase"
    step = "step"


class Lanes(enum.StrEnum):
    party = "party"
    role = "role"


class Direction(enum.StrEnum):
    LR = "LR"
    RL = "RL"
    TB = "TB"
    BT = "BT"


@app.command()
def render(
    file: Annotated[str, typer.Argument(metavar="FILE", help="The .prep file ('-' for stdin).")],
    output: Annotated[
        Path, typer.Option("--output", "-o", help="OUT.svg, .png, .pdf, .dot or .html")
    ],
    engine: Annotated[
        Engine, typer.Option(help="Graphviz: embedded wasm (default) or the system `dot`.")
    ] = Engine.auto,
    direction: Annotated[
        Direction | None,
        typer.Option(help="Layout direction (default: the model's `direction`, else LR)."),
    ] = None,
    goal: Annotated[Optional[str], typer.Option(help="Only what this goal needs.")] = None,  # noqa: UP045
    focus: Annotated[
        Optional[str], typer.Option(help="Only the neighbourhood of this deliverable.")  # noqa: UP045
    ] = None,
    depth: Annotated[int, typer.Option(help="With --focus: how many links away.", min=0)] = 1,
    font: Annotated[
        Optional[Path], typer.Option(help="Font file for PNG/PDF text (e.g. a Noto CJK .ttc).")  # noqa: UP045
    ] = None,
    scale: Annotated[
        float,
        typer.Option(
            help="PNG only: pixels per point (1 = small file, 2 = sharp).", min=0.1, max=8.0
        ),
    ] = 2.0,
    part_copies: Annotated[
        bool,
        typer.Option(
            "--part-copies/--no-part-copies",
            help="Draw a part used by several steps beside each of them, and "
            "one band per phase (default); or one node with long edges.",
        ),
    ] = True,
    pages: Annotated[
        Pages | None,
        typer.Option(
            help="A deck of 16:9 pages: an overview, then one per phase (or per step). "
            ".pdf: one file; .png/.svg: OUT-1.png, OUT-2.png, ...; .html: one page."
        ),
    ] = None,
    lang: LangOption = None,
    timeout: Annotated[
        float, typer.Option(help="Seconds the layout may take (0: no limit).", min=0)
    ] = 120.0,
    when: WhenOption = None,
    when_hide: WhenHideOption = False,
    lanes: Annotated[
        Optional[Lanes],  # noqa: UP045
        typer.Option(help="Lanes by the owner's party (a service blueprint) or owner role."),
    ] = None,
    show_files: Annotated[
        bool, typer.Option(help="Under each imported deliverable, the file it comes from.")
    ] = False,
) -> None:
    """Draw the assembly-instruction diagram with the numbered step list beside it.

    A model with semantic errors still renders (diagnostics on stderr, exit 1); a syntax
    error stops with PS01 and writes nothing.
    """
    from prepmodel.render import FORMATS
    from prepmodel.render import render as render_model
    from prepmodel.render.dot import DiagramOptions
    from prepmodel.render.engine import EngineError
    from prepmodel.render.raster import RasterError

    fmt = output.suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        fail(f"{output}: cannot tell the format; use .svg, .png, .pdf, .dot or .html")
    refuse_input(output, [file])
    a = analyse(file)
    refuse_input(output, [f.path for f in a.source.imports])
    if not a.syntax_ok:
        print_diagnostics([a], err=True, lang=lang)
        raise typer.Exit(EXIT_FAILED)
    goal_key = resolve_goal(a, goal)
    focus_key = find_key(a, focus, list(a.model.deliverables), "deliverable")
    options = DiagramOptions(
        direction=direction.value if direction else None,
        goal=goal_key,
        focus=focus_key,
        depth=depth,
        part_copies=part_copies,
        **scenario_options(a, when, when_hide),
        lanes=lanes.value if lanes else None,
        show_files=show_files,
    )
    if pages is not None and fmt == "dot":
        fail(f"{output}: --pages writes .pdf, .html, .png or .svg")
    try:
        if pages is not None:
            from prepmodel.render import render_pages

            files, notes = render_pages(
                a,
                fmt,
                options,
                pages.value,
                engine.value,
                font,
                lang.value if lang else None,
                _timeout(timeout),
                _progress(),
            )
        else:
            result = render_model(
                a,
                fmt,
                options,
                engine.value,
                font,
                scale,
                lang.value if lang else None,
                _timeout(timeout),
                _progress(),
            )
            files, notes = [result.data], result.warnings
    except (EngineError, RasterError) as err:
        _progress_done()
        fail(str(err))
    _progress_done()
    if a.diagnostics:
        print_diagnostics([a], err=True, lang=lang)
    for warning in notes:
        typer.echo(f"prep: warning: {warning}", err=True)
    if pages is not None and fmt in ("png", "svg"):
        for n, data in enumerate(files, start=1):
            write_atomic(output.with_name(f"{output.stem}-{n}{output.suffix}"), data)
        typer.echo(
            f"prep: wrote {len(files)} pages: {output.stem}-1{output.suffix} … "
            f"{output.stem}-{len(files)}{output.suffix}",
            err=True,
        )
    else:
        write_atomic(output, files[0])
    raise typer.Exit(EXIT_FAILED if a.errors else EXIT_OK)


@app.command()
def serve(
    file: Annotated[str, typer.Argument(metavar="FILE", help="The .prep file to preview.")],
    port: Annotated[
        int, typer.Option(help="Port to listen on (0: a free one).", min=0, max=65535)
    ] = 8000,
    host: Annotated[
        str, typer.Option(help="Address to listen on; 0.0.0.0 opens it to the network.")
    ] = "127.0.0.1",
    open_browser: Annotated[
        bool, typer.Option("--open", help="Open the page in the default browser.")
    ] = False,
    editor: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(help="Open file:line on click, e.g. 'code -g {file}:{line}'."),
    ] = None,
    goal: Annotated[Optional[str], typer.Option(help="Only what this goal needs.")] = None,  # noqa: UP045
    direction: Annotated[Direction | None, typer.Option(help="Layout direction.")] = None,
    lang: Annotated[Lang | None, typer.Option(help="Language of the diagram's words.")] = None,
    engine: Annotated[Engine, typer.Option(help="Graphviz: embedded wasm or system.")] = (
        Engine.auto
    ),
    when: WhenOption = None,
    when_hide: WhenHideOption = False,
) -> None:
    """Live preview for workshops: a local web page that redraws on every save.

    Serves the interactive viewer on http://127.0.0.1:8000/ with the diagnostics, an error
    overlay over the last good diagram and export buttons; Ctrl-C stops it.
    """
    from prepmodel.serve import ServeError, ServeOptions, Settings
    from prepmodel.serve import serve as run_server

    path = Path(file)
    if file == "-" or path.is_dir() or not path.is_file():
        fail(f"{file}: no such file" if not path.exists() else f"{file}: not a .prep file")
    settings = Settings(
        goal=goal,
        direction=direction.value if direction else None,
        lang=lang.value if lang else None,
        engine=engine.value,
        when=when,
        when_hide=when_hide,
    )
    if when_hide and when is None:
        fail("--when-hide needs --when SCENARIO")
    options = ServeOptions(path, file, host, port, open_browser, editor, settings)
    try:
        run_server(options, lambda line: typer.echo(printable(line)))
    except ServeError as err:
        fail(str(err))
    raise typer.Exit(EXIT_OK)


def _timeout(seconds: float) -> float | None:
    return seconds if seconds > 0 else None


def _progress() -> Callable[[float], None] | None:
    """Seconds spent on a long layout, on a terminal's stderr (nothing when redirected)."""
    if not sys.stderr.isatty():
        return None

    def show(seconds: float) -> None:
        whole = int(seconds)
        if whole >= 3 and whole != _PROGRESS_SHOWN[0]:
            _PROGRESS_SHOWN[0] = whole
            sys.stderr.write(f"\rprep: laying out the diagram … {whole} s (Ctrl-C stops)")
            sys.stderr.flush()

    return show


_PROGRESS_SHOWN = [0]


def _progress_done() -> None:
    if _PROGRESS_SHOWN[0]:
        sys.stderr.write("\n")
        _PROGRESS_SHOWN[0] = 0


class DiffFormat(enum.StrEnum):
    text = "text"
    markdown = "markdown"
    json = "json"


def read_revision(spec: str) -> bytes:
    """``REV:path`` via ``git show`` in the current folder (path from the repository top,
    or ``REV:./path`` from here, as git has it); problems exit 2."""
    import subprocess

    if spec.startswith("-"):  # nothing from the command line may become a git option
        fail(f"{spec}: a revision cannot start with '-'")

    def git(*args: str) -> subprocess.CompletedProcess[bytes]:
        *options, revision = args
        try:
            return subprocess.run(
                ["git", *options, "--end-of-options", revision], capture_output=True, check=False
            )
        except FileNotFoundError:
            fail(f"{spec}: git is not installed (needed for REV:path)")

    def reason(done: subprocess.CompletedProcess[bytes]) -> str:
        lines = done.stderr.decode("utf-8", "replace").strip().splitlines()
        return "; ".join(x.removeprefix("fatal: ").strip() for x in lines if x.strip()) or (
            "unknown revision or path"
        )

    kind = git("cat-file", "-t", spec)
    if kind.returncode != 0:  # `git show` explains better ("did you mean ...?")
        fail(f"{spec}: {reason(git('show', '--no-textconv', spec))}")
    if kind.stdout.strip() != b"blob":
        fail(f"{spec}: is a {kind.stdout.decode().strip()} in git, not a file")
    shown = git("show", "--no-textconv", spec)
    if shown.returncode != 0:
        fail(f"{spec}: {reason(shown)}")
    return shown.stdout


def _diff_side(spec: str) -> tuple[bytes, str, Reader | None]:
    """OLD or NEW of `prep diff` (a file, '-', or ``REV:path`` when no such file exists)
    as bytes, the name to show, and where its imports are read (None: the disk)."""
    import re

    revision = (
        spec != "-"
        and ":" in spec
        and not Path(spec).exists()
        and not re.match(r"[A-Za-z]:[\\/]", spec)
    )
    if revision:
        from prepmodel.cli.revision import GitReader

        return read_revision(spec), spec, GitReader()
    return read_input(spec), "<stdin>" if spec == "-" else spec, None


@app.command()
def diff(
    old: Annotated[
        str, typer.Argument(metavar="OLD", help="Old version: a file, '-', or REV:path.")
    ],
    new: Annotated[
        str, typer.Argument(metavar="NEW", help="New version: a file, '-', or REV:path.")
    ],
    format: Annotated[DiffFormat, typer.Option("--format", "-f")] = DiffFormat.text,
    output: Annotated[
        Optional[Path],  # noqa: UP045
        typer.Option("--output", "-o", help="Union diagram: OUT.svg, .png, .pdf, .html or .dot"),
    ] = None,
    engine: Annotated[Engine, typer.Option(help="Graphviz for -o.")] = Engine.auto,
    font: Annotated[
        Optional[Path], typer.Option(help="Font file for PNG/PDF text (e.g. a Noto CJK .ttc).")  # noqa: UP045
    ] = None,
    scale: Annotated[
        float, typer.Option(help="PNG only: pixels per point.", min=0.1, max=8.0)
    ] = 2.0,
    timeout: Annotated[
        float, typer.Option(help="Seconds the layout for -o may take (0: no limit).", min=0)
    ] = 120.0,
    exit_code: Annotated[
        bool, typer.Option("--exit-code", help="Exit 1 when the models differ.")
    ] = False,
    lang: LangOption = None,
) -> None:
    """Semantic diff: deliverables added, removed, renamed and changed, journey impact.

    REV:path is read with `git show` (path from the repository top; REV:./path from here).
    Exit status: 0 whether or not the models differ (like `git diff`), 1 with --exit-code
    when they differ (step renumbering included); 1 when either side has a syntax error
    (PS01 on stderr); 2 usage or I/O.
    """
    from prepmodel.review.diff import semantic_diff
    from prepmodel.review.report import format_diff

    if old == "-" and new == "-":
        fail("only one of OLD and NEW can be '-' (standard input)")
    if output is not None and output.suffix.lower() not in (
        ".svg",
        ".png",
        ".pdf",
        ".html",
        ".dot",
    ):
        fail(f"{output}: the union diagram is written as .svg, .png, .pdf, .html or .dot")
    if output is not None:
        refuse_input(output, [old, new])
    from prepmodel.checks.analysis import analyse_pair

    (da, na, ra), (db, nb, rb) = _diff_side(old), _diff_side(new)
    sides = analyse_pair((da, na), (db, nb), journeys=True, readers=(ra, rb), release_syntax=True)
    broken = [a for a in sides if not a.syntax_ok]  # rules=False: only PS01 to show
    if broken:
        print_diagnostics(broken, err=True, lang=lang)
        raise typer.Exit(EXIT_FAILED)
    d = semantic_diff(sides[0], sides[1])
    color = format is DiffFormat.text and _use_color(sys.stdout)
    # The new side's language; json stays English unless --lang is given.
    if format is DiffFormat.json:
        language = lang.value if lang else "en"
    else:
        language = language_of(sides[1], lang)
    typer.echo(format_diff(d, format.value, color, old, new, language), nl=False, color=color)
    if output is not None:
        from prepmodel.render.engine import EngineError
        from prepmodel.render.raster import RasterError
        from prepmodel.review.diff_picture import render_diff

        try:
            picture = render_diff(
                d,
                output.suffix.lower().lstrip("."),
                engine.value,
                font,
                scale,
                timeout=_timeout(timeout),
                progress=_progress(),
                labels=(old, new),
            )
        except (EngineError, RasterError) as err:
            _progress_done()
            fail(str(err))
        _progress_done()
        for warning in picture.warnings:
            typer.echo(f"prep: warning: {warning}", err=True)
        write_atomic(output, picture.data)
    raise typer.Exit(EXIT_FAILED if exit_code and not d.empty else EXIT_OK)


@app.command("lsp")
def lsp_command(
    stdio: Annotated[
        bool,
        typer.Option("--stdio", help="Talk over stdin/stdout (the default).", show_default=False),
    ] = True,
    log_file: Annotated[
        Optional[str],  # noqa: UP045 - typer needs Optional here
        typer.Option("--log-file", help="Write the server's log here."),
    ] = None,
) -> None:
    """Run the language server (LSP over stdin/stdout) for editors: diagnostics as you type,
    completion, go to definition, rename, hover, outline, formatting, quick fixes."""
    from prepmodel.lsp.server import run

    run(log_file=log_file)


@app.command("git-diff-driver", hidden=True, context_settings={"ignore_unknown_options": True})
def git_diff_driver(
    args: Annotated[list[str], typer.Argument(help="The 7 (or 9) arguments git passes.")],
) -> None:
    """Git external diff driver: PATH OLD-FILE OLD-HEX OLD-MODE NEW-FILE NEW-HEX NEW-MODE
    [NEW-PATH RENAME-INFO]. Prints the semantic diff; always exits 0 so git goes on.
    Set up with `git config diff.prep.command "prep git-diff-driver"` (docs/git.md)."""
    from prepmodel.checks.analysis import analyse_pair
    from prepmodel.review.diff import semantic_diff
    from prepmodel.review.report import format_diff, line_diff
    from prepmodel.views.report import format_text

    if len(args) not in (7, 9):
        fail("git-diff-driver takes the 7 (or 9) arguments git gives an external diff")
    path, new_path = args[0], args[7] if len(args) == 9 else args[0]
    data = [b"" if f == "/dev/null" else read_input(f) for f in (args[1], args[4])]
    labels = [f"a/{path}", f"b/{new_path}"]
    # Two loose temporary files: each alone, imports not followed (docs/language.md).
    sides = analyse_pair((data[0], labels[0]), (data[1], labels[1]), journeys=True, imports=False)
    color = _use_color(sys.stdout)
    head = f"prep diff {labels[0]} {labels[1]}"
    typer.echo(typer.style(head, bold=True) if color else head, color=color)
    broken = [a for a in sides if not a.syntax_ok]
    if broken:
        for a in broken:
            for dg in a.diagnostics:
                if dg.code == "PS01":
                    line = a.source.line_at(dg.span.line, dg.span.file)
                    typer.echo(format_text(dg, line, lang=language_of(a, None)))
        typer.echo("(syntax errors: showing the line diff)")
        typer.echo(printable(line_diff(data[0], data[1], labels[0], labels[1])), nl=False)
    else:
        language = language_of(sides[1], None)
        d = semantic_diff(sides[0], sides[1])
        typer.echo(format_diff(d, "text", color, lang=language), nl=False, color=color)
    raise typer.Exit(EXIT_OK)


@app.command("fmt")
def fmt_command(
    files: Annotated[
        Optional[list[str]],  # noqa: UP045 - typer needs Optional here
        typer.Argument(
            metavar="PATH...",
            help="The .prep files, or folders to search for them ('-': stdin to stdout).",
        ),
    ] = None,
    check: Annotated[
        bool, typer.Option("--check", help="Write nothing; exit 1 if a file would change.")
    ] = False,
    show_diff: Annotated[
        bool, typer.Option("--diff", help="Print a unified diff instead of writing.")
    ] = False,
    stdin_filename: Annotated[
        Optional[str],  # noqa: UP045 - typer needs Optional here
        typer.Option("--stdin-filename", metavar="PATH", help=STDIN_FILENAME_HELP),
    ] = None,
) -> None:
    """Rewrite files in the canonical layout (docs/formatting.md); the model stays the same.

    A folder is searched for .prep files (hidden and git-ignored ones skipped). Files are
    replaced atomically and only when they change. A file with a syntax error is
    left untouched (PS01 on stderr). Exit status: 0 done, 1 syntax errors or (with --check)
    files that would change, 2 usage or I/O.
    """
    from prepmodel.checks.analysis import analyse_bytes
    from prepmodel.cli.safewrite import Snapshot, WriteRefused, write_file
    from prepmodel.review.fmt import FormatterError, format_source, unified_diff
    from prepmodel.syntax.parser import decode

    status = EXIT_OK
    for path in gather(files, stdin_filename):
        shown = (stdin_filename or "<stdin>") if path == "-" else path
        try:
            data = read_input(path)
        except typer.Exit as err:  # reported already; go on with the other files
            status = max(status, err.exit_code)
            continue
        snapshot = None if path == "-" else Snapshot.of(Path(path), data)
        text, _ = decode(data, shown)
        try:
            # --check writes nothing: no need to prove the output means the same (#18)
            verify = show_diff or not check
            result = format_source(text, shown, verify=verify) if text is not None else None
        except FormatterError as err:  # a formatter bug: never write a changed model
            typer.echo(f"prep: {err}; the file is left as it is (please report this)", err=True)
            status = max(status, EXIT_FAILED)
            continue
        if result is None or not result.ok:
            print_diagnostics([analyse_bytes(data, shown, rules=False, imports=False)], err=True)
            status = max(status, EXIT_FAILED)
            continue
        new = result.text.encode("utf-8")
        changed = new != data
        if show_diff and changed:
            typer.echo(printable(unified_diff(result.original, result.text, shown)), nl=False)
        if check and changed:
            typer.echo(f"would reformat {printable(shown)}")
            status = max(status, EXIT_FAILED)
        if check or show_diff:
            continue
        if path == "-":
            sys.stdout.buffer.write(new)
            sys.stdout.flush()
        elif changed:
            try:
                write_file(Path(path), new, snapshot)
            except WriteRefused as err:  # read-only, or edited meanwhile: say so, go on
                typer.echo(f"prep: {printable(str(err))}", err=True)
                status = max(status, EXIT_FAILED)
    raise typer.Exit(status)


def resolve_scenarios(a: Analysis, when: str) -> frozenset[str]:
    """The identities of the scenarios ``--when`` names (comma-separated); a name that
    no route mentions is SC01 (contract §9): exit 2 with the closest spelling."""
    from prepmodel.checks.rules.gp_gaps import did_you_mean
    from prepmodel.model.core import identity
    from prepmodel.model.scenarios import scenarios, unknown

    names = [n.strip() for n in when.split(",") if n.strip()]
    known = scenarios(a.model)
    for name in unknown(a.model, names):
        close = did_you_mean(name, known)
        if close:
            hint = f"; did you mean '{close}'?"
        else:
            hint = f"; the scenarios are: {', '.join(known)}" if known else "; no route has `when`"
        fail(f"SC01 no route mentions the scenario '{name}'{hint}")
    if not names:
        fail("--when needs at least one scenario name")
    return frozenset(identity(n) for n in names)


def scenario_options(a: Analysis, when: str | None, hide: bool) -> dict[str, Any]:
    """``DiagramOptions`` fields for ``--when`` / ``--when-hide`` (render, serve)."""
    if when is None:
        if hide:
            fail("--when-hide needs --when SCENARIO")
        return {}
    return {"when": resolve_scenarios(a, when), "when_hide": hide}


def resolve_goal(a: Analysis, goal: str | None) -> str | None:
    """The key of the goal the user named; exit 2 with a suggestion when there is none."""
    return find_key(a, goal, list(a.model.goals), "goal")


def find_key(a: Analysis, name: str | None, keys: list[str], what: str) -> str | None:
    """The key among ``keys`` that ``name`` denotes (same identity), or exit 2 with the
    closest spelling (or the list, when it is short)."""
    if name is None:
        return None
    from prepmodel.checks.rules.gp_gaps import did_you_mean
    from prepmodel.model.core import identity

    key = identity(name)
    if key in keys:
        return key
    names = [a.model.name(k) for k in keys]
    close = did_you_mean(name, names)
    if close:
        hint = f"; did you mean '{close}'?"
    elif names and len(names) <= 10:
        hint = f"; the {what}s are: {', '.join(names)}"
    else:
        hint = "" if names else f"; the model has no {what}"
    fail(f"no {what} named '{name}'{hint}")


def analyse_for(
    file: str, output: Path | None, lang: Lang | None, inputs: tuple[str, ...] = ()
) -> Analysis:
    """The model of a command that computes from it (raci, kpis, schedule, progress): its
    analysis, after refusing an ``output`` that is the file, one of ``inputs`` or a file
    it imports; syntax errors are printed and exit 1, as nothing can be computed."""
    if output is not None:
        refuse_input(output, [file, *inputs])
    a = analyse(file)
    if output is not None:
        refuse_input(output, [f.path for f in a.source.imports])
    if not a.syntax_ok:
        print_diagnostics([a], err=True, lang=lang)
        raise typer.Exit(EXIT_FAILED)
    return a


def refuse_input(output: Path, inputs: list[str]) -> None:
    """Exit 2 when the output the user named is one of the inputs (also through links)."""
    from prepmodel.cli.safewrite import WriteRefused, refuse_inputs

    try:
        refuse_inputs(output, inputs)
    except WriteRefused as err:
        fail(str(err))


def emit(data: bytes, output: Path | None) -> None:
    """``data`` into the file the user named (atomically), else to standard output."""
    if output is not None:
        write_atomic(output, data)
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()


def write_atomic(path: Path, data: bytes) -> None:
    """Write an output the user named (prepmodel.cli.safewrite); a refusal exits 2."""
    from prepmodel.cli.safewrite import WriteRefused, write_file

    try:
        write_file(path, data)
    except WriteRefused as err:
        fail(str(err))


from prepmodel.cli.progress import progress  # noqa: E402 - needs the helpers above

app.command()(progress)


def main() -> None:
    """Console-script entry point."""
    # A short-lived command that builds many small objects and no garbage cycles worth
    # collecting: the cyclic collector only costs time (a third of it on big models).
    gc.disable()
    try:
        app(prog_name="prep")  # also under `python -m prepmodel` (usage, completion)
    except KeyboardInterrupt:
        typer.echo("prep: interrupted", err=True)
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(EXIT_FAILED)
    except SystemExit as done:
        _hard_exit(done.code)


def _hard_exit(code: object) -> NoReturn:
    """Exit without tearing the heap down object by object (as mypy does): on a big model
    that took a tenth of a second. Everything the command writes is flushed first; files
    are already closed (written atomically), and a forked helper has been joined."""
    if code is None:
        status = EXIT_OK
    elif isinstance(code, int):
        status = code
    else:  # sys.exit("message"), as Python would print it
        print(code, file=sys.stderr)
        status = 1
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except BrokenPipeError:
        status = status or EXIT_FAILED
    except ValueError:  # a stream already closed: nothing left to flush
        pass
    if sys.getprofile() is not None or sys.gettrace() is not None:
        # under `python -m cProfile -m prepmodel ...` (or coverage, or a debugger) the
        # tool reports at interpreter exit: leave the normal way
        sys.exit(status)
    os._exit(status)


from prepmodel.cli.schedule import register as _register_schedule  # noqa: E402

_register_schedule(app)
from prepmodel.cli import raci as _raci  # noqa: E402, F401  (registers `raci`, `kpis`)
