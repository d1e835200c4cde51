"""Benchmark of the rules engine: changzhu.rules.evaluate vs openfisca-core 46.0.1 vs hand-written NumPy.

Two measurements, each in a fresh process so its peak memory is its own (peak RSS minus RSS after the input
table is built):
  full   every service (12) with earliest dates and every points scheme, people spread over the country
  three  the three outputs written in all three engines (Shanghai 居住证积分, eligible_residence_permit,
         eligible_residence_registration_settlement = 居转户), everyone living in Shanghai

    .venv/bin/python benchmarks/bench_rules.py            # 1M persons
    .venv/bin/python benchmarks/bench_rules.py --large    # also 10M persons
"""

from __future__ import annotations

import argparse
import json
import platform
import subprocess
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
from rich.console import Console
from rich.table import Table

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results" / "rules.json"
ON = date(2026, 6, 1)
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
        }
    )
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


# ---- the three outputs, hand-written in NumPy --------------------------------------------------------------
def _full_months(start: np.ndarray, on: date) -> np.ndarray:
    from changzhu.rules.dates import full_months, to_days

    return full_months(start, to_days(on))


def numpy_three(df: pl.DataFrame) -> dict[str, np.ndarray]:
    """Shanghai rules written directly (same thresholds as the policy files, all residents of Shanghai)."""
    birth = df["birth_date"].to_physical().to_numpy().astype(np.int64)
    since = df["residence_since"].to_physical().to_numpy().astype(np.int64)
    permit = df["residence_permit_since"].to_physical().to_numpy()
    has_permit = ~np.isnan(permit) if permit.dtype.kind == "f" else np.ones(len(df), dtype=bool)
    permit_days = np.nan_to_num(permit, nan=0).astype(np.int64)
    age = _full_months(birth, ON) // 12
    residence = _full_months(since, ON)
    permit_months = np.where(has_permit, _full_months(permit_days, ON), -1)
    si = df["si_months_local"].to_numpy()
    employed = df["employed"].to_numpy()
    hukou_local = (df["hukou_region"] == df["residence_region"]).to_numpy()
    edu = df["education"].cast(pl.Categorical).to_numpy()
    title = df["professional_title"].cast(pl.Categorical).to_numpy()
    ratio = df["si_base_ratio"].to_numpy()
    criminal = df["criminal_record"].to_numpy()
    owned = (df["housing"] == "owned").to_numpy()
    age_pts = np.where(age <= 43, 30, np.where(age <= 55, 30 - 2 * (age - 43) + 1, np.where(age <= 60, 5, 0)))
    age_pts = np.where(age < 18, 0, np.minimum(age_pts, 30))
    edu_pts = np.select(
        [edu == "vocational_college", edu == "bachelor", edu == "master", edu == "doctor"], [50, 90, 100, 110], 0
    )
    title_pts = np.select(
        [
            title == "skill_5",
            title == "skill_4",
            title == "skill_3",
            title == "skill_2_or_intermediate",
            title == "skill_1_or_senior",
        ],
        [15, 30, 60, 100, 140],
        0,
    )
    base_pts = np.select([ratio >= 2.0, ratio >= 1.0, ratio >= 0.8], [100, 50, 25], 0)
    points = (
        age_pts + np.maximum(edu_pts, title_pts) + 3 * (si // 12) + base_pts - 50 * df["admin_detentions"].to_numpy()
    ).astype(np.float64)
    permit_ok = ~hukou_local & (residence >= 6) & ((employed & (si >= 6)) | owned)
    settle = (
        ~hukou_local
        & (permit_months >= 84)
        & (si >= 84)
        & ~criminal
        & ((title == "skill_2_or_intermediate") | (title == "skill_1_or_senior"))
    )
    return {"points": points, "permit": permit_ok, "settlement": settle}


# ---- the same three outputs in OpenFisca ---------------------------------------------------------------------
def openfisca_three(df: pl.DataFrame) -> dict[str, np.ndarray]:
    """The rules as OpenFisca variables with formulas; inputs are set from the same table."""
    from openfisca_core import periods
    from openfisca_core.entities import build_entity
    from openfisca_core.model_api import YEAR, Variable, max_, select
    from openfisca_core.simulations import SimulationBuilder
    from openfisca_core.taxbenefitsystems import TaxBenefitSystem

    person = build_entity(key="person", plural="persons", label="person", is_person=True)

    def inp(name: str, vtype: type, default: Any = 0) -> type:
        return type(
            name,
            (Variable,),
            {"value_type": vtype, "entity": person, "definition_period": YEAR, "default_value": default},
        )

    inputs = [
        inp("age_years", int),
        inp("residence_months", int),
        inp("permit_months", int, -1),
        inp("si_local", int),
        inp("employed", bool, False),
        inp("hukou_local", bool, False),
        inp("owned", bool, False),
        inp("edu_pts", int),
        inp("title_code", int),
        inp("base_ratio", float),
        inp("detentions", int),
        inp("criminal", bool, False),
    ]

    class shanghai_points(Variable):
        value_type = float
        entity = person
        definition_period = YEAR

        def formula(p, period):  # type: ignore[no-untyped-def]
            age = p("age_years", period)
            age_pts = select([age < 18, age <= 43, age <= 55, age <= 60], [0, 30, 31 - 2 * (age - 43), 5], 0)
            title = p("title_code", period)
            title_pts = select([title == 1, title == 2, title == 3, title == 4, title == 5], [15, 30, 60, 100, 140], 0)
            ratio = p("base_ratio", period)
            base = select([ratio >= 2.0, ratio >= 1.0, ratio >= 0.8], [100, 50, 25], 0)
            return (
                age_pts
                + max_(p("edu_pts", period), title_pts)
                + 3 * (p("si_local", period) // 12)
                + base
                - 50 * p("detentions", period)
            )

    class eligible_permit(Variable):
        value_type = bool
        entity = person
        definition_period = YEAR

        def formula(p, period):  # type: ignore[no-untyped-def]
            si = p("si_local", period)
            return (
                ~p("hukou_local", period)
                & (p("residence_months", period) >= 6)
                & ((p("employed", period) & (si >= 6)) | p("owned", period))
            )

    class eligible_settlement(Variable):
        value_type = bool
        entity = person
        definition_period = YEAR

        def formula(p, period):  # type: ignore[no-untyped-def]
            title = p("title_code", period)
            return (
                ~p("hukou_local", period)
                & (p("permit_months", period) >= 84)
                & (p("si_local", period) >= 84)
                & ~p("criminal", period)
                & (title >= 4)
            )

    tbs = TaxBenefitSystem([person])
    for v in [*inputs, shanghai_points, eligible_permit, eligible_settlement]:
        tbs.add_variable(v)
    n = df.height
    sim = SimulationBuilder().build_default_simulation(tbs, n)
    period = periods.period(str(ON.year))
    birth = df["birth_date"].to_physical().to_numpy().astype(np.int64)
    since = df["residence_since"].to_physical().to_numpy().astype(np.int64)
    permit = df["residence_permit_since"].to_physical().to_numpy()
    has_permit = ~np.isnan(permit) if permit.dtype.kind == "f" else np.ones(n, dtype=bool)
    title_codes = {
        "none": 0,
        "skill_5": 1,
        "skill_4": 2,
        "skill_3": 3,
        "skill_2_or_intermediate": 4,
        "skill_1_or_senior": 5,
    }
    edu_codes = {"vocational_college": 50, "bachelor": 90, "master": 100, "doctor": 110}
    sim.set_input("age_years", period, _full_months(birth, ON) // 12)
    sim.set_input("residence_months", period, _full_months(since, ON))
    sim.set_input(
        "permit_months",
        period,
        np.where(has_permit, _full_months(np.nan_to_num(permit, nan=0).astype(np.int64), ON), -1),
    )
    sim.set_input("si_local", period, df["si_months_local"].to_numpy())
    sim.set_input("employed", period, df["employed"].to_numpy())
    sim.set_input("hukou_local", period, (df["hukou_region"] == df["residence_region"]).to_numpy())
    sim.set_input("owned", period, (df["housing"] == "owned").to_numpy())
    sim.set_input("edu_pts", period, df["education"].cast(pl.String).replace_strict(edu_codes, default=0).to_numpy())
    sim.set_input(
        "title_code", period, df["professional_title"].cast(pl.String).replace_strict(title_codes, default=0).to_numpy()
    )
    sim.set_input("base_ratio", period, df["si_base_ratio"].to_numpy())
    sim.set_input("detentions", period, df["admin_detentions"].to_numpy())
    sim.set_input("criminal", period, df["criminal_record"].to_numpy())
    return {
        "points": sim.calculate("shanghai_points", period),
        "permit": sim.calculate("eligible_permit", period),
        "settlement": sim.calculate("eligible_settlement", period),
    }


def changzhu_three(df: pl.DataFrame) -> dict[str, np.ndarray]:
    from changzhu.domain.services import Service
    from changzhu.rules import evaluate

    out = evaluate(
        df, ON, services=[Service.RESIDENCE_PERMIT, Service.RESIDENCE_REGISTRATION_SETTLEMENT], earliest=False
    )
    return {
        "points": out["points_shanghai_residence_points"].to_numpy(),
        "permit": out["eligible_residence_permit"].to_numpy(),
        "settlement": out["eligible_residence_registration_settlement"].to_numpy(),
    }


def run_case(kind: str, engine: str, n: int) -> dict[str, Any]:
    """One measured run (called in a child process)."""
    df = synthetic_people(n, seed=7, all_in="310100" if kind == "three" else None)
    input_bytes = df.estimated_size()
    base = _rss("VmRSS")
    started = time.perf_counter()
    if kind == "full":
        from changzhu.rules import evaluate

        result = evaluate(df, ON)
        outputs = result.width - 1
    else:
        fn = {"changzhu": changzhu_three, "numpy": numpy_three, "openfisca": openfisca_three}[engine]
        got = fn(df)
        outputs = len(got)
        np.save(
            Path(f"/tmp/bench_rules_{engine}_{n}.npy"),
            np.stack([got["points"].astype(float), got["permit"].astype(float), got["settlement"].astype(float)]),
        )
    seconds = time.perf_counter() - started
    peak = _rss("VmHWM") - base
    return {
        "kind": kind,
        "engine": engine,
        "persons": n,
        "seconds": seconds,
        "persons_per_s": n / seconds,
        "peak_extra_bytes": peak,
        "input_bytes": input_bytes,
        "peak_over_input": peak / input_bytes,
        "outputs": outputs,
    }


def _child(kind: str, engine: str, n: int) -> dict[str, Any]:
    cmd = [sys.executable, __file__, "--child", kind, engine, str(n)]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False, cwd=ROOT)
    if proc.returncode != 0:
        return {"kind": kind, "engine": engine, "persons": n, "error": proc.stderr.strip().splitlines()[-1]}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--large", action="store_true", help="also run 10M persons")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run_case(args.child[0], args.child[1], int(args.child[2]))))
        return
    sizes = [1_000_000, 10_000_000] if args.large else [1_000_000]
    runs: list[dict[str, Any]] = []
    for n in sizes:
        runs.append(_child("full", "changzhu", n))
        for engine in ("changzhu", "numpy", "openfisca"):
            runs.append(_child("three", engine, n))
        ref = np.load(f"/tmp/bench_rules_numpy_{n}.npy")
        for engine in ("changzhu", "openfisca"):
            path = Path(f"/tmp/bench_rules_{engine}_{n}.npy")
            if path.exists():
                same = bool(np.allclose(np.load(path), ref))
                for r in runs:
                    if r.get("persons") == n and r["engine"] == engine and r["kind"] == "three":
                        r["same_outputs_as_numpy"] = same
    ratios = {}
    for n in sizes:
        three = {r["engine"]: r for r in runs if r["kind"] == "three" and r["persons"] == n and "error" not in r}
        if {"changzhu", "numpy", "openfisca"} <= set(three):
            ratios[str(n)] = {
                "changzhu_over_openfisca_throughput": three["changzhu"]["persons_per_s"]
                / three["openfisca"]["persons_per_s"],
                "changzhu_time_over_numpy_time": three["changzhu"]["seconds"] / three["numpy"]["seconds"],
            }
    table = Table(title="rules engine benchmark (one run, same synthetic data)")
    for col in ("case", "engine", "persons", "seconds", "persons/s", "peak MiB", "peak/input", "same as numpy"):
        table.add_column(col, justify="right")
    for r in runs:
        if "error" in r:
            table.add_row(r["kind"], r["engine"], f"{r['persons']:,}", "error", r["error"], "", "", "")
            continue
        table.add_row(
            r["kind"],
            r["engine"],
            f"{r['persons']:,}",
            f"{r['seconds']:.2f}",
            f"{r['persons_per_s']:,.0f}",
            f"{r['peak_extra_bytes'] / 2**20:,.0f}",
            f"{r['peak_over_input']:.2f}",
            str(r.get("same_outputs_as_numpy", "—")),
        )
    console = Console(width=140)
    console.print(table)
    for n, ratio in ratios.items():
        console.print(
            f"{int(n):,} persons: changzhu/openfisca throughput {ratio['changzhu_over_openfisca_throughput']:.1f}x; "
            f"changzhu time / numpy time {ratio['changzhu_time_over_numpy_time']:.2f}"
        )
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(
        json.dumps(
            {
                "machine": platform.platform(),
                "cpus": __import__("os").cpu_count(),
                "date": ON.isoformat(),
                "runs": runs,
                "ratios": ratios,
            },
            indent=1,
        )
    )


if __name__ == "__main__":
    main()
