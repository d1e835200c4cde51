"""Reading an uploaded table of any kind (changzhu.tables): its schema, who may load it, where each row lies, a
preview of the first rows and every refused cell with its reason in Chinese and English."""

from __future__ import annotations

from collections.abc import Collection
from enum import StrEnum
from pathlib import Path
from typing import Any

import polars as pl
from fastapi.encoders import jsonable_encoder
from pydantic import BaseModel

from changzhu.api.aggregates import json_rows
from changzhu.api.auth.principal import Principal
from changzhu.api.auth.roles import Role
from changzhu.api.errors import Forbidden
from changzhu.casework.bulk_import import left_out_reason
from changzhu.domain.lang import Lang
from changzhu.domain.masking import mask
from changzhu.domain.person import CheckedPersonTable
from changzhu.domain.refusals import Refusal, RefusalCode, refusal
from changzhu.planning.standards import load_standards, service_catalog
from changzhu.registry.declared import declared_columns
from changzhu.tables import CellError, TableRead, TableSchema, read_table, schema_of
from changzhu.tables.person import read_person_table
from changzhu.tables.places import reason_text
from changzhu.tables.read import missing_column
from changzhu.tables.schema import Column, header_candidates

PREVIEW_ROWS = 20


class UploadKind(StrEnum):
    """Every table kind of changzhu.tables: person tables are evaluated, registry imports stored in the registry,
    facility lists, supply, standards and scenario populations stored as the jurisdiction's planning datasets."""

    PERSON = "person"
    RESIDENT = "resident"
    CONTRIBUTION = "contribution"
    FACILITY = "facility"
    SUPPLY = "supply"
    STANDARD = "standard"
    POPULATION = "population"


REGISTRY_KINDS = (UploadKind.RESIDENT, UploadKind.CONTRIBUTION)
PLANNING_KINDS = (UploadKind.FACILITY, UploadKind.SUPPLY, UploadKind.STANDARD, UploadKind.POPULATION)
ROLES: dict[UploadKind, tuple[Role, ...]] = {
    UploadKind.PERSON: (Role.CASEWORKER, Role.PLANNER, Role.ADMINISTRATOR),
    **{k: (Role.CASEWORKER, Role.ADMINISTRATOR) for k in REGISTRY_KINDS},
    **{k: (Role.PLANNER, Role.ADMINISTRATOR) for k in PLANNING_KINDS},
}
# the column naming the place a row belongs to: it must lie in the caller's jurisdiction
REGION_COLUMNS = {
    UploadKind.PERSON: "residence_region",
    UploadKind.RESIDENT: "residence_region",
    UploadKind.CONTRIBUTION: "region",
    UploadKind.FACILITY: "region_code",
    UploadKind.SUPPLY: "code",
    UploadKind.STANDARD: "region_code",
    UploadKind.POPULATION: "region_code",
}


class RowProblem(BaseModel):
    """One refused cell or row: the file line (the header is line 1), the column as the file heads it (or, for a
    missing column, its label and name), the value, why (Chinese and English). column_zh and column_en are the
    schema column's label (None for a header that names no column); header is the column's header as written in
    the file (None when the column is missing from the file)."""

    row: int
    column: str
    value: str = ""
    reason_zh: str
    reason_en: str
    column_zh: str | None = None
    column_en: str | None = None
    header: str | None = None


WHOLE_ROW = "row"  # a registry import's problem with the whole row (a duplicate person, a refused write)


class ColumnNames:
    """The schema column a refused cell's column names, read as the table reader matched the file's headers."""

    def __init__(self, schema: TableSchema) -> None:
        self.schema = schema
        self.headers = schema.header_map()
        self.missing = {missing_column(c): c.name for c in schema.columns}  # how the reader names a missing one

    def of(self, column: str, missing: bool = False) -> tuple[Column | None, str | None]:
        """(the schema column or None, the header as written or None for a column `missing` from the file: named
        as a template heads it, which a file's own header may be too)."""
        if column == WHOLE_ROW:
            return None, None
        if missing and column in self.missing:
            return self.schema.column(self.missing[column]), None
        name = next((self.headers[k] for k in header_candidates(column) if k in self.headers), None)
        return (self.schema.column(name) if name else None), column


