"""Opening a file of any supported format as a raw table: CSV (UTF-8, UTF-8 with BOM, GBK/GB18030), Excel,
Parquet, JSON and YAML. Columns keep their own headers; cells are text unless the format is typed."""

from __future__ import annotations

import csv
import io
import json
import os
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import polars as pl
import yaml

from changzhu.domain.refusals import CodedError, RefusalCode, listed, refusal

CSV_SUFFIXES = (".csv", ".tsv", ".txt")
EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
RECORD_SUFFIXES = (".json", ".yaml", ".yml")
SUFFIXES = (*CSV_SUFFIXES, *EXCEL_SUFFIXES, ".parquet", *RECORD_SUFFIXES)


class FileUnreadable(CodedError, ValueError):
    """A file that cannot be opened as a table at all (format, encoding, sheet); a refusal where the reason is one a
    clerk can act on in their language (a row with more cells than the header), else the reader's own words."""


@dataclass(frozen=True)
class RawTable:
    """A file's cells with its own headers; `first_line` is the file line (or record number) of the first data row.
    `kept`, when blank rows were left out, is each remaining row's position among the file's data rows."""

    frame: pl.DataFrame
    first_line: int
    row_word: str  # "row" (CSV, Excel, Parquet: the row a spreadsheet shows) or "record" (JSON, YAML)
    encoding: str = ""
    kept: pl.Series | None = None
    header_line: int = 1  # the header's line: 1, or the row under a title the sheet has above it (read.below_title)

    def line(self, row: int) -> int:
        """The file line (sheet row, record number) of data row `row`."""
        return self.first_line + (row if self.kept is None else int(self.kept[row]))

    def lines(self, rows: pl.Series) -> list[int]:
        """The file lines of the data rows `rows` (positions in `frame`)."""
        positions = rows if self.kept is None else self.kept.gather(rows)
        return (positions + self.first_line).to_list()


def without_blank_rows(raw: RawTable) -> RawTable:
    """`raw` without its wholly empty rows (a blank line of a CSV file, an empty sheet row between the data): they
    hold nothing to read or refuse, and each remaining row keeps its own line in the file."""
    frame = raw.frame
    if not frame.width or not frame.height:
        return raw
    # a cell holding nothing but white space (a sheet's cell emptied to "", a CSV's "  ") is as empty as no cell
    blank = frame.select(pl.all_horizontal(pl.all().cast(pl.String).str.strip_chars().fill_null("") == "")).to_series()
    if not blank.any():
        return raw
    keep = blank.not_()
    return RawTable(frame.filter(keep), raw.first_line, raw.row_word, raw.encoding, keep.arg_true(), raw.header_line)


# the first bytes of files offices upload under a table's name by mistake (a PDF renamed .csv), each by the name
# the user knows it by: refused saying what it is, not read as text (its first line an "unknown column")
NOT_TABLES = (
    (b"%PDF", "PDF"),
    (b"\x89PNG", "PNG"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"GIF8", "GIF"),
    (b"{\\rtf", "RTF"),
    (b"Rar!", "RAR"),
    (b"7z\xbc\xaf", "7z"),
)
ZIP = b"PK\x03\x04"  # an .xlsx (or .docx, or any zip archive)
OLE = b"\xd0\xcf\x11\xe0"  # an old Office file: .xls (or .doc)


def _not_a_table(head: bytes) -> str | None:
    """What the file is when its first bytes say it is no table (PDF, an image, an archive), else None."""
    return next((name for magic, name in NOT_TABLES if head.startswith(magic)), None)


def _separator(path: Path, data: bytes) -> str:
    """The CSV's separator: a tab for .tsv; else a comma, or the tab or semicolon its header is split by when the
    header holds no comma (Excel's 文本文件（制表符分隔） in GBK has tabs, a European-locale Excel CSV semicolons;
    its "Unicode text" is UTF-16, refused as neither UTF-8 nor GBK)."""
    if path.suffix.lower() == ".tsv":
        return "\t"
    header = data.split(b"\n", 1)[0]
    if b"," in header:
        return ","
    counts = {sep: header.count(sep.encode()) for sep in ("\t", ";")}
    best = max(counts, key=lambda sep: counts[sep])
    return best if counts[best] else ","


