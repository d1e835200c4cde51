"""Benchmark of the rules engine: changzhu vs openfisca-core 46.0.1 vs hand-written NumPy vs the polars floor.

Each engine runs in a fresh process (reading the same table from a parquet file written once), so its peak memory
is its own:
  full      changzhu only: every service (12) with earliest dates and every points scheme, people spread over
            the country (the interval engine)
  full-now  changzhu only: the same on the date only (evaluate(earliest=False): the compiled rules)
  earliest  the earliest dates of every service, today's code against BASELINE_COMMIT's (the interval engine before
            issue 19's work, extracted with `git archive` and put first on the child's PYTHONPATH), runs
            interleaved: the engine (IntervalEvaluator.run over all services) from prepared inputs (the table
            validated, the variables the rules read built, as `three` times CompiledRules.run after load), then
            the whole evaluate(earliest=True); both must give the same result columns (see same_earliest)
  three     three outputs in every engine (Shanghai 居住证积分, eligible_residence_permit,
            eligible_residence_registration_settlement = 居转户), everyone living in Shanghai
  process   whole processes from the Parquet file to a written result, start-up and imports included:
            `changzhu evaluate FILE -s residence_permit -s residence_registration_settlement --out result.parquet`
            vs an OpenFisca script doing the same (read, prepare, calculate, write)
  load      CPU seconds a fresh process spends loading cached kernels, from numba imported to every kernel the run
            needs callable (load_case), for Shanghai's three outputs and for every service of every shipped chain
            (1,000 people), today's code against LOAD_BASELINE_COMMIT's, runs interleaved; written to
            results/rules_load.json

Equal work: the NumPy and OpenFisca versions score all 15 indicators of Shanghai's scheme, as the policy file
does (SHANGHAI_INDICATORS), on inputs that vary so every indicator scores for some people, and their outputs are
checked against changzhu's. changzhu still does more: each indicator three-valued (a low and a high bound where an
input is unknown, the total's range, undetermined decisions), which the hand-written versions leave out because
every input of this table is known.

The polars floor ("floor") is the least work from the person table to the rules' inputs: one parallel polars pass
turning three dates into whole months and four categories into codes (prepare_inputs). The NumPy and OpenFisca
engines prepare with it; changzhu's own preparation (validating the whole table, then months and codes) is held
against it.

The three-output and process runs are repeated (--repeat, default 3, engines interleaved): the median time is
reported with the largest peak memory, and each ratio with its spread over the repetitions (the i-th runs of two
engines ran side by side): the machine is shared and single runs vary by 2x.

What is timed in `three` (METHOD below, also written to the JSON): every engine starts from the same person table
(dates, region codes and categories as strings) and ends with the three outputs, in two recorded phases:
  prepare  the person table -> the inputs the rules read; changzhu: prepare (validation, the frame) +
           CompiledRules.load (wall and, for changzhu and the floor, CPU seconds: every thread's)
  rules    the inputs -> the three outputs (NumPy: the formulas; OpenFisca: building the simulation, set_input,
           calculate; changzhu: CompiledRules.run)
Excluded in `three`: building the table, imports, loading the policy files, compiling (changzhu's kernels: loaded
from numba's on-disk cache once compiled) / building the OpenFisca tax-benefit system; `process` includes all of
it but compiling (the kernels are in the cache). Peak memory is the peak RSS (reset with /proc/self/clear_refs)
minus the RSS just before the timed work, over the input table's size.

    .venv/bin/python benchmarks/bench_rules.py            # 1M persons
    .venv/bin/python benchmarks/bench_rules.py --large    # also 10M persons
    .venv/bin/python benchmarks/bench_rules.py --cases earliest --repeat 5   # one case (JSON to a scratch file)
"""

from __future__ import annotations

import argparse
import ctypes
import gc
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
from rich.console import Console
from rich.table import Table

from _support import results_path, start_run, write_results

ROOT = Path(__file__).resolve().parent.parent
ON = date(2026, 6, 1)
METHOD = (
    "three: timed from the same person table (dates and strings) to the outputs in two phases, both recorded: prepare "
    "(table -> the rules' inputs; changzhu also validates the table) and rules (inputs -> outputs); every engine "
    "scores all 15 Shanghai indicators; NumPy and OpenFisca prepare with the polars floor; excluded: imports, "
    "loading policies, compiling the changzhu kernels / building the OpenFisca system. process: whole processes, "
    "file -> written result, everything included but compiling. Ratios: medians of interleaved runs, spread over "
    "the runs paired. peak = peak RSS - RSS before the timed work"
)
# issue 19's "today" for earliest dates: the interval engine before it was sped up
BASELINE_COMMIT = "4486a05095bbd5275ff6f10c0ad6c3564625e586"
# the kernels' load before it was cut (numba's registries started at every cache load, bytecode compiled each run)
LOAD_BASELINE_COMMIT = "d6d12fb556a84500f5cab964ca25ee9ca55a0a0f"
SCRATCH_ENV = "BENCH_RULES_SCRATCH"
CASES = ("compile", "full", "full-now", "earliest", "three", "process", "load")  # --cases: all by default
LOAD_TABLES = ("three", "full")  # the load case: Shanghai's three outputs; every service of every shipped chain
CITIES = ["310100", "110100", "440100", "510100", "320500", "330100", "420100", "341000", "500100", "340800"]


