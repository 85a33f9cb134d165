"""`prep progress`: where every customer stands on the journey (contract §13).

The command only reads arguments and writes the result; the SQL and the embedded DuckDB
are in :mod:`prepmodel.views.progress` (imported when the command runs: `prep --version`
must not load DuckDB)."""

from __future__ import annotations

import enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from prepmodel.cli.app import (
    EXIT_FAILED,
    EXIT_OK,
    LangOption,
    ScenarioOption,
    analyse_for,
    emit,
    fail,
    language_of,
    one_model,
    print_diagnostics,
    resolve_goal,
    resolve_scenarios,
)


class ProgressFormat(enum.StrEnum):
    text = "text"
    markdown = "markdown"
    csv = "csv"
    json = "json"
    html = "html"


class SqlDialect(enum.StrEnum):
    duckdb = "duckdb"
    spark = "spark"


_BY_SUFFIX = {".html": "html", ".htm": "html", ".json": "json", ".csv": "csv", ".md": "markdown"}


def progress(
    file: Annotated[
        str,
        typer.Argument(metavar="MODEL", help="The .prep file, or a folder that holds one."),
    ],
    events: Annotated[
        Optional[str],  # noqa: UP045 - typer needs Optional here
        typer.Option(
            "--events",
            metavar="SOURCE",
            help="Facts 'customer produced deliverable on date': a CSV or Parquet file with "
            "columns customer, deliverable, date (and optionally route), or a DuckDB table "
            "file.duckdb:table (opened read-only).",
        ),
    ] = None,
    as_of: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(
            "--as-of", metavar="DATE", help="Count days up to this date (default: today)."
        ),
    ] = None,
    when: ScenarioOption = None,
    goal: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(help="The journey to this goal only (default: every goal)."),
    ] = None,
    stuck_after: Annotated[
        int,
        typer.Option(
            "--stuck-after", metavar="DAYS", min=1, help="Stuck: no progress for DAYS days."
        ),
    ] = 30,
    format: Annotated[
        Optional[ProgressFormat],  # noqa: UP045
        typer.Option("--format", "-f", help="Default: text, or what -o's extension says."),
    ] = None,
    output: Annotated[
        Optional[Path], typer.Option("--output", "-o", help="Write to a file.")  # noqa: UP045
    ] = None,
    emit_sql: Annotated[
        Optional[SqlDialect],  # noqa: UP045
        typer.Option(
            "--emit-sql",
            help="Print the SQL instead of running it: the model as VALUES, the events as a "
            "table named `events`; duckdb, or spark (transpiled by SQLGlot).",
        ),
    ] = None,
    lang: LangOption = None,
) -> None:
    """Where every customer stands: checkpoints reached, next steps, phase, status and why;
    the funnel, time to checkpoint per start-month cohort, and data problems.

    Exit 0; 1 when the data contradicts the model (problems reported) or the model has
    errors; 2 when the events cannot be read.
    """
    from datetime import date

    from prepmodel.views import progress as engine

    file = one_model(file)
    sources = (engine.split_source(events)[0],) if events else ()
    day = date.today()
    if as_of is not None:
        try:
            day = date.fromisoformat(as_of.strip())
        except ValueError:
            fail(f"--as-of: cannot read the date '{as_of}' (expected YYYY-MM-DD)")
    if events is None and emit_sql is None:
        fail("--events is needed (or --emit-sql to print the queries)")
    a = analyse_for(file, output, lang, sources)
    goal_key = resolve_goal(a, goal)
    journey = a.journey if when is None else a.journey.in_scenario(resolve_scenarios(a, when))
    tables = engine.model_tables(a.journey, journey, goal_key)
    if not tables.checkpoints:
        fail(f"{file}: the journey has no checkpoints (no goal that routes produce)")
    if emit_sql is not None:
        has_route = False
        if events is not None:
            has_route = _spellings_of(engine, events, tables)
        text = engine.emit_sql(tables, day, stuck_after, emit_sql.value, has_route)
        _write(text, output)
        raise typer.Exit(EXIT_OK)
    assert events is not None
    try:
        result = engine.run(events, tables, day, stuck_after)
    except engine.SourceError as err:
        fail(str(err))
    fmt = format.value if format is not None else None
    if fmt is None:
        fmt = _BY_SUFFIX.get(output.suffix.lower(), "text") if output is not None else "text"
    from prepmodel.views.progress_out import render_progress

    text = render_progress(result, fmt, language_of(a, lang), a.model.title)
    if a.diagnostics:
        print_diagnostics([a], err=True, lang=lang)
    _write(text, output)
    raise typer.Exit(EXIT_FAILED if a.errors or result.problems else EXIT_OK)


def _spellings_of(engine: object, events: str, tables: object) -> bool:
    """Read the names the events use (for ``--emit-sql`` with ``--events``)."""
    import duckdb

    from prepmodel.views import progress as eng

    assert isinstance(tables, eng.ModelTables)
    con = duckdb.connect(":memory:")
    try:
        return eng.load_events(con, events, tables)
    except eng.SourceError as err:
        fail(str(err))
    finally:
        con.close()


def _write(text: str, output: Path | None) -> None:
    emit(text.encode("utf-8"), output)
