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
    submitted = runner.invoke(app, [*submit, "--as", "cw_gz", "--format", "json"])
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
    shown = json.loads(runner.invoke(app, ["applications", "show", number, "--as", "cw_gz", "--format", "json"]).output)
    assert shown["status"] == "approved" and shown["reason_zh"].startswith("经审核")
    assert [e["action"] for e in shown["events"]] == ["submit", "review", "approve"]
    assert {e["actor"] for e in shown["events"]} == {"cw_gz"}  # the named user, never the shell login
    listed = runner.invoke(app, ["applications", "list", "--status", "approved", "--lang", "en", "--as", "cw_gz"])
    assert "residence permit" in listed.output and "1 application(s)" in listed.output
    quota = ["quota", "run", "--kind", "points_hukou", "--region", "440100", "--year", "2026"]
    run = runner.invoke(app, [*quota, "--as", "cw_gz"])
    assert run.exit_code != 0 and "quota.points_hukou.annual_quota" in str(run.exception)
    run = runner.invoke(app, [*quota, "--quota", "5", "--as", "cw_cd"])  # another city's staff
    assert run.exit_code != 0 and "outside your jurisdiction" in str(run.exception)
    with session_scope(engine) as session:
        assert session.scalar(select(func.count()).select_from(QuotaRunRow)) == 0
    run = runner.invoke(app, [*quota, "--quota", "5", "--as", "cw_gz", "--format", "json"])
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
            "--format",
            "json",
        ],
    )
    assert run.exit_code == 0, run.output
    published = json.loads(run.output)
    assert published["capacity"] == {"440100": 2000} and published["admitted"] == []


def test_a_school_place_run_without_places_is_refused_by_a_code(
    engine: Engine, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`quota run --kind school_place` without --capacity (or --facilities) is refused by a code, told in the error
    line's language only, naming the option and how to write it. Before: an uncoded error whose one message held
    both languages ("积分入学须给出 --capacity／a school-place run needs …") whatever --lang."""
    from changzhu.cli.main import error_text
    from changzhu.domain.lang import Lang
    from changzhu.domain.refusals import RefusalCode, reason_of
    from changzhu.errors import ChangzhuError

    monkeypatch.setenv("CHANGZHU_DATABASE_URL", database_url)
    create_user(engine, "cw_gz", PASSWORD, Role.CASEWORKER, ["440100"])
    quota = ["quota", "run", "--kind", "school_place", "--region", "440100", "--year", "2026", "--as", "cw_gz"]
    run = CliRunner().invoke(app, quota)
    assert run.exit_code != 0 and isinstance(run.exception, ChangzhuError), run.output
    assert reason_of(run.exception).code == RefusalCode.CLI_QUOTA_NEEDS_CAPACITY
    zh, en = error_text(run.exception, Lang.ZH), error_text(run.exception, Lang.EN)
    assert "--capacity" in zh and "440103=120" in zh and "school" not in zh, zh
    assert "--capacity" in en and "DISTRICT=PLACES" in en and "积分" not in en, en
    with session_scope(engine) as session:
        assert session.scalar(select(func.count()).select_from(QuotaRunRow)) == 0


WORDS = {
    "zh": ("申请编号", "居住证", "广州市（440100）", "已批准", "符合条件", "受理审核", "批准", "经审核", "共 1 件申请"),
    "en": ("application number", "residence permit", "Guangzhou (440100)", "approved", "eligible", "take into review",
           "Reviewed", "1 application(s)"),
}  # fmt: skip
QUOTA_WORDS = {
    "zh": ("积分落户", "广州市（440100）", "指标（名额）", "发布时在命令行中给出", "入围人数", "积分高者优先"),
    "en": ("points-based hukou", "Guangzhou (440100)", "quota (places)", "given on the command line", "admitted",
           "higher points first"),
}  # fmt: skip


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_applications_and_quota_runs_print_words_in_the_chosen_language(
    engine: Engine, database_url: str, monkeypatch: pytest.MonkeyPatch, lang: str
) -> None:
    """On screen an application and a quota run are fields by their labels in --lang (or CHANGZHU_LANG), kinds,
    statuses, steps and decisions in words, places by name and code, the reason in that language; `--format json`
    keeps the API's codes. Before: every command printed the API's JSON (and `list` the codes), whatever the
    language."""
    monkeypatch.setenv("CHANGZHU_DATABASE_URL", database_url)
    monkeypatch.setenv("COLUMNS", "160")
    first17 = "51010419900101002"
    reg = Registration(
        first17 + check_char(first17), "510100", "440100", date(2020, 1, 1), ProofKind.HOUSING, "x", FACTS
    )
    key = str(register_resident(engine, reg, actor="test")["person_key"])
    create_user(engine, "cw_gz", PASSWORD, Role.CASEWORKER, ["440100"])
    runner = CliRunner()
    said = [runner.invoke(app, ["applications", "submit", key, "residence_permit", "--as", "cw_gz", "--lang", lang])]
    said += [runner.invoke(app, ["applications", "step", "1", step, "--as", "cw_gz", "--lang", lang]) for step in
             ("review", "approve")]  # fmt: skip
    monkeypatch.setenv("CHANGZHU_LANG", lang)  # the language chosen by the environment, as every command's --lang
    said += [
        runner.invoke(app, ["applications", "show", "1", "--as", "cw_gz"]),
        runner.invoke(app, ["applications", "list", "--as", "cw_gz"]),
    ]
    assert all(done.exit_code == 0 for done in said), [done.output for done in said]
    out = "".join(done.output for done in said)
    assert all(word in out for word in WORDS[lang]) and "{" not in out and "in_review" not in out, out
    quota = ["quota", "run", "--kind", "points_hukou", "--region", "440100", "--year", "2026", "--quota", "5"]
    run = runner.invoke(app, [*quota, "--as", "cw_gz"])
    assert run.exit_code == 0 and all(word in run.output for word in QUOTA_WORDS[lang]), run.output
    assert "{" not in run.output and "points_hukou" not in run.output and "2,026" not in run.output, run.output
