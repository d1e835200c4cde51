"""The words a cell may hold: dates, booleans, numbers, categories and regions as offices write them.

Every parser takes the raw column (text, or an already typed column from Parquet or Excel) and returns the typed
column and a reason for each cell that could not be read (null where the cell is fine or empty).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache, cached_property
from typing import Any

import polars as pl

from changzhu.domain.dates import COMPACT_DATE_PATTERN, DATE_PATTERN
from changzhu.domain.new_areas import new_area, new_area_refusal
from changzhu.domain.refusals import Refusal, RefusalCode, refusal
from changzhu.tables.schema import Column, ColumnType, category_words

TRUE_WORDS = ("true", "t", "yes", "y", "1", "1.0", "是", "有", "对")
FALSE_WORDS = ("false", "f", "no", "n", "0", "0.0", "否", "无", "不是")


@dataclass(frozen=True)
class Parsed:
    """A typed column and, per cell, why it could not be read (null where it was read or was empty): each reason a
    Refusal encoded as text (Refusal.encoded), so that polars computes them like any column."""

    values: pl.Series
    reasons: pl.Series

    def refusals(self) -> list[Refusal | None]:
        """Each cell's reason as a Refusal (None where the cell was read or was empty)."""
        return [None if r is None else Refusal.decoded(r) for r in self.reasons.to_list()]


def as_text(raw: pl.Series) -> pl.Series:
    """Any column as stripped text, empty cells as null."""
    text = (raw if raw.dtype == pl.String else raw.cast(pl.String)).str.strip_chars()
    return pl.select(pl.when(pl.lit(text).str.len_bytes() > 0).then(pl.lit(text))).to_series().alias(raw.name)


def _no_reasons(n: int) -> pl.Series:
    """No reason for any of n cells (every one read)."""
    return pl.repeat(None, n, dtype=pl.String, eager=True)


def _when(bad: pl.Series, reason: Refusal) -> pl.Series:
    frame = pl.DataFrame({"bad": bad})
    why = pl.lit(reason.encoded())
    return frame.select(pl.when(pl.col("bad")).then(why).otherwise(pl.lit(None, pl.String))).to_series()


def _dates_of_words(words: pl.Series) -> pl.Series:
    """Each distinct written date as a date (null if it is none), by the accepted patterns."""
    frame = pl.DataFrame({"t": words})
    long = pl.col("t").str.extract_groups(DATE_PATTERN)
    short = pl.col("t").str.extract_groups(COMPACT_DATE_PATTERN)
    iso = pl.coalesce(
        pl.concat_str(
            long.struct.field("1"),
            pl.lit("-"),
            long.struct.field("2").str.zfill(2),
            pl.lit("-"),
            long.struct.field("3").str.zfill(2),
        ),
        pl.concat_str(
            short.struct.field("1"), pl.lit("-"), short.struct.field("2"), pl.lit("-"), short.struct.field("3")
        ),
    )
    return frame.select(iso.str.to_date("%Y-%m-%d", strict=False)).to_series()


def parse_date(raw: pl.Series) -> Parsed:
    """Dates as 2026-06-01, 2026/6/1, 2026.6.1, 20260601 or 2026年6月1日 (Parquet/Excel dates kept).

    ISO dates are read directly; any other form is read once per distinct value (a table has few distinct dates)."""
    if raw.dtype == pl.Date:
        return Parsed(raw, _no_reasons(raw.len()))
    if isinstance(raw.dtype, pl.Datetime):
        return Parsed(raw.dt.date(), _no_reasons(raw.len()))
    text = as_text(raw)
    values = text.str.to_date("%Y-%m-%d", strict=False)
    unread = text.is_not_null() & values.is_null()
    if unread.any():
        words = text.filter(unread).unique()
        mapping = dict(zip(words.to_list(), _dates_of_words(words).to_list(), strict=True))
        other = text.replace_strict(mapping, default=None, return_dtype=pl.Date)
        values = values.fill_null(other)
    bad = text.is_not_null() & values.is_null()
    if not bad.any():
        return Parsed(values, _no_reasons(text.len()))
    reasons = {word: _why_not_a_date(word).encoded() for word in text.filter(bad).unique().to_list()}
    return Parsed(values, text.replace_strict(reasons, default=None, return_dtype=pl.String).set(~bad, None))


