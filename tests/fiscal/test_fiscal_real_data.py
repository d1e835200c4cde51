"""The fiscal job on the real 2020 census: population bases, and `changzhu fiscal` end to end."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl
import pytest

from changzhu.cli.main import error_text
from changzhu.data.census import CENSUS_DAY, census_2020
from changzhu.domain.lang import Lang
from changzhu.fiscal.errors import FiscalError
from changzhu.fiscal.parameters import fiscal_parameters
from changzhu.fiscal.population import province_bases
from changzhu.fiscal.run import compute_fiscal
from changzhu.planning.gaps import compute_gaps
from changzhu.planning.standards import load_standards, unit_costs_cited
from cli_support import run_changzhu


def test_registered_estimate_keeps_the_national_total() -> None:
    provinces = census_2020().provinces
    bases, od = province_bases(provinces)
    assert bases["registered_est"].sum() == pytest.approx(bases["resident"].sum(), rel=1e-12)
    assert od["migrants_est"].sum() == pytest.approx(float(provinces["interprov_in_migrants_2020"].sum()))
    guangdong = bases.filter(pl.col("region_code") == "440000").row(0, named=True)
    assert guangdong["registered_est"] < guangdong["resident"]  # the largest inflow province


def assert_money_conserves(folder: Path, fund: int) -> None:
    """On the shipped data every allocation of the fund adds up to it to the yuan, each province's transfer is the sum
    of its three terms, and each cost is the sum of the parties' shares."""
    transfers = pl.read_parquet(folder / "transfers.parquet")
    terms = pl.sum_horizontal("population_term_yuan", "migrant_term_yuan", "incentive_term_yuan")
    assert transfers.height == 31 and (transfers["transfer_yuan"] == transfers.select(terms).to_series()).all()
    assert transfers["transfer_yuan"].sum() == fund
    for term in ("population_term_yuan", "migrant_term_yuan", "incentive_term_yuan"):
        assert transfers[term].min() >= 0, term
    comparison = pl.read_parquet(folder / "transfers_by_basis.parquet")
    assert (
        comparison["transfer_registered_basis_yuan"].sum() == comparison["transfer_resident_basis_yuan"].sum() == fund
    )
    assert comparison["difference_yuan"].sum() == 0
    splits = pl.read_parquet(folder / "allocation_by_region.parquet")
    assert splits.height == 31
    for column in ("lp_yuan", "per_registered_head_yuan", "per_resident_head_yuan"):
        assert splits[column].sum() == fund, column
    cells = pl.read_parquet(folder / "allocation_lp.parquet")
    assert cells["allocated_yuan"].sum() == fund
    lp_by_region = cells.group_by("region_code").agg(pl.col("allocated_yuan").sum())
    assert dict(lp_by_region.rows()) == dict(splits.select("region_code", "lp_yuan").rows())
    shared = pl.read_parquet(folder / "cost_sharing.parquet")
    parties = ("central", "province", "inflow_city", "outflow_city", "employer", "individual")
    total = shared.select(pl.sum_horizontal(*(f"{p}_yuan" for p in parties))).to_series()
    assert ((total - shared["cost_yuan"]).abs() <= 1e-6 * shared["cost_yuan"].abs().max()).all()


def test_changzhu_fiscal_end_to_end(tmp_path: Path) -> None:
    redemptions = tmp_path / "redemptions.csv"
    redemptions.write_text("issuing_region,providing_region,amount_yuan\n410000,440000,120.5\n440000,410000,20\n")
    out = str(tmp_path / "out")
    result = run_changzhu("fiscal", "--out", out, "--redemptions", str(redemptions), "--lang", "zh", timeout=300)
    assert result.returncode == 0, result.stderr
    folder = tmp_path / "out" / "fiscal"
    comparison = pl.read_parquet(folder / "transfers_by_basis.parquet")
    assert comparison.height == 31
    assert comparison["transfer_resident_basis_yuan"].sum() == comparison["transfer_registered_basis_yuan"].sum()
    assert comparison.filter(pl.col("region_code") == "440000")["difference_yuan"][0] > 0
    equity = pl.read_parquet(folder / "equity.parquet")
    assert equity.height == 3 and (equity["total_yuan"] == equity["total_yuan"][0]).all()
    assert_money_conserves(folder, fiscal_parameters(date.today()).fund_yuan)
    assert pl.read_csv(
        folder / "voucher_clearing_bilateral.csv",
        schema_overrides={"payer_region": pl.String, "payee_region": pl.String},
    ).rows() == [("410000", "440000", 100.5)]
    # every CSV opens in Excel with its Chinese names: UTF-8 with the BOM (without it Excel reads the file as GBK)
    csvs = sorted(folder.glob("*.csv"))
    assert len(csvs) == 13 and [p.name for p in csvs if not p.read_bytes().startswith(b"\xef\xbb\xbf")] == []
    assert "广东省" in (folder / "transfers_by_basis.csv").read_text(encoding="utf-8-sig")
    report = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert "人地钱挂钩" in report and "户籍口径与常住口径" in report  # in --lang
    assert '"type":"sankey"' in report


def test_changzhu_fiscal_bad_fund_is_one_line(tmp_path: Path) -> None:
    result = run_changzhu("fiscal", "--out", str(tmp_path), "--fund-yuan", "-5")
    assert result.returncode == 1
    assert 'the fiscal parameter "Size of the central transfer fund" must not be negative' in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "fiscal").exists()


def test_a_bad_redemptions_file_is_refused_in_the_chosen_language(tmp_path: Path) -> None:
    """A redemptions file without its amount column: the one error line is a coded reason, in Chinese under
    CHANGZHU_LANG=zh and in English under CHANGZHU_LANG=en (docs/api.md, "Errors")."""
    redemptions = tmp_path / "redemptions.csv"
    redemptions.write_text("issuing_region,providing_region\n410000,440000\n", encoding="utf-8")
    args = ("fiscal", "--out", str(tmp_path / "out"), "--redemptions", str(redemptions))
    chinese = run_changzhu(*args, lang="zh")
    assert chinese.returncode == 1, chinese.stderr
    assert chinese.stderr.strip() == "错误：服务券兑付记录缺少列：金额（元）"
    english = run_changzhu(*args)
    assert english.returncode == 1 and english.stderr.strip() == "error: redemptions lack column(s): amount (yuan)"
    assert not (tmp_path / "out" / "fiscal").exists()


def test_a_province_the_gaps_leave_out_is_not_given_zero_by_the_lp() -> None:
    """Gaps without Tibet: the LP never saw it, so its allocation is unknown; it was shown as 0 yuan next to the
    simple splits' figures (and the LP's max/min per resident became infinite)."""
    gaps = compute_gaps(level="province").filter(pl.col("region_code") != "540000")
    costs = unit_costs_cited(load_standards(), CENSUS_DAY)
    with pytest.raises(FiscalError, match=r"no row for 1 region\(s\): 540000;") as e:
        compute_fiscal(census_2020().provinces, gaps, fiscal_parameters(date(2026, 12, 3)), costs)
    # told to a person with the province's name, in Chinese or English (docs/fiscal.md)
    assert error_text(e.value, Lang.ZH) == (
        "服务缺口表没有以下 1 个地区的行：西藏自治区（540000）；预算分配无法与简单分法相比较"
    )
    assert error_text(e.value, Lang.EN) == (  # as the Chinese says it (was "the service gaps have no row …")
        "the service gaps table has no row for 1 region(s): Tibet (Xizang) (540000); the budget allocation cannot be"
        " compared with the simple splits"
    )
