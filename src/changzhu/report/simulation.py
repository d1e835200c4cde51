"""The microsimulation's report section: newly eligible people per province (map) and a table of costs."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import plotly.graph_objects as go
import polars as pl

from changzhu.report.labels import service_name
from changzhu.report.lang import Lang, people, pick
from changzhu.report.maps import province_choropleth
from changzhu.report.sections import ReportSection, escape, figure_html, table_box
from changzhu.report.tables import Column, count, html_table, yuan
from changzhu.rules.labels import FILE_COLUMNS, pick_label
from changzhu.simulation.aggregate import BASELINE

SECTION_ORDER = 70
SECTION_NAME = "simulation"
COLORSCALE = "Blues"
MARGINS_ZH = {
    "prefecture × age band": "地级 × 年龄组",
    "prefecture × urban/rural": "地级 × 城乡",
    "prefecture × sex (national ratio 105.07)": "地级 × 性别（全国性别比 105.07）",
    "prefecture × local / intra-provincial / inter-provincial hukou": "地级 × 本地 / 省内外县 / 外省户籍",
    "province × hukou status": "省级 × 户籍状态",
}
SOURCE = {
    Lang.ZH: "changzhu 微观模拟（合成人口，估算）",
    Lang.EN: "changzhu microsimulation (synthetic population, estimate)",
}


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


def province_map(
    values: dict[str, float], labels: dict[str, str], geojson: dict[str, Any], title: str, lang: Lang = Lang.ZH
) -> go.Figure:
    """A choropleth drawn as filled polygons on plain axes: no base map to fetch, so it renders offline."""
    return province_choropleth(
        values,
        geojson,
        title=title,
        colorbar_title=pick("人", "people", lang),
        hover=labels,
        colorscale=COLORSCALE,
        height=560,
        lang=lang,
        data_source=SOURCE[lang],
    )


def newly_eligible_map(
    by_province: pl.DataFrame,
    names: pl.DataFrame,
    geojson: dict[str, Any],
    scenario: str,
    service: str,
    year: int,
    lang: Lang = Lang.ZH,
) -> go.Figure:
    """Map of people newly eligible for `service` under `scenario` in `year`, by province."""
    data = by_province.filter(
        pl.col("scenario") == scenario, pl.col("service") == service, pl.col("year") == year
    ).join(names, on="province_code", how="left")
    values = dict(zip(data["province_code"].to_list(), data["newly_eligible"].to_list(), strict=True))
    labels = {
        r["province_code"]: pick(
            f"{r['name_zh']}：新增符合条件 {people(r['newly_eligible'], lang)} 人",
            f"{r['name']}: {r['newly_eligible']:,.0f} newly eligible",
            lang,
        )
        for r in data.iter_rows(named=True)
    }
    what = service_name(service, lang)
    title = pick(
        f"{year} 年新增符合“{what}”条件的人数（估算）",
        f"Newly eligible for {what}, {year} (estimate)",
        lang,
    )
    return province_map(values, labels, geojson, title, lang)


def cost_table(by_province: pl.DataFrame) -> pl.DataFrame:
    """National totals per scenario, year and service: eligible, undetermined, newly eligible, demand, yearly cost,
    change."""
    return (
        by_province.group_by(["scenario", "year", "service"])
        .agg(
            *[pl.col(c).sum() for c in ("eligible", "undetermined", "newly_eligible", "demand", "delta_demand")],
            *[
                pl.when(pl.col(c).is_not_null().any()).then(pl.col(c).sum()).alias(c)
                for c in ("cost_yuan", "delta_cost_yuan")
            ],
        )
        .sort(["year", "service", "scenario"])
    )


def _service(value: Any, lang: Lang) -> str:
    return service_name(str(value), lang)


def _plain(value: Any, lang: Lang) -> str:
    return str(value)


# the national costs by scenario, year and service: the report's table, and the one `changzhu simulate` prints
COST_COLUMNS = [
    Column("scenario", "方案", "Scenario", _plain),
    Column("year", "年份", "Year", _plain),
    Column("service", "服务", "Service", _service),
    Column("eligible", "符合条件", "Eligible", count),
    Column("undetermined", "无法判定（缺少输入）", "Undetermined (inputs missing)", count),
    Column("newly_eligible", "新增符合条件", "Newly eligible", count),
    Column("demand", "需求", "Demand", count),
    Column("delta_demand", "需求变化", "Change in demand", count),
    Column("cost_yuan", "费用（亿元/年）", "Cost (100 million yuan a year)", yuan),
    Column("delta_cost_yuan", "费用变化（亿元/年）", "Change in cost (100 million yuan a year)", yuan),
]
YUAN_COLUMNS = ("cost_yuan", "delta_cost_yuan")


def scenario_labels(labels: Mapping[str, str] | None, lang: Lang) -> dict[str, str]:
    """Each scenario's name for the reader: the baseline as 现行规则 / current rules, a reform by `labels`."""
    return {BASELINE: pick("现行规则（基线）", "current rules (baseline)", lang), **(labels or {})}