# a spreadsheet's date as its serial number (days since 1899-12-30), 1927-05-18 (10000) to 2099-12-31 (73050); a
# whole number, or with the 0.0 Excel writes for a date cell at midnight
EXCEL_SERIAL = re.compile(r"((?:[1-6]\d|7[0-2])\d{3}|730[0-4]\d|73050)(?:\.0+)?")
EXCEL_EPOCH = date(1899, 12, 30)


def _why_not_a_date(word: str) -> Refusal:
    """Why a written date was not read: a date in an accepted form whose month or day does not exist (2024.13.01,
    2023-02-29) is named as such, anything else gets the accepted forms."""
    found = re.match(DATE_PATTERN, word) or re.match(COMPACT_DATE_PATTERN, word)
    serial = EXCEL_SERIAL.fullmatch(word)
    if found is None and serial is not None:  # a date cell saved as General (45047), as a CSV from Excel keeps it
        meant = EXCEL_EPOCH + timedelta(days=int(float(serial.group(1))))
        return refusal(RefusalCode.EXCEL_SERIAL_DATE, value=word, day=meant.isoformat())
    if found is None:
        return refusal(RefusalCode.NOT_A_DATE)
    year, month, day = (int(g) for g in found.groups())
    code = RefusalCode.NO_SUCH_DAY if 1 <= month <= 12 else RefusalCode.NO_SUCH_MONTH
    return refusal(code, year=year, month=month, day=day)


NONE_WORDS = ("无", "none", "[]")  # a list of dates with no occurrence (an empty cell is unknown)


def parse_dates(raw: pl.Series) -> Parsed:
    """A list of dates, one per occurrence, written 2024-03-01;2025/1/2 (separated by ; or ；), each in any form
    parse_date reads; 无 or none is the empty list, an empty cell unknown. Parquet list<date> is kept."""
    if isinstance(raw.dtype, pl.List) and raw.dtype.inner in (pl.Date, pl.Datetime):
        values = raw.list.eval(pl.element().cast(pl.Date))
        return Parsed(values, _no_reasons(raw.len()))
    text = as_text(raw.list.join(";") if isinstance(raw.dtype, pl.List) else raw)
    empty = text.str.to_lowercase().is_in(list(NONE_WORDS)).fill_null(False)
    items = text.set(empty, None).str.replace_all("；", ";", literal=True).str.split(";")
    owner = pl.int_range(0, text.len(), eager=True).repeat_by(items.list.len().fill_null(1)).explode()
    words = items.explode().str.strip_chars()
    words = pl.select(pl.when(pl.lit(words).str.len_bytes() > 0).then(pl.lit(words))).to_series()
    parsed = parse_date(words)
    bad_item = parsed.reasons.is_not_null()
    values = (
        pl.DataFrame({"row": owner, "d": parsed.values})
        .group_by("row", maintain_order=True)
        .agg(pl.col("d").drop_nulls().sort())["d"]
    )
    values = values.set(text.is_null() & ~empty, None)
    reasons = _no_reasons(text.len())
    for row, word in zip(owner.filter(bad_item).to_list(), words.filter(bad_item).to_list(), strict=True):
        reasons[row] = refusal(RefusalCode.NOT_A_DATE_IN_LIST, word=word).encoded()
    return Parsed(values, reasons)


def parse_bool(raw: pl.Series) -> Parsed:
    """Booleans as 是/否, true/false, 1/0, Y/N, yes/no."""
    if raw.dtype == pl.Boolean:
        return Parsed(raw, _no_reasons(raw.len()))
    text = as_text(raw)
    mapping: dict[str, object] = {**dict.fromkeys(TRUE_WORDS, True), **dict.fromkeys(FALSE_WORDS, False)}
    values = _by_distinct(text, mapping, pl.Boolean())
    bad = text.is_not_null() & values.is_null()
    return Parsed(values, _when(bad, refusal(RefusalCode.NOT_YES_OR_NO)))