def problem(line: int, column: str, reason: Refusal, value: str = "", names: ColumnNames | None = None) -> RowProblem:
    """A refused cell with its reason in both languages (its regions by name) and (given `names`) its column's
    labels."""
    if reason.code == RefusalCode.HEADER_BLANK_AT:  # a column with no header: by its number and letter, named once
        position, letter = dict(reason.params)["position"], dict(reason.params)["letter"]
        return RowProblem(
            row=line,
            column=column,
            value=value,
            reason_zh=reason_text(refusal(RefusalCode.HEADER_BLANK), Lang.ZH),
            reason_en=reason_text(refusal(RefusalCode.HEADER_BLANK), Lang.EN),
            column_zh=f"第 {position} 列（{letter}）",
            column_en=f"column {position} ({letter})",
        )
    absent = reason.code == RefusalCode.COLUMN_MISSING_HEADERS
    found, header = names.of(column, absent) if names is not None else (None, column)
    if absent and found is not None:  # the page names the column by its label: "证明编号（缺少此列）"
        reason = refusal(RefusalCode.COLUMN_MISSING)
    label_zh, label_en = (found.zh, found.en or found.name.replace("_", " ")) if found else (None, None)
    if column == WHOLE_ROW:
        label_zh, label_en = "整行", "whole row"
    return RowProblem(
        row=line,
        column=column,
        value=value,
        reason_zh=reason_text(reason, Lang.ZH),
        reason_en=reason_text(reason, Lang.EN),
        column_zh=label_zh,
        column_en=label_en,
        header=header,
    )


def problems_of(errors: list[CellError], kind: UploadKind) -> list[RowProblem]:
    """The reader's refused cells as problems, columns labelled by the kind's schema (identity numbers already
    masked by the reader)."""
    names = ColumnNames(schema_for(kind))
    return [problem(e.line, e.column, e.reason, e.value, names) for e in errors]


def left_out_problem(row: dict[str, Any], names: ColumnNames) -> RowProblem:
    """A row an import left out, as its result keeps it (bulk_import's "errors": line, column, reason, refusal)."""
    return problem(int(row["line"]), str(row["column"]), left_out_reason(row), str(row.get("value", "")), names)


def schema_for(kind: UploadKind) -> TableSchema:
    """The kind's schema with the services of the shipped standards and the inputs the policies declare."""
    services = service_catalog(load_standards()) if kind in PLANNING_KINDS else ()
    declared = declared_columns(None) if kind in (UploadKind.PERSON, UploadKind.RESIDENT) else ()
    return schema_of(kind.value, services, declared)


def read_upload(path: Path, kind: UploadKind, *, sheet: str | None = None) -> TableRead:
    """The file (or its `sheet`) read against the kind's schema, every bad row reported (never raised for bad
    rows); a header that cannot be used raises TableRejected naming every problem of it at once (a missing column
    and the unknown ones together)."""
    return read_table(path, schema_for(kind), sheet=sheet, skip_bad_rows=True)


def read_person_upload(path: Path) -> tuple[TableRead, CheckedPersonTable | None]:
    """A person table read as read_upload reads it, and the table as the reader's cross-column check made it (None
    when that check left rows out), so that evaluating it does not check the whole table again."""
    return read_person_table(path, schema_for(UploadKind.PERSON), skip_bad_rows=True)


def rows_in_file(read: TableRead) -> int:
    """Data rows of the file, good and bad."""
    return read.frame.height + len({e.line for e in read.errors})


def require_rows_inside(
    read: TableRead, kind: UploadKind, principal: Principal, extra: pl.Series | None = None
) -> None:
    """Forbidden, naming the first rows, when a row's region (or its key region, `extra`) lies outside the
    caller's jurisdiction."""
    regions = read.frame.get_column(REGION_COLUMNS[kind]).to_list()
    keys = extra.to_list() if extra is not None else [None] * len(regions)
    outside = [
        (line, code if not principal.covers(code) else key)
        for line, code, key in zip(read.lines, regions, keys, strict=True)
        if code is not None and (not principal.covers(code) or (key is not None and not principal.covers(key)))
    ]
    if outside:
        lines = ", ".join(str(line) for line, _ in outside[:5])
        places = tuple(dict.fromkeys(str(code) for _, code in outside[:5]))
        why = refusal(RefusalCode.ROWS_OUTSIDE, first=outside[0][0], count=len(outside), lines=lines, regions=places)
        raise Forbidden(why)


def preview(read: TableRead, schema: TableSchema, leaving_out: Collection[int] = ()) -> list[dict[str, Any]]:
    """The first rows as typed JSON values, in the columns the file holds (not every optional column the schema
    knows, such as the inputs of other cities' rules: empty for every row); identity numbers and phones masked like
    the error report. The rows on the lines `leaving_out` (those an import refused after reading them, such as a
    person already registered) are not shown: the preview is of the rows that go in."""
    held = [c for c in read.frame.columns if c in read.headers] or read.frame.columns
    kept = read.frame
    if leaving_out:
        kept = kept.filter(pl.Series([line not in leaving_out for line in read.lines], dtype=pl.Boolean))
    head = kept.select(held).head(PREVIEW_ROWS)
    sensitive = [c.name for c in schema.columns if c.sensitive and c.name in head.columns]
    head = head.with_columns(
        pl.col(c).map_elements(mask, return_dtype=pl.String) for c in sensitive if head.height
    ).with_columns(pl.col(c).cast(pl.String) for c, t in head.schema.items() if isinstance(t, pl.Enum | pl.Categorical))
    return list(jsonable_encoder(json_rows(head)))