def costs_in(costs: pl.DataFrame, lang: Lang, labels: Mapping[str, str] | None = None) -> pl.DataFrame:
    """`cost_table` as a person reads it in `lang` (the table `changzhu simulate` prints and exports): each scenario
    by its title (`labels`), each service by its name, people whole and yuan in 亿 (100 million) to two places,
    headed as the report's table (COST_COLUMNS); an `estimate` label ("中文 / English") becomes its half in `lang`,
    headed as a reform run's estimate note."""
    named = scenario_labels(labels, lang)
    services = {code: service_name(code, lang) for code in costs["service"].unique().to_list()}
    out = costs.with_columns(
        pl.col("scenario").replace_strict(named, default=pl.col("scenario")),
        pl.col("year").cast(pl.String),
        pl.col("service").replace_strict(services, default=pl.col("service")),
        *((pl.col(c) / 1e8).round(2) for c in YUAN_COLUMNS),
        *(pl.col(c.key).round(0).cast(pl.Int64) for c in COST_COLUMNS[3:] if c.key not in YUAN_COLUMNS),
    )
    headers = {c.key: c.header(lang) for c in COST_COLUMNS}
    if "estimate" in out.columns:
        half = out["estimate"].str.splitn(" / ", 2).struct.field("field_0" if lang == Lang.ZH else "field_1")
        out = out.with_columns(half.alias("estimate"))
        headers["estimate"] = pick_label(FILE_COLUMNS["estimate_note"], lang)
    return out.select(*headers).rename(headers)


def _fit_table(fit_errors: pl.DataFrame, lang: Lang) -> str:
    """The IPF fit error per margin as an HTML table."""
    rows = "".join(
        f"<tr><td class='text'>{escape(pick(MARGINS_ZH.get(r['margin'], r['margin']), r['margin'], lang))}</td>"
        f"<td>{r['cells']:,}</td><td>{r['max_relative_error']:.2e}</td>"
        f"<td>{r['total_absolute_error_share']:.2e}</td></tr>"
        for r in fit_errors.iter_rows(named=True)
    )
    head = pick(
        "<tr><th>边际</th><th>单元数</th><th>最大相对误差</th><th>绝对误差合计 ÷ 总数</th></tr>",
        "<tr><th>margin</th><th>cells</th><th>worst relative error</th><th>total absolute error / total</th></tr>",
        lang,
    )
    return table_box(f"<table class='data'>{head}{rows}</table>", lang)


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
    lang: Lang = Lang.ZH,
    labels: Mapping[str, str] | None = None,
) -> ReportSection:
    """Maps for every reform's main service (last year), the cost table and the fit of the population.

    `labels` names each scenario for the reader (its description); the baseline is 现行规则 / current rules."""
    names = provinces.select(
        pl.col("code").alias("province_code"), "name_zh", pl.col("name_en").fill_null(pl.col("name_zh")).alias("name")
    )
    shown = scenario_labels(labels, lang)
    year = int(by_province.select(pl.col("year").max()).item() or 0)
    parts = ["<p>" + " ".join(escape(n) for n in notes) + "</p>"]
    reforms = [s for s in by_province["scenario"].unique(maintain_order=True).to_list() if s != BASELINE]
    province_column = "name_zh" if lang == Lang.ZH else "name"
    top_columns = [
        Column(province_column, "省份", "Province"),
        Column("residents", "常住人口", "Residents", count),
        Column("eligible", "符合条件", "Eligible", count),
        Column("newly_eligible", "新增符合条件", "Newly eligible", count),
        Column("delta_demand", "需求变化", "Change in demand", count),
        Column("delta_cost_yuan", "费用变化（亿元/年）", "Change in cost (100 million yuan a year)", yuan),
    ]
    for scenario in reforms:
        label = shown.get(scenario, scenario)
        service = main_service(by_province, scenario)
        if service is None:
            parts.append(
                pick(
                    f"<p>{escape(label)}：没有人新增符合任何服务的条件。</p>",
                    f"<p>{escape(label)}: no one becomes newly eligible for any service.</p>",
                    lang,
                )
            )
            continue
        parts.append(figure_html(newly_eligible_map(by_province, names, geojson, scenario, service, year, lang)))
        top = (
            by_province.filter(pl.col("scenario") == scenario, pl.col("service") == service, pl.col("year") == year)
            .join(names, on="province_code", how="left")
            .sort("newly_eligible", descending=True)
            .head(10)
        )
        what = service_name(service, lang)
        parts.append(
            "<h3>"
            + escape(pick(f"{label}：{what}，{year} 年，前 10 个省份", f"{label}: {what}, {year}, top provinces", lang))
            + "</h3>"
            + html_table(top, top_columns, lang)
        )
    costs = cost_table(by_province).with_columns(
        pl.col("scenario").replace_strict(shown, default=pl.col("scenario")), pl.col("year").cast(pl.String)
    )
    parts.append(
        "<h3>"
        + pick(
            "各方案、各服务的费用（全国，亿元/年；人数为估算；低保需求为申领者；— 表示没有单位成本）",
            "Costs by scenario and service (whole country, 100 million yuan a year; people are estimates; dibao "
            "demand is its take-up; — = no unit cost)",
            lang,
        )
        + "</h3>"
        + html_table(costs, COST_COLUMNS, lang)
    )
    parts.append(
        "<h3>"
        + pick("合成人口对普查边际的拟合（IPF）", "Fit of the synthetic population to the census marginals (IPF)", lang)
        + "</h3>"
        + _fit_table(fit_errors, lang)
    )
    worst = float(sample_fit(by_province, provinces, fraction).select(pl.col("relative_error").abs().max()).item() or 0)
    parts.append(
        pick(
            f"<p class='note'>抽样本身（按截断—复制—抽样在每个单元抽取整人）与普查常住人口 × {fraction:g} 在任何"
            f"省份的差异不超过 {worst:.3%}。</p>",
            f"<p class='note'>The sample itself (whole persons drawn per cell by truncate-replicate-sample) differs "
            f"from census residents × {fraction:g} by at most {worst:.3%} in any province.</p>",
            lang,
        )
    )
    return ReportSection(
        SECTION_ORDER, SECTION_NAME, pick(f"微观模拟：{title}", f"Microsimulation: {title}", lang), "\n".join(parts)
    )
