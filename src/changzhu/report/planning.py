"""The planning part of the HTML report: gap by region on both bases, projected growth, proposed sites."""

from __future__ import annotations

import math
from html import escape
from typing import Any

import plotly.graph_objects as go
import polars as pl

from changzhu.data.regions import region_table
from changzhu.planning.siting import SitingPlan, result_rows
from changzhu.report.labels import service_name
from changzhu.report.lang import Lang, people, pick
from changzhu.report.maps import X_SCALE, province_choropleth
from changzhu.report.sections import ReportSection, figure_html
from changzhu.report.tables import Column, count, decimal, html_table, share, yuan

SECTION_ORDER = 50
SOURCE = {
    Lang.ZH: "2020 年人口普查；国家统计局 2019 年分省床位、学位；changzhu 计算",
    Lang.EN: "2020 census; NBS 2019 provincial beds and school places; changzhu",
}
UNIT_KIND = {
    "prefecture_city_without_counties": ("不设区县的地级市", "prefecture city without counties"),
    "county_level_city": ("县级市", "county-level city"),
    "county": ("县", "county"),
    "district": ("市辖区", "district"),
}
MODEL = {
    "p_median": ("p-中位（总距离最小）", "p-median (least total distance)"),
    "max_covering": ("最大覆盖", "maximum covering"),
    "set_covering": ("集合覆盖（全部覆盖所需最少）", "set covering (fewest to cover all)"),
}


def _region_names(lang: Lang) -> dict[str, str]:
    """Region code → name in the report's language, at every level (a code two levels share names one unit)."""
    regions = region_table()
    names = regions["name_zh"] if lang == Lang.ZH else regions["name_en"].fill_null(regions["name_zh"])
    return dict(zip(regions["code"].to_list(), names.to_list(), strict=True))


def _named(frame: pl.DataFrame, names: dict[str, str]) -> pl.DataFrame:
    """`region_name_zh` in the report's language (the Chinese name where a code has no region row)."""
    return frame.with_columns(
        pl.col("region_code").replace_strict(names, default=pl.col("region_name_zh")).alias("region_name_zh")
    )


def listed_supply(listed: pl.DataFrame | None, lang: Lang, service: str | None = None) -> str:
    """Where an uploaded facility list, not the shipped statistics, gives the supply (`listed`: the list's
    replacement summary, region_code and service; only `service`'s where given), else ""."""
    rows = None if listed is None else listed if service is None else listed.filter(pl.col("service") == service)
    if rows is None or rows.height == 0:
        return ""
    names = _region_names(lang)
    joiner = pick("、", ", ", lang)
    by_region = rows.group_by("region_code").agg(pl.col("service").unique().sort()).sort("region_code")
    services = {code: "" if service else " " + joiner.join(service_name(s, lang) for s in kinds)
                for code, kinds in by_region.iter_rows()}  # fmt: skip
    places = pick("；", "; ", lang).join(f"{names.get(code, code)} ({code}){kinds}" for code, kinds in services.items())
    return pick(
        f"供给来自上传的设施清单（不是国家统计局的统计数）：{places}",
        f"supply from an uploaded facility list, not the NBS statistics: {places}",
        lang,
    )


def _towns_named(towns: pl.DataFrame, names: dict[str, str], lang: Lang) -> pl.DataFrame:
    """The mega-town table with its county, city and province names in the report's language."""
    if lang == Lang.ZH:
        return towns
    regions = region_table().filter(pl.col("level") != "county")
    english = regions["name_en"].fill_null(regions["name_zh"])
    by_zh = dict(zip(regions["name_zh"].to_list(), english.to_list(), strict=True))
    return _named(towns, names).with_columns(
        pl.col(c).replace_strict(by_zh, default=pl.col(c)) for c in ("city_name_zh", "province_name_zh")
    )


def _gap_bars(side: pl.DataFrame, service: str, title: str, lang: Lang) -> go.Figure:
    df = side.filter(pl.col("service") == service).sort("gap_resident", descending=True)
    names = _region_names(lang)
    regions = [names.get(c, n) for c, n in zip(df["region_code"], df["region_name_zh"], strict=True)]
    fig = go.Figure()
    fig.add_bar(
        x=regions,
        y=df["gap_local_hukou_resident"].to_list(),
        name=pick("按本地户籍常住人口", "local-hukou residents (本地户籍常住)", lang),
    )
    fig.add_bar(
        x=regions,
        y=df["gap_resident"].to_list(),
        name=pick(
            "按常住人口",
            "all residents (常住)",
            lang,
        ),
    )
    fig.update_layout(
        title=title,
        barmode="group",
        height=440,
        yaxis_title=pick("缺口 = 需求 − 供给", "gap = demand − supply", lang),
        yaxis_tickformat=",",
        legend={"orientation": "h", "y": -0.35},
        margin={"l": 50, "r": 10, "t": 50, "b": 10},
    )
    return fig


