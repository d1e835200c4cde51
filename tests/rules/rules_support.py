"""Random person tables for the rules tests."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

import numpy as np
import polars as pl

from changzhu.rules.dates import to_days

ON = date(2026, 6, 1)
CITIES = ["310100", "110100", "440100", "510100", "320500", "420100", "341000", "500100"]


def random_people(n: int, seed: int) -> pl.DataFrame:
    """n valid people over 8 cities (4 with their own rules), some with prior regions, children with parents."""
    rng = np.random.default_rng(seed)
    on = (ON - date(1970, 1, 1)).days
    age = rng.integers(365, 65 * 365, n)
    res = np.minimum(rng.integers(0, 15 * 365, n), age)
    permit = np.where(rng.random(n) < 0.5, on - (res * rng.random(n)).astype(int), None)
    si_total = rng.integers(0, 200, n)
    has_prior = rng.random(n) < 0.3
    prior = np.where(has_prior, np.array(CITIES)[rng.integers(0, len(CITIES), n)], None)
    residence = np.array(CITIES)[rng.integers(0, len(CITIES), n)]
    prior = np.where(prior == residence, None, prior)
    prior_months = np.where(prior != None, rng.integers(0, 100, n), 0)  # noqa: E711
    adults = np.flatnonzero(age >= 18 * 365)  # a parent is an adult of the table: no one their own ancestor
    parent = np.where(age < 16 * 365, adults[rng.integers(0, len(adults), n)] if adults.size else None, None)
    return pl.DataFrame(
        {
            "person_id": np.arange(n),
            "sex": rng.choice(["F", "M"], n),
            "birth_date": pl.Series((on - age).tolist()).cast(pl.Date),
            "hukou_region": np.where(rng.random(n) < 0.3, residence, rng.choice(CITIES, n)),
            "residence_region": residence,
            "residence_since": pl.Series((on - res).tolist()).cast(pl.Date),
            "residence_permit_since": pl.Series(permit.tolist(), dtype=pl.Int32).cast(pl.Date),
            "si_months_local": (si_total * rng.random(n)).astype(int),
            "si_months_total": si_total,
            "medical_months_local": rng.integers(0, 50, n),
            "prior_region": pl.Series(prior.tolist(), dtype=pl.String),
            "prior_residence_months": prior_months,
            "prior_si_months": prior_months // 2,
            "employed": rng.random(n) < 0.7,
            "education": rng.choice(["senior_secondary", "vocational_college", "bachelor", "master", "doctor"], n),
            "housing": rng.choice(["owned", "rented", "dormitory", "none"], n),
            "income_per_capita_month": rng.gamma(2.0, 1500.0, n),
            "parent_id": pl.Series(parent.tolist(), dtype=pl.Int64),
            "criminal_record": rng.random(n) < 0.05,
            "professional_title": rng.choice(["none", "skill_3", "skill_2_or_intermediate"], n),
            "si_base_ratio": rng.gamma(4.0, 0.3, n),
            "admin_detentions": (rng.random(n) < 0.05).astype(np.int32),
        }
    )


def add_months_by_calendar(d: int, k: int) -> int:
    """The oracle of month arithmetic: day number `d` plus `k` months by Python's calendar (the day clamped to the
    month's last)."""
    start = date(1970, 1, 1) + timedelta(days=d)
    total = start.year * 12 + start.month - 1 + k
    year, month0 = divmod(total, 12)
    day = min(start.day, calendar.monthrange(year, month0 + 1)[1])
    return to_days(date(year, month0 + 1, day))


def with_huge_numbers(people: pl.DataFrame) -> pl.DataFrame:
    """Shanghai's declared numbers beyond 2**52 (and NaN, unknown), whose whole units the fast kernels leave to their
    exact twins (codegen.Writer.floor_div)."""
    amounts = [1e300, -1e300, 1.7e308, 2.0**53 + 2, -(2.0**60) - 4096, 4503599627370497.0, np.nan, 1.5e5]
    counts = [2**62 + 1, 2**60 + 3, 2**53 + 1, 4503599627370497, None, 15, 0]  # whole numbers (Int64), not negative
    return people.with_columns(
        pl.Series("tax_paid_avg_3y", np.resize(np.array(amounts), people.height)),
        pl.Series("local_hires_avg_3y", [counts[i % len(counts)] for i in range(people.height)], dtype=pl.Int64),
    )