def parse_number(raw: pl.Series, *, integer: bool) -> Parsed:
    """Numbers with optional thousands separators; integers may be written 3 or 3.0 (as Excel stores them).

    A column of whole numbers already (Parquet) is kept in its integer type (no copy), other integers come as Int64.
    Plain numbers are read in one pass; only cells that are not are read again without separators."""
    if integer and raw.dtype.is_integer():  # whole numbers already (Parquet, Excel): kept exactly, in their own type
        return Parsed(raw, _no_reasons(raw.len()))
    if raw.dtype.is_numeric():
        number = raw.cast(pl.Float64)
        text_null = raw.is_null()
    else:
        text = as_text(raw)
        text_null = text.is_null()
        if integer:
            whole = text.cast(pl.Int64, strict=False)
            if whole.null_count() == text.null_count():  # every written cell is a plain whole number
                return Parsed(whole, _no_reasons(raw.len()))
        number = text.cast(pl.Float64, strict=False)
        unread = ~text_null & number.is_null()
        if unread.any():
            plain = text.str.replace_all(",", "", literal=True).str.replace_all("，", "", literal=True)
            number = number.fill_null(plain.cast(pl.Float64, strict=False))
    finite = number.is_finite().fill_null(False)
    unreadable = ~text_null & ~finite
    if integer:
        fractional = finite & (number != number.floor())
        too_large = finite & (number.abs() >= 2.0**63)  # 1e100: no whole number column holds it
        bad = unreadable | fractional | too_large
        values = number.set(bad, None).cast(pl.Int64)
        cells = pl.DataFrame({"too_large": too_large, "not_whole": unreadable | fractional})
        reasons = cells.select(
            pl.when("too_large")
            .then(pl.lit(refusal(RefusalCode.TOO_LARGE).encoded()))
            .when("not_whole")
            .then(pl.lit(refusal(RefusalCode.NOT_A_WHOLE_NUMBER).encoded()))
            .otherwise(pl.lit(None, pl.String))
        ).to_series()
        if unreadable.any() and not raw.dtype.is_numeric():
            reasons = _number_with_unit(as_text(raw), unreadable, reasons)
        return Parsed(values, reasons)
    if not unreadable.any():
        return Parsed(number, _when(unreadable, refusal(RefusalCode.NOT_A_NUMBER)))
    reasons = _when(unreadable, refusal(RefusalCode.NOT_A_NUMBER))
    if raw.dtype == pl.String or not raw.dtype.is_numeric():
        reasons = _number_with_unit(as_text(raw), unreadable, reasons)
        reasons = _degrees_minutes_seconds(as_text(raw), unreadable, reasons)
    return Parsed(number.set(unreadable, None), reasons)


# a number followed by its unit, as a clerk types it into a cell: 4500元, 36个月, 1,200 元/月, 60 months
NUMBER_UNIT_PATTERN = re.compile(r"^\s*[-+]?\d[\d,，]*(?:\.\d+)?\s*([^\d\s.,，][^\d]*?)\s*$")


def _number_with_unit(text: pl.Series, unreadable: pl.Series, reasons: pl.Series) -> pl.Series:
    """Unreadable cells that are a number and a unit get a reason naming the unit and asking for the number alone
    (not only 不是数字, which left a clerk looking at 4500元 wondering); the other reasons stay."""
    out = reasons.to_list()
    for i, (cell, bad) in enumerate(zip(text.to_list(), unreadable.to_list(), strict=True)):
        found = NUMBER_UNIT_PATTERN.match(cell) if bad and cell else None
        if found is not None:
            out[i] = refusal(RefusalCode.NUMBER_WITH_UNIT, value=cell.strip(), unit=found.group(1)).encoded()
    return pl.Series(reasons.name, out, dtype=pl.String)


