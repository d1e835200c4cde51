"""A registered resident with missing core facts gets undetermined decisions naming them, never an error."""

from __future__ import annotations

import itertools
from datetime import date
from pathlib import Path

import polars as pl
import pytest
from sqlalchemy import Engine
from tables_support import REGISTER_ARGS, reference
from typer.testing import CliRunner

from changzhu.api.auth.accounts import create_user
from changzhu.api.auth.roles import Role
from changzhu.casework.applications import ApplicationKind
from changzhu.casework.precheck import precheck
from changzhu.cli.main import app
from changzhu.domain.lang import Lang
from changzhu.domain.services import Service
from changzhu.registry import person_frame
from changzhu.registry.decide import FACT_VALUES, _grid, evaluate_registered, filled, missing_facts
from changzhu.registry.explained import explain_registered
from changzhu.registry.identity import check_char
from changzhu.rules import evaluate as plain_evaluate
from changzhu.rules.catalog import policies_in_use


@pytest.fixture
def registered(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> Engine:
    """One resident registered with no facts beyond the registration itself."""
    monkeypatch.setenv("CHANGZHU_DATABASE_URL", str(engine.url.render_as_string(hide_password=False)))
    create_user(engine, "cw_sz", "correct horse battery staple", Role.CASEWORKER, ["440300"])
    ran = CliRunner().invoke(app, REGISTER_ARGS)
    assert ran.exit_code == 0, ran.output
    return engine


def test_missing_core_facts_make_decisions_undetermined_and_name_them(registered: Engine) -> None:
    result = evaluate_registered(person_frame(registered), date(2026, 6, 1))
    assert result.height == 1
    undetermined = [c for c in result.columns if c.startswith("undetermined_") and result[c][0]]
    assert undetermined, "a resident without employment, income or housing facts cannot be decided"
    named = {
        fact for c in undetermined for fact in (result["needs_" + c.removeprefix("undetermined_")].to_list()[0] or [])
    }
    assert named & {"employed", "income_per_capita_month", "housing", "education", "criminal_record"}
    for column in undetermined:
        assert not result["eligible_" + column.removeprefix("undetermined_")][0]


def test_evaluate_registry_command_runs_for_a_resident_with_missing_facts(registered: Engine) -> None:
    ran = CliRunner().invoke(app, ["evaluate", "--registry", "--on", "2026-06-01"])
    assert ran.exit_code == 0, ran.output


def test_a_complete_resident_is_decided_as_evaluate_decides_it(registered: Engine) -> None:
    facts = ["employed=是", "学历=本科", "housing=rented", "income_per_capita_month=3000", "criminal_record=否"]
    facts += ["si_months_local=0", "si_months_total=0", "medical_months_local=0"]  # stated: never paid
    other = [a if a != "510104199003070138" else "11010519491231002X" for a in REGISTER_ARGS]
    ran = CliRunner().invoke(app, [*other, *(x for f in facts for x in ("--fact", f))])
    assert ran.exit_code == 0, ran.output
    table = person_frame(registered)
    both = evaluate_registered(table, date(2026, 6, 1))
    complete = table.filter(pl.col("employed").is_not_null())
    alone = plain_evaluate(complete, date(2026, 6, 1))
    assert both.filter(pl.col("person_id").is_in(complete["person_id"].to_list())).equals(alone)
    assert both["person_id"].to_list() == table["person_id"].to_list()


def test_a_decision_is_given_only_where_every_value_of_the_missing_fact_agrees(tmp_path: Path) -> None:
    people = reference("person", tmp_path).with_columns(
        pl.when(pl.col("person_id") == 1).then(None).otherwise(pl.col("employed")).alias("employed"),
        pl.when(pl.col("person_id") == 3).then(None).otherwise(pl.col("housing")).alias("housing"),
    )
    on = date(2026, 6, 1)
    got = evaluate_registered(people, on)
    fills = [
        people.with_columns(pl.col("employed").fill_null(e), pl.col("housing").fill_null(h))
        for e in (True, False)
        for h in ("owned", "rented", "public_rental", "dormitory", "none")
    ]
    every = [plain_evaluate(f, on) for f in fills]
    services = [c.removeprefix("eligible_") for c in got.columns if c.startswith("eligible_")]
    for row in range(people.height):
        for s in services:
            outcomes = {e[f"eligible_{s}"][row] for e in every}
            agreed = len({e[f"eligible_{s}"][row] for e in every}) == 1 and not any(
                e[f"undetermined_{s}"][row] for e in every
            )
            assert got[f"undetermined_{s}"][row] == (not agreed), (row, s, outcomes)
            if agreed:
                assert got[f"eligible_{s}"][row] == every[0][f"eligible_{s}"][row]
            else:
                assert not got[f"eligible_{s}"][row]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_explanation_decides_as_evaluate_registered(tmp_path: Path, lang: str) -> None:
    """A person lacking employment and education: every decision, its needs and the points range are those of
    evaluate_registered; conditions reading a missing fact are unknown and points items reading one unassessed."""
    first = reference("person", tmp_path).filter(pl.col("parent_id").is_null()).head(1)
    people = first.with_columns(pl.lit("440100").cast(first["residence_region"].dtype).alias("residence_region"))
    lacking = people.with_columns(
        pl.lit(None, pl.Boolean).alias("employed"), pl.lit(None).cast(people["education"].dtype).alias("education")
    )
    on, pid = date(2026, 6, 1), int(people["person_id"][0])
    shown = explain_registered(lacking, on, pid, lang=lang)  # type: ignore[arg-type]
    row = evaluate_registered(lacking, on).row(0, named=True)
    labels = {name: spec.label(lang) for name, spec in policies_in_use().variables.items()}
    assert any(s.decision == "undetermined" for s in shown.services)
    for s in shown.services:
        assert s.eligible == row[f"eligible_{s.service}"], s.service
        assert (s.decision == "undetermined") == row[f"undetermined_{s.service}"], s.service
        assert s.needs == [labels[n] for n in row[f"needs_{s.service}"] or []]
        for c in s.conditions:
            if c.kind == "variable" and c.subject in ("employed", "education"):
                assert c.passed is None and labels[c.subject] in (c.missing or "")
    (scheme,) = [p for p in shown.points if p.of == "self"]
    assert scheme.low == row[f"points_low_{scheme.scheme}"]
    education = [i for i in scheme.indicators if labels["education"] in " ".join(i.needs)]
    assert education and all(i.points is None for i in education)
    assert scheme.total == sum(i.points for i in scheme.indicators if i.points is not None)


def test_a_child_without_a_household_link_is_undetermined_unless_no_parent_lives_here(registered: Engine) -> None:
    facts = ["employed=否", "学历=小学", "housing=rented", "income_per_capita_month=3000", "criminal_record=否"]
    for seq, more in (("013", []), ("021", ["父母在本市居住=否"])):  # two children of 2015-09-20, no link
        first17 = f"51010420150920{seq}"
        child = [a if a != "510104199003070138" else first17 + check_char(first17) for a in REGISTER_ARGS]
        ran = CliRunner().invoke(app, [*child, *(x for f in [*facts, *more] for x in ("--fact", f))])
        assert ran.exit_code == 0, ran.output
    table = person_frame(registered)
    assert table["parent_lives_here"].to_list() == [None, None, False]  # not given: null (unknown)
    got = evaluate_registered(table, date(2026, 6, 1)).select(pl.col("^(eligible|undetermined|needs)_compulsory.*$"))
    assert got.rows()[1:] == [(False, True, ["parent_id", "parent_lives_here"]), (False, False, None)]
    unlinked, none_here = table["person_id"].to_list()[1:]
    checked = precheck(registered, unlinked, ApplicationKind.SCHOOL_PLACE, date(2026, 6, 1))
    assert checked.decision == "undetermined"
    assert [n["input"] for n in checked.needs] == ["parent_id", "parent_lives_here"]
    assert "? the parent qualifies for a residence permit here (unknown: no parent linked)" in checked.explanation_en
    assert "? 父母符合本地居住证办理条件（未知：未关联父母记录）" in checked.explanation_zh
    assert precheck(registered, none_here, ApplicationKind.SCHOOL_PLACE, date(2026, 6, 1)).decision == "not_eligible"


def test_a_precheck_decides_a_record_lacking_facts_once_for_both_languages(
    registered: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """evaluate_registered (every value of the missing facts, the costly part) runs once for the zh and en texts,
    not once per language, and gives the explanation each language would get alone."""
    import changzhu.registry.explained as explained

    table = person_frame(registered)
    pid = int(table["person_id"][0])
    on = date(2026, 6, 1)
    alone = {lang: explain_registered(table, on, pid, services=[Service.RESIDENCE_PERMIT], lang=lang) for lang in Lang}
    calls: list[int] = []

    def counted(*args: object, **kwargs: object) -> pl.DataFrame:
        calls.append(1)
        return evaluate_registered(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(explained, "evaluate_registered", counted)
    checked = precheck(registered, pid, ApplicationKind.RESIDENCE_PERMIT, on)
    assert len(calls) == 1
    assert checked.decision == alone[Lang.ZH].services[0].decision == "undetermined"
    assert [n["label_zh"] for n in checked.needs] == alone[Lang.ZH].services[0].needs
    assert [n["label_en"] for n in checked.needs] == alone[Lang.EN].services[0].needs


def test_the_variants_of_a_record_are_each_combination_filled_in_turn(registered: Engine) -> None:
    """The table evaluate_registered decides (built at once) is the record `filled` with each combination of its
    missing facts' values, in itertools.product order."""
    table = person_frame(registered)
    on = date(2026, 6, 1)
    missing = missing_facts(table)
    assert len(missing) >= 8  # every core fact but what the registration gave
    groups = (  # every missing fact in some group (all at once: 2,560 tables, seconds of `filled` for the check)
        ["employed", "criminal_record", "housing", "income_per_capita_month"],
        ["si_months_local", "si_months_total", "medical_months_local", "prior_si_months"],  # with lifetime months
        ["education", "si_months_total"],
        ["si_months_local", "si_months_total"],
    )
    for facts in ([f for f in group if f in missing] for group in groups):
        combos = itertools.product(*(FACT_VALUES[f] for f in facts))
        one_by_one = pl.concat(filled(table, dict(zip(facts, combo, strict=True)), on) for combo in combos)
        built = _grid(table, facts, on)
        assert built.schema == one_by_one.schema
        assert built.equals(one_by_one, null_equal=True), facts


def test_a_points_precheck_with_unknown_points_says_unknown_not_none(registered: Engine) -> None:
    """A Chengdu resident registered without the insurance months the points read has no points total: the points
    condition of the pre-check reads 未知 / unknown against the line, never Python's None (the office's pre-check
    dialog showed （None / 110 分）)."""
    chengdu = [*REGISTER_ARGS]
    chengdu[chengdu.index("--id-number") + 1] = "11010519491231002X"
    chengdu[chengdu.index("--hukou") + 1] = "110100"
    chengdu[chengdu.index("--residence") + 1] = "510100"
    chengdu[chengdu.index("--as") + 1] = "cw_cd"
    create_user(registered, "cw_cd", "correct horse battery staple", Role.CASEWORKER, ["510100"])
    ran = CliRunner().invoke(app, [*chengdu, "--fact", "学历=本科"])
    assert ran.exit_code == 0, ran.output
    person_id = person_frame(registered).filter(pl.col("residence_region") == "510100")["person_id"][0]
    checked = precheck(registered, person_id, ApplicationKind.POINTS, date(2026, 6, 1))
    points_zh = next(line for line in checked.explanation_zh.splitlines() if "分值线" in line)
    points_en = next(line for line in checked.explanation_en.splitlines() if "reach the line" in line)
    assert "None" not in checked.explanation_zh + checked.explanation_en
    assert points_zh.startswith("? ") and "（未知 / 110 分）" in points_zh, points_zh
    assert points_en.startswith("? ") and "(unknown / 110 points)" in points_en, points_en
