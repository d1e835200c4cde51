"""A run's results and its gains and losses (bands) as a spreadsheet reads them: figures rounded to what they measure
(`rounded`, every CSV and XLSX file; the API's JSON keeps them as computed) and, in one language, column headers,
services, groupings, measures and bands by their names (`titled`; the codes stay for scripts: asked without a
language, the file keeps them)."""

from __future__ import annotations

import polars as pl

from changzhu.domain.lang import Lang
from changzhu.domain.services import Service, service_title
from changzhu.domain.units import unit_word
from changzhu.rules.labels import pick_label
from changzhu.simulation.intervals import NO_UNIT_COST as NO_UNIT_COST_NOTE
from changzhu.tables.places import place_names

# column -> (Chinese, English) header
COLUMNS: dict[str, tuple[str, str]] = {
    "scenario": ("改革方案", "reform"),
    "year": ("年份", "year"),
    "service": ("服务", "service"),
    "dimension": ("分组方式", "grouping"),
    "group": ("组别代码", "group code"),
    "group_label": ("组别", "group"),
    "measure": ("指标", "measure"),
    "estimate": ("估计值", "estimate"),
    "low": ("90% 区间下限", "90% interval, low"),
    "high": ("90% 区间上限", "90% interval, high"),
    "sampled_persons": ("抽样人数", "persons sampled"),
    "note": ("备注", "note"),
    "estimate_note": ("估算说明", "what the estimate is"),
    # the gains and losses (bands)
    "unit": ("统计对象", "counted"),
    "band": ("收益变化", "change in benefits"),
    "share": ("占比（0–1）", "share (0–1)"),
    "share_low": ("占比 90% 区间下限", "share, 90% interval, low"),
    "share_high": ("占比 90% 区间上限", "share, 90% interval, high"),
    "count": ("数量", "number"),
    "count_low": ("数量 90% 区间下限", "number, 90% interval, low"),
    "count_high": ("数量 90% 区间上限", "number, 90% interval, high"),
}
DIMENSIONS: dict[str, tuple[str, str]] = {
    "national": ("全国", "the whole country"),
    "province": ("省份", "province"),
    "prefecture": ("地级市", "prefecture"),
    "county": ("区县", "county"),
    "age_band": ("年龄段", "age band"),
    "urban_rural": ("城乡", "urban / rural"),
    "residence": ("本地／外地户籍", "local / migrant hukou"),
    "hukou_type": ("农业／非农业户口", "agricultural / non-agricultural hukou"),
    "income_decile": ("收入十分位", "income decile"),
}
# measure -> (Chinese title, English title, unit): a title's {unit} is the unit's word (domain/units.py, the words
# amounts are shown with everywhere), and the unit says how a file rounds the figures (`rounded`)
_MEASURES: dict[str, tuple[str, str, str]] = {
    "residents": ("常住人口（{unit}）", "residents ({unit})", "people"),
    "eligible_baseline": ("基线符合条件人数", "eligible, baseline ({unit})", "people"),
    "eligible": ("改革后符合条件人数", "eligible, reform ({unit})", "people"),
    "delta_eligible": ("符合条件人数变化", "change in eligible ({unit})", "people"),
    "newly_eligible": ("新增符合条件人数", "newly eligible ({unit})", "people"),
    "no_longer_eligible": ("不再符合条件人数", "no longer eligible ({unit})", "people"),
    "undetermined_baseline": (
        "基线待定人数（缺少所需信息）",
        "undetermined, baseline ({unit}; a fact unknown)",
        "people",
    ),
    "undetermined": ("改革后待定人数（缺少所需信息）", "undetermined, reform ({unit}; a fact unknown)", "people"),
    "cost_baseline_yuan": ("基线成本（{unit}）", "cost, baseline ({unit})", "yuan/year"),
    "cost_yuan": ("改革后成本（{unit}）", "cost, reform ({unit})", "yuan/year"),
    "delta_cost_yuan": ("成本变化（{unit}）", "change in cost ({unit})", "yuan/year"),
    "migrant_cost_baseline_yuan": ("外来人口基线成本（{unit}）", "migrants' cost, baseline ({unit})", "yuan/year"),
    "migrant_cost_yuan": ("外来人口改革后成本（{unit}）", "migrants' cost, reform ({unit})", "yuan/year"),
    "party_central_yuan": ("中央承担（{unit}）", "central government pays ({unit})", "yuan/year"),
    "party_province_yuan": ("省级承担（{unit}）", "province pays ({unit})", "yuan/year"),
    "party_inflow_city_yuan": ("流入地城市承担（{unit}）", "inflow city pays ({unit})", "yuan/year"),
    "party_outflow_city_yuan": ("流出地城市承担（{unit}）", "outflow city pays ({unit})", "yuan/year"),
    "party_employer_yuan": ("用人单位承担（{unit}）", "employer pays ({unit})", "yuan/year"),
    "party_individual_yuan": ("个人承担（{unit}）", "individual pays ({unit})", "yuan/year"),
    "households": ("家庭数（父母一方与其关联子女）", "households (a parent and linked children)", "households"),
    "unlinked_persons": ("未关联到家庭的人数", "people not linked to a household", "people"),
}
_BANDS: dict[str, tuple[str, str]] = {
    "gain_more_5": ("增加 5% 以上", "gain more than 5%"),
    "gain_less_5": ("增加不足 5%", "gain less than 5%"),
    "no_change": ("没有变化", "no change"),
    "lose_less_5": ("减少不足 5%", "lose less than 5%"),
    "lose_more_5": ("减少 5% 以上", "lose more than 5%"),
    "undetermined": ("待定（缺少所需信息）", "undetermined (a needed fact unknown)"),
}
_UNITS: dict[str, tuple[str, str]] = {
    "households": ("家庭", "households"),
    "persons": ("人", "people"),
    "unlinked_persons": ("未关联到家庭的人", "people not linked to a household"),
}
UNITS = {unit: (f"{zh}数", en) for unit, (zh, en) in _UNITS.items()}  # the bands' unit column: 家庭数, 人数
# the gain and loss bands: households_gain_more_5 (a count), share_persons_no_change (a share, 0–1)
MEASURES: dict[str, tuple[str, str, str]] = {
    **_MEASURES,
    **{
        f"{unit}_{band}": (f"{band_zh}的{unit_zh}数", f"{unit_en}: {band_en}", "count")
        for unit, (unit_zh, unit_en) in _UNITS.items()
        for band, (band_zh, band_en) in _BANDS.items()
    },
    **{
        f"share_{unit}_{band}": (
            f"{band_zh}的{unit_zh}占比（0–1）",
            f"share of {unit_en}: {band_en} (0–1)",
            "ratio",
        )
        for unit, (unit_zh, unit_en) in _UNITS.items()
        for band, (band_zh, band_en) in _BANDS.items()
    },
}
# a group (not a region) by its code -> (Chinese, English): the file's group column in one language (the run stores
# one label "本地户籍 local hukou" for both, which put English in a Chinese file and Chinese in an English one)
GROUPS: dict[str, tuple[str, str]] = {
    "全国": ("全国", "the whole country"),
    "national": ("全国", "the whole country"),
    "urban": ("城镇", "urban"),
    "rural": ("乡村", "rural"),
    "local": ("本地户籍", "local hukou"),
    "migrant": ("外地户籍", "migrant (hukou in another county)"),
    "agricultural": ("农业户口", "agricultural hukou (rural hukou origin)"),
    "non_agricultural": ("非农业户口", "non-agricultural hukou (urban hukou)"),
    "unknown": ("未知", "unknown"),
    **{f"D{n:02d}": (f"收入第 {n} 十分位", f"income decile {n}") for n in range(1, 11)},
}
REGIONAL = ("province", "prefecture", "county")
ALL_COSTED = ("所有计成本的服务", "all services with a unit cost")
NO_UNIT_COST = ("不计成本（无单位成本）", "no unit cost")


