"""`prep raci`: the RACI matrix (contract §10, §15) as text, markdown, CSV, JSON, .xlsx.

Every cell comes from :func:`prepmodel.journey.responsibility.raci`; this module only
lays it out. Headings are in the model's language; JSON keys and mode values never change
(``self``/``alongside``/``on-behalf``; the Japanese words 自走/伴走/代走 in the tables of a
Japanese model).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import Any

from prepmodel.journey.core import Journey
from prepmodel.journey.responsibility import Raci, RaciRow, RoleColumn, raci
from prepmodel.model.responsibility import Party, mode_label
from prepmodel.text.i18n import N_, translator
from prepmodel.text.safe import csv_cell, markdown_cell, printable
from prepmodel.text.width import width
from prepmodel.views.jsonout import dumps
from prepmodel.views.xlsx import Cell

_PARTY_WORDS = {
    "customer": N_("customer"),
    "partner": N_("partner"),
    "vendor": N_("vendor"),
    None: N_("no party"),
}


def party_word(party: Party | None, _: Callable[[str], str]) -> str:
    return _(_PARTY_WORDS[party])


def raci_json(table: Raci) -> dict[str, Any]:
    """The contract's ``prep raci --format json`` object (with ``owner_party`` and each
    route's ``by`` as extra fields)."""
    return {
        "roles": [{"name": c.name, "party": c.party} for c in table.roles],
        "rows": [
            {
                "step": r.step,
                "name": r.name,
                "owner": r.owner,
                "owner_party": r.owner_party,
                "cells": r.cells,
                "routes": [{"id": m.id, "mode": m.mode, "by": list(m.by)} for m in r.routes],
            }
            for r in table.rows
        ],
    }


def _modes(row: RaciRow, lang: str, _: Callable[[str], str], unknown: str = "?") -> str:
    """``伴走`` for one route; ``1.a 伴走, 1.b 代走`` for several; ``given`` for an external;
    ``unknown`` (``?``; empty in a model without parties) for a route whose mode is
    unknown."""
    if row.step is None:
        return _("given")
    if not unknown and all(m.mode is None for m in row.routes):
        return ""
    parts = []
    for m in row.routes:
        label = mode_label(m.mode, lang) or unknown
        parts.append(label if len(row.routes) == 1 else f"{m.id} {label}")
    return ", ".join(parts)


def _headers(table: Raci, _: Callable[[str], str]) -> list[str]:
    return [
        _("Step"),
        _("Deliverable"),
        _("Owner"),
        *(c.name for c in table.roles),
        _("Support mode"),
    ]


def _cells(table: Raci, row: RaciRow, lang: str, _: Callable[[str], str]) -> list[Cell]:
    return [
        row.step,
        row.name,
        row.owner or "",
        *(row.cells.get(c.name, "") for c in table.roles),
        _modes(row, lang, _, "?" if any(c.party for c in table.roles) else ""),
    ]


def _party_spans(roles: tuple[RoleColumn, ...]) -> list[tuple[Party | None, int, int]]:
    """(party, first column index among the roles, count) for each run of one party."""
    spans: list[tuple[Party | None, int, int]] = []
    for i, c in enumerate(roles):
        if spans and spans[-1][0] == c.party:
            p, start, n = spans[-1]
            spans[-1] = (p, start, n + 1)
        else:
            spans.append((c.party, i, 1))
    return spans


def raci_text(table: Raci, title: str | None, lang: str) -> str:
    """An aligned table: a line of party names above the role columns."""
    _ = translator(lang)
    heads = _headers(table, _)
    rows = [[("" if c is None else str(c)) for c in _cells(table, r, lang, _)] for r in table.rows]
    widths = [max(width(h), *(width(r[i]) for r in rows)) for i, h in enumerate(heads)]

    def line(cells: list[str]) -> str:
        out = []
        for i, cell in enumerate(cells):
            pad = " " * (widths[i] - width(cell))
            out.append(pad + cell if i == 0 else cell + pad)
        return "  ".join(out).rstrip()

    party_line = ["", "", ""]
    for party, start, n in _party_spans(table.roles):
        label = party_word(party, _)
        span = sum(widths[3 + start + k] for k in range(n)) + 2 * (n - 1)
        label = label if width(label) <= span else label[: max(1, span // 2)]
        party_line.append(label + " " * max(0, span - width(label)))
    out: list[str] = []
    if title:
        out += [title, "=" * max(8, width(title)), ""]
    if table.roles:
        head = "  ".join(
            p + " " * (widths[i] - width(p)) if i < 3 else p for i, p in enumerate(party_line)
        )
        out.append(head.rstrip())
    out.append(line(heads))
    out.append("  ".join("-" * w for w in widths))
    out += [line(r) for r in rows]
    if not table.rows:
        out.append(_("(none)"))
    out.append("")
    out.append(_("R performs · A owns (accountable) · C consulted · I informed"))
    return printable("\n".join(out) + "\n")


def raci_markdown(table: Raci, title: str | None, lang: str) -> str:
    _ = translator(lang)
    heads = [markdown_cell(h) for h in _headers(table, _)]
    for i, c in enumerate(table.roles):
        heads[3 + i] = f"{markdown_cell(c.name)}<br>*{party_word(c.party, _)}*"
    out: list[str] = []
    if title:
        out += [f"# {markdown_cell(title)}", ""]
    out += ["## " + _("RACI"), ""]
    out.append("| " + " | ".join(heads) + " |")
    out.append("|---:|---|---|" + ":---:|" * len(table.roles) + "---|")
    for r in table.rows:
        cells = _cells(table, r, lang, _)
        out.append(
            "| " + " | ".join(markdown_cell("" if c is None else str(c)) for c in cells) + " |"
        )
    out += ["", _("R performs · A owns (accountable) · C consulted · I informed"), ""]
    return "\n".join(out)


def raci_csv(table: Raci, lang: str) -> str:
    """One header row (a role's party in brackets after its name), one row per line."""
    _ = translator(lang)
    heads = _headers(table, _)
    for i, c in enumerate(table.roles):
        heads[3 + i] = f"{c.name} ({party_word(c.party, _)})"
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow([csv_cell(h) for h in heads])
    for r in table.rows:
        w.writerow([csv_cell("" if c is None else c) for c in _cells(table, r, lang, _)])
    return buf.getvalue()


def raci_xlsx(table: Raci, lang: str) -> bytes:
    """One sheet: a row of parties (merged over their roles) above the frozen header."""
    from prepmodel.views.xlsx import workbook, write_table

    _ = translator(lang)
    heads = _headers(table, _)
    rows = [_cells(table, r, lang, _) for r in table.rows]
    out = io.BytesIO()
    with workbook(out) as book:
        sheet = book.add_worksheet("RACI")
        write_table(book, sheet, heads, rows, first_row=1)
        party = book.add_format({"bold": True, "align": "center", "bottom": 1})
        for p, start, n in _party_spans(table.roles):
            label = party_word(p, _)
            if n == 1:
                sheet.write_string(0, 3 + start, label, party)
            else:
                sheet.merge_range(0, 3 + start, 0, 3 + start + n - 1, label, party)
    return out.getvalue()


def render_raci(j: Journey, fmt: str, lang: str) -> str:
    """The matrix in one of the text formats of `prep raci`."""
    table = raci(j)
    if fmt == "json":
        return dumps(raci_json(table))
    if fmt == "markdown":
        return raci_markdown(table, j.model.title, lang)
    if fmt == "csv":
        return raci_csv(table, lang)
    return raci_text(table, j.model.title, lang)
