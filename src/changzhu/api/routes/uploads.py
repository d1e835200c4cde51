"""Uploads: a file of any table kind, checked row by row before anything is used. Residents and contribution
histories go into the registry (the CLI's import, casework/bulk_import.py); a person table is evaluated and its
decisions returned; facility lists, supply, standards and scenario populations become the jurisdiction's planning
datasets, which GET /planning/gaps uses. All rows or none unless bad rows are skipped; a dry run stores nothing."""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path as FilePath
from typing import Annotated, Any

import polars as pl
from fastapi import APIRouter, File, Query, Response, UploadFile
from pydantic import BaseModel
from sqlalchemy import Engine

from changzhu.api.aggregates import json_rows
from changzhu.api.auth.principal import Principal
from changzhu.api.deps import EngineDep, PrincipalDep, SettingsDep
from changzhu.api.errors import ApiError, Conflict
from changzhu.api.export import (
    FILE_RESPONSES,
    ExportFormat,
    FormatQuery,
    decision_workbook_response,
    file_response,
)
from changzhu.api.facility_notes import conversion_notes, systems_as_given
from changzhu.api.registry_writes import import_as
from changzhu.api.upload_labels import ColumnLabel, result_columns, schema_columns
from changzhu.api.upload_tables import (
    PREVIEW_ROWS,
    REGISTRY_KINDS,
    ROLES,
    ColumnNames,
    RowProblem,
    UploadKind,
    left_out_problem,
    preview,
    problem,
    problems_of,
    read_person_upload,
    read_upload,
    require_rows_inside,
    rows_in_file,
    schema_for,
)
from changzhu.casework.bulk_import import ImportRejected
from changzhu.domain.lang import Lang, of_region, sentence
from changzhu.domain.person import CheckedPersonTable
from changzhu.domain.refusals import Refusal, RefusalCode, refusal
from changzhu.domain.regions import RegionLevel
from changzhu.planning import datasets
from changzhu.planning.errors import PlanningInputError
from changzhu.planning.facilities import (
    INCOMPLETE_SHARE,
    coordinates_without_system,
    covered,
    replacement_summary,
    share_of_estimate,
)
from changzhu.registry.decide import evaluate_registered
from changzhu.rules import evaluate
from changzhu.rules.summary import eligibility_summary
from changzhu.store import audit, audit_subjects
from changzhu.store.audit_reasons import because
from changzhu.store.audit_subjects import AuditSubject
from changzhu.store.txn import write_session
from changzhu.tables import TableRead, TableRejected
from changzhu.tables.formats import SUFFIXES, FileUnreadable

router = APIRouter(prefix="/uploads", tags=["uploads"])
ESTIMATED = {
    UploadKind.FACILITY: (
        "其余地区和服务的供给仍为按2019年分省数据分摊的估计值",
        "Every other region and service keeps the supply estimated from the 2019 province figures",
    ),
    UploadKind.SUPPLY: ("其余省份仍用2019年统计数据", "Every other province keeps the shipped 2019 figures"),
    UploadKind.STANDARD: (
        "其余地区和服务仍用上级或国家标准",
        "Every other region and service keeps its province's or the national standard",
    ),
    UploadKind.POPULATION: ("其余地区仍用2020年人口普查数据", "Every other region keeps the 2020 census counts"),
}


class UploadWarning(BaseModel):
    """Something the uploader should check before relying on the data, in Chinese and English."""

    zh: str
    en: str


