"""Files as an office saves them, built in memory for upload tests: an Excel sheet with Chinese headers, a GBK CSV."""

from __future__ import annotations

import datetime
import io
from typing import Any

import xlsxwriter


def xlsx_bytes(sheet_name: str, headers: list[str], rows: list[list[Any]]) -> bytes:
    """One sheet: the headers, then each row with dates as date cells, numbers as number cells, the rest as text."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet(sheet_name)
    dated = book.add_format({"num_format": "yyyy-mm-dd"})
    sheet.write_row(0, 0, headers)
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            if isinstance(value, datetime.date):
                sheet.write_datetime(r, c, value, dated)
            elif isinstance(value, int | float):
                sheet.write_number(r, c, value)
            else:
                sheet.write_string(r, c, value)
    book.close()
    return buffer.getvalue()


def gbk_csv_bytes(headers: list[str], rows: list[list[Any]]) -> bytes:
    """The rows as a Chinese Excel saves CSV: GBK, CRLF line ends."""
    lines = [",".join(headers)] + [",".join(str(v) for v in row) for row in rows]
    return ("\r\n".join(lines) + "\r\n").encode("gbk")
