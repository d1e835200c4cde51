"""The main job (`changzhu demo`): data, database, population, planning, fiscal, simulation, ledger, report.

Each step prints a numbered header; long steps show their own rich progress bars.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine

from changzhu.casework.example_doc import render
from changzhu.casework.worked_example import run
from changzhu.data.census import Census2020, census_2020
from changzhu.data.geo import province_geojson
from changzhu.domain.regions import RegionLevel
from changzhu.fiscal.parameters import fiscal_parameters
from changzhu.jobs import run_fiscal, run_planning, simulation_demo
from changzhu.output import OutputFormat, console, emit_table
from changzhu.registry.census_import import load_census
from changzhu.registry.migrate import upgrade
from changzhu.registry.queries import PopulationSort, population_table
from changzhu.report.lang import Lang, pick
from changzhu.report.population import population_section
from changzhu.report.registry_tables import registry_in, share_places
from changzhu.report.render import render_report
from changzhu.report.sections import write_section
from changzhu.store.db import make_engine
from changzhu.validation.checks import checks_frame, validation_checks
from changzhu.validation.fit import fit_table
from changzhu.validation.section import validation_section

SERVE_ADDRESS = "http://127.0.0.1:8000/"
VALIDATION_SAMPLE = 1e-3  # the default of `changzhu validate`; the section states it
VALIDATION_SEED = 20201101


@dataclass
class DemoContext:
    """What the steps of the main job share."""

    out_dir: Path
    lang: Lang = Lang.ZH
    engine: Engine | None = None
    census: Census2020 | None = None
    notes: list[str] = field(default_factory=list)


def _load_data(ctx: DemoContext) -> None:
    ctx.census = census_2020()
    provinces, prefectures = ctx.census.provinces.height, ctx.census.prefectures.height
    counties = ctx.census.counties.height
    ctx.notes.append(
        pick(
            f"人口普查：{provinces} 个省级、{prefectures} 个地级、{counties:,} 个县级地区，已与普查总数核对",
            f"census: {provinces} provinces, {prefectures} prefectures, {counties:,} counties checked against the"
            " census totals",
            ctx.lang,
        )
    )


def _build_database(ctx: DemoContext) -> None:
    ctx.engine = make_engine()
    upgrade(ctx.engine)
    assert ctx.census is not None
    summary = load_census(ctx.engine, ctx.census)
    url = ctx.engine.url.render_as_string(hide_password=True)
    regions, rows = summary.regions, summary.population_stats
    ctx.notes.append(
        pick(
            f"数据库 {url}：{regions:,} 个地区，{rows:,} 行人口数据",
            f"database {url}: {regions:,} regions, {rows:,} population rows",
            ctx.lang,
        )
    )


def _population_report(ctx: DemoContext) -> None:
    assert ctx.engine is not None
    provinces = population_table(ctx.engine, RegionLevel.PROVINCE, PopulationSort.INTERPROV_SHARE)
    write_section(ctx.out_dir, population_section(provinces, province_geojson(), ctx.lang))
    provinces.write_csv(ctx.out_dir / "population_by_province.csv")
    title = pick(
        "各省按跨省流入人口占比排列（2020 年人口普查，常住口径）",
        "Provinces by inter-provincial in-migrant share (2020 census, resident basis)",
        ctx.lang,
    )
    shown = registry_in(provinces, ctx.lang)  # headers and places in words, as `changzhu population` prints them
    emit_table(shown, OutputFormat.TABLE, title, decimals=share_places(provinces, ctx.lang))


def _planning(ctx: DemoContext) -> None:
    run_planning(ctx.out_dir, lang=ctx.lang)
    folder = ctx.out_dir / "planning"
    ctx.notes.append(
        pick(f"规划：缺口、预测和选址见 {folder}", f"planning: gaps, projection and sites in {folder}", ctx.lang)
    )


def _fiscal(ctx: DemoContext) -> None:
    ctx.notes.append(run_fiscal(ctx.out_dir, fiscal_parameters(), ctx.lang))


def _simulation(ctx: DemoContext) -> None:
    ctx.notes.append(simulation_demo(ctx.out_dir, lang=ctx.lang))


def _validation(ctx: DemoContext) -> None:
    checks = validation_checks(VALIDATION_SAMPLE, VALIDATION_SEED)
    fit = fit_table(VALIDATION_SAMPLE, VALIDATION_SEED)
    checks_frame(checks).write_csv(ctx.out_dir / "validation.csv")
    fit.write_csv(ctx.out_dir / "validation_fit.csv")
    write_section(ctx.out_dir, validation_section(checks, fit, VALIDATION_SAMPLE, ctx.lang))
    out = sum(c.status == "out_of_range" for c in checks) + int((fit["status"] == "out_of_range").sum())
    ctx.notes.append(
        pick(
            f"数字核对：{len(checks)} 个主要数字和 {fit.height} 行拟合结果与官方数字比较，{out} 个超出范围（抽样比例"
            f" {VALIDATION_SAMPLE:g}，随机种子 {VALIDATION_SEED}；有超出范围的 `changzhu validate` 退出码为 1）",
            f"validation: {len(checks)} headline figures and {fit.height} fit rows against official ones, {out} out of"
            f" range (sample {VALIDATION_SAMPLE:g}, seed {VALIDATION_SEED}; `changzhu validate` exits 1 then)",
            ctx.lang,
        )
    )


def _ledger_example(ctx: DemoContext) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        engine = make_engine(f"sqlite:///{Path(scratch) / 'example.sqlite3'}")
        upgrade(engine)
        text = render(run(engine))
        engine.dispose()
    path = ctx.out_dir / "ledger_worked_example.md"
    path.write_text(text, encoding="utf-8")
    ctx.notes.append(
        pick(
            f"终身福利账户：成都 → 深圳 → 苏州 的示例见 {path}",
            f"ledger: worked example Chengdu → Shenzhen → Suzhou in {path}",
            ctx.lang,
        )
    )


Step = tuple[str, str, Callable[[DemoContext], None]]  # heading in Chinese, in English, the step
STEPS: list[Step] = [
    ("载入并核对 2020 年人口普查和行政区划代码", "Load and check the 2020 census and region codes", _load_data),
    ("建立登记数据库并载入各地区", "Build the registry database and load regions", _build_database),
    ("常住地与户籍地：人户分离和跨省流入", "Where people live compared with their hukou", _population_report),
    (
        "按常住人口规划服务：缺口、预测、选址",
        "Plan services by resident population: gaps, projection, where to build",
        _planning,
    ),
    (
        "人地钱挂钩：转移支付、线性规划分配、横向补偿",
        "Money and land follow people: transfers, LP allocation, compensation",
        _fiscal,
    ),
    (
        "在按人口普查拟合的合成人口上微观模拟一项改革",
        "Microsimulate a reform on a synthetic population fitted to the census",
        _simulation,
    ),
    ("数字核对：主要数字与官方统计比较", "Check the headline figures against official statistics", _validation),
    (
        "终身福利账户：一位劳动者在三个城市之间流动",
        "The portable account: a worker moving between three cities",
        _ledger_example,
    ),
]


def run_demo(out_dir: Path, lang: Lang = Lang.ZH) -> Path:
    """Run every step, print what each found and write the report (Chinese by default)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    ctx = DemoContext(out_dir=out_dir, lang=lang)
    for number, (zh, en, step) in enumerate(STEPS, start=1):
        console.rule(f"[bold]{number}/{len(STEPS)}[/bold] {pick(zh, en, lang)}")
        step(ctx)
    console.rule(pick("小结", "summary", lang))
    for note in ctx.notes:
        console.print(note)
    report = render_report(out_dir, lang=lang)
    console.print(pick(f"报告已写入 [bold]{report}[/bold]", f"report written to [bold]{report}[/bold]", lang))
    me = command()
    add = f"`{me} user add NAME --role planner --jurisdiction 000000 --keep-password`"
    console.print(
        pick(
            f"浏览办事大厅：先运行 {add}（NAME 换成用户名），再运行 `{me} serve` 并打开 {SERVE_ADDRESS}",
            f"to browse the office: {add}, then `{me} serve` and open {SERVE_ADDRESS}",
            lang,
        )
    )
    return report


def command() -> str:
    """How to run this changzhu from the current directory: `changzhu` when that name on the PATH is this
    installation, else the path of its script (e.g. `.venv/bin/changzhu` after `make demo`)."""
    script = Path(sys.executable).parent / "changzhu"
    if not script.exists():
        return f"{sys.executable} -m changzhu.cli.main"
    found = shutil.which("changzhu")
    if found and Path(found).resolve() == script.resolve():
        return "changzhu"
    try:
        return str(script.absolute().relative_to(Path.cwd()))
    except ValueError:
        return str(script.absolute())
