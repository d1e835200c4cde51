"""A registered resident's insurance months are unknown, never 0, until the registry holds their contribution
history of the scheme or a caseworker states the months: the rules reading them are then undetermined, naming them."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest
from sqlalchemy import Engine
from tables_support import REGISTER_ARGS
from typer.testing import CliRunner

from changzhu.api.auth.accounts import create_user
from changzhu.api.auth.roles import Role
from changzhu.casework.quota_runs import QuotaKind, _labels, _unrankable, city_scheme, scored
from changzhu.cli.main import app
from changzhu.ledger.contributions import MonthPaid, Scheme, record_contributions
from changzhu.registry import person_frame
from changzhu.registry.decide import evaluate_registered
from changzhu.registry.explained import explain_registered
from changzhu.registry.facts import InvalidFact, update_facts
from changzhu.registry.residents import ProofKind, Registration, register_resident
from changzhu.rules.explain import IndicatorPoints
from changzhu.store.checks import RegistryError
from changzhu.store.db import session_scope
from changzhu.store.resident_models import PersonRow

ON = date(2026, 6, 1)
# every core fact but the months, so that only they can leave a decision open
FACTS = ["employed=是", "学历=本科", "housing=rented", "income_per_capita_month=3000", "criminal_record=否"]
MONTHS = ("si_months_local", "si_months_total", "medical_months_local", "prior_si_months")


@pytest.fixture
def registered(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> Engine:
    """One Chengdu-registered resident living in Shenzhen since 2020, every core fact given but no months."""
    monkeypatch.setenv("CHANGZHU_DATABASE_URL", str(engine.url.render_as_string(hide_password=False)))
    create_user(engine, "cw_sz", "correct horse battery staple", Role.CASEWORKER, ["440300", "510100"])
    ran = CliRunner().invoke(app, [*REGISTER_ARGS, *(x for f in FACTS for x in ("--fact", f))])
    assert ran.exit_code == 0, ran.output
    return engine


def _key(engine: Engine) -> str:
    with session_scope(engine) as session:
        return str(session.query(PersonRow.person_key).one()[0])


def _paid(engine: Engine, scheme: Scheme, region: str, months: list[int]) -> None:
    paid = [MonthPaid(m, 800_000) for m in months]
    record_contributions(engine, _key(engine), scheme, region, paid, actor="test")


def _open_on_months(result: pl.DataFrame) -> dict[str, list[str]]:
    """The undetermined services and the months columns each names."""
    row = result.row(0, named=True)
    services = [c.removeprefix("undetermined_") for c in result.columns if c.startswith("undetermined_")]
    return {s: [n for n in row[f"needs_{s}"] or [] if n in MONTHS] for s in services if row[f"undetermined_{s}"]}


def test_without_contribution_records_the_months_are_unknown_and_named(registered: Engine) -> None:
    table = person_frame(registered)
    assert table.select(MONTHS).row(0) == (None, None, None, 0)  # no previous place: nothing paid there
    opened = _open_on_months(evaluate_registered(table, ON))
    assert opened and all(opened.values()), opened  # open only on the months, and naming them
    assert "medical_months_local" in opened["cross_province_settlement_filing"]  # (not insured here: < 1 month)


def test_records_of_a_scheme_make_its_months_known_elsewhere_zero(registered: Engine) -> None:
    _paid(registered, Scheme.PENSION, "510100", [202301, 202302, 202303])  # Chengdu only
    row = person_frame(registered).row(0, named=True)
    assert (row["si_months_local"], row["si_months_total"]) == (0, 3)  # known: none paid in Shenzhen
    assert row["medical_months_local"] is None  # no medical record: that history is still unknown
    opened = _open_on_months(evaluate_registered(person_frame(registered), ON))
    assert all(set(named) <= {"medical_months_local"} for named in opened.values()), opened


def test_records_decide_as_the_months_they_count(registered: Engine) -> None:
    months = [202001 + (m // 12) * 100 + m % 12 for m in range(72)]  # 2020-01 to 2025-12 in Shenzhen
    _paid(registered, Scheme.PENSION, "440300", months)
    _paid(registered, Scheme.MEDICAL, "440300", months)
    table = person_frame(registered)
    assert table.select(MONTHS).row(0) == (72, 72, 72, 0)
    result = evaluate_registered(table, ON)
    assert not _open_on_months(result)
    assert not any(result[c][0] for c in result.columns if c.startswith("undetermined_"))


def test_a_caseworker_stating_no_contributions_decides(registered: Engine) -> None:
    update_facts(
        registered, _key(registered), {"si_months_local": 0, "si_months_total": 0, "medical_months_local": 0}, actor="t"
    )
    table = person_frame(registered)
    assert table.select(MONTHS).row(0) == (0, 0, 0, 0)
    assert not _open_on_months(evaluate_registered(table, ON))
    _paid(registered, Scheme.PENSION, "440300", [202501, 202502])  # from the first record, the records count
    assert person_frame(registered).select(MONTHS).row(0) == (2, 2, 0, 0)


def test_stated_months_are_never_negative(registered: Engine) -> None:
    with pytest.raises(InvalidFact, match="months cannot be negative"):
        update_facts(registered, _key(registered), {"si_months_total": -1}, actor="t")
    reg = Registration("11010519491231002X", "510100", "440300", date(2020, 1, 1), ProofKind.EMPLOYMENT, "合同 2",
                       {"si_months_local": -3})  # fmt: skip
    with pytest.raises(RegistryError, match="months cannot be negative"):
        register_resident(registered, reg, actor="cw_sz")


def test_a_stated_local_months_bounds_the_total_tried(registered: Engine) -> None:
    """Local months stated, total unknown: the total is tried from the local months up (never below them)."""
    update_facts(registered, _key(registered), {"si_months_local": 60, "medical_months_local": 60}, actor="t")
    table = person_frame(registered)
    assert table.select(MONTHS).row(0) == (60, None, 60, 0)
    opened = _open_on_months(evaluate_registered(table, ON))
    assert all(set(named) <= {"si_months_total"} for named in opened.values()), opened


@pytest.mark.parametrize(
    ("lang", "shown"), [("zh", "未知：未上传缴费记录"), ("en", "unknown: no contribution history uploaded")]
)
def test_the_explanation_says_no_history_was_uploaded(registered: Engine, lang: str, shown: str) -> None:
    table = person_frame(registered)
    pid = int(table["person_id"][0])
    explained = explain_registered(table, ON, pid, lang=lang)  # type: ignore[arg-type]
    on_months = [
        c
        for s in explained.services
        for c in s.conditions
        if c.kind == "variable" and c.subject in ("si_local", "si_total", "si_recognised", "medical_local")
    ]
    assert on_months and all(c.passed is None and c.value == shown for c in on_months)
    assert all(c.missing for c in on_months)


def test_an_unknown_history_is_not_ranked_in_a_points_quota(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    """A Guangzhou applicant without contribution records: the insurance points are open, so the applicant is left
    out of the ranking naming them (never ranked with 0 months)."""
    monkeypatch.setenv("CHANGZHU_DATABASE_URL", str(engine.url.render_as_string(hide_password=False)))
    create_user(engine, "cw_gz", "correct horse battery staple", Role.CASEWORKER, ["440100"])
    args = [a if a not in ("440300", "cw_sz") else {"440300": "440100", "cw_sz": "cw_gz"}[a] for a in REGISTER_ARGS]
    ran = CliRunner().invoke(app, [*args, *(x for f in FACTS for x in ("--fact", f))])
    assert ran.exit_code == 0, ran.output
    scheme = city_scheme("440100")
    score = scored(person_frame(engine), ON, scheme).row(0, named=True)
    assert score["si_months_local"] is None and score["low"] != score["high"]
    assert "insurance" in (score["unassessed"] or [])  # the insurance years are not counted as 0
    reason = _unrankable(QuotaKind.POINTS_HUKOU, score, _labels("440100", scheme))
    assert reason is not None and "insurance" in reason["missing"]


def _items(items: list[IndicatorPoints]) -> list[IndicatorPoints]:
    """Every points item and, at any depth, its parts."""
    return [x for item in items for x in (item, *_items(item.parts))]


@pytest.mark.parametrize(
    ("lang", "prefix", "unknown"),
    [
        ("zh", "本市职工社会保险缴费时间：", "未知（未上传缴费记录）"),
        ("en", "social insurance paid here: ", "unknown (no contribution history uploaded)"),
    ],
)
def test_a_points_group_s_parts_do_not_show_unknown_months_as_zero(
    engine: Engine, lang: str, prefix: str, unknown: str
) -> None:
    """A Guangzhou resident without a contribution history: the group 合法稳定就业 is open and lists its parts; its
    pension and medical parts read 0 points and "本市职工社会保险缴费时间：0 个月" (the value the months were filled in
    with), where they are not assessed and name the months they need."""
    facts = {"employed": True, "education": "bachelor", "housing": "rented", "income_per_capita_month": 5200.0,
             "criminal_record": False}  # fmt: skip
    reg = Registration("510104199311110066", "510100", "440100", date(2022, 1, 1), ProofKind.EMPLOYMENT, "合同", facts)
    register_resident(engine, reg, actor="test")
    table = person_frame(engine)
    explained = explain_registered(table, ON, int(table["person_id"][0]), lang=lang)  # type: ignore[arg-type]
    [scheme] = [p for p in explained.points if p.scheme.startswith("guangzhou")]
    items = _items(scheme.indicators)
    pension = [i for i in items if i.name == "pension_insurance"]
    assert pension, [i.name for i in items]  # the group is open: its parts are listed
    for item in items:
        read = [i for i in item.inputs if i.startswith(prefix)]
        assert read in ([], [prefix + unknown]), (item.name, item.inputs)
    assert all(i.points is None and "si_months_local" in i.needed_inputs for i in pension), pension
    assert all(i.inputs == [prefix + unknown] for i in pension), pension  # the caseworker sees why, not a blank
