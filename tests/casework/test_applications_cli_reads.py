"""`changzhu applications list|show` act as a named user (`--as`), read only what GET /applications and
GET /applications/{id} let that user read, and leave the same audit records (api/application_reads.py).

Before: they took no `--as`, printed every application (person keys, pre-check explanations) to whoever ran them,
and left nothing in the audit log."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import Engine, select
from typer.testing import CliRunner

from changzhu.api.auth.accounts import create_user
from changzhu.api.auth.roles import Role
from changzhu.cli.main import app
from changzhu.registry.identity import check_char
from changzhu.registry.residents import ProofKind, Registration, register_resident
from changzhu.store.db import session_scope
from changzhu.store.resident_models import AuditRow

PASSWORD = "correct horse battery staple"
PEOPLE = {"440100": "44010619900101001", "510100": "51010419850505002"}


def _reads(engine: Engine) -> list[tuple[str, str, dict[str, object]]]:
    """(actor, action, details) of every read or listing in the audit log, oldest first."""
    with session_scope(engine) as session:
        rows = session.execute(
            select(AuditRow.actor, AuditRow.action, AuditRow.details)
            .where(AuditRow.action.in_(("read_personal_data", "list_personal_data")))
            .order_by(AuditRow.id)
        ).all()
    return [(actor, action, json.loads(details)) for actor, action, details in rows]


def test_applications_are_read_as_the_named_user_and_audited(
    engine: Engine, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CHANGZHU_DATABASE_URL", database_url)
    monkeypatch.delenv("CHANGZHU_OPERATOR", raising=False)
    create_user(engine, "cw_gz", PASSWORD, Role.CASEWORKER, ["440100"])
    create_user(engine, "cw_cd", PASSWORD, Role.CASEWORKER, ["510100"])
    create_user(engine, "pl_gz", PASSWORD, Role.PLANNER, ["440100"])
    runner = CliRunner()
    numbers = {}
    for city, first17 in PEOPLE.items():
        reg = Registration(first17 + check_char(first17), city, city, date(2020, 1, 1), ProofKind.HOUSING, "x", {})
        key = str(register_resident(engine, reg, actor="test")["person_key"])
        staff = "cw_gz" if city == "440100" else "cw_cd"
        done = runner.invoke(
            app, ["applications", "submit", key, "residence_permit", "--as", staff, "--format", "json"]
        )
        assert done.exit_code == 0, done.output
        numbers[city] = (str(json.loads(done.output)["id"]), key)
    gz_number, gz_key = numbers["440100"]
    before = _reads(engine)
    for command in (["applications", "list"], ["applications", "show", gz_number]):
        refused = runner.invoke(app, command)  # no named user: refused before anything is read
        assert refused.exit_code != 0 and "--as" in refused.output, refused.output
    refused = runner.invoke(app, ["applications", "show", gz_number, "--as", "cw_cd"])  # she lives in Guangzhou
    assert refused.exit_code != 0 and gz_key not in refused.output
    refused = runner.invoke(app, ["applications", "list", "--as", "pl_gz"])
    assert refused.exit_code != 0 and "list_personal_data" not in str(_reads(engine))
    assert _reads(engine) == before
    listed = runner.invoke(app, ["applications", "list", "--as", "cw_cd", "--format", "json"])
    assert listed.exit_code == 0, listed.output
    assert [item["person_key"] for item in json.loads(listed.output)["items"]] == [numbers["510100"][1]]
    shown = runner.invoke(app, ["applications", "show", gz_number, "--as", "cw_gz", "--format", "json"])
    assert shown.exit_code == 0 and json.loads(shown.output)["person_key"] == gz_key, shown.output
    assert [(actor, action) for actor, action, _ in _reads(engine)[len(before) :]] == [
        ("user:cw_cd", "list_personal_data"),
        ("user:cw_gz", "read_personal_data"),
    ]
    assert _reads(engine)[-1][2]["application_id"] == int(gz_number)
