"""`changzhu validate`: the table, its sources and tolerances, the exit code, the CSV and the report section."""

from __future__ import annotations

import re
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from changzhu.cli.main import app
from changzhu.data.census import CENSUS_DAY, census_2020
from changzhu.simulation.means_test import dibao_model
from changzhu.validation import official as off
from changzhu.validation.checks import Check, calibrated_takeup, census_checks

SAMPLE = "0.0002"  # tests/conftest.py's VALIDATION_SAMPLE: the session's shared figures are the same sample's


def test_status_follows_the_tolerance() -> None:
    inside = Check("x", "x", "x", 104.0, off.Official(100.0, "persons", "d", "t", 2020, "", True), 0.05, "m")
    outside = Check("x", "x", "x", 106.0, off.Official(100.0, "persons", "d", "t", 2020, "", True), 0.05, "m")
    unknown = Check("x", "x", "x", None, off.Official(100.0, "persons", "d", "t", 2020, "", True), 0.05, "m")
    other = Check("x", "x", "x", 160.0, off.Official(100.0, "persons", "d", "t", 2020, "", True), 0.05, "m", "r", False)
    assert (inside.status, outside.status, unknown.status) == ("ok", "out_of_range", "no_estimate")
    assert other.status == "definition_differs"  # a different count is never shown as within tolerance
    assert outside.ratio == pytest.approx(1.06)
    fitted = Check(
        "x", "x", "x", 104.0, off.Official(100.0, "persons", "d", "t", 2020, "", True), 0.05, "m", calibrated=True
    )
    assert fitted.status == "calibrated"  # a calibration target is shown as one, not as an independent "ok"


def test_stored_takeup_is_the_calibration_of_the_current_model() -> None:
    """simulation.dibao.takeup_* say how they were calibrated; recomputing it must give them (else recalibrate)."""
    urban, rural = calibrated_takeup(float(SAMPLE))
    model = dibao_model(CENSUS_DAY)
    assert model.takeup_rural == pytest.approx(rural, rel=0.05)
    assert model.takeup_urban == pytest.approx(min(urban, 1.0), rel=0.05)


def test_census_figures_match_the_communique() -> None:
    checks = {c.key: c for c in census_checks(census_2020())}
    assert checks["renhu_fenli"].produced == 492_762_506
    assert checks["kuasheng"].produced == 124_837_153
    assert checks["urban_rate"].status == "ok"
    gap = checks["urbanisation_gap"]
    assert gap.produced == pytest.approx((63.89 - 45.4) / 100 * 1_411_778_724)
    assert gap.status == "ok"  # 黄燕芬 (2026)'s 约2.5亿 is the urbanisation gap, within 10 %
    for check in checks.values():  # a reader sees the source itself, never the project's own "seed" numbering
        assert "seed" not in f"{check.official.document} {check.method}", check.key