def _boundary(fig: go.Figure, geojson: dict[str, Any], province_code: str) -> None:
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


def _sites_map(plan: SitingPlan, geojson: dict[str, Any], province_code: str, lang: Lang) -> go.Figure:
    """Counties coloured by access before, existing hospitals and proposed ones: every marker names its place."""
    fig = go.Figure()
    _boundary(fig, geojson, province_code)
    names = _region_names(lang)
    pts = _named(plan.points, names)
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
            "colorbar": {"title": {"text": pick("每千人床位（建设前，估算）", "beds / 1,000 before (estimate)", lang)}},
        },
        text=[
            pick(
                f"{n}<br>每千人床位 {b:.2f} → {a:.2f}<br>到最近医院 {kb:.0f} → {ka:.0f} 公里",
                f"{n}<br>beds / 1,000: {b:.2f} → {a:.2f}<br>nearest hospital {kb:.0f} → {ka:.0f} km",
                lang,
            )
            for n, b, a, kb, ka in zip(
                pts["region_name_zh"],
                pts["access_before_per_1000"],
                pts["access_after_per_1000"],
                pts["nearest_km_before"],
                pts["nearest_km_after"],
                strict=True,
            )
        ],
        hoverinfo="text",
        name=pick("县（市、区），大小为常住人口", "counties (size: residents)", lang),
    )
    existing = _named(plan.sites.filter(pl.col("existing")), names)
    fig.add_scatter(
        x=[x * X_SCALE for x in existing["lon"].to_list()],
        y=existing["lat"].to_list(),
        mode="markers",
        marker={"symbol": "square", "size": 10, "color": "#555"},
        text=[
            pick(f"现有医院：{f or n}", f"existing hospital: {f or n}", lang)
            for f, n in zip(existing["facility_name"], existing["region_name_zh"], strict=True)
        ],
        hoverinfo="text",
        name=pick(
            "现有医院（设施清单中的医院与其他地级市驻地，保留）" if plan.listed else "现有医院（地级市驻地，保留）",
            "existing hospitals (the facility list's and other prefecture seats, kept open)"
            if plan.listed
            else "existing hospitals (prefecture seats, kept open)",
            lang,
        ),
    )
    chosen = pts.filter(pl.col("p_median_site"))
    each = plan.added / chosen.height if chosen.height else 0.0
    fig.add_scatter(
        x=[x * X_SCALE for x in chosen["lon"].to_list()],
        y=chosen["lat"].to_list(),
        mode="markers",
        marker={"symbol": "star", "size": 16, "color": "#1f77b4", "line": {"color": "black", "width": 1}},
        text=[
            pick(
                f"拟建医院：{n}<br>新增约 {people(each, lang)} 张床位",
                f"proposed hospital: {n}<br>about {each:,.0f} new beds",
                lang,
            )
            for n in chosen["region_name_zh"]
        ],
        hoverinfo="text",
        name=pick("拟建医院（p-中位模型）", "proposed hospitals (p-median)", lang),
    )
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False, scaleanchor="x", scaleratio=1)
    fig.update_layout(
        title=pick(
            "拟建医院选址与两步移动搜索法可达性（示意图）", "Proposed sites and 2SFCA access (sketch map)", lang
        ),
        height=600,
        plot_bgcolor="white",
        legend={"orientation": "h", "y": -0.05},
        margin={"l": 10, "r": 10, "t": 50, "b": 10},
    )
    return fig


def _km(value: Any, lang: Lang) -> str:
    return "—" if value is None else f"{float(value):,.1f}"


def _model(value: Any, lang: Lang) -> str:
    zh, en = MODEL.get(str(value), (str(value), str(value)))
    return pick(zh, en, lang)


def _status(value: Any, lang: Lang) -> str:
    text = str(value)
    return pick({"optimal": "最优"}.get(text.lower(), text), text, lang)


def _kind(value: Any, lang: Lang) -> str:
    zh, en = UNIT_KIND.get(str(value), (str(value), str(value)))
    return pick(zh, en, lang)


def _service(value: Any, lang: Lang) -> str:
    return service_name(str(value), lang)


def _integer(value: Any, lang: Lang) -> str:
    return "—" if value is None else f"{int(value):,}"


