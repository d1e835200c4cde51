"""The one place of the Chinese and English labels a reader sees for the system's internal names, and the one picker
of a (zh, en) label's text (`pick_label`, `labels_in`): the rules' variables and their categories (the person
columns' own labels are domain/person.py's), every output the rules decide (a service by its title,
domain/services.py; a points total by its scheme's title, `output_labels`), and the names of the figures the system
publishes: a reform run's and the fiscal winners' file columns, groupings, measures, bands and outcomes, the
planning measures, the upload tables' result columns and the fiscal equity measures. A region is named by its own
lookup (tables/places.py, registry/region_names.py)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

from changzhu.domain.lang import Lang, sentence
from changzhu.domain.person import CORE_CATEGORY_LABELS, CORE_LABELS_EN, CORE_LABELS_ZH, INSURANCE_MONTH_COLUMNS
from changzhu.domain.services import Service, service_title
from changzhu.domain.units import unit_word
from changzhu.rules.parents import PARENT_FACTS
from changzhu.rules.summary import POINTS

_CATEGORY_LABELS: dict[str, dict[str, tuple[str, str]]] = {
    **CORE_CATEGORY_LABELS,
    "city_size_class": {
        "small": ("小城市", "small city"),
        "medium": ("中等城市", "medium city"),
        "large_ii": ("II型大城市", "large city (type II)"),
        "large_i": ("I型大城市", "large city (type I)"),
        "mega": ("特大城市", "megacity"),
        "super": ("超大城市", "super city"),
    },
}

# The variables the rules derive (a core column's variable is labelled as the column, domain/person.py).
_VARIABLE_LABELS: dict[str, tuple[str, str]] = {
    "age": ("年龄", "age"),
    "residence": ("在本市连续居住时间", "continuous residence here"),
    "residence_recognised": ("居住时间（含互认）", "residence, with recognised months"),
    "permit": ("持居住证时间", "time holding a residence permit"),
    "si_local": ("本市职工社会保险缴费时间", "social insurance paid here"),
    "si_total": ("累计职工社会保险缴费时间", "social insurance paid anywhere"),
    "si_recognised": ("社会保险缴费时间（含互认）", "social insurance, with recognised months"),
    "medical_local": ("本市基本医疗保险时间", "basic medical insurance here"),
    "hukou_local": ("户籍在本市", "hukou here"),
    "hukou_other_province": ("户籍在外省", "hukou in another province"),
    "parent_same_region": ("父母一方在本市居住", "a parent lives here"),
    "city_size_class": ("城市规模", "city size class"),
}


def category_labels(variable: str, code: str) -> tuple[str, str]:
    """(zh, en) of a core variable's category code; the code itself when none is known."""
    return _CATEGORY_LABELS.get(variable, {}).get(code, (code, code))


def variable_labels(variable: str) -> tuple[str, str]:
    """(zh, en) of a core variable: a derived one's, else the person column's of that name."""
    if variable in _VARIABLE_LABELS:
        return _VARIABLE_LABELS[variable]
    if variable in CORE_LABELS_ZH:
        return CORE_LABELS_ZH[variable], CORE_LABELS_EN[variable]
    return variable, variable.replace("_", " ")


def amount_text(amount: float, unit: str, lang: str) -> str:
    """An amount with its unit's word in Chinese (zh) or English (en): `5200 元/月`, `5200 yuan a month` (the words:
    changzhu.domain.units; a unit without one, a ratio or a count, as a bare number; a declared input's free-text
    unit not listed there as written)."""
    word = unit_word(unit, lang)
    if not word:
        return f"{amount:g}"
    return f"{amount:g}{word}" if word == "‰" else f"{amount:g} {word}"


def pick_label(label: tuple[str, str], lang: str, fallback: str = "") -> str:
    """A (zh, en) label's text in `lang` (zh, else en): English falls back to the Chinese where it is empty, and
    `fallback` is given when both are."""
    zh, en = label
    return (zh if lang == "zh" else en or zh) or fallback


class _Labelled(Protocol):
    def label(self, lang: str = "zh") -> str: ...


