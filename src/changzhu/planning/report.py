"""The planning part of the HTML report: gap by region on both bases, projected growth, proposed sites."""

from __future__ import annotations

import math
from typing import Any

import plotly.graph_objects as go
import polars as pl

from changzhu.planning.siting import SitingPlan, result_rows
from changzhu.report.maps import X_SCALE, province_choropleth
from changzhu.report.sections import ReportSection, escape, figure_html

SECTION_ORDER = 50


def _table(df: pl.DataFrame, limit: int = 40) -> str:
    head = "".join(f"<th>{escape(c)}</th>" for c in df.columns)
    rows = []
    for row in df.head(limit).iter_rows():
        cells = []
        for v in row:
            text = (f"{v:,.4f}" if abs(v) < 10 else f"{v:,.0f}") if isinstance(v, float) else str(v)
            cells.append(f"<td>{escape(text)}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _gap_bars(side: pl.DataFrame, service: str, title: str) -> go.Figure:
    df = side.filter(pl.col("service") == service).sort("gap_resident", descending=True)
    fig = go.Figure()
    fig.add_bar(x=df["region_name_zh"].to_list(), y=df["gap_registered"].to_list(), name="hukou basis (estimate)")
    fig.add_bar(x=df["region_name_zh"].to_list(), y=df["gap_resident"].to_list(), name="resident basis (常住)")
    fig.update_layout(title=title, barmode="group", height=420, yaxis_title="gap = demand − supply")
    return fig


def _sites_map(plan: SitingPlan, geojson: dict[str, Any], province_code: str) -> go.Figure:
    fig = go.Figure()
    for feature in geojson["features"]:
        if str(feature["properties"]["code"]) != province_code:
            continue
        geometry = feature["geometry"]
        polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
        xs: list[float | None] = []
        ys: list[float | None] = []
        for polygon in polygons:
            for ring in polygon:
                xs += [lon * X_SCALE for lon, _ in ring] + [None]
                ys += [lat for _, lat in ring] + [None]
        fig.add_scatter(
            x=xs, y=ys, mode="lines", line={"color": "#999", "width": 0.8}, showlegend=False, hoverinfo="skip"
        )
    pts = plan.points
    heaviest = max(float(w) for w in pts["weight"].to_list()) or 1.0
    size = [4 + 18 * math.sqrt(w / heaviest) for w in pts["weight"].to_list()]
    fig.add_scatter(
        x=[x * X_SCALE for x in pts["lon"].to_list()],
        y=pts["lat"].to_list(),
        mode="markers",
        marker={
            "size": size,
            "color": pts["access_before_per_1000"].to_list(),
            "colorscale": "YlOrRd",
            "reversescale": True,
            "colorbar": {"title": {"text": "beds/1000 before"}},
        },
        text=[
            f"{n}: {b:.2f} → {a:.2f} beds/1000"
            for n, b, a in zip(
                pts["region_name_zh"], pts["access_before_per_1000"], pts["access_after_per_1000"], strict=True
            )
        ],
        hoverinfo="text",
        name="counties (size: residents)",
    )
    chosen = pts.filter(pl.col("p_median_site"))
    fig.add_scatter(
        x=[x * X_SCALE for x in chosen["lon"].to_list()],
        y=chosen["lat"].to_list(),
        mode="markers",
        marker={"symbol": "star", "size": 16, "color": "#1f77b4", "line": {"color": "black", "width": 1}},
        text=chosen["region_name_zh"].to_list(),
        hoverinfo="text",
        name="proposed hospitals (p-median)",
    )
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False, scaleanchor="x", scaleratio=1)
    fig.update_layout(title="Proposed sites and 2SFCA access", height=560, plot_bgcolor="white")
    return fig


def planning_section(
    gaps: pl.DataFrame,
    side: pl.DataFrame,
    growth: pl.DataFrame,
    growth_prefecture: pl.DataFrame,
    towns: pl.DataFrame,
    plan: SitingPlan,
    province_code: str,
    geojson: dict[str, Any],
) -> ReportSection:
    """The report fragment: maps and charts plus the tables behind them."""
    beds = side.filter(pl.col("service") == "hospital_beds")
    hover = {
        r["region_code"]: f"{r['region_name_zh']}: resident gap {r['gap_resident']:,.0f}, "
        f"hukou-basis gap {r['gap_registered']:,.0f} beds"
        for r in beds.iter_rows(named=True)
    }
    parts = [
        "<p>Demand = population × standard (data/files/service_standards.yaml, values in force on the census date "
        "2020-11-01); supply = NBS 2019 provincial figures; gap = demand − supply (positive: shortage). The hukou "
        "basis is an <b>estimate</b>: local-hukou residents = residents − inter-provincial in-migrants (2020 census). "
        "Numerator year 2019, population year 2020.</p>",
        figure_html(
            province_choropleth(
                {r["region_code"]: r["gap_hidden_by_hukou_basis"] for r in beds.iter_rows(named=True)},
                geojson,
                title="Hospital beds the hukou basis does not see (resident gap − hukou-basis gap)",
                colorbar_title="beds",
                hover=hover,
            )
        ),
        figure_html(_gap_bars(side, "hospital_beds", "Hospital-bed gap by province on both bases (6 per 1,000)")),
        figure_html(_gap_bars(side, "primary_school_places", "Primary-school place gap by province on both bases")),
        "<h3>Gap and cost to close it, both bases</h3>",
        _table(
            side.select(
                "region_code",
                "region_name_zh",
                "service",
                "supply",
                "demand_registered",
                "demand_resident",
                "gap_registered",
                "gap_resident",
                "gap_cost_yuan_resident",
            ),
            62,
        ),
    ]
    pct = {r["region_code"]: r["change_pct"] for r in growth.iter_rows(named=True)}
    parts.append(
        figure_html(
            province_choropleth(
                pct,
                geojson,
                title=f"Projected population change {growth['year_start'][0]}–{growth['year_end'][0]} (%)",
                colorbar_title="%",
                colorscale="RdBu",
            )
        )
    )
    top = pl.concat([growth_prefecture.head(15), growth_prefecture.tail(15)])
    bar = go.Figure(go.Bar(x=top["change_pct"].to_list(), y=top["region_name_zh"].to_list(), orientation="h"))
    bar.update_layout(title="Cities that grow most and shrink most (prefecture level, %)", height=700)
    parts.append(figure_html(bar))
    parts += ["<h3>Mega-towns (county-level units carrying a city's population)</h3>", _table(towns, 30)]
    parts += [
        f"<h3>Where to build: {plan.beds_added:,.0f} beds (resident-basis gap) "
        f"in province {escape(province_code)}</h3>",
        _table(result_rows(plan)),
        figure_html(_sites_map(plan, geojson, province_code)),
    ]
    return ReportSection(
        SECTION_ORDER, "planning", "Planning by resident population (按常住人口规划)", "\n".join(parts)
    )