def planning_section(
    gaps: pl.DataFrame,
    side: pl.DataFrame,
    growth: pl.DataFrame,
    growth_prefecture: pl.DataFrame,
    towns: pl.DataFrame,
    plan: SitingPlan,
    province_code: str,
    geojson: dict[str, Any],
    lang: Lang = Lang.ZH,
    listed: pl.DataFrame | None = None,
) -> ReportSection:
    """The report fragment: maps and charts plus the tables behind them (`listed`: what an uploaded facility list
    supplies in place of the statistics, its replacement summary)."""
    names = _region_names(lang)
    listed_beds = listed_supply(listed, lang, "hospital_beds")
    listed_all = listed_supply(listed, lang)
    beds = side.filter(pl.col("service") == "hospital_beds")
    hover = {
        r["region_code"]: pick(
            f"{r['region_name_zh']}<br>按常住人口缺口 {people(r['gap_resident'], lang)} 张<br>"
            f"按本地户籍常住人口缺口 {people(r['gap_local_hukou_resident'], lang)} 张",
            f"{names.get(r['region_code'], r['region_name_zh'])}<br>resident gap {r['gap_resident']:,.0f} beds<br>"
            f"local-hukou gap {r['gap_local_hukou_resident']:,.0f} beds",
            lang,
        )
        for r in beds.iter_rows(named=True)
    }
    gap_columns = [
        Column("region_name_zh", "地区", "region"),
        Column("service", "服务", "service", _service),
        Column("supply", "供给", "supply", count),
        Column("demand_local_hukou_resident", "需求（本地户籍常住）", "demand, local-hukou residents", count),
        Column("demand_resident", "需求（常住）", "demand, residents", count),
        Column("gap_local_hukou_resident", "缺口（本地户籍常住）", "gap, local-hukou residents", count),
        Column("gap_resident", "缺口（常住）", "gap, residents", count),
        Column(
            "gap_cost_yuan_resident", "补齐缺口费用（常住，亿元）", "cost to close, residents (100 million yuan)", yuan
        ),
    ]
    gap_rows = _named(side, names)
    parts = [
        pick(
            "<p>需求 = 人口 × 配置标准（data/files/service_standards.yaml，取 2020-11-01 普查日有效的标准）；"
            "供给 = 国家统计局 2019 年分省数字；缺口 = 需求 − 供给（正数为短缺）。户籍口径按本地户籍常住人口"
            "（常住人口 − 跨省流入人口，2020 年普查）计算：省级精确，省以下为上限。分子年份 2019，人口年份 2020。"
            "补齐缺口的费用只计短缺。</p>",
            "<p>Demand = population × standard (data/files/service_standards.yaml, values in force on the census "
            "date 2020-11-01); supply = NBS 2019 provincial figures; gap = demand − supply (positive: shortage). The "
            "hukou basis counts local-hukou residents (本地户籍常住人口) = residents − inter-provincial in-migrants "
            "(2020 census): exact for provinces, an upper bound below. Numerator year 2019, population year 2020. "
            "The cost to close counts shortages only.</p>",
            lang,
        )
        + (f"<p class='note'>{escape(listed_all)}.</p>" if listed_all else ""),
        figure_html(
            province_choropleth(
                {r["region_code"]: r["gap_hidden_by_hukou_basis"] for r in beds.iter_rows(named=True)},
                geojson,
                title=pick(
                    "户籍口径漏掉的床位缺口（常住 − 户籍）",
                    "Bed gap the hukou basis misses (resident − hukou)",
                    lang,
                ),
                colorbar_title=pick("床位（张）", "beds", lang),
                hover=hover,
                lang=lang,
                data_source=SOURCE[lang] + (pick("；", "; ", lang) + listed_beds if listed_beds else ""),
            )
        ),
        figure_html(
            _gap_bars(
                side,
                "hospital_beds",
                pick(
                    "各省医院床位缺口，两种口径（每千人 6 张）",
                    "Hospital-bed gap by province, both bases (6 per 1,000)",
                    lang,
                ),
                lang,
            )
        ),
        figure_html(
            _gap_bars(
                side,
                "primary_school_places",
                pick("各省小学学位缺口，两种口径", "Primary-school place gap by province, both bases", lang),
                lang,
            )
        ),
        "<h3>" + pick("缺口及补齐费用（两种口径）", "Gap and cost to close it, both bases", lang) + "</h3>",
        html_table(gap_rows, gap_columns, lang, 62),
    ]
    pct = {r["region_code"]: r["change_pct"] for r in growth.iter_rows(named=True)}
    start, end = growth["year_start"][0], growth["year_end"][0]
    parts.append(
        figure_html(
            province_choropleth(
                pct,
                geojson,
                title=pick(
                    f"{start}–{end} 年常住人口预计变化（%）", f"Projected population change {start}–{end} (%)", lang
                ),
                colorbar_title="%",
                colorscale="RdBu",
                lang=lang,
                data_source=pick("changzhu 人口预测（估算）", "changzhu projection (estimate)", lang),
            )
        )
    )
    top = _named(pl.concat([growth_prefecture.head(15), growth_prefecture.tail(15)]), names)
    bar = go.Figure(go.Bar(x=top["change_pct"].to_list(), y=top["region_name_zh"].to_list(), orientation="h"))
    bar.update_layout(
        title=pick(
            "增长最多和减少最多的城市（地级，%）", "Cities that grow most and shrink most (prefecture level, %)", lang
        ),
        xaxis_title=pick(f"{start}–{end} 年常住人口变化 %", f"change in residents {start}–{end}, %", lang),
        height=700,
        margin={"l": 10, "r": 10, "t": 50, "b": 40},
    )
    parts.append(figure_html(bar))
    town_columns = [
        Column("region_name_zh", "县级单位", "county-level unit"),
        Column("city_name_zh", "所属地级市", "city"),
        Column("province_name_zh", "省份", "province"),
        Column("unit_kind", "类型", "kind", _kind),
        Column("pop_resident_2020", "常住人口", "residents", count),
        Column("renhu_fenli_share", "人户分离占比", "away from hukou township", share),
        Column("interprov_share", "跨省流入占比", "from other provinces", share),
        Column("load_ratio", "人口 ÷ 同类中位数", "residents ÷ median of its kind", decimal),
    ]
    parts += [
        "<h3>"
        + pick(
            "超大县镇（承载城市规模人口的县级单位）",
            "Mega-towns (county-level units carrying a city's population)",
            lang,
        )
        + "</h3>",
        html_table(_towns_named(towns, names, lang), town_columns, lang, 30),
    ]
    province = names.get(province_code, province_code)
    kept_zh, kept_en = ("设施清单中的医院与其他", "the facility list's and other ") if plan.listed else ("", "")
    result_columns = [
        Column("model", "模型", "model", _model),
        Column("status", "求解状态", "status", _status),
        Column("existing_sites", "现有医院", "existing hospitals", _integer),
        Column("new_sites", "新建医院", "new hospitals", _integer),
        Column("mean_km_before", "平均距离前（公里）", "mean km before", _km),
        Column("mean_km_after", "平均距离后（公里）", "mean km after", _km),
        Column(
            "covered_share_before",
            f"{plan.radius_km:g} 公里内人口占比（前）",
            f"within {plan.radius_km:g} km before",
            share,
        ),
        Column(
            "covered_share_after",
            f"{plan.radius_km:g} 公里内人口占比（后）",
            f"within {plan.radius_km:g} km after",
            share,
        ),
    ]
    parts += [
        "<h3>"
        + pick(
            f"在哪里建：{province}新增 {people(plan.added, lang)} 张床位（常住口径缺口）",
            f"Where to build: {plan.added:,.0f} beds (resident-basis gap) in {province}",
            lang,
        )
        + "</h3>",
        pick(
            f"<p>设施清单中有坐标的 {plan.listed} 家医院替代其所在城市的地级市驻地。</p>" if plan.listed else "",
            f"<p>The facility list's {plan.listed} located hospitals replace the seats of the cities it covers.</p>"
            if plan.listed
            else "",
            lang,
        ),
        pick(
            f"<p>现有医院（{kept_zh}地级市驻地）在每个模型中都保留（预设设施），"
            "模型在县城选新址。建设前后的可达性："
            f"按需求加权的到最近医院平均距离，以及 {plan.radius_km:g} 公里内的常住人口占比。"
            "把鼠标移到地图上的点可看到地名。</p>",
            f"<p>The existing hospitals ({kept_en}prefecture"
            " seats) stay open in every model (predefined facilities); the models "
            "place new ones at county seats. Access before and after: demand-weighted mean distance to the nearest "
            f"hospital and the share of residents within {plan.radius_km:g} km. Hover a marker on the map for its "
            "place name.</p>",
            lang,
        ),
        html_table(result_rows(plan), result_columns, lang),
        figure_html(_sites_map(plan, geojson, province_code, lang)),
    ]
    return ReportSection(
        SECTION_ORDER,
        "planning",
        pick("按常住人口规划公共服务", "Planning by resident population (按常住人口规划)", lang),
        "\n".join(parts),
    )
