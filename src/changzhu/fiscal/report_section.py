"""The fiscal section of the report: transfers on both bases, LP equity vs simple splits, compensation flows."""

from __future__ import annotations

from typing import Any

import plotly.graph_objects as go
import polars as pl

from changzhu.fiscal.population import ESTIMATE_LABEL
from changzhu.fiscal.run import FiscalResults
from changzhu.fiscal.transfers import explain_transfer
from changzhu.report.maps import province_choropleth
from changzhu.report.sections import ReportSection, escape, figure_html

SECTION_ORDER = 60
YI = 1e8  # 亿 yuan
TOP_FLOWS = 40
EXPLAINED = ("440000", "410000")  # 广东 (largest inflow), 河南 (largest outflow)


def basis_bars(comparison: pl.DataFrame) -> go.Figure:
    """Each province's transfer on the registered and on the resident basis (亿 yuan), by difference."""
    ranked = comparison.sort("difference_yuan")
    names = ranked["region_name_zh"].to_list()
    figure = go.Figure()
    for column, label, color in (
        ("transfer_registered_basis_yuan", "户籍人口 basis (registered, est.)", "#8c8c8c"),
        ("transfer_resident_basis_yuan", "常住人口 basis (resident)", "#b22222"),
    ):
        figure.add_trace(
            go.Bar(y=names, x=(ranked[column] / YI).to_list(), name=label, orientation="h", marker_color=color)
        )
    figure.update_layout(
        barmode="group",
        height=900,
        title="Transfer by province: registered basis vs resident basis (亿 yuan)",
        xaxis_title="亿 yuan",
        margin={"l": 0, "r": 0, "t": 40, "b": 0},
        legend={"orientation": "h"},
    )
    return figure


def flows_sankey(net: pl.DataFrame) -> go.Figure:
    """Sankey of the largest net payments between provinces (payer on the left, payee on the right)."""
    top = net.sort("net_yuan", descending=True).head(TOP_FLOWS)
    payers = top["payer_name_zh"].unique(maintain_order=True).to_list()
    payees = top["payee_name_zh"].unique(maintain_order=True).to_list()
    labels = [f"{n} (pays)" for n in payers] + [f"{n} (receives)" for n in payees]
    figure = go.Figure(
        go.Sankey(
            node={"label": labels, "pad": 8, "thickness": 14},
            link={
                "source": [payers.index(p) for p in top["payer_name_zh"].to_list()],
                "target": [len(payers) + payees.index(p) for p in top["payee_name_zh"].to_list()],
                "value": (top["net_yuan"] / 1e6).to_list(),
            },
            valueformat=",.1f",
            valuesuffix=" 百万 yuan",
        )
    )
    figure.update_layout(
        title=f"Net compensation between provinces, largest {TOP_FLOWS} pairs (百万 yuan a year; origins estimated)",
        height=800,
        margin={"l": 0, "r": 0, "t": 40, "b": 0},
    )
    return figure


