from pathlib import Path

import polars as pl
import pytest

from changzhu.data.census import census_2020
from changzhu.fiscal.allocation import GAP_INPUT_COLUMNS
from changzhu.planning.gaps import compute_gaps, gaps_side_by_side
from changzhu.planning.standards import load_standards, service_catalog
from changzhu.tables import TableRejected, read_table
from changzhu.tables.kinds import facility_schema

CONTRACT = set(GAP_INPUT_COLUMNS)  # the columns the fiscal allocation reads


def test_province_gaps_trace_to_census_and_standard() -> None:
    gaps = compute_gaps()
    assert set(gaps.columns) >= CONTRACT
    gd = census_2020().provinces.filter(pl.col("code") == "440000").row(0, named=True)
    rows = {
        r["basis"]: r
        for r in gaps.filter((pl.col("region_code") == "440000") & (pl.col("service") == "hospital_beds")).iter_rows(
            named=True
        )
    }
    assert rows["resident"]["demand"] == pytest.approx(gd["pop_resident_2020"] * 6 / 1000)
    local = gd["pop_resident_2020"] - gd["interprov_in_migrants_2020"]
    assert rows["local_hukou_resident"]["demand"] == pytest.approx(local * 6 / 1000)
    assert rows["resident"]["supply"] == 545_196
    assert rows["resident"]["gap_cost_yuan"] == pytest.approx(max(rows["resident"]["gap"], 0) * 600_000)
    side = gaps_side_by_side(gaps)
    assert side.filter(pl.col("region_code") == "440000", pl.col("service") == "hospital_beds")[
        "gap_hidden_by_hukou_basis"
    ].item() == pytest.approx(gd["interprov_in_migrants_2020"] * 6 / 1000)


def test_county_supply_apportions_province_supply() -> None:
    county = compute_gaps("county")
    assert county["service"].n_unique() == 7
    totals = county.filter(pl.col("service") == "hospital_beds").group_by("basis").agg(pl.col("supply").sum())
    assert totals["supply"].to_list() == pytest.approx([8_806_956, 8_806_956])


def test_facility_list_replaces_supply(tmp_path: Path) -> None:
    path = tmp_path / "facilities.csv"
    path.write_text(
        "facility_id,name,service,region_code,capacity,lon,lat\n"
        "h1,A,hospital_beds,441900,1000,113.75,23.02\nh2,B,hospital_beds,441900,500,,\n",
        encoding="utf-8",
    )
    facilities = read_table(path, facility_schema(service_catalog(load_standards()))).frame
    gaps = compute_gaps("county", facilities=facilities)
    row = gaps.filter(
        pl.col("region_code") == "441900", pl.col("service") == "hospital_beds", pl.col("basis") == "resident"
    ).row(0, named=True)
    assert row["supply"] == 1500 and row["supply_source"] == "facility list"


def test_bad_facility_row_is_named(tmp_path: Path) -> None:
    path = tmp_path / "facilities.csv"
    path.write_text(
        "facility_id,name,service,region_code,capacity,lon,lat\nh1,A,clinics,441900,10,,\n", encoding="utf-8"
    )
    with pytest.raises(TableRejected, match=r'row 2 service "clinics": not one of hospital beds'):
        read_table(path, facility_schema(service_catalog(load_standards())))


def test_a_list_far_below_the_estimate_it_replaces_is_flagged(tmp_path: Path) -> None:
    """Dongguan's two hospitals (1,500 beds) replace an estimate of tens of thousands: warned, not refused;
    Zhongshan's list, larger than its estimate, is not."""
    from changzhu.planning.facilities import possibly_incomplete, replacement_summary

    path = tmp_path / "facilities.csv"
    path.write_text(
        "facility_id,name,service,region_code,capacity\nh1,A,床位,441900,1000\nh2,B,床位,441900,500\n"
        "h3,C,床位,442000,900000\n",
        encoding="utf-8",
    )
    facilities = read_table(path, facility_schema(service_catalog(load_standards()))).frame
    summary = replacement_summary(facilities, "prefecture", compute_gaps("prefecture"))
    shares = dict(zip(summary["region_code"], summary["list_share_of_estimate"], strict=True))
    estimate = summary.filter(pl.col("region_code") == "441900")["estimate_replaced"].item()
    assert shares["441900"] == pytest.approx(1500 / estimate) and shares["441900"] < 0.5 < shares["442000"]
    (warning,) = possibly_incomplete(summary)
    assert warning.startswith(f"441900 hospital_beds: the list holds {1500 / estimate:.1%} of the estimated supply")


def test_local_hukou_demand_says_where_it_is_an_estimate() -> None:
    """The local-hukou basis is exact only for a province's whole population: school-age demand on it (the age group
    scaled in proportion) and every local-hukou figure below the province are marked estimates, row and note."""
    province = compute_gaps("province").filter(pl.col("region_code") == "510000")
    flag = {(r["service"], r["basis"]): r for r in province.iter_rows(named=True)}
    school = flag[("primary_school_places", "local_hukou_resident")]
    assert school["demand_is_estimate"] and "估算" in school["population_note"]
    assert not flag[("hospital_beds", "local_hukou_resident")]["demand_is_estimate"]
    assert not any(r["demand_is_estimate"] for (_, basis), r in flag.items() if basis == "resident")
    cities = compute_gaps("prefecture").filter(pl.col("basis") == "local_hukou_resident")
    assert cities["demand_is_estimate"].all()
