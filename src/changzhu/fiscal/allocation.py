"""Budget allocation by linear programming (HiGHS): fill the service gaps where unmet need weighs most.

Variables (money as a share of the fund F): x_rs ∈ [0, gap_rs / F] for each region r and service s, a general
grant g_r ≥ 0 per region, and the lowest and highest allocation per resident, lo and hi (relative to the
national average per resident). With resident shares π_r = P_r / Σ P and t_r = Σ_s x_rs + g_r:

    minimise   Σ_rs w_s (gap_rs/F − x_rs) + ε Σ_r g_r          (weighted unmet need; g only if needed)
    subject to Σ_r t_r = 1                                       (the whole fund is allocated)
               t_r ≥ floor_r / F                                 (floor per region)
               lo·π_r ≤ t_r ≤ hi·π_r,   hi ≤ κ·lo                (equity: max/min per resident ≤ κ)

The gaps are on the resident basis (the schema of changzhu.planning.gaps.compute_gaps). The result is rounded
to whole yuan by largest remainders, so it sums to F exactly.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import polars as pl

from changzhu.domain.population import BASIS_LABELS_EN, BASIS_LABELS_ZH, PopulationBasis
from changzhu.domain.refusals import Refusal, RefusalCode, refusal
from changzhu.fiscal.apportion import apportion
from changzhu.fiscal.errors import (
    FiscalError,
    InfeasibleAllocationError,
    column_words,
    columns_words,
    service_words,
    table_words,
)
from changzhu.fiscal.parameter_places import label, labelled
from changzhu.fiscal.parameters import AllocationParameters

if TYPE_CHECKING:  # SciPy is imported when a budget is allocated, not by every process that imports the API
    from scipy.sparse import csr_matrix

GAP_INPUT_COLUMNS = (  # what the allocation reads of a planning gap table (changzhu.planning.gaps)
    "region_code",
    "region_name_zh",
    "service",
    "basis",
    "demand",
    "supply",
    "gap",
    "unit_cost_yuan",
    "gap_cost_yuan",
)
BASES = (PopulationBasis.LOCAL_HUKOU_RESIDENT.value, PopulationBasis.RESIDENT.value)  # the gaps table's bases
GENERAL_GRANT = "general_grant"
GENERAL_GRANT_COST = 1e-6
HIGHS_INFEASIBLE = 2
FLOOR_SETTING = "allocation.floor_yuan_per_resident"  # the scheme's parameter a floor error names (by its label)
RATIO_SETTING = "allocation.max_min_per_capita_ratio"


def _setting(path: str) -> dict[str, str]:
    """The refusal parameters naming the scheme's parameter at `path` by its label: setting_zh, setting_en."""
    zh, en = label(path)
    return {"setting_zh": zh, "setting_en": en}


@dataclass(frozen=True)
class Allocation:
    """The LP's allocation: `cells` by region and service (plus general grants), `regions` by region."""

    cells: pl.DataFrame
    regions: pl.DataFrame
    weighted_unmet: float
    unmet_yuan: int


def check_gaps(gaps: pl.DataFrame) -> pl.DataFrame:
    """The resident-basis rows of a gaps table, checked: named columns, known basis, no negative cost."""
    missing = [c for c in GAP_INPUT_COLUMNS if c not in gaps.columns]
    if missing:
        raise FiscalError(
            refusal(RefusalCode.FISCAL_TABLE_COLUMNS_MISSING, **table_words("gaps"), **columns_words(missing))
        )

    def row_of(row: int) -> dict[str, str]:  # a row as people count it (from 1), with its region
        return {**table_words("gaps"), "row": str(row + 1), "region": str(gaps["region_code"][row] or "")}

    bad_basis = (~gaps["basis"].is_in(list(BASES)) | gaps["basis"].is_null()).arg_true()
    if bad_basis.len():
        row = int(bad_basis[0])
        allowed = [PopulationBasis(b) for b in BASES]
        raise FiscalError(
            refusal(
                RefusalCode.FISCAL_TABLE_NOT_ONE_OF,
                **row_of(row),
                **column_words("basis"),
                value=str(gaps["basis"][row] or ""),
                allowed_zh="、".join(BASIS_LABELS_ZH[b] for b in allowed),
                allowed_en=", ".join(BASIS_LABELS_EN[b] for b in allowed),
            )
        )
    for column in ("unit_cost_yuan", "gap_cost_yuan", "gap"):
        values = gaps[column].cast(pl.Float64)
        bad = (values.is_null() | values.is_nan()).arg_true()
        if bad.len():
            raise FiscalError(
                refusal(RefusalCode.FISCAL_TABLE_VALUE_MISSING, **row_of(int(bad[0])), **column_words(column))
            )
    negative = (gaps["unit_cost_yuan"] < 0).arg_true()
    if negative.len():
        refused = refusal(
            RefusalCode.FISCAL_TABLE_NOT_NUMBER, **row_of(int(negative[0])), **column_words("unit_cost_yuan")
        )
        raise FiscalError(refused)
    resident = gaps.filter(pl.col("basis") == "resident")
    if resident.height == 0:
        raise FiscalError(refusal(RefusalCode.FISCAL_GAPS_NO_RESIDENT_ROWS))
    duplicated = resident.select("region_code", "service").is_duplicated().arg_true()
    if duplicated.len():
        dup = resident.row(int(duplicated[0]), named=True)
        service_zh, service_en = service_words([str(dup["service"])])
        raise FiscalError(
            refusal(
                RefusalCode.FISCAL_GAPS_ROW_TWICE,
                region=str(dup["region_code"]),
                service_zh=service_zh,
                service_en=service_en,
            )
        )
    return resident.with_columns(pl.col("gap_cost_yuan").cast(pl.Float64).clip(lower_bound=0.0))


