"""Where to build, in the planning section of the report: for each sited service (hospitals always; primary and
junior-secondary schools when a school list with coordinates was given) the models' results and a map of the
existing and proposed facilities, with the service's own words, units, legend, data source and estimate note."""

from __future__ import annotations

import math
from dataclasses import dataclass
from html import escape
from typing import Any

import plotly.graph_objects as go
import polars as pl

from changzhu.planning.siting import LEFT_OUT_WHY, SCHOOL_SERVICES, ZONE_WITHOUT_SEAT, SitingPlan, result_rows
from changzhu.report.labels import region_names
from changzhu.report.lang import Lang, pick
from changzhu.report.maps import X_SCALE, every_unit, known_figure, map_note, one_value
from changzhu.report.sections import figure_html
from changzhu.report.tables import Column, html_table, share

MODEL = {
    "p_median": ("p-中位（总距离最小）", "p-median (least total distance)"),
    "max_covering": ("最大覆盖", "maximum covering"),
    "set_covering": ("集合覆盖（全部覆盖所需最少）", "set covering (fewest to cover all)"),
}


@dataclass(frozen=True)
class Words:
    """How the report speaks of one sited service, (Chinese, English) each."""

    facility: tuple[str, str]  # one facility: 医院, hospital
    facilities: tuple[str, str]  # several: 医院, hospitals
    capacity: tuple[str, str]  # what it holds: 床位, beds
    counter: str  # the Chinese measure word before the capacity after a number: 张 (张床位)
    counter_of_facilities: str  # and before the facilities: 家 (医院), 所 (学校)
    counted: tuple[str, str]  # whom the standard counts (demand weights): 常住人口, residents
    per_1000: tuple[str, str]  # the access measure: 每千人床位, beds per 1,000 residents
    decimals: int  # of the access measure
    supply_source: tuple[str, str]  # the statistic the capacity outside a list comes from


WORDS: dict[str, Words] = {
    "hospital_beds": Words(
        ("医院", "hospital"),
        ("医院", "hospitals"),
        ("床位", "beds"),
        "张",
        "家",
        ("常住人口", "residents"),
        ("每千人床位", "beds per 1,000 residents"),
        2,
        ("国家统计局 2019 年分省医院床位", "NBS 2019 provincial hospital beds"),
    ),
    "primary_school_places": Words(
        ("小学", "primary school"),
        ("小学", "primary schools"),
        ("小学学位", "primary-school places"),
        "个",
        "所",
        ("6–11 岁儿童", "children aged 6–11"),
        ("每千名 6–11 岁儿童的小学学位", "primary places per 1,000 children aged 6–11"),
        0,
        ("国家统计局 2019 年分省小学在校生（代学位数）", "NBS 2019 provincial primary enrolment (for places)"),
    ),
    "junior_secondary_places": Words(
        ("初中", "junior secondary school"),
        ("初中", "junior secondary schools"),
        ("初中学位", "junior-secondary places"),
        "个",
        "所",
        ("12–14 岁儿童", "children aged 12–14"),
        ("每千名 12–14 岁儿童的初中学位", "junior places per 1,000 children aged 12–14"),
        0,
        ("国家统计局 2019 年分省初中在校生（代学位数）", "NBS 2019 provincial junior-secondary enrolment (for places)"),
    ),
}


def _say(pair: tuple[str, str], lang: Lang) -> str:
    return pick(pair[0], pair[1], lang)


def _amount(value: float, words: Words, lang: Lang) -> str:
    """An amount of capacity: 约 12,000 张床位, 12,000 beds."""
    return pick(f"{value:,.0f} {words.counter}{words.capacity[0]}", f"{value:,.0f} {words.capacity[1]}", lang)


def _estimate(plan: SitingPlan, lang: Lang) -> str:
    """What the plan's access figures are, in `lang`: for schools citing the school-age shares of the scenario it
    ran under (the national ones without one), which its source names."""
    return plan.access_estimate().text(lang)


def data_source(words: Words, listed: int, lang: Lang) -> str:
    """What a siting map and table are computed from."""
    listed_text = (
        pick(
            f"；上传的设施清单（{listed} {words.counter_of_facilities}有坐标）",
            f"; the uploaded facility list ({listed} located)",
            lang,
        )
        if listed
        else ""
    )
    return (
        pick("2020 年人口普查（县级常住人口与驻地坐标）；", "2020 census (county residents and seats); ", lang)
        + _say(words.supply_source, lang)
        + listed_text
        + pick("；changzhu 计算", "; changzhu", lang)
    )


def _km(value: Any, lang: Lang) -> str:
    return "—" if value is None else f"{float(value):,.1f}"


def _integer(value: Any, lang: Lang) -> str:
    return "—" if value is None else f"{int(value):,}"


