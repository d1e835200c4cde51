"""Errors of the fiscal part: bad parameters, bad input tables, an allocation that cannot be made."""

from __future__ import annotations

from changzhu.domain.lang import in_sentence
from changzhu.domain.refusals import CodedError, Refusal
from changzhu.parameters.places import placed
from changzhu.rules.labels import FILE_COLUMNS, GAP_COLUMNS, PLANNING_MEASURES


class FiscalError(CodedError):
    """A fiscal computation cannot run on the input it was given."""


class FiscalParameterError(FiscalError):
    """A fiscal parameter is missing or out of range: `reason` the Refusal (in zh and en), placed like a parameter
    file's error (changzhu.parameters.ParameterError) in `file` at the key path `where` and `line` where known."""

    def __init__(self, why: Refusal, *, file: str = "", where: str = "", line: int | None = None) -> None:
        super().__init__(placed(why, file, where, line))
        self.reason, self.file, self.where, self.line = why, file, where, line


class InfeasibleAllocationError(FiscalError):
    """The budget allocation has no solution; the message says which constraint binds."""


# the fiscal tables as an error names them to a person, in Chinese and English (never the frame's name); their
# columns are named by the one table of file columns (rules.labels: GAP_COLUMNS, the service gaps file's own headers,
# then FILE_COLUMNS), the words the files the office hands out head them with; a column no entry names is shown as it is
TABLES: dict[str, tuple[str, str]] = {
    "bases": ("各省人口基数表", "population bases table"),
    "settlement": ("落户与享受服务人数表", "table of people settled and served"),
    "unit_cost_index": ("单位成本指数表", "unit cost index table"),
    "gaps": ("服务缺口表", "service gaps table"),
    "od": ("流动人口来源地与流入地人数表", "origin–destination table"),
}


def table_words(table: str) -> dict[str, str]:
    """The refusal parameters naming a fiscal table in words: table_zh, table_en."""
    zh, en = TABLES.get(table, (table, table))
    return {"table_zh": zh, "table_en": en}


def _column_label(column: str) -> tuple[str, str]:
    """A fiscal table's column in Chinese and English: the gaps file's header, else the file columns' one; as it is
    if neither names it."""
    return GAP_COLUMNS.get(column) or FILE_COLUMNS.get(column) or (column, column)


def column_words(column: str) -> dict[str, str]:
    """The refusal parameters naming a column in words: column_zh, column_en."""
    zh, en = _column_label(column)
    return {"column_zh": zh, "column_en": in_sentence(en)}


def columns_words(columns: list[str]) -> dict[str, str]:
    """The refusal parameters naming several columns in words: columns_zh, columns_en."""
    named = [_column_label(c) for c in columns]
    return {"columns_zh": "、".join(zh for zh, _ in named), "columns_en": ", ".join(in_sentence(en) for _, en in named)}


def service_words(services: list[str]) -> tuple[str, str]:
    """Planning services by their names in Chinese and English (the report's), joined; a service no name is known for
    as it is."""
    named = [PLANNING_MEASURES.get(s, (s, s)) for s in services]
    return "、".join(zh for zh, _ in named), ", ".join(en[:1].lower() + en[1:] for _, en in named)
