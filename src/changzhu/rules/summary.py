"""Counts over an evaluate() result: how many people get each service, and where."""

from __future__ import annotations

import polars as pl

ELIGIBLE = "eligible_"
UNDETERMINED = "undetermined_"
POINTS = "points_"
RANGE_PREFIXES = ("points_low_", "points_high_")


def eligibility_summary(result: pl.DataFrame) -> pl.DataFrame:
    """One row per service: people eligible, their share and people undetermined (a missing input could change the
    decision); one per points scheme: people scored, how many of them have a total still open (an indicator not
    assessed for want of a fact: their total is a range, `points_low_` to `points_high_`), and the mean and max of
    the totals that are final. An open total never enters the mean as if its unassessed items scored 0."""
    people = result.height
    services = [c for c in result.columns if c.startswith(ELIGIBLE)]
    rows: list[dict[str, object]] = []
    for c in services:
        eligible = int(result[c].sum())
        share = eligible / people if people else 0.0
        service = c.removeprefix(ELIGIBLE)
        unknown = result.get_column(UNDETERMINED + service) if UNDETERMINED + service in result.columns else None
        rows.append(
            {
                "output": service,
                "people": people,
                "eligible": eligible,
                "eligible_share": share,
                "undetermined": int(unknown.sum()) if unknown is not None else 0,
            }
        )
    for c in (c for c in result.columns if c.startswith(POINTS) and not c.startswith(RANGE_PREFIXES)):
        scheme = c.removeprefix(POINTS)
        scored = result.get_column(c).is_not_null()
        final = scored & _total_known(result, scheme)
        totals = result.get_column(c).filter(final).cast(pl.Float64).to_numpy()
        open_totals = int(scored.sum()) - totals.size
        if totals.size or open_totals:
            rows.append(
                {
                    "output": c,
                    "people": totals.size + open_totals,
                    "undetermined": open_totals,
                    "mean_points": float(totals.mean()) if totals.size else None,
                    "max_points": float(totals.max()) if totals.size else None,
                }
            )
    return pl.DataFrame(rows, schema=_SUMMARY_SCHEMA)


def _total_known(result: pl.DataFrame, scheme: str) -> pl.Series:
    """True where the scheme's total is final: its range is one number (no indicator left unassessed)."""
    low, high = (f"{prefix}{scheme}" for prefix in RANGE_PREFIXES)
    if low not in result.columns or high not in result.columns:
        return pl.repeat(True, result.height, dtype=pl.Boolean, eager=True)
    return (result.get_column(low) == result.get_column(high)).fill_null(False)


def eligibility_by_region(people: pl.DataFrame, result: pl.DataFrame, regions: pl.DataFrame) -> pl.DataFrame:
    """One row per residence region (most people first): residents in the table and, per service, how many are
    eligible for certain (`<service>`) and how many undetermined for want of a fact (`<service>_undetermined`), so
    that nobody whose decision is open is counted as not eligible.

    regions: code and name_zh of the prefectures (changzhu.data.regions.region_table()).
    """
    services = [c.removeprefix(ELIGIBLE) for c in result.columns if c.startswith(ELIGIBLE)]
    names = {f"{ELIGIBLE}{s}": s for s in services} | {f"{UNDETERMINED}{s}": f"{s}_undetermined" for s in services}
    counted = [
        column
        for service in services
        for column in (f"{ELIGIBLE}{service}", f"{UNDETERMINED}{service}")
        if column in result.columns
    ]
    joined = result.select("person_id", *counted).join(
        people.select("person_id", pl.col("residence_region").cast(pl.String)), on="person_id", how="left"
    )
    counts = joined.group_by("residence_region").agg(
        pl.len().alias("people"), *(pl.col(c).sum().alias(names[c]) for c in counted)
    )
    region_names = regions.select(pl.col("code").alias("residence_region"), "name_zh").unique("residence_region")
    return (
        counts.join(region_names, on="residence_region", how="left")
        .select("residence_region", "name_zh", "people", *(names[c] for c in counted))
        .sort(["people", "residence_region"], descending=[True, False])
    )


_SUMMARY_SCHEMA = {
    "output": pl.String,
    "people": pl.Int64,
    "eligible": pl.Int64,
    "eligible_share": pl.Float64,
    "undetermined": pl.Int64,
    "mean_points": pl.Float64,
    "max_points": pl.Float64,
}
