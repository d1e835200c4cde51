"""Migrations and the census import, on SQLite and on PostgreSQL."""

from __future__ import annotations

import polars as pl
import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import func, inspect, select

from changzhu.data.census import census_2020
from changzhu.domain.regions import InvalidRegionCode, RegionLevel
from changzhu.registry.census_import import load_census
from changzhu.registry.migrate import current_revision, downgrade, head_revision, upgrade
from changzhu.registry.queries import (
    PopulationSort,
    RegistryNotLoaded,
    list_regions,
    population_table,
)
from changzhu.store.db import DatabaseUnavailable, make_engine, session_scope
from changzhu.store.models import PopulationStatRow, RegionRow
from changzhu.store.schema import metadata


def test_migrations_up_down_up(database_url: str) -> None:
    engine = make_engine(database_url)
    assert current_revision(engine) is None
    upgrade(engine)
    assert current_revision(engine) == head_revision()
    tables = set(inspect(engine).get_table_names())
    assert {"regions", "population_stats", "agglomerations", "agglomeration_members"} <= tables
    downgrade(engine, "base")
    assert "regions" not in set(inspect(engine).get_table_names())
    upgrade(engine)
    assert current_revision(engine) == head_revision()


def test_the_migrations_build_exactly_the_tables_the_models_describe(database_url: str) -> None:
    """Alembic's autogenerate comparison, against the MetaData Alembic's env uses, finds nothing to add, drop or
    alter after upgrading to head, and that MetaData holds every table the migrations create: a model changed
    without a migration (or the reverse, or a table no model describes) fails here."""
    engine = make_engine(database_url)
    upgrade(engine)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True, "compare_server_default": True})
        assert compare_metadata(context, metadata()) == []
    created = set(inspect(engine).get_table_names()) - {"alembic_version"}
    assert created == set(metadata().tables)
    assert {"persons", "users", "interregion_outbox", "ledger_entries"} <= created


def test_census_import_round_trip(database_url: str) -> None:
    engine = make_engine(database_url)
    upgrade(engine)
    summary = load_census(engine, census_2020())
    assert summary.regions == 3404
    provinces = population_table(engine, RegionLevel.PROVINCE, PopulationSort.RESIDENT)
    assert provinces.height == 31
    assert int(provinces["pop_resident_2020"].sum()) == 1_409_778_724
    assert provinces["code"][0] == "440000"  # Guangdong has the most residents
    shanghai = provinces.filter(pl.col("code") == "310000").row(0, named=True)
    assert shanghai["interprov_in_migrants_share"] == pytest.approx(10_479_652 / 24_870_895, abs=1e-4)
    assert shanghai["pop_local_hukou_resident_2020"] == 24_870_895 - 10_479_652
    # loading again replaces, it does not duplicate
    load_census(engine, census_2020())
    with session_scope(engine) as session:
        assert session.scalar(select(func.count()).select_from(RegionRow)) == 3404
        assert session.scalar(select(func.count()).select_from(PopulationStatRow)) == 3380


def test_region_queries_filter_by_level_and_parent(database_url: str) -> None:
    engine = make_engine(database_url)
    upgrade(engine)
    load_census(engine, census_2020())
    jiangsu = list_regions(engine, RegionLevel.PREFECTURE, "320000")
    assert jiangsu.height == 13
    assert set(jiangsu["agglomerations"].to_list()) == {"yrd"}
    shanghai_districts = list_regions(engine, RegionLevel.COUNTY, "310100")
    assert shanghai_districts.height == 16
    with pytest.raises(InvalidRegionCode, match="unknown region code 329999"):
        list_regions(engine, None, "329999")


def test_failed_import_leaves_earlier_data_untouched(database_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    engine = make_engine(database_url)
    upgrade(engine)
    load_census(engine, census_2020())
    import changzhu.registry.census_import as census_import

    original = census_import.build_population_table

    def broken(_census: object) -> pl.DataFrame:
        frame = original(census_2020())
        return frame.with_columns(
            pl.when(pl.col("code") == "650000").then(None).otherwise(pl.col("pop_resident")).alias("pop_resident")
        )

    monkeypatch.setattr(census_import, "build_population_table", broken)
    with pytest.raises(Exception, match="(?i)null|not-null|NOT NULL"):
        load_census(engine, census_2020())
    provinces = population_table(engine, RegionLevel.PROVINCE)
    assert int(provinces["pop_resident_2020"].sum()) == 1_409_778_724


def test_queries_before_loading_say_what_to_run(sqlite_url: str) -> None:
    engine = make_engine(sqlite_url)
    with pytest.raises(RegistryNotLoaded, match="changzhu db load"):
        population_table(engine)
    upgrade(engine)
    with pytest.raises(RegistryNotLoaded, match="no regions"):
        list_regions(engine)


def test_unreachable_and_malformed_urls_fail_clearly() -> None:
    with pytest.raises(
        DatabaseUnavailable, match="cannot reach database postgresql\\+psycopg://u:\\*\\*\\*@127.0.0.1:1/x"
    ):
        make_engine("postgresql+psycopg://u:secret@127.0.0.1:1/x")
    with pytest.raises(DatabaseUnavailable, match="not a valid SQLAlchemy URL"):
        make_engine("not a url")
