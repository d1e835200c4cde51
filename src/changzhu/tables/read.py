"""Reading a file of one kind: headers matched to the schema, every cell read, every bad row in one report."""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Collection, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from changzhu.domain.lang import Lang
from changzhu.domain.masking import mask
from changzhu.domain.refusals import Refusal, RefusalCode, refusal
from changzhu.errors import ChangzhuError
from changzhu.tables.formats import EXCEL_SUFFIXES, RawTable, read_raw, sheet_heads
from changzhu.tables.places import reason_text
from changzhu.tables.schema import Column, ColumnType, Fallback, TableSchema, header_candidates, normalize_header
from changzhu.tables.vocab import RegionIndex, parse_column

ERROR_SCHEMA: dict[str, pl.DataType] = {
    "row": pl.Int64(),  # the file's line (CSV, header = 1), the sheet row (Excel), the record (JSON): "row" everywhere
    "column": pl.String(),
    "value": pl.String(),
    "reason": pl.String(),
    "reason_zh": pl.String(),
}


@dataclass(frozen=True)
class CellError:
    """One rejected cell: the line (or row, or record) in the file, the column as headed there, value and why."""

    line: int
    column: str
    value: str
    reason: Refusal


def errors_frame(errors: list[CellError]) -> pl.DataFrame:
    """The report as a table: row, column, value, reason (English) and reason_zh (Chinese)."""
    rows = [(e.line, e.column, e.value, reason_text(e.reason, Lang.EN), reason_text(e.reason, Lang.ZH)) for e in errors]
    return pl.DataFrame(rows, schema=ERROR_SCHEMA, orient="row")


def _quoted(value: str) -> str:
    """A rejected cell's value as the English error line shows it after the column: ` "4x"`, nothing when empty."""
    return f' "{value}"' if value else ""


class TableRejected(ChangzhuError, ValueError):
    """A file with bad rows, or bad headers: nothing of it was used. `errors` lists every problem; `refusal` says so
    in Chinese and English (the command line's error line in its language; the message, the log's, in English)."""

    def __init__(self, path: Path, errors: list[CellError], bad_rows: int, rows: int, row_word: str = "row") -> None:
        self.path, self.errors, self.bad_rows, self.rows, self.row_word = path, errors, bad_rows, rows, row_word
        first = "; ".join(
            f"{row_word} {e.line} {e.column}{_quoted(e.value)}: {reason_text(e.reason, Lang.EN)}" for e in errors[:3]
        )
        more = f" (and {len(errors) - 3} more)" if len(errors) > 3 else ""
        what = f"{bad_rows} of {rows} row(s) rejected" if rows else "the header cannot be used"
        message = f"{path}: {what}, nothing used: {first}{more}"
        word = "条" if row_word == "record" else "行"
        first_zh = "；".join(
            f"第 {e.line} {word} {e.column}{f' “{e.value}”' if e.value else ''}：{reason_text(e.reason, Lang.ZH)}"
            for e in errors[:3]
        )
        more_zh = f"（另有 {len(errors) - 3} 个问题）" if len(errors) > 3 else ""
        what_zh = f"{rows} {word}中有 {bad_rows} {word}有误" if rows else "表头无法使用"
        said_zh = f"{path}：{what_zh}，未使用任何数据：{first_zh}{more_zh}"
        self.refusal = refusal(RefusalCode.IN_TWO_LANGUAGES, text_zh=said_zh, text_en=message)
        super().__init__(message)

    def report(self) -> pl.DataFrame:
        """The errors as a table (row, column, value, reason, reason_zh)."""
        return errors_frame(self.errors)


@dataclass(frozen=True)
class SheetsRead:
    """The sheet a workbook was read from when no sheet was named: `read`, the first sheet unless that one (`first`)
    holds no header of the table, and `left`, the other sheets headed as the table, not read."""

    first: str
    read: str
    left: tuple[str, ...]

    def notes(self, schema: TableSchema) -> list[Refusal]:
        """Each thing to tell: the sheet read in place of the first; the sheets like it left unread."""
        notes = []
        if self.read != self.first:
            notes.append(
                refusal(
                    RefusalCode.SHEET_READ_NOT_FIRST,
                    first=self.first,
                    sheet=self.read,
                    table_zh=schema.zh,
                    table_en=schema.en,
                )
            )
        if self.left:
            notes.append(
                refusal(
                    RefusalCode.SHEETS_NOT_READ,
                    sheet=self.read,
                    others_zh="、".join(f"「{name}」" for name in self.left),
                    others_en=", ".join(self.left),
                    table_zh=schema.zh,
                    table_en=schema.en,
                )
            )
        return notes


