"""Central transfers tied to people (人地钱挂钩): three pots, whole yuan, each term explained.

For region i, with fund F split into pots F_k = F · w_k (k = population, migrants, incentive):

    N_i = (1 − ρ)·registered_i + ρ·resident_i                 (ρ: 常住人口折算比例)
    a_i = clip((urb_i / urb_national)^(−ε), a_min, a_max)      (fiscal-capacity factor; urbanisation proxy)
    population term  T1_i = F_pop · N_i·u_i·a_i / Σ_j N_j·u_j·a_j
    migrant term     T2_i = F_mig · M_i·u_i / Σ_j M_j·u_j      (M: inter-provincial in-migrants served)
    incentive term   T3_i = F_inc · S_i / Σ_j S_j,  S_i = settled_i + σ·served_i   (市民化奖励)
    land quota       L_i  = settled_i · m²-per-settled-migrant (城镇建设用地 挂钩)

u_i is the unit service cost index (1 unless given). Every pot and term is apportioned in whole yuan by
largest remainders, so the transfers sum to F exactly.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from changzhu.domain.refusals import RefusalCode, refusal
from changzhu.fiscal.apportion import apportion
from changzhu.fiscal.errors import FiscalError, column_words, columns_words, table_words
from changzhu.fiscal.parameter_places import label
from changzhu.fiscal.parameters import POTS, FiscalParameters

REQUIRED_BASES = ("region_code", "region_name_zh", "resident", "registered_est", "interprov_in_migrants")
TERM_COLUMNS = {
    "population": "population_term_yuan",
    "migrants": "migrant_term_yuan",
    "incentive": "incentive_term_yuan",
}
POT_NAMES = {  # each pot by its name, in Chinese and English (its errors and its split's)
    "population": ("人口均衡性资金", "population pot"),
    "migrants": ("服务流动人口资金", "migrants-served pot"),
    "incentive": ("市民化奖励资金", "incentive pot"),
}


def settlement_assumption(bases: pl.DataFrame, params: FiscalParameters) -> pl.DataFrame:
    """Settled and served migrants by region under the scheme's assumption (no 落户 counts ship)."""
    t = params.transfer
    return bases.select(
        "region_code",
        (pl.col("interprov_in_migrants") * t.settled_share).alias("settled"),
        (pl.col("interprov_in_migrants") * t.served_share).alias("served"),
    )


def capacity_factors(
    urbanisation: np.ndarray, resident: np.ndarray, params: FiscalParameters, regions: list[str]
) -> np.ndarray:
    """a_i = clip((urb_i / urb_national)^(−ε), min, max); urb_national is resident-weighted. `regions` (the rows'
    region codes) names a refused row's region."""
    cap = params.transfer.capacity
    national = float((urbanisation * resident).sum() / resident.sum())
    index = urbanisation / national
    if np.any(index <= 0):
        row = int(np.flatnonzero(index <= 0)[0])
        raise FiscalError(refusal(RefusalCode.FISCAL_URBANISATION_NOT_POSITIVE, row=row + 1, region=regions[row]))
    return np.clip(index ** (-cap.elasticity), cap.min_factor, cap.max_factor)


