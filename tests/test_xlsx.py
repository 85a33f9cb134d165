"""The shared .xlsx writer: same bytes for the same content, read back by openpyxl with
the cells, the frozen header and Japanese-aware column widths."""

from __future__ import annotations

import io

import openpyxl

from prepmodel.views.xlsx import column_width, table_bytes

HEADERS = ["工程", "成果物", "effort"]
ROWS: list[list[str | int | float | None]] = [
    [1, "顧客カルテ", 2.5],
    [2, "成功定義書（ドラフト版）", None],
    [3, "kickoff memo", 8],
]


def test_same_bytes_twice() -> None:
    assert table_bytes("RACI", HEADERS, ROWS) == table_bytes("RACI", HEADERS, ROWS)


def test_read_back() -> None:
    book = openpyxl.load_workbook(io.BytesIO(table_bytes("RACI", HEADERS, ROWS)))
    sheet = book["RACI"]
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0] == HEADERS
    assert values[1:] == [
        [1, "顧客カルテ", 2.5],
        [2, "成功定義書（ドラフト版）", None],
        [3, "kickoff memo", 8],
    ]
    assert sheet.freeze_panes == "A2"
    # 12 wide characters need 24 columns; the ASCII memo 12.
    assert sheet.column_dimensions["B"].width >= 24
    assert column_width(["成功定義書（ドラフト版）"]) > column_width(["kickoff memo"])