def _population(populations: pl.DataFrame, codes: list[str]) -> np.ndarray:
    lookup = dict(zip(populations["region_code"].to_list(), populations["resident"].to_list(), strict=True))
    missing = [c for c in codes if c not in lookup]
    if missing:
        raise FiscalError(refusal(RefusalCode.FISCAL_POPULATION_MISSING, count=len(missing), regions=tuple(missing)))
    resident = np.array([float(lookup[c]) for c in codes])
    if np.any(resident <= 0):
        region = codes[int(np.flatnonzero(resident <= 0)[0])]
        raise FiscalError(refusal(RefusalCode.FISCAL_REGION_NO_RESIDENTS, region=region))
    return resident


@dataclass(frozen=True)
class _Problem:
    c: np.ndarray
    a_ub: csr_matrix
    b_ub: np.ndarray
    a_eq: csr_matrix
    bounds: list[tuple[float, float | None]]
    floor_rows: slice
    equity_rows: slice


def _build(
    region_of_cell: np.ndarray,
    gap_share: np.ndarray,
    weight: np.ndarray,
    share: np.ndarray,
    floor_share: np.ndarray,
    ratio: float,
) -> _Problem:
    from scipy.sparse import csr_matrix, lil_matrix

    n_cells, n_regions = gap_share.size, share.size
    lo, hi = n_cells + n_regions, n_cells + n_regions + 1
    n_vars = hi + 1
    c = np.concatenate([-weight, np.full(n_regions, GENERAL_GRANT_COST), [0.0, 0.0]])
    a = lil_matrix((3 * n_regions + 1, n_vars))
    b = np.zeros(3 * n_regions + 1)
    for r in range(n_regions):
        cells = np.flatnonzero(region_of_cell == r)
        for block, sign in ((0, -1.0), (1, -1.0), (2, 1.0)):
            row = block * n_regions + r
            a[row, cells] = sign
            a[row, n_cells + r] = sign
        b[r] = -floor_share[r]
        a[n_regions + r, lo] = share[r]
        a[2 * n_regions + r, hi] = -share[r]
    a[3 * n_regions, hi] = 1.0
    a[3 * n_regions, lo] = -ratio
    a_eq = csr_matrix(np.concatenate([np.ones(n_cells + n_regions), [0.0, 0.0]])[None, :])
    bounds: list[tuple[float, float | None]] = [(0.0, float(g)) for g in gap_share]
    bounds += [(0.0, None)] * (n_regions + 2)
    return _Problem(c, a.tocsr(), b, a_eq, bounds, slice(0, n_regions), slice(n_regions, 3 * n_regions + 1))


def _solve(problem: _Problem, keep: np.ndarray) -> Any:
    from scipy.optimize import linprog

    return linprog(
        problem.c,
        A_ub=problem.a_ub[keep],
        b_ub=problem.b_ub[keep],
        A_eq=problem.a_eq,
        b_eq=np.array([1.0]),
        bounds=problem.bounds,
        method="highs",
    )


def _diagnose(problem: _Problem, fund_yuan: int, ratio: float) -> Refusal:
    rows = problem.b_ub.size
    without_equity = np.ones(rows, dtype=bool)
    without_equity[problem.equity_rows] = False
    without_floors = np.ones(rows, dtype=bool)
    without_floors[problem.floor_rows] = False
    if _solve(problem, without_equity).status != HIGHS_INFEASIBLE:
        setting = _setting(RATIO_SETTING)
        return refusal(RefusalCode.FISCAL_EQUITY_BINDS, fund=f"{fund_yuan:,}", ratio=f"{ratio:g}", **setting)
    if _solve(problem, without_floors).status != HIGHS_INFEASIBLE:
        return refusal(RefusalCode.FISCAL_FLOORS_BIND, **_setting(FLOOR_SETTING))
    return refusal(RefusalCode.FISCAL_FLOORS_AND_EQUITY_BIND)