@dataclass(frozen=True)
class TableRead:
    """A file read against its schema: the typed table, each kept row's line in the file, the rows left out
    with --skip-bad-rows and why."""

    frame: pl.DataFrame
    lines: Sequence[int]
    errors: list[CellError]
    skipped: int
    encoding: str = ""
    headers: Mapping[str, str] = field(default_factory=dict)  # a schema column -> the file's header naming it
    ignored: tuple[str, ...] = ()  # the file's headers naming no column of the schema: left out, not read
    sheets: SheetsRead | None = None  # a workbook of several sheets read without a sheet named: which was read

    def ignored_note(self, schema: TableSchema) -> Refusal | None:
        """What the reader left out (None when nothing): the columns of the file that are not the table's, named
        as the file heads them, read for nothing and stored nowhere."""
        if not self.ignored:
            return None
        return refusal(
            RefusalCode.COLUMNS_NOT_READ,
            table_zh=schema.zh,
            table_en=schema.en,
            columns_zh="、".join(self.ignored),
            columns_en=", ".join(self.ignored),
        )

    def sheets_notes(self, schema: TableSchema) -> list[Refusal]:
        """What the reader did with a workbook's sheets, when it was not only reading its first one: the sheet it read
        in place of a first sheet holding no header of the table, and the other sheets with the table's header it
        did not read (a school list's 小学 and 初中 sheets: the second's rows are not in the plan)."""
        return [] if self.sheets is None else self.sheets.notes(schema)

    def report(self) -> pl.DataFrame:
        """The rejected rows of a read with --skip-bad-rows (empty otherwise)."""
        return errors_frame(self.errors)

    def header(self, column: str) -> str:
        """The file's header of a schema column (a later check names its row's column as the file does)."""
        return self.headers.get(column, column)


@dataclass(frozen=True)
class Headers:
    """A file's header matched to a schema: each schema column to the file's header naming it, the columns the file
    leaves out that another of its columns gives (`_derived`), and the headers naming no column (left out)."""

    found: dict[str, str]
    derived: dict[str, tuple[Fallback, pl.Series]]
    ignored: tuple[str, ...]


# how alike a header and a known one must be (difflib's ratio) to read as that header mistyped: a required column's
# (床位数量, 床位树 for 床位数; 所在区（市）县 for 所在区县), or, closer still, an optional one's (经纬度 for 经度); an
# office's own columns rarely come that close (电话 beside 联系电话, "level" beside award_level are left out)
LIKE_REQUIRED, LIKE_OPTIONAL = 0.6, 0.75


def _like_known(header: str, schema: TableSchema, given: Collection[str]) -> tuple[Refusal, str] | None:
    """A header naming no column that reads as the header of a column the file does not give, mistyped or varied
    (床位数量 for 床位数, 所在区（市）县 for 所在区县): refused naming the header it resembles. A header like that of
    a column the file gives (核定床位数 beside 床位数, 机构类别 where 床位数 gives the service) is another column of
    the office's list, left out. With the refusal, the name of the column it resembles."""
    written = normalize_header(header)
    best: tuple[float, str, Column] | None = None
    for col in schema.columns:
        if col.name in given:
            continue
        for known in (h for h in col.headers() if h):
            likeness = difflib.SequenceMatcher(None, written, normalize_header(known)).ratio()
            if likeness >= (LIKE_REQUIRED if col.required else LIKE_OPTIONAL) and (best is None or likeness > best[0]):
                best = (likeness, known, col)
    if best is None:
        return None
    _likeness, known, col = best
    label_en = col.en or col.name.replace("_", " ")
    if known == col.zh:  # the Chinese label itself: said once (not 「户籍地」（户籍地）)
        return refusal(RefusalCode.HEADER_LIKE_CHINESE_LABEL, header=known, label_en=label_en), col.name
    return refusal(RefusalCode.HEADER_LIKE_KNOWN, header=known, label_zh=col.zh, label_en=label_en), col.name