def _table(df: pl.DataFrame, formats: dict[str, str]) -> str:
    head = "".join(f"<th>{escape(c)}</th>" for c in df.columns)
    rows = []
    for row in df.iter_rows(named=True):
        cells = []
        for column, value in row.items():
            if isinstance(value, str):
                cells.append(f"<td class='text'>{escape(value)}</td>")
            else:
                cells.append(f"<td>{formats.get(column, '{:,}').format(value)}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table class='data'><tr>{head}</tr>{''.join(rows)}</table>"


def fiscal_section(results: FiscalResults, geojson: dict[str, Any], gaps_note: str) -> ReportSection:
    """The report section for `changzhu fiscal`."""
    p = results.params
    comparison = results.comparison
    per_head = {r["region_code"]: r["difference_yuan"] / r["resident"] for r in comparison.iter_rows(named=True)}
    hover = {
        r["region_code"]: (
            f"{r['region_name_zh']}<br>registered basis {r['transfer_registered_basis_yuan'] / YI:,.2f} 亿<br>"
            f"resident basis {r['transfer_resident_basis_yuan'] / YI:,.2f} 亿<br>"
            f"difference {r['difference_yuan'] / YI:+,.2f} 亿 ({r['difference_share']:+.1%})"
        )
        for r in comparison.iter_rows(named=True)
    }
    difference_map = province_choropleth(
        per_head,
        geojson,
        title="Resident basis minus registered basis, yuan per resident",
        colorbar_title="yuan / resident",
        hover=hover,
        colorscale="RdBu",
    )
    basis_table = comparison.select(
        pl.col("region_name_zh").alias("province"),
        (pl.col("transfer_registered_basis_yuan") / YI).alias("registered basis 亿"),
        (pl.col("transfer_resident_basis_yuan") / YI).alias("resident basis 亿"),
        (pl.col("difference_yuan") / YI).alias("difference 亿"),
        (pl.col("difference_share") * 100).alias("difference %"),
    )
    equity = results.equity.select(
        "allocation",
        "per_resident_min",
        "per_resident_max",
        "max_min_ratio_resident",
        "gini_resident",
        "theil_resident",
        "max_min_ratio_registered",
        "gini_registered",
        "theil_registered",
        (pl.col("unmet_need_yuan") / YI).alias("unmet need 亿"),
        (pl.col("weighted_unmet_need") / YI).alias("weighted unmet 亿"),
    )
    a = p.allocation
    explanations = "\n\n".join(
        explain_transfer(row, p) for row in results.transfers.iter_rows(named=True) if row["region_code"] in EXPLAINED
    )
    body = f"""
<p>Scheme <b>{escape(p.scheme_id)}</b> ({escape(p.title)}), in force from {p.effective_from}. Fund
{p.fund_yuan / YI:,.0f} 亿 yuan ({escape(p.fund_source)}). Source: {escape(p.source)}</p>
<p class="note">户籍人口 (registered population) is an {
        escape(ESTIMATE_LABEL)
    }: registered = resident − inter-provincial
in-migrants + estimated out-migrants. Fiscal capacity uses the census urbanisation rate as a proxy (no revenue table
ships). Gaps: {escape(gaps_note)}. Weights, shares and rates not tied to a published figure are illustrative and
labelled so in fiscal_parameters.yaml; see docs/fiscal.md.</p>
<h3>Transfers: registered basis vs resident basis (常住人口折算比例 ρ = 0 vs 1)</h3>
{figure_html(basis_bars(comparison))}
{figure_html(difference_map)}
{
        _table(
            basis_table,
            {
                "registered basis 亿": "{:,.2f}",
                "resident basis 亿": "{:,.2f}",
                "difference 亿": "{:+,.2f}",
                "difference %": "{:+.1f}",
            },
        )
    }
<h3>Each term of a transfer (resident basis, scheme {escape(p.scheme_id)})</h3>
<pre>{escape(explanations)}</pre>
<h3>Budget allocation: LP vs simple splits</h3>
<p>The LP fills resident-basis service gaps to minimise weighted unmet need, with a floor of
{a.floor_yuan_per_resident:g} yuan per resident and the highest allocation per resident at most
{a.max_min_per_capita_ratio:g} × the lowest. The simple splits share the same fund per registered head and per
resident head; their unmet need assumes each province spends its share on its own gaps, heaviest weight first.
(Seed 002's Shanghai example: 35,665 vs 7,342 yuan per head, a max/min ratio of 4.86.)</p>
{_table(equity, {c: "{:,.3f}" for c in equity.columns if c != "allocation"})}
<h3>Horizontal compensation between provinces</h3>
<p>Inflow provinces pay outflow provinces {p.compensation_yuan_per_migrant:g} yuan per inter-provincial migrant a year;
outflow provinces contribute their outflow-city share of the yearly cost of their migrants at destination. Both are
netted pair by pair. Origins of migrants are an {escape(ESTIMATE_LABEL)}.</p>
{figure_html(flows_sankey(results.net_flows))}
"""
    return ReportSection(
        SECTION_ORDER, "fiscal", "Money and land follow people (人地钱挂钩): transfers, allocation, compensation", body
    )