def fact_labels(variables: Mapping[str, _Labelled], lang: str) -> dict[str, str]:
    """The labels, in `lang`, of the facts a decision may need (needs_<service>): the rules' variables, the
    person columns that settle an unknown parent (changzhu.rules.parents.PARENT_FACTS) and the insurance months."""
    out = {name: spec.label(lang) for name, spec in variables.items()}
    for name in (*PARENT_FACTS, *INSURANCE_MONTH_COLUMNS):  # (months: a registry without their records lacks them)
        zh, en = variable_labels(name)
        out[name] = en if lang == "en" else zh
    return out


def labels_in(table: Mapping[str, tuple[str, str]], lang: str) -> dict[str, str]:
    """Each name of a (zh, en) table with its label's text in `lang` (`pick_label`; the name itself where the label
    is empty in both languages: never a blank)."""
    return {name: pick_label(label, lang, name) for name, label in table.items()}


class _Scheme(Protocol):
    @property
    def title(self) -> tuple[str, str]: ...


class _Jurisdiction(Protocol):
    @property
    def schemes(self) -> Mapping[str, _Scheme]: ...


class _Policies(Protocol):
    @property
    def jurisdictions(self) -> Mapping[str, _Jurisdiction]: ...


def output_labels(policies: _Policies) -> dict[str, tuple[str, str]]:
    """(zh, en) of every output the rules decide, by its name in a summary (`output`) and in evaluate()'s columns:
    each service by its title (residence_permit), each points total by its scheme's title (points_<scheme>; a
    scheme without an English title gives an empty English label: `pick_label` shows its Chinese)."""
    labels = {service.value: (service_title(service, Lang.ZH), service_title(service, Lang.EN)) for service in Service}
    for jurisdiction in policies.jurisdictions.values():
        for name, scheme in jurisdiction.schemes.items():
            labels.setdefault(POINTS + name, scheme.title)
    return labels


# -- the figures the system publishes ---------------------------------------------------------------------------

