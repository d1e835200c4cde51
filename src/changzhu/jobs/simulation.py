"""The simulation job: write a run's tables and report section; the small reform run of `changzhu demo`."""

from __future__ import annotations

import time
from pathlib import Path

import polars as pl

from changzhu.config import shipped_dir
from changzhu.data.census import census_2020
from changzhu.data.geo import province_geojson
from changzhu.domain.services import Service, service_title
from changzhu.report.lang import Lang, pick
from changzhu.report.render import render_report
from changzhu.report.sections import write_section
from changzhu.report.simulation import simulation_section
from changzhu.simulation.aggregate import BASELINE
from changzhu.simulation.engine import LocalEngine, SimulationPlan
from changzhu.simulation.evaluators import load_rules_scenario, rules_evaluator
from changzhu.simulation.marginals import SEX_RATIO_2020
from changzhu.simulation.reform_titles import check_title_shape, reform_title
from changzhu.simulation.run import SimulationResult, simulate
from changzhu.simulation.spec import load_spec
from changzhu.simulation.synthetic import population_model

DEMO_SCENARIO = "sim_entrance_exam_residence_1y.yaml"  # shipped in changzhu/scenarios
DEMO_SAMPLE = 2e-4  # about 280,000 persons


def _unit_costs(plan: SimulationPlan, lang: Lang) -> str:
    """The unit costs the run priced its services at, in words (the baseline's; a reform that changes one is priced
    at its own): "unit costs: compulsory schooling of migrant children 11,949 yuan (ages 6–11), …"."""
    zh = lang == Lang.ZH
    parts = []
    for service, cost in plan.costs.items():
        places = [p for p in cost.places if p.yuan_per_year > 0]
        if not places:
            continue
        title = service_title(Service(service), lang) if service in {s.value for s in Service} else service
        bands = [
            pick(
                f"{p.age_min}–{p.age_max} 岁 {p.yuan_per_year:,} 元",
                f"{p.yuan_per_year:,} yuan at ages {p.age_min}–{p.age_max}",
                lang,
            )
            for p in places
        ]
        parts.append(f"{title} {('、' if zh else ', ').join(bands)}")
    if not parts:
        return pick("没有计成本的服务", "no service has a unit cost", lang)
    changed = pick("；改革方案改动单位成本的按其方案", "; a reform that changes one is priced at its own", lang)
    listed = ("；" if zh else "; ").join(parts)
    said = pick(f"每人每年单位成本：{listed}", f"unit costs a person a year: {listed}", lang)
    return said + (changed if plan.scenario_costs else "")


def _notes(plan: SimulationPlan, result: SimulationResult, how: str, lang: Lang) -> list[str]:
    census = census_2020().provinces
    sampled = result.counts.filter(pl.col("scenario") == pl.col("scenario").first(), pl.col("year") == plan.as_of.year)
    persons = sampled.group_by("region_code").agg(pl.col("persons").first()).select(pl.col("persons").sum()).item() or 0
    expected = float(census["pop_resident_2020"].sum()) * plan.fraction
    if lang == Lang.ZH:
        return [
            f"合成人口：{persons:,} 人，为 2020 年普查常住人口的 {plan.fraction:.4%} 抽样（预期 {expected:,.0f} 人），"
            f"随机种子 {plan.seed}；按地级和省级的年龄、城乡、户籍状态用 IPF 拟合；性别按全国性别比 "
            f"{SEX_RATIO_2020}（没有分地区数据）；流动人口来源地由引力模型估算（没有随附的来源地—目的地表）。",
            "普查结构视为第一个评估日的结构，以后各年为同一批人逐年变老（封闭队列）。人数为常住口径的估算；"
            f"费用为每年元数，{_unit_costs(plan, lang)}。计算引擎：{how}。",
        ]
    return [
        f"Synthetic population: {persons:,} persons, a {plan.fraction:.4%} sample of the 2020 census resident",
        f"population ({expected:,.0f} expected), seed {plan.seed}, fitted by IPF to age, urban/rural and hukou",
        f"status by prefecture and province; sex from the national ratio {SEX_RATIO_2020} (no regional split ships);",
        "origins of migrants from a gravity model (an estimate, no origin-destination table ships).",
        "The census structure is taken as the structure on the first evaluation date; later years age the same",
        "people (a closed cohort). People counts are estimates on the resident basis (常住); costs are yuan per",
        f"year, {_unit_costs(plan, lang)}. Engine: {how}.",
    ]


def reform_titles(paths: list[Path], lang: Lang) -> dict[str, str]:
    """Each scenario file's reform, by its name, as a reader of `lang` knows it (`reform_title`: the YAML's `title`,
    else its description or the parameters it changes in words; a file that names no reform is left out: its
    description names it, `write_results`). A `title:` not written per language is refused (`check_title_shape`),
    not taken for none."""
    import yaml

    titles: dict[str, str] = {}
    for path in paths:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        check_title_shape(raw)
        if not isinstance(raw, dict) or not raw.get("name"):
            continue
        titles[str(raw["name"])] = reform_title(raw, lang, str(raw["name"]))
    return titles


def write_results(
    title: str,
    plan: SimulationPlan,
    result: SimulationResult,
    out: Path,
    how: str,
    lang: Lang = Lang.ZH,
    titles: dict[str, str] | None = None,
) -> tuple[list[Path], Path]:
    """Parquet tables under out/simulation, the report section, and the re-rendered report; each reform named by
    `titles` (`reform_titles`) where given, else by its description."""
    paths = result.write_parquet(out / "simulation")
    labels = {name: str(getattr(s, "description", "") or name) for name, s in plan.scenarios if s is not None}
    labels.update(titles or {})
    if titles:
        title = "; ".join(labels[name] for name, s in plan.scenarios if s is not None)
    section = simulation_section(
        title,
        result.by_province,
        census_2020().provinces,
        province_geojson(),
        population_model().fit_errors(),
        _notes(plan, result, how, lang),
        plan.fraction,
        lang,
        labels,
    )
    write_section(out, section)
    return paths, render_report(out, lang=lang)


def simulation_demo(out_dir: Path, sample: float = DEMO_SAMPLE, lang: Lang = Lang.ZH) -> str:
    """For `changzhu demo`: the shipped 中考 reform on a small sample, local engine; returns a one-line note."""
    files = [shipped_dir("scenarios") / DEMO_SCENARIO]
    spec = load_spec(files, load_rules_scenario)
    plan = spec.plan(sample=sample, years=spec.years[:1])
    started = time.perf_counter()
    result = simulate(plan, rules_evaluator(spec.services), LocalEngine())
    how = f"local, {time.perf_counter() - started:,.1f} s"
    write_results(spec.title, plan, result, out_dir, how, lang, reform_titles(files, lang))
    reform = result.by_province.filter(pl.col("scenario") != BASELINE)
    gained = float(reform.select(pl.col("newly_eligible").sum()).item() or 0)
    name = spec.reforms[0][0]
    title = reform_titles(files, lang).get(name, name)  # a reader reads the reform's title, not its file's key
    return pick(
        f"微观模拟：改革“{title}”使约 {gained:,.0f} 人新符合条件（估算，抽样比例 {sample:g}）",
        f"simulation: the reform “{title}” makes about {gained:,.0f} people newly eligible (estimate, sample "
        f"{sample:g})",
        lang,
    )