# a coordinate as a map or a survey writes it, in degrees, minutes and seconds: 104°5'E, E104°05′30″, 104度5分30秒
DMS_PATTERN = re.compile(
    r"^\s*([NSEW东西南北]?)\s*(\d{1,3}(?:\.\d+)?)\s*[°度]\s*(?:(\d{1,2}(?:\.\d+)?)\s*['′分])?\s*"
    r"(?:(\d{1,2}(?:\.\d+)?)\s*(?:[\"″秒]|''|′′))?\s*([NSEW东西南北]?)\s*$",
    re.IGNORECASE,
)


def _degrees_minutes_seconds(text: pl.Series, unreadable: pl.Series, reasons: pl.Series) -> pl.Series:
    """Unreadable cells written in degrees, minutes and seconds get a reason giving the decimal degrees to write
    instead (104°5'E: write 104.0833); the other reasons stay."""
    out = reasons.to_list()
    for i, (cell, bad) in enumerate(zip(text.to_list(), unreadable.to_list(), strict=True)):
        found = DMS_PATTERN.match(cell) if bad and cell else None
        if found is None:
            continue
        degrees, minutes, seconds = (float(found.group(k) or 0) for k in (2, 3, 4))
        if minutes >= 60 or seconds >= 60:
            continue
        decimal = degrees + minutes / 60 + seconds / 3600
        hemisphere = (found.group(1) or found.group(5) or "").upper()
        sign = "-" if hemisphere in ("S", "W", "南", "西") else ""
        out[i] = refusal(
            RefusalCode.DEGREES_MINUTES_SECONDS, value=cell.strip(), decimal=f"{sign}{decimal:.4f}"
        ).encoded()
    return pl.Series(reasons.name, out, dtype=pl.String)


def _by_distinct(text: pl.Series, words: dict[str, object], dtype: pl.DataType) -> pl.Series:
    """Each cell looked up case-insensitively in `words`, one Python look-up per distinct cell (null: not found)."""
    distinct = text.drop_nulls().unique().to_list()
    mapping = {w: words[w.lower()] for w in distinct if w.lower() in words}
    return text.replace_strict(mapping, default=None, return_dtype=dtype)


def _by_cell(raw: pl.Series, read: dict[str, tuple[str | None, str | None]], dtype: pl.DataType) -> Parsed:
    """Every cell's value and reason from `read`, which holds them for each distinct non-null cell of the text
    column `raw`. A column whose every cell is already its own value is kept as is (no per-cell look-up); a column
    with no bad cell gets no per-cell reasons."""
    if all(value == cell for cell, (value, _) in read.items()):
        values = raw
    else:
        values = raw.replace_strict({c: v for c, (v, _) in read.items()}, default=None, return_dtype=pl.String)
    reasons = {c: why for c, (_, why) in read.items() if why is not None}
    if not reasons:
        return Parsed(values.cast(dtype), _no_reasons(raw.len()))
    return Parsed(values.cast(dtype), raw.replace_strict(reasons, default=None, return_dtype=pl.String))


def _distinct_texts(raw: pl.Series) -> dict[str, str | None]:
    """Each distinct non-null cell of the text column `raw` and its stripped text (as_text: None if empty)."""
    cells = raw.drop_nulls().unique()
    return dict(zip(cells.to_list(), as_text(cells).to_list(), strict=True))


def _as_string(raw: pl.Series) -> pl.Series:
    return raw if raw.dtype == pl.String else raw.cast(pl.String)


# a word with a note in brackets after it, as an office writes a category it explains: GCJ-02（高德）, 就业(劳动合同)
_NOTED = re.compile(r"(.+?)\s*[（(]([^（）()]+)[）)]")


def _with_its_note(text: str, words: Mapping[str, str]) -> str | None:
    """The category a cell written "word（note）" names when the word and every word of the note (separated by 、 , ，
    / ；) name the same one (GCJ-02（高德）, 高德 being GCJ-02's too); else None: a note that says something else
    (本科（在读）) is not guessed away."""
    noted = _NOTED.fullmatch(text)
    if noted is None:
        return None
    parts = [noted.group(1), *re.split(r"[、,，/;；]", noted.group(2))]
    codes = {words.get(part.strip().lower()) for part in parts if part.strip()}
    return next(iter(codes)) if len(codes) == 1 and None not in codes else None


