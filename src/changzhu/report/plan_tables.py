"""The tables `changzhu plan` prints and exports (--export), in the language asked for: the shortage summed over
provinces, where to build, what a facility list replaced; headers, services, models and regions in words, units and
estimates in the headers, the estimate note in the language's half. The files under <out>/planning keep the frames'
columns and codes, for scripts (docs/planning.md)."""

from __future__ import annotations

import polars as pl

from changzhu.domain.estimates import shortage_cost
from changzhu.domain.lang import Lang, of_region, sentence, with_code
from changzhu.planning.facilities import INCOMPLETE_SHARE, SOURCE_FACILITIES, share_of_estimate
from changzhu.planning.gaps import CENSUS_NOTE, LOCAL_AGE_GROUP_NOTE, SCENARIO_NOTE, SOURCE_APPORTIONED, SOURCE_NBS
from changzhu.planning.population import LOCAL_HUKOU_BASIS_NOTE
from changzhu.planning.siting import SitingPlan, result_rows
from changzhu.report.code_words import in_words
from changzhu.report.file_figures import as_read
from changzhu.report.labels import region_names, service_name
from changzhu.report.siting import result_columns
from changzhu.report.tables import share, text_frame
from changzhu.rules.labels import FILE_COLUMNS, GAP_COLUMNS, SUMMARY_COLUMNS, YES_NO, pick_label

SHORTAGE_SERVICES = ("hospital_beds", "primary_school_places")
SHORTAGE_PLACES = {"shortage_hukou_basis": 0, "shortage_resident_basis": 0, "cost_to_close_resident_yi": 2}


def estimate_in(note: str, lang: Lang) -> str:
    """The language's half of an estimate label written "中文 / English" (domain/estimates.py)."""
    zh, en = note.split(" / ", 1)
    return zh if lang == Lang.ZH else en


def shortage_in(side: pl.DataFrame, lang: Lang, unit_costs: tuple[str, str]) -> pl.DataFrame:
    """Beds and primary places short, summed over the provinces short of them, on both bases, and the cost of
    closing the resident-basis shortage in 亿元 (an estimate), with the estimate note in `lang` citing the unit costs
    used (planning.standards.unit_costs_cited)."""
    summary = (
        side.filter(pl.col("service").is_in(SHORTAGE_SERVICES))
        .group_by("service")
        .agg(
            pl.col("gap_local_hukou_resident").clip(lower_bound=0).sum().alias("shortage_hukou_basis"),
            pl.col("gap_resident").clip(lower_bound=0).sum().alias("shortage_resident_basis"),
            (pl.col("gap_cost_yuan_resident").sum() / 1e8).alias("cost_to_close_resident_yi"),
        )
        .sort("service")
    )
    out = summary.with_columns(
        pl.col("service").replace_strict({s: service_name(s, lang) for s in SHORTAGE_SERVICES}),
        *(pl.col(c).round(p) for c, p in SHORTAGE_PLACES.items()),
        pl.lit(estimate_in(shortage_cost(unit_costs), lang)).alias("estimate_note"),
    )
    return out.rename({c: pick_label(FILE_COLUMNS[c], lang) for c in out.columns})


def sites_in(plan: SitingPlan, lang: Lang) -> pl.DataFrame:
    """The models' results as the report's where-to-build table shows them (the solver's objective, bound, gap and
    seconds stay in location_results.parquet)."""
    return text_frame(result_rows(plan), result_columns(plan, lang), lang)


def percent_header(header: str, lang: Lang) -> str:
    """The header of a share written as a percentage in a file: 清单占估计的比例（%）, list as share of estimate (%)."""
    return f"{header}（%）" if lang == Lang.ZH else f"{header} (%)"


def sites_file_in(plan: SitingPlan, lang: Lang) -> pl.DataFrame:
    """sites_in as `changzhu plan --export` writes it: the model and status in words, every figure a number a
    spreadsheet sums (sites as whole numbers, kilometres to one decimal, coverage in per cent to one decimal, its
    header saying %), not the text the screen shows; an unknown figure an empty cell."""
    rows = result_rows(plan)
    out: list[pl.Series] = []
    for column in result_columns(plan, lang):
        header, cells = column.header(lang), rows[column.key]
        if not cells.dtype.is_numeric():
            show = column.show
            out.append(pl.Series(header, [v if show is None else show(v, lang) for v in cells.to_list()], pl.String))
        elif column.show is share:
            out.append((cells * 100).round(1).alias(percent_header(header, lang)))
        else:
            out.append((cells.round(1) if cells.dtype.is_float() else cells).alias(header))
    return pl.DataFrame(out)


def replaced_in(replaced: pl.DataFrame, lang: Lang, *, file: bool = False) -> pl.DataFrame:
    """What a facility list replaced (planning.facilities.replacement_summary): the region by name and code, the
    service by name, the list's share of the estimate as a percentage: as text on the screen (45%, 0.4%, — where
    none), as a number in a `file` (45.0, in a column headed %; an empty cell where none)."""
    names = region_names(replaced["region_code"].unique().to_list(), lang)

    def header(column: str) -> str:
        return pick_label(SUMMARY_COLUMNS[column][:2], lang)

    shares = replaced["list_share_of_estimate"]
    share_column = (
        (shares * 100).round(1).alias(percent_header(header("list_share_of_estimate"), lang))
        if file
        else pl.Series(
            header("list_share_of_estimate"),
            ["—" if v is None else share_of_estimate(v) for v in shares.to_list()],
            pl.String,
        )
    )
    return pl.DataFrame(
        {
            header("region_code"): [with_code(names.get(c, c), c, lang) for c in replaced["region_code"].to_list()],
            header("service"): [service_name(s, lang) for s in replaced["service"].to_list()],
            header("facilities"): replaced["facilities"],
            header("facility_list_supply"): replaced["facility_list_supply"].round(0),
            header("estimate_replaced"): replaced["estimate_replaced"].round(0),
        }
    ).with_columns(share_column)