class UploadResult(BaseModel):
    """What the upload did: data rows read, rows stored or evaluated (0 on a dry run), for residents and contribution
    histories the rows the import stores (on a dry run: would store, every check of the import run), the rows left
    out and why,
    the first rows as read; for planning datasets what they replaced and what remains estimated; for a person
    table the decisions (first rows) and their summary. Each shown table's columns (preview_columns,
    replaced_columns, summary_columns) come labelled in Chinese and English, with how their values read and the
    labels of the codes in them (regions named, categories labelled); `notes` say how the preview's figures were
    read (a facility list's GCJ-02 or BD-09 coordinates converted to WGS-84, which system and which lines)."""

    kind: UploadKind
    rows: int
    stored: int
    would_store: int | None = None
    dry_run: bool
    replayed: bool
    errors: list[RowProblem]
    preview: list[dict[str, Any]]
    stored_as: str
    replaced: list[dict[str, Any]] = []
    remains_estimated_zh: str | None = None
    remains_estimated_en: str | None = None
    summary: list[dict[str, Any]] | None = None
    decisions: list[dict[str, Any]] | None = None
    preview_columns: list[ColumnLabel] = []
    replaced_columns: list[ColumnLabel] = []
    summary_columns: list[ColumnLabel] = []
    warnings: list[UploadWarning] = []
    notes: list[UploadWarning] = []  # how the preview was read: a facility list's coordinates converted to WGS-84


class UnknownFormat(ApiError):
    """A file whose name does not end in a format the readers know."""

    http_status = 422
    kind = "invalid_request"


class FileRefused(ApiError):
    """A file with bad rows or a bad header, nothing stored: the body carries its refused cells and a preview."""

    http_status = 422
    kind = "invalid_request"

    def __init__(self, reason: Refusal, details: dict[str, object]) -> None:
        super().__init__(reason)
        self.details = details


def refusal_of_file(rows: int, problems: list[RowProblem]) -> Refusal:
    """The line above a refused file's cells: how many of its rows are bad, or (no row read) what is wrong with its
    header; the cells themselves, with row, column and reason, are the body's `errors`."""
    if rows == 0 and problems:
        zh = "；".join(dict.fromkeys(f"{p.column_zh or p.header or p.column}（{p.reason_zh}）" for p in problems))
        en = "; ".join(dict.fromkeys(f"{p.column_en or p.header or p.column} ({p.reason_en})" for p in problems))
        line = problems[0].row  # 1, or the line under a title row the sheet has above its header
        return refusal(RefusalCode.FILE_HEADER_WRONG, line=line, problems_zh=zh, problems_en=en)
    bad = len({p.row for p in problems})
    return refusal(RefusalCode.FILE_ROWS_WRONG, bad=bad, rows=rows)


def _rejected(
    engine: Engine,
    kind: UploadKind,
    rows: int,
    problems: list[RowProblem],
    shown: list[Any],
    would_store: int | None = None,
    notes: list[UploadWarning] | None = None,
    warnings: list[UploadWarning] | None = None,
) -> FileRefused:
    """A refused file's body; `would_store` (a registry import) is how many rows it would store with bad rows
    skipped; `notes` and `warnings` (a facility list) say how its good rows were read, as a stored list's would."""
    details: dict[str, object] = {
        "table_kind": kind.value,
        "rows": rows,
        "stored": 0,
        **({} if would_store is None else {"would_store": would_store}),
        "errors": [p.model_dump() for p in problems],
        "preview": shown,
        "preview_columns": schema_columns(engine, schema_for(kind), shown),
        "notes": [n.model_dump() for n in notes or []],
        "warnings": [w.model_dump() for w in warnings or []],
    }
    return FileRefused(refusal_of_file(rows, problems), details)


def _ignored(read: TableRead, kind: UploadKind) -> list[UploadWarning]:
    """The file's columns that are not the kind's (a city's 备注, 电话, 联系人…), named: left out, not stored."""
    schema = schema_for(kind)
    note = read.ignored_note(schema)
    said = [*read.sheets_notes(schema), *([] if note is None else [note])]  # which sheet was read, first
    return [UploadWarning(zh=n.zh, en=n.en) for n in said]


def _bad_rows(
    engine: Engine, kind: UploadKind, read: TableRead, shown: list[Any], notes: list[UploadWarning]
) -> FileRefused:
    """A file refused for its bad rows, with what its good rows' reading says (a facility list's coordinates
    converted to WGS-84, or read as WGS-84 for want of a system; the columns left out): the planner corrects the
    file knowing all of it."""
    warnings = _ignored(read, kind) + (_coordinate_warnings(read) if kind == UploadKind.FACILITY else [])
    return _rejected(
        engine, kind, rows_in_file(read), problems_of(read.errors, kind), shown, notes=notes, warnings=warnings
    )