def allocate_budget(
    gaps: pl.DataFrame,
    populations: pl.DataFrame,
    fund_yuan: int,
    params: AllocationParameters,
    *,
    floors_yuan: pl.DataFrame | None = None,
) -> Allocation:
    """Allocate `fund_yuan` across regions and services; raises InfeasibleAllocationError naming the binding one.

    `populations` has region_code and resident; `floors_yuan` (region_code, floor_yuan) replaces the uniform
    floor of params.floor_yuan_per_resident × residents.
    """
    if fund_yuan < 0:
        raise FiscalError(refusal(RefusalCode.FISCAL_FUND_NEGATIVE, value=f"{fund_yuan:,}", **labelled("fund_yuan")))
    cells = check_gaps(gaps).sort("region_code", "service")
    codes = cells["region_code"].unique(maintain_order=True).to_list()
    resident = _population(populations, codes)
    if floors_yuan is None:
        floors = resident * params.floor_yuan_per_resident
    else:
        given = dict(zip(floors_yuan["region_code"].to_list(), floors_yuan["floor_yuan"].to_list(), strict=True))
        floors = np.array([float(given.get(c, 0.0)) for c in codes])
        if np.any(floors < 0):
            row = int(np.flatnonzero(floors < 0)[0])
            raise FiscalError(refusal(RefusalCode.FISCAL_FLOOR_NEGATIVE, region=codes[row], value=f"{floors[row]:,g}"))
    if floors.sum() > fund_yuan:
        raise InfeasibleAllocationError(
            refusal(
                RefusalCode.FISCAL_FLOORS_EXCEED_FUND,
                floors=f"{floors.sum():,.0f}",
                fund=f"{fund_yuan:,}",
                **_setting(FLOOR_SETTING),
                floor=f"{params.floor_yuan_per_resident:g}",
            )
        )
    if fund_yuan == 0:
        return _result(cells, codes, resident, np.zeros(cells.height + len(codes)), params)
    index = {c: i for i, c in enumerate(codes)}
    region_of_cell = np.array([index[c] for c in cells["region_code"].to_list()])
    weight = np.array([params.weight_of(s) for s in cells["service"].to_list()])
    problem = _build(
        region_of_cell,
        cells["gap_cost_yuan"].to_numpy() / fund_yuan,
        weight,
        resident / resident.sum(),
        floors / fund_yuan,
        params.max_min_per_capita_ratio,
    )
    solution = _solve(problem, np.ones(problem.b_ub.size, dtype=bool))
    if solution.status == HIGHS_INFEASIBLE:
        raise InfeasibleAllocationError(_diagnose(problem, fund_yuan, params.max_min_per_capita_ratio))
    if solution.status != 0:
        raise FiscalError(refusal(RefusalCode.FISCAL_LP_NOT_SOLVED, detail=str(solution.message)))
    shares = np.clip(solution.x[: cells.height + len(codes)], 0.0, None)
    yuan = apportion(fund_yuan, shares, ("预算分配", "budget allocation"))
    return _result(cells, codes, resident, yuan, params)


def _result(
    cells: pl.DataFrame, codes: list[str], resident: np.ndarray, yuan: np.ndarray, params: AllocationParameters
) -> Allocation:
    n = cells.height
    gap = cells["gap_cost_yuan"].to_numpy()
    allocated = yuan[:n].astype(np.float64)
    unmet = np.clip(gap - allocated, 0.0, None)
    weights = np.array([params.weight_of(s) for s in cells["service"].to_list()])
    names = dict(zip(cells["region_code"].to_list(), cells["region_name_zh"].to_list(), strict=False))
    grants = pl.DataFrame(
        {
            "region_code": codes,
            "region_name_zh": [names[c] for c in codes],
            "service": [GENERAL_GRANT] * len(codes),
            "gap_cost_yuan": [0.0] * len(codes),
            "allocated_yuan": yuan[n:].astype(np.int64),
            "unmet_yuan": [0.0] * len(codes),
        }
    )
    table = pl.concat(
        [
            cells.select("region_code", "region_name_zh", "service", "gap_cost_yuan").with_columns(
                pl.Series("allocated_yuan", yuan[:n].astype(np.int64)), pl.Series("unmet_yuan", unmet)
            ),
            grants,
        ]
    )
    regions = (
        table.group_by("region_code", maintain_order=True)
        .agg(
            pl.col("region_name_zh").first(),
            pl.col("allocated_yuan").sum(),
            pl.col("gap_cost_yuan").sum(),
            pl.col("unmet_yuan").sum(),
        )
        .with_columns(pl.Series("resident", resident))
        .with_columns((pl.col("allocated_yuan") / pl.col("resident")).alias("allocated_per_resident"))
    )
    return Allocation(table, regions, float((weights * unmet).sum()), round(float(unmet.sum())))


def greedy_unmet(gaps: pl.DataFrame, amounts: dict[str, int], params: AllocationParameters) -> tuple[float, int]:
    """Weighted and plain unmet need if each region spends its amount on its own gaps, heaviest weight first."""
    cells = check_gaps(gaps)
    weighted, plain = 0.0, 0.0
    for (code,), group in cells.group_by("region_code", maintain_order=True):
        budget = float(amounts.get(str(code), 0))
        rows = sorted(group.iter_rows(named=True), key=lambda r: -params.weight_of(r["service"]))
        for row in rows:
            spent = min(budget, row["gap_cost_yuan"])
            budget -= spent
            weighted += params.weight_of(row["service"]) * (row["gap_cost_yuan"] - spent)
            plain += row["gap_cost_yuan"] - spent
    return weighted, round(plain)