def _same_column(first: str, header: str, name: str) -> Refusal:
    """`header` refused for naming the column `name` that the file's `first` header already names: the column's name
    said in brackets unless one of the two headers is that name (hukou_region beside 户籍地 names it once)."""
    if any(normalize_header(name) in header_candidates(h) for h in (first, header)):
        return refusal(RefusalCode.SAME_COLUMN_HEADED, header=first)
    return refusal(RefusalCode.SAME_COLUMN_AS, header=first, name=name)


def _match_headers(
    path: Path, raw: RawTable, schema: TableSchema, *, ignore_unknown: bool, regions: RegionIndex | None = None
) -> Headers:
    """The file's header matched to the schema. A header naming no column is left out (a city's list carries its
    备注, 电话, 联系人…), unless it reads as a known header mistyped (`_like_known`); a doubled or missing column, or
    a header cell left empty over data, is an error. A header refused for a missing column also names every column
    it left out: the missing one may be among them under another name. `ignore_unknown`: every header naming no
    column is left out, however close (a stored simulation's own attributes)."""
    known = schema.header_map()
    found: dict[str, str] = {}
    errors: list[CellError] = []
    unknown: list[str] = []
    line = raw.header_line
    for position, header in enumerate(raw.frame.columns, start=1):
        name = next((known[k] for k in header_candidates(header) if k in known), None)
        if name is None and BLANK_HEADER.fullmatch(header):  # a header cell left empty (a reader's placeholder name)
            if ignore_unknown or _blank(raw.frame[header]).all():  # an empty column beside the table: nothing
                continue
            letter = column_letter(position)  # the column as the spreadsheet heads it (K), not a reader's name
            # the reason names it by its number too (a CSV read in a text editor has no letters): 第 11 列（K）
            why = refusal(RefusalCode.HEADER_BLANK_AT, position=position, letter=letter)
            errors.append(CellError(line, letter, "", why))
            continue
        if name is None:
            unknown.append(header)
        elif name in found:
            errors.append(CellError(line, header, "", _same_column(found[name], header, name)))
        else:
            found[name] = header
    derived = _derived(raw, schema, found, regions)  # a column another gives is not missing, header errors or not
    ignored, resembled = [], set()
    for header in unknown:
        mistyped = None if ignore_unknown else _like_known(header, schema, {*found, *derived})
        if mistyped is not None:
            errors.append(CellError(line, header, "", mistyped[0]))
            resembled.add(mistyped[1])
        else:
            ignored.append(header)
    missing = [col.name for col in schema.columns if col.required and col.name not in found and col.name not in derived]
    # a missing column no mistyped header explains (nor the column it is read from): the file may name it otherwise
    sources = {f.column: f.source for f in schema.fallbacks}
    unexplained = [m for m in missing if m not in resembled and sources.get(m) not in resembled]
    if unexplained and not ignore_unknown:
        errors += [CellError(line, h, "", refusal(RefusalCode.UNKNOWN_COLUMN)) for h in ignored]
    for name in missing:
        col = schema.column(name)
        errors.append(CellError(line, missing_column(col), "", _headed(col)))
    if errors:
        raise TableRejected(path, errors, 0, 0)
    return Headers(found, derived, () if ignore_unknown else tuple(ignored))  # a stored simulation: said nowhere


def missing_column(col: Column) -> str:
    """How the report names a column the file lacks: as a template heads it, 居住起始日期 (residence_since) (its
    label, its field name in brackets for the technical reader)."""
    return f"{col.zh} ({col.name})"


def _headed(col: Column) -> Refusal:
    """A missing column's reason, naming the headers that give it in the reader's language first: 居住起始日期 (or
    来本市日期、来本地日期…) in Chinese, "resident since" (or 居住起始日期, 来本市日期…) in English."""
    others_zh = [h for h in (*col.aliases, col.en) if h and h != col.zh]
    others_en = [h for h in (col.zh, *col.aliases) if h and h != col.en]
    label_en = col.en or col.name.replace("_", " ")
    return refusal(
        RefusalCode.COLUMN_MISSING_HEADERS,
        headers_zh=f"「{col.zh}」" + (f"（或 {'、'.join(others_zh)}）" if others_zh else ""),
        headers_en=f'"{label_en}"' + (f" (or {', '.join(others_en)})" if others_en else ""),
    )


