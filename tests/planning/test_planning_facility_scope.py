"""A facility list replaces supply at its own level: a city's list that city only, a county's that county only."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import polars as pl
import pytest

from changzhu.domain.lang import Lang
from changzhu.planning import datasets
from changzhu.planning.errors import PlanningInputError
from changzhu.planning.gaps import compute_gaps
from changzhu.tables.places import reason_text

BEDS = pl.col("service") == "hospital_beds"


def _facilities(rows: list[tuple[str, float]]) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "facility_id": [f"f{i}" for i in range(len(rows))],
            "name": [f"医院{i}" for i in range(len(rows))],
            "service": ["hospital_beds"] * len(rows),
            "region_code": [code for code, _ in rows],
            "capacity": [cap for _, cap in rows],
            "lon": [None] * len(rows),
            "lat": [None] * len(rows),
        },
        schema_overrides={"lon": pl.Float64, "lat": pl.Float64},
    )


SHENZHEN = _facilities([("440303", 13_000.0), ("440304", 10_000.0)])  # two hospitals of one city


@cache
def _estimate(level: str) -> dict[str, float]:
    rows = compute_gaps(level).filter(BEDS, pl.col("basis") == "resident")
    return dict(zip(rows["region_code"].to_list(), rows["supply"].to_list(), strict=True))


def _supply(level: str, facilities: pl.DataFrame, scope: str | None = None) -> pl.DataFrame:
    return compute_gaps(level, facilities=facilities, facility_scope=scope).filter(BEDS, pl.col("basis") == "resident")


def _changed(level: str, merged: pl.DataFrame) -> dict[str, float]:
    before = _estimate(level)
    return {c: s for c, s in zip(merged["region_code"], merged["supply"], strict=True) if s != before[c]}


def test_a_city_list_replaces_that_city_only_and_the_province_keeps_the_rest() -> None:
    cities = _supply("prefecture", SHENZHEN)
    assert _changed("prefecture", cities) == {"440300": 23_000.0}
    assert cities.filter(pl.col("region_code") == "440300")["supply_source"][0] == "facility list"
    provinces = _supply("province", SHENZHEN)
    changed = _changed("province", provinces)
    assert list(changed) == ["440000"]
    assert changed["440000"] == pytest.approx(545_196 - _estimate("prefecture")["440300"] + 23_000)
    source = provinces.filter(pl.col("region_code") == "440000")["supply_source"][0]
    assert source == "facility list for 440300; estimate for the rest"
    # the province's figure is partly the apportioned estimate of the listed city: it says it is an estimate
    assert provinces.filter(pl.col("region_code") == "440000")["supply_is_estimate"][0] is True
    assert cities.filter(pl.col("region_code") == "440300")["supply_is_estimate"][0] is False
    counties = _supply("county", SHENZHEN)
    changed = _changed("county", counties)
    assert set(changed) <= {c for c in _estimate("county") if c.startswith("4403")}
    assert changed["440303"] == 13_000 and changed["440304"] == 10_000
    assert all(v == 0 for c, v in changed.items() if c not in ("440303", "440304"))  # the city's list is complete


def test_a_county_list_replaces_that_county_only() -> None:
    futian = _facilities([("440304", 10_000.0)])
    counties = _supply("county", futian, "county")
    assert _changed("county", counties) == {"440304": 10_000.0}
    cities = _supply("prefecture", futian, "county")
    expected = _estimate("prefecture")["440300"] - _estimate("county")["440304"] + 10_000
    assert _changed("prefecture", cities) == {"440300": pytest.approx(expected)}


def test_a_list_that_names_only_cities_keeps_the_county_estimates_and_says_so() -> None:
    city_totals = _facilities([("440300", 23_000.0)])
    counties = _supply("county", city_totals)
    assert _changed("county", counties) == {}
    sources = set(counties.filter(pl.col("region_code").str.starts_with("4403"))["supply_source"])
    assert sources == {
        "estimate: 2019 provincial supply apportioned by local-hukou residents (the facility list "
        "gives only the prefecture total)"
    }
    assert counties.filter(pl.col("region_code").str.starts_with("4403"))["supply_is_estimate"].all()
    with pytest.raises(PlanningInputError, match="coarser than a county") as info:
        _supply("county", city_totals, "county")
    assert info.value.refusal is not None
    assert reason_text(info.value.refusal, Lang.ZH) == "设施清单的范围为县级：地区 深圳市（440300）的层级高于县级"


def test_a_list_at_another_scope_in_the_province_is_refused_naming_the_stored_regions(tmp_path: Path) -> None:
    counties = _facilities([("440305", 100.0), ("440303", 50.0)])
    datasets.store_dataset(tmp_path, "facility", counties, datasets.key_regions(counties, "facility", "county"))
    city = datasets.key_regions(_facilities([("440304", 10.0)]), "facility", "prefecture")
    with pytest.raises(PlanningInputError) as info:
        datasets.check_compatible(tmp_path, "facility", city)
    assert info.value.refusal is not None
    assert reason_text(info.value.refusal, Lang.EN).startswith(
        "a facility list of another scope is stored for Luohu District, Shenzhen (440303),"
        " Nanshan District, Shenzhen (440305) in the same province"
    )
    assert reason_text(info.value.refusal, Lang.ZH).startswith(
        "同一省内已存储了另一范围的设施清单：深圳市罗湖区（440303）、深圳市南山区（440305）；"
    )
