"""The report's first section: where people live compared with where their hukou is (map and ranking)."""

from __future__ import annotations

from typing import Any

import plotly.express as px
import plotly.graph_objects as go
import polars as pl

from changzhu.report.maps import province_choropleth
from changzhu.report.sections import ReportSection, escape, figure_html

SHARE = "interprov_in_migrants_share"


def inflow_choropleth(provinces: pl.DataFrame, geojson: dict[str, Any]) -> go.Figure:
    """Map of the inter-provincial in-migrant share (跨省流入占常住人口) by province."""
    values = {r["code"]: r[SHARE] * 100 for r in provinces.iter_rows(named=True)}
    hover = {
        r["code"]: (
            f"{r['name_zh']} {r['code']}<br>residents {r['pop_resident_2020']:,}<br>"
            f"跨省流入 {r['interprov_in_migrants_2020']:,} ({r[SHARE]:.1%})"
        )
        for r in provinces.iter_rows(named=True)
    }
    return province_choropleth(
        values,
        geojson,
        title="Inter-provincial in-migrants as a share of residents, 2020 census (resident basis 常住)",
        colorbar_title="跨省流入 %",
        hover=hover,
    )


def inflow_ranking(provinces: pl.DataFrame) -> go.Figure:
    """Provinces ranked by inter-provincial in-migrant share, with 人户分离 share beside it."""
    ranked = provinces.sort(SHARE).with_columns(
        (pl.col(SHARE) * 100).alias("跨省流入 inter-provincial in-migrants"),
        (pl.col("renhu_fenli_share") * 100).alias("人户分离 living away from hukou township"),
    )
    long = ranked.unpivot(
        index=["name_zh"],
        on=["跨省流入 inter-provincial in-migrants", "人户分离 living away from hukou township"],
        variable_name="measure",
        value_name="percent",
    ).to_pandas()
    figure = px.bar(long, x="percent", y="name_zh", color="measure", barmode="group", orientation="h")
    figure.update_layout(
        height=900,
        margin={"l": 0, "r": 0, "t": 40, "b": 0},
        yaxis_title=None,
        xaxis_title="% of resident population (2020 census)",
        legend_title=None,
        title="Provinces ranked by inter-provincial in-migrant share",
    )
    return figure


def population_section(provinces: pl.DataFrame, geojson: dict[str, Any]) -> ReportSection:
    """Map, ranking and the top rows of the province table."""
    top = provinces.sort(SHARE, descending=True).head(8)
    rows = "".join(
        f"<tr><td class='text'>{escape(r['name_zh'])}</td><td>{r['pop_resident_2020']:,}</td>"
        f"<td>{r['interprov_in_migrants_2020']:,}</td><td>{r[SHARE]:.1%}</td>"
        f"<td>{r['renhu_fenli_2020']:,}</td><td>{r['renhu_fenli_share']:.1%}</td></tr>"
        for r in top.iter_rows(named=True)
    )
    total_resident = int(provinces["pop_resident_2020"].sum())
    total_interprov = int(provinces["interprov_in_migrants_2020"].sum())
    total_renhu = int(provinces["renhu_fenli_2020"].sum())
    body = (
        f"<p>The 31 provinces have {total_resident:,} residents (常住人口; the 2,000,000 active-duty military "
        f"are counted nationally only). {total_renhu:,} ({total_renhu / total_resident:.1%}) live away from the "
        f"township of their hukou (人户分离); {total_interprov:,} ({total_interprov / total_resident:.1%}) have "
        "their hukou in another province (跨省流入). Services planned on the registered basis miss them.</p>"
        + figure_html(inflow_choropleth(provinces, geojson))
        + "<table class='data'><tr><th>province</th><th>residents</th><th>跨省流入</th><th>share</th>"
        "<th>人户分离</th><th>share</th></tr>" + rows + "</table>" + figure_html(inflow_ranking(provinces))
    )
    return ReportSection(10, "population", "Where people live, and where their hukou is", body)
