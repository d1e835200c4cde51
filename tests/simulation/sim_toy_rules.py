"""A small evaluator for the engine tests (the real one is changzhu.rules.evaluate).

School: children aged 6–14 whose hukou is local, or whose parent has lived in the city for at least
`school_years` years (3 by default; a scenario dict may lower it). Medical insurance: anyone with local
medical insurance months or a residence permit.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import polars as pl


def toy_evaluate(people: pl.DataFrame, on: date, scenario: Any) -> pl.DataFrame:
    """One row per person: person_id, eligible_compulsory_schooling, eligible_medical_insurance."""
    years = 3 if scenario is None else int(scenario["school_years"])
    age = (pl.lit(on) - pl.col("birth_date")).dt.total_days() / 365.25
    parents = people.select(pl.col("person_id").alias("parent_id"), pl.col("residence_since").alias("parent_since"))
    joined = people.join(parents, on="parent_id", how="left", maintain_order="left")
    parent_years = (pl.lit(on) - pl.col("parent_since")).dt.total_days() / 365.25
    local = pl.col("hukou_region") == pl.col("residence_region")
    return joined.select(
        "person_id",
        ((age >= 6) & (age < 15) & (local | (parent_years >= years).fill_null(False))).alias(
            "eligible_compulsory_schooling"
        ),
        ((pl.col("medical_months_local") > 0) | pl.col("residence_permit_since").is_not_null()).alias(
            "eligible_medical_insurance"
        ),
    )
