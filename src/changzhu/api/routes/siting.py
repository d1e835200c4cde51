"""Where to build (选址), started from the office: a planner's siting run of one service in a province or a city of
their jurisdiction, in the background, its progress, and its results cut to each reader's jurisdiction."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any

import polars as pl
from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel, Field
from sqlalchemy import Engine

from changzhu.api.aggregates import require_analyst, within_jurisdiction
from changzhu.api.auth.principal import Principal
from changzhu.api.auth.roles import Role
from changzhu.api.deps import EngineDep, LimitQuery, OffsetQuery, PrincipalDep
from changzhu.api.errors import Conflict
from changzhu.api.export import FILE_RESPONSES, ExportFormat, FormatQuery, dicts_page_as, frame_page_as
from changzhu.api.language import answer_lang
from changzhu.api.pagination import Page
from changzhu.api.scenario_runs import result_frame
from changzhu.api.siting_runs import SitingQueue, describe_siting
from changzhu.domain.lang import Lang
from changzhu.domain.refusals import RefusalCode, refusal
from changzhu.planning.siting import LEFT_OUT_WHY
from changzhu.registry.region_names import region_labels
from changzhu.report.siting_files import siting_file_in, siting_runs_file_in
from changzhu.store.db import session_scope
from changzhu.store.siting_models import SitingRunRow

router = APIRouter(prefix="/planning/siting", tags=["planning"])
WRITERS = (Role.PLANNER, Role.ADMINISTRATOR)  # who may start a siting run
MAX_P = 30
RESULT_RESPONSES: dict[int | str, dict[str, Any]] = {401: {}, 403: {}, 404: {}, 409: {}, **FILE_RESPONSES}
FileLangQuery = Annotated[
    Lang | None,
    Query(
        description="zh or en; with format=csv|xlsx the file is in that language: headers, yes/no and kinds in words"
    ),
]


class SitedService(StrEnum):
    """The services the siting places (schools only from an uploaded school list)."""

    HOSPITAL_BEDS = "hospital_beds"
    PRIMARY_SCHOOL_PLACES = "primary_school_places"
    JUNIOR_SECONDARY_PLACES = "junior_secondary_places"


class SitingRequest(BaseModel):
    """A siting run: the region (a province or a prefecture-level city), the service and how many new facilities."""

    region: str = Field(pattern=r"^[1-8]\d{5}$", description="a province (440000) or a city (440300) code")
    service: SitedService = SitedService.HOSPITAL_BEDS
    p: int = Field(default=10, ge=1, le=MAX_P, description="new facilities to place (at most the region's counties)")


def _queue(request: Request) -> SitingQueue:
    queue: SitingQueue = request.app.state.siting_runs
    return queue


def _lang(request: Request) -> Lang:
    return answer_lang(request.query_params, request.headers)


@router.post("/runs", status_code=202, responses={400: {}, 401: {}, 403: {}, 422: {}, 429: {}})
def start(body: SitingRequest, request: Request, engine: EngineDep, principal: PrincipalDep) -> dict[str, Any]:
    """Queue a siting run; poll GET /planning/siting/runs/{run_id} for its progress. Planners and administrators
    only, for a province or a city inside their jurisdiction (a national account: any)."""
    principal.require_role(*WRITERS)
    principal.require_region(body.region)
    queue = _queue(request)
    run_id = queue.start(body.region, body.service.value, body.p, principal.username)
    return describe_siting(queue.get(run_id), _lang(request), principal, engine)


@router.get("/runs", response_model=Page[dict[str, Any]], responses={401: {}, 403: {}, **FILE_RESPONSES})
def runs(
    request: Request,
    engine: EngineDep,
    principal: PrincipalDep,
    limit: LimitQuery = 20,
    offset: OffsetQuery = 0,
    fmt: FormatQuery = ExportFormat.JSON,
    lang: FileLangQuery = None,
) -> Page[dict[str, Any]] | Response:
    """Siting runs of regions that lie in, or hold, the caller's jurisdiction, newest first. A file asked with
    `lang` (format=csv|xlsx&lang=zh|en) is one a person reads, in that language only (report/siting_files.py,
    `siting_runs_file_in`: headers in words, the summary spread into columns, estimates marked); without it, the
    codes, column names and the summary as JSON, as scripts read them."""
    require_analyst(principal)
    rows, total = _queue(request).listing(principal, limit, offset)
    in_lang = lang or _lang(request)
    described = [describe_siting(r, in_lang, principal, engine) for r in rows]
    if lang is not None and fmt in (ExportFormat.CSV, ExportFormat.XLSX):
        described = siting_runs_file_in(described, lang)
    return dicts_page_as(described, total, limit, offset, fmt, "siting_runs")


@router.get("/runs/{run_id}", responses={401: {}, 403: {}, 404: {}})
def run(run_id: str, request: Request, engine: EngineDep, principal: PrincipalDep) -> dict[str, Any]:
    """A run's request, status, progress and (to a reader holding the whole region) its summary."""
    require_analyst(principal)
    return describe_siting(_queue(request).in_reach(run_id, principal), _lang(request), principal, engine)


