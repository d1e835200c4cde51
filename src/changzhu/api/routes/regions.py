"""Regions, census population and boundaries: published statistics any signed-in user may read."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel
from sqlalchemy import Engine, select
from sqlalchemy.orm import aliased

from changzhu.api.deps import EngineDep, LimitQuery, OffsetQuery, PrincipalDep
from changzhu.api.errors import NotFound
from changzhu.api.export import FILE_RESPONSES, ExportFormat, FormatQuery, file_response, models_page_as
from changzhu.api.pagination import Page, page_of
from changzhu.data.geo import LEVELS, boundaries_within, boundary_source, inset_geojson, maritime_line, province_geojson
from changzhu.domain.regions import RegionLevel, validate_code
from changzhu.registry.queries import PopulationSort, population_table
from changzhu.store.db import session_scope
from changzhu.store.models import PopulationStatRow, RegionRow

router = APIRouter(tags=["regions"])

CodeQuery = Annotated[str | None, Query(pattern=r"^[1-8]\d{5}$", description="six-digit GB/T 2260 code")]


class RegionOut(BaseModel):
    """A region with its place in the hierarchy, size class and centre point."""

    code: str
    level: str
    name_zh: str
    name_en: str | None
    parent_code: str | None
    city_size_class: str | None
    lon: float | None
    lat: float | None
    pop_resident_2020: int | None
    interprov_in_migrants_2020: int | None
    renhu_fenli_2020: int | None


def query_regions(
    engine: Engine,
    level: RegionLevel | None = None,
    parent: str | None = None,
    name: str | None = None,
    code: str | None = None,
) -> list[RegionOut]:
    """Regions with their 2020 census figures, filtered by level, parent code, name part or code."""
    parent_row = aliased(RegionRow)
    query = (
        select(RegionRow, parent_row.code, PopulationStatRow)
        .outerjoin(parent_row, RegionRow.parent_id == parent_row.id)
        .outerjoin(PopulationStatRow, (PopulationStatRow.region_id == RegionRow.id) & (PopulationStatRow.year == 2020))
        .order_by(RegionRow.code, RegionRow.level)
    )
    if level is not None:
        query = query.where(RegionRow.level == level.value)
    if parent is not None:
        query = query.where(parent_row.code == parent)
    if code is not None:
        query = query.where(RegionRow.code == code)
    if name:
        pattern = f"%{name}%"
        query = query.where(RegionRow.name_zh.like(pattern) | RegionRow.name_en.ilike(pattern))
    with session_scope(engine) as session:
        rows = session.execute(query).all()
    return [
        RegionOut(
            code=r.code,
            level=r.level,
            name_zh=r.name_zh,
            name_en=r.name_en,
            parent_code=parent_code,
            city_size_class=r.city_size_class,
            lon=r.lon,
            lat=r.lat,
            pop_resident_2020=stat.pop_resident if stat else None,
            interprov_in_migrants_2020=stat.interprov_in_migrants if stat else None,
            renhu_fenli_2020=stat.renhu_fenli if stat else None,
        )
        for r, parent_code, stat in rows
    ]


@router.get("/regions", response_model=Page[RegionOut], responses={401: {}, **FILE_RESPONSES})
def regions(
    engine: EngineDep,
    _principal: PrincipalDep,
    level: RegionLevel | None = None,
    parent: CodeQuery = None,
    name: Annotated[str | None, Query(max_length=40, description="part of the Chinese or English name")] = None,
    limit: LimitQuery = 50,
    offset: OffsetQuery = 0,
    fmt: FormatQuery = ExportFormat.JSON,
) -> Page[Any] | Response:
    """Regions (province, prefecture, county) with 2020 census figures; filter by level, parent, name."""
    return models_page_as(query_regions(engine, level, parent, name), limit, offset, fmt, "regions")


@router.get("/regions/{code}", response_model=list[RegionOut], responses={401: {}, 404: {}})
def region(code: str, engine: EngineDep, _principal: PrincipalDep) -> list[RegionOut]:
    """The region(s) with this code (a municipality's code names both its province and its city)."""
    validate_code(code)
    found = query_regions(engine, code=code)
    if not found:
        raise NotFound(f"no region has code {code}")
    return found


@router.get("/population", response_model=Page[dict[str, Any]], responses={401: {}, **FILE_RESPONSES})
def population(
    engine: EngineDep,
    _principal: PrincipalDep,
    level: RegionLevel = RegionLevel.PROVINCE,
    sort: PopulationSort = PopulationSort.RESIDENT,
    limit: LimitQuery = 50,
    offset: OffsetQuery = 0,
    fmt: FormatQuery = ExportFormat.JSON,
) -> Page[Any] | Response:
    """Resident population (常住), 人户分离 and 跨省流入 with shares, 2020 census, per region."""
    table = population_table(engine, level, sort)
    if fmt != ExportFormat.JSON:
        return file_response(table.slice(offset, limit), fmt, f"population_{level.value}")
    return page_of(table.to_dicts(), limit, offset)


@router.get("/geo/provinces", responses={401: {}})
def provinces_geojson(_principal: PrincipalDep) -> dict[str, Any]:
    """Simplified province boundaries (GeoJSON FeatureCollection, property `code`)."""
    return province_geojson()


@router.get("/geo/boundaries", responses={401: {}, 422: {}})
def boundaries_geojson(
    _principal: PrincipalDep,
    level: Annotated[str, Query(pattern="^(" + "|".join(LEVELS) + ")$")] = "province",
    province: CodeQuery = None,
) -> dict[str, Any]:
    """Boundaries of one level (province, prefecture, county), optionally of one province (property `code`)."""
    collection = boundaries_within(level, province)
    return {**collection, "source": boundary_source()}


@router.get("/geo/south-china-sea", responses={401: {}})
def south_china_sea(_principal: PrincipalDep) -> dict[str, Any]:
    """The 南海诸岛 inset (provinces clipped to its window) and the maritime boundary line."""
    return {"inset": inset_geojson(), "maritime": maritime_line(), "source": boundary_source()}
