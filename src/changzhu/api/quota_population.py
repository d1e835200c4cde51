"""Candidates of a points admission drawn from the synthetic population of a city (for simulations only).

The synthetic residents (changzhu.simulation.synthetic, fitted to the 2020 census) carry the core columns only,
so indicators that read a declared input are unassessed: they are ranked on the points assessed (the lower
bound), and the count of such candidates is returned beside the result. 积分落户 candidates are residents whose
hukou is elsewhere and for whom the scheme's prerequisites hold; 积分入学 candidates are migrant children of
school-entry age with a parent in the table, ranked by the parent's points.
"""

from __future__ import annotations

from datetime import date, datetime

import polars as pl

from changzhu.casework.quota_runs import QuotaError, QuotaKind, city_policy, city_scheme, scored
from changzhu.casework.quotas import Candidate
from changzhu.domain.refusals import RefusalCode, refusal
from changzhu.simulation.synthetic import generate_cities, population_model

ENTRY_AGE = "compulsory_schooling.entry_age_years"


def _age_years(birth: pl.Expr, on: date) -> pl.Expr:
    before_birthday = (birth.dt.month() > on.month) | ((birth.dt.month() == on.month) & (birth.dt.day() > on.day))
    return pl.lit(on.year) - birth.dt.year() - before_birthday.cast(pl.Int32)


def synthetic_candidates(
    kind: QuotaKind, region: str, on: date, fraction: float, seed: int
) -> tuple[list[Candidate], int]:
    """The candidates of `kind` among a `fraction` sample of the city's synthetic residents, and how many of them
    have unassessed indicators (ranked on their assessed points)."""
    model = population_model()
    codes = list(model.codes)
    if region not in codes:
        raise QuotaError(refusal(RefusalCode.NOT_A_SYNTHETIC_CITY, region=region))
    table = generate_cities(model, [codes.index(region)], fraction, seed, on)
    scores = scored(table, on, city_scheme(region))
    stamp = datetime.combine(on, datetime.min.time()).isoformat()
    if kind == QuotaKind.POINTS_HUKOU:
        pool = scores.join(table.select("person_id", "hukou_region"), on="person_id").filter(
            pl.col("prerequisites") & (pl.col("hukou_region") != region)
        )
        rows = pool.select("person_id", "low", "high", "si_months_local", "residence_since", "residence_region")
        district = False
    else:
        entry = int(city_policy(region).value(ENTRY_AGE, on)[1].value)
        children = table.filter(
            (_age_years(pl.col("birth_date"), on) == entry)
            & (pl.col("hukou_region") != region)
            & pl.col("parent_id").is_not_null()
        ).select("person_id", "parent_id", pl.col("residence_region").alias("child_region"))
        rows = children.join(scores, left_on="parent_id", right_on="person_id").select(
            "person_id",
            "low",
            "high",
            "si_months_local",
            "residence_since",
            pl.col("child_region").alias("residence_region"),
        )
        district = True
    candidates = [
        Candidate(
            int(r["person_id"]),
            f"synthetic-{r['person_id']}",
            float(r["low"]),
            int(r["si_months_local"]),
            r["residence_since"],
            stamp,
            str(r["residence_region"]) if district else None,
        )
        for r in rows.iter_rows(named=True)
    ]
    unassessed = int(rows.filter(pl.col("low") != pl.col("high")).height)
    return candidates, unassessed
