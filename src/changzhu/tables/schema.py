"""What a table of one kind holds: its columns with type, unit, labels in Chinese and English, aliases, example."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import polars as pl

from changzhu.domain.refusals import Refusal


class ColumnType(StrEnum):
    """How a cell is read: the vocabulary each type accepts is in tables/vocab.py."""

    TEXT = "text"
    INTEGER = "integer"
    NUMBER = "number"
    MONTHS = "months"
    DATE = "date"
    DATES = "dates"  # a list of dates, one per occurrence, written a;b (or ；); 无 / none: no occurrence
    BOOL = "bool"
    CATEGORY = "category"
    CATEGORIES = "categories"  # a set of categories, written a;b (or 、 , ，)
    REGION = "region"


@dataclass(frozen=True)
class Category:
    """One allowed value of a category column, with its labels (each label is accepted on input)."""

    code: str
    zh: str
    en: str = ""
    aliases: tuple[str, ...] = ()  # other words accepted on input (short forms, older labels)

    def words(self) -> tuple[str, ...]:
        """Every word read as this category: the code, the labels and each name of a slash label (四级/中级工:
        四级 and 中级工 too), the aliases."""
        return (self.code, *label_parts(self.zh), *label_parts(self.en), *self.aliases)


def label_parts(label: str) -> tuple[str, ...]:
    """A label and, when it lists several names of one thing with slashes (四级/中级工), each name on its own."""
    parts = tuple(part.strip() for part in label.split("/") if part.strip())
    return (label, *parts) if len(parts) > 1 else (label,)


def category_words(categories: tuple[Category, ...]) -> dict[str, str]:
    """Each word (lower case) read as one of `categories`, with its code. A word two codes claim (a slash part
    shared by two labels) is read as neither: it is refused as unknown rather than guessed."""
    claims: dict[str, set[str]] = {}
    for category in categories:
        for word in category.words():
            if word:
                claims.setdefault(word.lower(), set()).add(category.code)
    return {word: codes.pop() for word, codes in claims.items() if len(codes) == 1}


@dataclass(frozen=True)
class Column:
    """One column: name (the stored name), type, whether required and nullable, unit, labels, aliases, example."""

    name: str
    type: ColumnType
    zh: str
    en: str
    required: bool = True
    nullable: bool = False
    unit: str = ""
    categories: tuple[Category, ...] = ()
    aliases: tuple[str, ...] = ()
    example: str = ""
    default: object = None
    minimum: float | None = None
    maximum: float | None = None
    region_level: str | None = None  # for REGION columns: the level a name is looked up at (None: any level)
    sensitive: bool = False  # an identity number: error reports show only its first six characters
    max_length: int = 1000  # the longest text a TEXT cell may hold (the database column's length where stored)
    missing: Refusal | None = None  # why an empty cell is refused, saying what to write (else: value is missing)

    def headers(self) -> tuple[str, ...]:
        """Every header that names this column: the name, the Chinese and English labels and the aliases."""
        return (self.name, self.zh, self.en, *self.aliases)

    def dtype(self) -> pl.DataType:
        """The polars type the column is stored as."""
        match self.type:
            case ColumnType.INTEGER:
                return pl.Int64()
            case ColumnType.MONTHS:
                return pl.Int32()
            case ColumnType.NUMBER:
                return pl.Float64()
            case ColumnType.DATE:
                return pl.Date()
            case ColumnType.DATES:
                return pl.List(pl.Date())
            case ColumnType.BOOL:
                return pl.Boolean()
            case ColumnType.CATEGORY:
                return pl.Enum([c.code for c in self.categories])
            case ColumnType.CATEGORIES:
                return pl.List(pl.String())
        return pl.String()


@dataclass(frozen=True)
class RowProblem:
    """A problem found across columns of one row, by a table-level check (0-based row, column, reason)."""

    row: int
    column: str
    reason: Refusal


# A table-level check: given the typed table, the problems of its rows (after every cell was read).
TableCheck = Callable[[pl.DataFrame], list[RowProblem]]
# A conversion of the typed table into the units changzhu keeps, applied before the checks (a facility list's
# coordinates read off a GCJ-02 or BD-09 map made WGS-84): same rows, same columns.
TableConversion = Callable[[pl.DataFrame], pl.DataFrame]
# A row made several, last of all (a school spanning stages made a row per stage): the rows read, and for each row
# of the result the row it came from (so errors and lines still name the file's line).
TableExpansion = Callable[[pl.DataFrame], tuple[pl.DataFrame, list[int]]]


@dataclass(frozen=True)
class Fallback:
    """A required column an office's own list often leaves out, read instead from a column it does have: a hospital
    list headed 床位数 needs no service column (its capacity is beds), a list whose addresses begin with the city and
    district (成都市青羊区一环路…) no region column. `read` is given the source column's header as the file writes it,
    its cells and the reader's region index (tables/vocab.py's RegionIndex, or None for the shipped regions), and
    returns the cells to read as `column` (then read and checked as that column's own would be), or None where the
    source does not say (学位数: primary or junior secondary places), and the column stays missing. A cell it leaves
    empty is refused with `missing` (why the source did not say), not as an empty cell of a column the file lacks."""

    column: str
    source: str
    read: Callable[[str, pl.Series, Any], pl.Series | None]
    missing: Refusal | None = None


@dataclass(frozen=True)
class TableSchema:
    """A kind of table: its columns, a one-line description, and checks across columns or rows."""

    kind: str
    zh: str
    en: str
    columns: tuple[Column, ...]
    checks: tuple[TableCheck, ...] = ()
    conversions: tuple[TableConversion, ...] = ()
    expansion: TableExpansion | None = None
    records_key: str = ""  # the key holding the list in a JSON/YAML mapping ({people: [...]})
    notes: tuple[str, ...] = field(default=())
    fallbacks: tuple[Fallback, ...] = ()
    # columns no two rows may share, each with the reason said on a row that shares one with a row refused for
    # another cell (the checks see only the rows read well, so that pair was named only once the other cell was
    # corrected: a second round for the clerk)
    keys: tuple[tuple[str, Refusal], ...] = ()
    # the template's example row may be a row of real data (a scenario of 深圳 at its census 17,560,000): read as
    # any other; otherwise (a person, a hospital) a row equal to it is refused as the example left in the file
    example_is_data: bool = False
    # the columns a jurisdiction's declared inputs add (a people schema's): not the template's, so not its example's
    declared: frozenset[str] = frozenset()

    def column(self, name: str) -> Column:
        """The column called `name`."""
        return {c.name: c for c in self.columns}[name]

    def header_map(self) -> Mapping[str, str]:
        """Every accepted header (case- and space-insensitive key) to the column's name.

        A column's own name always wins; a label or alias two columns share names the earlier one (the core
        columns come before declared inputs), so a city's label never captures a core column's header."""
        out: dict[str, str] = {}
        for col in self.columns:
            for header in (col.zh, col.en, *col.aliases):
                if header:
                    out.setdefault(normalize_header(header), col.name)
        for col in self.columns:
            out[normalize_header(col.name)] = col.name
        return out


def header_candidates(text: str) -> tuple[str, ...]:
    """A header as written and, for a template's "出生日期 (birth_date)", each of its two halves."""
    key = normalize_header(text)
    if key.endswith(")") and "(" in key:
        label, _, name = key[:-1].rpartition("(")
        return (key, name, label)
    return (key,)


def normalize_header(text: str) -> str:
    """Headers compare without case, spaces, underscores, and with full-width brackets as ASCII."""
    table = str.maketrans({"（": "(", "）": ")", " ": "", "_": "", "\u3000": "", "\ufeff": ""})
    return text.strip().translate(table).lower()
