"""The label of an estimated figure: one text per kind of estimate, in Chinese and English, with its method.

A table holding estimates carries the label in a column `estimate` on every row, so that the report, the
office, CSV/XLSX/Parquet exports and API responses say the same thing. Apportioned supply says it in
`supply_is_estimate` and `supply_source` (planning gaps).
"""

from __future__ import annotations

import polars as pl

from changzhu.domain.lang import Lang, in_sentence
from changzhu.domain.refusals import Refusal, RefusalCode, refusal

ESTIMATE_COLUMN = "estimate"
ESTIMATED_SUFFIX = "_est"  # a column whose name ends so holds an estimate (e.g. registered_est)

_GRAVITY = (  # the out-migrant figures it is fitted to: census_out_migrants_2020.csv (docs/fiscal.md)
    "估算：户籍人口与流动人口来源地由引力模型推算，流出人口按已知的 2020 年数据校准"
    "（河南为普查数；安徽为所报 2020 年流向省外人数；四川取不低于普查所示的 1000 万；其余省份为模型估算）",
    "estimate: registered population and migrants' origins from a gravity model, its out-migrants fitted to the "
    "2020 figures where known (Henan: the census figure; Anhui: the reported 2020 count of those gone to other "
    "provinces; Sichuan: at least the census's 10 million; other provinces: the model's)",
)
GRAVITY = f"{_GRAVITY[0]}/ {_GRAVITY[1]}"


def settlement_assumed(settled_share: float, served_share: float) -> str:
    """The estimate label of the transfers by term: the gravity model's, and the settled and served migrants the
    scheme assumes as shares of the census's inter-provincial in-migrants (no 落户 counts ship), from which the
    incentive term and the land quota follow."""
    zh_shares, en_shares = f"{settled_share:.0%} 与 {served_share:.0%}", f"{settled_share:.0%} and {served_share:.0%}"
    return (
        f"{_GRAVITY[0]}；落户人数与享受服务的流动人口为情景假设：分别为跨省流入人口的 {zh_shares}"
        "（没有随附的落户统计），激励项与建设用地指标由此而来"
        f" / {_GRAVITY[1]}; people settled and migrants served are a scenario assumption: {en_shares} "
        "of inter-provincial in-migrants (no settlement counts ship), and the incentive term and the land quota follow "
        "from them"
    )


PROJECTION = (
    "估算：队列要素法人口预测，迁移由引力模型推算；出生、死亡率、性别比和流动人口年龄结构等假设见参数表"
    "（docs/parameters.md，各有来源）/ estimate: cohort-component projection with gravity-model migration; its "
    "assumptions (births, death rates, sex ratios, the migrants' age profile) are in the parameter tables, each with "
    "its source (docs/parameters.md)"
)


def siting_access_note(shares: tuple[str, str] | None = None) -> Refusal:
    """The estimate note of a siting's access figures, coded (what a stored run keeps, worded when it is read): of
    hospital beds without `shares`; of school places with the school-age shares it used, cited by label, value and
    source ((zh, en), planning.population.school_age_cited)."""
    if shares is None:
        return refusal(RefusalCode.SITING_ESTIMATE_BEDS)
    return refusal(RefusalCode.SITING_ESTIMATE_SCHOOLS, shares_zh=shares[0], shares_en=shares[1])


def in_both(note: Refusal) -> str:
    """A coded note as an estimate label is written on a table's rows: "中文 / English"."""
    return f"{note.text(Lang.ZH)} / {note.text(Lang.EN)}"


# The notes below cite the parameters they used by label, value and source ((zh, en), ParameterTree.citation), never
# by their keys: a planner reads "单位成本：医疗机构床位 600,000 元（规划估算…）", not planning.unit_cost.*.


NATIONAL_COSTS = (
    "不是官方数字；全国值如下，地区有本地值的用本地值",
    "not official figures; the national values, a region's own where it has one",
)


def shortage_cost(costs: tuple[str, str]) -> str:
    """The estimate label of a cost to close the gaps, citing the unit costs it used (mid-sentence in English)."""
    costs = (costs[0], in_sentence(costs[1]))
    return (
        f"估算：补齐费用按规划单位成本（{NATIONAL_COSTS[0]}）计算：{costs[0]}；"
        "本地户籍口径的学龄需求按学龄组占常住人口的比例推算"
        f" / estimate: the cost to close uses planning unit costs ({NATIONAL_COSTS[1]}): {costs[1]}; "
        "local-hukou demand for school-age children scales the age group by its share of residents"
    )


def yearly_cost(costs: tuple[str, str]) -> str:
    """The estimate label of a yearly cost shared between places, citing the unit costs it used (mid-sentence in
    English)."""
    costs = (costs[0], in_sentence(costs[1]))
    return (
        f"估算：年度费用 = 常住需求 × 规划单位成本（{NATIONAL_COSTS[0]}：{costs[0]}）；"
        "外来人口的部分为常住需求减本地户籍需求，本地户籍的学龄需求按学龄组占常住人口的比例推算"
        f" / estimate: yearly cost = resident demand × planning unit cost ({NATIONAL_COSTS[1]}: {costs[1]}); "
        "the migrants' part is resident minus local-hukou demand, whose school-age demand scales the age group by "
        "its share of residents"
    )


_DIBAO = (
    "低保需求为通过收入和财产核查并申领者",
    "the minimum living allowance (dibao) demand is those passing the income and asset tests who take it up",
)
# what a service's figures count, by service code (a reform run's rows): the 低保 clause on 低保's rows only
DEMAND: dict[str, tuple[str, str]] = {
    "minimum_living_allowance": _DIBAO,
    "all_costed_services": (
        f"所有计成本服务之和，其中{_DIBAO[0]}",
        f"the services with a unit cost together; {_DIBAO[1]}",
    ),
}
ELIGIBLE = ("需求为规则判定符合条件者", "the demand is the people the rules find eligible")


def synthetic(fraction: float, service: str | None = None) -> str:
    """The label of a figure counted on a synthetic sample of `fraction` and scaled up: of one service's figures
    (what its demand counts, DEMAND), or of a table of every service (None: the 低保 clause with the rest)."""
    zh, en = (
        (f"{ELIGIBLE[0]}；{_DIBAO[0]}", f"{ELIGIBLE[1]}; {_DIBAO[1]}")
        if service is None
        else DEMAND.get(service, ELIGIBLE)
    )
    return (
        f"估算：{fraction:.4%} 合成人口抽样 × {1 / fraction:,.0f}，规则判定；{zh} / "
        f"estimate: a {fraction:.4%} synthetic sample × {1 / fraction:,.0f}, decided by the rules; {en}"
    )


def labelled(frame: pl.DataFrame, label: str) -> pl.DataFrame:
    """`frame` with the label in the `estimate` column on every row."""
    return frame.with_columns(pl.lit(label, dtype=pl.String).alias(ESTIMATE_COLUMN))


def unlabelled_estimates(frame: pl.DataFrame) -> list[str]:
    """Columns holding estimates (named *_est) in a table that has no `estimate` label: empty when labelled."""
    if ESTIMATE_COLUMN in frame.columns:
        return []
    return [c for c in frame.columns if c.endswith(ESTIMATED_SUFFIX)]
