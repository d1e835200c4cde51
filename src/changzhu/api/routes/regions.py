"""Regions, census population and boundaries: published statistics any signed-in user may read."""

from __future__ import annotations

from typing import Annotated, Any

import polars as pl
from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel
from sqlalchemy import Engine, Select, false, func, or_, select
from sqlalchemy.orm import aliased

from changzhu.api.auth.principal import Principal
from changzhu.api.deps import EngineDep, LimitQuery, OffsetQuery, PrincipalDep
from changzhu.api.errors import NotFound
from changzhu.api.export import FILE_RESPONSES, ExportFormat, FormatQuery, file_response, models_page_as
from changzhu.api.language import answer_lang
from changzhu.api.pagination import Page, page_of
from changzhu.api.resident_search import scope_prefix
from changzhu.data.geo import LEVELS, boundaries_within, boundary_source, inset_geojson, maritime_line, province_geojson
from changzhu.domain.lang import Lang
from changzhu.domain.new_areas import NewArea, new_area
from changzhu.domain.refusals import RefusalCode, refusal
from changzhu.domain.regions import RegionLevel, validate_code
from changzhu.registry.queries import PopulationSort, population_table
from changzhu.registry.region_names import full_region_names
from changzhu.report.registry_tables import registry_in
from changzhu.store.db import session_scope
from changzhu.store.models import PopulationStatRow, RegionRow

router = APIRouter(tags=["regions"])
FileLangQuery = Annotated[
    Lang | None,
    Query(description="with format=csv|xlsx: headers, names, levels and size classes in zh or en (codes kept)"),
]

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
    full_name_zh: str = ""  # with its province and city: 广东省深圳市南山区
    full_name_en: str | None = None  # Nanshan District, Shenzhen, Guangdong (None where the region has no English name)


class NewAreaCounty(BaseModel):
    """A county a new area spans: its code and names."""

    code: str
    name_zh: str
    name_en: str


class NewAreaOut(BaseModel):
    """A place people name that is no administrative region (a national new area): its name, what it is, and the
    counties it spans, one of which is the region to pick (domain/new_areas.py)."""

    name_zh: str
    name_en: str
    what_zh: str
    what_en: str
    counties: list[NewAreaCounty]


class RegionPage(Page[RegionOut]):
    """A page of regions; `new_area` when the name searched for names a new area (天府新区), whose counties the page
    lists instead (None otherwise)."""

    new_area: NewAreaOut | None = None


def new_area_out(area: NewArea) -> NewAreaOut:
    """The new area as the API shows it."""
    counties = [NewAreaCounty(code=code, name_zh=zh, name_en=en) for code, zh, en in area.counties]
    return NewAreaOut(
        name_zh=area.name_zh, name_en=area.name_en, what_zh=area.what_zh, what_en=area.what_en, counties=counties
    )


def _region_select(
    level: RegionLevel | None, parent: str | None, name: str | None, code: str | None, within: tuple[str, ...] | None
) -> Select[RegionRow, str, PopulationStatRow]:
    """The regions kept by the filters (see `query_regions`), each with its parent's code and 2020 census figures,
    in code order."""
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
    area = new_area(name) if name else None
    if area is not None:  # 天府新区 has no code: the counties it spans are what a search for it finds
        query = query.where(RegionRow.code.in_([code for code, _, _ in area.counties]))
    elif name:
        pattern = f"%{name}%"
        query = query.where(RegionRow.name_zh.like(pattern) | RegionRow.name_en.ilike(pattern))
    if within is not None:
        query = query.where(or_(false(), *[RegionRow.code.startswith(scope_prefix(s)) for s in within]))
    return query


def query_regions(
    engine: Engine,
    level: RegionLevel | None = None,
    parent: str | None = None,
    name: str | None = None,
    code: str | None = None,
    within: tuple[str, ...] | None = None,
    page: tuple[int, int] | None = None,
) -> tuple[list[RegionOut], int]:
    """Regions with their 2020 census figures, filtered by level, parent code, name part, code or jurisdictions
    (`within`: region codes whose regions are kept), and how many the filters keep; with `page` (limit, offset)
    only that page of them is read and named (the whole list, about 3,200 regions, is not)."""
    query = _region_select(level, parent, name, code, within)
    with session_scope(engine) as session:
        if page is None:
            rows = session.execute(query).all()
            total = len(rows)
        else:
            total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
            rows = session.execute(query.limit(page[0]).offset(page[1])).all()
        full = full_region_names(session, {r.code for r, _parent, _stat in rows})
    found = [
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
            full_name_zh=full[r.code][0],  # every region listed is in the registry, so it has a name
            full_name_en=full[r.code][1],
        )
        for r, parent_code, stat in rows
    ]
    return found, total