def incomplete_in(replaced: pl.DataFrame, lang: Lang) -> list[str]:
    """planning.facilities.possibly_incomplete in `lang`, the region and service by name: a warning for each list
    holding under half the estimate it replaces."""
    low = replaced.filter(pl.col("list_share_of_estimate") < INCOMPLETE_SHARE)
    names = region_names(low["region_code"].unique().to_list(), lang)
    rows = low.select(
        "region_code", "service", "list_share_of_estimate", "facility_list_supply", "estimate_replaced"
    ).iter_rows()
    return [
        f"{of_region(names.get(code, ''), code, service_name(service, lang), lang)}：清单只有它替换的估计供给的"
        f" {share_of_estimate(share)}（{listed:,.0f} / {estimate:,.0f}）；清单被当作该地区的全部供给，不完整的清单会让"
        "短缺显得更大"
        if lang == Lang.ZH
        else f"{sentence(of_region(names.get(code, ''), code, service_name(service, lang), lang))}: the list holds"
        f" {share_of_estimate(share)} of the estimated supply it replaces ({listed:,.0f} of {estimate:,.0f});"
        " a list is taken as the region's whole supply, so a partial list makes the shortage look larger"
        for code, service, share, listed, estimate in rows
    ]


BASES: dict[str, tuple[str, str]] = {
    "resident": ("常住人口", "residents"),
    "local_hukou_resident": ("本地户籍常住人口", "local-hukou residents"),
}
COST_KINDS: dict[str, tuple[str, str]] = {"capital": ("建设一次", "built once"), "annual": ("每年", "every year")}
# the gap table's notes and sources (planning/gaps.py, planning/population.py) -> (Chinese, English)
GAP_NOTES: dict[str, tuple[str, str]] = {
    CENSUS_NOTE: ("2020 年人口普查常住人口", "census 2020 resident population"),
    SCENARIO_NOTE: (
        "情景人口（changzhu plan --population），不是普查数",
        "scenario population (changzhu plan --population), not the census",
    ),
    LOCAL_HUKOU_BASIS_NOTE: (
        "本地户籍常住人口 = 常住人口 − 跨省流入人口（2020 年普查）；省级精确，地级和县级为上限（省内迁移未计）",
        "local-hukou residents = residents − inter-provincial in-migrants (2020 census); exact for provinces, an upper"
        " bound for prefectures and counties (moves within a province are not counted)",
    ),
    f"{LOCAL_HUKOU_BASIS_NOTE}; {LOCAL_AGE_GROUP_NOTE}": (
        "本地户籍常住人口 = 常住人口 − 跨省流入人口（2020 年普查）；省级精确，地级和县级为上限（省内迁移未计）；"
        "学龄组按其占常住人口的比例推算，所以这项需求在各级都是估算：数据中没有流动人口自身的年龄结构",
        "local-hukou residents = residents − inter-provincial in-migrants (2020 census); exact for provinces, an upper"
        " bound for prefectures and counties (moves within a province are not counted); the age group scaled in"
        " proportion (its share of all residents), so this demand is an estimate at every level: migrants' own age"
        " profile is not in the data",
    ),
    SOURCE_NBS: ("国家统计局分省年度数据 2019", "NBS provincial annual data 2019"),
    SOURCE_APPORTIONED: (
        "估算：2019 年分省供给按本地户籍常住人口分摊",
        "estimate: 2019 provincial supply apportioned by local-hukou residents",
    ),
    SOURCE_FACILITIES: ("设施清单", "facility list"),
}


def gaps_file_in(gaps: pl.DataFrame, lang: Lang) -> pl.DataFrame:
    """The gap table (planning.gaps, GET /planning/gaps) as a file for people in `lang`: the region by its name in
    it, services, bases, kinds of cost, yes and no, notes and supply sources in words (a note or source none names,
    e.g. a facility list kept at its scope, stays as written: never a blank), the headers in words."""
    names = region_names(gaps["region_code"].unique().to_list(), lang)
    gaps = as_read(gaps)  # people, places, beds and yuan whole (file_figures)
    services = {s: (service_name(s, Lang.ZH), service_name(s, Lang.EN)) for s in gaps["service"].unique().to_list()}
    out = gaps.with_columns(
        pl.col("region_code").replace_strict(names, default=pl.col("region_name_zh")).alias("region_name_zh"),
        in_words("service", services, lang),
        in_words("basis", BASES, lang),
        in_words("unit_cost_kind", COST_KINDS, lang),
        in_words("supply_source", GAP_NOTES, lang),
        in_words("population_note", GAP_NOTES, lang),
        *(in_words(c, YES_NO, lang) for c in ("supply_is_estimate", "standard_verified", "demand_is_estimate")),
    ).rename({"region_name_zh": "region_name"})
    headers = {**FILE_COLUMNS, **GAP_COLUMNS}  # the gap table's own first: `gap` there is a count, not a note
    return out.rename({c: pick_label(headers[c], lang) for c in out.columns if c in headers})
