"""`prep raci` and `prep kpis` (contract §10, §11): who does what, and how KPIs connect.

Registered on the `prep` app by the import at the end of prepmodel.cli.app. Views are
imported inside the commands, so `prep --version` does not load them (nor XlsxWriter).
"""

from __future__ import annotations

import enum
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from prepmodel.cli.app import (
    EXIT_FAILED,
    EXIT_OK,
    LangOption,
    ScenarioOption,
    TableFormat,
    analyse_for,
    app,
    emit,
    fail,
    language_of,
    one_model,
    print_diagnostics,
    resolve_scenarios,
)


class RaciFormat(enum.StrEnum):
    text = "text"
    markdown = "markdown"
    csv = "csv"
    json = "json"
    xlsx = "xlsx"


FileArg = Annotated[
    str,
    typer.Argument(
        metavar="FILE", help="The .prep file ('-' for stdin), or a folder that holds one."
    ),
]
OutputOption = Annotated[
    Optional[Path],  # noqa: UP045 - typer needs Optional here
    typer.Option("--output", "-o", help="Write to a file (written whole or not at all)."),
]


@app.command()
def raci(
    file: FileArg,
    format: Annotated[
        Optional[RaciFormat],  # noqa: UP045
        typer.Option("--format", "-f", help="Default: by the extension of -o, else text."),
    ] = None,
    output: OutputOption = None,
    when: ScenarioOption = None,
    lang: LangOption = None,
) -> None:
    """The RACI matrix: a row per step (and per external with an owner), a column per role
    grouped by party, cells R (by), A (owner), C (consulted), I (informed), and each
    route's support mode (self 自走, alongside 伴走, on-behalf 代走).

    `-o x.xlsx` writes a spreadsheet (a party row above the frozen header).
    """
    file = one_model(file)
    if format is None:
        suffix = output.suffix.lower().lstrip(".") if output is not None else ""
        format = RaciFormat(suffix) if suffix in RaciFormat.__members__ else RaciFormat.text
    if format is RaciFormat.xlsx and output is None and sys.stdout.isatty():
        fail("--format xlsx writes a spreadsheet: give -o FILE.xlsx (or redirect stdout)")
    a = analyse_for(file, output, lang)
    journey = a.journey if when is None else a.journey.in_scenario(resolve_scenarios(a, when))
    language = language_of(a, lang)
    from prepmodel.views import raci as views

    if format is RaciFormat.xlsx:
        from prepmodel.journey.responsibility import raci as matrix

        data = views.raci_xlsx(matrix(journey), language)
    else:
        data = views.render_raci(journey, format.value, language).encode("utf-8")
    if a.diagnostics:
        print_diagnostics([a], err=True, lang=lang)
    emit(data, output)
    raise typer.Exit(EXIT_FAILED if a.errors else EXIT_OK)


@app.command()
def kpis(
    file: FileArg,
    format: Annotated[TableFormat, typer.Option("--format", "-f")] = TableFormat.text,
    output: OutputOption = None,
    lang: LangOption = None,
) -> None:
    """Every KPI with its deliverable, step, phase and party; for each customer KPI the
    vendor and partner KPIs that drive it (measured upstream or on the same deliverable),
    with the path of deliverables between them, and the reverse.
    """
    file = one_model(file)
    a = analyse_for(file, output, lang)
    from prepmodel.views.kpis import render_kpis

    text = render_kpis(a.journey, format.value, language_of(a, lang))
    if a.diagnostics:
        print_diagnostics([a], err=True, lang=lang)
    emit(text.encode("utf-8"), output)
    raise typer.Exit(EXIT_FAILED if a.errors else EXIT_OK)
