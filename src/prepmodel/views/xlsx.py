"""Spreadsheets (.xlsx) through XlsxWriter: one place that makes a workbook reproducible
(the same bytes for the same content), sizes columns by display width (a Japanese
character takes two columns, as Excel draws it), and writes a table with a frozen,
filterable header row. `prep raci` and `prep schedule` build their sheets on this.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from prepmodel.text.width import width

if TYPE_CHECKING:
    from xlsxwriter.workbook import Workbook
    from xlsxwriter.worksheet import Worksheet

Cell = str | int | float | None

#: The creation date written into every workbook, so that two runs give the same bytes.
#: (XlsxWriter already writes its zip members with a fixed date.)
FIXED_CREATED = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)

#: Column widths are in Excel's units (about one narrow character); padded and capped so
#: a long note does not make a column wider than a screen.
MIN_WIDTH = 4.0
MAX_WIDTH = 60.0
PADDING = 2.0


@contextmanager
def workbook(out: io.BytesIO) -> Iterator[Workbook]:
    """A workbook that writes into ``out`` when the block ends, with fixed properties."""
    import xlsxwriter

    book = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_numbers": False})
    book.set_properties({"created": FIXED_CREATED, "author": "", "comments": "prepmodel"})
    try:
        yield book
    finally:
        book.close()


def column_width(texts: Sequence[Cell]) -> float:
    """The width of a column holding ``texts``: the widest display width, padded."""
    widest = max((width(_text(t)) for t in texts), default=0)
    return min(MAX_WIDTH, max(MIN_WIDTH, widest + PADDING))


def _text(cell: Cell) -> str:
    if cell is None:
        return ""
    longest = max(str(cell).splitlines() or [""], key=width)
    return longest


def write_table(
    book: Workbook,
    sheet: Worksheet,
    headers: Sequence[str],
    rows: Sequence[Sequence[Cell]],
    *,
    first_row: int = 0,
    cell_formats: dict[int, Any] | None = None,
) -> None:
    """Headers in bold on ``first_row`` (frozen, with a filter), the rows below, each
    column as wide as its widest cell. ``cell_formats`` maps a column to a format."""
    bold = book.add_format({"bold": True, "bottom": 1})
    for col, head in enumerate(headers):
        sheet.write_string(first_row, col, head, bold)
    formats = cell_formats or {}
    for r, row in enumerate(rows, start=first_row + 1):
        for col, cell in enumerate(row):
            fmt = formats.get(col)
            if cell is None:
                continue
            if isinstance(cell, (int, float)) and not isinstance(cell, bool):
                sheet.write_number(r, col, cell, fmt)
            else:
                sheet.write_string(r, col, str(cell), fmt)
    for col, head in enumerate(headers):
        sheet.set_column(
            col, col, column_width([head, *(row[col] for row in rows if col < len(row))])
        )
    sheet.freeze_panes(first_row + 1, 0)
    if rows:
        sheet.autofilter(first_row, 0, first_row + len(rows), len(headers) - 1)


def table_bytes(sheet_name: str, headers: Sequence[str], rows: Sequence[Sequence[Cell]]) -> bytes:
    """A one-sheet workbook holding one table."""
    out = io.BytesIO()
    with workbook(out) as book:
        sheet = book.add_worksheet(sheet_name[:31])
        write_table(book, sheet, headers, rows)
    return out.getvalue()
