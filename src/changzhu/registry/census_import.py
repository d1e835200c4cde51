"""Loading the shipped regions and census figures into the database, all or nothing."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl
from sqlalchemy import Engine, delete, insert, select, update

from changzhu.data.census import Census2020
from changzhu.data.classification import read_agglomerations
from changzhu.data.regions import build_population_table, build_region_table
from changzhu.store.db import session_scope
from changzhu.store.models import (
    AgglomerationMemberRow,
    AgglomerationRow,
    PopulationStatRow,
    RegionRow,
)

CENSUS_SOURCE = "第七次全国人口普查 分县资料 2020 (leiii/census, MIT); see docs/data.md"
PARENT_LEVEL = {"province": None, "prefecture": "province", "county": "prefecture"}


@dataclass(frozen=True)
class ImportSummary:
    """How many rows of each kind were written."""

    regions: int
    agglomeration_members: int
    population_stats: int


def _clean(value: object) -> object:
    """NaN (a missing float in polars rows) becomes NULL."""
    return None if isinstance(value, float) and value != value else value


def load_census(engine: Engine, census: Census2020) -> ImportSummary:
    """Replace regions, agglomerations and 2020 census figures in one transaction."""
    regions = build_region_table(census)
    population = build_population_table(census)
    agglomerations = read_agglomerations(census.prefectures)
    with session_scope(engine) as session:
        session.execute(delete(PopulationStatRow))
        session.execute(delete(AgglomerationMemberRow))
        session.execute(delete(AgglomerationRow))
        session.execute(update(RegionRow).values(parent_id=None))
        session.execute(delete(RegionRow))
        ids: dict[tuple[str, str], int] = {}
        for level, parent_level in PARENT_LEVEL.items():
            payload = []
            for row in regions.filter(pl.col("level") == level).drop("agglomerations").iter_rows(named=True):
                parent = row.pop("parent_code")
                parent_id = None
                if parent is not None:
                    # counties of a province-administered unit created after 2020 hang under the province
                    parent_id = ids.get((parent_level or "", parent)) or ids[("province", parent)]
                payload.append({**{k: _clean(v) for k, v in row.items()}, "parent_id": parent_id})
            session.execute(insert(RegionRow), payload)
            query = select(RegionRow.id, RegionRow.code).where(RegionRow.level == level)
            ids.update({(level, code): rid for rid, code in session.execute(query)})
        groups = agglomerations.unique("agglomeration_id", keep="first", maintain_order=True)
        session.execute(
            insert(AgglomerationRow),
            [
                {
                    "id": r["agglomeration_id"],
                    "name_zh": r["name_zh"],
                    "name_en": r["name_en"],
                    "source": r["source"],
                }
                for r in groups.iter_rows(named=True)
            ],
        )
        members = [
            {
                "agglomeration_id": r["agglomeration_id"],
                "region_id": ids[("prefecture", r["region_code"])],
                "membership": r["membership"],
            }
            for r in agglomerations.iter_rows(named=True)
        ]
        session.execute(insert(AgglomerationMemberRow), members)
        stats = []
        for row in population.iter_rows(named=True):
            region_id = ids[(row.pop("level"), row.pop("code"))]
            stats.append({**row, "region_id": region_id, "source": CENSUS_SOURCE})
        session.execute(insert(PopulationStatRow), stats)
    return ImportSummary(regions.height, len(members), population.height)
