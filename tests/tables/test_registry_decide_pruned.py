"""evaluate_registered tries only the missing facts a person's rules read and evaluates each distinct combination
once: its result is the one of trying every value of every missing fact, on random tables with random gaps."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from changzhu.domain.person import EDUCATION_LEVELS, HOUSING_TENURES, PERSON_SCHEMA
from changzhu.registry import decide
from changzhu.registry.decide import FACT_VALUES, evaluate_registered, facts_read
from changzhu.rules.catalog import policies_in_use, resolve_region

ON = date(2026, 6, 1)
# cities with their own rules (Beijing, Tianjin, Shanghai, Guangzhou, Chengdu) and two under the national ones only
CITIES = ["110100", "120100", "310100", "440100", "510100", "440300", "320500"]
FACTS = list(FACT_VALUES)
NO_HISTORY = ("si_months_local", "si_months_total", "medical_months_local")


@st.composite
def registries(draw: st.DrawFn) -> pl.DataFrame:
    """A few residents, some children of an earlier one, each lacking a random set of core facts."""
    n = draw(st.integers(2, 6))
    rows = []
    for i in range(n):
        parent = draw(st.sampled_from([None, *range(i)])) if i else None
        age = draw(st.integers(1, 16)) if parent is not None else draw(st.integers(17, 70))
        lived = draw(st.integers(0, age * 12))
        total = draw(st.integers(0, 300))
        local = draw(st.integers(0, total))
        prior = draw(st.sampled_from([None, *CITIES]))
        row = {
            "person_id": i + 1,
            "sex": draw(st.sampled_from(["F", "M"])),
            "birth_date": ON - timedelta(days=age * 365 + draw(st.integers(0, 300))),
            "hukou_region": draw(st.sampled_from(CITIES)),
            "residence_region": draw(st.sampled_from(CITIES)),
            "residence_since": ON - timedelta(days=lived * 30),
            "residence_permit_since": draw(st.sampled_from([None, ON - timedelta(days=lived * 15)])),
            "si_months_local": local,
            "si_months_total": total,
            "medical_months_local": draw(st.integers(0, local)),
            "prior_region": prior,
            "prior_residence_months": 0 if prior is None else draw(st.integers(0, 120)),
            "prior_si_months": 0 if prior is None else draw(st.integers(0, 120)),
            "employed": draw(st.booleans()),
            "education": draw(st.sampled_from(EDUCATION_LEVELS)),
            "housing": draw(st.sampled_from(HOUSING_TENURES)),
            "income_per_capita_month": float(draw(st.integers(0, 9000))),
            "parent_id": None if parent is None else parent + 1,
            "criminal_record": draw(st.booleans()),
            "parent_lives_here": draw(st.sampled_from([None, False, True])),
        }
        # often no contribution history (the three months unknown); prior months are known 0 where there is no
        # previous place: the registry never lacks them there
        lacking = draw(st.sets(st.sampled_from([f for f in FACTS if prior or f != "prior_si_months"]), max_size=3))
        lacking |= draw(st.sampled_from([set(), set(NO_HISTORY)]))
        rows.append({k: None if k in lacking else v for k, v in row.items()})
    return pl.DataFrame(rows, schema={name: PERSON_SCHEMA[name] for name in rows[0]})


def _every_value(monkeypatch: pytest.MonkeyPatch, people: pl.DataFrame) -> pl.DataFrame:
    """The decisions when every missing fact is taken as read and every combination is evaluated."""
    with monkeypatch.context() as m:
        m.setattr(decide, "facts_read", lambda _policy, _variables: frozenset(FACT_VALUES))
        m.setattr(decide, "_first_alike", lambda grid, n, combos: np.arange(grid.height))
        return evaluate_registered(people, ON)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(people=registries())
def test_trying_only_the_facts_read_decides_as_trying_every_value(
    people: pl.DataFrame, monkeypatch: pytest.MonkeyPatch
) -> None:
    got = evaluate_registered(people, ON)
    expected = _every_value(monkeypatch, people)
    differ = [c for c in got.columns if not got[c].equals(expected[c])]
    assert not differ, (differ, people.to_dicts(), got.select(differ).to_dicts(), expected.select(differ).to_dicts())


def test_a_city_under_the_national_rules_only_reads_no_total_months() -> None:
    """Shenzhen (national rules only) never reads the total months: a resident there lacking only the total is
    decided once; Shanghai's and Guangzhou's points read the local months and employment."""
    policies = policies_in_use()
    read = {code: facts_read(resolve_region(policies, code, None), policies.variables) for code in CITIES}
    assert "si_months_total" not in read["440300"]
    assert {"si_months_local", "medical_months_local", "employed"} <= read["440300"]
    assert {"si_months_local", "employed", "education"} <= read["310100"] & read["440100"]