def _derived(
    raw: RawTable, schema: TableSchema, found: dict[str, str], regions: RegionIndex | None
) -> dict[str, tuple[Fallback, pl.Series]]:
    """The columns the file leaves out that another of its columns gives (the schema's fallbacks), with their cells."""
    derived: dict[str, tuple[Fallback, pl.Series]] = {}
    for fallback in schema.fallbacks:
        if fallback.column in found or fallback.column in derived or fallback.source not in found:
            continue
        header = found[fallback.source]
        cells = fallback.read(header, raw.frame.get_column(header), regions)
        if cells is not None:
            derived[fallback.column] = (fallback, cells.alias(header))
    return derived


def _filled_from_fallbacks(
    raw: RawTable, schema: TableSchema, headers: Mapping[str, str], regions: RegionIndex | None
) -> dict[str, pl.Series]:
    """A column the file has, its empty cells filled from the column a fallback reads it from (a facility list's
    所在区 left empty where the 地址 says 广州市天河区…): what the source says where the file's own cell is empty; and,
    for a region, where the source names the same place with its city (所在区 南山区, a name two cities have, beside
    the 地址 深圳市南山区桃园路89号: 深圳市南山区)."""
    filled: dict[str, pl.Series] = {}
    for fallback in schema.fallbacks:
        if fallback.column not in headers or fallback.source not in headers or fallback.column in filled:
            continue
        own = raw.frame.get_column(headers[fallback.column])
        empty = _blank(own)
        region = schema.column(fallback.column).type == ColumnType.REGION
        if not empty.any() and not region:
            continue
        header = headers[fallback.source]
        given = fallback.read(header, raw.frame.get_column(header), regions)
        if given is None:
            continue
        source = given.cast(pl.String)
        pair = pl.DataFrame({"own": own.cast(pl.String).str.strip_chars(), "source": source})
        qualified = pair.select(
            (pl.lit(region) & (pl.col("source").str.len_chars() > pl.col("own").str.len_chars()))
            .and_(pl.col("source").str.ends_with(pl.col("own")))
            .fill_null(False)
        ).to_series()
        if not (empty | qualified).any():
            continue
        cells = pl.select(
            pl.when(pl.lit(empty | qualified)).then(pl.lit(source)).otherwise(pl.lit(own.cast(pl.String)))
        )
        filled[fallback.column] = cells.to_series().alias(own.name)
    return filled


def _shared_with_refused_rows(
    typed: pl.DataFrame,
    good: pl.Series,
    schema: TableSchema,
    headers: Mapping[str, str],
    raw: RawTable,
    bad: dict[int, list[CellError]],
) -> None:
    """Rows sharing a key (schema.keys: a person's 编号, a facility's 设施编号) with a row refused for another cell,
    named on that key as the checks name two good rows sharing it: the whole file's problems at once."""
    for key, reason in schema.keys:
        if key not in headers:
            continue
        values, header = typed.get_column(key), headers[key]
        shared = values.is_duplicated() & values.is_not_null()
        with_refused = values.is_in(values.filter(shared & ~good).implode()) & shared
        for row in with_refused.arg_true().to_list():
            if any(e.column == header for e in bad.get(row, [])):
                continue
            value = str(raw.frame[header][row] or "")
            bad.setdefault(row, []).append(CellError(raw.line(row), header, value, reason))


# the name a reader gives a header cell left empty: calamine's __UNNAMED__3, polars' "" and _duplicated_0 (CSV)
BLANK_HEADER = re.compile(r"__UNNAMED__\d+|_duplicated_\d+|\s*")
# how far down a sheet its header is looked for under a title (表格标题, 填报单位, a blank row)
TITLE_ROWS = 5


def column_letter(position: int) -> str:
    """A spreadsheet's name of column `position` (1: A, 27: AA)."""
    letters = ""
    while position:
        position, left = divmod(position - 1, 26)
        letters = chr(ord("A") + left) + letters
    return letters


def _blank(cells: pl.Series) -> pl.Series:
    """Each cell empty or white space only."""
    return cells.cast(pl.String).str.strip_chars().fill_null("") == ""


def _named(cells: Sequence[object], known: Mapping[str, str]) -> int:
    """How many of `cells` name a column of the table."""
    return sum(1 for c in cells if c is not None and any(k in known for k in header_candidates(str(c))))


