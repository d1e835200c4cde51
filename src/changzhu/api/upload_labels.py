"""What an upload result's tables mean to a reader: each column's label in Chinese and English, how its values read
(a number, a share, a region, a category) and the labels of the codes shown (region names, category labels)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from pydantic import BaseModel
from sqlalchemy import Engine

from changzhu.api.facility_notes import COUNT_UNITS
from changzhu.planning.standards import load_standards
from changzhu.registry.region_names import region_labels
from changzhu.rules.catalog import policies_in_use
from changzhu.rules.labels import SUMMARY_COLUMNS, output_labels, pick_label
from changzhu.store.db import session_scope
from changzhu.tables import TableSchema
from changzhu.tables.schema import Column, ColumnType


class ValueLabel(BaseModel):
    """A code's label in Chinese and English (a region's name, a category's label)."""

    zh: str
    en: str


class ColumnLabel(BaseModel):
    """A column of a result table: its name (the key in the rows), labels, how its values read, and the labels of
    the codes it holds in these rows.

    type: text, integer, number, count (a whole number of the row's service's unit: `units` by service, 个学位 /
    places), share (0-1, shown as a percentage), coordinate, period (YYYYMM), date, dates, bool, category (values
    labelled), region (values named)."""

    name: str
    zh: str
    en: str
    type: str
    values: dict[str, ValueLabel] = {}
    units: dict[str, ValueLabel] = {}


COUNTED = {"capacity"}  # a facility list's column counting its service's unit (beds, places, staff)


def _service_units() -> dict[str, ValueLabel]:
    """Each planned service's unit as a count reads (张床位 / beds, 个学位 / places)."""
    return {
        key: ValueLabel(zh=COUNT_UNITS[std.unit][0], en=COUNT_UNITS[std.unit][1])
        for key, std in load_standards().items()
        if std.unit in COUNT_UNITS
    }


def _type(column: Column) -> str:
    if column.unit == "YYYYMM":
        return "period"
    if column.unit == "degrees":
        return "coordinate"
    return {
        ColumnType.MONTHS: "integer",
        ColumnType.CATEGORIES: "category",
    }.get(column.type, column.type.value)


def _category_labels(column: Column) -> dict[str, ValueLabel]:
    return {c.code: ValueLabel(zh=c.zh, en=c.en or c.code.replace("_", " ")) for c in column.categories}


def _codes(rows: Iterable[Mapping[str, Any]], name: str) -> set[str]:
    return {str(row[name]) for row in rows if row.get(name) is not None}


def _named(engine: Engine, codes: set[str]) -> dict[str, ValueLabel]:
    """Region codes with their names (the English one where the region table has it, else the Chinese)."""
    with session_scope(engine) as session:
        names = region_labels(session, codes)
    return {code: ValueLabel(zh=zh, en=en) for code, (zh, en) in names.items()}


def schema_columns(engine: Engine, schema: TableSchema, rows: Sequence[Mapping[str, Any]]) -> list[ColumnLabel]:
    """The columns of rows read against `schema` (a preview), labelled by the schema; the regions in them named."""
    shown = list(rows[0]) if rows else []
    known = {c.name: c for c in schema.columns}
    out = []
    for name in shown:
        column = known.get(name)
        if column is None:
            out.append(ColumnLabel(name=name, zh=name, en=name.replace("_", " "), type="text"))
            continue
        kind = "count" if name in COUNTED else _type(column)
        values = _category_labels(column) if kind == "category" else {}
        if kind == "region":
            values = _named(engine, _codes(rows, name))
        units = _service_units() if kind == "count" else {}
        out.append(ColumnLabel(name=name, zh=column.zh, en=column.en, type=kind, values=values, units=units))
    return out


def _output_labels(outputs: set[str]) -> dict[str, ValueLabel]:
    """Services by their titles, points totals by their scheme's title (rules.labels.output_labels; an English
    title left empty shows the Chinese)."""
    titles = output_labels(policies_in_use())
    return {
        output: ValueLabel(zh=titles[output][0], en=pick_label(titles[output], "en"))
        for output in outputs
        if output in titles
    }


def result_columns(
    engine: Engine, rows: Sequence[Mapping[str, Any]], schema: TableSchema | None = None
) -> list[ColumnLabel]:
    """The columns of a replaced or summary table, labelled; services labelled by `schema`'s service column,
    regions named, decided outputs by their titles."""
    services = {c.name: c for c in schema.columns}.get("service") if schema is not None else None
    out = []
    for name in list(rows[0]) if rows else []:
        zh, en, kind = SUMMARY_COLUMNS.get(name, (name, name.replace("_", " "), "text"))
        values: dict[str, ValueLabel] = {}
        if kind == "region":
            values = _named(engine, _codes(rows, name))
        elif name == "service" and services is not None:
            values = _category_labels(services)
        elif name == "output":
            values = _output_labels(_codes(rows, name))
        units = _service_units() if kind == "count" else {}
        out.append(ColumnLabel(name=name, zh=zh, en=en, type=kind, values=values, units=units))
    return out