# a column of a reform run's results and bands (api/result_titles.py) and of the fiscal winners (report/winners.py)
# -> (Chinese, English) header
YES_NO: dict[bool, tuple[str, str]] = {True: ("是", "yes"), False: ("否", "no")}  # a flag column in words
FILE_COLUMNS: dict[str, tuple[str, str]] = {
    "scenario": ("改革方案", "Reform"),
    "year": ("年份", "Year"),
    "service": ("服务", "Service"),
    "dimension": ("分组方式", "Grouping"),
    # a file for people keeps a code only where it is one a person looks up: a region's six-digit division code
    # (two counties of one name told apart); the whole country and a population group have none (api/result_titles)
    "group": ("行政区划代码", "Administrative division code"),
    "group_label": ("组别", "Group"),
    "measure": ("指标", "Measure"),
    "estimate": ("估计值", "Estimate"),
    "low": ("90% 区间下限", "90% interval, low"),
    "high": ("90% 区间上限", "90% interval, high"),
    "sampled_persons": ("抽样人数", "Persons sampled"),
    "note": ("备注", "Note"),
    "estimate_note": ("估算说明", "What the estimate is"),
    # two runs compared (GET /scenarios/runs/compare): each run's columns headed with its letter (COMPARE_SIDES)
    "difference": ("差值（B − A，估算）", "Difference (B − A, estimate)"),
    # the gains and losses (bands)
    "unit": ("统计对象", "Counted"),
    "band": ("收益变化", "Change in benefits"),
    "share": ("占比（0–1）", "Share (0–1)"),
    "share_low": ("占比 90% 区间下限", "Share, 90% interval, low"),
    "share_high": ("占比 90% 区间上限", "Share, 90% interval, high"),
    "count": ("数量", "Number"),
    "count_low": ("数量 90% 区间下限", "Number, 90% interval, low"),
    "count_high": ("数量 90% 区间上限", "Number, 90% interval, high"),
    # the fiscal winners (their estimate note is headed as a run's, `estimate_note`)
    "region_code": ("地区代码", "Region code"),
    "region_name": ("省份", "Province"),
    "registered_basis_yi": ("户籍口径（估算，亿元）", "Registered basis, estimate (100 million yuan)"),
    "resident_basis_yi": ("常住口径（亿元）", "Resident basis (100 million yuan)"),
    "change_yi": ("变化（估算，亿元）", "Change, estimate (100 million yuan)"),  # from the estimated registered basis
    "change_percent": ("变化（估算，%）", "Change, estimate (%)"),
    "outcome": ("结果", "Outcome"),
    # the fiscal equity of the three allocations (report/fiscal.py, `equity_in`; its measures: EQUITY_MEASURES)
    "allocation": ("分配方式", "Allocation"),
    # voucher clearing between treasuries (`changzhu fiscal --redemptions`): real redemptions, no estimate
    "payer_region": ("付款方", "Payer"),
    "payee_region": ("收款方", "Payee"),
    "amount_yuan": ("金额（元）", "Amount (yuan)"),
    # fiscalwords47: the redemptions file's own columns (a header may be the name or either label), as its errors say
    "issuing_region": ("发券地区", "Issuing region"),
    "providing_region": ("服务提供地区", "Providing region"),
    # the fiscal allocation by province and the net compensation flows (GET /fiscal/allocation, /fiscal/flows with
    # lang: report/winners.py, `fiscal_file_in`); the registered population and the migrants' origins are estimates
    "resident": ("常住人口（人）", "Residents (people)"),
    "registered_est": ("户籍人口（估算，人）", "Registered population, estimate (people)"),
    "lp_yuan": ("线性规划分配（元）", "LP allocation (yuan)"),
    "per_registered_head_yuan": ("按户籍人口平均分配（估算，元）", "Split per registered head, estimate (yuan)"),
    "per_resident_head_yuan": ("按常住人口平均分配（元）", "Split per resident head (yuan)"),
    "payer_code": ("付款省份代码", "Payer code"),
    "payer_name": ("付款省份", "Payer province"),
    "payee_code": ("收款省份代码", "Payee code"),
    "payee_name": ("收款省份", "Payee province"),
    "net_yuan": ("净补偿（估算，元/年）", "Net compensation, estimate (yuan a year)"),
    # the transfer by province (GET /fiscal/transfers with lang): the terms and the land quota
    # the counted population mixes residents and the registered population (an estimate) by the scheme's ρ; settled
    # and served migrants are the scheme's assumption (no 落户 counts ship), the incentive and land quota follow them;
    # the migrant term is by the census's in-migrants (before 2026-12-04 it said estimate, and the assumed ones not)
    "counted_population": ("计入人口（含户籍人口估算，人）", "Population counted, with registered estimate (people)"),
    "capacity_factor": ("承载系数", "Capacity factor"),
    "unit_cost_index": ("单位成本指数", "Unit cost index"),
    "settled": ("落户人数（假设，人）", "People settled, assumed (people)"),
    "served": ("享受服务的流动人口（假设，人）", "Migrants served, assumed (people)"),
    "population_term_yuan": ("人口项（元）", "Population term (yuan)"),
    "migrant_term_yuan": ("流动人口项（元）", "Migrant term (yuan)"),
    "incentive_term_yuan": ("激励项（按假设落户人数，元）", "Incentive term, on assumed settlement (yuan)"),
    "transfer_yuan": ("转移支付（元）", "Transfer (yuan)"),
    "transfer_per_resident": ("人均转移支付（常住，元/人）", "Transfer per resident (yuan per resident)"),
    "land_quota_m2": (
        "建设用地指标（按假设落户人数，平方米）",
        "Building land quota, on assumed settlement (square metres)",
    ),
    # the LP allocation by province and service (GET /fiscal/allocation/services with lang)
    "gap_cost_yuan": ("补齐缺口费用（估算，元）", "Cost to close the gap, estimate (yuan)"),
    "allocated_yuan": ("分配（元）", "Allocated (yuan)"),
    "unmet_yuan": ("未满足需求（估算，元）", "Unmet need, estimate (yuan)"),
    # the shortage `changzhu plan` prints (summed over provinces short of a service; rows mix beds and places, the
    # service names which), and the where-to-build results table it prints (report/siting.py, `result_columns`)
    "shortage_hukou_basis": (
        "短缺：本地户籍常住口径（估算，张或个）",
        "Shortage, local-hukou residents (estimate; beds or places)",
    ),
    "shortage_resident_basis": ("短缺：常住口径（张或个）", "Shortage, residents (beds or places)"),
    "cost_to_close_resident_yi": (
        "补齐费用：常住口径（估算，亿元）",
        "Cost to close, residents (estimate, 100 million yuan)",
    ),
    # the fiscal input tables' own columns (the province bases and the origin–destination table), as a refusal of
    # one names them (fiscal/errors.py, `column_words`); their other columns are headed above or in GAP_COLUMNS
    "region_name_zh": ("地区名称", "Region name"),
    "interprov_in_migrants": ("跨省流入人口（人）", "Inter-provincial in-migrants (people)"),
    "urbanisation_rate": ("城镇化率", "Urbanisation rate"),
    "origin_code": ("来源地代码", "Origin code"),
    "destination_code": ("流入地代码", "Destination code"),
    "migrants_est": ("流动人口（估算，人）", "Migrants, estimate (people)"),
}
# an allocation line that is not a service (fiscal/allocation.py: what the fund pays beyond the gaps it closes)
ALLOCATION_LINES: dict[str, tuple[str, str]] = {
    "general_grant": ("一般性补助（不指定服务）", "General grant (no service named)"),
}
# the gap table (GET /planning/gaps with lang: report/plan_tables.py, `gaps_file_in`), beside FILE_COLUMNS' own
GAP_COLUMNS: dict[str, tuple[str, str]] = {
    "region_name": ("地区", "Region"),
    "province_code": ("省份代码", "Province code"),
    "basis": ("人口口径", "Population basis"),
    "population": ("人口（人）", "Population (people)"),
    "demand": ("需求（张、个或人）", "Demand (beds, places or staff)"),
    "supply": ("供给（张、个或人）", "Supply (beds, places or staff)"),
    "gap": ("缺口（需求 − 供给）", "Gap (demand − supply)"),
    "idle": ("闲置（供给 − 需求）", "Idle (supply − demand)"),
    "unit_cost_yuan": ("单位成本（估算，元）", "Unit cost, estimate (yuan)"),
    "unit_cost_kind": ("成本类型", "Kind of cost"),
    "supply_source": ("供给来源", "Supply source"),
    "supply_is_estimate": ("供给为估算", "Supply is an estimate"),
    "supply_year": ("供给年份", "Supply year"),
    "standard_value": ("配置标准", "Standard"),
    "standard_per": ("标准的人口基数（人）", "Standard per (people)"),
    "standard_valid_from": ("标准生效日期", "Standard in force from"),
    "standard_source": ("标准依据", "Standard's source"),
    "standard_verified": ("标准已核实", "Standard verified"),
    "population_note": ("人口说明", "Population note"),
    "demand_is_estimate": ("需求为估算", "Demand is an estimate"),
}
# a siting run's county and site tables as a file for people (GET /planning/siting/runs/{id}/counties|sites with
# lang: report/siting_files.py, `siting_file_in`); {counted}, {per_1000} and {capacity} are the service's words
# (report/siting.py, WORDS): 常住人口, 每千人床位, 床位
SITING_COLUMNS: dict[str, tuple[str, str]] = {
    "region_code": ("地区代码", "Region code"),
    "region_name": ("地区", "Region"),
    "facility_name": ("设施名称", "Facility"),
    "lon": ("经度", "Longitude"),
    "lat": ("纬度", "Latitude"),
    "weight": ("需求权重：{counted}（人）", "Demand weight: {counted} (people)"),
    "residents": ("常住人口（人）", "Residents (people)"),
    "seat_verified": ("驻地坐标已核实", "Seat point verified"),
    "nearest_km_before": ("到最近设施的距离，新建前（公里）", "Distance to the nearest facility, before (km)"),
    "nearest_km_after": ("到最近设施的距离，新建后（公里）", "Distance to the nearest facility, after (km)"),
    "access_before_per_1000": ("{per_1000}，新建前（估算）", "{per_1000}, before (estimate)"),
    "access_after_per_1000": ("{per_1000}，新建后（估算）", "{per_1000}, after (estimate)"),
    "p_median_site": ("p-中位模型选中", "Chosen by the p-median"),
    "max_covering_site": ("最大覆盖模型选中", "Chosen by maximum covering"),
    "set_covering_site": ("集合覆盖模型选中", "Chosen by set covering"),
    "in_plan": ("参与选址", "In the plan"),
    "left_out_reason": ("未参与原因代码", "Why left out (code)"),
    "left_out_why": ("未参与原因", "Why left out"),
    "kind": ("类型", "Kind"),
    "capacity": ("容量（{capacity}）", "Capacity ({capacity})"),
    "capacity_is_estimate": ("容量为估算", "Capacity is an estimate"),
}
SITE_KINDS: dict[str, tuple[str, str]] = {  # a site of the table: a listed facility, a prefecture seat, a new site
    "listed": ("清单中的设施", "listed facility"),
    "seat": ("地级驻地（分摊的其余供给，估算）", "prefecture seat (the apportioned rest, estimate)"),
    "new": ("新建（p-中位选址）", "new site (p-median)"),
}
# the record of a stored run, last in both run files (siting runs, reform runs): its versions, who and when, its link
RUN_RECORD_COLUMNS: dict[str, tuple[str, str]] = {
    "data_version": ("数据版本", "Data version"),
    "data_version_code": ("数据版本（技术支持用）", "Data version (for support)"),
    "code_version": ("程序版本", "Software version"),  # as the run page heads it (RunView.vue, codeVersion)
    "created_by": ("发起人", "Started by"),
    "created_at": ("创建时间", "Created at"),
    "started_at": ("开始时间", "Started at"),
    "finished_at": ("完成时间", "Finished at"),
    "share_url": ("链接", "Link"),
}
# the siting runs as a file for people (GET /planning/siting/runs?format=csv|xlsx&lang=: report/siting_files.py,
# `siting_runs_file_in`): the run, its summary spread into columns; {model} is a model's name (report/siting.py)
SITING_RUN_COLUMNS: dict[str, tuple[str, str]] = {
    "run_id": ("选址编号", "Run ID"),
    "region_name": ("地区", "Region"),
    "region_code": ("地区代码", "Region code"),
    "service": ("服务", "Service"),
    "p": ("要求新址数（处）", "New sites asked for"),
    "status": ("状态", "Status"),
    "progress": ("进度（%）", "Progress (%)"),
    "message": ("说明", "Message"),
    "cut": ("仅含本辖区部分（全域汇总不显示）", "Your part only (the region's totals withheld)"),
    "unit": ("计量单位", "Unit"),
    "gap": ("缺口（常住口径，需求 − 供给）", "Gap (resident basis, demand − supply)"),
    "supply": ("现有供给", "Supply now"),
    "supply_is_estimate": ("现有供给与缺口为估算", "Supply and gap are estimates"),
    "added": ("新增能力（估算）", "Capacity added (estimate)"),
    "added_per_site": ("每处新址新增能力（估算）", "Capacity added at each new site (estimate)"),
    "radius_km": ("覆盖半径（公里）", "Cover radius (km)"),
    "listed": ("清单中有坐标的设施（处）", "Listed facilities with coordinates"),
    "solved": ("{model}：求解结果", "{model}: solution"),
    "new_sites": ("{model}：新址数（处）", "{model}: new sites"),
    "mean_km_before": (
        "{model}：到最近设施的平均距离，新建前（公里）",
        "{model}: mean distance to the nearest facility, before (km)",
    ),
    "mean_km_after": (
        "{model}：到最近设施的平均距离，新建后（公里）",
        "{model}: mean distance to the nearest facility, after (km)",
    ),
    "covered_share_before": (
        "{model}：覆盖半径内需求人口占比，新建前（%）",
        "{model}: share of demand within the radius, before (%)",
    ),
    "covered_share_after": (
        "{model}：覆盖半径内需求人口占比，新建后（%）",
        "{model}: share of demand within the radius, after (%)",
    ),
    "left_out_units": ("未参与选址的县级单位（个）", "County-level units left out"),
    "left_out_residents": ("未参与选址的常住人口（人）", "Residents left out"),
    "estimate_note": ("估算说明", "About the estimates"),
    **RUN_RECORD_COLUMNS,
}
SOLVED: dict[str, tuple[str, str]] = {  # how a siting model's solver ended (planning/highs.py)
    "optimal": ("已证明最优", "proven optimal"),
    "time_limit": ("达到时间上限（未证明最优）", "time limit reached (not proven optimal)"),
    "gap_limit": ("达到设定差距（未证明最优）", "gap target reached (not proven optimal)"),
    "feasible": ("可行解（未证明最优）", "feasible (not proven optimal)"),
    "infeasible": ("无可行解", "infeasible"),
    "interrupted": ("被中断（未证明最优）", "interrupted (not proven optimal)"),
}
# the stored reform runs as a file for people (GET /scenarios/runs?format=csv|xlsx&lang=: api/scenario_runs.py)
RUN_COLUMNS: dict[str, tuple[str, str]] = {
    "run_id": ("测算编号", "Run ID"),
    "title": ("改革方案", "Reform"),
    "saved_scenario": ("已保存的方案", "Saved reform"),
    "status": ("状态", "Status"),
    "progress": ("进度（%）", "Progress (%)"),
    "message": ("说明", "Message"),
    **RUN_RECORD_COLUMNS,
}
# `changzhu regions` and `changzhu population` (registry/queries.py): the columns as printed, (Chinese, English)
REGISTRY_COLUMNS: dict[str, tuple[str, str]] = {
    "level": ("层级", "Level"),
    "code": ("地区代码", "Region code"),
    "name_zh": ("中文名称", "Chinese name"),
    "name_en": ("英文名称", "English name"),
    "name": ("名称", "Name"),
    "full_name": ("全称", "Full name"),
    "parent_code": ("上级地区代码", "Parent region code"),
    "lon": ("驻地经度", "Seat longitude"),
    "lat": ("驻地纬度", "Seat latitude"),
    "division_type": ("区划类型", "Division type"),
    "city_size_class": ("城市规模等级", "City size class"),
    "city_size_basis": ("规模等级依据", "Size class basis"),
    "current": ("现行区划", "Current division"),
    "agglomerations": ("城市群", "City clusters"),
    "pop_resident_2020": ("常住人口（2020，人）", "Residents (2020, people)"),
    "renhu_fenli_2020": ("人户分离人口（2020，人）", "Living away from hukou township (2020, people)"),
    "interprov_in_migrants_2020": ("跨省流入人口（2020，人）", "In-migrants from other provinces (2020, people)"),
    "renhu_fenli_share": ("人户分离占比（%）", "Share away from hukou township (%)"),
    "interprov_in_migrants_share": ("跨省流入占比（%）", "Share from other provinces (%)"),
    "pop_local_hukou_resident_2020": ("本地户籍常住人口（2020，人）", "Local-hukou residents (2020, people)"),
}
COMPARE_SIDES: dict[str, tuple[str, str]] = {"_a": ("（A）", " (A)"), "_b": ("（B）", " (B)")}
WINNER_OUTCOMES: dict[str, tuple[str, str]] = {  # a province's outcome in the fiscal winners
    "gains": ("增加", "gains"),
    "loses": ("减少", "loses"),
    "unchanged": ("不变", "unchanged"),
}
RESULT_DIMENSIONS: dict[str, tuple[str, str]] = {
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
# amounts are shown with everywhere), and the unit says how a file rounds the figures (api/result_titles.py, `rounded`)
_RUN_MEASURES: dict[str, tuple[str, str, str]] = {
    "residents": ("常住人口（{unit}）", "Residents ({unit})", "people"),
    "eligible_baseline": ("基线符合条件人数", "Eligible, baseline ({unit})", "people"),
    "eligible": ("改革后符合条件人数", "Eligible, reform ({unit})", "people"),
    "delta_eligible": ("符合条件人数变化", "Change in eligible ({unit})", "people"),
    "newly_eligible": ("新增符合条件人数", "Newly eligible ({unit})", "people"),
    "no_longer_eligible": ("不再符合条件人数", "No longer eligible ({unit})", "people"),
    "undetermined_baseline": (
        "基线待定人数（缺少所需信息）",
        "Undetermined, baseline ({unit}; a fact unknown)",
        "people",
    ),
    "undetermined": ("改革后待定人数（缺少所需信息）", "Undetermined, reform ({unit}; a fact unknown)", "people"),
    "cost_baseline_yuan": ("基线成本（{unit}）", "Cost, baseline ({unit})", "yuan/year"),
    "cost_yuan": ("改革后成本（{unit}）", "Cost, reform ({unit})", "yuan/year"),
    "delta_cost_yuan": ("成本变化（{unit}）", "Change in cost ({unit})", "yuan/year"),
    "migrant_cost_baseline_yuan": ("外来人口基线成本（{unit}）", "Migrants' cost, baseline ({unit})", "yuan/year"),
    "migrant_cost_yuan": ("外来人口改革后成本（{unit}）", "Migrants' cost, reform ({unit})", "yuan/year"),
    "party_central_yuan": ("中央承担（{unit}）", "Central government pays ({unit})", "yuan/year"),
    "party_province_yuan": ("省级承担（{unit}）", "Province pays ({unit})", "yuan/year"),
    "party_inflow_city_yuan": ("流入地城市承担（{unit}）", "Inflow city pays ({unit})", "yuan/year"),
    "party_outflow_city_yuan": ("流出地城市承担（{unit}）", "Outflow city pays ({unit})", "yuan/year"),
    "party_employer_yuan": ("用人单位承担（{unit}）", "Employer pays ({unit})", "yuan/year"),
    "party_individual_yuan": ("个人承担（{unit}）", "Individual pays ({unit})", "yuan/year"),
    "households": ("家庭数（父母一方与其关联子女）", "Households (a parent and linked children)", "households"),
    "unlinked_persons": ("未关联到家庭的人数", "People not linked to a household", "people"),
}
BANDS: dict[str, tuple[str, str]] = {
    "gain_more_5": ("增加 5% 以上", "gain more than 5%"),
    "gain_less_5": ("增加不足 5%", "gain less than 5%"),
    "no_change": ("没有变化", "no change"),
    "lose_less_5": ("减少不足 5%", "lose less than 5%"),
    "lose_more_5": ("减少 5% 以上", "lose more than 5%"),
    "undetermined": ("待定（缺少所需信息）", "undetermined (a needed fact unknown)"),
}
_COUNTED: dict[str, tuple[str, str]] = {
    "households": ("家庭", "households"),
    "persons": ("人", "people"),
    "unlinked_persons": ("未关联到家庭的人", "people not linked to a household"),
}
BAND_UNITS = {unit: (f"{zh}数", en) for unit, (zh, en) in _COUNTED.items()}  # the bands' unit column: 家庭数, 人数
# the gain and loss bands: households_gain_more_5 (a count), share_persons_no_change (a share, 0–1)
RESULT_MEASURES: dict[str, tuple[str, str, str]] = {
    **_RUN_MEASURES,
    **{
        f"{unit}_{band}": (f"{band_zh}的{unit_zh}数", f"{sentence(unit_en)}: {band_en}", "count")
        for unit, (unit_zh, unit_en) in _COUNTED.items()
        for band, (band_zh, band_en) in BANDS.items()
    },
    **{
        f"share_{unit}_{band}": (
            f"{band_zh}的{unit_zh}占比（0–1）",
            f"Share of {unit_en}: {band_en} (0–1)",
            "ratio",
        )
        for unit, (unit_zh, unit_en) in _COUNTED.items()
        for band, (band_zh, band_en) in BANDS.items()
    },
}
# a group (not a region) by its code -> (Chinese, English): the file's group column in one language (the run stores
# one label "本地户籍 local hukou" for both, which put English in a Chinese file and Chinese in an English one)
RESULT_GROUPS: dict[str, tuple[str, str]] = {
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
ALL_COSTED = ("所有计成本的服务", "all services with a unit cost")
NO_UNIT_COST = ("不计成本（无单位成本）", "no unit cost")

PLANNING_MEASURES: dict[str, tuple[str, str]] = {  # facilities and staff by resident population (the report's)
    "hospital_beds": ("医院床位", "Hospital beds"),
    "licensed_doctors": ("执业医师", "Licensed doctors"),
    "registered_nurses": ("注册护士", "Registered nurses"),
    "primary_school_places": ("小学学位", "Primary school places"),
    "junior_secondary_places": ("初中学位", "Junior secondary places"),
    "primary_teachers": ("小学教师", "Primary teachers"),
    "junior_secondary_teachers": ("初中教师", "Junior secondary teachers"),
}
# the columns of what a planning dataset replaced (planning.facilities.replacement_summary) and of a person table's
# decisions summary (rules.summary.eligibility_summary): (zh, en, how its values read: api/upload_labels.py)
SUMMARY_COLUMNS: dict[str, tuple[str, str, str]] = {
    "region_code": ("地区", "Region", "region"),
    "service": ("服务", "Service", "category"),
    "facility_list_supply": ("清单供给", "Supply in the list", "count"),
    "facilities": ("设施数", "Facilities", "integer"),
    "estimate_replaced": ("被替换的估计供给", "Estimate replaced", "count"),
    "list_share_of_estimate": ("清单占估计的比例", "List as share of estimate", "share"),
    "replaces_stored_upload": ("替换此前上传的数据", "Replaces an earlier upload", "bool"),
    "output": ("服务或积分", "Service or points", "category"),
    "people": ("人数", "People", "integer"),
    "eligible": ("符合条件", "Eligible", "integer"),
    "eligible_share": ("符合条件比例", "Share eligible", "share"),
    "undetermined": ("无法判定", "Undetermined", "integer"),
    "mean_points": ("平均积分", "Mean points", "number"),
    "max_points": ("最高积分", "Highest points", "number"),
}
# measure: (label zh, label en, one-line explanation zh, en); a measure on the registered basis says it is an estimate
# (the registered population is gravity-estimated: docs/architecture.md, "Population bases")
EQUITY_MEASURES: dict[str, tuple[str, str, str, str]] = {
    "total_yuan": ("分配总额（元）", "Total allocated, yuan", "分配的资金总额（元）", "The money allocated, in yuan"),
    "per_resident_min": (
        "人均最低（常住，元/人）",
        "Lowest per resident, yuan per resident",
        "各省按常住人口计的人均额（元/人）中最低者",
        "Lowest amount per resident among provinces, in yuan per resident",
    ),
    "per_resident_max": (
        "人均最高（常住，元/人）",
        "Highest per resident, yuan per resident",
        "各省按常住人口计的人均额（元/人）中最高者",
        "Highest amount per resident among provinces, in yuan per resident",
    ),
    "max_min_ratio_resident": (
        "最高/最低（常住）",
        "Highest / lowest per resident",
        "常住人均最高额除以最低额：1 为完全均等",
        "Highest over lowest per-resident amount: 1 is equal",
    ),
    "gini_resident": (
        "基尼系数（常住）",
        "Gini, per resident",
        "按常住人口加权的人均额基尼系数：0 完全均等，1 全部集中于一地",
        "Gini of per-resident amounts weighted by residents: 0 equal, 1 all in one place",
    ),
    "theil_resident": (
        "泰尔指数（常住）",
        "Theil, per resident",
        "常住人均额的泰尔指数：0 完全均等，越大越不均",
        "Theil index of per-resident amounts: 0 equal, larger is more unequal",
    ),
    "per_registered_min": (
        "人均最低（户籍，估算，元/人）",
        "Lowest per registered head, estimate, yuan per head",
        "各省按户籍人口计的人均额（元/人）中最低者",
        "Lowest amount per registered (hukou) head among provinces, in yuan per head",
    ),
    "per_registered_max": (
        "人均最高（户籍，估算，元/人）",
        "Highest per registered head, estimate, yuan per head",
        "各省按户籍人口计的人均额（元/人）中最高者",
        "Highest amount per registered (hukou) head among provinces, in yuan per head",
    ),
    "max_min_ratio_registered": (
        "最高/最低（户籍，估算）",
        "Highest / lowest per registered head, estimate",
        "户籍人均最高额除以最低额",
        "Highest over lowest per-registered-head amount",
    ),
    "gini_registered": (
        "基尼系数（户籍，估算）",
        "Gini, per registered head, estimate",
        "按户籍人口加权的人均额基尼系数",
        "Gini of per-registered-head amounts weighted by registered population",
    ),
    "theil_registered": (
        "泰尔指数（户籍，估算）",
        "Theil, per registered head, estimate",
        "户籍人均额的泰尔指数",
        "Theil index of per-registered-head amounts",
    ),
    "weighted_unmet_need": (
        "加权未满足需求（估算，元 × 服务权重）",
        "Weighted unmet need, estimate, yuan × service weight",
        "分配后仍未得到资金的服务缺口（元，按规划单位成本估算），各乘以该服务的“预算分配权重”后相加",
        "Yuan of service gaps left unfunded (estimated at planning unit costs), each times its service's budget "
        "allocation weight, summed",
    ),
    "unmet_need_yuan": (
        "未满足需求（估算，元）",
        "Unmet need, estimate, yuan",
        "分配后仍未得到资金的服务缺口（元，按规划单位成本估算，不是官方数字）",
        "Yuan of service gaps the allocation leaves unfunded, estimated at planning unit costs (not official figures)",
    ),
}
