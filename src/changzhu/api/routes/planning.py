"""Planning results (按常住人口规划): demand, supply and gap per region and service on both population bases."""

from __future__ import annotations

from typing import Annotated, Any

import polars as pl
from fastapi import APIRouter, Query, Response

from changzhu.api.aggregates import require_analyst, within_jurisdiction
from changzhu.api.deps import LimitQuery, OffsetQuery, PrincipalDep
from changzhu.api.export import FILE_RESPONSES, ExportFormat, FormatQuery, frame_page_as
from changzhu.api.pagination import Page
from changzhu.domain.lang import Lang
from changzhu.domain.regions import RegionLevel
from changzhu.planning.datasets import current_gaps
from changzhu.report.plan_tables import gaps_file_in

router = APIRouter(prefix="/planning", tags=["planning"])
CODE = r"^[1-8]\d{5}$"


def gaps_at(level: RegionLevel) -> pl.DataFrame:
    """The gap table at one level on the shipped census and standards with the planning datasets the
    jurisdictions uploaded (POST /uploads/{facility,supply,standard,population}); recomputed when they change."""
    return current_gaps(level.value)


@router.get("/gaps", response_model=Page[dict[str, Any]], responses={401: {}, 403: {}, **FILE_RESPONSES})
def gaps(
    principal: PrincipalDep,
    level: RegionLevel = RegionLevel.PROVINCE,
    service: Annotated[str | None, Query(max_length=60, description="e.g. primary_school_places")] = None,
    basis: Annotated[
        str | None, Query(pattern="^(resident|local_hukou_resident)$", description="population basis")
    ] = None,
    province: Annotated[str | None, Query(pattern=CODE, description="only regions of this province")] = None,
    limit: LimitQuery = 100,
    offset: OffsetQuery = 0,
    fmt: FormatQuery = ExportFormat.JSON,
    lang: Annotated[
        Lang | None,
        Query(description="with format=csv|xlsx: headers, regions, services, bases and notes in zh or en"),
    ] = None,
) -> Page[dict[str, Any]] | Response:
    """Demand, supply, gap and cost to close it, per region inside the caller's jurisdiction (aggregates only: a
    city's planner reads the city and its counties, not its province's totals); the
    `supply_source` column says where a region's supply is an uploaded facility list and where it remains estimated.
    A file asked with `lang` is in that language (headers and words); without it, the codes and column names."""
    require_analyst(principal)
    table = within_jurisdiction(gaps_at(level), principal, "region_code")
    if service is not None:
        table = table.filter(pl.col("service") == service)
    if basis is not None:
        table = table.filter(pl.col("basis") == basis)
    if province is not None:
        table = table.filter(pl.col("province_code") == province)
    if lang is not None and fmt in (ExportFormat.CSV, ExportFormat.XLSX):
        table = gaps_file_in(table, lang)
    return frame_page_as(table, limit, offset, fmt, f"gaps_{level.value}")