def below_title(raw: RawTable, schema: TableSchema) -> RawTable:
    """A sheet whose first row is a title (2026年第三季度常住人口登记表 in a merged cell, 填报单位：…) with the
    header under it: the header is the first of the next rows naming at least two of the table's columns, and the
    rows above it are left out (each data row keeps its line in the file). A file whose first row names a column,
    or with no such row below, is read as it is (its header's errors named as ever)."""
    known = schema.header_map()
    if not raw.frame.height or _named(raw.frame.columns, known):
        return raw
    for row in range(min(TITLE_ROWS, raw.frame.height)):
        cells = raw.frame.row(row)
        if _named(cells, known) < 2:
            continue
        headers = [
            str(c).strip() if c is not None and str(c).strip() else f"__UNNAMED__{i}" for i, c in enumerate(cells)
        ]
        seen: dict[str, int] = {}
        for i, header in enumerate(headers):  # a header written twice stays two columns (named as doubled later)
            seen[header] = seen.get(header, 0) + 1
            if seen[header] > 1:
                headers[i] = f"{header}_duplicated_{seen[header] - 2}"
        positions = raw.kept if raw.kept is not None else pl.int_range(0, raw.frame.height, eager=True)
        frame = raw.frame.slice(row + 1).rename(dict(zip(raw.frame.columns, headers, strict=True)))
        return RawTable(frame, raw.first_line, raw.row_word, raw.encoding, positions.slice(row + 1), raw.line(row))
    return raw


def _headed_as(rows: Sequence[tuple[object, ...]], known: Mapping[str, str]) -> bool:
    """Whether a sheet whose first rows are `rows` holds the table: its first row names a column of it, or one of the
    rows under a title names two (as `below_title` finds the header)."""
    return bool(rows) and (_named(rows[0], known) > 0 or any(_named(r, known) >= 2 for r in rows[1 : TITLE_ROWS + 1]))


def _sheet_of_table(path: Path, raw: RawTable, schema: TableSchema) -> tuple[RawTable, SheetsRead | None]:
    """A workbook read without a sheet named: its first sheet, or, where that one holds no header of the table (a
    街道's 填表说明 in front of its 登记表), the first sheet that does; with the sheets read and left unread (None for
    a workbook of one sheet, or a file that is no workbook). The office's upload has no way to name a sheet."""
    if path.suffix.lower() not in EXCEL_SUFFIXES:
        return raw, None
    heads = sheet_heads(path, TITLE_ROWS + 1)
    if len(heads) < 2:
        return raw, None
    known = schema.header_map()
    tables = [name for name, rows in heads if _headed_as(rows, known)]
    first = heads[0][0]
    if first in tables or not tables:  # the first sheet is the table, or no sheet is: read as ever
        return raw, SheetsRead(first, first, tuple(t for t in tables if t != first))
    return read_raw(path, sheet=tables[0]), SheetsRead(first, tables[0], tuple(tables[1:]))


def _read_column(cells: pl.Series, col: Column, regions: RegionIndex | None) -> tuple[pl.Series, pl.Series]:
    """One column read by its type, with its default, and a reason per bad cell (missing, out of range; each an
    encoded Refusal)."""
    parsed = parse_column(cells, col, regions)
    values = parsed.values
    why = parsed.reasons
    if col.default is not None:
        values = values.fill_null(pl.lit(col.default, dtype=values.dtype))
    if not col.nullable and values.null_count():  # reasons only where a value is missing
        why = pl.select(
            pl.when(pl.lit(values).is_null() & pl.lit(why).is_null())
            .then(pl.lit((col.missing or refusal(RefusalCode.VALUE_MISSING)).encoded()))
            .otherwise(pl.lit(why))
        ).to_series()
    bounds = []
    if col.minimum is not None:
        at_least = refusal(RefusalCode.AT_LEAST, limit=f"{col.minimum:g}")
        bounds.append((values < _bound(values, col.minimum), at_least.encoded()))
    if col.maximum is not None:
        at_most = refusal(RefusalCode.AT_MOST, limit=f"{col.maximum:g}")
        bounds.append((values > _bound(values, col.maximum), at_most.encoded()))
    for out_of_range, reason in bounds:
        if not out_of_range.any():
            continue
        why = pl.select(pl.coalesce(pl.lit(why), pl.when(pl.lit(out_of_range)).then(pl.lit(reason)))).to_series()
    return values.cast(col.dtype()).alias(col.name), why


