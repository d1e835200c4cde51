"""The planning part of the HTML report: gap by region on both bases, projected growth, proposed sites."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from typing import Any

import plotly.graph_objects as go
import polars as pl

from changzhu.data.census import CENSUS_DAY
from changzhu.domain.lang import of_region, region_label
from changzhu.parameters import Scenario, parameter_tree
from changzhu.planning.population import school_age_cited
from changzhu.planning.siting import SCHOOL_SERVICES, SitingPlan
from changzhu.report.labels import region_names, service_name
from changzhu.report.lang import Lang, people, pick
from changzhu.report.maps import province_choropleth
from changzhu.report.sections import ReportSection, figure_html
from changzhu.report.siting import WORDS, no_school_list, siting_part
from changzhu.report.tables import Column, count, decimal, html_table, share, yuan
from changzhu.tables.vocab import shipped_region_index

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


def _named(frame: pl.DataFrame, lang: Lang) -> pl.DataFrame:
    """`region_name_zh` in the report's language by the one lookup (a district with its city), the Chinese name
    the frame holds where a code is not shipped."""
    names = region_names(frame["region_code"].unique().to_list(), lang)
    return frame.with_columns(
        pl.col("region_code").replace_strict(names, default=pl.col("region_name_zh")).alias("region_name_zh")
    )


def listed_supply(listed: pl.DataFrame | None, lang: Lang, service: str | None = None) -> str:
    """Where an uploaded facility list, not the shipped statistics, gives the supply (`listed`: the list's
    replacement summary, region_code and service; only `service`'s where given), else ""."""
    rows = None if listed is None else listed if service is None else listed.filter(pl.col("service") == service)
    if rows is None or rows.height == 0:
        return ""
    names = region_names(rows["region_code"].unique().to_list(), lang)
    joiner = pick("、", ", ", lang)
    by_region = rows.group_by("region_code").agg(pl.col("service").unique().sort()).sort("region_code")
    places = pick("；", "; ", lang).join(
        region_label(names.get(code, ""), code, lang)
        if service
        else of_region(names.get(code, ""), code, joiner.join(service_name(s, lang) for s in kinds), lang)
        for code, kinds in by_region.iter_rows()
    )
    return pick(
        f"供给来自上传的设施清单（不是国家统计局的统计数）：{places}",
        f"supply from an uploaded facility list, not the NBS statistics: {places}",
        lang,
    )


def _towns_named(towns: pl.DataFrame, lang: Lang) -> pl.DataFrame:
    """The mega-town table with its county, city and province named by the one lookup in the report's language."""
    city_of = shipped_region_index().city_of
    codes = towns["region_code"].to_list()
    cities = [city_of.get(code, code) for code in codes]
    provinces = [code[:2] + "0000" for code in codes]
    names = region_names({*codes, *cities, *provinces}, lang)
    return _named(towns, lang).with_columns(
        pl.Series("city_name_zh", [names.get(c, n) for c, n in zip(cities, towns["city_name_zh"], strict=True)]),
        pl.Series(
            "province_name_zh", [names.get(c, n) for c, n in zip(provinces, towns["province_name_zh"], strict=True)]
        ),
    )


def _gap_bars(side: pl.DataFrame, service: str, title: str, lang: Lang) -> go.Figure:
    df = _named(side.filter(pl.col("service") == service).sort("gap_resident", descending=True), lang)
    regions = df["region_name_zh"].to_list()
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
        # in what the service counts: 张 (beds), 个 (places); the axis said only "gap = demand − supply"
        yaxis_title=pick(
            f"缺口 = 需求 − 供给（{WORDS[service].counter}）",
            f"gap = demand − supply ({WORDS[service].capacity[1]})",
            lang,
        ),
        yaxis_tickformat=",",
        legend={"orientation": "h", "y": -0.35},
        margin={"l": 50, "r": 10, "t": 50, "b": 10},
    )
    return fig


def _kind(value: Any, lang: Lang) -> str:
    zh, en = UNIT_KIND.get(str(value), (str(value), str(value)))
    return pick(zh, en, lang)


