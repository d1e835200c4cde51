from pathlib import Path

import polars as pl
from typer.testing import CliRunner

from changzhu.cli.main import app


def test_plan_writes_tables_and_report(tmp_path: Path) -> None:
    export = tmp_path / "printed.xlsx"
    result = CliRunner().invoke(
        app, ["plan", "--out", str(tmp_path), "--years", "5", "--p", "5", "--export", str(export)]
    )
    assert result.exit_code == 0, result.output
    assert pl.read_excel(export, sheet_name="sites").height >= 1  # the printed tables, one sheet each
    assert set(pl.read_excel(export, sheet_name="shortage")["service"]) == {"hospital_beds", "primary_school_places"}
    gaps = pl.read_parquet(tmp_path / "planning" / "gaps_province.parquet")
    assert set(gaps["basis"].unique().to_list()) == {"local_hukou_resident", "resident"}
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "按常住人口规划公共服务" in html and "在哪里建" in html  # Chinese by default
