"""Monitoring of population flows (人口流动监测) from the registry's registration and move events.

Input: a polars frame with columns person_key, from_region, to_region, moved_on (date) and kind (as returned by
changzhu.registry.frames.moves_frame). Output: monthly in-, out- and net flows per region at a chosen level, and
an alert list of regions whose resident demand, grown by the recorded net inflow, outgrows capacity.
"""

from __future__ import annotations

import polars as pl

from changzhu.planning.errors import PlanningInputError
from changzhu.planning.facilities import region_at_level

EVENT_COLUMNS = ("person_key", "from_region", "to_region", "moved_on", "kind")


def _validate(events: pl.DataFrame) -> None:
    missing = [c for c in EVENT_COLUMNS if c not in events.columns]
    if missing:
        raise PlanningInputError(f"event frame is missing column(s) {', '.join(missing)}")
    if events.schema["moved_on"] != pl.Date:
        raise PlanningInputError(f"event column moved_on must be a date, got {events.schema['moved_on']}")
    bad = events.with_row_index("row").filter(
        pl.col("moved_on").is_null() | pl.col("to_region").is_null() | ~pl.col("to_region").str.contains(r"^\d{6}$")
    )
    if bad.height:
        row = bad.row(0, named=True)
        raise PlanningInputError(
            f"event row {row['row']} (person {row['person_key']}): needs a date and a six-digit to_region"
        )


def monthly_flows(events: pl.DataFrame, level: str = "province") -> pl.DataFrame:
    """region_code, month, inflow, outflow, net per region and month; moves inside one region do not count."""
    _validate(events)
    moves = events.with_columns(
        region_at_level(pl.col("to_region"), level).alias("dest"),
        region_at_level(pl.col("from_region"), level).alias("orig"),
        pl.col("moved_on").dt.truncate("1mo").alias("month"),
    ).filter(pl.col("orig").is_null() | (pl.col("orig") != pl.col("dest")))
    inflow = moves.group_by(pl.col("dest").alias("region_code"), "month").agg(pl.len().alias("inflow"))
    outflow = (
        moves.filter(pl.col("orig").is_not_null())
        .group_by(pl.col("orig").alias("region_code"), "month")
        .agg(pl.len().alias("outflow"))
    )
    return (
        inflow.join(outflow, on=["region_code", "month"], how="full", coalesce=True)
        .with_columns(pl.col("inflow").fill_null(0).cast(pl.Int64), pl.col("outflow").fill_null(0).cast(pl.Int64))
        .with_columns((pl.col("inflow") - pl.col("outflow")).alias("net"))
        .sort("region_code", "month")
    )


def capacity_alerts(flows: pl.DataFrame, gaps: pl.DataFrame, *, scale: float = 1.0) -> pl.DataFrame:
    """Regions and services where resident demand plus the recorded net inflow (× `scale`) exceeds supply.

    `scale` turns registry counts into people when the registry holds a sample (1 / sampling fraction).
    """
    net = flows.group_by("region_code").agg(pl.col("net").sum().alias("net_inflow"))
    resident = gaps.filter(pl.col("basis") == "resident")
    per_person = (pl.col("demand") / pl.col("population")).alias("per_person")
    return (
        resident.join(net, on="region_code", how="inner")
        .with_columns(per_person)
        .with_columns(
            (pl.col("demand") + pl.col("net_inflow") * scale * pl.col("per_person")).alias("demand_after_flows")
        )
        .with_columns((pl.col("demand_after_flows") - pl.col("supply")).alias("gap_after_flows"))
        .filter((pl.col("net_inflow") > 0) & (pl.col("gap_after_flows") > 0))
        .select(
            "region_code",
            "region_name_zh",
            "service",
            "net_inflow",
            "demand",
            "demand_after_flows",
            "supply",
            "gap_after_flows",
        )
        .sort("gap_after_flows", descending=True)
    )