def measure_title(measure: str, lang: Lang) -> str:
    """A measure's title in `lang` with its unit's word (常住人口（人）, "cost, reform (yuan a year)"); the code
    itself for a measure no table names."""
    if measure not in MEASURES:
        return measure
    zh, en, unit = MEASURES[measure]
    return pick_label((zh, en), lang).format(unit=unit_word(unit, lang))


def _service(code: str, lang: Lang) -> str:
    if code == "all_costed_services":
        return pick_label(ALL_COSTED, lang)
    return service_title(Service(code), lang) if code in Service._value2member_map_ else code


def titled(frame: pl.DataFrame, lang: Lang) -> pl.DataFrame:
    """`frame` (a run's results or its bands) with its services, groupings, measures, bands and headers in `lang`;
    a code no table names stays as it is (never a blank)."""

    def named(column: str, table: dict[str, tuple[str, str]]) -> pl.Expr:
        mapping = {code: pick_label(pair, lang) for code, pair in table.items()}
        return pl.col(column).replace(mapping)

    columns = set(frame.columns)
    renamed = [named(c, t) for c, t in (("dimension", DIMENSIONS), ("unit", UNITS), ("band", _BANDS)) if c in columns]
    if "measure" in columns:
        renamed.append(pl.col("measure").replace({m: measure_title(m, lang) for m in MEASURES}))
    if "service" in columns:
        services = {code: _service(code, lang) for code in frame["service"].unique().to_list() if code is not None}
        renamed.append(pl.col("service").replace(services))
    if {"group", "group_label", "dimension"} <= columns:
        renamed.append(_group_names(frame, lang))
    if "note" in columns:
        renamed.append(pl.col("note").replace({NO_UNIT_COST_NOTE: pick_label(NO_UNIT_COST, lang)}))
    # the note is written "中文 / English": the half in `lang`
    half = pl.col("estimate_note").str.splitn(" / ", 2).struct.field("field_0" if lang == Lang.ZH else "field_1")
    out = frame.with_columns(*renamed, half.alias("estimate_note"))
    return out.rename({c: pick_label(COLUMNS[c], lang) for c in out.columns if c in COLUMNS})


