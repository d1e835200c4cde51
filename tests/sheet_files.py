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


def numbers_as_text(workbook: Any) -> dict[str, list[tuple[str, str]]]:
    """Per sheet of an .xlsx (a path or its bytes), the cells that hold a number written as text (the green triangle
    Excel marks, whose value a sum leaves out): (cell reference, text). Read from the workbook's XML, each cell's
    type as written (t="s", "str" or "inlineStr": text), not as a reader infers it."""
    import re
    import zipfile
    from xml.etree import ElementTree

    main = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    rel = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
    number = re.compile(r"[-+]?(\d[\d,]*)(\.\d+)?%?")
    source = io.BytesIO(workbook) if isinstance(workbook, bytes) else workbook
    with zipfile.ZipFile(source) as book:
        names = book.namelist()
        shared = []
        if "xl/sharedStrings.xml" in names:
            for item in ElementTree.fromstring(book.read("xl/sharedStrings.xml")).iter(f"{main}si"):
                shared.append("".join(t.text or "" for t in item.iter(f"{main}t")))
        rels = ElementTree.fromstring(book.read("xl/_rels/workbook.xml.rels"))
        targets = {r.get("Id"): r.get("Target", "") for r in rels}
        found: dict[str, list[tuple[str, str]]] = {}
        for sheet in ElementTree.fromstring(book.read("xl/workbook.xml")).iter(f"{main}sheet"):
            target = targets[sheet.get(rel)].lstrip("/")
            xml = ElementTree.fromstring(book.read(target if target.startswith("xl/") else f"xl/{target}"))
            texts = []
            for cell in xml.iter(f"{main}c"):
                kind = cell.get("t")
                if kind == "s":
                    text = shared[int(cell.findtext(f"{main}v") or 0)]
                elif kind in ("str", "inlineStr"):
                    text = cell.findtext(f"{main}v") or "".join(t.text or "" for t in cell.iter(f"{main}t"))
                else:
                    continue
                if number.fullmatch(text.strip()):
                    texts.append((str(cell.get("r")), text))
            found[str(sheet.get("name"))] = texts
    return found
