"""Reading regions and population figures back from the database as polars tables."""

from __future__ import annotations

import polars as pl
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import aliased

from changzhu.domain.population import PopulationSort
from changzhu.domain.refusals import CodedError, RefusalCode, refusal
from changzhu.domain.regions import InvalidRegionCode, RegionLevel, validate_code
from changzhu.store.db import session_scope
from changzhu.store.models import AgglomerationMemberRow, PopulationStatRow, RegionRow

LOAD_COMMAND = "`changzhu db load`"  # migrates the database and loads the regions and the census


class RegistryNotLoaded(CodedError):
    """The database has no regions yet (not migrated, or migrated and not loaded): `changzhu db load` does both."""


_SORT_COLUMNS = {
    PopulationSort.CODE: ("code", False),
    PopulationSort.RESIDENT: ("pop_resident_2020", True),
    PopulationSort.RENHU_FENLI: ("renhu_fenli_2020", True),
    PopulationSort.RENHU_FENLI_SHARE: ("renhu_fenli_share", True),
    PopulationSort.INTERPROV: ("interprov_in_migrants_2020", True),
    PopulationSort.INTERPROV_SHARE: ("interprov_in_migrants_share", True),
}


def _ensure_loaded(engine: Engine) -> None:
    from changzhu.registry.migrate import current_revision

    if current_revision(engine) is None:
        raise RegistryNotLoaded(refusal(RefusalCode.REGISTRY_NOT_LOADED, command=LOAD_COMMAND))
    with session_scope(engine) as session:
        if not session.scalar(select(func.count()).select_from(RegionRow)):
            raise RegistryNotLoaded(refusal(RefusalCode.REGISTRY_NOT_LOADED, command=LOAD_COMMAND))


def _resolve_parent(engine: Engine, parent: str) -> int:
    validate_code(parent)
    with session_scope(engine) as session:
        rows = session.execute(
            select(RegionRow.id, RegionRow.level).where(RegionRow.code == parent, RegionRow.level != "county")
        ).all()
    if not rows:
        raise InvalidRegionCode(f"unknown region code {parent}: no province or prefecture has it")
    order = {"province": 0, "prefecture": 1}
    return int(min(rows, key=lambda r: order[r.level]).id)


def list_regions(engine: Engine, level: RegionLevel | None = None, parent: str | None = None) -> pl.DataFrame:
    """Regions with their parent code, size class and agglomerations, optionally filtered."""
    _ensure_loaded(engine)
    parent_row = aliased(RegionRow)
    members = select(AgglomerationMemberRow.region_id, AgglomerationMemberRow.agglomeration_id).subquery()
    query = (
        select(
            RegionRow.id,
            RegionRow.level,
            RegionRow.code,
            RegionRow.name_zh,
            RegionRow.name_en,
            parent_row.code.label("parent_code"),
            RegionRow.division_type,
            RegionRow.city_size_class,
            RegionRow.city_size_basis,
            RegionRow.current,
        )
        .outerjoin(parent_row, RegionRow.parent_id == parent_row.id)
        .order_by(RegionRow.code, RegionRow.level)
    )
    if level is not None:
        query = query.where(RegionRow.level == level.value)
    if parent is not None:
        query = query.where(RegionRow.parent_id == _resolve_parent(engine, parent))
    with session_scope(engine) as session:
        rows = session.execute(query).all()
        member_rows = session.execute(select(members.c.region_id, members.c.agglomeration_id)).all()
    agglomerations: dict[int, list[str]] = {}
    for region_id, agg in member_rows:
        agglomerations.setdefault(region_id, []).append(agg)
    schema = {
        "level": pl.String,
        "code": pl.String,
        "name_zh": pl.String,
        "name_en": pl.String,
        "parent_code": pl.String,
        "division_type": pl.String,
        "city_size_class": pl.String,
        "city_size_basis": pl.String,
        "current": pl.Boolean,
        "agglomerations": pl.String,
    }
    data = [
        {
            **{k: getattr(r, k) for k in schema if k != "agglomerations"},
            "agglomerations": ",".join(sorted(agglomerations.get(r.id, []))) or None,
        }
        for r in rows
    ]
    return pl.DataFrame(data, schema=schema)


def population_table(
    engine: Engine,
    level: RegionLevel = RegionLevel.PROVINCE,
    sort: PopulationSort = PopulationSort.RESIDENT,
    year: int = 2020,
) -> pl.DataFrame:
    """Resident population, 人户分离 and inter-provincial in-migrants with their shares, per region.

    At province level the local-hukou resident basis is added: residents minus those whose hukou is in
    another province.
    """
    _ensure_loaded(engine)
    query = (
        select(
            RegionRow.code,
            RegionRow.name_zh,
            RegionRow.name_en,
            PopulationStatRow.pop_resident,
            PopulationStatRow.renhu_fenli,
            PopulationStatRow.interprov_in_migrants,
        )
        .join(PopulationStatRow, PopulationStatRow.region_id == RegionRow.id)
        .where(RegionRow.level == level.value, PopulationStatRow.year == year)
    )
    with session_scope(engine) as session:
        rows = session.execute(query).all()
    df = pl.DataFrame(
        [tuple(r) for r in rows],
        schema={
            "code": pl.String,
            "name_zh": pl.String,
            "name_en": pl.String,
            f"pop_resident_{year}": pl.Int64,
            f"renhu_fenli_{year}": pl.Int64,
            f"interprov_in_migrants_{year}": pl.Int64,
        },
        orient="row",
    )
    resident = pl.col(f"pop_resident_{year}")
    df = df.with_columns(
        (pl.col(f"renhu_fenli_{year}") / resident).round(4).alias("renhu_fenli_share"),
        (pl.col(f"interprov_in_migrants_{year}") / resident).round(4).alias("interprov_in_migrants_share"),
    )
    if level == RegionLevel.PROVINCE:
        df = df.with_columns(
            (resident - pl.col(f"interprov_in_migrants_{year}")).alias(f"pop_local_hukou_resident_{year}")
        )
    column, descending = _SORT_COLUMNS[sort]
    column = column.replace("2020", str(year))
    return df.sort(column, descending=descending, nulls_last=True)
