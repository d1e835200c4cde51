"""List endpoints as files: `format=csv|xlsx|parquet` returns the same rows as the page would, as a download."""

from __future__ import annotations

import io
import json
from collections.abc import Sequence
from enum import StrEnum
from typing import Annotated, Any

import polars as pl
from fastapi import Query, Response
from pydantic import BaseModel

from changzhu.api.aggregates import frame_page
from changzhu.api.errors import ApiError
from changzhu.api.file_names import content_disposition
from changzhu.api.pagination import Page
from changzhu.domain.refusals import RefusalCode, refusal
from changzhu.output import spreadsheet_cells


class ExportFormat(StrEnum):
    """A page of JSON, or the page's rows as a file."""

    JSON = "json"
    CSV = "csv"
    XLSX = "xlsx"
    PARQUET = "parquet"


FormatQuery = Annotated[
    ExportFormat,
    Query(
        alias="format", description="json (a page), or the page's rows as a file: csv (UTF-8 with BOM), xlsx, parquet"
    ),
]
MEDIA_TYPES = {
    ExportFormat.CSV: "text/csv; charset=utf-8",
    ExportFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ExportFormat.PARQUET: "application/vnd.apache.parquet",
}
FILE_RESPONSES: dict[int | str, dict[str, Any]] = {200: {"content": {t: {} for t in MEDIA_TYPES.values()}}}


EXCEL_MAX_ROWS = 1_048_576  # rows of an Excel sheet, its header row included
AUTOFIT_MAX_ROWS = 10_000  # beyond, a sheet's columns keep a set width (fitting them reads every cell again)
ROW_COUNT_HEADER = "X-Row-Count"  # a file's rows (its header not counted): its size before it is opened


def file_response(frame: pl.DataFrame, fmt: ExportFormat, name: str, fallback: str | None = None) -> Response:
    """The rows as a download named `name`.<format> (`fallback`.<format> for a client that reads only an ASCII
    name: file_names), its rows counted in X-Row-Count; XLSX is refused (coded) for more rows than an Excel sheet
    holds rather than written for minutes and then cut."""
    if fmt == ExportFormat.XLSX and frame.height + 1 > EXCEL_MAX_ROWS:
        limit = f"{EXCEL_MAX_ROWS:,}"
        raise ApiError(refusal(RefusalCode.XLSX_TOO_MANY_ROWS, rows=f"{frame.height:,}", limit=limit))
    buffer = io.BytesIO()
    if fmt != ExportFormat.PARQUET:  # a spreadsheet cell holds text: a list is written "a; b"
        frame = spreadsheet_cells(frame)
    if fmt == ExportFormat.CSV:
        frame.write_csv(buffer, include_bom=True)
    elif fmt == ExportFormat.XLSX:
        frame.write_excel(buffer, autofit=frame.height <= AUTOFIT_MAX_ROWS)
    else:
        frame.write_parquet(buffer)
    return _download(buffer.getvalue(), fmt, name, frame.height, fallback)


def _download(
    data: bytes, fmt: ExportFormat, name: str, rows: int | None = None, fallback: str | None = None
) -> Response:
    """`data` as a download named `name`.<format> (with its number of rows where known)."""
    headers = {"Content-Disposition": content_disposition(f"{name}.{fmt.value}", fallback)}
    if rows is not None:
        headers[ROW_COUNT_HEADER] = str(rows)
    return Response(data, media_type=MEDIA_TYPES[fmt], headers=headers)


def decision_workbook_response(result: pl.DataFrame, lang: str, name: str) -> Response:
    """evaluate()'s per-person decisions as the workbook an office reads (titles and words in `lang`, a sheet
    explaining each column: rules.decision_sheet), named `name`.xlsx."""
    from changzhu.rules.decision_sheet import write_decision_workbook

    buffer = io.BytesIO()
    write_decision_workbook(result, buffer, lang)
    return _download(buffer.getvalue(), ExportFormat.XLSX, name)


def frame_page_as(
    frame: pl.DataFrame, limit: int, offset: int, fmt: ExportFormat, name: str, fallback: str | None = None
) -> Page[dict[str, Any]] | Response:
    """One page of a table's rows, as JSON or as a file (named as file_response names it)."""
    if fmt == ExportFormat.JSON:
        return frame_page(frame, limit, offset)
    return file_response(frame.slice(offset, limit), fmt, name, fallback)


def models_page_as(
    rows: Sequence[BaseModel], total: int, limit: int, offset: int, fmt: ExportFormat, name: str
) -> Page[Any] | Response:
    """A page of records (`rows`, already the page's, of `total`), as JSON or as a file."""
    if fmt == ExportFormat.JSON:
        return Page[Any](items=list(rows), total=total, limit=limit, offset=offset)
    records = [r.model_dump(mode="json") for r in rows]
    return file_response(pl.DataFrame(records, infer_schema_length=None), fmt, name)


def _cell(value: Any) -> Any:
    """A value a file's cell holds: nested records and lists as JSON text."""
    return json.dumps(value, ensure_ascii=False, default=str) if isinstance(value, dict | list | tuple) else value


def dicts_page_as(
    rows: Sequence[dict[str, Any]], total: int, limit: int, offset: int, fmt: ExportFormat, name: str
) -> Page[dict[str, Any]] | Response:
    """A page of records (`rows`, already the page's, of `total`), as JSON or as a file; in a file, nested values
    are JSON text."""
    if fmt == ExportFormat.JSON:
        return Page[dict[str, Any]](items=list(rows), total=total, limit=limit, offset=offset)
    return records_file(rows, fmt, name)


def records_file(rows: Sequence[dict[str, Any]], fmt: ExportFormat, name: str) -> Response:
    """Records as a download; nested values as JSON text."""
    records = [{k: _cell(v) for k, v in row.items()} for row in rows]
    return file_response(pl.DataFrame(records, infer_schema_length=None), fmt, name)


def list_page_as(
    rows: Sequence[dict[str, Any]], limit: int, offset: int, fmt: ExportFormat, name: str
) -> Page[dict[str, Any]] | Response:
    """One page of a whole list of records, as JSON or as a file."""
    return dicts_page_as(rows[offset : offset + limit], len(rows), limit, offset, fmt, name)
