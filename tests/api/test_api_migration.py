"""Migration 0003 (accounts, roles, scopes, 跨省通办 peers/outbox/inbox) up and down, on SQLite and PostgreSQL."""

from __future__ import annotations

from sqlalchemy import inspect, select

from changzhu.api.auth.accounts import authenticate, create_user
from changzhu.api.auth.models import RoleRow
from changzhu.api.auth.roles import Role
from changzhu.registry.db import make_engine, session_scope
from changzhu.registry.migrate import current_revision, downgrade, upgrade

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
    create_user(engine, "planner_one", "a long enough password", Role.PLANNER, ["440000"])
    assert authenticate(engine, "planner_one", "a long enough password").scopes == ("440000",)
    downgrade(engine, "0002")
    assert API_TABLES.isdisjoint(inspect(engine).get_table_names())
    upgrade(engine)
    assert set(inspect(engine).get_table_names()) >= API_TABLES
    engine.dispose()