def _group_names(frame: pl.DataFrame, lang: Lang) -> pl.Expr:
    """The group column in `lang`: a region by its name in that language (the stored label is the Chinese name), a
    group by GROUPS, an age band as stored; a code no table names keeps the stored label."""
    groups = {code: pick_label(pair, lang) for code, pair in GROUPS.items()}
    regions: dict[str, str] = {}
    if lang == Lang.EN:
        codes = frame.filter(pl.col("dimension").is_in(REGIONAL))["group"].unique().to_list()
        if codes:
            regions = {code: en for code, (_, en) in place_names(codes).items() if en}
    regional = pl.col("dimension").is_in(REGIONAL)
    return (
        pl.when(regional)
        .then(pl.col("group").replace_strict(regions, default=pl.col("group_label")))
        .when(pl.col("group").is_in(list(groups)))
        .then(pl.col("group").replace_strict(groups, default=pl.col("group_label")))
        .otherwise(pl.col("group_label"))
        .alias("group_label")
    )


SHARE_DIGITS = 4  # a share (0–1) to 0.01%
WHOLE_UNITS = ("people", "households", "count", "yuan/year")  # counted in whole people, households and yuan


def rounded(frame: pl.DataFrame) -> pl.DataFrame:
    """`frame` (a run's results or its bands) with its figures rounded to what they measure (the measure's unit in
    MEASURES), for a file people open: people, households and yuan a year whole, a share (0–1) to four decimals (no
    float noise, 2470371299999.9995); a measure no table names keeps its figures as computed."""
    if "measure" in frame.columns:
        share = pl.col("measure").is_in([m for m, (_zh, _en, unit) in MEASURES.items() if unit == "ratio"])
        whole = pl.col("measure").is_in([m for m, (_zh, _en, unit) in MEASURES.items() if unit in WHOLE_UNITS])
        return frame.with_columns(
            pl.when(share).then(pl.col(c).round(SHARE_DIGITS)).when(whole).then(pl.col(c).round(0)).otherwise(pl.col(c))
            for c in ("estimate", "low", "high")
        )
    return frame.with_columns(
        *(pl.col(c).round(SHARE_DIGITS) for c in ("share", "share_low", "share_high") if c in frame.columns),
        *(pl.col(c).round(0) for c in ("count", "count_low", "count_high") if c in frame.columns),
    )