def parse_category(raw: pl.Series, column: Column) -> Parsed:
    """A category by its code or by its Chinese or English label (case-insensitive); each distinct cell is read
    once. A text column whose every cell is a code as written (as a program writes them) is cast at once."""
    codes = pl.Enum([c.code for c in column.categories])
    if raw.dtype == pl.String and column.categories:
        try:
            as_codes = raw.cast(codes)
        except pl.exceptions.PolarsError:  # labels, synonyms, padding, bad cells: read cell by cell
            pass
        else:
            return Parsed(as_codes.cast(column.dtype()), _no_reasons(raw.len()))
    words = category_words(column.categories)
    by_code = {c.code: c for c in column.categories}
    allowed_zh = "、".join(c.zh for c in column.categories)  # a Chinese clerk writes the label
    # the English label (read too) with the Chinese one, as the file may hold either; the code only for a category
    # without an English label (it showed junior_secondary, a variable's code, to an office user)
    allowed_en = ", ".join(f"{c.en or c.code} ({c.zh})" for c in column.categories)
    read: dict[str, tuple[str | None, str | None]] = {}
    cells = _as_string(raw)
    for cell, text in _distinct_texts(cells).items():
        if text is None:  # an empty cell: unknown
            read[cell] = (None, None)
            continue
        code = words.get(text.lower())
        if code is None:
            code = _with_its_note(text, words)
        if code is not None:
            read[cell] = (code, None)
            continue
        near = difflib.get_close_matches(text.lower(), list(words), n=1, cutoff=0.6)
        why = (
            refusal(
                RefusalCode.CATEGORY_NOT_ONE_OF_NEAR,
                allowed_zh=allowed_zh,
                allowed_en=allowed_en,
                near_zh=by_code[words[near[0]]].zh,
                near_en=by_code[words[near[0]]].en or words[near[0]],
            )
            if near
            else refusal(RefusalCode.CATEGORY_NOT_ONE_OF, allowed_zh=allowed_zh, allowed_en=allowed_en)
        )
        read[cell] = (None, why.encoded())
    return _by_cell(cells, read, column.dtype())


def parse_categories(raw: pl.Series, column: Column) -> Parsed:
    """A set of categories written a;b (or with 、 , ，), each by code or label; an empty cell is unknown."""
    text = as_text(raw.list.join(";") if isinstance(raw.dtype, pl.List) else raw)
    words = category_words(column.categories)
    items = text.str.replace_all(r"[、,，|；]", ";").str.replace("^\\[\\]$", "").str.split(";")  # [] (JSON): none
    exploded = items.explode().str.strip_chars().str.to_lowercase()
    mapped = exploded.replace_strict(words, default=None, return_dtype=pl.String)
    bad_item = exploded.is_not_null() & (exploded != "") & mapped.is_null()
    owner = pl.int_range(0, text.len(), eager=True).repeat_by(items.list.len().fill_null(1)).explode()
    bad_rows = owner.filter(bad_item).unique().to_list()
    values = (
        pl.DataFrame({"row": owner, "code": mapped})
        .group_by("row", maintain_order=True)
        .agg(pl.col("code").drop_nulls().unique(maintain_order=True))["code"]
    )
    values = values.set(text.is_null(), None)
    allowed = ", ".join(f"{c.code} ({c.zh})" for c in column.categories)
    bad = pl.Series([False] * text.len()).scatter(bad_rows, True) if bad_rows else pl.Series([False] * text.len())
    return Parsed(values, _when(bad, refusal(RefusalCode.NOT_AMONG, allowed=allowed)))


@dataclass(frozen=True)
class _RegionNames:
    """The names part of a RegionIndex (built on first use: a file of codes needs none of it)."""

    names: dict[str | None, dict[str, tuple[str, ...]]]
    plain_names: dict[str | None, tuple[str, ...]]  # the regions' own names, for suggestions to a bare name


