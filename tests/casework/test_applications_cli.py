"""`changzhu applications submit|list|step|show` and `changzhu quota run` on the registry database, as a named user
(`--as`) under the API's checks: staff of the region where the applicant lives, or of the run's city."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select
from typer.testing import CliRunner

from changzhu.api.auth.accounts import create_user
from changzhu.api.auth.roles import Role
from changzhu.cli.main import app
from changzhu.registry.identity import check_char
from changzhu.registry.residents import ProofKind, Registration, register_resident
from changzhu.store.application_models import ApplicationRow, QuotaRunRow
from changzhu.store.db import session_scope

PASSWORD = "correct horse battery staple"
FACTS = {"employed": True, "education": "bachelor", "housing": "rented", "income_per_capita_month": 5200.0,
         "criminal_record": False}  # fmt: skip


def test_cli_application_steps_and_run(engine: Engine, database_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CHANGZHU_DATABASE_URL", database_url)
    first17 = "51010419900101002"
    reg = Registration(
        first17 + check_char(first17), "510100", "440100", date(2020, 1, 1), ProofKind.HOUSING, "x", FACTS
    )
    key = str(register_resident(engine, reg, actor="test")["person_key"])
    create_user(engine, "cw_gz", PASSWORD, Role.CASEWORKER, ["440100"])
    create_user(engine, "cw_cd", PASSWORD, Role.CASEWORKER, ["510100"])
    create_user(engine, "pl_gz", PASSWORD, Role.PLANNER, ["440100"])
    runner = CliRunner()
    submit = ["applications", "submit", key, "residence_permit"]
    for user, why in (
        ("cw_cd", "no such resident within your reach"),  # as for a key naming nobody (docs/api.md)
        ("pl_gz", "may not submit"),
        ("nobody", "no account"),
    ):
        refused = runner.invoke(app, [*submit, "--as", user])  # she lives in Guangzhou, not Chengdu
        assert refused.exit_code != 0 and why in f"{refused.output}{refused.exception}", (user, refused.output)
    assert "--as" in runner.invoke(app, submit).output  # no named user: refused before anything is read
    with session_scope(engine) as session:
        assert session.scalar(select(func.count()).select_from(ApplicationRow)) == 0
    submitted = runner.invoke(app, [*submit, "--as", "cw_gz"])
    assert submitted.exit_code == 0, submitted.output
    created = json.loads(submitted.output)
    assert created["status"] == "submitted" and created["precheck"]["decision"] == "eligible"
    number = str(created["id"])
    refused = runner.invoke(app, ["applications", "step", number, "approve", "--as", "cw_gz"])
    assert refused.exit_code != 0 and "allowed: review" in str(refused.exception)
    refused = runner.invoke(app, ["applications", "step", number, "review", "--as", "cw_cd"])
    assert refused.exit_code != 0 and "outside your jurisdiction" in str(refused.exception)
    for action in ("review", "approve"):
        assert runner.invoke(app, ["applications", "step", number, action, "--as", "cw_gz"]).exit_code == 0
    shown = json.loads(runner.invoke(app, ["applications", "show", number]).output)
    assert shown["status"] == "approved" and shown["reason_zh"].startswith("经审核")
    assert [e["action"] for e in shown["events"]] == ["submit", "review", "approve"]
    assert {e["actor"] for e in shown["events"]} == {"cw_gz"}  # the named user, never the shell login
    listed = runner.invoke(app, ["applications", "list", "--status", "approved"])
    assert "residence_permit" in listed.output and "1 application(s)" in listed.output
    quota = ["quota", "run", "--kind", "points_hukou", "--region", "440100", "--year", "2026"]
    run = runner.invoke(app, [*quota, "--as", "cw_gz"])
    assert run.exit_code != 0 and "quota.points_hukou.annual_quota" in str(run.exception)
    run = runner.invoke(app, [*quota, "--quota", "5", "--as", "cw_cd"])  # another city's staff
    assert run.exit_code != 0 and "outside your jurisdiction" in str(run.exception)
    with session_scope(engine) as session:
        assert session.scalar(select(func.count()).select_from(QuotaRunRow)) == 0
    run = runner.invoke(app, [*quota, "--quota", "5", "--as", "cw_gz"])
    assert run.exit_code == 0, run.output
    assert json.loads(run.output)["admitted"] == []  # no 积分 application was granted


def test_cli_school_places_from_the_facility_list(
    engine: Engine, database_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """积分入学 capacity from a city's facility list: primary-school places summed per prefecture (or county)."""
    from changzhu.casework.quota_runs import school_places
    from changzhu.planning.standards import load_standards, service_catalog
    from changzhu.tables import read_table
    from changzhu.tables.kinds import facility_schema

    monkeypatch.setenv("CHANGZHU_DATABASE_URL", database_url)
    create_user(engine, "cw_gz", PASSWORD, Role.CASEWORKER, ["440100"])
    listing = tmp_path / "schools.csv"
    listing.write_text(
        "设施编号,名称,服务,所在地区,容量\n"
        "GZ-P-1,天河小学,primary_school_places,440106,1200\n"
        "GZ-P-2,越秀小学,primary_school_places,440104,800\n"
        "GZ-H-1,中山一院,hospital_beds,440104,3000\n",
        encoding="utf-8",
    )
    table = read_table(listing, facility_schema(service_catalog(load_standards()))).frame
    assert school_places(table) == {"440100": 2000}
    assert school_places(table, "county") == {"440104": 800, "440106": 1200}
    run = CliRunner().invoke(
        app,
        [
            "quota",
            "run",
            "--kind",
            "school_place",
            "--region",
            "440100",
            "--year",
            "2026",
            "--facilities",
            str(listing),
            "--as",
            "cw_gz",
        ],
    )
    assert run.exit_code == 0, run.output
    published = json.loads(run.output)
    assert published["capacity"] == {"440100": 2000} and published["admitted"] == []
