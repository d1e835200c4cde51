"""The microsimulation's report section: newly eligible people per province (map) and a table of costs."""

from __future__ import annotations

from typing import Any

import plotly.graph_objects as go
import polars as pl

from changzhu.report.maps import province_choropleth
from changzhu.report.sections import ReportSection, escape, figure_html
from changzhu.simulation.aggregate import BASELINE

SECTION_ORDER = 70
SECTION_NAME = "simulation"
COLORSCALE = "Blues"


def main_service(by_province: pl.DataFrame, scenario: str) -> str | None:
    """The service where a reform makes the most people newly eligible (None when it changes nothing)."""
    totals = (
        by_province.filter(pl.col("scenario") == scenario)
        .group_by("service")
        .agg(pl.col("newly_eligible").sum())
        .sort(["newly_eligible", "service"], descending=[True, False])
    )
    if totals.is_empty() or totals["newly_eligible"][0] <= 0:
        return None
    return str(totals["service"][0])


def province_map(values: dict[str, float], labels: dict[str, str], geojson: dict[str, Any], title: str) -> go.Figure:
    """A choropleth drawn as filled polygons on plain axes: no base map to fetch, so it renders offline."""
    return province_choropleth(
        values, geojson, title=title, colorbar_title="people", hover=labels, colorscale=COLORSCALE, height=560
    )


def newly_eligible_map(
    by_province: pl.DataFrame, names: pl.DataFrame, geojson: dict[str, Any], scenario: str, service: str, year: int
) -> go.Figure:
    """Map of people newly eligible for `service` under `scenario` in `year`, by province."""
    data = by_province.filter(
        pl.col("scenario") == scenario, pl.col("service") == service, pl.col("year") == year
    ).join(names, on="province_code", how="left")
    values = dict(zip(data["province_code"].to_list(), data["newly_eligible"].to_list(), strict=True))
    labels = {
        r["province_code"]: f"{r['name_zh']}: {r['newly_eligible']:,.0f} newly eligible"
        for r in data.iter_rows(named=True)
    }
    title = f"{scenario}: people newly eligible for {service}, {year} (estimate, resident basis 常住)"
    return province_map(values, labels, geojson, title)


def _num(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:,.2f}" if 0 < abs(value) < 100 else f"{value:,.0f}"


def cost_table(by_province: pl.DataFrame) -> pl.DataFrame:
    """National totals per scenario, year and service: eligible, newly eligible, demand, yearly cost, change."""
    return (
        by_province.group_by(["scenario", "year", "service"])
        .agg(
            *[pl.col(c).sum() for c in ("eligible", "newly_eligible", "demand", "delta_demand")],
            *[
                pl.when(pl.col(c).is_not_null().any()).then(pl.col(c).sum()).alias(c)
                for c in ("cost_yuan", "delta_cost_yuan")
            ],
        )
        .sort(["year", "service", "scenario"])
    )


def _html_table(frame: pl.DataFrame) -> str:
    """Numbers with thousands separators; yuan columns shown in 亿元 (10^8 yuan); years as text."""
    yuan = [c for c in frame.columns if c.endswith("_yuan")]
    frame = frame.with_columns(pl.col(c) / 1e8 for c in yuan).rename({c: c.replace("_yuan", " (亿元)") for c in yuan})
    if "year" in frame.columns:
        frame = frame.with_columns(pl.col("year").cast(pl.String))
    head = "".join(f"<th>{escape(c)}</th>" for c in frame.columns)
    rows = []
    for row in frame.iter_rows():
        cells = "".join(
            f"<td class='text'>{escape(str(v))}</td>"
            if isinstance(v, str)
            else f"<td>{_num(None if v is None else float(v))}</td>"
            for v in row
        )
        rows.append(f"<tr>{cells}</tr>")
    return f"<table class='data'><tr>{head}</tr>{''.join(rows)}</table>"


def fit_table(fit_errors: pl.DataFrame) -> str:
    """The IPF fit error per margin as an HTML table."""
    rows = "".join(
        f"<tr><td class='text'>{escape(r['margin'])}</td><td>{r['cells']:,}</td>"
        f"<td>{r['max_relative_error']:.2e}</td><td>{r['total_absolute_error_share']:.2e}</td></tr>"
        for r in fit_errors.iter_rows(named=True)
    )
    return (
        "<table class='data'><tr><th>margin</th><th>cells</th><th>worst relative error</th>"
        f"<th>total absolute error / total</th></tr>{rows}</table>"
    )


def sample_fit(by_province: pl.DataFrame, provinces: pl.DataFrame, fraction: float) -> pl.DataFrame:
    """Sampled persons per province against census residents × fraction (after rounding to whole persons)."""
    first = by_province.filter(
        pl.col("scenario") == BASELINE,
        pl.col("year") == pl.col("year").min(),
        pl.col("service") == pl.col("service").min(),
    )
    return (
        provinces.select(pl.col("code").alias("province_code"), "name_zh", "pop_resident_2020")
        .join(first.select("province_code", "persons_sampled"), on="province_code", how="left")
        .with_columns((pl.col("pop_resident_2020") * fraction).alias("expected"))
        .with_columns(((pl.col("persons_sampled") - pl.col("expected")) / pl.col("expected")).alias("relative_error"))
    )


def simulation_section(
    title: str,
    by_province: pl.DataFrame,
    provinces: pl.DataFrame,
    geojson: dict[str, Any],
    fit_errors: pl.DataFrame,
    notes: list[str],
    fraction: float,
) -> ReportSection:
    """Maps for every reform's main service (last year), the cost table and the fit of the population."""
    names = provinces.select(pl.col("code").alias("province_code"), "name_zh")
    year = int(by_province.select(pl.col("year").max()).item() or 0)
    parts = ["<p>" + " ".join(escape(n) for n in notes) + "</p>"]
    reforms = [s for s in by_province["scenario"].unique(maintain_order=True).to_list() if s != BASELINE]
    for scenario in reforms:
        service = main_service(by_province, scenario)
        if service is None:
            parts.append(f"<p>{escape(scenario)}: no one becomes newly eligible for any service.</p>")
            continue
        parts.append(figure_html(newly_eligible_map(by_province, names, geojson, scenario, service, year)))
        top = (
            by_province.filter(pl.col("scenario") == scenario, pl.col("service") == service, pl.col("year") == year)
            .join(names, on="province_code", how="left")
            .sort("newly_eligible", descending=True)
            .select("name_zh", "residents", "eligible", "newly_eligible", "delta_demand", "delta_cost_yuan")
            .head(10)
        )
        parts.append(f"<h3>{escape(scenario)}: {escape(service)}, {year}, top provinces</h3>" + _html_table(top))
    parts.append(
        "<h3>Costs by scenario and service (whole country, 亿元 = 10^8 yuan per year; people are estimates; "
        "— = no unit cost)</h3>" + _html_table(cost_table(by_province))
    )
    parts.append("<h3>Fit of the synthetic population to the census marginals (IPF)</h3>" + fit_table(fit_errors))
    worst = sample_fit(by_province, provinces, fraction).select(pl.col("relative_error").abs().max()).item()
    parts.append(
        f"<p class='note'>The sample itself (whole persons drawn per cell by truncate-replicate-sample) differs "
        f"from census residents × {fraction:g} by at most {float(worst or 0):.3%} in any province.</p>"
    )
    return ReportSection(SECTION_ORDER, SECTION_NAME, f"Microsimulation: {title}", "\n".join(parts))
