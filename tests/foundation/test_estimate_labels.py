"""Estimates say they are estimates wherever a table leaves the system: the `estimate` column on every row."""

from __future__ import annotations

import re
from dataclasses import fields
from datetime import date

import polars as pl
import pytest

from changzhu.data.census import CENSUS_DAY, census_2020
from changzhu.domain.estimates import ESTIMATE_COLUMN, GRAVITY, labelled, synthetic, unlabelled_estimates
from changzhu.fiscal.parameters import fiscal_parameters
from changzhu.fiscal.run import FiscalResults, compute_fiscal
from changzhu.planning.flags import service_flags
from changzhu.planning.gaps import compute_gaps
from changzhu.planning.migration import migration_balance
from changzhu.planning.standards import load_standards, unit_costs_cited

# a parameter's dotted key (planning.unit_cost.*, planning.school_age.*, projection.*) in front of a reader
KEY = re.compile(r"\b(?:planning|projection|fiscal|simulation|geography|registry)\.[a-z_.*]+")


def _says_estimate(frame: pl.DataFrame) -> None:
    assert ESTIMATE_COLUMN in frame.columns, frame.columns
    texts = frame[ESTIMATE_COLUMN]
    assert texts.null_count() == 0
    assert texts.str.starts_with("估算").all() and texts.str.contains("estimate").all()


def test_an_estimated_column_without_the_label_is_found() -> None:
    table = pl.DataFrame({"region_code": ["110000"], "registered_est": [1.0]})
    assert unlabelled_estimates(table) == ["registered_est"]
    assert unlabelled_estimates(labelled(table, GRAVITY)) == []
    _says_estimate(labelled(table, synthetic(0.001)))


def test_gravity_migration_balance_and_the_flags_built_on_it_are_labelled() -> None:
    balance = migration_balance("province")
    _says_estimate(balance)
    _says_estimate(service_flags(compute_gaps(level="province"), balance))


def test_every_fiscal_table_with_estimates_is_labelled() -> None:
    costs = unit_costs_cited(load_standards(), CENSUS_DAY)
    results = compute_fiscal(
        census_2020().provinces, compute_gaps(level="province"), fiscal_parameters(date(2024, 1, 1)), costs
    )
    tables = {f.name: getattr(results, f.name) for f in fields(FiscalResults)}
    tables = {name: t for name, t in tables.items() if isinstance(t, pl.DataFrame)}
    for name in ("bases", "od", "transfers", "comparison", "splits", "equity", "gross_flows", "net_flows"):
        _says_estimate(tables[name])
    # built on the planning unit costs (not official figures): the LP's cells by service and the yearly cost shares
    _says_estimate(results.allocation.cells)
    _says_estimate(results.shared_costs)
    for name, table in tables.items():
        assert not unlabelled_estimates(table), f"{name} holds {unlabelled_estimates(table)} without the label"


@pytest.mark.parametrize("level", ["province", "county"])
def test_planning_gaps_say_where_supply_is_apportioned(level: str) -> None:
    gaps = compute_gaps(level=level)
    assert {"supply_is_estimate", "supply_source", "population_note"} <= set(gaps.columns)
    assert gaps["supply_is_estimate"].any() == (level == "county")  # below the province supply is apportioned


def test_the_cost_notes_cite_each_unit_cost_by_label_value_and_source_not_by_key() -> None:
    """A fiscal official read "planning.unit_cost.*" in the estimate note of the allocation and the shared costs (and a
    planner in `changzhu plan`'s shortage note): a variable name, not the figures the cost was computed with."""
    costs = unit_costs_cited(load_standards(), CENSUS_DAY)
    results = compute_fiscal(
        census_2020().provinces, compute_gaps(level="province"), fiscal_parameters(date(2024, 1, 1)), costs
    )
    for table in (results.allocation.cells, results.shared_costs):
        note = table[ESTIMATE_COLUMN][0]
        assert not KEY.search(note), note
        zh, en = note.split(" / ", 1)
        assert "单位成本：医疗机构床位 600,000 元（规划估算：综合医院每张床位的建设和设备费用" in zh, zh
        assert "单位成本：注册护士 108,903 元（国家统计局《中国统计年鉴2020》" in zh, zh
        assert "unit cost: hospital beds 600,000 yuan (planning estimate of the construction and equipment" in en, en
        # the labels read mid-sentence ("…one): Unit cost: hospital beds…, Unit cost: nurses…" was capitalised)
        assert "Unit cost" not in en and "unit cost: registered nurses 108,903 yuan" in en, en
        assert not re.search(r"[\u4e00-\u9fff]", en.split("国家统计局")[0]), en  # the project's remark in English


def test_the_school_siting_note_cites_the_school_age_shares_not_their_keys() -> None:
    from changzhu.domain.estimates import PROJECTION, in_both
    from changzhu.planning.siting import access_estimate

    note = in_both(access_estimate("primary_school_places"))  # as a run's sites table is labelled
    assert not KEY.search(note) and not KEY.search(PROJECTION), note
    assert "5—14岁人口中小学学龄占比 0.6（《中华人民共和国义务教育法》第十一条" in note, note
    # the shares' derivation is the project's remark, in English on an English page (it read "…；6–11岁是5–14岁年龄组
    # 10个单岁中的6个" there until 2026-12-04)
    assert "Primary-school age share of ages 5–14 0.6 (Compulsory Education Law of the People's Republic" in note
    english = note[note.index("Primary-school age share") :]
    assert not re.search(r"[\u4e00-\u9fff]", english), english
