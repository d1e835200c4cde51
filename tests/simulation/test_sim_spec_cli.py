"""Scenario files, the real rules engine as evaluator, and `changzhu simulate` end to end (small sample)."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from changzhu.cli.main import app
from changzhu.domain.lang import Lang
from changzhu.domain.refusals import refusal_of
from changzhu.rules.scenario import Scenario
from changzhu.simulation.aggregate import BASELINE
from changzhu.simulation.errors import SimulationError
from changzhu.simulation.evaluators import load_rules_scenario, rules_evaluator
from changzhu.simulation.run import simulate
from changzhu.simulation.spec import load_spec
from cli_support import run_changzhu

ROOT = Path(__file__).resolve().parents[2]
EXAM = ROOT / "src" / "changzhu" / "scenarios" / "sim_entrance_exam_residence_1y.yaml"
DIBAO = ROOT / "src" / "changzhu" / "scenarios" / "sim_dibao_permit_holders.yaml"
SMALL = 2e-5
PLAIN_TITLE = "title: 中考居住一年\noverrides:\n  entrance_exam.child_residence_months: 12\n"


def test_shipped_scenario_file_loads_as_rules_scenario_with_settings() -> None:
    spec = load_spec([EXAM], load_rules_scenario)
    [(name, scenario)] = spec.reforms
    assert name == "entrance_exam_residence_1y"
    assert isinstance(scenario, Scenario)
    assert spec.years == (2025, 2026)
    assert spec.sample == 0.01
    plan = spec.plan(sample=SMALL, years=(2025,))
    assert plan.scenarios[0] == (BASELINE, None)
    assert plan.fraction == SMALL
    assert "compulsory_schooling" in plan.costs


def test_two_files_make_two_reforms_with_the_union_of_services() -> None:
    spec = load_spec([EXAM, DIBAO], load_rules_scenario)
    assert [n for n, _ in spec.reforms] == ["entrance_exam_residence_1y", "dibao_permit_holders"]
    assert "minimum_living_allowance" in spec.services and "local_entrance_exam" in spec.services


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("name: x\noverrides: {}\nsimulation: {sample: 2}\n", "sample must be in"),
        ("name: x\noverrides: {}\nsimulation: {years: [2026, 2025]}\n", "increasing"),
        ("name: x\noverrides: {}\nsimulation: {speed: 3}\n", "simulation.speed is not a setting"),
        ("name: baseline\noverrides: {}\n", "reserved"),
        (
            "name: x\noverrides: {}\nsimulation: {costs: {compulsory_schooling: [{age_min: 6}]}}\n",
            "age band 1 of the unit costs of .* lacks the highest age",
        ),
        ("name: x\noverrides: {}\nsimulation: {evaluation_day: '13-40'}\n", "MM-DD"),
    ],
)
def test_bad_scenario_files_are_refused(tmp_path: Path, body: str, message: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(SimulationError, match=message):
        load_spec([path], load_rules_scenario)


@pytest.mark.parametrize(
    ("places", "zh", "en"),
    [
        (
            "[{age_min: 6, age_max: 11, yuan_per_year: 1}, {age_min: 12, yuan_per_year: 1}]",
            "单位成本中“随迁子女义务教育”的第 2 个年龄段缺少最高年龄（age_max）",
            "age band 2 of the unit costs of compulsory schooling for migrant children lacks the highest age (age_max)",
        ),
        (
            "[{age_min: 6, age_max: 11, yuan_per_year: x}]",
            "第 1 个年龄段：最低年龄、最高年龄和每个名额每年的费用（元）须为整数",
            "age band 1",
        ),
        (
            "[{age_min: 12, age_max: 6, yuan_per_year: 1}]",
            "第 1 个年龄段：年龄和费用不能为负数",
            "highest age may not be below",
        ),
        ("[7]", "第 1 个年龄段须写明最低年龄", "age band 1 of the unit costs"),
    ],
)
def test_a_cost_entry_is_named_in_words_counted_from_one(tmp_path: Path, places: str, zh: str, en: str) -> None:
    """A `costs:` refusal names the service by its title and the age band counted from 1, in each language. Before:
    paths counted from 0 (costs.compulsory_schooling[1], 'the 1st item (from 0)') and the file's keys."""
    path = tmp_path / "bad.yaml"
    path.write_text(f"name: x\noverrides: {{}}\nsimulation: {{costs: {{compulsory_schooling: {places}}}}}\n", "utf-8")
    with pytest.raises(SimulationError) as caught:
        load_spec([path], load_rules_scenario)
    told = refusal_of(caught.value)
    assert zh in told.text(Lang.ZH) and "从 0" not in told.text(Lang.ZH), told.text(Lang.ZH)
    assert en in told.text(Lang.EN) and "[" not in told.text(Lang.EN), told.text(Lang.EN)


def test_unknown_service_is_refused() -> None:
    with pytest.raises(SimulationError, match="unknown service 'schools'"):
        rules_evaluator(("schools",))


def test_real_rules_engine_shows_the_reform_by_province() -> None:
    spec = load_spec([EXAM], load_rules_scenario)
    plan = spec.plan(sample=SMALL, years=(2025,))
    result = simulate(plan, rules_evaluator(spec.services))
    exam = result.by_province.filter(pl.col("service") == "local_entrance_exam")
    reform = exam.filter(pl.col("scenario") == "entrance_exam_residence_1y")
    assert reform["newly_eligible"].sum() > 0
    assert reform["no_longer_eligible"].sum() == 0
    assert exam.filter(pl.col("scenario") == BASELINE)["newly_eligible"].sum() == 0
    assert reform["province_code"].n_unique() == 31
    assert exam["cost_yuan"].null_count() == exam.height  # no unit cost for the exam: null, not zero
    school = result.by_province.filter(pl.col("service") == "compulsory_schooling")
    assert school["cost_yuan"].null_count() == 0 and school["cost_yuan"].sum() > 0


