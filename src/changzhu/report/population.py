"""The report's first section: where people live compared with where their hukou is (map and ranking)."""

from __future__ import annotations

from typing import Any

import plotly.graph_objects as go
import polars as pl

from changzhu.data.census import census_2020
from changzhu.data.geo import boundaries, boundaries_within
from changzhu.report.labels import region_names
from changzhu.report.lang import Lang, people, pick
from changzhu.report.maps import choropleth, province_choropleth
from changzhu.report.sections import ReportSection, escape, figure_html, table_box

SHARE = "interprov_in_migrants_share"
CENSUS = {Lang.ZH: "第七次全国人口普查（2020），常住口径", Lang.EN: "7th national census (2020), resident basis"}


def _name(row: dict[str, Any], lang: Lang) -> str:
    return str(row["name_zh"] if lang == Lang.ZH else row.get("name_en") or row["name_zh"])


def inflow_choropleth(provinces: pl.DataFrame, geojson: dict[str, Any], lang: Lang = Lang.ZH) -> go.Figure:
    """Map of the inter-provincial in-migrant share (跨省流入占常住人口) by province."""
    values = {r["code"]: r[SHARE] * 100 for r in provinces.iter_rows(named=True)}
    hover = {
        r["code"]: (
            f"{_name(r, lang)}<br>{pick('常住人口', 'residents', lang)} {people(r['pop_resident_2020'], lang)}<br>"
            f"{pick('跨省流入', 'from other provinces', lang)} {people(r['interprov_in_migrants_2020'], lang)} "
            f"({r[SHARE]:.1%})"
        )
        for r in provinces.iter_rows(named=True)
    }
    return province_choropleth(
        values,
        geojson,
        title=pick(
            "跨省流入人口占常住人口比重（2020）", "Inter-provincial in-migrants, share of residents (2020)", lang
        ),
        colorbar_title=pick("跨省流入 %", "% of residents", lang),
        hover=hover,
        lang=lang,
        data_source=CENSUS[lang],
    )


def inflow_ranking(provinces: pl.DataFrame, lang: Lang = Lang.ZH) -> go.Figure:
    """Provinces ranked by inter-provincial in-migrant share, with 人户分离 share beside it."""
    ranked = provinces.sort(SHARE)
    names = [_name(r, lang) for r in ranked.iter_rows(named=True)]
    figure = go.Figure(
        [
            go.Bar(
                x=(ranked[SHARE] * 100).to_list(),
                y=names,
                orientation="h",
                name=pick("跨省流入", "from other provinces", lang),
            ),
            go.Bar(
                x=(ranked["renhu_fenli_share"] * 100).to_list(),
                y=names,
                orientation="h",
                name=pick("人户分离", "away from hukou township", lang),
            ),
        ]
    )
    figure.update_layout(
        barmode="group",
        height=900,
        margin={"l": 0, "r": 0, "t": 40, "b": 0},
        xaxis_title=pick("占常住人口 %（2020 年人口普查）", "% of residents (2020 census)", lang),
        legend={"orientation": "h", "y": 1.02, "yanchor": "bottom"},
        title=pick("各省跨省流入比重排名", "Provinces ranked by inter-provincial in-migrant share", lang),
    )
    return figure


