"""Estimates say they are estimates wherever a table leaves the system: the `estimate` column on every row."""

from __future__ import annotations

from dataclasses import fields
from datetime import date

import polars as pl
import pytest

from changzhu.data.census import census_2020
from changzhu.domain.estimates import ESTIMATE_COLUMN, GRAVITY, labelled, synthetic, unlabelled_estimates
from changzhu.fiscal.parameters import fiscal_parameters
from changzhu.fiscal.run import FiscalResults, compute_fiscal
from changzhu.planning.flags import service_flags
from changzhu.planning.gaps import compute_gaps
from changzhu.planning.migration import migration_balance


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
    results = compute_fiscal(
        census_2020().provinces, compute_gaps(level="province"), fiscal_parameters(date(2024, 1, 1))
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
