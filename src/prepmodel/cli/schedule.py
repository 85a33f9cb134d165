"""``prep schedule``: dates, slack and milestones from the model's efforts (contract §12,
docs/schedule.md). Registered on the app by :func:`register`."""

from __future__ import annotations

import datetime as dt
import enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

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

if TYPE_CHECKING:
    from prepmodel.views.schedule import Dated


class CalendarChoice(enum.StrEnum):
    jp = "jp"
    none = "none"


class ScheduleFormat(enum.StrEnum):
    text = "text"
    json = "json"
    csv = "csv"


#: Output file extensions and what they hold.
EXTENSIONS = (".xml", ".xlsx", ".ics", ".mmd", ".csv", ".json", ".txt")


def parse_start(text: str) -> dt.date:
    """An ISO date (``2026-04-01``; ``2026/04/01`` too), or exit 2 saying what was wrong."""
    cleaned = text.strip().replace("/", "-")
    try:
        return dt.date.fromisoformat(cleaned)
    except ValueError:
        fail(f"--start: '{text}' is not a date; write it as YYYY-MM-DD (e.g. 2026-04-01)")


def schedule(
    file: Annotated[
        str,
        typer.Argument(
            metavar="FILE", help="The .prep file ('-' for stdin), or a folder that holds one."
        ),
    ],
    start: Annotated[
        str,
        typer.Option(
            "--start", metavar="DATE", help="First day of the plan, YYYY-MM-DD (required)."
        ),
    ],
    calendar: Annotated[
        Optional[CalendarChoice],  # noqa: UP045 - typer needs Optional here
        typer.Option(
            "--calendar",
            help="jp: weekends and Japanese public holidays off; none: every day counts "
            "(default: jp for a Japanese model, else none).",
        ),
    ] = None,
    when: ScenarioOption = None,
    goal: Annotated[Optional[str], typer.Option(help="Only this goal.")] = None,  # noqa: UP045
    default_effort: Annotated[
        Optional[str],  # noqa: UP045 - typer needs Optional here
        typer.Option(
            "--default-effort",
            metavar="DURATION",
            help="Effort of the routes that have none (e.g. 1d, 4h); without it they take no time.",
        ),
    ] = None,
    format: Annotated[ScheduleFormat, typer.Option("--format", "-f")] = ScheduleFormat.text,
    output: Annotated[
        Optional[Path],  # noqa: UP045 - typer needs Optional here
        typer.Option(
            "--output",
            "-o",
            help="Write to a file; its extension picks the format: .xml (MS Project XML), "
            ".xlsx (WBS sheet), .ics (milestones), .mmd (Mermaid gantt), .csv, .json, .txt.",
        ),
    ] = None,
    lang: LangOption = None,
) -> None:
    """Dates from efforts: early/late start and finish, slack, milestones (CPM).

    Each step is made by the route the critical path chose (the fastest; --when picks
    scenarios). Without -o a text table (or --format json|csv) goes to stdout.
    """
    from prepmodel.journey.schedule import plan
    from prepmodel.model.effort import parse_effort
    from prepmodel.model.language import model_language
    from prepmodel.model.workdays import WorkCalendar
    from prepmodel.text.i18n import localize, msg
    from prepmodel.views.schedule import Dated

    first = parse_start(start)
    default_hours = None
    if default_effort is not None:
        default_hours = parse_effort(default_effort)
        if default_hours is None:
            fail(f"--default-effort: cannot read '{default_effort}' as a duration (e.g. 1d, 4h)")
    suffix = output.suffix.lower() if output is not None else None
    if suffix is not None and suffix not in EXTENSIONS:
        fail(f"-o: cannot tell the format from '{output}'; use one of {', '.join(EXTENSIONS)}")
    file = one_model(file)
    a = analyse_for(file, output, lang)
    language = language_of(a, lang)
    goal_key = resolve_goal(a, goal)
    journey = a.journey if when is None else a.journey.in_scenario(resolve_scenarios(a, when))
    kind = calendar.value if calendar is not None else None
    if kind is None:
        kind = "jp" if model_language(a.model, None, environ={}) == "ja" else "none"
    the_plan = plan(journey, [goal_key] if goal_key is not None else None, default_hours)
    dated = Dated(journey, the_plan, WorkCalendar(kind, first))
    if a.diagnostics:
        print_diagnostics([a], err=True, lang=lang)
    if the_plan.without_effort:
        if default_hours is None:
            note = msg(
                "{count} of {total} routes have no effort; counted as 0 days "
                "(--default-effort 1d fills them)",
                count=the_plan.without_effort,
                total=the_plan.routes,
            )
        else:
            note = msg(
                "{count} of {total} routes have no effort; counted as {effort} each",
                count=the_plan.without_effort,
                total=the_plan.routes,
                effort=default_effort,
            )
        typer.echo(f"prep: {localize(note, language)}", err=True)
    emit(_output_bytes(dated, suffix, format.value, language), output)
    raise typer.Exit(EXIT_FAILED if a.errors else EXIT_OK)


def _output_bytes(dated: Dated, suffix: str | None, fmt: str, language: str) -> bytes:
    """The bytes of the output that ``suffix`` (or, without a file, ``fmt``) asks for."""
    from prepmodel.views.schedule import render_schedule

    if suffix == ".xml":
        from prepmodel.views.mspdi import project_xml

        return project_xml(dated, language)
    if suffix == ".xlsx":
        from prepmodel.views.schedule_xlsx import schedule_xlsx

        return schedule_xlsx(dated, language)
    if suffix == ".ics":
        from prepmodel.views.gantt import milestones_ics

        return milestones_ics(dated).encode("utf-8")
    if suffix == ".mmd":
        from prepmodel.views.gantt import mermaid_gantt

        return mermaid_gantt(dated, language).encode("utf-8")
    if suffix in (".csv", ".json"):
        fmt = suffix[1:]
    elif suffix == ".txt":
        fmt = "text"
    return render_schedule(dated, fmt, language).encode("utf-8")


def register(app: typer.Typer) -> None:
    app.command("schedule")(schedule)