def _audit(
    engine: Engine, principal: Principal, kind: UploadKind, subject: AuditSubject, details: dict[str, object]
) -> None:
    with write_session(engine) as session:
        audit.append(
            session,
            actor=f"user:{principal.username}",
            action=f"upload_{kind.value}",
            subject=subject,
            details={**details, "role": principal.role.value},
            reason=because("upload"),
        )


def _registry(
    engine: Engine, path: FilePath, kind: UploadKind, principal: Principal, skip_bad_rows: bool, dry_run: bool
) -> UploadResult:
    """Residents or contribution histories into the registry, through the CLI's import."""
    first = read_upload(path, kind)
    require_rows_inside(first, kind, principal)
    rows = rows_in_file(first)
    try:
        result = import_as(engine, principal, kind, path, skip_bad_rows=skip_bad_rows, dry_run=dry_run, read=first)
    except ImportRejected as exc:
        names = ColumnNames(schema_for(kind))
        problems = [problem(e.line, e.column, e.reason, e.value, names) for e in exc.errors]
        shown = preview(first, schema_for(kind), {e.line for e in exc.errors})
        raise _rejected(engine, kind, rows, problems, shown, exc.would_store, warnings=_ignored(first, kind)) from exc
    names = ColumnNames(schema_for(kind))
    stored = int(result["residents" if kind == UploadKind.RESIDENT else "rows"])  # type: ignore[call-overload]
    left_out: list[dict[str, Any]] = result.get("errors", [])  # type: ignore[assignment]
    shown = preview(first, schema_for(kind), {int(e["line"]) for e in left_out})
    return UploadResult(
        kind=kind,
        rows=rows,
        stored=0 if dry_run else stored,
        would_store=stored,
        dry_run=dry_run,
        replayed=bool(result.get("replayed")),
        errors=[left_out_problem(e, names) for e in left_out],
        preview=shown,
        stored_as="registry",
        preview_columns=schema_columns(engine, schema_for(kind), shown),
        warnings=_ignored(first, kind),
    )


def _facility_replaced(frame: pl.DataFrame, scope: str) -> list[dict[str, Any]]:
    """Per scope region and service: the list's supply and the estimate it replaces."""
    regions = covered(frame, scope)["scope_code"].unique().to_list()
    estimate = datasets.gaps_replaced_by(scope, regions).filter(pl.col("basis") == "resident")
    return json_rows(replacement_summary(frame, scope, estimate))


UNNAMED_SERVICE = ("未列名服务", "an unnamed service")  # a service code no label names (not shown as the code)


def _named(name: str, code: str) -> str:
    """A region's name, "" when it is none (empty, or the code itself)."""
    return "" if name == code else name


def _possibly_incomplete(replaced: list[dict[str, Any]], columns: list[ColumnLabel]) -> list[UploadWarning]:
    """A warning for each region and service whose facility list holds under half the estimate it replaces (as
    `changzhu plan` warns): the list is taken as the region's whole supply, so a partial list inflates the gap."""
    values = {c.name: c.values for c in columns}
    out = []
    for row in replaced:
        share = row.get("list_share_of_estimate")
        if share is None or share >= INCOMPLETE_SHARE:
            continue
        region = values["region_code"].get(row["region_code"])
        service = values["service"].get(row["service"])
        code = row["region_code"]
        # a name in each language, else the other's (a region named in Chinese only: 深圳市 (440300), not "region
        # 440300"); a service no label names is said to be one, never its code
        zh_name, en_name = (region.zh, region.en) if region else ("", "")
        zh_what, en_what = (service.zh, service.en) if service else ("", "")
        where_zh = of_region(zh_name or en_name, code, zh_what or en_what or UNNAMED_SERVICE[0], Lang.ZH)
        where_en = of_region(_named(en_name, code) or zh_name, code, en_what or zh_what or UNNAMED_SERVICE[1], Lang.EN)
        listed, estimate = row["facility_list_supply"], row["estimate_replaced"]
        part = share_of_estimate(share)
        zh = (
            f"{where_zh}：清单只有所替换估计供给的 {part}（{listed:,.0f} / {estimate:,.0f}）。清单被视为该地区的"
            "全部供给，不完整的清单会使缺口显得更大，请确认清单完整。"
        )
        en = (
            f"{sentence(where_en)}: the list holds {part} of the estimated supply it replaces ({listed:,.0f} of"
            f" {estimate:,.0f}). A list is taken as the region's whole supply, so a partial list makes the shortage"
            " look larger: check that the list is complete."
        )
        out.append(UploadWarning(zh=zh, en=en))
    return out


