"""Earliest dates checked against an independent oracle: the interval engine's earliest_<service>, projected once from
the first date, must be the first day on which deciding on that day alone (the person's facts advanced as the
engine assumes: ages and residence by the calendar, insurance months one a month while employed, declared months
inputs one a month while above 0) finds the person eligible. The oracle walks the calendar month by month and finds
the day within the month by bisection (it assumes a decision does not switch on and off again within one month)."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

import polars as pl
import pytest

from changzhu.domain.services import Service
from changzhu.rules import evaluate
from changzhu.rules.people import people_from_records

START = date(2026, 6, 1)
HORIZON_MONTHS = 24
SERVICES = [Service.POINTS_SETTLEMENT, Service.RESIDENCE_PERMIT, Service.RESIDENCE_REGISTRATION_SETTLEMENT]


def _months_between(a: date, b: date) -> int:
    return (b.year - a.year) * 12 + b.month - a.month - (b.day < a.day)


def _add_months(d: date, n: int) -> date:
    y, m = divmod(d.year * 12 + d.month - 1 + n, 12)
    return date(y, m + 1, 1)


def _person(rng: random.Random, pid: int) -> dict[str, Any]:
    city = rng.choice(["120100", "110100", "310100"])
    si = rng.randint(0, 130)
    since = START - timedelta(days=rng.randint(200, 4000))
    row: dict[str, Any] = {
        "person_id": pid,
        "sex": rng.choice("MF"),
        "birth_date": date(rng.randint(1976, 2000), rng.randint(1, 12), rng.randint(1, 28)),
        "hukou_region": "130100",
        "residence_region": city,
        "residence_since": since,
        "residence_permit_since": since + timedelta(days=rng.randint(0, 190)),
        "si_months_local": si,
        "si_months_total": si + rng.randint(0, 20),
        "medical_months_local": si,
        "prior_region": None,
        "prior_residence_months": 0,
        "prior_si_months": 0,
        "employed": rng.random() < 0.8,
        "education": rng.choice(["senior_secondary", "vocational_college", "bachelor", "master", "doctor"]),
        "housing": rng.choice(["rented", "owned"]),
        "income_per_capita_month": 6000,
        "parent_id": None,
        "criminal_record": rng.random() < 0.05,
        "professional_title": rng.choice(["none", "skill_3", "skill_2_or_intermediate", "skill_1_or_senior"]),
        "si_base_ratio": rng.choice([0.7, 0.9, 1.2, 2.5]),
        "admin_detentions": rng.choice([0, 0, 0, 1]),
    }
    if row["residence_permit_since"] > START:
        row["residence_permit_since"] = START
    if city == "120100":
        insured = rng.randint(0, 130)
        criminal = rng.random() < 0.2
        row |= {
            "criminal_record": criminal,
            "tianjin_si_continuous_12m": rng.random() < 0.7,
            "tianjin_unemployment_insurance_months": insured,
            "tianjin_injury_insurance_months": insured,
            "tianjin_maternity_insurance_months": rng.randint(0, 130),
            "tianjin_housing_fund_months": rng.choice([0, rng.randint(1, 100)]),
            "tianjin_rented_home_months": rng.choice([0, rng.randint(1, 80)]),
            "tianjin_owned_home_months": rng.choice([0, rng.randint(1, 80)]),
            "tianjin_home_district": rng.choice(["central_six", "ring_four", "binhai", "outer_five"]),
            "tianjin_new_commercial_home": rng.random() < 0.3,
            "tianjin_permit_endorsements": rng.randint(0, 6),
            "tianjin_title": rng.choice(["none", "junior", "intermediate", "senior"]),
            "tianjin_skill": rng.choice(["none", "technician"]),
            "tianjin_shortage_occupation": rng.choice(["none", "general", "severe"]),
            "tianjin_spouse_si_months": rng.choice([0, 30]),
            "tianjin_punishment_end_date": START - timedelta(days=rng.randint(0, 2000)) if criminal else None,
        }
    elif city == "110100":
        row |= {
            "degree": rng.choice(["none", "bachelor", "master", "doctor"]),
            "owned_home_months": rng.randint(0, 200),
            "rented_home_months": rng.randint(0, 200),
            "outer_residence_months": rng.choice([0, rng.randint(1, 60)]),
            "outer_residence_and_job_months": 0,
            "tax_years_over_100k_last3": rng.randint(0, 3),
            "beijing_honour": rng.random() < 0.2,
        }
    elif city == "310100":
        row |= {"spouse_local_marriage_months": rng.choice([0, rng.randint(1, 120)])}
    return row


DECLARED_MONTHS = (
    "owned_home_months",
    "rented_home_months",
    "outer_residence_months",
    "outer_residence_and_job_months",
    "spouse_local_marriage_months",
    "tianjin_rented_home_months",
    "tianjin_owned_home_months",
)
EMPLOYED_MONTHS = (  # declared with grows: employed
    "tianjin_unemployment_insurance_months",
    "tianjin_injury_insurance_months",
    "tianjin_maternity_insurance_months",
    "tianjin_housing_fund_months",
)


def _advanced(rows: list[dict[str, Any]], on: date) -> pl.DataFrame:
    """The same people on a later day: insurance months (and declared months inputs that grow while employed) grown
    by the whole months elapsed while employed, declared months inputs (grows: while_positive) by the whole months
    elapsed where they are above 0."""
    k = _months_between(START, on)
    out = []
    for r in rows:
        grown = k if r["employed"] else 0
        out.append(
            r
            | {
                "si_months_local": r["si_months_local"] + grown,
                "si_months_total": r["si_months_total"] + grown,
                "medical_months_local": r["medical_months_local"] + grown,
            }
            | {name: r[name] + k for name in DECLARED_MONTHS if r.get(name, 0) > 0}
            | {name: r[name] + grown for name in EMPLOYED_MONTHS if name in r}
        )
    return people_from_records(out)


def _eligible_on(rows: list[dict[str, Any]], on: date) -> dict[Service, dict[int, bool]]:
    out = evaluate(_advanced(rows, on), on, services=SERVICES)
    ids = out["person_id"].to_list()
    return {s: dict(zip(ids, out[f"eligible_{s.value}"].to_list(), strict=True)) for s in SERVICES}


def _oracle(rows: list[dict[str, Any]]) -> dict[Service, dict[int, date | None]]:
    """First eligible day within the horizon, by walking the calendar (None: not within the horizon)."""
    ids = [r["person_id"] for r in rows]
    seen: dict[date, dict[Service, dict[int, bool]]] = {}

    def on(d: date) -> dict[Service, dict[int, bool]]:
        if d not in seen:
            seen[d] = _eligible_on(rows, d)
        return seen[d]

    first: dict[Service, dict[int, date | None]] = {
        s: {p: START if on(START)[s][p] else None for p in ids} for s in SERVICES
    }
    prev = START
    for n in range(1, HORIZON_MONTHS + 1):
        d = _add_months(START, n)
        for s in SERVICES:
            for pid in ids:
                if first[s][pid] is None and on(d)[s][pid]:
                    lo, hi = prev, d  # not eligible on lo, eligible on hi: bisect the days between
                    while (hi - lo).days > 1:
                        mid = lo + (hi - lo) / 2
                        lo, hi = (lo, mid) if on(mid)[s][pid] else (mid, hi)
                    first[s][pid] = hi
        prev = d
    return first


@pytest.mark.parametrize("seed", [7])
def test_earliest_dates_match_a_calendar_walk(seed: int) -> None:
    rng = random.Random(seed)
    rows = [_person(rng, i + 1) for i in range(16)]
    engine = evaluate(people_from_records(rows), START, services=SERVICES)
    oracle = _oracle(rows)
    limit = _add_months(START, HORIZON_MONTHS)
    checked = 0
    for s in SERVICES:
        got = dict(zip(engine["person_id"].to_list(), engine[f"earliest_{s.value}"].to_list(), strict=True))
        for pid, want in oracle[s].items():
            have = got[pid]
            if have is not None and have > limit:
                have = None  # beyond the oracle's horizon
            assert have == want, (s.value, pid, have, want, next(r for r in rows if r["person_id"] == pid))
            checked += want is not None
    assert checked >= 5  # the tables reach eligibility on some later day, not only on the first


def _beijing_owner(rng: random.Random, pid: int) -> dict[str, Any]:
    """A Beijing doctor under 40 near the cut-off: 3 × insured years + owned-home years + 37 + 20 against 105.42,
    insured or not (so the owned home's months, a declared input, are often what reaches the line)."""
    row = _person(rng, pid) | {
        "residence_region": "110100",
        "birth_date": date(1990, rng.randint(1, 12), 1),
        "si_months_local": rng.randint(84, 100),
        "employed": rng.random() < 0.3,
        "education": "doctor",
        "criminal_record": False,
        "admin_detentions": 0,
        "degree": "doctor",
        "owned_home_months": rng.randint(240, 360),
        "rented_home_months": 0,
        "outer_residence_months": 0,
        "outer_residence_and_job_months": 0,
        "tax_years_over_100k_last3": 0,
        "beijing_honour": False,
    }
    row["si_months_total"] = row["medical_months_local"] = row["si_months_local"]
    return {k: v for k, v in row.items() if not k.startswith("tianjin")}


def test_declared_months_grow_when_the_earliest_date_is_searched() -> None:
    rng = random.Random(13)
    rows = [_beijing_owner(rng, i + 1) for i in range(14)]
    engine = evaluate(people_from_records(rows), START, services=[Service.POINTS_SETTLEMENT])
    oracle = _oracle(rows)[Service.POINTS_SETTLEMENT]
    limit = _add_months(START, HORIZON_MONTHS)
    got = dict(zip(engine["person_id"].to_list(), engine["earliest_points_settlement"].to_list(), strict=True))
    later = 0
    for pid, want in oracle.items():
        have = got[pid] if got[pid] is None or got[pid] <= limit else None
        assert have == want, (pid, have, want, rows[pid - 1])
        later += want is not None and want > START and not rows[pid - 1]["employed"]
    assert later >= 2  # some reach the line later only because their owned-home months go on
