"""A planner's own standards and an analyst's own population, read by the tables reader and used by the plan."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from changzhu.cli.main import app
from changzhu.data.census import census_2020
from changzhu.planning.errors import PlanningInputError
from changzhu.planning.gaps import compute_gaps
from changzhu.planning.population import with_population
from changzhu.planning.standards import load_standards, service_catalog
from changzhu.tables import TableRejected, read_table
from changzhu.tables.kinds import population_schema, standard_schema

STANDARDS = (
    "地区,服务,标准值,单位成本,起始日期,依据,已核实\n"
    "深圳市,医疗卫生机构床位,4.5,,2020年1月1日,深圳市医疗卫生设施布局规划 第3条,是\n"
    "440300,hospital_beds,,1300000,2020-01-01,深圳市造价指标,否\n"
)


def _standards(tmp_path: Path) -> pl.DataFrame:
    path = tmp_path / "标准.csv"
    path.write_bytes(STANDARDS.encode("gbk"))
    return read_table(path, standard_schema(service_catalog(load_standards()))).frame


def test_a_standards_table_gives_a_city_its_own_dated_values(tmp_path: Path) -> None:
    table = _standards(tmp_path)
    assert table.height == 2 and table["verified"].to_list() == [True, False]
    gaps = compute_gaps("prefecture", as_of=date(2020, 11, 1), standards=load_standards(local=table))
    beds = gaps.filter(pl.col("service") == "hospital_beds", pl.col("basis") == "resident")
    shenzhen = beds.filter(pl.col("region_code") == "440300").row(0, named=True)
    assert shenzhen["standard_value"] == 4.5 and shenzhen["unit_cost_yuan"] == 1_300_000
    assert shenzhen["standard_source"].startswith("深圳市医疗卫生设施布局规划")
    guangzhou = beds.filter(pl.col("region_code") == "440100").row(0, named=True)
    assert guangzhou["standard_value"] != 4.5


def test_a_standards_row_without_any_value_is_rejected_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(STANDARDS + "440300,hospital_beds,,,2022-01-01,x,否\n", encoding="utf-8")
    with pytest.raises(TableRejected) as info:
        read_table(path, standard_schema(service_catalog(load_standards())))
    assert info.value.report().select("row", "column").rows() == [(4, "标准值")]


def test_a_scenario_population_replaces_the_census_and_the_levels_still_add_up() -> None:
    census = census_2020()
    old_sz = census.prefectures.filter(pl.col("code") == "440300").row(0, named=True)
    rows = pl.DataFrame({"region_code": ["440300"], "pop_resident": [old_sz["pop_resident_2020"] + 1_000_000.0]})
    population = rows.with_columns(
        pl.lit(None, pl.Float64).alias(c)
        for c in ("pop_age_0_4", "pop_age_5_14", "pop_age_0_14", "pop_age_65plus", "interprov_in_migrants")
    )
    changed = with_population(population, census)
    new_sz = changed.prefectures.filter(pl.col("code") == "440300").row(0, named=True)
    assert new_sz["pop_resident_2020"] == old_sz["pop_resident_2020"] + 1_000_000
    share = old_sz["pop_age_65plus_2020"] / old_sz["pop_resident_2020"]
    assert new_sz["pop_age_65plus_2020"] == pytest.approx(share * new_sz["pop_resident_2020"], abs=1)
    province = changed.provinces.filter(pl.col("code") == "440000")["pop_resident_2020"].item()
    before = census.provinces.filter(pl.col("code") == "440000")["pop_resident_2020"].item()
    assert province == before + 1_000_000
    counties = changed.counties.filter(pl.col("prefecture_code") == "440300")["pop_resident_2020"].sum()
    assert counties == pytest.approx(new_sz["pop_resident_2020"], abs=20)
    assert changed.prefectures.filter(pl.col("code") == "440100").equals(
        census.prefectures.filter(pl.col("code") == "440100")
    )
    more = compute_gaps("province", census=changed).filter(pl.col("region_code") == "440000")
    less = compute_gaps("province").filter(pl.col("region_code") == "440000")
    assert (more["demand"] > less["demand"]).all()


def test_a_population_of_mixed_levels_is_refused() -> None:
    rows = pl.DataFrame({"region_code": ["440000", "440300"], "pop_resident": [1.0, 1.0]})
    with pytest.raises(PlanningInputError, match="one level"):
        with_population(rows)


def test_plan_takes_a_standards_table_and_a_population_file(tmp_path: Path) -> None:
    standards = tmp_path / "standards.xlsx"
    _standards(tmp_path).with_columns(pl.col(pl.Enum).cast(pl.String)).write_excel(standards)
    population = tmp_path / "人口.csv"
    population.write_text("地区,常住人口\n广东省,130000000\n", encoding="utf-8")
    assert read_table(population, population_schema()).frame["region_code"].to_list() == ["440000"]
    out = tmp_path / "out"
    ran = CliRunner().invoke(
        app,
        [
            "plan",
            "--out",
            str(out),
            "--years",
            "5",
            "--p",
            "3",
            "--standards",
            str(standards),
            "--population",
            str(population),
        ],
    )
    assert ran.exit_code == 0, ran.output
    gaps = pl.read_parquet(out / "planning" / "gaps_province.parquet")
    guangdong = gaps.filter(pl.col("region_code") == "440000", pl.col("basis") == "resident")
    beds = guangdong.filter(pl.col("service") == "hospital_beds").row(0, named=True)
    assert beds["population"] == 130_000_000 and "scenario population" in beds["population_note"]


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".parquet"])
def test_the_census_population_a_planner_exports_reads_back_as_a_scenario_population(
    suffix: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`changzhu population --level prefecture --out 人口.xlsx`, Shenzhen's residents raised, then `changzhu plan
    --population 人口.xlsx`: the file headed by the census fields (code, pop_resident_2020,
    interprov_in_migrants_2020) was refused whole as mistyped headers. It reads back: as exported, the census itself;
    edited, Shenzhen's new count; the columns of its own (names, shares) are left out and named."""
    monkeypatch.setenv("CHANGZHU_DATABASE_URL", f"sqlite:///{tmp_path / 'db.sqlite3'}")
    assert CliRunner().invoke(app, ["db", "load"]).exit_code == 0
    exported = tmp_path / f"人口{suffix}"
    ran = CliRunner().invoke(app, ["population", "--level", "prefecture", "--out", str(exported)])
    assert ran.exit_code == 0, ran.output
    read = read_table(exported, population_schema())
    assert set(read.ignored) == {"name_zh", "name_en", "renhu_fenli_2020", "renhu_fenli_share"} | {
        "interprov_in_migrants_share"
    }
    census = census_2020()
    as_census = with_population(read.frame, census)
    for level in ("provinces", "prefectures", "counties"):
        assert getattr(as_census, level)["pop_resident_2020"].equals(getattr(census, level)["pop_resident_2020"])
    raised = read.frame.with_columns(
        pl.when(pl.col("region_code") == "440300")
        .then(pl.col("pop_resident") + 1_000_000)
        .otherwise(pl.col("pop_resident"))
        .alias("pop_resident")
    )
    edited = tmp_path / f"人口_改{suffix}"
    headed = raised.rename({"region_code": "code", "pop_resident": "pop_resident_2020"})
    {".csv": headed.write_csv, ".xlsx": headed.write_excel, ".parquet": headed.write_parquet}[suffix](edited)
    changed = with_population(read_table(edited, population_schema()).frame, census)
    shenzhen = changed.prefectures.filter(pl.col("code") == "440300")["pop_resident_2020"].item()
    assert shenzhen == census.prefectures.filter(pl.col("code") == "440300")["pop_resident_2020"].item() + 1_000_000