def level_maps(lang: Lang, province_code: str = "440000") -> list[go.Figure]:
    """The same share by prefecture (national) and by county for one province: every level has its map."""
    census = census_2020()
    figures = []
    for level, frame, collection, national in (
        ("prefecture", census.prefectures, boundaries("prefecture"), True),
        (
            "county",
            census.counties.filter(pl.col("province_code") == province_code),
            boundaries_within("county", province_code),
            False,
        ),
    ):
        values = {
            r["code"]: r["interprov_in_migrants_2020"] / r["pop_resident_2020"] * 100
            for r in frame.iter_rows(named=True)
            if r["pop_resident_2020"]
        }
        if level == "prefecture":  # a municipality is one census unit but two 高德 shapes (重庆 500100, 500200)
            whole = {
                r["province_code"]: values.get(r["code"])
                for r in frame.iter_rows(named=True)
                if r["division_type"] == "municipality"
            }
            for feature in collection["features"]:
                code, province = feature["properties"]["code"], feature["properties"]["province_code"]
                if code not in values and whole.get(province) is not None:
                    values[code] = whole[province]
        names = region_names(frame["code"].to_list(), lang)  # a county with its city (the one lookup)
        hover = {
            r["code"]: f"{names.get(r['code'], r['name_zh'])}<br>"
            f"{pick('常住人口', 'residents', lang)} {people(r['pop_resident_2020'], lang)}<br>"
            f"{pick('跨省流入', 'from other provinces', lang)} {values.get(r['code'], 0):.1f}%"
            for r in frame.iter_rows(named=True)
        }
        province = census.provinces.filter(pl.col("code") == province_code).row(0, named=True)
        title = (
            pick("各地级单位跨省流入比重（2020）", "Inter-provincial in-migrant share by prefecture (2020)", lang)
            if level == "prefecture"
            else pick(
                f"{province['name_zh']}各县（市、区）跨省流入比重（2020）",
                f"{province['name_en']}: inter-provincial in-migrant share by county (2020)",
                lang,
            )
        )
        figures.append(
            choropleth(
                values,
                collection,
                title=title,
                unit=pick("占常住人口 %", "% of residents", lang),
                data_source=CENSUS[lang],
                lang=lang,
                hover=hover,
                national=national,
            )
        )
    return figures


def population_section(provinces: pl.DataFrame, geojson: dict[str, Any], lang: Lang = Lang.ZH) -> ReportSection:
    """Map, ranking and the top rows of the province table."""
    top = provinces.sort(SHARE, descending=True).head(8)
    rows = "".join(
        f"<tr><td class='text'>{escape(_name(r, lang))}</td><td>{people(r['pop_resident_2020'], lang)}</td>"
        f"<td>{people(r['interprov_in_migrants_2020'], lang)}</td><td>{r[SHARE]:.1%}</td>"
        f"<td>{people(r['renhu_fenli_2020'], lang)}</td><td>{r['renhu_fenli_share']:.1%}</td></tr>"
        for r in top.iter_rows(named=True)
    )
    resident = int(provinces["pop_resident_2020"].sum())
    interprov = int(provinces["interprov_in_migrants_2020"].sum())
    renhu = int(provinces["renhu_fenli_2020"].sum())
    intro = pick(
        f"<p>31 个省份共有常住人口 {people(resident, lang)}（现役军人 200 万人只计入全国）。其中 "
        f"{people(renhu, lang)}（{renhu / resident:.1%}）居住地与户口登记地不在同一乡镇街道（人户分离），"
        f"{people(interprov, lang)}（{interprov / resident:.1%}）户口在外省（跨省流入）。"
        "按户籍人口规划的服务看不到他们。</p>",
        f"<p>The 31 provinces have {people(resident, lang)} residents (常住人口; the 2,000,000 active-duty "
        f"military are counted nationally only). {people(renhu, lang)} ({renhu / resident:.1%}) live away from "
        f"the township of their hukou (人户分离); {people(interprov, lang)} ({interprov / resident:.1%}) have "
        "their hukou in another province (跨省流入). Services planned on the registered basis miss them.</p>",
        lang,
    )
    head = pick(
        "<tr><th>省份</th><th>常住人口</th><th>跨省流入</th><th>占比</th><th>人户分离</th><th>占比</th></tr>",
        "<tr><th>province</th><th>residents</th><th>from other provinces</th><th>share</th>"
        "<th>away from hukou township</th><th>share</th></tr>",
        lang,
    )
    body = (
        intro
        + figure_html(inflow_choropleth(provinces, geojson, lang))
        + table_box("<table class='data'>" + head + rows + "</table>", lang)
        + "".join(figure_html(f) for f in level_maps(lang))
        + figure_html(inflow_ranking(provinces, lang))
    )
    return ReportSection(
        10, "population", pick("人住在哪里，户口在哪里", "Where people live, and where their hukou is", lang), body
    )