def synthetic_people(n: int, seed: int, *, all_in: str | None = None) -> pl.DataFrame:
    """n synthetic persons (valid under the person schema); 20% are children linked to an adult."""
    rng = np.random.default_rng(seed)
    on = (ON - date(1970, 1, 1)).days
    age_days = rng.integers(365, 70 * 365, n)
    birth = on - age_days
    res_days = np.minimum(rng.integers(0, 20 * 365, n), age_days)
    residence_since = on - res_days
    has_permit = rng.random(n) < 0.5
    permit_since = np.where(has_permit, residence_since + (res_days * rng.random(n)).astype(np.int64), -1)
    si_total = rng.integers(0, 300, n).astype(np.int32)
    si_local = (si_total * rng.random(n)).astype(np.int32)
    residence = np.array(CITIES)[rng.integers(0, len(CITIES), n)] if all_in is None else np.full(n, all_in)
    hukou = np.where(rng.random(n) < 0.3, residence, np.array(CITIES)[rng.integers(0, len(CITIES), n)])
    has_prior = (rng.random(n) < 0.2) & (all_in is None)
    prior = np.where(has_prior, np.array(CITIES)[rng.integers(0, len(CITIES), n)], "")
    prior_months = np.where(has_prior, rng.integers(0, 120, n), 0).astype(np.int32)
    ids = np.arange(n, dtype=np.int64)
    child = (age_days < 17 * 365) & (rng.random(n) < 0.9)
    adults = np.flatnonzero(~child)
    parent = np.where(child, adults[rng.integers(0, len(adults), n)], -1)
    df = pl.DataFrame(
        {
            "person_id": ids,
            "sex": np.where(rng.random(n) < 0.5, "F", "M"),
            "birth_date": birth.astype("datetime64[D]"),
            "hukou_region": hukou,
            "residence_region": residence,
            "residence_since": residence_since.astype("datetime64[D]"),
            "residence_permit_since": permit_since.astype("datetime64[D]"),
            "si_months_local": si_local,
            "si_months_total": si_total,
            "medical_months_local": si_local,
            "prior_region": prior,
            "prior_residence_months": prior_months,
            "prior_si_months": (prior_months * rng.random(n)).astype(np.int32),
            "employed": rng.random(n) < 0.7,
            "education": np.array(["junior_secondary", "senior_secondary", "vocational_college", "bachelor", "master"])[
                rng.integers(0, 5, n)
            ],
            "housing": np.array(["owned", "rented", "dormitory", "none"])[rng.integers(0, 4, n)],
            "income_per_capita_month": rng.gamma(2.0, 2500.0, n),
            "parent_id": parent,
            "criminal_record": rng.random(n) < 0.01,
            "professional_title": np.array(["none", "skill_4", "skill_3", "skill_2_or_intermediate"])[
                rng.integers(0, 4, n)
            ],
            "admin_detentions": (rng.random(n) < 0.02).astype(np.int32),
            "si_base_ratio": rng.gamma(4.0, 0.3, n),
            # the table links every child it means to: one without a link has no parent in the city (as the
            # synthetic population says; left unknown, today's rules are undetermined where BASELINE_COMMIT's were not)
            "parent_lives_here": np.zeros(n, dtype=bool),
        }
    )
    if all_in == "310100":  # Shanghai's declared inputs, known for everyone (unknown ones would leave points open)
        df = df.with_columns(_shanghai_inputs(df, rng))
    return df.with_columns(
        pl.when(pl.col("residence_permit_since") < pl.col("residence_since"))
        .then(None)
        .otherwise(pl.col("residence_permit_since"))
        .alias("residence_permit_since"),
        pl.when(pl.col("parent_id") < 0).then(None).otherwise(pl.col("parent_id")).alias("parent_id"),
        pl.when((pl.col("prior_region") == pl.col("residence_region")) | (pl.col("prior_region") == ""))
        .then(None)
        .otherwise(pl.col("prior_region"))
        .alias("prior_region"),
    ).with_columns(
        pl.when(pl.col("prior_region").is_null()).then(0).otherwise(pl.col(c)).cast(pl.Int32).alias(c)
        for c in ("prior_residence_months", "prior_si_months")
    )


def _rss(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field):
            return int(line.split()[1]) * 1024
    return 0


# ---- preparing the input table: the polars floor, also the NumPy and OpenFisca engines' preparation ----------
DEGREES = ["none", "bachelor", "master", "doctor"]
AWARDS = ["none", "city_special", "city_comprehensive", "provincial_or_national"]


