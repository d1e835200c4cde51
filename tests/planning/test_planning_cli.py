from pathlib import Path

import polars as pl
from typer.testing import CliRunner

from changzhu.cli.main import app
from changzhu.cli.plan import _list_province


def test_plan_writes_tables_and_report(tmp_path: Path) -> None:
    export = tmp_path / "printed.xlsx"
    result = CliRunner().invoke(
        app,
        ["plan", "--out", str(tmp_path), "--years", "5", "--hospitals", "5", "--export", str(export), "--lang", "zh"],
    )
    assert result.exit_code == 0, result.output
    assert "在哪里建医院：广东省新增" in result.output  # no facility list: the default province, in Chinese
    # the printed tables, one sheet each, named in --lang (they were named replaced, shortage, sites in Chinese too)
    assert pl.read_excel(export, sheet_name="医院选址").height >= 1
    shortage = pl.read_excel(export, sheet_name="各省短缺合计")
    assert set(shortage["服务"]) == {"医院床位", "小学学位"}
    assert shortage["估算说明"].str.starts_with("估算").all()  # costs at planning unit costs, school-age scaled
    gaps = pl.read_parquet(tmp_path / "planning" / "gaps_province.parquet")
    assert set(gaps["basis"].unique().to_list()) == {"local_hukou_resident", "resident"}
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "按常住人口规划公共服务" in html and "在哪里建医院" in html  # in --lang
    assert "小学、初中的选址需要一份有坐标的学校清单" in html and "在哪里建小学" not in html  # no school list given
    # on a phone every table of the section is a card per row, each cell naming its column; costs say estimate
    assert html.count("<table class='data stack'>") == 3  # the gaps, the mega-towns, the hospitals' models
    assert "data-label='补齐缺口费用（常住，亿元，估算）'" in html and "单位成本为规划估算值" in html


def test_the_siting_example_follows_a_facility_list_that_lies_in_one_province() -> None:
    chengdu = pl.DataFrame({"region_code": ["510107", "510104", "510100"]})
    assert _list_province(chengdu) == "510000"
    assert _list_province(pl.concat([chengdu, pl.DataFrame({"region_code": ["440303"]})])) is None  # two provinces
    assert _list_province(None) is None


def test_plan_with_a_facility_list_names_its_regions_and_says_where_it_gives_the_supply(tmp_path: Path) -> None:
    listed = tmp_path / "医院清单.csv"
    listed.write_text(
        "facility_id,name,service,region_code,capacity\n"
        "h1,人民医院,床位,440303,3000\nh2,南山医院,床位,440305,2000\nh3,重名,床位,南山区,10\n",
        encoding="utf-8",
    )
    errors = tmp_path / "errors.csv"
    options = ["--lang", "en", "--facilities", str(listed), "--skip-bad-rows", "--errors", str(errors)]
    result = CliRunner().invoke(app, ["plan", "--out", str(tmp_path), "--years", "5", "--p", "5", *options])
    assert result.exit_code == 0, result.output
    (refused,) = pl.read_csv(errors).iter_rows(named=True)  # the ambiguous district: each option by city and code
    assert refused["reason"].endswith("(Nanshan District, Hegang (230404), Nanshan District, Shenzhen (440305))")
    assert refused["reason_zh"].endswith("（鹤岗市南山区（230404）、深圳市南山区（440305））")
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    note = "supply from an uploaded facility list, not the NBS statistics: "
    assert html.count(note + "Hospital beds in Shenzhen (440300)") == 1  # under the gaps' explanation, by service
    assert html.count(note + "Shenzhen (440300)") == 1  # and in the bed map's note on its data


def test_plan_with_a_school_list_says_where_to_build_schools(tmp_path: Path) -> None:
    """A 学校清单 with coordinates: primary-school siting from its schools, written beside the hospitals'; its row
    without a 坐标系 is named in a warning (read as WGS-84, never assumed silently)."""
    listed = tmp_path / "学校清单.csv"
    listed.write_text(
        "序号,学校名称,学段,所在区,经度,纬度,学位数,坐标系\n"
        "1,福田小学,小学,440304,114.0600,22.5385,1620,高德\n"
        "2,翠竹小学,小学,440303,114.126,22.564,1350,\n",
        encoding="utf-8",
    )
    options = ["--lang", "en", "--facilities", str(listed)]
    result = CliRunner().invoke(app, ["plan", "--out", str(tmp_path), "--years", "5", "--p", "3", *options])
    assert result.exit_code == 0, result.output
    assert "1 row gives coordinates without a coordinate system: read as WGS-84" in " ".join(result.output.split())
    folder = tmp_path / "planning"
    sites = pl.read_parquet(folder / "sites_primary_school_places.parquet")
    assert sites["region_code"].str.starts_with("44").all() and sites["p_median_site"].sum() == 3
    assert sites["estimate"][0].startswith("估算：建设前的每千名学龄儿童学位中")
    results = pl.read_parquet(folder / "location_results_primary_school_places.parquet")
    assert results["existing_sites"].to_list()[0] >= 2  # the two listed schools among the existing sites
    assert not (folder / "sites_junior_secondary_places.parquet").exists()  # the list has no junior schools
    html = (tmp_path / "report.html").read_text(encoding="utf-8")  # the report sites the schools beside hospitals
    assert "Where to build hospitals:" in html and "Where to build primary schools:" in html
    assert "Where to build junior secondary schools" not in html and "needs a school list" not in html