def _model(value: Any, lang: Lang) -> str:
    zh, en = MODEL.get(str(value), (str(value), str(value)))
    return pick(zh, en, lang)


def _status(value: Any, lang: Lang) -> str:
    text = str(value)
    return pick({"optimal": "最优"}.get(text.lower(), text), text, lang)


def _apportioned(words: Words, listed: int, lang: Lang) -> str:
    """What the prefecture seats hold: the province's capacity outside a list, apportioned (an estimate)."""
    capacity = _say(words.capacity, lang)
    if listed:
        return pick(
            f"其余{capacity}按本地户籍常住人口分摊到地级市驻地，估算",
            f"the rest of the province's {capacity} apportioned to prefecture seats by local-hukou residents:"
            " an estimate",
            lang,
        )
    return pick(
        f"全省{capacity}按本地户籍常住人口分摊到地级市驻地，估算",
        f"the province's {capacity} apportioned to prefecture seats by local-hukou residents: an estimate",
        lang,
    )


def _held_names(words: Words, lang: Lang) -> tuple[str, str]:
    """The legend of a list's facilities and of the prefecture seats standing for the rest of the supply (short: a
    phone shows a legend entry on one line; the paragraph above the table says how the seats' share is made)."""
    many, capacity = _say(words.facilities, lang), _say(words.capacity, lang)
    return (
        pick(f"设施清单中的{many}（保留）", f"the list's {many} (kept open)", lang),
        pick(f"地级市驻地（分摊的{capacity}，估算）", "prefecture seats (apportioned, estimate)", lang),
    )