def _table(request: Request, run_id: str, principal: Principal, column: str) -> tuple[SitingRunRow, pl.DataFrame]:
    """A finished run in reach and one of its tables (`counties_parquet` or `sites_parquet`)."""
    row = _queue(request).in_reach(run_id, principal)
    blob = getattr(row, column)
    if row.status != "done" or blob is None:
        raise Conflict(refusal(RefusalCode.RUN_NOT_DONE, run_id=str(run_id), status=str(row.status)))
    return row, result_frame(blob)


def _named(frame: pl.DataFrame, engine: Engine, lang: Lang) -> pl.DataFrame:
    """The table with `region_name` in `lang` (the one lookup: a district with its city), and for a unit the run
    left out why, in words (`left_out_why`, beside its coded `left_out_reason`)."""
    with session_scope(engine) as session:
        labels = region_labels(session, frame["region_code"].unique().to_list())
    names = {code: zh if lang == Lang.ZH else en for code, (zh, en) in labels.items()}
    name = pl.col("region_code").replace_strict(names, default=pl.col("region_code"), return_dtype=pl.String)
    named = frame.with_columns(name.alias("region_name"))
    if "left_out_reason" not in frame.columns:
        return named
    words = {code: zh if lang == Lang.ZH else en for code, (zh, en) in LEFT_OUT_WHY.items()}
    why = pl.col("left_out_reason").replace_strict(words, default=None, return_dtype=pl.String)
    return named.with_columns(why.alias("left_out_why"))


def _page(
    request: Request,
    engine: Engine,
    principal: Principal,
    run_id: str,
    table: str,
    paging: tuple[int, int, ExportFormat],
    file_lang: Lang | None,
) -> Page[dict[str, Any]] | Response:
    """One table of a finished run (`counties` or `sites`), cut to the caller's jurisdiction and named in the
    request's language, as a page or a file; a file asked with `file_lang` is in that language only (headers and
    words, the codes kept in their own columns; without it, the codes and column names)."""
    row, frame = _table(request, run_id, principal, f"{table}_parquet")
    named = _named(within_jurisdiction(frame, principal, "region_code"), engine, _lang(request))
    limit, offset, fmt = paging
    if file_lang is not None and fmt in (ExportFormat.CSV, ExportFormat.XLSX):
        named = siting_file_in(named, row.service, file_lang)
    return frame_page_as(named, limit, offset, fmt, f"siting_{run_id}_{table}")


@router.get("/runs/{run_id}/counties", response_model=Page[dict[str, Any]], responses=RESULT_RESPONSES)
def counties(
    run_id: str,
    request: Request,
    engine: EngineDep,
    principal: PrincipalDep,
    limit: LimitQuery = 500,
    offset: OffsetQuery = 0,
    fmt: FormatQuery = ExportFormat.JSON,
    lang: FileLangQuery = None,
) -> Page[dict[str, Any]] | Response:
    """Per county of the run inside the caller's jurisdiction: its demand weight (residents, or children of the
    school age), the distance to the nearest facility and the access (capacity per 1,000 of them, an estimate)
    before and after, and whether each model chose its seat."""
    require_analyst(principal)
    return _page(request, engine, principal, run_id, "counties", (limit, offset, fmt), lang)


@router.get("/runs/{run_id}/sites", response_model=Page[dict[str, Any]], responses=RESULT_RESPONSES)
def sites(
    run_id: str,
    request: Request,
    engine: EngineDep,
    principal: PrincipalDep,
    limit: LimitQuery = 500,
    offset: OffsetQuery = 0,
    fmt: FormatQuery = ExportFormat.JSON,
    lang: FileLangQuery = None,
) -> Page[dict[str, Any]] | Response:
    """The run's sites inside the caller's jurisdiction: the existing facilities of the uploaded list, the
    prefecture seats holding the rest of the supply (apportioned: `capacity_is_estimate`) and the new sites the
    p-median chose (`kind` listed, seat or new), each with its capacity in the service's unit."""
    require_analyst(principal)
    return _page(request, engine, principal, run_id, "sites", (limit, offset, fmt), lang)
