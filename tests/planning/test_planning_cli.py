from pathlib import Path

import polars as pl
from typer.testing import CliRunner

from changzhu.cli.main import app


def test_plan_writes_tables_and_report(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["plan", "--out", str(tmp_path), "--years", "5", "--p", "5"])
    assert result.exit_code == 0, result.output
    gaps = pl.read_parquet(tmp_path / "planning" / "gaps_province.parquet")
    assert set(gaps["basis"].unique().to_list()) == {"registered", "resident"}
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "Planning by resident population" in html and "Proposed sites" in html