def _planning(
    engine: Engine,
    read: TableRead,
    kind: UploadKind,
    principal: Principal,
    scope: RegionLevel | None,
    dry_run: bool,
    shown: list[Any],
    notes: list[UploadWarning],
) -> UploadResult:
    """A planning dataset stored per key region, replacing that region's previous one of the kind."""
    root = datasets.datasets_root()
    try:
        level = datasets.scope_of(read.frame, scope.value if scope else None) if kind == UploadKind.FACILITY else None
        if level is not None:
            covered(read.frame, level)
        keys = datasets.key_regions(read.frame, kind.value, level)
        require_rows_inside(read, kind, principal, keys)
        datasets.check_compatible(root, kind.value, keys)
    except PlanningInputError as exc:
        raise Conflict(exc.refusal or f"规划数据无法使用 / {exc}") from exc
    regions = sorted(set(keys.to_list()))
    before = set(datasets.stored_regions(root, kind.value))
    if level is not None:
        replaced = _facility_replaced(read.frame, level)
    else:
        replaced = [{"region_code": r, "replaces_stored_upload": r in before} for r in regions]
    if not dry_run:
        datasets.store_dataset(root, kind.value, read.frame, keys)
        details: dict[str, object] = {"rows": read.frame.height, "regions": regions, "scope": level}
        _audit(engine, principal, kind, audit_subjects.dataset(kind.value), details)
    zh, en = ESTIMATED[kind]
    schema = schema_for(kind)
    columns = result_columns(engine, replaced, schema)
    return UploadResult(
        kind=kind,
        rows=rows_in_file(read),
        stored=0 if dry_run else read.frame.height,
        dry_run=dry_run,
        replayed=False,
        errors=problems_of(read.errors, kind),
        preview=shown,
        stored_as="planning_dataset",
        replaced=replaced,
        remains_estimated_zh=zh,
        remains_estimated_en=en,
        preview_columns=schema_columns(engine, schema, shown),
        replaced_columns=columns,
        warnings=_ignored(read, kind) + (_facility_warnings(read, replaced, columns) if level is not None else []),
        notes=notes,
    )


def _facility_warnings(
    read: TableRead, replaced: list[dict[str, Any]], columns: list[ColumnLabel]
) -> list[UploadWarning]:
    """What the planner should check in a facility list: coordinates whose system the list does not say (read as
    WGS-84, never assumed silently), and regions whose list may be incomplete."""
    return _coordinate_warnings(read) + _possibly_incomplete(replaced, columns)


def _coordinate_warnings(read: TableRead) -> list[UploadWarning]:
    """A facility list's coordinates whose system the list does not say (read as WGS-84, never assumed silently)."""
    unlabelled = coordinates_without_system(read.frame, read.lines)
    return [UploadWarning(zh=unlabelled[0], en=unlabelled[1])] if unlabelled else []