def test_validate_command_prints_the_table_and_exits_one_when_a_figure_is_out(
    tmp_path: Path, validation_figures: tuple[list[Check], pl.DataFrame]
) -> None:
    result = CliRunner().invoke(app, ["validate", "--sample", SAMPLE, "--lang", "en", "--out", str(tmp_path)])
    table = pl.read_csv(tmp_path / "validation.csv")
    rows = {r["key"]: r for r in table.iter_rows(named=True)}
    shared, shared_fit = validation_figures  # computed in another process: same sample and seed, same figures
    assert {c.key: c.produced for c in shared} == pytest.approx({k: r["changzhu"] for k, r in rows.items()})
    out = [k for k, r in rows.items() if r["status"] == "out_of_range"]
    fit = pl.read_csv(tmp_path / "validation_fit.csv")
    assert fit["pct_rmse"].to_list() == pytest.approx(shared_fit["pct_rmse"].to_list())
    assert result.exit_code == (1 if out or (fit["status"] == "out_of_range").any() else 0)
    assert "Living away from hukou township" in result.output and "492,762,506" in result.output
    for key in (
        "renhu_fenli",
        "shixiaqu_renhu",
        "liudong",
        "kuasheng",
        "urban_rate",
        "hukou_urban_rate",
        "urbanisation_gap",
        "beds_per_1000",
        "dibao_urban",
        "dibao_rural",
        "dibao_simulation",
        "suiqian",
        "suiqian_simulation",
        "settlement",
    ):
        assert key in rows
        assert rows[key]["source"] and rows[key]["source_year"] >= 2019
    for key in [*out, *(k for k, r in rows.items() if r["status"] == "definition_differs")]:
        assert rows[key]["reason"], f"{key} is out of range without a reason"
    assert {rows["shixiaqu_renhu"]["status"], rows["liudong"]["status"]} == {"definition_differs"}
    # the simulation's own 低保 count (rules on the means-tested income, then take-up) against all recipients
    assert rows["dibao_simulation"]["official"] == 8_051_000 + 36_208_000
    assert "take-up" in rows["dibao_simulation"]["method"] and "asset test" in rows["dibao_simulation"]["method"]
    assert rows["dibao_simulation"]["status"] in ("ok", "out_of_range")
    assert rows["dibao_rural"]["status"] in ("calibrated", "out_of_range")  # never "ok": its take-up was fitted to it
    assert "calibrated" in rows["dibao_rural"]["method"]
    assert rows["dibao_urban"]["status"] in ("calibrated", "out_of_range")  # its take-up was fitted to it too
    assert "calibrated" in rows["dibao_urban"]["method"]
    assert rows["settlement"]["status"] == "no_estimate" and rows["settlement"]["changzhu"] is None
    # the simulation's 随迁子女义务教育 row (migrant children only), against the Ministry's figure, with its link
    migrant = rows["suiqian_simulation"]
    assert migrant["status"] == "definition_differs" and migrant["method"].startswith("estimate:")
    assert migrant["official"] == 14_297_300 and migrant["source_url"].startswith("https://www.moe.gov.cn/")
    assert 0.5 < migrant["ratio"] < 3  # the same order as the Ministry's, not every child (175 M: a ratio of 12)
    assert rows["dibao_urban"]["source_verified"] is False  # not read here: the table says so
    assert set(fit["level"]) == {"prefecture", "province", "national", "county"}
    prefecture = fit.filter(pl.col("level") == "prefecture")
    assert (prefecture["pct_rmse"] <= prefecture["tolerance_pct_rmse"]).all()
    report = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "Validation against official figures" in report and "PopulationSim" in report
    assert "tid=3379 (a copy; the official text is at stats.gov.cn)" in report  # a mirror says it is one
    assert rows["renhu_fenli"]["source_url"].endswith("tid=3379")  # the link alone, its note in its own column
    assert rows["renhu_fenli"]["source_url_note"] == "a copy; the official text is at stats.gov.cn"


def test_validate_in_chinese_uses_wan_and_yi(
    tmp_path: Path, validation_figures: tuple[list[Check], pl.DataFrame]
) -> None:
    result = CliRunner().invoke(app, ["validate", "--sample", SAMPLE, "--out", str(tmp_path), "--lang", "zh"])
    assert "人户分离人口" in result.output and "4.93亿" in result.output
    rows = pl.read_csv(tmp_path / "validation.csv").iter_rows(named=True)
    produced = {c.key: c.produced for c in validation_figures[0]}  # the language changes no figure
    assert {r["key"]: r["changzhu"] for r in rows} == pytest.approx(produced)
    report = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "数字核对" in report and "未核实" in report
    # what a link is, in Chinese on the Chinese page (it read "(mirror; official text at stats.gov.cn)")
    assert "tid=3379（转载，原文见国家统计局网站 stats.gov.cn）" in report and "(mirror;" not in report
    assert "（《人民日报》对该公报的报道）" in report and "report of the bulletin" not in report


def test_each_official_figures_citation_reads_in_chinese() -> None:
    """A citation of a Chinese bulletin is Chinese, punctuated full-width: until 2026-12-04 the Chinese report read
    "2020年民政事业发展统计公报 (民政部), 社会救助 section" and "一、城乡人口, note [4] (公安部)"."""
    figures = [v for v in vars(off).values() if isinstance(v, off.Official)]
    assert len(figures) > 10
    cjk = "\u3000-\u303f\u4e00-\u9fff\uff00-\uffef"
    half_width = re.compile(rf"[{cjk}] ?[(),:;]|[(),:;] ?[{cjk}]")
    for figure in figures:
        for text in (figure.document, figure.table):
            assert not half_width.search(text), text
            assert not re.search("[A-Za-z]{2,}", text), text
