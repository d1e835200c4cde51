"""The fiscal job on real data: transfers on both bases, LP allocation vs simple splits, cost sharing, flows."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import polars as pl

from changzhu.domain.estimates import GRAVITY, labelled, settlement_assumed, shortage_cost, yearly_cost
from changzhu.domain.refusals import RefusalCode, refusal
from changzhu.fiscal.allocation import Allocation, allocate_budget, greedy_unmet
from changzhu.fiscal.apportion import apportion
from changzhu.fiscal.cost_sharing import compensation_flows, net_flows, share_costs
from changzhu.fiscal.equity import equity_table
from changzhu.fiscal.errors import FiscalError
from changzhu.fiscal.parameters import FiscalParameters
from changzhu.fiscal.population import province_bases
from changzhu.fiscal.transfers import allocate_transfers, compare_bases

SPLIT_REGISTERED = "per registered head (户籍人口, est.)"
SPLIT_RESIDENT = "per resident head (常住人口)"
SPLIT_LP = "LP: min weighted unmet need (HiGHS)"
PER_REGISTERED = ("按户籍人口平均分配", "split per registered head")  # the simple splits as their errors name them
PER_RESIDENT = ("按常住人口平均分配", "split per resident head")


@dataclass(frozen=True)
class FiscalResults:
    """Every table the fiscal job produces, with the scheme it used."""

    params: FiscalParameters
    bases: pl.DataFrame
    od: pl.DataFrame
    transfers: pl.DataFrame
    comparison: pl.DataFrame
    allocation: Allocation
    splits: pl.DataFrame
    equity: pl.DataFrame
    shared_costs: pl.DataFrame
    gross_flows: pl.DataFrame
    net_flows: pl.DataFrame


def simple_splits(bases: pl.DataFrame, allocation: Allocation, fund_yuan: int) -> pl.DataFrame:
    """The LP's region totals next to the per-registered-head and per-resident-head splits of the same fund."""
    regions = bases.join(allocation.regions.select("region_code", "allocated_yuan"), on="region_code", how="left")
    # a province the gaps do not cover was not in the LP: its allocation is unknown, not 0 (as it was before
    # 2026-12-04, which made the LP's lowest amount per resident 0 and its max/min ratio infinite)
    left_out = regions.filter(pl.col("allocated_yuan").is_null())
    if left_out.height:
        codes = tuple(left_out["region_code"].cast(pl.String).to_list())
        raise FiscalError(refusal(RefusalCode.FISCAL_GAPS_REGIONS_MISSING, count=left_out.height, regions=codes))
    return regions.select(
        "region_code",
        "region_name_zh",
        "resident",
        "registered_est",
        pl.col("allocated_yuan").alias("lp_yuan"),
        pl.Series(
            "per_registered_head_yuan", apportion(fund_yuan, regions["registered_est"].to_numpy(), PER_REGISTERED)
        ),
        pl.Series("per_resident_head_yuan", apportion(fund_yuan, regions["resident"].to_numpy(), PER_RESIDENT)),
    )


def _equity(splits: pl.DataFrame, gaps: pl.DataFrame, params: FiscalParameters) -> pl.DataFrame:
    columns = {
        SPLIT_LP: "lp_yuan",
        SPLIT_REGISTERED: "per_registered_head_yuan",
        SPLIT_RESIDENT: "per_resident_head_yuan",
    }
    table = equity_table(
        {label: splits[col].to_numpy().astype(np.float64) for label, col in columns.items()},
        splits["resident"].to_numpy().astype(np.float64),
        splits["registered_est"].to_numpy().astype(np.float64),
    )
    unmet = [
        greedy_unmet(
            gaps, dict(zip(splits["region_code"].to_list(), splits[col].to_list(), strict=True)), params.allocation
        )
        for col in columns.values()
    ]
    return table.with_columns(
        pl.Series("weighted_unmet_need", [u[0] for u in unmet]),
        pl.Series("unmet_need_yuan", [u[1] for u in unmet]),
    )


def compute_fiscal(
    provinces: pl.DataFrame, gaps: pl.DataFrame, params: FiscalParameters, unit_costs: tuple[str, str]
) -> FiscalResults:
    """Run every fiscal computation on the census province table and a province-level gaps table; `unit_costs` cites
    the unit costs the gaps were costed at, in Chinese and English (planning.standards.unit_costs_cited), for the
    estimate labels of the tables costed with them."""
    bases, od = province_bases(provinces)
    allocation = allocate_budget(gaps, bases, params.fund_yuan, params.allocation)
    splits = simple_splits(bases, allocation, params.fund_yuan)
    shared = share_costs(gaps, params)
    gross = compensation_flows(shared, od, params)
    names = dict(zip(bases["region_code"].to_list(), bases["region_name_zh"].to_list(), strict=True))
    return FiscalResults(
        params=params,
        bases=labelled(bases, GRAVITY),
        od=labelled(od, GRAVITY),
        transfers=labelled(  # settled and served: the scheme's assumption (no 落户 counts ship)
            allocate_transfers(bases, params),
            settlement_assumed(params.transfer.settled_share, params.transfer.served_share),
        ),
        comparison=labelled(compare_bases(bases, params), GRAVITY),
        allocation=replace(
            allocation, cells=labelled(allocation.cells, shortage_cost(unit_costs))
        ),  # gap costs: unit costs
        splits=labelled(splits, GRAVITY),
        equity=labelled(_equity(splits, gaps, params), GRAVITY),
        shared_costs=labelled(shared, yearly_cost(unit_costs)),
        gross_flows=labelled(gross, GRAVITY),
        net_flows=labelled(net_flows(gross, names), GRAVITY),
    )


def write_tables(out_dir: Path, results: FiscalResults) -> list[Path]:
    """Each table as Parquet and CSV under out_dir/fiscal/; returns the paths written."""
    folder = out_dir / "fiscal"
    folder.mkdir(parents=True, exist_ok=True)
    tables = {
        "population_bases": results.bases,
        "origin_destination_estimate": results.od,
        "transfers": results.transfers,
        "transfers_by_basis": results.comparison,
        "allocation_lp": results.allocation.cells,
        "allocation_by_region": results.splits,
        "equity": results.equity,
        "cost_sharing": results.shared_costs,
        "flows_gross": results.gross_flows,
        "flows_net": results.net_flows,
    }
    paths = []
    for name, table in tables.items():
        table.write_parquet(folder / f"{name}.parquet")
        table.write_csv(folder / f"{name}.csv", include_bom=True)  # Excel reads a CSV without the BOM as GBK
        paths += [folder / f"{name}.parquet", folder / f"{name}.csv"]
    return paths