def _service(value: Any, lang: Lang) -> str:
    """A service with the unit its supply, demand and gap count in (医院床位（张）, "Hospital beds (number of beds)"):
    the gap table's figures, 54.5万, said neither beds nor places."""
    name = service_name(str(value), lang)
    words = WORDS.get(str(value))
    if words is None:
        return name
    return pick(f"{name}（{words.counter}）", f"{name} (number of {words.capacity[1]})", lang)


def parameters_used(scenario: Scenario | None, lang: Lang) -> str:
    """Whose parameters the section's figures use: the school-age shares it scaled the 5–14 band by, cited by label,
    value and source; under a scenario, its name and the national parameters it set (each cited with the value the
    section used), and how many it set for one region only."""
    shares = school_age_cited(scenario)
    said = pick(
        f"学龄儿童按5–14岁人口的学龄占比推算：{shares[0]}。",
        f"Children of school age are a share of the census 5–14 band: {shares[1]}.",
        lang,
    )
    if scenario is None:
        return (
            "<p class='note'>"
            + escape(pick("参数：国家参数表。", "Parameters: the national tables. ", lang) + said)
            + "</p>"
        )
    tree = parameter_tree()
    known = tree.resolve(None)
    national = list(
        dict.fromkeys(o.parameter for o in scenario.overrides if o.jurisdiction is None and o.parameter in known)
    )
    regional = sum(1 for o in scenario.overrides if o.jurisdiction is not None and o.parameter in known)
    zh, en = tree.citation(national, CENSUS_DAY, scenario=scenario) if national else ("", "")
    opening = pick(
        f"参数：改革情景“{scenario.name}”的设定，其余为国家参数表。",
        f"Parameters: scenario {scenario.name!r}, the national tables for the rest. ",
        lang,
    )
    if national:
        opening += pick(f"本节用到的情景设定：{zh}。", f"The scenario sets: {en}. ", lang)
    if regional:
        opening += pick(
            f"另有 {regional} 项只对某一地区的设定。", f"It sets {regional} more for one region only. ", lang
        )
    return "<p class='note'>" + escape(opening + said) + "</p>"


# the standards by their documents (the parameters' own sources: parameters/files/planning.yaml), never by a file name
DEMAND_NOTE = (
    "<p>需求 = 人口 × 配置标准（国家规划标准：床位、医师和护士按《全国医疗卫生服务体系规划纲要（2015—2020年）》，"
    "学位按《中华人民共和国义务教育法》，中小学教职工按《关于统一城乡中小学教职工编制标准的通知》"
    "（中央编办发〔2014〕72号）；取 2020-11-01 普查日有效的标准）；"
    "供给 = 国家统计局 2019 年分省数字；缺口 = 需求 − 供给（正数为短缺）。户籍口径按本地户籍常住人口"
    "（常住人口 − 跨省流入人口，2020 年普查）计算：省级精确，省以下为上限；"
    "学龄组按其占常住人口的比例推算，是估算。分子年份 2019，人口年份 2020。"
    "补齐缺口的费用只计短缺，单位成本为规划估算值，不是官方数字。</p>",
    "<p>Demand = population × standard (the national planning standards: beds, doctors and nurses per 1,000 "
    "residents from the National Medical and Health Service System Plan 2015–2020, school places from the "
    "Compulsory Education Law, primary and secondary school staff from the State Commission Office for Public "
    "Sector Reform's 2014 staffing standard for urban and rural schools (中央编办发〔2014〕72号); values in force "
    "on the census date 2020-11-01); supply = NBS 2019 provincial figures; gap = demand − supply (positive: "
    "shortage). The hukou basis counts local-hukou residents (本地户籍常住人口) = residents − inter-provincial "
    "in-migrants (2020 census): exact for provinces, an upper bound below; a school-age group is scaled by its share "
    "of residents, an estimate. Numerator year 2019, population year 2020. The cost to close counts shortages only, "
    "at unit costs that are planning estimates, not official figures.</p>",
)