@dataclass(frozen=True)
class RegionIndex:
    """Region codes and names by level, for reading regions given by code, exact name or name with its parents.

    The codes are indexed at once; the names (tens of thousands of written forms) the first time a cell is not a
    known code."""

    codes: dict[str | None, frozenset[str]]
    rows: tuple[tuple[Any, ...], ...]  # (level, code, name_zh, name_en) of every region, as the table holds them
    city_of: dict[str, str]  # a county-level code -> its prefecture-level city's code

    @cached_property
    def _names(self) -> _RegionNames:
        return _written_names(self.rows)

    @property
    def names(self) -> dict[str | None, dict[str, tuple[str, ...]]]:
        """Every written form of a region's name (own, with its parents, English lower-cased) -> its codes."""
        return self._names.names

    @property
    def plain_names(self) -> dict[str | None, tuple[str, ...]]:
        """The regions' own names by level, for suggestions to a bare name."""
        return self._names.plain_names

    def resolve(self, word: str, level: str | None) -> tuple[str | None, Refusal | None]:
        """(code, None) if `word` is a known code or a unique name at `level`; else (None, reason). At prefecture
        level a district or county (南山区's code 440305, 深圳市南山区) is read as its city (440300): the rules and
        the census are by city, and offices write where people live down to the district."""
        code, reason = self._resolve_at(word, level)
        if code is not None or level != "prefecture" or "county" not in self.codes:
            return code, reason
        county, county_reason = self._resolve_at(word, "county")
        if county is not None and county in self.city_of:
            return self.city_of[county], None
        if county_reason is not None and county_reason.code == RefusalCode.AMBIGUOUS_REGION_NAME:  # among districts
            return None, county_reason
        return None, reason

    def _resolve_at(self, word: str, level: str | None) -> tuple[str | None, Refusal | None]:
        codes = self.codes[level]
        if word.isdigit() and len(word) == 6:
            if word in codes:
                return word, None
            if level:
                return None, refusal(RefusalCode.UNKNOWN_REGION_CODE_AT_LEVEL, level=level)
            return None, refusal(RefusalCode.UNKNOWN_REGION_CODE)
        found = self.names[level].get(word) or self.names[level].get(word.lower())
        if found and len(found) == 1:
            return found[0], None
        if found:
            return None, refusal(RefusalCode.AMBIGUOUS_REGION_NAME, name=word, options=tuple(sorted(found)[:6]))
        area = new_area(word)
        if area is not None:  # 天府新区: what it is and the counties it spans, not a near name elsewhere
            return None, new_area_refusal(word, area)
        qualified = any(mark in word[:-1] for mark in "省市")  # 深圳市南山: suggest among names with parents
        choices = list(self.names[level]) if qualified else list(self.plain_names[level])
        near = difflib.get_close_matches(word, choices, n=3, cutoff=0.5)
        if near:  # each suggested region by its code, named in the reader's language where the reason is shown
            suggested = dict.fromkeys(code for name in near for code in self.names[level][name])
            return None, refusal(RefusalCode.NOT_A_REGION_NEAR_PLACE, near=tuple(suggested)[:6])
        return None, refusal(RefusalCode.NOT_A_REGION)


@cache
def shipped_region_index() -> RegionIndex:
    """The index of the shipped regions (GB/T 2260 with the census names)."""
    from changzhu.data.regions import region_table

    return region_index(region_table())


def _qualified_names(own: str, ancestors: list[str]) -> list[str]:
    """A name as offices write it with its parents in order: 南山区, 深圳市南山区, 广东省南山区, 广东省深圳市南山区."""
    names = [own]
    for parent in reversed(ancestors):  # nearest parent first
        names += [parent + name for name in names]
    return names


def region_index(regions: pl.DataFrame) -> RegionIndex:
    """An index over a region table (level, code, name_zh, name_en); a region's parents are read from its code."""
    table_rows = tuple(regions.select("level", "code", "name_zh", "name_en").rows())
    codes: dict[str | None, set[str]] = {None: set()}
    for level, code, _zh, _en in table_rows:
        codes[None].add(code)
        codes.setdefault(level, set()).add(code)
    cities = codes.get("prefecture", set())
    parent_of = dict(regions.select("code", "parent_code").rows()) if "parent_code" in regions.columns else {}
    city_of: dict[str, str] = {}
    for county in codes.get("county", set()):  # its city: the parent the table names, else by code; 仙桃市 is both
        city = next((c for c in (parent_of.get(county), county[:4] + "00", county) if c in cities), None)
        if city is not None:
            city_of[county] = city
    return RegionIndex({k: frozenset(v) for k, v in codes.items()}, table_rows, city_of)