def _evaluated(
    engine: Engine,
    read: TableRead,
    checked: CheckedPersonTable | None,
    principal: Principal,
    on: date | None,
    fmt: ExportFormat,
    lang: str,
    shown: list[Any],
) -> UploadResult | Response:
    """A person table decided like `changzhu evaluate` (`checked`: the table as the reader checked it, not checked
    again): nothing stored; the decisions as JSON or as a file (xlsx: the workbook an office reads, in `lang`)."""
    # a table the reader could not keep as checked (rows left out, or facts left empty: unknown) is decided as the
    # registry's records lacking facts are: undetermined where a missing fact matters, naming it
    when = on or date.today()
    result = (
        evaluate_registered(read.frame, when, earliest=False)
        if checked is None
        else evaluate(checked, when, earliest=False)
    )
    _audit(
        engine,
        principal,
        UploadKind.PERSON,
        audit_subjects.table("uploaded", read.frame.height),
        {"rows": read.frame.height},
    )
    if fmt == ExportFormat.XLSX:
        return decision_workbook_response(result, lang, "decisions")
    if fmt != ExportFormat.JSON:
        return file_response(result, fmt, "decisions")
    summary = json_rows(eligibility_summary(result))
    return UploadResult(
        kind=UploadKind.PERSON,
        rows=rows_in_file(read),
        stored=0,
        dry_run=False,
        replayed=False,
        errors=problems_of(read.errors, UploadKind.PERSON),
        preview=shown,
        stored_as="evaluated",
        summary=summary,
        decisions=json_rows(result.head(PREVIEW_ROWS)),
        preview_columns=schema_columns(engine, schema_for(UploadKind.PERSON), shown),
        summary_columns=result_columns(engine, summary),
        warnings=_ignored(read, UploadKind.PERSON),
    )


@router.post(
    "/{kind}", response_model=UploadResult, responses={401: {}, 403: {}, 409: {}, 413: {}, 422: {}, **FILE_RESPONSES}
)
def upload(
    kind: UploadKind,
    file: Annotated[UploadFile, File(description="CSV (UTF-8 or GBK), Excel, Parquet, JSON or YAML")],
    engine: EngineDep,
    settings: SettingsDep,
    principal: PrincipalDep,
    dry_run: Annotated[bool, Query(description="check every row and store nothing")] = False,
    skip_bad_rows: Annotated[bool, Query(description="store the good rows, report the others")] = False,
    scope: Annotated[
        RegionLevel | None, Query(description="facility lists: what the list is complete for (default: its cities)")
    ] = None,
    on: Annotated[date | None, Query(description="person tables: the date decided on (default today)")] = None,
    fmt: FormatQuery = ExportFormat.JSON,
    lang: Annotated[
        Lang, Query(description="person tables as xlsx: the workbook's titles and words in zh or en")
    ] = Lang.ZH,
) -> Any:
    """Load a file of `kind`: registry imports (caseworkers, administrators), person tables evaluated (caseworkers,
    planners, administrators), planning datasets (planners, administrators); every row inside the caller's
    jurisdiction."""
    principal.require_role(*ROLES[kind])
    suffix = FilePath(file.filename or "").suffix.lower()
    if suffix not in SUFFIXES:
        raise UnknownFormat(refusal(RefusalCode.UNKNOWN_FILE_FORMAT, suffix=repr(suffix), known=", ".join(SUFFIXES)))
    name = file.filename or "upload"
    with tempfile.TemporaryDirectory(prefix="changzhu-upload-") as folder:
        path = FilePath(folder) / f"upload{suffix}"
        path.write_bytes(file.file.read(settings.max_body_bytes + 1))
        try:
            if kind in REGISTRY_KINDS:
                return _registry(engine, path, kind, principal, skip_bad_rows, dry_run)
            read, checked = read_person_upload(path) if kind == UploadKind.PERSON else (read_upload(path, kind), None)
            given = systems_as_given(path, schema_for(kind), read) if kind == UploadKind.FACILITY else {}
        except TableRejected as exc:
            raise _rejected(engine, kind, exc.rows, problems_of(exc.errors, kind), []) from exc
        except FileUnreadable as exc:
            if exc.refusal is not None:  # a reason of its own, in both languages
                raise UnknownFormat(exc.refusal) from exc
            raise UnknownFormat(refusal(RefusalCode.FILE_UNREADABLE, detail=str(exc).replace(str(path), name))) from exc
    shown = preview(read, schema_for(kind))
    require_rows_inside(read, kind, principal)
    notes = [UploadWarning(zh=zh, en=en) for zh, en in conversion_notes(given)]
    if read.errors and not skip_bad_rows:
        raise _bad_rows(engine, kind, read, shown, notes)
    if kind == UploadKind.PERSON:
        return _evaluated(engine, read, checked, principal, on, fmt, lang, shown)
    return _planning(engine, read, kind, principal, scope, dry_run, shown, notes)