def sites_map(plan: SitingPlan, province_code: str, geojson: dict[str, Any], lang: Lang) -> go.Figure:
    """The province's counties coloured by access before, the existing facilities (a list's, and the prefecture
    seats holding the rest of the supply) and the proposed ones: every marker names its place."""
    words = WORDS[plan.service]
    fig = go.Figure()
    _boundary(fig, geojson, province_code)
    pts, sites = plan.points, plan.sites
    names = region_names({*pts["region_code"], *sites["region_code"]}, lang)
    place = [names.get(c, n) for c, n in zip(pts["region_code"], pts["region_name_zh"], strict=True)]
    heaviest = max(float(w) for w in pts["weight"].to_list()) or 1.0
    digits = words.decimals
    one, per_1000 = _say(words.facility, lang), _say(words.per_1000, lang)
    before = pts["access_before_per_1000"].to_list()
    scale_title = pick(f"{per_1000}<br>（建设前，估算）", f"{per_1000}<br>(before, estimate)", lang)
    # every county at one value (伊春: the one seat's county and its neighbour at 0): a scale from 0.0 to 0.0 says
    # nothing, the legend says the value and that every county has it
    same = one_value([b for b in before if b is not None], digits)
    fig.add_scatter(
        x=[x * X_SCALE for x in pts["lon"].to_list()],
        y=pts["lat"].to_list(),
        mode="markers",
        marker={
            "size": [4 + 18 * math.sqrt(w / heaviest) for w in pts["weight"].to_list()],
            "color": before,
            "colorscale": "YlOrRd",
            "reversescale": True,
            "showscale": same is None,
            "colorbar": {  # across the top, so that on a phone the map keeps the width
                "title": {"text": scale_title, "side": "top"},
                "orientation": "h",
                "x": 0.5,
                "xanchor": "center",
                "y": 1.0,
                "yanchor": "bottom",
                "len": 0.9,
                "thickness": 10,
            },
        },
        text=[
            pick(
                f"{n}<br>{per_1000} {b:,.{digits}f} → {a:,.{digits}f}<br>到最近{one} {kb:.0f} → {ka:.0f} 公里",
                f"{n}<br>{per_1000}: {b:,.{digits}f} → {a:,.{digits}f}<br>nearest {one} {kb:.0f} → {ka:.0f} km",
                lang,
            )
            for n, b, a, kb, ka in zip(
                place,
                pts["access_before_per_1000"],
                pts["access_after_per_1000"],
                pts["nearest_km_before"],
                pts["nearest_km_after"],
                strict=True,
            )
        ],
        hoverinfo="text",
        name=pick(
            f"县（市、区），大小为{_say(words.counted, lang)}", f"counties (size: {_say(words.counted, lang)})", lang
        ),
    )
    listed_name, seats_name = _held_names(words, lang)
    held = sites.filter(pl.col("existing"))
    for rows, label, symbol in (
        (held.filter(pl.col("facility_name").is_not_null()), listed_name, "square"),
        (held.filter(pl.col("facility_name").is_null()), seats_name, "diamond"),
    ):
        if rows.height == 0:
            continue
        fig.add_scatter(
            x=[x * X_SCALE for x in rows["lon"].to_list()],
            y=rows["lat"].to_list(),
            mode="markers",
            marker={"symbol": symbol, "size": 9, "color": "#555"},
            text=[
                f or names.get(c, n or c)
                for f, c, n in zip(rows["facility_name"], rows["region_code"], rows["region_name_zh"], strict=True)
            ],
            hoverinfo="text",
            name=label,
        )
    chosen = [n for n, site in zip(place, pts["p_median_site"], strict=True) if site]
    each = _amount(plan.added / len(chosen) if chosen else 0.0, words, lang)
    adds = pick(f"新增约 {each}", f"about {each} more", lang) if plan.added > 0 else pick("不新增", "none added", lang)
    fig.add_scatter(
        x=[x * X_SCALE for x in pts.filter(pl.col("p_median_site"))["lon"].to_list()],
        y=pts.filter(pl.col("p_median_site"))["lat"].to_list(),
        mode="markers",
        marker={"symbol": "star", "size": 16, "color": "#1f77b4", "line": {"color": "black", "width": 1}},
        text=[pick(f"拟建{one}：{n}<br>{adds}", f"proposed {one}: {n}<br>{adds}", lang) for n in chosen],
        hoverinfo="text",
        name=pick(
            f"拟建{_say(words.facilities, lang)}（p-中位模型）",
            f"proposed {_say(words.facilities, lang)} (p-median)",
            lang,
        ),
    )
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False, scaleanchor="x", scaleratio=1)
    fig.update_layout(
        title=pick(
            f"拟建{_say(words.facilities, lang)}选址与两步移动搜索法可达性",
            f"Proposed {_say(words.facilities, lang)} and 2SFCA access",
            lang,
        ),
        height=620,
        plot_bgcolor="white",
        legend={"orientation": "h", "y": -0.02, "yanchor": "top"},
        margin={"l": 10, "r": 10, "t": 120, "b": 10},
    )
    if same is not None:  # where the scale would be: the one value, said so (of those with one, if some have none)
        said = every_unit(f"{same:,.{digits}f}", lang, all_known=all(known_figure(b) for b in before))
        fig.add_annotation(
            text=f"{scale_title}<br>{said}",
            showarrow=False,
            xref="paper",
            yref="paper",
            x=0.5,
            y=1.0,
            xanchor="center",
            yanchor="bottom",
            font={"size": 12},
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


def left_out_note(plan: SitingPlan, lang: Lang) -> str:
    """What the plan leaves out: the county-level units without a seat point, their residents and why (a plan
    that does not say is named as such, never as "none left out")."""
    if plan.left_out is None:
        return pick(
            "<p class='note'>本方案未记录哪些县级单位因缺少驻地坐标而未参与选址。</p>",
            "<p class='note'>This plan does not record which county-level units were left out for want of a seat "
            "point.</p>",
            lang,
        )
    left = plan.left_out
    if left.is_empty():
        return ""
    names = region_names(left["region_code"].to_list(), lang)
    zh, en = LEFT_OUT_WHY[ZONE_WITHOUT_SEAT]
    zone = pick(f"（{zh}）", f" ({en})", lang)
    listed = pick("、", "; ", lang).join(
        f"{names.get(code, zh)} {residents:,}" + (zone if reason == ZONE_WITHOUT_SEAT else "")
        for code, zh, residents, reason in left.select(
            "region_code", "region_name_zh", "residents", "reason"
        ).iter_rows()
    )
    total = int(left["residents"].sum())
    return pick(
        f"<p class='note'>未参与选址：{left.height} 个县级单位、常住人口 {total:,} 人——数据中没有它们的驻地坐标，"
        f"因此它们既不是需求点也不是候选地址，上面的距离和覆盖不含这些人（{escape(listed)}）。</p>",
        f"<p class='note'>Left out of this siting: {left.height} county-level units with {total:,} residents — the "
        "data holds no seat point for them, so they are neither demand points nor candidate sites, and the distances "
        f"and coverage above do not include these people ({escape(listed)}).</p>",
        lang,
    )


def result_columns(plan: SitingPlan, lang: Lang) -> list[Column]:
    """The models' results (planning.siting.result_rows) as the report's table and `changzhu plan` show them: the
    model and status in words, access before and after with its unit and radius."""
    many = _say(WORDS[plan.service].facilities, lang)
    radius, counted_zh = f"{plan.radius_km:g}", WORDS[plan.service].counted[0]
    return [
        Column("model", "模型", "Model", _model),
        Column("status", "求解状态", "Status", _status),
        Column("existing_sites", f"现有{many}", f"Existing {many}", _integer),
        Column("new_sites", f"新建{many}", f"New {many}", _integer),
        Column("mean_km_before", "平均距离前（公里）", "Mean km before", _km),
        Column("mean_km_after", "平均距离后（公里）", "Mean km after", _km),
        Column("covered_share_before", f"{radius} 公里内{counted_zh}占比（前）", f"Within {radius} km before", share),
        Column("covered_share_after", f"{radius} 公里内{counted_zh}占比（后）", f"Within {radius} km after", share),
    ]


def siting_heading(plan: SitingPlan, province_code: str, lang: Lang) -> str:
    """Where to build a service in a province, by its name in `lang`: the report's heading and the CLI's title."""
    words = WORDS[plan.service]
    province = region_names([province_code], lang).get(province_code, province_code)
    many = _say(words.facilities, lang)
    if plan.added <= 0:
        capacity = _say(words.capacity, lang)
        return pick(
            f"在哪里建{many}：{province}按常住口径没有{capacity}缺口",
            f"Where to build {many}: no resident-basis shortage of {capacity} in {province}",
            lang,
        )
    return pick(
        f"在哪里建{many}：{province}新增 {_amount(plan.added, words, lang)}（常住口径缺口）",
        f"Where to build {many}: {_amount(plan.added, words, lang)} (resident-basis gap) in {province}",
        lang,
    )


def siting_part(plan: SitingPlan, province_code: str, geojson: dict[str, Any], lang: Lang) -> str:
    """The heading, explanation, results table, map and notes (data source, estimate) of one sited service."""
    words = WORDS[plan.service]
    one, many = _say(words.facility, lang), _say(words.facilities, lang)
    radius = f"{plan.radius_km:g}"
    counted = _say(words.counted, lang)
    columns = result_columns(plan, lang)
    existing = pick(
        f"设施清单中有坐标的 {plan.listed} {words.counter_of_facilities}{many}，以及清单未覆盖的城市的驻地"
        f"（{_apportioned(words, plan.listed, lang)}）",
        f"the facility list's {plan.listed} located {many}, and the seats of the cities it does not cover"
        f" ({_apportioned(words, plan.listed, lang)})",
        lang,
    )
    if not plan.listed:
        existing = pick(
            f"地级市驻地（{_apportioned(words, 0, lang)}）",
            f"the prefecture seats ({_apportioned(words, 0, lang)})",
            lang,
        )
    explain = pick(
        f"<p>现有{many}——{existing}——在每个模型中都保留（预设设施），模型在县城选新址；需求按各县{counted}加权。"
        f"建设前后的可达性：按需求加权的到最近{one}平均距离，以及 {radius} 公里内的{counted}占比。"
        "把鼠标移到地图上的点可看到地名。</p>",
        f"<p>The existing {many} — {existing} — stay open in every model (predefined facilities); the models place "
        f"new ones at county seats, each county weighted by its {counted}. Access before and after: the "
        f"demand-weighted mean distance to the nearest {one} and the share of {counted} within {radius} km. Hover a "
        "marker on the map for its place name.</p>",
        lang,
    )
    notes = (
        f"<p class='note'>{escape(map_note(lang, data_source(words, plan.listed, lang)))}</p>"
        f"<p class='note'>{escape(_estimate(plan, lang))}</p>"
    )
    heading = siting_heading(plan, province_code, lang)
    if plan.added <= 0:
        capacity = _say(words.capacity, lang)
        explain += pick(
            f"<p class='note'>全省{capacity}总数不少于常住口径的需求，所以新址不新增{capacity}：模型选出的县城只说明"
            f"新建或迁建{many}放在哪里最能缩短距离；建设后的每千人指标与建设前相同。</p>",
            f"<p class='note'>The province's {capacity} are not fewer than the resident-basis demand, so the new sites "
            f"add none: the county seats the models choose say where new or relocated {many} would shorten distances "
            "most; access per 1,000 after is the same as before.</p>",
            lang,
        )
    return "\n".join(
        [
            f"<h3>{escape(heading)}</h3>",
            explain,
            html_table(result_rows(plan), columns, lang, stack=True),
            figure_html(sites_map(plan, province_code, geojson, lang)),
            left_out_note(plan, lang),
            notes,
        ]
    )


def no_school_list(lang: Lang) -> str:
    """What the report says where no school list was given: schools are sited from one."""
    stages = pick("、", ", ", lang).join(_say(WORDS[s].facilities, lang) for s in SCHOOL_SERVICES)
    return pick(
        f"<p class='note'>{stages}的选址需要一份有坐标的学校清单（changzhu plan --facilities 学校清单.csv）：本次没有，"
        "所以只给出医院的选址。在办公系统上传的设施清单用于服务缺口，不用于这里的选址。</p>",
        f"<p class='note'>Siting {stages} needs a school list with coordinates (changzhu plan --facilities "
        "schools.csv): none was given, so only hospitals are sited. A facility list uploaded in the office is used "
        "for the service gaps, not for this siting.</p>",
        lang,
    )