def _whole_months(column: str) -> pl.Expr:
    """Whole months from the date in `column` to ON (the day of month clipped to ON's month length), in polars."""
    d = pl.col(column)
    on_ym, on_day0 = ON.year * 12 + ON.month - 1, ON.day - 1
    last_day0 = (date(ON.year + ON.month // 12, ON.month % 12 + 1, 1) - date(ON.year, ON.month, 1)).days - 1
    day0 = (d.dt.day() - 1).clip(upper_bound=last_day0)
    return on_ym - (d.dt.year() * 12 + d.dt.month() - 1) - (day0 > on_day0).cast(pl.Int32)


def _codes(column: str, levels: list[str]) -> pl.Expr:
    return pl.col(column).cast(pl.Enum(levels)).to_physical().cast(pl.Int8)


def prepare_inputs(df: pl.DataFrame) -> dict[str, np.ndarray]:
    """The polars floor: the person table as the arrays the hand-written engines read, in one parallel polars pass —
    three dates -> whole months on ON, four categories -> codes, one comparison of region codes, the rest as is.

    The NumPy and OpenFisca engines prepare with it (the least work that gets from the table to the rules' inputs);
    changzhu's own preparation (validation, months, codes) is held against it."""
    from changzhu.domain.person import EDUCATION_LEVELS, TITLE_LEVELS

    out = (
        df.lazy()
        .select(
            (_whole_months("birth_date") // 12).alias("age_years"),
            _whole_months("residence_since").alias("residence_months"),
            _whole_months("residence_permit_since").fill_null(-1).alias("permit_months"),
            pl.col("si_months_local").alias("si_local"),
            pl.col("employed"),
            (pl.col("hukou_region") == pl.col("residence_region")).alias("hukou_local"),
            (pl.col("housing") == "owned").alias("owned"),
            _codes("education", EDUCATION_LEVELS).alias("education"),
            _codes("degree", DEGREES).alias("degree"),
            _codes("professional_title", TITLE_LEVELS).alias("title"),
            _codes("award_level", AWARDS).alias("award"),
            pl.col("si_base_ratio").alias("base_ratio"),
            pl.col("si_base_ratio_last_year").alias("base_last_year"),
            pl.col("admin_detentions").alias("detentions"),
            pl.col("criminal_record").alias("criminal"),
            pl.col("shortage_specialty").alias("shortage"),
            pl.col("tax_paid_avg_3y").alias("tax"),
            pl.col("local_hires_avg_3y").alias("hires"),
            pl.col("fresh_graduate").alias("fresh"),
            pl.col("spouse_local_marriage_months").alias("spouse_months"),
            # findings of false material within five years of ON (each counts from its date until the same day five
            # years later: on or after 2021-06-02, and none is after ON)
            pl.col("false_material_dates")
            .list.eval(pl.element().is_between(date(2021, 6, 2), ON))
            .list.sum()
            .alias("false_material"),
        )
        .collect()
    )
    return {name: out[name].to_numpy() for name in out.columns}


def _shanghai_inputs(df: pl.DataFrame, rng: np.random.Generator) -> list[pl.Series]:
    """The inputs Shanghai's scheme declares, known for everyone and varied (so every one of its indicators scores
    for some people, and the engines are checked against each other on all of them)."""
    n = df.height
    edu = df["education"].to_numpy()
    r = rng.random(n)
    degree = np.where(
        edu == "bachelor",
        np.where(r < 0.85, "bachelor", "none"),
        np.where(edu == "master", np.where(r < 0.8, "master", np.where(r < 0.9, "doctor", "none")), "none"),
    )
    return [
        pl.Series("degree", degree),
        pl.Series("si_base_ratio_last_year", df["si_base_ratio"].to_numpy() * rng.uniform(0.8, 1.2, n)),
        pl.Series("shortage_specialty", rng.random(n) < 0.05),
        pl.Series("tax_paid_avg_3y", np.where(rng.random(n) < 0.05, rng.gamma(1.5, 100_000.0, n), 0.0)),
        pl.Series("local_hires_avg_3y", np.where(rng.random(n) < 0.03, rng.integers(0, 200, n), 0)),
        pl.Series("fresh_graduate", rng.random(n) < 0.03),
        pl.Series("award_level", np.array(AWARDS)[rng.choice(4, n, p=[0.97, 0.015, 0.01, 0.005])]),
        pl.Series("spouse_local_marriage_months", np.where(rng.random(n) < 0.15, rng.integers(0, 200, n), 0)).cast(
            pl.Int32
        ),
        _finding_dates(rng, n),
    ]


def _finding_dates(rng: np.random.Generator, n: int) -> pl.Series:
    """Dates false material was found: none for most, one for 1% and two for 0.2%, spread over 2019-2026 (some
    aged out of the five years, some within)."""
    start = np.datetime64("2019-01-01")
    first, second = (start + rng.integers(0, 2700, n).astype("timedelta64[D]") for _ in range(2))
    r = rng.random(n)
    taken = np.where(r < 0.01, 1, np.where(r < 0.012, 2, 0))
    both = pl.DataFrame({"a": first, "b": second, "k": taken}).select(
        pl.concat_list(pl.col("a").cast(pl.Date), pl.col("b").cast(pl.Date)).list.head(pl.col("k"))
    )
    return both.to_series().alias("false_material_dates")


# Shanghai's thresholds and points, as in policies/jurisdictions/310100.yaml, indexed by the category codes.
SENIOR_TITLE = 4  # skill_2_or_intermediate and above (counted only if last year's base reached the average)
SKILL_POINTS = np.array([0, 15, 30, 60, 0, 0])  # none, skill_5, skill_4, skill_3 (technical levels)
TITLE_POINTS = np.array([0, 0, 0, 0, 100, 140])  # skill_2_or_intermediate, skill_1_or_senior
AWARD_POINTS = np.array([0, 30, 60, 110])  # none, city_special, city_comprehensive, provincial_or_national
# education (none … doctor) x degree (none, bachelor, master, doctor): the first matching row of the policy table
EDU_DEGREE_POINTS = np.zeros((8, 4), dtype=np.int64)
EDU_DEGREE_POINTS[4, :] = 50  # vocational_college, any degree
EDU_DEGREE_POINTS[5, :] = [60, 90, 60, 60]  # bachelor: with a bachelor's degree 90, else 60
EDU_DEGREE_POINTS[6, 2:] = [100, 110]  # master with a master's / a doctor's degree
EDU_DEGREE_POINTS[7, 3] = 110  # doctor with a doctor's degree
SHANGHAI_INDICATORS = (
    "age, education (level x degree), skill level, title (only with last year's base >= the average wage; the higher "
    "of the three counts), social insurance years, insurance base, shortage specialty, tax or local hiring (the "
    "higher, at most 120), fresh graduate, award, Shanghai-hukou spouse (at most 40), false material, detentions"
)


# ---- the three outputs, hand-written in NumPy --------------------------------------------------------------
def numpy_rules(x: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Shanghai rules written directly (same thresholds and all 15 indicators of the policy file)."""
    age = x["age_years"]
    age_pts = np.where(age <= 43, 30, np.where(age <= 55, 31 - 2 * (age - 43), np.where(age <= 60, 5, 0)))
    age_pts = np.where(age < 18, 0, age_pts)
    ratio = x["base_ratio"]
    base_pts = np.select([ratio >= 2.0, ratio >= 1.0, ratio >= 0.8], [100, 50, 25], 0)
    si = x["si_local"]
    title = x["title"]
    title_pts = np.where(x["base_last_year"] >= 1.0, TITLE_POINTS[title], 0)
    edu_pts = EDU_DEGREE_POINTS[x["education"], x["degree"]]
    tax_or_hiring = np.minimum(
        np.maximum(10 * np.floor(x["tax"] / 100_000), 10 * (x["hires"] // 10)), 120
    )  # each a whole number of steps
    points = (
        age_pts
        + np.maximum(np.maximum(edu_pts, SKILL_POINTS[title]), title_pts)
        + 3 * (si // 12)
        + base_pts
        + 30 * x["shortage"]
        + tax_or_hiring
        + 10 * x["fresh"]
        + AWARD_POINTS[x["award"]]
        + np.minimum(4 * (x["spouse_months"] // 12), 40)
        - 150 * x["false_material"]
        - 50 * x["detentions"]
    ).astype(np.float64)
    hukou_local = x["hukou_local"]
    permit_ok = ~hukou_local & (x["residence_months"] >= 6) & ((x["employed"] & (si >= 6)) | x["owned"])
    settle = ~hukou_local & (x["permit_months"] >= 84) & (si >= 84) & ~x["criminal"] & (title >= SENIOR_TITLE)
    return {"points": points, "permit": permit_ok, "settlement": settle}


def numpy_three(df: pl.DataFrame, timings: dict[str, float]) -> dict[str, np.ndarray]:
    """Prepare the inputs, then run the rules (both timed; the split is recorded)."""
    started = time.perf_counter()
    inputs = prepare_inputs(df)
    timings["prepare_seconds"] = time.perf_counter() - started
    out = numpy_rules(inputs)
    timings["rules_seconds"] = time.perf_counter() - started - timings["prepare_seconds"]
    return out


def floor_three(df: pl.DataFrame, timings: dict[str, float]) -> dict[str, np.ndarray]:
    """The polars floor alone: the table -> the rules' inputs, nothing decided."""
    started, cpu = time.perf_counter(), time.process_time()
    prepare_inputs(df)
    timings["prepare_seconds"] = time.perf_counter() - started
    timings["prepare_cpu_seconds"] = time.process_time() - cpu
    timings["rules_seconds"] = 0.0
    return {}


# ---- the same three outputs in OpenFisca ---------------------------------------------------------------------
def openfisca_system() -> Any:
    """The rules as OpenFisca variables with formulas, one per indicator as OpenFisca models are written (built
    before timing, like changzhu's policy files)."""
    from openfisca_core.entities import build_entity
    from openfisca_core.model_api import YEAR, Variable, max_, min_, select
    from openfisca_core.taxbenefitsystems import TaxBenefitSystem

    person = build_entity(key="person", plural="persons", label="person", is_person=True)

    def inp(name: str, vtype: type, default: Any = 0) -> type:
        return type(
            name,
            (Variable,),
            {"value_type": vtype, "entity": person, "definition_period": YEAR, "default_value": default},
        )

    def formula(name: str, vtype: type, body: Any) -> type:
        def run(p: Any, period: Any) -> Any:
            return body(lambda v: p(v, period))

        return type(
            name, (Variable,), {"value_type": vtype, "entity": person, "definition_period": YEAR, "formula": run}
        )

    inputs = [
        inp("age_years", int),
        inp("residence_months", int),
        inp("permit_months", int, -1),
        inp("si_local", int),
        inp("employed", bool, False),
        inp("hukou_local", bool, False),
        inp("owned", bool, False),
        inp("education", int),
        inp("degree", int),
        inp("title", int),
        inp("award", int),
        inp("base_ratio", float),
        inp("base_last_year", float),
        inp("detentions", int),
        inp("criminal", bool, False),
        inp("shortage", bool, False),
        inp("tax", float),
        inp("hires", int),
        inp("fresh", bool, False),
        inp("spouse_months", int),
        inp("false_material", int),
    ]

    def age_points(v: Any) -> Any:
        age = v("age_years")
        return select([age < 18, age <= 43, age <= 55, age <= 60], [0, 30, 31 - 2 * (age - 43), 5], 0)

    def base_points(v: Any) -> Any:
        ratio = v("base_ratio")
        return select([ratio >= 2.0, ratio >= 1.0, ratio >= 0.8], [100, 50, 25], 0)

    indicators = [
        formula("p_age", float, age_points),
        formula("p_education", float, lambda v: EDU_DEGREE_POINTS[v("education"), v("degree")]),
        formula("p_skill", float, lambda v: SKILL_POINTS[v("title")]),
        formula("p_title", float, lambda v: (v("base_last_year") >= 1.0) * TITLE_POINTS[v("title")]),
        formula("p_edu_or_title", float, lambda v: max_(max_(v("p_education"), v("p_skill")), v("p_title"))),
        formula("p_si_years", float, lambda v: 3 * (v("si_local") // 12)),
        formula("p_base", float, base_points),
        formula("p_shortage", float, lambda v: 30 * v("shortage")),
        formula(
            "p_tax_or_hiring",
            float,
            lambda v: min_(max_(10 * (v("tax") // 100_000), 10 * (v("hires") // 10)), 120),
        ),
        formula("p_fresh", float, lambda v: 10 * v("fresh")),
        formula("p_award", float, lambda v: AWARD_POINTS[v("award")]),
        formula("p_spouse", float, lambda v: min_(4 * (v("spouse_months") // 12), 40)),
        formula("p_false_material", float, lambda v: -150 * v("false_material")),
        formula("p_detentions", float, lambda v: -50 * v("detentions")),
    ]
    summed = ("p_age", "p_edu_or_title", "p_si_years", "p_base", "p_shortage", "p_tax_or_hiring", "p_fresh",
              "p_award", "p_spouse", "p_false_material", "p_detentions")  # fmt: skip
    total = formula("shanghai_points", float, lambda v: sum(v(name) for name in summed))

    def permit(v: Any) -> Any:
        si = v("si_local")
        return ~v("hukou_local") & (v("residence_months") >= 6) & ((v("employed") & (si >= 6)) | v("owned"))

    def settlement(v: Any) -> Any:
        return (
            ~v("hukou_local")
            & (v("permit_months") >= 84)
            & (v("si_local") >= 84)
            & ~v("criminal")
            & (v("title") >= SENIOR_TITLE)
        )

    tbs = TaxBenefitSystem([person])
    for variable in [
        *inputs,
        *indicators,
        total,
        formula("eligible_permit", bool, permit),
        formula("eligible_settlement", bool, settlement),
    ]:
        tbs.add_variable(variable)
    return tbs


def openfisca_three(df: pl.DataFrame, timings: dict[str, float], tbs: Any) -> dict[str, np.ndarray]:
    """Prepare the same inputs, set them on a simulation and calculate the three variables."""
    from openfisca_core import periods
    from openfisca_core.simulations import SimulationBuilder

    started = time.perf_counter()
    x = prepare_inputs(df)
    timings["prepare_seconds"] = time.perf_counter() - started
    sim = SimulationBuilder().build_default_simulation(tbs, df.height)
    period = periods.period(str(ON.year))
    for name, values in x.items():
        sim.set_input(name, period, values)
    out = {
        "points": sim.calculate("shanghai_points", period),
        "permit": sim.calculate("eligible_permit", period),
        "settlement": sim.calculate("eligible_settlement", period),
    }
    timings["rules_seconds"] = time.perf_counter() - started - timings["prepare_seconds"]
    return out


THREE_SERVICES = ["residence_permit", "residence_registration_settlement"]


def changzhu_three(df: pl.DataFrame, timings: dict[str, float]) -> dict[str, np.ndarray]:
    """prepare (validation, months and codes) + CompiledRules.load, then CompiledRules.run (the compiled rules)."""
    from changzhu.domain.services import Service
    from changzhu.rules.evaluate import prepare
    from changzhu.rules.kernels import CompiledRules

    started, cpu = time.perf_counter(), time.process_time()
    rules = CompiledRules(prepare(df, ON), [Service(s) for s in THREE_SERVICES])
    rules.load()
    timings["prepare_seconds"] = time.perf_counter() - started
    timings["prepare_cpu_seconds"] = time.process_time() - cpu
    before = resource.getrusage(resource.RUSAGE_SELF)
    decided = rules.run()
    timings["rules_seconds"] = time.perf_counter() - started - timings["prepare_seconds"]
    after = resource.getrusage(resource.RUSAGE_SELF)
    # the rules' first writes to fresh outputs: on a VM whose host took freed memory back (free page reporting),
    # each fault costs far more system time (docs/performance.md, "Where the rules phase went, and goes")
    timings["rules_user_cpu_seconds"] = after.ru_utime - before.ru_utime
    timings["rules_system_cpu_seconds"] = after.ru_stime - before.ru_stime
    timings["rules_minor_faults"] = after.ru_minflt - before.ru_minflt
    return {
        "points": decided.points["shanghai_residence_points"],
        "permit": decided.eligible[Service.RESIDENCE_PERMIT],
        "settlement": decided.eligible[Service.RESIDENCE_REGISTRATION_SETTLEMENT],
    }


def _setup(engine: str, df: pl.DataFrame) -> Any:
    """Work done once per process and excluded from every engine's time: imports, loading the policies and
    compiling them (changzhu: the kernels, loaded from numba's cache when compiled before), building the OpenFisca
    system."""
    if engine != "changzhu":  # imports and polars' first use
        prepare_inputs(df.head(1000))
        return openfisca_system() if engine == "openfisca" else None
    if engine == "changzhu":
        import changzhu.rules
        from changzhu.domain.services import Service
        from changzhu.rules.catalog import region_lookup, shipped_policies
        from changzhu.rules.evaluate import prepare
        from changzhu.rules.kernels import CompiledRules

        shipped_policies()
        region_lookup()
        sample = prepare(df.head(1000), ON)
        CompiledRules(sample, [Service(s) for s in THREE_SERVICES]).run()  # compiles the Shanghai kernels
        CompiledRules(sample).compile()
        return changzhu.rules
    return None


def compile_case(n: int) -> dict[str, Any]:
    """Time to compile (or load from CHANGZHU_CACHE_DIR) every kernel of the chains in 1,000 people of the full
    table, all services: run in a child process, once with an empty cache and once more with it filled."""
    from changzhu.rules.catalog import region_lookup, shipped_policies
    from changzhu.rules.evaluate import prepare
    from changzhu.rules.kernels import CompiledRules

    shipped_policies()
    region_lookup()
    frame = prepare(pl.read_parquet(_input_path("full", n)).head(1000), ON)
    started = time.perf_counter()
    rules = CompiledRules(frame)
    rules.compile()
    return {
        "kind": "compile",
        "engine": "changzhu",
        "chains": len(rules.groups),
        "seconds": time.perf_counter() - started,
    }


def load_case(table: str, engine: str) -> dict[str, Any]:
    """CPU seconds in this fresh process from numba imported to every kernel the run needs callable, the cache
    filled: numba's start-up module run on its own (the code's changzhu.rules.numba_start: main's imported numba's
    NumPy registry there), then, after the other imports, the policies and the 1,000-person frame (not counted),
    CompiledRules built (the kernels' modules), compiled (loaded from the cache) and run on those rows. Shanghai's
    three outputs for the "three" table, every service for "full"."""
    import importlib.util
    import runpy

    import numba  # noqa: F401  (the start: numba imported)

    cpu = time.process_time()
    spec = importlib.util.find_spec("changzhu")  # the package found, not imported
    assert spec is not None and spec.submodule_search_locations is not None
    runpy.run_path(str(Path(spec.submodule_search_locations[0]) / "rules" / "numba_start.py"))
    start_cpu = time.process_time() - cpu
    from changzhu.domain.services import Service
    from changzhu.rules.catalog import region_lookup, shipped_policies
    from changzhu.rules.evaluate import prepare
    from changzhu.rules.kernels import CompiledRules

    shipped_policies()
    region_lookup()
    frame = prepare(pl.read_parquet(_load_table(table)), ON)
    services = [Service(s) for s in THREE_SERVICES] if table == "three" else None
    cpu = time.process_time()
    rules = CompiledRules(frame, services)
    built = time.process_time()
    rules.compile()
    loaded = time.process_time()
    rules.run()
    ran = time.process_time()
    # this code: one kernel per chain (rows, span); main's before one-kernel chains: a dict of kernels per chain
    kernels = [k for chain in rules._kernels for k in (chain.values() if isinstance(chain, dict) else [chain])]
    return {
        "kind": f"load-{table}",
        "engine": engine,
        "code": str(Path(spec.submodule_search_locations[0])),
        "chains": len(rules.groups),
        "numba_start_cpu_seconds": start_cpu,
        "modules_cpu_seconds": built - cpu,
        "compile_cpu_seconds": loaded - built,
        "first_run_cpu_seconds": ran - loaded,
        "cpu_seconds": start_cpu + ran - cpu,
        "overloads_loaded": sum(len(k.span.overloads) + len(k.rows.overloads) for k in kernels),
        "compiled_not_loaded": sum(
            sum(k.span.stats.cache_misses.values()) + sum(k.rows.stats.cache_misses.values()) for k in kernels
        ),
    }


def _load_people(table: str) -> pl.DataFrame:
    """1,000 people: all in Shanghai ("three"), or spread over ten cities with 20 living in each city that has a
    policy file ("full"), so every shipped chain runs."""
    if table == "three":
        return synthetic_people(1000, seed=7, all_in="310100")
    people = synthetic_people(1000, seed=7)
    folder = ROOT / "src" / "changzhu" / "rules" / "policies" / "jurisdictions"
    cities = sorted(p.stem for p in folder.glob("*.yaml") if p.stem != "000000")
    residence = people["residence_region"].to_numpy().copy()
    for i, code in enumerate(cities):
        residence[20 * i : 20 * (i + 1)] = code
    return people.with_columns(residence_region=pl.Series(residence))


def _load_table(table: str) -> Path:
    return _scratch() / f"bench_rules_input_{table}_load.parquet"


def _load_pairs(repeat: int, tables: tuple[str, ...], smoke: bool) -> dict[str, Any]:
    """The load case: today's code and LOAD_BASELINE_COMMIT's, on each table, with one cache filled by a first run
    of each (not counted), then `repeat` runs each, interleaved; the median of each and every run's CPU seconds.
    At smoke size today's code uses the inherited kernel cache (`make test`'s, which the tests filled and the
    `three` case below loads from: its first run loads rather than compiles Shanghai's kernels once more); the
    baseline's kernels, of older code, always go to a cache of their own."""
    for table in tables:
        _load_people(table).write_parquet(_load_table(table))
    with tempfile.TemporaryDirectory() as folder, tempfile.TemporaryDirectory() as cache:
        plain = {**os.environ, "CHANGZHU_CACHE_DIR": cache}
        envs = {
            "changzhu": dict(os.environ) if smoke else plain,
            "baseline": {**plain, "PYTHONPATH": str(baseline_source(Path(folder), LOAD_BASELINE_COMMIT))},
        }
        for table in tables:  # compile into the cache
            for engine, env in envs.items():
                _child(f"load-{table}", engine, 0, env)
        tries: dict[tuple[str, str], list[dict[str, Any]]] = {(t, e): [] for t in tables for e in envs}
        for _ in range(repeat):
            for (table, engine), got in tries.items():
                got.append(_child(f"load-{table}", engine, 0, envs[engine]))
    rows = []
    for got in tries.values():
        ok = [t for t in got if "error" not in t]
        if not ok:
            rows.append(got[0])
            continue
        row = dict(sorted(ok, key=lambda t: t["cpu_seconds"])[len(ok) // 2])
        row["cpu_seconds_each_run"] = [t["cpu_seconds"] for t in ok]
        rows.append(row)
    ratios = {}
    for table in tables:
        now, then = (next((r for r in rows if r["kind"] == f"load-{table}" and r["engine"] == e), {}) for e in envs)
        if "error" not in now and "error" not in then:
            ratios[table] = _ratio(then, now, "cpu_seconds")
    return {
        "baseline_commit": LOAD_BASELINE_COMMIT,
        "repeat": repeat,
        "runs": rows,
        "baseline_over_changzhu_cpu": ratios,
    }


def _engine_inputs(frame: Any) -> None:
    """Build every input the chains' rules and schemes read (the frame builds each on first use), as
    CompiledRules.load does for the kernels in `three`: the engine is then timed from prepared inputs."""
    from changzhu.rules.engine import chain_groups, reads_of
    from changzhu.rules.indicators import flat

    names: set[str] = set()
    for policy, _ in chain_groups(frame, frame.policies, None):
        for rule in policy.services.values():
            names |= {name for name, _ in reads_of(policy, rule.rule)}
        for scheme in policy.schemes.values():
            names |= {name for ind in flat(scheme.indicators) for name in ind.reads()}
    for name in sorted(names):
        if frame.variables[name].kind == "clock":
            frame.clocks[name].now(frame.on)
        else:
            frame.statics[name]  # built on first use
    frame.parent_idx  # noqa: B018 (built on first use)


def earliest_case(engine: str, n: int) -> dict[str, Any]:
    """Earliest dates of every service on the full table, with the changzhu found first on the path (`engine`:
    "changzhu" for this checkout, "baseline" for BASELINE_COMMIT's): the interval engine on the prepared table, then
    the whole evaluate(earliest=True); wall and CPU seconds of each, the result kept for the comparison."""
    import changzhu
    from changzhu.domain.services import Service
    from changzhu.rules import engine as engine_module
    from changzhu.rules.engine import IntervalEvaluator
    from changzhu.rules.evaluate import evaluate, prepare

    df = pl.read_parquet(_input_path("full", n))
    # imports, policies, numba's kernels loaded: excluded (the compiled trees load from COMPILED_MIN_ROWS rows on)
    evaluate(df.head(max(1000, getattr(engine_module, "COMPILED_MIN_ROWS", 0))), ON)
    frame = prepare(df, ON)
    gc.collect()
    wall, cpu = time.perf_counter(), time.process_time()
    _engine_inputs(frame)
    inputs_seconds, inputs_cpu = time.perf_counter() - wall, time.process_time() - cpu
    wall, cpu = time.perf_counter(), time.process_time()
    IntervalEvaluator(frame, frame.policies, None).run(list(Service))
    engine_seconds, engine_cpu = time.perf_counter() - wall, time.process_time() - cpu
    del frame
    gc.collect()
    wall, cpu = time.perf_counter(), time.process_time()
    result = evaluate(df, ON)
    seconds, cpu_seconds = time.perf_counter() - wall, time.process_time() - cpu
    result.write_parquet(_scratch() / f"bench_rules_earliest_{engine}_{n}.parquet")
    return {
        "kind": "earliest",
        "engine": engine,
        "persons": n,
        "code": str(Path(changzhu.__file__).parent),
        "inputs_seconds": inputs_seconds,
        "inputs_cpu_seconds": inputs_cpu,
        "engine_seconds": engine_seconds,
        "engine_cpu_seconds": engine_cpu,
        "seconds": seconds,
        "cpu_seconds": cpu_seconds,
        "persons_per_s": n / seconds,
        "outputs": result.width - 1,
    }


def run_case(kind: str, engine: str, n: int) -> dict[str, Any]:
    """One measured run (called in a child process)."""
    if kind == "compile":
        return compile_case(n)
    if kind.startswith("load-"):
        return load_case(kind.removeprefix("load-"), engine)
    if kind == "earliest":
        return earliest_case(engine, n)
    df = pl.read_parquet(_input_path(kind, n))
    input_bytes = df.estimated_size()
    state = _setup(engine, df)
    gc.collect()
    ctypes.CDLL("libc.so.6").malloc_trim(0)  # give freed heap back, so reused pages do not hide new memory
    Path("/proc/self/clear_refs").write_text("5")  # reset the peak-RSS mark: measure from here
    base = _rss("VmRSS")
    timings: dict[str, float] = {}
    started, cpu = time.perf_counter(), time.process_time()
    got: dict[str, np.ndarray] = {}
    outputs = 0
    if kind in ("full", "full-now"):
        result = state.evaluate(df, ON, earliest=kind == "full")
        outputs = result.width - 1
    elif engine == "changzhu":
        got = changzhu_three(df, timings)
    elif engine == "numpy":
        got = numpy_three(df, timings)
    elif engine == "floor":
        got = floor_three(df, timings)
    else:
        got = openfisca_three(df, timings, state)
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu
    peak = _rss("VmHWM") - base
    if got:
        outputs = len(got)
        np.save(
            _scratch() / f"bench_rules_{engine}_{n}.npy",
            np.stack([got["points"].astype(float), got["permit"].astype(float), got["settlement"].astype(float)]),
        )
    return {
        "kind": kind,
        "engine": engine,
        "persons": n,
        "seconds": seconds,
        "cpu_seconds": cpu_seconds,
        "persons_per_s": n / seconds,
        "peak_extra_bytes": peak,
        "input_bytes": input_bytes,
        "peak_over_input": peak / input_bytes,
        "outputs": outputs,
        **timings,
    }


def openfisca_process(source: str, target: str) -> None:
    """The OpenFisca script a user would write: read the Parquet file, prepare, calculate, write the outputs."""
    tbs = openfisca_system()
    df = pl.read_parquet(source)
    got = openfisca_three(df, {}, tbs)
    pl.DataFrame({"person_id": df["person_id"], **got}).write_parquet(target)


def process_case(engine: str, n: int) -> dict[str, Any]:
    """A whole process from the Parquet file to the written result, start-up and imports included: `changzhu
    evaluate FILE --out result.parquet` (the two services; the Shanghai scheme is always scored) vs the OpenFisca
    script (openfisca_process)."""
    source = _input_path("three", n)
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "result.parquet"
        if engine == "changzhu":
            services = [arg for s in THREE_SERVICES for arg in ("-s", s)]
            command = [str(Path(sys.executable).parent / "changzhu"), "evaluate", str(source), "--on", ON.isoformat(),
                       *services, "--out", str(target), "-f", "json"]  # fmt: skip
        else:
            command = [sys.executable, __file__, "--openfisca-process", str(source), str(target)]
        started = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True, check=False, cwd=ROOT)
        seconds = time.perf_counter() - started
        if done.returncode != 0 or not target.exists():
            return {"kind": "process", "engine": engine, "persons": n, "error": done.stderr.strip()[-300:]}
        columns = pl.read_parquet_schema(target)
    return {
        "kind": "process",
        "engine": engine,
        "persons": n,
        "seconds": seconds,
        "persons_per_s": n / seconds,
        "outputs": len(columns) - 1,
    }


def _median_run(tries: list[dict[str, Any]]) -> dict[str, Any]:
    """One row for repeated runs: the median time (and its split), the largest peak memory, every time kept."""
    ok = [t for t in tries if "error" not in t]
    if not ok:
        return tries[0]
    row = dict(sorted(ok, key=lambda t: t["seconds"])[len(ok) // 2])
    for key in ("seconds", "prepare_seconds", "prepare_cpu_seconds", "rules_seconds", "cpu_seconds", "engine_seconds",
                "engine_cpu_seconds", "inputs_seconds", "inputs_cpu_seconds", "rules_user_cpu_seconds",
                "rules_system_cpu_seconds", "rules_minor_faults"):  # fmt: skip
        if key in row:
            row[f"{key}_each_run"] = [t[key] for t in ok]
    if "peak_extra_bytes" in row:
        row["peak_extra_bytes"] = max(t["peak_extra_bytes"] for t in ok)
        row["peak_over_input"] = row["peak_extra_bytes"] / row["input_bytes"]
    return row


def _scratch() -> Path:
    """This run's folder for the input tables and the results compared across processes (made by main() and
    passed to the children: another benchmark run on the machine must not overwrite what this one compares)."""
    return Path(os.environ.get(SCRATCH_ENV) or tempfile.gettempdir())


def _input_path(kind: str, n: int) -> Path:
    return _scratch() / f"bench_rules_input_{'full' if kind.startswith('full') else 'three'}_{n}.parquet"


def _child(kind: str, engine: str, n: int, env: dict[str, str] | None = None) -> dict[str, Any]:
    if kind == "process":
        return process_case(engine, n)
    cmd = [sys.executable, __file__, "--child", kind, engine, str(n)]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False, cwd=ROOT, env=env)
    if proc.returncode != 0:
        return {"kind": kind, "engine": engine, "persons": n, "error": proc.stderr.strip().splitlines()[-1]}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _ratio(top: dict[str, Any], bottom: dict[str, Any], key: str) -> dict[str, float]:
    """top[key] / bottom[key] in each repetition (paired run by run: the engines ran interleaved, so the i-th runs
    saw the same moment of the shared machine): the median of those ratios and their spread."""
    each = sorted(a / b for a, b in zip(top[f"{key}_each_run"], bottom[f"{key}_each_run"], strict=False) if b > 0)
    middle = len(each) // 2
    median = each[middle] if len(each) % 2 else (each[middle - 1] + each[middle]) / 2
    return {"median": median, "low": each[0], "high": each[-1]}


def ratios_of(runs: list[dict[str, Any]], n: int) -> dict[str, dict[str, float]]:
    """The issue's ratios at one size: throughput over OpenFisca (its time / changzhu's), time over NumPy's,
    preparation over the polars floor."""
    three = {r["engine"]: r for r in runs if r["kind"] == "three" and r["persons"] == n and "error" not in r}
    process = {r["engine"]: r for r in runs if r["kind"] == "process" and r["persons"] == n and "error" not in r}
    out: dict[str, dict[str, float]] = {}
    if {"changzhu", "numpy", "openfisca", "floor"} <= set(three):
        cz, of, npy, floor = three["changzhu"], three["openfisca"], three["numpy"], three["floor"]
        out["rules_changzhu_over_openfisca_throughput"] = _ratio(of, cz, "rules_seconds")
        out["rules_changzhu_time_over_numpy_time"] = _ratio(cz, npy, "rules_seconds")
        out["total_changzhu_over_openfisca_throughput"] = _ratio(of, cz, "seconds")
        out["total_changzhu_time_over_numpy_time"] = _ratio(cz, npy, "seconds")
        out["prepare_changzhu_time_over_polars_floor"] = _ratio(cz, floor, "prepare_seconds")
        out["prepare_changzhu_cpu_over_polars_floor"] = _ratio(cz, floor, "prepare_cpu_seconds")
    if {"changzhu", "openfisca"} <= set(process):
        out["process_changzhu_over_openfisca_throughput"] = _ratio(process["openfisca"], process["changzhu"], "seconds")
    earliest = {r["engine"]: r for r in runs if r["kind"] == "earliest" and r["persons"] == n and "error" not in r}
    if {"changzhu", "baseline"} <= set(earliest):  # how many times faster than BASELINE_COMMIT's code
        now, then = earliest["changzhu"], earliest["baseline"]
        out["earliest_engine_baseline_over_changzhu_time"] = _ratio(then, now, "engine_seconds")
        out["earliest_engine_baseline_over_changzhu_cpu"] = _ratio(then, now, "engine_cpu_seconds")
        out["earliest_evaluate_baseline_over_changzhu_time"] = _ratio(then, now, "seconds")
        out["earliest_evaluate_baseline_over_changzhu_cpu"] = _ratio(then, now, "cpu_seconds")
    return out


def baseline_source(folder: Path, commit: str = BASELINE_COMMIT) -> Path:
    """A commit's src/ extracted into `folder` (git archive: the repository is not touched)."""
    archive = subprocess.run(["git", "archive", commit, "src"], capture_output=True, check=True, cwd=ROOT).stdout
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True)
    return folder / "src"


def same_earliest(n: int) -> bool:
    """Whether today's evaluate(earliest=True) gave exactly the baseline's decisions, earliest dates and points
    (names, types, values). The needs_/unassessed_ lists are left out: since the baseline commit they name only the
    inputs that could change a decision (docs/policies.md), a deliberate change of what they hold. A points column
    the baseline does not give (a scheme shipped since, e.g. Dongguan's) must be null on every row (no one in the
    table lives under it); every other column is compared."""
    now = pl.read_parquet(_scratch() / f"bench_rules_earliest_changzhu_{n}.parquet")
    then = pl.read_parquet(_scratch() / f"bench_rules_earliest_baseline_{n}.parquet")
    lists = ("needs_", "unassessed_")
    added = [c for c in now.columns if c not in then.columns and not c.startswith(lists)]
    if any(not c.startswith("points_") or now.get_column(c).null_count() != now.height for c in added):
        return False
    return now.select(c for c in now.columns if not c.startswith(lists) and c not in added).equals(
        then.select(c for c in then.columns if not c.startswith(lists))
    )


ENGINES = ("changzhu", "numpy", "openfisca", "floor")


def _earliest_pair(n: int, repeat: int) -> list[dict[str, Any]]:
    """The earliest case: today's code and BASELINE_COMMIT's, `repeat` runs each, interleaved (median of each)."""
    with tempfile.TemporaryDirectory() as folder:
        env = {**os.environ, "PYTHONPATH": str(baseline_source(Path(folder)))}
        pairs: dict[str, list[dict[str, Any]]] = {"changzhu": [], "baseline": []}
        for _ in range(repeat):  # interleaved, like the other repeated cases
            pairs["changzhu"].append(_child("earliest", "changzhu", n))
            pairs["baseline"].append(_child("earliest", "baseline", n, env))
        rows = [_median_run(got) for got in pairs.values()]
    if all("error" not in r for r in rows):
        rows[0]["same_results_as_baseline"] = same_earliest(n)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--large", action="store_true", help="also run 10M persons")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each engine on the three outputs (median)")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    parser.add_argument("--openfisca-process", nargs=2, help=argparse.SUPPRESS)
    parser.add_argument("--smoke", action="store_true", help="tiny sizes, results to a scratch file (make bench-smoke)")
    parser.add_argument(
        "--cases",
        nargs="+",
        choices=CASES,
        default=list(CASES),
        help="only these cases (default: all); a partial run writes its JSON to a scratch file, not the results",
    )
    args = parser.parse_args()
    cases = set(args.cases)
    if args.child:
        print(json.dumps(run_case(args.child[0], args.child[1], int(args.child[2]))))
        return
    if args.openfisca_process:
        openfisca_process(*args.openfisca_process)
        return
    run = start_run()
    scratch = tempfile.TemporaryDirectory(prefix="bench_rules_")
    os.environ[SCRATCH_ENV] = scratch.name  # the children inherit it
    sizes = [1_000_000, 10_000_000] if args.large else [1_000_000]
    if args.smoke:
        sizes, args.repeat = [2_000], 1
    if "load" in cases:  # its own results file: small tables, minutes of compiling the first time
        loading = _load_pairs(args.repeat, ("three",) if args.smoke else LOAD_TABLES, args.smoke)  # all: minutes cold
        _print_load(loading)
        write_results(results_path("rules_load", args.smoke), run, {"method": load_case.__doc__, **loading})
        if cases == {"load"}:
            return
    runs: list[dict[str, Any]] = []
    compiling: dict[str, dict[str, Any]] = {}
    for n in sizes:
        for engine in ENGINES:
            (_scratch() / f"bench_rules_{engine}_{n}.npy").unlink(missing_ok=True)
        for kind in ("full", "three"):  # the same table for every engine, built once
            if kind == "three" and not cases & {"three", "process"}:
                continue
            synthetic_people(n, seed=7, all_in="310100" if kind == "three" else None).write_parquet(
                _input_path(kind, n)
            )
        if n == sizes[0] and not args.smoke and "compile" in cases:  # compiling every chain from cold takes minutes
            with tempfile.TemporaryDirectory() as cache:
                env = {**os.environ, "CHANGZHU_CACHE_DIR": cache}
                compiling = {
                    "cold": _child("compile", "changzhu", n, env),
                    "warm": _child("compile", "changzhu", n, env),
                }
        # The engines compared first, then the cases of changzhu alone: after the 10 GB processes of `full-now` and
        # `earliest` at 10M every engine of `three` ran slower, changzhu's rules 5x (docs/performance.md)
        for kind, engines in (("three", ENGINES), ("process", ("changzhu", "openfisca"))):
            if kind not in cases:
                continue
            tries: dict[str, list[dict[str, Any]]] = {e: [] for e in engines}
            for _ in range(args.repeat):  # interleaved, so a busy moment on the machine hits every engine alike
                for engine, got in tries.items():
                    got.append(_child(kind, engine, n))
            runs.extend(_median_run(got) for got in tries.values())
        runs.extend(_child(kind, "changzhu", n) for kind in ("full", "full-now") if kind in cases)
        if "earliest" in cases:
            runs.extend(_earliest_pair(n, args.repeat))
        numpy_path = _scratch() / f"bench_rules_numpy_{n}.npy"
        for engine in ("changzhu", "openfisca"):
            path = _scratch() / f"bench_rules_{engine}_{n}.npy"
            if path.exists() and numpy_path.exists():
                ref = np.load(numpy_path)
                same = bool(np.allclose(np.load(path), ref))
                for r in runs:
                    if r.get("persons") == n and r["engine"] == engine and r["kind"] == "three":
                        r["same_outputs_as_numpy"] = same
    ratios = {str(n): ratios_of(runs, n) for n in sizes}
    _print(runs, ratios, compiling, args.repeat)
    write_results(
        results_path("rules", args.smoke or cases != set(CASES)),
        run,
        {
            "evaluation_date": ON.isoformat(),
            "method": METHOD,
            "shanghai_indicators_in_every_engine": SHANGHAI_INDICATORS,
            "repeat": args.repeat,
            "runs": runs,
            "ratios": ratios,
            "compile_all_chains": compiling,
        },
    )


def _print(
    runs: list[dict[str, Any]], ratios: dict[str, dict[str, dict[str, float]]], compiling: dict[str, Any], repeat: int
) -> None:
    """The runs as a table, then the ratios."""
    table = Table(title=f"rules engine benchmark (same synthetic data; three outputs: median of {repeat} runs)")
    columns = ("case", "engine", "persons", "seconds", "of which prepare", "of which rules", "persons/s",
               "peak MiB", "peak/input", "same as numpy / baseline")  # fmt: skip
    for col in columns:
        table.add_column(col, justify="right")
    for r in runs:
        if "error" in r:
            table.add_row(r["kind"], r["engine"], f"{r['persons']:,}", "error", r["error"], "", "", "", "", "")
            continue
        table.add_row(
            r["kind"],
            r["engine"],
            f"{r['persons']:,}",
            f"{r['seconds']:.2f}",
            f"{r['prepare_seconds']:.3f}" if "prepare_seconds" in r else "—",
            f"{r['rules_seconds']:.3f}" if "rules_seconds" in r else "—",
            f"{r['persons_per_s']:,.0f}",
            f"{r['peak_extra_bytes'] / 2**20:,.0f}" if "peak_extra_bytes" in r else "—",
            f"{r['peak_over_input']:.2f}" if "peak_over_input" in r else "—",
            str(r.get("same_outputs_as_numpy", r.get("same_results_as_baseline", "—"))),
        )
    console = Console(width=160)
    console.print(table)
    console.print(METHOD)
    console.print(
        "compiling every kernel of the chains in the full table: "
        + ", ".join(f"{k} cache {v.get('seconds', float('nan')):.1f} s" for k, v in compiling.items())
    )
    for size, found in ratios.items():
        for name, r in found.items():
            console.print(f"{int(size):,} persons, {name}: {r['median']:.2f} (runs {r['low']:.2f}–{r['high']:.2f})")


def _print_load(loading: dict[str, Any]) -> None:
    """The load case: CPU seconds to load the cached kernels, each code and table, and the ratios."""
    table = Table(title=f"loading cached kernels, CPU seconds in a fresh process (median of {loading['repeat']})")
    for col in (
        "table",
        "code",
        "chains",
        "total",
        "numba start",
        "modules",
        "compile (load)",
        "first run",
        "compiled",
    ):
        table.add_column(col, justify="right")
    for r in loading["runs"]:
        if "error" in r:
            table.add_row(r["kind"], r["engine"], "error", r["error"], "", "", "", "", "")
            continue
        table.add_row(
            r["kind"], r["engine"], str(r["chains"]), f"{r['cpu_seconds']:.3f}", f"{r['numba_start_cpu_seconds']:.3f}",
            f"{r['modules_cpu_seconds']:.3f}", f"{r['compile_cpu_seconds']:.3f}", f"{r['first_run_cpu_seconds']:.3f}",
            str(r["compiled_not_loaded"]),
        )  # fmt: skip
    console = Console(width=160)
    console.print(table)
    for name, r in loading["baseline_over_changzhu_cpu"].items():
        console.print(f"{name}: baseline CPU over today's {r['median']:.2f} (runs {r['low']:.2f}–{r['high']:.2f})")


if __name__ == "__main__":
    main()