def _bound(values: pl.Series, bound: float) -> float | int:
    """A bound as compared with `values`: a whole bound of an integer column as an integer (compared in the
    column's own type, not each value made a float first)."""
    return int(bound) if values.dtype.is_integer() and float(bound).is_integer() else bound


def _example_rows(
    schema: TableSchema,
    headers: Mapping[str, str],
    read: Mapping[str, tuple[pl.Series, pl.Series]],
    regions: RegionIndex | None,
    *,
    exclude: Collection[int],
) -> list[int]:
    """The rows (not in `exclude`) that are the template's example row (`changzhu schema KIND --template`: 张三
    110105199003150025, 深圳市人民医院 SZ-H-001 with 2,800 beds) kept in a clerk's file: the file has every column
    the template's example fills (a policy's declared inputs, which a people schema adds, are not the template's),
    and each of the row's values (every column the file has) equals the example's, read as the template's cells
    are. Not matched on a name alone: a real 张三, or an office's own list naming 深圳市人民医院 with its beds but
    not the example's facility id, is read as any other row. None for a schema whose example may be real data
    (schema.example_is_data)."""
    filled = [c for c in schema.columns if c.example and c.name not in schema.declared]
    if schema.example_is_data or not filled or any(c.name not in headers for c in filled):
        return []
    own = [c for c in schema.columns if c.name in headers and c.name in read]
    same = pl.repeat(True, len(next(iter(read.values()))[0]), dtype=pl.Boolean, eager=True)
    for col in own:
        example = _read_column(pl.Series(col.name, [col.example or None], pl.String), col, regions)[0]
        same = same & read[col.name][0].eq_missing(example)
        if not same.any():
            return []
    return [row for row in same.arg_true().to_list() if row not in exclude]


# the words a spreadsheet's total row is headed by (合计 under a column of names, Total in an English sheet)
TOTAL_WORDS = re.compile(r"\s*(合计|总计|小计|共计|总数|total|sum)\s*[:：]?\s*", re.IGNORECASE)


def _total_cell(raw: RawTable, row: int) -> tuple[str, str] | None:
    """The header and cell of a bad row's first non-empty cell when it reads as a total row (合计, 总计, …)."""
    for header in raw.frame.columns:
        cell = raw.frame[header][row]
        if cell is None or not str(cell).strip():
            continue
        return (header, str(cell).strip()) if TOTAL_WORDS.fullmatch(str(cell)) else None
    return None