def _csv(path: Path) -> RawTable:
    data = path.read_bytes()
    if not data.lstrip(b"\xef\xbb\xbf \t\r\n"):
        raise FileUnreadable(refusal(RefusalCode.FILE_EMPTY))
    if (what := _not_a_table(data[:8])) is not None:
        raise FileUnreadable(refusal(RefusalCode.FILE_NOT_A_TABLE, format=what))
    if data.startswith((ZIP, OLE)):  # a workbook saved under a .csv name: read as the workbook it is
        return _excel(path, None)
    separator = _separator(path, data)
    try:
        frame = pl.read_csv(path, infer_schema=False, separator=separator, encoding="utf8")
        encoding = "utf-8"
        if any("\ufffd" in c for c in frame.columns):  # polars reads a header that is not UTF-8 lossily
            raise pl.exceptions.ComputeError("invalid utf-8 in the header")
    except pl.exceptions.ComputeError as exc:
        if "utf-8" not in str(exc).lower() and "utf8" not in str(exc).lower():
            raise _unreadable_csv(path.read_bytes().decode("utf-8", "replace"), separator, path, exc) from exc
        try:  # without a UTF-8 mark some systems write before GBK text (to make Excel open UTF-8)
            text = path.read_bytes().removeprefix(b"\xef\xbb\xbf").decode("gb18030")
        except UnicodeDecodeError as err:
            raise FileUnreadable(refusal(RefusalCode.FILE_NOT_TEXT)) from err
        try:
            frame = pl.read_csv(io.StringIO(text), infer_schema=False, separator=separator)
        except pl.exceptions.ComputeError as err:  # a GBK file with a ragged row was answered 500 (walkoffice)
            raise _unreadable_csv(text, separator, path, err) from err
        encoding = "gb18030"
    except pl.exceptions.NoDataError as exc:
        raise FileUnreadable(refusal(RefusalCode.FILE_EMPTY)) from exc
    return without_blank_rows(
        RawTable(frame.rename({c: c.lstrip("\ufeff") for c in frame.columns}), 2, "row", encoding)
    )


def _unreadable_csv(text: str, separator: str, path: Path, error: Exception) -> FileUnreadable:
    """Why the CSV reader gave up on `text`: the first line with more cells than the header (a comma inside an
    unquoted cell, 3,200), named with its line, else the reader's own message."""
    rows = csv.reader(io.StringIO(text), delimiter=separator)
    columns = len(next(rows, []))
    for row in rows:
        if len(row) > columns:
            return FileUnreadable(
                refusal(RefusalCode.CSV_ROW_TOO_MANY_CELLS, line=rows.line_num, cells=len(row), columns=columns)
            )
    return FileUnreadable(f"{path}: not a readable CSV file ({str(error).splitlines()[0]})")


def _excel(path: Path, sheet: str | None) -> RawTable:
    try:
        if sheet is None:
            frame = pl.read_excel(path, sheet_id=1, engine="calamine", infer_schema_length=0, drop_empty_rows=False)
        else:
            frame = pl.read_excel(
                path, sheet_name=sheet, engine="calamine", infer_schema_length=0, drop_empty_rows=False
            )
    except Exception as exc:  # fastexcel raises its own types for a missing sheet or a damaged file
        sheets = _sheet_names(path) if sheet is not None else None
        if sheet is not None and sheets is not None and sheet not in sheets:  # not in the workbook: those it has
            raise FileUnreadable(refusal(RefusalCode.SHEET_NOT_IN_WORKBOOK, sheet=sheet, sheets=sheets)) from exc
        with path.open("rb") as file:
            what = _not_a_table(file.read(8))
        why = refusal(RefusalCode.FILE_NOT_A_TABLE, format=what) if what else refusal(RefusalCode.WORKBOOK_UNREADABLE)
        raise FileUnreadable(why) from exc
    return without_blank_rows(RawTable(frame, 2, "row"))  # the rows keep their sheet row numbers