def demand_note(lang: Lang) -> str:
    """How demand, supply and the gap are counted, and whose standards the demand uses, for a planner."""
    return pick(*DEMAND_NOTE, lang)


def planning_section(
    gaps: pl.DataFrame,
    side: pl.DataFrame,
    growth: pl.DataFrame,
    growth_prefecture: pl.DataFrame,
    towns: pl.DataFrame,
    plans: Sequence[SitingPlan],
    province_code: str,
    geojson: dict[str, Any],
    lang: Lang = Lang.ZH,
    listed: pl.DataFrame | None = None,
    scenario: Scenario | None = None,
) -> ReportSection:
    """The report fragment: maps and charts plus the tables behind them (`plans`: where to build, hospitals first,
    then the schools a school list let be sited; `listed`: what an uploaded facility list supplies in place of the
    statistics, its replacement summary; `scenario`: the reform whose parameters the figures used, named with them)."""
    listed_beds = listed_supply(listed, lang, "hospital_beds")
    listed_all = listed_supply(listed, lang)
    beds = _named(side.filter(pl.col("service") == "hospital_beds"), lang)
    hover = {
        r["region_code"]: pick(
            f"{r['region_name_zh']}<br>按常住人口缺口 {people(r['gap_resident'], lang)} 张<br>"
            f"按本地户籍常住人口缺口 {people(r['gap_local_hukou_resident'], lang)} 张",
            f"{r['region_name_zh']}<br>resident gap {r['gap_resident']:,.0f} beds<br>"
            f"local-hukou gap {r['gap_local_hukou_resident']:,.0f} beds",
            lang,
        )
        for r in beds.iter_rows(named=True)
    }
    gap_columns = [
        Column("region_name_zh", "地区", "Region"),
        Column("service", "服务", "Service", _service),
        Column("supply", "供给", "Supply", count),
        Column("demand_local_hukou_resident", "需求（本地户籍常住）", "Demand, local-hukou residents", count),
        Column("demand_resident", "需求（常住）", "Demand, residents", count),
        Column("gap_local_hukou_resident", "缺口（本地户籍常住）", "Gap, local-hukou residents", count),
        Column("gap_resident", "缺口（常住）", "Gap, residents", count),
        Column(
            "gap_cost_yuan_resident",
            "补齐缺口费用（常住，亿元，估算）",
            "Cost to close, residents (100 million yuan, estimate)",
            yuan,
        ),
    ]
    gap_rows = _named(side, lang)
    parts = [
        demand_note(lang)
        + parameters_used(scenario, lang)
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
        html_table(gap_rows, gap_columns, lang, 62, stack=True),
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
    top = _named(pl.concat([growth_prefecture.head(15), growth_prefecture.tail(15)]), lang)
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
        Column("region_name_zh", "县级单位", "County-level unit"),
        Column("city_name_zh", "所属地级市", "City"),
        Column("province_name_zh", "省份", "Province"),
        Column("unit_kind", "类型", "Kind", _kind),
        Column("pop_resident_2020", "常住人口", "Residents", count),
        Column("renhu_fenli_share", "人户分离占比", "Away from hukou township", share),
        Column("interprov_share", "跨省流入占比", "From other provinces", share),
        Column("load_ratio", "人口 ÷ 同类中位数", "Residents ÷ median of its kind", decimal),
    ]
    parts += [
        "<h3>"
        + pick(
            "超大县镇（承载城市规模人口的县级单位）",
            "Mega-towns (county-level units carrying a city's population)",
            lang,
        )
        + "</h3>",
        html_table(_towns_named(towns, lang), town_columns, lang, 30, stack=True),
    ]
    parts += [siting_part(plan, province_code, geojson, lang) for plan in plans]
    if not any(plan.service in SCHOOL_SERVICES for plan in plans):
        parts.append(no_school_list(lang))
    return ReportSection(
        SECTION_ORDER,
        "planning",
        pick("按常住人口规划公共服务", "Planning by resident population (按常住人口规划)", lang),
        "\n".join(parts),
    )