def _written_names(table_rows: tuple[tuple[Any, ...], ...]) -> _RegionNames:
    """Every way an office writes a region index's rows (see RegionIndex.names), for reading a cell to a code: the
    reverse of naming a region to a user (tables/places.py, registry/region_names.py), which gives one name per
    code."""
    zh_of = {code: zh for _level, code, zh, _en in table_rows}
    names: dict[str | None, dict[str, set[str]]] = {None: {}}
    plain: dict[str | None, set[str]] = {None: set()}
    for level, code, zh, en in table_rows:
        parents = dict.fromkeys(p for p in (code[:2] + "0000", code[:4] + "00") if p != code and p in zh_of)
        ancestors = [zh_of[p] for p in parents]
        written = _qualified_names(zh, ancestors) if zh else []
        for key in (None, level):
            table = names.setdefault(key, {})
            for name in (*written, (en or "").lower()):
                if name:
                    table.setdefault(name, set()).add(code)
            plain.setdefault(key, set()).update(n for n in (zh, (en or "").lower()) if n)
    return _RegionNames(
        {k: {n: tuple(sorted(c)) for n, c in t.items()} for k, t in names.items()},
        {k: tuple(sorted(v)) for k, v in plain.items()},
    )


def parse_region(raw: pl.Series, column: Column, index: RegionIndex) -> Parsed:
    """Regions by six-digit code or exact name (广东省, 深圳市); each distinct value is looked up once."""
    cells = _as_string(raw)
    read: dict[str, tuple[str | None, str | None]] = {}
    for cell, text in _distinct_texts(cells).items():
        code, why = (None, None) if text is None else index.resolve(text, column.region_level)
        read[cell] = (code, None if why is None else why.encoded())
    return _by_cell(cells, read, pl.String())


def parse_text(raw: pl.Series, column: Column) -> Parsed:
    """Text, stripped; empty cells are missing; no control characters, at most the column's length."""
    text = as_text(raw)
    too_long = (text.str.len_chars() > column.max_length).fill_null(False)
    nul = text.str.contains("\x00", literal=True).fill_null(False)
    control = text.str.contains(r"[\x01-\x08\x0b\x0c\x0e-\x1f]").fill_null(False)
    # an identity number a spreadsheet saved as a number (4.4010619900101E+17, 19 characters): said so, not "too long"
    as_number = (
        text.str.contains(r"^\d(?:\.\d+)?[Ee]\+?\d+$").fill_null(False)
        if column.name == "id_number"
        else pl.repeat(False, len(text), dtype=pl.Boolean, eager=True)
    )
    reasons = pl.select(
        pl.when(pl.lit(nul))
        .then(pl.lit(refusal(RefusalCode.HOLDS_NUL).encoded()))
        .when(pl.lit(control))
        .then(pl.lit(refusal(RefusalCode.HOLDS_CONTROL).encoded()))
        .when(pl.lit(as_number))
        .then(pl.lit(refusal(RefusalCode.ID_AS_NUMBER).encoded()))
        .when(pl.lit(too_long))
        .then(pl.lit(refusal(RefusalCode.TOO_LONG, limit=column.max_length).encoded()))
        .otherwise(pl.lit(None, pl.String))
    ).to_series()
    return Parsed(text, reasons)


# full-width forms (U+FF01..U+FF5E) and the ideographic space, as a Chinese input method types them, and their ASCII
HALF_WIDTH = {**{c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)}, 0x3000: 0x20}
FULL_WIDTH = "[\uff01-\uff5e\u3000]"
# the types whose cells are read as digits and ASCII words (a date, a number, yes/no, a region code): a full-width
# digit there is the digit (２０２２-０１-０１ was refused as "month 1 of 2022 has no day 1", ５１０１００ as an unknown
# region code); text and category cells are kept as written (a label may hold full-width brackets)
HALF_WIDTH_TYPES = (
    ColumnType.DATE,
    ColumnType.DATES,
    ColumnType.BOOL,
    ColumnType.INTEGER,
    ColumnType.MONTHS,
    ColumnType.NUMBER,
    ColumnType.REGION,
)