@router.get("/regions", response_model=RegionPage, responses={401: {}, **FILE_RESPONSES})
def regions(
    engine: EngineDep,
    principal: PrincipalDep,
    level: RegionLevel | None = None,
    parent: CodeQuery = None,
    name: Annotated[
        str | None,
        Query(max_length=40, description="part of the Chinese or English name (天府新区: the counties it spans)"),
    ] = None,
    code: CodeQuery = None,
    mine: Annotated[bool, Query(description="only regions inside the caller's jurisdiction")] = False,
    limit: LimitQuery = 50,
    offset: OffsetQuery = 0,
    fmt: FormatQuery = ExportFormat.JSON,
    lang: FileLangQuery = None,
) -> Page[Any] | Response:
    """Regions (province, prefecture, county) with 2020 census figures and full names; filter by level, parent,
    name, code, and with `mine` to the caller's jurisdiction (a national one: every region; none: no region). A name
    that names a new area (天府新区) finds the counties it spans, and the page says what the area is (`new_area`).
    A file asked with `lang` is in that language only (without it, the codes and column names)."""
    within = _jurisdiction(principal) if mine else None
    found, total = query_regions(engine, level, parent, name, code, within, page=(limit, offset))
    if lang is not None and fmt in (ExportFormat.CSV, ExportFormat.XLSX):
        records = pl.DataFrame([r.model_dump(mode="json") for r in found], infer_schema_length=None)
        return file_response(registry_in(records, lang) if records.height else records, fmt, "regions")
    if fmt != ExportFormat.JSON:
        return models_page_as(found, total, limit, offset, fmt, "regions")
    area = new_area(name) if name else None
    named = new_area_out(area) if area is not None else None
    return RegionPage(items=found, total=total, limit=limit, offset=offset, new_area=named)


def _jurisdiction(principal: Principal) -> tuple[str, ...] | None:
    """The region codes a caller's jurisdiction is made of (None: the whole country)."""
    return None if principal.is_national else principal.scopes


@router.get("/regions/{code}", response_model=list[RegionOut], responses={401: {}, 404: {}})
def region(code: str, engine: EngineDep, _principal: PrincipalDep) -> list[RegionOut]:
    """The region(s) with this code (a municipality's code names both its province and its city)."""
    validate_code(code)
    found, _count = query_regions(engine, code=code)
    if not found:
        raise NotFound(refusal(RefusalCode.NO_REGION, code=code))
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
    lang: FileLangQuery = None,
) -> Page[Any] | Response:
    """Resident population (常住), 人户分离 and 跨省流入 with shares, 2020 census, per region. A file asked with
    `lang` is in that language only: headers and names in words, shares in per cent, the code in its own column
    (without it, the codes and column names)."""
    table = population_table(engine, level, sort)
    if fmt != ExportFormat.JSON:
        page = table.slice(offset, limit)
        if lang is not None and fmt in (ExportFormat.CSV, ExportFormat.XLSX):
            page = registry_in(page, lang)
        return file_response(page, fmt, f"population_{level.value}")
    return page_of(table.to_dicts(), limit, offset)


@router.get("/geo/provinces", responses={401: {}})
def provinces_geojson(_principal: PrincipalDep) -> dict[str, Any]:
    """Simplified province boundaries (GeoJSON FeatureCollection, property `code`)."""
    return province_geojson()


@router.get("/geo/boundaries", responses={401: {}, 422: {}})
def boundaries_geojson(
    request: Request,
    _principal: PrincipalDep,
    level: Annotated[str, Query(pattern="^(" + "|".join(LEVELS) + ")$")] = "province",
    province: CodeQuery = None,
) -> dict[str, Any]:
    """Boundaries of one level (province, prefecture, county), optionally of one province (property `code`)."""
    collection = boundaries_within(level, province)
    return {**collection, **_sources(request)}


@router.get("/geo/south-china-sea", responses={401: {}})
def south_china_sea(request: Request, _principal: PrincipalDep) -> dict[str, Any]:
    """The 南海诸岛 inset (provinces clipped to its window) and the maritime boundary line."""
    return {"inset": inset_geojson(), "maritime": maritime_line(), **_sources(request)}


def _sources(request: Request) -> dict[str, str]:
    """Where the boundaries come from: `source` in the answer's language (Accept-Language, else Chinese) and each
    language's beside it (`source_zh`, `source_en`), for a screen that switches language without asking again."""
    lang = answer_lang(request.query_params, request.headers)
    return {
        "source": boundary_source(lang),
        "source_zh": boundary_source(Lang.ZH),
        "source_en": boundary_source(Lang.EN),
    }