def read_table(
    path: Path,
    schema: TableSchema,
    *,
    sheet: str | None = None,
    skip_bad_rows: bool = False,
    regions: RegionIndex | None = None,
    ignore_unknown: bool = False,
    raw: RawTable | None = None,
) -> TableRead:
    """Read `path` as a table of `schema`'s kind. Raises TableRejected listing every bad cell unless
    `skip_bad_rows`, which keeps the good rows and counts the others. `raw`: the file's cells as read_raw read them
    already (while the caller did other work), else read here."""
    if raw is None:
        raw = read_raw(path, sheet=sheet, records_key=schema.records_key or schema.kind)
    sheets = None
    if sheet is None:
        raw, sheets = _sheet_of_table(path, raw, schema)
    raw = below_title(raw, schema)
    matched = _match_headers(path, raw, schema, ignore_unknown=ignore_unknown, regions=regions)
    headers, derived = matched.found, matched.derived
    height = raw.frame.height

    filled = _filled_from_fallbacks(raw, schema, headers, regions)

    def cells_of(col: Column) -> pl.Series:  # a column's cells: the file's own, else those another column gives
        if col.name in derived:
            return derived[col.name][1]
        return filled.get(col.name, raw.frame.get_column(headers[col.name]))

    given = [col for col in schema.columns if col.name in headers or col.name in derived]
    # columns are read in parallel: polars releases the GIL, so each core parses its own columns
    with ThreadPoolExecutor(max_workers=min(len(given), os.cpu_count() or 1) or 1) as pool:
        read = dict(
            zip(
                [c.name for c in given],
                pool.map(lambda col: _read_column(cells_of(col), col, regions), given),
                strict=True,
            )
        )
    columns: list[pl.Series] = []
    reasons: list[tuple[str, pl.Series, pl.Series]] = []
    for col in schema.columns:
        if col.name in derived:  # refused on the source's cells, as the file writes them, with the source's reason
            fallback, _cells = derived[col.name]
            values, why = read[col.name]
            if fallback.missing is not None:
                missing = refusal(RefusalCode.VALUE_MISSING).encoded()
                why = why.replace(missing, fallback.missing.encoded())
            columns.append(values)
            reasons.append((headers[fallback.source], raw.frame.get_column(headers[fallback.source]), why))
            continue
        if col.name not in headers:
            default = pl.lit(col.default, dtype=col.dtype())
            columns.append(pl.select(pl.repeat(default, height)).to_series().alias(col.name))
            continue
        values, why = read[col.name]
        columns.append(values)
        reasons.append((headers[col.name], raw.frame.get_column(headers[col.name]), why))
    typed = pl.DataFrame(columns)
    for convert in schema.conversions:  # a bad cell is null here, so a conversion leaves its row as it is
        typed = convert(typed)
    sensitive = {headers[c.name] for c in schema.columns if c.sensitive and c.name in headers}
    bad: dict[int, list[CellError]] = {}
    for header, cells, why in reasons:
        if why.null_count() == height:  # every cell read
            continue
        rows = why.is_not_null().arg_true()
        if rows.len():
            shown = cells.gather(rows).cast(pl.String).fill_null("").to_list()
            if header in sensitive:
                shown = [mask(v) for v in shown]
            texts = why.gather(rows).to_list()
            decoded = {t: Refusal.decoded(t) for t in set(texts)}  # a column has few distinct reasons
            for row, value, reason in zip(rows.to_list(), shown, texts, strict=True):
                bad.setdefault(row, []).append(CellError(raw.line(row), header, value, decoded[reason]))
    for row in _example_rows(schema, headers, read, regions, exclude=bad):  # stored, it would be a person
        shown = [h for h in raw.frame.columns if h in headers.values() and h not in sensitive]  # 张三, not an id
        header = next((h for h in shown if str(raw.frame[h][row] or "").strip()), (shown or raw.frame.columns)[0])
        value = "" if header in sensitive else str(raw.frame[header][row] or "").strip()
        bad[row] = [CellError(raw.line(row), header, value, refusal(RefusalCode.EXAMPLE_ROW))]
    good = pl.repeat(True, height, dtype=pl.Boolean, eager=True)
    if bad:
        good = good.scatter(list(bad), False)
    for check in schema.checks:
        kept, index = (typed.filter(good), good.arg_true()) if bad else (typed, None)  # every row, or the good ones
        for problem in check(kept):
            row = problem.row if index is None else int(index[problem.row])
            header = headers.get(problem.column, problem.column)
            value = "" if header not in raw.frame.columns else str(raw.frame[header][row] or "")
            value = mask(value) if header in sensitive else value
            bad.setdefault(row, []).append(CellError(raw.line(row), header, value, problem.reason))
        if bad:
            good = good.scatter(list(bad), False)
    if bad:
        _shared_with_refused_rows(typed, good, schema, headers, raw, bad)
        good = good.scatter(list(bad), False)
    for row in bad:
        total = _total_cell(raw, row)
        if total is not None:  # a sum a spreadsheet adds under its rows: one reason, not each cell it leaves empty
            bad[row] = [CellError(raw.line(row), total[0], total[1], refusal(RefusalCode.TOTAL_ROW, value=total[1]))]
    errors = [e for row in sorted(bad) for e in bad[row]]
    if errors and not skip_bad_rows:
        raise TableRejected(path, errors, len(bad), height, raw.row_word)
    if bad or raw.kept is not None:
        lines: Sequence[int] = raw.lines(good.arg_true())
    else:
        lines = range(raw.first_line, raw.first_line + height)
    kept = typed.filter(good) if bad else typed
    if schema.expansion is not None:
        kept, source = schema.expansion(kept)
        lines = [lines[i] for i in source]
    given_by = {name: headers[fallback.source] for name, (fallback, _cells) in derived.items()}  # shown as read
    return TableRead(kept, lines, errors, len(bad), raw.encoding, {**headers, **given_by}, matched.ignored, sheets)
