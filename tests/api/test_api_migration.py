"""Migration 0003 (accounts, roles, scopes, 跨省通办 peers/outbox/inbox) up and down, on SQLite and PostgreSQL."""

from __future__ import annotations

from sqlalchemy import inspect, select

from changzhu.api.auth.accounts import authenticate, create_user
from changzhu.api.auth.roles import Role
from changzhu.registry.migrate import current_revision, downgrade, upgrade
from changzhu.store.auth_models import RoleRow
from changzhu.store.db import make_engine, session_scope

API_TABLES = {"roles", "users", "user_scopes", "interregion_peers", "interregion_outbox", "interregion_inbox"}


def test_migration_0003_up_down_up(database_url: str) -> None:
    engine = make_engine(database_url)
    upgrade(engine, "0002")
    assert API_TABLES.isdisjoint(inspect(engine).get_table_names())
    upgrade(engine, "0003")
    assert current_revision(engine) == "0003"
    assert set(inspect(engine).get_table_names()) >= API_TABLES
    with session_scope(engine) as session:
        assert set(session.scalars(select(RoleRow.name))) == {r.value for r in Role}
    downgrade(engine, "0002")
    assert API_TABLES.isdisjoint(inspect(engine).get_table_names())
    upgrade(engine)
    assert set(inspect(engine).get_table_names()) >= API_TABLES
    # accounts are made with today's model, so on the head revision (0009 added must_change_password)
    create_user(engine, "planner_one", "a long enough password", Role.PLANNER, ["440000"])
    assert authenticate(engine, "planner_one", "a long enough password").scopes == ("440000",)
    engine.dispose()


def test_migration_0004_pending_approvals_up_down_up(database_url: str) -> None:
    engine = make_engine(database_url)
    upgrade(engine, "0003")
    assert "pending_approvals" not in inspect(engine).get_table_names()
    upgrade(engine, "0004")
    columns = {c["name"]: c for c in inspect(engine).get_columns("pending_approvals")}
    assert {"kind", "region", "request", "request_key", "maker_id", "status", "checker", "result"} <= set(columns)
    downgrade(engine, "0003")
    assert "pending_approvals" not in inspect(engine).get_table_names()
    upgrade(engine)
    assert "pending_approvals" in inspect(engine).get_table_names()
    engine.dispose()


def test_migration_0010_names_the_prefectures_in_english(database_url: str) -> None:
    """A database whose census was loaded before 0010 (prefectures without English names) gets them on upgrade; a
    name already stored is kept."""
    from sqlalchemy import update

    from changzhu.data.census import census_2020
    from changzhu.registry.census_import import load_census
    from changzhu.store.models import RegionRow

    engine = make_engine(database_url)
    upgrade(engine, "0009")
    load_census(engine, census_2020())
    with session_scope(engine) as session:  # as loaded before 0010
        session.execute(update(RegionRow).where(RegionRow.level == "prefecture").values(name_en=None))
        session.execute(update(RegionRow).where(RegionRow.code == "440300").values(name_en="Shenzhen (our name)"))
    upgrade(engine, "0010")
    with session_scope(engine) as session:
        query = select(RegionRow.code, RegionRow.name_en).where(RegionRow.level == "prefecture")
        names = {code: name for code, name in session.execute(query)}
    assert names["440100"] == "Guangzhou" and names["540100"] == "Lhasa" and names["140400"] == "Changzhi"
    assert names["222400"] == "Yanbian Korean Autonomous Prefecture"
    assert names["440300"] == "Shenzhen (our name)"
    assert all(names.values()), [code for code, name in names.items() if not name]
    engine.dispose()


def test_migration_0011_names_the_counties_in_english(database_url: str) -> None:
    """A database whose census was loaded before 0011 (counties without English names) gets them on upgrade; a name
    already stored is kept, and the prefectures' names are left alone."""
    from sqlalchemy import update

    from changzhu.data.census import census_2020
    from changzhu.registry.census_import import load_census
    from changzhu.store.models import RegionRow

    engine = make_engine(database_url)
    upgrade(engine, "0010")
    load_census(engine, census_2020())
    with session_scope(engine) as session:  # as loaded before 0011
        session.execute(update(RegionRow).where(RegionRow.level == "county").values(name_en=None))
        session.execute(update(RegionRow).where(RegionRow.code == "440113").values(name_en="Panyu (our name)"))
    upgrade(engine, "0011")
    with session_scope(engine) as session:
        query = select(RegionRow.level, RegionRow.code, RegionRow.name_en).where(RegionRow.level != "province")
        names = {(level, code): name for level, code, name in session.execute(query)}
    assert names["county", "110108"] == "Haidian District" and names["county", "653101"] == "Kashgar City"
    assert names["county", "422828"] == "Hefeng County" and names["county", "420528"] == (
        "Changyang Tujia Autonomous County"
    )
    assert names["county", "440113"] == "Panyu (our name)"
    assert names["prefecture", "440100"] == "Guangzhou"
    assert all(names.values()), [key for key, name in names.items() if not name]
    engine.dispose()