def _check(frame: pl.DataFrame, columns: tuple[str, ...], what: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise FiscalError(
            refusal(RefusalCode.FISCAL_TABLE_COLUMNS_MISSING, **table_words(what), **columns_words(missing))
        )
    for column in columns[2:] if what == "bases" else columns[1:]:
        values = frame[column].cast(pl.Float64)
        bad = (values.is_null() | values.is_nan() | (values < 0)).arg_true()
        if bad.len():
            row = int(bad[0])
            raise FiscalError(
                refusal(
                    RefusalCode.FISCAL_TABLE_NOT_NUMBER,
                    **table_words(what),
                    row=row + 1,
                    region=str(frame["region_code"][row]),
                    **column_words(column),
                )
            )


def _every_region(bases: pl.DataFrame, table: pl.DataFrame, what: str) -> None:
    """A table given for the regions must have a row for each: a region it leaves out has an unknown figure, which is
    not 0 settled migrants (nor a cost index of 1) and would silently move its money to the others."""
    missing = bases.join(table.select("region_code"), on="region_code", how="anti")
    if missing.height:
        regions = tuple(missing["region_code"].cast(pl.String).to_list())
        raise FiscalError(
            refusal(
                RefusalCode.FISCAL_TABLE_REGIONS_MISSING, **table_words(what), count=missing.height, regions=regions
            )
        )


def allocate_transfers(
    bases: pl.DataFrame,
    params: FiscalParameters,
    *,
    settlement: pl.DataFrame | None = None,
    unit_cost_index: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """Transfers by region with each term, the factors behind it and the land quota; sums to the fund."""
    _check(bases, (*REQUIRED_BASES, "urbanisation_rate"), "bases")
    settle = settlement if settlement is not None else settlement_assumption(bases, params)
    _check(settle, ("region_code", "settled", "served"), "settlement")
    _every_region(bases, settle, "settlement")
    frame = bases.join(settle.select("region_code", "settled", "served"), on="region_code", how="left")
    if unit_cost_index is not None:
        _check(unit_cost_index, ("region_code", "unit_cost_index"), "unit_cost_index")
        _every_region(bases, unit_cost_index, "unit_cost_index")
        frame = frame.join(unit_cost_index.select("region_code", "unit_cost_index"), on="region_code", how="left")
    else:
        frame = frame.with_columns(pl.lit(1.0).alias("unit_cost_index"))
    t = params.transfer
    rho = t.resident_conversion_ratio
    resident = frame["resident"].to_numpy().astype(np.float64)
    counted = (1 - rho) * frame["registered_est"].to_numpy() + rho * resident
    urbanisation = frame["urbanisation_rate"].to_numpy().astype(np.float64)
    capacity = capacity_factors(urbanisation, resident, params, frame["region_code"].cast(pl.String).to_list())
    unit = frame["unit_cost_index"].to_numpy().astype(np.float64)
    settled = frame["settled"].to_numpy().astype(np.float64)
    served = frame["served"].to_numpy().astype(np.float64)
    bases_by_pot = {
        "population": counted * unit * capacity,
        "migrants": frame["interprov_in_migrants"].to_numpy().astype(np.float64) * unit,
        "incentive": settled + t.served_weight * served,
    }
    pots = apportion(params.fund_yuan, [t.weights[k] for k in POTS], ("资金分为三项", "fund split into pots"))
    terms: dict[str, np.ndarray] = {}
    for pot, pot_yuan in zip(POTS, pots, strict=True):
        if pot_yuan > 0 and float(bases_by_pot[pot].sum()) <= 0:
            setting_zh, setting_en = label(f"transfer.weights.{pot}")
            raise FiscalError(
                refusal(
                    RefusalCode.FISCAL_POT_NO_BASE,
                    pot_zh=POT_NAMES[pot][0],
                    pot_en=POT_NAMES[pot][1],
                    yuan=f"{int(pot_yuan):,}",
                    setting_zh=setting_zh,
                    setting_en=setting_en,
                    scheme_zh=params.title("zh"),
                    scheme_en=params.title("en"),
                )
            )
        terms[TERM_COLUMNS[pot]] = apportion(int(pot_yuan), bases_by_pot[pot], POT_NAMES[pot])
    transfer = sum(terms.values(), np.zeros(frame.height, dtype=np.int64))
    return frame.select("region_code", "region_name_zh", "resident", "registered_est").with_columns(
        pl.Series("counted_population", counted),
        pl.Series("capacity_factor", capacity),
        pl.Series("unit_cost_index", unit),
        pl.Series("settled", settled),
        pl.Series("served", served),
        *(pl.Series(name, values) for name, values in terms.items()),
        pl.Series("transfer_yuan", transfer),
        pl.Series("transfer_per_resident", transfer / np.maximum(resident, 1.0)),
        pl.Series("land_quota_m2", settled * params.land_m2_per_settled_migrant),
    )


def compare_bases(
    bases: pl.DataFrame, params: FiscalParameters, *, unit_cost_index: pl.DataFrame | None = None
) -> pl.DataFrame:
    """Each region's transfer with N on the registered basis (ρ = 0) and on the resident basis (ρ = 1)."""
    on = {
        label: allocate_transfers(bases, params.with_conversion_ratio(ratio), unit_cost_index=unit_cost_index)
        for label, ratio in (("registered", 0.0), ("resident", 1.0))
    }
    return (
        on["registered"]
        .select(
            "region_code",
            "region_name_zh",
            "resident",
            "registered_est",
            pl.col("transfer_yuan").alias("transfer_registered_basis_yuan"),
        )
        .join(
            on["resident"].select("region_code", pl.col("transfer_yuan").alias("transfer_resident_basis_yuan")),
            on="region_code",
        )
        .with_columns(
            (pl.col("transfer_resident_basis_yuan") - pl.col("transfer_registered_basis_yuan")).alias("difference_yuan")
        )
        .with_columns(
            (pl.col("difference_yuan") / pl.col("transfer_registered_basis_yuan")).alias("difference_share"),
            (pl.col("transfer_resident_basis_yuan") / pl.col("resident")).alias("resident_basis_per_resident"),
            (pl.col("transfer_registered_basis_yuan") / pl.col("resident")).alias("registered_basis_per_resident"),
        )
        .sort("difference_yuan", descending=True)
    )