def _sheet_names(path: Path) -> tuple[str, ...] | None:
    """The names of a workbook's sheets, None where it cannot be opened."""
    import fastexcel

    try:
        return tuple(fastexcel.read_excel(str(path)).sheet_names)
    except Exception:  # a damaged file or no workbook: fastexcel's own error types
        return None


def sheet_heads(path: Path, rows: int) -> list[tuple[str, list[tuple[object, ...]]]]:
    """Each sheet of the workbook `path` by name, in the workbook's order, with its first `rows` rows (cells as
    text): where a sheet holds a table, its header is among them. Empty where the workbook cannot be opened."""
    import fastexcel

    try:
        book = fastexcel.read_excel(str(path))
        return [
            (name, book.load_sheet(name, header_row=None, n_rows=rows, dtypes="string").to_polars().rows())
            for name in book.sheet_names
        ]
    except Exception:  # a damaged sheet or no workbook: fastexcel's own error types (read_raw says what is wrong)
        return []


def _cell(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list) and all(isinstance(v, str | int | float | date) for v in value):
        return ";".join(v.isoformat() if isinstance(v, date) else str(v) for v in value) or "[]"  # a set, dates
    if isinstance(value, dict | list):
        raise ValueError("a nested value where a single value is expected")
    return str(value)


def _records(path: Path, key: str) -> RawTable:
    try:
        text = path.read_text(encoding="utf-8-sig")
        raw = json.loads(text) if path.suffix.lower() == ".json" else yaml.safe_load(text)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, yaml.YAMLError) as exc:
        raise FileUnreadable(f"{path}: cannot be read ({str(exc).splitlines()[0]})") from exc
    records = raw.get(key) if isinstance(raw, dict) and key else raw
    if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
        where = f" or a mapping with {key!r}" if key else ""
        raise FileUnreadable(f"{path}: expected a list of records{where}")
    headers: dict[str, None] = {}
    for record in records:
        headers.update(dict.fromkeys(str(k) for k in record))
    try:
        data = {h: [_cell(r.get(h)) for r in records] for h in headers}
    except ValueError as exc:
        raise FileUnreadable(f"{path}: {exc}") from exc
    return RawTable(pl.DataFrame(data, schema=dict.fromkeys(headers, pl.String)), 1, "record")


def read_raw(path: Path, *, sheet: str | None = None, records_key: str = "") -> RawTable:
    """The cells of `path` by its suffix (a directory: its .parquet parts, as `changzhu simulate --store` writes)."""
    suffix = path.suffix.lower()
    if path.is_dir():
        parts = sorted(path.glob("*.parquet"))
        if not parts:
            raise FileUnreadable(refusal(RefusalCode.TABLE_DIRECTORY_EMPTY, file=str(path)))
        return RawTable(pl.concat([pl.read_parquet(p) for p in parts], how="vertical"), 1, "row")
    if not path.is_file():
        raise FileUnreadable(refusal(RefusalCode.CLI_FILE_NOT_FOUND, file=str(path), cwd=os.getcwd()))
    if suffix not in SUFFIXES:
        known = listed("suffixes", SUFFIXES)
        raise FileUnreadable(refusal(RefusalCode.TABLE_FILE_FORMAT, file=str(path), suffix=suffix or "—", **known))
    if sheet is not None and suffix not in EXCEL_SUFFIXES:
        raise FileUnreadable(
            refusal(
                RefusalCode.TABLE_SHEET_NOT_EXCEL,
                file=str(path),
                option="--sheet",
                **listed("suffixes", EXCEL_SUFFIXES),
            )
        )
    if suffix in CSV_SUFFIXES:
        return _csv(path)
    if suffix in EXCEL_SUFFIXES:
        return _excel(path, sheet)
    if suffix == ".parquet":
        try:
            return RawTable(pl.read_parquet(path), 1, "row")
        except (OSError, pl.exceptions.PolarsError) as exc:
            raise FileUnreadable(f"{path}: not a readable Parquet file ({str(exc).splitlines()[0]})") from exc
    return _records(path, records_key)
