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