def half_width(raw: pl.Series) -> pl.Series:
    """Text cells with their full-width digits, letters and signs as ASCII (each distinct cell holding one, once);
    other columns, and cells without one, as they are."""
    if raw.dtype != pl.String:
        return raw
    wide = raw.str.contains(FULL_WIDTH).fill_null(False)
    if not wide.any():
        return raw
    mapping = {cell: cell.translate(HALF_WIDTH) for cell in raw.filter(wide).unique().to_list()}
    return raw.replace(mapping)


# a month as a clerk writes it (2021-03, 2021/3, 2021.3, 2021年3月) or a day of it (2021-03-01, an Excel date cell
# read as text, with its time of day 00:00:00)
YEAR_MONTH = re.compile(
    r"\s*(\d{4})\s*(?:[-/.]|年)\s*(\d{1,2})\s*月?\s*(?:(?:[-/.]\s*\d{1,2}|\d{1,2}\s*[日号])(?:[ T]00:00(?::00)?)?)?\s*"
)


def parse_year_month(raw: pl.Series) -> Parsed:
    """A month as YYYYMM (202103), or written 2021-03, 2021/3, 2021年3月, or a day of it (an Excel date cell): the
    number YYYYMM. Was only 202103: 2021-03 was refused as "不是整数" (not a whole number)."""
    if raw.dtype == pl.Date or isinstance(raw.dtype, pl.Datetime):
        return Parsed((raw.dt.year() * 100 + raw.dt.month()).cast(pl.Int64), _no_reasons(raw.len()))
    if raw.dtype == pl.String:
        written = {}
        for cell in raw.drop_nulls().unique().to_list():
            found = YEAR_MONTH.fullmatch(cell)
            if found is not None:
                written[cell] = f"{found.group(1)}{int(found.group(2)):02d}"
        if written:
            raw = raw.replace(written)
    parsed = parse_number(raw, integer=True)
    not_whole = refusal(RefusalCode.NOT_A_WHOLE_NUMBER).encoded()
    reasons = parsed.reasons.replace({not_whole: refusal(RefusalCode.NOT_YYYYMM).encoded()})
    return Parsed(parsed.values, reasons)


def parse_column(raw: pl.Series, column: Column, regions: RegionIndex | None) -> Parsed:
    """Read one column by its type (full-width digits as digits where the type is read from them)."""
    if column.type in HALF_WIDTH_TYPES:
        raw = half_width(raw)
    if column.unit == "YYYYMM":
        return parse_year_month(raw)
    match column.type:
        case ColumnType.DATE:
            return parse_date(raw)
        case ColumnType.DATES:
            return parse_dates(raw)
        case ColumnType.BOOL:
            return parse_bool(raw)
        case ColumnType.INTEGER | ColumnType.MONTHS:
            return parse_number(raw, integer=True)
        case ColumnType.NUMBER:
            return parse_number(raw, integer=False)
        case ColumnType.CATEGORY:
            return parse_category(raw, column)
        case ColumnType.CATEGORIES:
            return parse_categories(raw, column)
        case ColumnType.REGION:
            return parse_region(raw, column, regions or shipped_region_index())
    return parse_text(raw, column)


def dates_value(value: object) -> list[date] | Refusal:
    """One list of dates given as a value (a list of dates or texts, or one text a;b): the dates, or why not."""
    if isinstance(value, list):
        if all(isinstance(v, date) for v in value):
            return sorted(v for v in value if isinstance(v, date))
        text = ";".join(v.isoformat() if isinstance(v, date) else str(v) for v in value) or "[]"
    else:
        text = str(value)
    parsed = parse_dates(pl.Series([text], dtype=pl.String))
    reason = parsed.refusals()[0]
    return reason if reason is not None else list(parsed.values.to_list()[0])
