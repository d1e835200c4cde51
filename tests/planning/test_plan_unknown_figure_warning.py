"""`changzhu plan` with the census missing a figure the migration estimate needs (广东's in-migrants): the region
left out is said on the plan's warning line in its language, not as Python's raw `…: UserWarning: …` line."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

import changzhu.planning.migration as migration
from changzhu.cli.main import app
from changzhu.geography import population_bases


def _guangdong_in_migrants_unknown(frame: pl.DataFrame, *args: object) -> object:
    """The census table with 广东's in-migrants unknown, through the real estimate."""
    unknown = pl.when(pl.col("code") == "440000").then(None).otherwise(pl.col("interprov_in_migrants_2020"))
    return population_bases(frame.with_columns(unknown.alias("interprov_in_migrants_2020")), *args)  # type: ignore[arg-type]


def test_plan_says_a_region_left_out_of_the_flows_on_its_warning_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(migration, "population_bases", _guangdong_in_migrants_unknown)
    ran = CliRunner().invoke(app, ["plan", "--out", str(tmp_path), "--years", "5", "--p", "3", "--lang", "zh"])
    assert ran.exit_code == 0, ran.output
    said = "注意：以下地区所需的数字未知（不按 0 计），未纳入人口流动估算：广东省（440000）：跨省流入人口"
    assert said in "".join(ran.output.split()).replace("不按0计", "不按 0 计"), ran.output
    assert "UserWarning" not in ran.output and "left out of the migration estimate" not in ran.output
