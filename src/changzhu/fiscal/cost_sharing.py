"""Cost sharing (成本分担) of serving residents, and horizontal compensation (横向补偿) between provinces.

For region r and service s, the yearly cost of serving residents is C = demand_resident × unit cost. The
part due to in-migrants is C_mig = max(0, demand_resident − demand_local_hukou_resident) × unit cost. With shares
σ_party (central, province, inflow city, outflow city, employer, individual; summing to one):

    party_yuan = σ_party · C                     for central, province, employer, individual
    outflow_city_yuan = σ_outflow · C_mig        (only in-migrants have an outflow city)
    inflow_city_yuan  = σ_inflow · C + σ_outflow · (C − C_mig)

so the six parts add up to C. Between provinces two flows arise, both allocated to origins with the
estimated origin–destination table (an estimate, see changzhu.fiscal.population):

    contribution  origin → destination: the destination's outflow-city part × share of its in-migrants from o
    compensation  destination → origin: yuan_per_migrant × migrants(d ← o)     (seed 004: 流入地向流出地补偿)

and they are netted pair by pair into one payment per pair of provinces.
"""

from __future__ import annotations

import polars as pl

from changzhu.domain.population import PopulationBasis
from changzhu.domain.refusals import RefusalCode, refusal
from changzhu.fiscal.allocation import check_gaps
from changzhu.fiscal.clearing import FEN, net_bilateral_fen
from changzhu.fiscal.errors import FiscalError, columns_words, service_words, table_words
from changzhu.fiscal.parameters import PARTIES, FiscalParameters


def share_costs(gaps: pl.DataFrame, params: FiscalParameters) -> pl.DataFrame:
    """Cost of serving residents by region and service, split among the six parties (columns <party>_yuan).

    When the gaps carry `unit_cost_kind` (changzhu.planning does), only 'annual' costs are shared: a capital cost
    per place is the price of building it, not a yearly cost of serving someone.
    """
    if "unit_cost_kind" in gaps.columns:
        gaps = gaps.filter(pl.col("unit_cost_kind") == "annual")
    resident = check_gaps(gaps)
    local = gaps.filter(pl.col("basis") == PopulationBasis.LOCAL_HUKOU_RESIDENT).select(
        "region_code", "service", pl.col("demand").alias("demand_local_hukou")
    )
    frame = resident.join(local, on=["region_code", "service"], how="left")
    # a region without its local-hukou demand has an unknown migrants' part, not none: taking the resident demand for
    # it (as before 2026-12-04) made the migrant cost 0 and left its outflow provinces out of the compensation
    unknown = frame.filter(pl.col("demand_local_hukou").is_null() | pl.col("demand").is_null())
    if unknown.height:
        regions = tuple(unknown["region_code"].cast(pl.String).unique(maintain_order=True).to_list())
        services_zh, services_en = service_words(
            unknown["service"].cast(pl.String).unique(maintain_order=True).to_list()
        )
        raise FiscalError(
            refusal(
                RefusalCode.FISCAL_DEMAND_UNKNOWN,
                count=unknown.height,
                regions=regions,
                services_zh=services_zh,
                services_en=services_en,
            )
        )
    frame = frame.with_columns(
        (pl.col("demand") * pl.col("unit_cost_yuan")).alias("cost_yuan"),
        ((pl.col("demand") - pl.col("demand_local_hukou")).clip(lower_bound=0) * pl.col("unit_cost_yuan")).alias(
            "migrant_cost_yuan"
        ),
    )
    rows = []
    for row in frame.select("region_code", "region_name_zh", "service", "cost_yuan", "migrant_cost_yuan").iter_rows(
        named=True
    ):
        shares = params.shares_of(row["service"])
        cost, migrant = float(row["cost_yuan"]), float(row["migrant_cost_yuan"])
        parts = {f"{p}_yuan": shares[p] * cost for p in PARTIES}
        parts["outflow_city_yuan"] = shares["outflow_city"] * migrant
        parts["inflow_city_yuan"] = shares["inflow_city"] * cost + shares["outflow_city"] * (cost - migrant)
        rows.append({**row, **parts})
    return pl.DataFrame(rows)


def compensation_flows(shared: pl.DataFrame, od: pl.DataFrame, params: FiscalParameters) -> pl.DataFrame:
    """Gross flows between provinces: payer_code, payee_code, kind (contribution|compensation), amount_yuan."""
    missing = [c for c in ("destination_code", "origin_code", "migrants_est") if c not in od.columns]
    if missing:
        raise FiscalError(
            refusal(RefusalCode.FISCAL_TABLE_COLUMNS_MISSING, **table_words("od"), **columns_words(missing))
        )
    outflow_part = shared.group_by("region_code").agg(pl.col("outflow_city_yuan").sum())
    od_share = od.with_columns(
        (pl.col("migrants_est") / pl.col("migrants_est").sum().over("destination_code")).fill_nan(0.0).alias("share")
    )
    contribution = od_share.join(outflow_part, left_on="destination_code", right_on="region_code", how="inner").select(
        pl.col("origin_code").alias("payer_code"),
        pl.col("destination_code").alias("payee_code"),
        pl.lit("contribution").alias("kind"),
        (pl.col("outflow_city_yuan") * pl.col("share")).alias("amount_yuan"),
    )
    compensation = od.select(
        pl.col("destination_code").alias("payer_code"),
        pl.col("origin_code").alias("payee_code"),
        pl.lit("compensation").alias("kind"),
        (pl.col("migrants_est") * params.compensation_yuan_per_migrant).alias("amount_yuan"),
    )
    return pl.concat([contribution, compensation]).filter(pl.col("amount_yuan") > 0)


def net_flows(gross: pl.DataFrame, names: dict[str, str]) -> pl.DataFrame:
    """Gross flows netted pair by pair: payer_code, payer_name_zh, payee_code, payee_name_zh, net_yuan."""
    fen = gross.select(
        pl.col("payer_code").alias("payer"),
        pl.col("payee_code").alias("payee"),
        (pl.col("amount_yuan") * FEN).round(0).cast(pl.Int64).alias("fen"),
    )
    netted = net_bilateral_fen(fen)
    return netted.select(
        pl.col("payer").alias("payer_code"),
        pl.col("payer").replace_strict(names, default=None).alias("payer_name_zh"),
        pl.col("payee").alias("payee_code"),
        pl.col("payee").replace_strict(names, default=None).alias("payee_name_zh"),
        (pl.col("net_fen") / FEN).alias("net_yuan"),
    )
