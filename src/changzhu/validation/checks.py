"""The validation table: each headline figure, how changzhu computes it, the official figure and a tolerance.

status: 'ok' inside the tolerance, 'out_of_range' outside it (with the reason), 'no_estimate' where changzhu
produces no figure of its own (the official one is shown for reference and nothing is compared),
'definition_differs' where the nearest figure the shipped data give counts something else than the official one
(both are shown with the difference in definition; docs/validation.md), 'calibrated' where a parameter of the
model was calibrated to this very figure (within tolerance by construction, unless the model changed since; not
an independent check).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import polars as pl

from changzhu.data.census import CENSUS_DAY, Census2020, census_2020
from changzhu.data.supply import read_hospital_supply
from changzhu.domain.services import Service
from changzhu.simulation import attributes as attr
from changzhu.simulation.aggregate import decision
from changzhu.simulation.evaluators import rules_evaluator
from changzhu.simulation.hukou_place import AWAY_STATUSES, migrant_children, migrant_expr
from changzhu.simulation.means_test import dibao_model, passes, takes_up
from changzhu.simulation.synthetic import generate_cities, population_model
from changzhu.validation import official as off

# The simulation decides 低保 with the rules on a date its one national standard is in force everywhere (2023-10-01
# national; cities' own values start later), so the validation reads its headline on the simulation's first year.
SIMULATION_DIBAO_DATE = date(2025, 1, 1)
SIMULATION_DIBAO_EVERY = 10  # the rules decide every 10th synthetic person (the count is scaled back)


@dataclass(frozen=True)
class Check:
    """One row of the validation table."""

    key: str
    label_zh: str
    label_en: str
    produced: float | None
    official: off.Official
    tolerance: float  # relative, e.g. 0.01 = ±1 %
    method: str
    reason_if_out: str = ""
    comparable: bool = True  # False: changzhu's nearest figure counts something else (reason_if_out says what)
    calibrated: bool = False  # True: a model parameter was calibrated to this figure (not an independent check)

    @property
    def ratio(self) -> float | None:
        """System figure over official figure."""
        return None if self.produced is None else self.produced / self.official.value

    @property
    def status(self) -> str:
        """'ok', 'calibrated', 'out_of_range', 'no_estimate' or 'definition_differs'."""
        if self.ratio is None:
            return "no_estimate"
        if not self.comparable:
            return "definition_differs"
        if abs(self.ratio - 1.0) > self.tolerance:
            return "out_of_range"
        return "calibrated" if self.calibrated else "ok"

    @property
    def tolerance_applied(self) -> float | None:
        """The tolerance the status was judged by; None where nothing was compared (no changzhu estimate, or a figure
        of another definition): unknown, never a tolerance of 0 nor one that was not applied."""
        return None if self.status in ("no_estimate", "definition_differs") else self.tolerance

    def tolerance_text(self) -> str:
        """The tolerance as the table shows it: ±0.1% or — where nothing was compared."""
        applied = self.tolerance_applied
        return "—" if applied is None else f"±{applied:.1%}"


def census_checks(census: Census2020) -> list[Check]:
    """人户分离, 市辖区内人户分离, 流动人口, 跨省流动 and urbanisation from the shipped census tables."""
    prov = census.provinces
    renhu = float(prov["renhu_fenli_2020"].sum())
    same_county = float(prov["hukou_elsewhere_same_county_2020"].sum())
    interprov = float(prov["interprov_in_migrants_2020"].sum())
    urban = float(prov["pop_urban_2020"].sum())
    resident = float(prov["pop_resident_2020"].sum())
    urban_rate = urban / resident * 100
    gap_people = (off.URBAN_RATE.value - off.HUKOU_URBAN_RATE.value) / 100 * off.NATIONAL_POPULATION.value
    same_county_note = (
        "a different count, not a model error: the county tabulation's same-county column counts everyone living "
        "away from their township inside their own county, district or county-level city (188 M); the "
        "communiqué's 市辖区内 counts moves between townships anywhere within one city's districts, across districts "
        "too, and leaves out moves inside a county or county-level city (those are 流动人口 for it). The shipped "
        "tabulation has no split of either column by district and county, so neither official figure can be "
        "rebuilt from it"
    )
    return [
        Check(
            "renhu_fenli",
            "人户分离人口",
            "Living away from hukou township",
            renhu,
            off.RENHU_FENLI,
            0.001,
            "sum of the 31 provinces' 户口登记地在外乡镇街道 (county tabulation)",
        ),
        Check(
            "shixiaqu_renhu",
            "市辖区内人户分离",
            "Away from hukou within one city's districts",
            same_county,
            off.SHIXIAQU_RENHU,
            0.10,
            "sum of 户口在本县（市、区）其他乡镇街道 (the nearest figure the tabulation gives)",
            same_county_note,
            comparable=False,
        ),
        Check(
            "liudong",
            "流动人口",
            "Floating population",
            renhu - same_county,
            off.LIUDONG,
            0.05,
            "人户分离 minus the same-county column (the nearest figure the tabulation gives)",
            same_county_note,
            comparable=False,
        ),
        Check(
            "kuasheng",
            "跨省流动人口",
            "Inter-provincial migrants",
            interprov,
            off.KUASHENG,
            0.001,
            "sum of the 31 provinces' 户口登记地在外省",
        ),
        Check(
            "urban_rate",
            "常住人口城镇化率（%）",
            "Urbanisation rate, resident basis (%)",
            urban_rate,
            off.URBAN_RATE,
            0.002,
            "urban residents / residents of the 31 provinces (military excluded)",
        ),
        Check(
            "hukou_urban_rate",
            "户籍人口城镇化率（%）",
            "Urbanisation rate, hukou basis (%)",
            None,
            off.HUKOU_URBAN_RATE,
            0.0,
            "no estimate: the census tables carry no hukou urban/rural split; an input",
        ),
        Check(
            "urbanisation_gap",
            "常住与户籍城镇化率之差对应的人口（人）",
            "Urban residents without urban hukou (persons)",
            gap_people,
            off.SEED_GAP,
            0.10,
            "(63.89 % − 45.4 %) × 1,411,778,724: the people 黄燕芬 (2026)'s “约2.5亿” refers to",
        ),
    ]


def beds_check() -> Check:
    """Hospital beds per 1,000 residents: 2019 beds over the 2020 census residents."""
    beds = float(read_hospital_supply()["beds_total"].sum())
    resident = float(census_2020().provinces["pop_resident_2020"].sum())
    return Check(
        "beds_per_1000",
        "每千常住人口床位数",
        "Hospital beds per 1,000 residents",
        beds / resident * 1000,
        off.BEDS_PER_1000,
        0.05,
        "NBS 2019 beds (all 31 provinces) / 2020 census residents × 1,000",
    )


def simulation_dibao(people: pl.DataFrame, scale: float) -> float:
    """低保 recipients as `changzhu simulate` counts them: the rules' decision on the means-tested income (area
    standard, asset test), then take-up (its demand)."""
    every = people.gather_every(SIMULATION_DIBAO_EVERY)
    decide = rules_evaluator((Service.MINIMUM_LIVING_ALLOWANCE.value,))
    decided = decide(every, SIMULATION_DIBAO_DATE, None)
    eligible = decided[f"eligible_{Service.MINIMUM_LIVING_ALLOWANCE.value}"].fill_null(False).to_numpy()
    recipients = eligible & takes_up(every, dibao_model(SIMULATION_DIBAO_DATE))
    return float(recipients.sum()) * SIMULATION_DIBAO_EVERY * scale


def census_structure_on(people: pl.DataFrame, on: date) -> pl.DataFrame:
    """The census-day population with every date moved forward to `on`: the census structure (ages, years of
    residence) on that date, as `changzhu simulate` draws its population for its first evaluation date."""
    days = (on - CENSUS_DAY).days
    dated = [name for name, kind in people.schema.items() if kind == pl.Date]
    return people.with_columns(pl.col(c) + pl.duration(days=days) for c in dated)


def simulation_suiqian(people: pl.DataFrame, scale: float) -> float:
    """The simulation's 随迁子女义务教育 headline: children the rules find eligible for compulsory schooling whose
    hukou is in another county or province (changzhu.simulation.hukou_place), on the simulation's first year with
    the census structure; an unknown hukou place would be undetermined, not counted."""
    service = Service.COMPULSORY_SCHOOLING.value
    shifted = census_structure_on(people, SIMULATION_DIBAO_DATE)
    eligible, undetermined = decision(rules_evaluator((service,))(shifted, SIMULATION_DIBAO_DATE, None), service)
    away, unknown = (shifted.select(e).to_series() for e in migrant_expr(shifted.columns))
    counted, _ = migrant_children(eligible, undetermined, away, unknown)
    return float(counted.sum()) * scale


def dibao_2020(people: pl.DataFrame, scale: float) -> tuple[float, float]:
    """(urban, rural) 低保 recipients of the synthetic population on the baseline date: income and asset tests
    against the 2020 national average standards, then take-up."""
    model = dibao_model(CENSUS_DAY)
    recipients = passes(people, model) & takes_up(people, model)
    urban = people["urban"].to_numpy()
    return float((recipients & urban).sum()) * scale, float((recipients & ~urban).sum()) * scale


def calibrated_takeup(fraction: float, seed: int = 20201101) -> tuple[float, float]:
    """The calibration of simulation.dibao.takeup_urban / _rural: the 2020 recipients (民政部) over the synthetic
    residents of the area passing the 2020 income and asset tests, uncapped: a value above 1 means the model has
    fewer people passing than receive it (the parameter is then 1)."""
    model = population_model()
    people = generate_cities(model, list(range(len(model.codes))), fraction, seed, CENSUS_DAY)
    passing = passes(people, dibao_model(CENSUS_DAY))
    urban = people["urban"].to_numpy()
    scale = 1.0 / fraction
    return (
        off.DIBAO_URBAN.value / (float((passing & urban).sum()) * scale),
        off.DIBAO_RURAL.value / (float((passing & ~urban).sum()) * scale),
    )


def synthetic_checks(fraction: float, seed: int) -> list[Check]:
    """低保 (the means test and take-up on the fitted income distribution; the simulation's own count) and
    随迁子女 from a synthetic sample."""
    model = population_model()
    people = generate_cities(model, list(range(len(model.codes))), fraction, seed, CENSUS_DAY)
    scale = 1.0 / fraction
    age = (pl.lit(CENSUS_DAY) - pl.col("birth_date")).dt.total_days() / attr.DAYS_PER_YEAR
    urban_recipients, rural_recipients = dibao_2020(people, scale)
    dibao = dibao_model(CENSUS_DAY)
    migrant = pl.col("hukou_status").cast(pl.String).is_in(AWAY_STATUSES)
    children = people.filter(migrant & pl.col("urban") & (age >= 6) & (age < 15)).height * scale
    method = (
        "synthetic residents whose household passes the income test (income per head below the 2020 national "
        f"average standard of the area: {dibao.urban_standard:g} yuan a month urban, {dibao.rural_standard:g} rural) "
        f"and the asset test (money assets per head below {dibao.asset_limit_months:g} months of it), times take-up "
        f"(urban {dibao.takeup_urban:g}, rural {dibao.takeup_rural:g}: the simulation's take-up rates of the "
        "minimum living allowance)"
    )
    return [
        Check(
            "dibao_urban",
            "城市低保对象",
            "Urban dibao (minimum living allowance) recipients",
            urban_recipients,
            off.DIBAO_URBAN,
            0.25,
            method + "; the urban take-up is calibrated to this figure, so this is not an independent test",
            "the urban take-up was calibrated to this figure: the income or asset model changed since; recalibrate",
            calibrated=True,
        ),
        Check(
            "dibao_rural",
            "农村低保对象",
            "Rural dibao (minimum living allowance) recipients",
            rural_recipients,
            off.DIBAO_RURAL,
            0.25,
            method + "; the rural take-up is calibrated to this figure, so this is not an independent test",
            "the rural take-up was calibrated to this figure: the income or asset model changed since; recalibrate",
            calibrated=True,
        ),
        Check(
            "dibao_simulation",
            "模拟的低保对象（规则 + 财产核查 + 申领率）",
            "Dibao recipients in the simulation (rules, asset test, take-up)",
            simulation_dibao(people, scale),
            off.DIBAO_TOTAL,
            0.25,
            f"the reform simulation's dibao demand on {SIMULATION_DIBAO_DATE} for every {SIMULATION_DIBAO_EVERY}th "
            "synthetic resident: the rules' minimum living allowance decision (the city's standard, 753 yuan a month "
            "nationally since 2023-10; in the countryside times the 2020 rural/urban ratio), the asset test, then "
            "take-up; against the 2020 recipients (the synthetic incomes are 2020's)",
            "the simulation applies the 2023 standards to 2020 incomes, so it counts more people than 2020's "
            "recipients",
        ),
        Check(
            "suiqian",
            "随迁子女（义务教育）",
            "Migrant children of compulsory-school age",
            children,
            off.SUIQIAN,
            0.25,
            "synthetic urban residents aged 6–14 with hukou in another county or province",
            "the Ministry counts children of rural-hukou migrant workers enrolled in urban schools; the synthetic "
            "count is every migrant child of that age living in a town or city, whatever the parents' hukou",
        ),
        Check(
            "suiqian_simulation",
            "模拟的随迁子女义务教育（规则判定，户籍在外县或外省）",
            "Compulsory schooling of migrant children in the simulation (rules; hukou in another county or province)",
            simulation_suiqian(people, scale),
            off.SUIQIAN,
            0.25,
            f"estimate: `changzhu simulate`'s 随迁子女义务教育 row on {SIMULATION_DIBAO_DATE} (the census structure on "
            "the simulation's first year) from the synthetic sample: residents aged 6–15 whom the rules find "
            "eligible for compulsory schooling (a parent living here who qualifies for a residence permit) and whose "
            "hukou is in another county or province; children with local hukou are in the row 义务教育（不论户籍）",
            "the Ministry counts rural-hukou children of migrant workers enrolled in urban schools (nine grades); the "
            "simulation counts every eligible child of ages 6–15 registered in another county or province, in towns "
            "and in the countryside, whatever the hukou type: more children than the Ministry's",
            comparable=False,
        ),
        Check(
            "settlement",
            "住院费用跨省直接结算",
            "Cross-province direct settlement of inpatient bills",
            None,
            off.SETTLEMENT,
            0.0,
            "no estimate: changzhu settles bills one by one (ledger) and does not model national volumes",
        ),
    ]


def validation_checks(fraction: float, seed: int = 20201101) -> list[Check]:
    """Every row of the validation table (synthetic figures from a sample of `fraction`)."""
    return [*census_checks(census_2020()), beds_check(), *synthetic_checks(fraction, seed)]


def checks_frame(checks: list[Check]) -> pl.DataFrame:
    """The checks as a table (one row each), for CSV export and the report."""
    return pl.DataFrame(
        [
            {
                "key": c.key,
                "figure_zh": c.label_zh,
                "figure_en": c.label_en,
                "changzhu": c.produced,
                "official": c.official.value,
                "unit": c.official.unit,
                "ratio": c.ratio,
                "tolerance": c.tolerance_applied,
                "status": c.status,
                "source": f"{c.official.document}, {c.official.table}",
                "source_year": c.official.year,
                "source_url": c.official.url,
                "source_url_note": c.official.link_note[1],
                "source_verified": c.official.verified,
                "method": c.method,
                "reason": c.reason_if_out if c.status in ("out_of_range", "definition_differs") else "",
            }
            for c in checks
        ],
        schema_overrides={"changzhu": pl.Float64, "ratio": pl.Float64, "tolerance": pl.Float64},
    )


# The method and the out-of-range reason of each check in Chinese (the English is on the Check itself).
ZH_TEXT: dict[str, tuple[str, str]] = {
    "renhu_fenli": ("31 个省份“户口登记地在外乡镇街道”之和（分县资料）", ""),
    "shixiaqu_renhu": (
        "“户口在本县（市、区）其他乡镇街道”之和（分县资料中最接近的数字）",
        "口径不同，不是模型错误：分县资料的“本县内”一栏包括在本县、区或县级市内离开户籍乡镇街道的所有人（1.88亿）；"
        "公报的“市辖区内”指在一个城市的各市辖区范围内（含跨区）离开户籍乡镇街道的人，不含县和县级市内的人户分离"
        "（这些在公报中属于流动人口）。随附的分县资料没有按区、县拆分这两栏，无法由此重算任一官方数字",
    ),
    "liudong": (
        "人户分离减去“本县内”一栏（分县资料中最接近的数字）",
        "口径不同，同上：公报的流动人口 = 人户分离 − 市辖区内人户分离；本系统只能减去“本县内”一栏",
    ),
    "kuasheng": ("31 个省份“户口登记地在外省”之和", ""),
    "urban_rate": ("城镇常住人口 ÷ 31 个省份常住人口（不含现役军人）", ""),
    "hukou_urban_rate": ("无本系统估计：普查表没有户籍城乡划分，作为输入使用", ""),
    "urbanisation_gap": ("(63.89% − 45.4%) × 1,411,778,724：即种子文档 004 所说“约2.5亿”", ""),
    "beds_per_1000": ("2019 年各省医疗卫生机构床位 ÷ 2020 年普查常住人口 × 1000", ""),
    "dibao_urban": (
        "合成人口中家庭同时通过收入核查（人均收入低于 2020 年全国平均城市低保标准）和财产核查"
        "（人均货币财产低于该标准的若干个月）者，乘以申领率（模拟中低保的申领率参数）；"
        "城市申领率按本数字校准，因此不是独立检验",
        "城市申领率是按本数字校准的：收入或财产模型已改动，请重新校准",
    ),
    "dibao_rural": (
        "合成人口中家庭同时通过收入核查（人均收入低于 2020 年全国平均农村低保标准）和财产核查者，乘以申领率；"
        "农村申领率按本数字校准，因此不是独立检验",
        "农村申领率是按本数字校准的：收入或财产模型已改动，请重新校准",
    ),
    "dibao_simulation": (
        "改革模拟对每 10 个合成居民中的 1 个计算低保需求：规则的低保判定"
        "（城市标准，全国 2023 年 10 月起 753 元/月；农村按 2020 年城乡标准之比折算），加财产核查，再乘申领率；"
        "与 2020 年低保对象对照（合成人口的收入为 2020 年水平）",
        "模拟把 2023 年的标准用于 2020 年的收入，人数多于 2020 年的低保对象",
    ),
    "suiqian": (
        "合成人口中户籍在外县或外省、居住在城镇的 6–14 岁儿童",
        "教育部统计的是在城镇学校就读的农村户籍进城务工人员子女；合成人口统计的是所有居住在城镇的该年龄段流动儿童，不论父母户籍",
    ),
    "suiqian_simulation": (
        f"估算：模拟（changzhu simulate）在 {SIMULATION_DIBAO_DATE}（普查结构视为模拟第一年的结构）对合成人口抽样的"
        "“随迁子女义务教育”一行：规则判定可接受义务教育（父母一方在本地居住并符合居住证条件）且户籍在外县或外省的 "
        "6–15 岁常住儿童；本地户籍儿童计入“义务教育（不论户籍）”一行",
        "口径不同：教育部统计的是在城镇学校就读的农村户籍进城务工人员随迁子女（九个年级）；模拟统计的是户籍在外县或外省、"
        "规则判定符合条件的所有 6–15 岁儿童，含居住在乡村的，不论户口性质，因此多于教育部的数字",
    ),
    "settlement": ("无本系统估计：本系统逐笔结算（账户台账），不模拟全国结算量", ""),
}


def method_text(check: Check, zh: bool) -> str:
    """How the figure is computed, in Chinese or English."""
    return ZH_TEXT[check.key][0] if zh else check.method


def reason_text(check: Check, zh: bool) -> str:
    """Why the figure is out of range, in Chinese or English."""
    return ZH_TEXT[check.key][1] if zh else check.reason_if_out
