from datetime import date

import polars as pl
import pytest

from changzhu.planning.errors import PlanningInputError
from changzhu.planning.gaps import compute_gaps
from changzhu.planning.monitoring import capacity_alerts, monthly_flows

SCHEMA = {
    "person_key": pl.String,
    "from_region": pl.String,
    "to_region": pl.String,
    "moved_on": pl.Date,
    "kind": pl.String,
}


def _events() -> pl.DataFrame:
    rows = [
        ("a", "411502", "441900", date(2024, 1, 5), "registration"),
        ("b", "411502", "441901", date(2024, 1, 20), "registration"),
        ("c", "440106", "441900", date(2024, 2, 1), "move"),  # inside Guangdong: not a provincial flow
        ("d", "441900", "410100", date(2024, 2, 3), "move"),
    ]
    return pl.DataFrame(rows, schema=SCHEMA, orient="row")


def test_monthly_flows_by_province() -> None:
    flows = monthly_flows(_events(), "province")
    gd = flows.filter(pl.col("region_code") == "440000").sort("month")
    assert gd["inflow"].to_list() == [2, 0] and gd["outflow"].to_list() == [0, 1]
    henan_jan = flows.filter(pl.col("region_code") == "410000", pl.col("month") == date(2024, 1, 1))
    assert henan_jan["outflow"].item() == 2


def test_alerts_for_regions_outgrowing_capacity() -> None:
    alerts = capacity_alerts(monthly_flows(_events()), compute_gaps(), scale=1_000_000)
    assert ("440000", "hospital_beds") in set(zip(alerts["region_code"], alerts["service"], strict=True))
    assert (alerts["gap_after_flows"] > 0).all()


def test_bad_event_frame_is_named() -> None:
    bad = _events().with_columns(pl.lit(None, dtype=pl.String).alias("to_region"))
    with pytest.raises(PlanningInputError, match="event row 0"):
        monthly_flows(bad)
    with pytest.raises(PlanningInputError, match="missing column"):
        monthly_flows(_events().drop("kind"))
