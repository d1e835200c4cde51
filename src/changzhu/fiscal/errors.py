"""Errors of the fiscal part: bad parameters, bad input tables, an allocation that cannot be made."""

from __future__ import annotations

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


# the fiscal tables and their columns as an error names them to a person, in Chinese and English (never the frame's
# column name): a column no entry names is shown as it is
TABLES: dict[str, tuple[str, str]] = {
    "bases": ("各省人口基数表", "population bases table"),
    "settlement": ("落户与享受服务人数表", "table of people settled and served"),
    "unit_cost_index": ("单位成本指数表", "unit cost index table"),
    "gaps": ("服务缺口表", "service gaps table"),
    "od": ("流动人口来源地与流入地人数表", "origin–destination table"),
}
# the input columns no output table shows; the others are named as the tables a person reads head them
# (rules.labels.FILE_COLUMNS, GAP_COLUMNS: one label per column)
INPUT_COLUMNS: dict[str, tuple[str, str]] = {
    "region_name_zh": ("地区名称", "region name"),
    "interprov_in_migrants": ("跨省流入人口", "inter-provincial in-migrants"),
    "urbanisation_rate": ("城镇化率", "urbanisation rate"),
    "destination_code": ("流入地代码", "destination code"),
    "origin_code": ("来源地代码", "origin code"),
    "migrants_est": ("流动人口（估算）", "migrants (estimate)"),
}


def _column(column: str) -> tuple[str, str]:
    """A column by its label (Chinese, English), as it is where no table names it."""
    for table in (FILE_COLUMNS, GAP_COLUMNS, INPUT_COLUMNS):
        if column in table:
            return table[column]
    return column, column


def table_words(table: str) -> dict[str, str]:
    """The refusal parameters naming a fiscal table in words: table_zh, table_en."""
    zh, en = TABLES.get(table, (table, table))
    return {"table_zh": zh, "table_en": en}


def column_words(column: str) -> dict[str, str]:
    """The refusal parameters naming a column in words: column_zh, column_en."""
    zh, en = _column(column)
    return {"column_zh": zh, "column_en": en}


def columns_words(columns: list[str]) -> dict[str, str]:
    """The refusal parameters naming several columns in words: columns_zh, columns_en."""
    named = [_column(c) for c in columns]
    return {"columns_zh": "、".join(zh for zh, _ in named), "columns_en": ", ".join(en for _, en in named)}


def service_words(services: list[str]) -> tuple[str, str]:
    """Planning services by their names in Chinese and English (the report's), joined; a service no name is known for
    as it is."""
    named = [PLANNING_MEASURES.get(s, (s, s)) for s in services]
    return "、".join(zh for zh, _ in named), ", ".join(en[:1].lower() + en[1:] for _, en in named)