def test_simulate_command_writes_parquet_and_report(tmp_path: Path) -> None:
    out = tmp_path / "out"
    runner = CliRunner()
    done = runner.invoke(
        app,
        [
            "simulate",
            "--scenario",
            str(EXAM),
            "--sample",
            str(SMALL),
            "--years",
            "2025",
            "--out",
            str(out),
            "--format",
            "csv",
            "--export",
            str(tmp_path / "costs.xlsx"),
            "--lang",
            "zh",
        ],
    )
    assert done.exit_code == 0, done.output
    # the export is for people, in --lang (Chinese here): the reform by its title, what the estimate is
    exported = pl.read_excel(tmp_path / "costs.xlsx")
    assert (
        exported["估算说明"].str.starts_with("估算").all() and not exported["估算说明"].str.contains("estimate").any()
    )
    assert set(exported["方案"]) == {"现行规则（基线）", "随迁子女在流入地参加中考的居住年限降至一年"}
    assert {"服务", "费用（亿元/年）"} <= set(exported.columns) and "cost_yuan" not in exported.columns
    header = next(line for line in done.output.splitlines() if line.startswith("scenario,year,service"))
    assert header.endswith(",estimate")  # the CSV on stdout names it too
    by_province = pl.read_parquet(out / "simulation" / "simulation_by_province.parquet")
    assert set(by_province["scenario"].unique()) == {BASELINE, "entrance_exam_residence_1y"}
    report = (out / "report.html").read_text(encoding="utf-8")
    assert "微观模拟" in report and "新增符合" in report  # in --lang
    assert "scenario,year,service" in done.output


def test_simulate_prints_its_table_in_the_language_asked_for(tmp_path: Path) -> None:
    """`--lang en`: the printed table's headers, reforms (by their titles) and services in English, never the frame's
    column names or the scenario's name; the title says the people are estimates."""
    args = ["simulate", "--scenario", str(EXAM), "--sample", str(SMALL), "--years", "2025", "--out", str(tmp_path)]
    done = CliRunner().invoke(app, [*args, "--lang", "en"])
    assert done.exit_code == 0, done.output
    printed = " ".join(done.output.split())
    assert "Whole country: people are estimates" in printed and "current rules" in printed
    assert "Entrance exam" in printed and "Residence" in printed and "IPF fit" in printed
    raw = ("entrance_exam_residence_1y", "cost_yuan", "newly_eligible", "residence_permit", "baseline ")
    assert [w for w in raw if w in done.output] == [] and "现行" not in done.output and "费用" not in done.output


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("en", "error: a reform's title is written per language: title: {zh: Chinese title, en: English title}"),
        ("zh", "错误：改革方案的标题按语言分别写：title: {zh: 中文标题, en: 英文标题}"),
    ],
)
def test_simulate_refuses_a_title_not_written_per_language_showing_the_shape(
    tmp_path: Path, lang: str, said: str
) -> None:
    """`title: 中考居住一年` (a plain string) is refused before the run, in one line showing the shape a title
    takes and what the file gave. Before: the title was taken for none and the report named the reform by its
    description, the analyst's title silently dropped."""
    scenario = tmp_path / "plain.yaml"
    scenario.write_text(EXAM.read_text(encoding="utf-8").split("title:")[0] + PLAIN_TITLE, encoding="utf-8")
    done = run_changzhu(
        "simulate", "--scenario", str(scenario), "--sample", str(SMALL), "--out", str(tmp_path), lang=lang
    )
    assert done.returncode == 1, done.stderr
    assert done.stderr.startswith(said) and "title: 中考居住一年" in done.stderr, done.stderr
    assert len(done.stderr.strip().splitlines()) == 1 and not (tmp_path / "report.html").exists()


def test_simulate_command_reports_a_bad_sample_in_one_line(tmp_path: Path) -> None:
    done = CliRunner().invoke(app, ["simulate", "--scenario", str(EXAM), "--sample", "0", "--out", str(tmp_path)])
    assert done.exit_code != 0
    assert isinstance(done.exception, SimulationError)
    assert not (tmp_path / "report.html").exists()


def test_demo_step_writes_the_section(tmp_path: Path) -> None:
    from changzhu.jobs.simulation import simulation_demo

    note = simulation_demo(tmp_path, sample=SMALL)
    # in Chinese by default, the reform by its title in the reader's language (not its key), an estimate saying so
    assert note.startswith("微观模拟：改革“随迁子女在流入地参加中考的居住年限降至一年”使约"), note
    assert "（估算，抽样比例" in note and "entrance_exam" not in note, note
    english = simulation_demo(tmp_path, sample=SMALL, lang=Lang.EN)
    assert english.startswith("simulation: the reform “Entrance exam where one lives after one year” makes about")
    assert "(estimate, sample" in english and "entrance_exam" not in english, english
    assert (tmp_path / "sections" / "070_simulation.html").is_file()
    assert (tmp_path / "simulation" / "simulation_by_province.parquet").is_file()
