from pathlib import Path

import polars as pl
from typer.testing import CliRunner

from changzhu.cli.main import app
from changzhu.cli.plan import _list_province


def test_plan_writes_tables_and_report(tmp_path: Path) -> None:
    export = tmp_path / "printed.xlsx"
    result = CliRunner().invoke(
        app, ["plan", "--out", str(tmp_path), "--years", "5", "--p", "5", "--export", str(export)]
    )
    assert result.exit_code == 0, result.output
    assert "Where to build in 广东省 Guangdong (440000)" in result.output  # no facility list: the default province
    assert pl.read_excel(export, sheet_name="sites").height >= 1  # the printed tables, one sheet each
    assert set(pl.read_excel(export, sheet_name="shortage")["service"]) == {"hospital_beds", "primary_school_places"}
    gaps = pl.read_parquet(tmp_path / "planning" / "gaps_province.parquet")
    assert set(gaps["basis"].unique().to_list()) == {"local_hukou_resident", "resident"}
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "按常住人口规划公共服务" in html and "在哪里建" in html  # Chinese by default


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
    assert refused["reason_zh"].endswith("（鹤岗市南山区 (230404)、深圳市南山区 (440305)）")
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    note = "supply from an uploaded facility list, not the NBS statistics: Shenzhen (440300)"
    assert html.count(note) == 2  # under the gaps' explanation, and in the bed map's note on its data
