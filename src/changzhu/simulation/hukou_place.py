"""Who lives away from their hukou place, for the services named after migrants' children (随迁子女).

The rules decide 随迁子女义务教育 and 随迁子女流入地中考 for every child of the age: a child with local hukou is
eligible by hukou. The simulation's row under the service's name counts only the eligible children registered in
another county or province (the Ministry of Education's 进城务工人员随迁子女 are registered 外省 or 本省外县), and a
second row, `<service>_any_hukou`, counts every eligible child whatever the hukou, as the rules decide.

A person's hukou place is read from `hukou_status` (the census's four classes; `same_county` is registered in the
county where one lives, another township: not 随迁), or, in a population without that column, from
`hukou_region` against `residence_region` (another city: away; the same city: undetermined, its county unknown).
An unknown hukou place is undetermined, never local.
"""

from __future__ import annotations

import polars as pl

from changzhu.domain.services import ANY_HUKOU_ROWS

# hukou registered in another county of the province or in another province (the census's 外县 and 外省)
AWAY_STATUSES = ("other_county_same_province", "other_province")
# services whose row counts children away from their hukou place -> the row counting every eligible child
MIGRANT_CHILD_SERVICES: dict[str, str] = {service.value: row for service, row in ANY_HUKOU_ROWS.items()}


def migrant_expr(columns: list[str]) -> tuple[pl.Expr, pl.Expr]:
    """(away from the hukou place for certain, hukou place unknown) of each person of a frame of `columns`."""
    if "hukou_status" in columns:
        status = pl.col("hukou_status").cast(pl.String)
        return status.is_in(AWAY_STATUSES).fill_null(False), status.is_null()
    if "hukou_region" in columns and "residence_region" in columns:
        other_city = pl.col("hukou_region") != pl.col("residence_region")
        return other_city.fill_null(False), other_city.is_null() | ~other_city
    return pl.lit(False), pl.lit(True)


def migrant_children(
    eligible: pl.Series, undetermined: pl.Series, away: pl.Series, unknown: pl.Series
) -> tuple[pl.Series, pl.Series]:
    """(eligible, undetermined) of the row counting children away from their hukou place: eligible and away for
    certain; undetermined where the decision is (unless the child is known to be registered here) or where an
    eligible child's hukou place is unknown."""
    registered_here = ~away & ~unknown
    return (eligible & away).alias("eligible"), ((undetermined & ~registered_here) | (eligible & unknown)).alias(
        "undetermined"
    )
