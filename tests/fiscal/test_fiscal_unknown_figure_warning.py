"""A province left out of the migration estimate, a figure it needs unknown (geography.UnknownFigureWarning): `changzhu
fiscal` says so on its warning line in the command's language, not as Python's raw `…: UserWarning: …` line."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

import changzhu.fiscal.population as fiscal_population
from changzhu.cli.main import app
from changzhu.geography import population_bases


def _guangdong_in_migrants_unknown(frame: pl.DataFrame, *args: object) -> object:
    """The census province table as a population file missing 广东's in-migrants, through the real estimate."""
    unknown = pl.when(pl.col("code") == "440000").then(None).otherwise(pl.col("interprov_in_migrants_2020"))
    return population_bases(frame.with_columns(unknown.alias("interprov_in_migrants_2020")), *args)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("lang", "said", "not_said"),
    [
        (
            "zh",
            "注意：以下地区所需的数字未知（不按 0 计），未纳入人口流动估算：广东省（440000）：跨省流入人口",
            "left out",
        ),
        (
            "en",
            "warning: left out of the migration estimate, a figure it needs being unknown (not taken as zero):"
            " 广东省 (440000): inter-provincial in-migrants",
            "未纳入",
        ),
    ],
)
def test_a_figure_unknown_is_said_on_the_warning_line_in_the_command_s_language(
    lang: str, said: str, not_said: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(fiscal_population, "population_bases", _guangdong_in_migrants_unknown)
    ran = CliRunner().invoke(app, ["fiscal", "--out", str(tmp_path), "--lang", lang])
    assert ran.exit_code == 1, ran.output  # without 广东's bases there is no allocation: the warning says why
    output = " ".join(ran.output.split())
    assert said in output, ran.output
    assert "UserWarning" not in ran.output and "UnknownFigureWarning" not in ran.output
    assert not_said not in output, ran.output  # the other language's words: not said
