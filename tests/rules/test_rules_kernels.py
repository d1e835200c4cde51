"""The compiled rules (evaluate(..., earliest=False)) decide as the interval engine does, however they are run."""

from __future__ import annotations

import sys
from collections import OrderedDict
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rules_support import ON, random_people, with_huge_numbers

from changzhu.domain.services import Service
from changzhu.errors import ChangzhuError
from changzhu.rules import Scenario, ScenarioError, codegen, evaluate, kernel_cache, kernels
from changzhu.rules.evaluate import prepare
from changzhu.rules.kernels import CompiledRules

SHANGHAI_SERVICES = [Service.RESIDENCE_PERMIT, Service.RESIDENCE_REGISTRATION_SETTLEMENT, Service.LOCAL_ENTRANCE_EXAM]
# The cache tests start from an empty cache, so each compiles what it evaluates: the national permit rule of a city
# without a policy file (Suzhou; no points scheme) shows writing, reusing, refusing and falling back as well as a big
# city's points kernels would, at a fraction of the compile time.
CACHED = [Service.RESIDENCE_PERMIT]
NATIONAL_ONLY = "320500"


def _same_decisions(people: pl.DataFrame, scenario: Scenario | None = None) -> None:
    """Every decision and points total of the compiled rules equals the interval engine's on the date."""
    full = evaluate(people, ON, scenario=scenario)
    fast = evaluate(people, ON, scenario=scenario, earliest=False)
    for s in Service:
        for column in (f"eligible_{s.value}", f"undetermined_{s.value}", f"needs_{s.value}"):
            assert fast[column].equals(full[column]), column
    points = [c for c in full.columns if c.startswith("points_")]
    assert fast.select(points).equals(full.select(points))


@pytest.mark.parametrize("seed", [11, 12, 13])
def test_compiled_rules_equal_the_interval_engine_over_every_shipped_city(seed: int) -> None:
    _same_decisions(random_people(600, seed))


def test_compiled_rules_follow_a_reform() -> None:
    people = random_people(500, 21)
    reform = Scenario.from_overrides(
        {"310100": {"shanghai.permit.min_si_months": 1}, "residence_permit.min_residence_months": 1}
    )
    _same_decisions(people, reform)
    before = evaluate(people, ON, earliest=False)["eligible_residence_permit"].sum()
    after = evaluate(people, ON, scenario=reform, earliest=False)["eligible_residence_permit"].sum()
    assert after > before


def test_rows_split_over_threads_give_the_same_answer(monkeypatch: pytest.MonkeyPatch) -> None:
    people = random_people(900, 31)
    one_city = people.with_columns(pl.lit("310100").alias("residence_region"))
    serial = [evaluate(t, ON, earliest=False) for t in (people, one_city)]
    monkeypatch.setattr(kernels, "PARALLEL_MIN_ROWS", 1)
    monkeypatch.setenv("CHANGZHU_THREADS", "3")
    threaded = [evaluate(t, ON, earliest=False) for t in (people, one_city)]
    for a, b in zip(serial, threaded, strict=True):
        assert a.equals(b)
    _same_decisions(one_city)  # one chain for everyone: the contiguous loop


def test_a_scale_too_long_for_a_table_is_scored_bracket_by_bracket(monkeypatch: pytest.MonkeyPatch) -> None:
    people = random_people(400, 41).with_columns(pl.lit("310100").alias("residence_region"))
    by_table = evaluate(people, ON, services=SHANGHAI_SERVICES, earliest=False)
    monkeypatch.setattr(codegen, "SCALE_TABLE_MAX", 0)
    by_bracket = evaluate(people, ON, services=SHANGHAI_SERVICES, earliest=False)
    assert by_bracket.equals(by_table)
    assert by_table["points_shanghai_residence_points"].n_unique() > 10


@pytest.mark.parametrize("everyone", [True, False])
def test_numbers_the_fast_kernel_cannot_divide_are_run_again_by_the_exact_one(everyone: bool) -> None:
    """Beyond 2**52, a number's whole units (Writer.floor_div) are Python's only in the exact kernel:
    the fast one says it met one, and the call runs again (one chain for everyone: the contiguous loop)."""
    people = random_people(300, 61)
    if everyone:
        people = people.with_columns(pl.lit("310100").alias("residence_region"))
    people = with_huge_numbers(people)
    _same_decisions(people)


def test_kernels_are_written_once_to_the_cache_and_reused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    people = random_people(200, 51).with_columns(pl.lit(NATIONAL_ONLY).alias("residence_region"))
    expected = evaluate(people, ON, services=CACHED, earliest=False)
    monkeypatch.setenv("CHANGZHU_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(kernel_cache, "_modules", OrderedDict())
    assert evaluate(people, ON, services=CACHED, earliest=False).equals(expected)
    written = sorted((tmp_path / "cache" / "kernels").glob("changzhu_rules_*.py"))
    assert written
    stamps = [p.stat().st_mtime_ns for p in written]
    monkeypatch.setattr(kernel_cache, "_modules", OrderedDict())  # a new process: reads the files, writes nothing
    assert evaluate(people, ON, services=CACHED, earliest=False).equals(expected)
    assert sorted((tmp_path / "cache" / "kernels").glob("changzhu_rules_*.py")) == written
    assert [p.stat().st_mtime_ns for p in written] == stamps


def test_an_unwritable_cache_falls_back_to_a_private_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("")
    monkeypatch.setenv("CHANGZHU_CACHE_DIR", str(blocker / "cache"))
    monkeypatch.setattr(kernel_cache, "_modules", OrderedDict())
    people = random_people(100, 61).with_columns(pl.lit(NATIONAL_ONLY).alias("residence_region"))
    decided = evaluate(people, ON, services=CACHED, earliest=False)
    assert decided.equals(
        evaluate(people, ON, services=CACHED).with_columns(
            pl.when(pl.col(f"eligible_{s.value}")).then(pl.lit(ON)).alias(f"earliest_{s.value}") for s in CACHED
        )
    )


def test_prepared_inputs_are_reused_by_later_runs() -> None:
    people = random_people(300, 71)
    rules = CompiledRules(prepare(people, ON), [Service.COMPULSORY_SCHOOLING])
    rules.load()
    first = rules.run()
    second = rules.run()
    assert Service.RESIDENCE_PERMIT in first.eligible  # decided because school rules read the parent's permit
    for s, decided in first.eligible.items():
        assert np.array_equal(decided, second.eligible[s])


def test_a_rule_reading_a_parents_decision_runs_after_every_chain_decided_it() -> None:
    """Each chain's kernel runs its stages in waves: a stage reading a decision at the parent's row (the parent may
    live in another chain) starts after a wave in which every chain decided it."""
    rules = CompiledRules(prepare(random_people(300, 71), ON))
    decided: set[Service | str] = set()
    cuts = 0
    for wave in rules._waves:
        for chain, todo in zip(rules._kernels, wave, strict=True):
            for i in todo:
                reads = chain.source.stages[i].other_rows
                assert {Service(name[2:]) for name in reads} <= decided
                cuts += bool(reads)
        decided |= {chain.source.stages[i].key for chain, todo in zip(rules._kernels, wave, strict=True) for i in todo}
    assert cuts and len(rules._waves) > 1


def test_a_run_of_a_few_services_runs_only_their_stages_of_the_chains_kernel() -> None:
    people = random_people(200, 73).with_columns(pl.lit("310100").alias("residence_region"))
    rules = CompiledRules(prepare(people, ON), SHANGHAI_SERVICES)
    chain = rules._kernels[0]
    ran = [chain.source.stages[i].key for wave in rules._waves for i in wave[0]]
    assert set(ran) == {*rules.order, *rules.groups[0][0].schemes}
    assert len(ran) < len(chain.source.stages)  # the chain has more rules than these
    assert set(rules.run().eligible) == set(rules.order)


def test_a_reform_with_an_unknown_parameter_is_refused_before_anything_runs() -> None:
    frame = prepare(random_people(50, 81), ON)
    with pytest.raises(ScenarioError, match="unknown parameter"):
        CompiledRules(frame, scenario=Scenario.from_overrides({"residence_permit.min_months": 3}))


_MONTHS = st.sampled_from([0, 1, 5, 6, 7, 11, 12, 23, 24, 35, 36, 59, 60, 83, 84, 85, 119, 120, 121])
_YEARS = st.sampled_from([0, 3, 5, 6, 7, 14, 15, 16, 17, 18, 35, 43, 44, 45, 55, 56, 60, 61, 70])


def _months_before(on: date, months: int, day_shift: int) -> date:
    """The day `months` whole months before `on`, moved by day_shift days (just before or after the anniversary),
    never after `on`."""
    year, month = divmod(on.year * 12 + on.month - 1 - months, 12)
    return min(date(year, month + 1, min(on.day, 28)) + timedelta(days=day_shift), on)


@st.composite
def _boundary_people(draw: st.DrawFn) -> pl.DataFrame:
    """Small tables whose ages, months lived, months insured and permits sit on or next to the thresholds."""
    n = draw(st.integers(1, 12))
    shift = st.sampled_from([-1, 0, 1])
    rows = []
    for i in range(n):
        age_years, lived = draw(_YEARS), draw(_MONTHS)
        birth = _months_before(ON, 12 * age_years, draw(shift))
        since = max(_months_before(ON, lived, draw(shift)), birth)
        permit = draw(st.one_of(st.none(), _MONTHS))
        permit_since = None if permit is None else min(max(_months_before(ON, permit, draw(shift)), since), ON)
        local = draw(_MONTHS)
        prior = draw(st.sampled_from([None, "320500", "510100", "110100"]))
        rows.append(
            {
                "person_id": i,
                "sex": "F",
                "birth_date": birth,
                "hukou_region": draw(st.sampled_from(["310100", "341000", "110100", "510100"])),
                "residence_region": draw(st.sampled_from(["310100", "110100", "440100", "510100", "320500"])),
                "residence_since": since,
                "residence_permit_since": permit_since,
                "si_months_local": local,
                "si_months_total": local + draw(_MONTHS),
                "medical_months_local": draw(_MONTHS),
                "prior_region": prior,
                "prior_residence_months": 0 if prior is None else draw(_MONTHS),
                "prior_si_months": 0 if prior is None else draw(_MONTHS),
                "employed": draw(st.booleans()),
                "education": draw(st.sampled_from(["junior_secondary", "bachelor", "master", "doctor"])),
                "housing": draw(st.sampled_from(["owned", "rented", "none"])),
                "income_per_capita_month": draw(st.sampled_from([0.0, 800.0, 1500.0, 5000.0])),
                "parent_id": draw(st.one_of(st.none(), st.integers(0, i - 1)))
                if age_years < 18 and i
                else None,  # acyclic
                "criminal_record": draw(st.booleans()),
                "professional_title": draw(st.sampled_from(["none", "skill_3", "skill_2_or_intermediate"])),
                "admin_detentions": draw(st.sampled_from([0, 1])),
                "si_base_ratio": draw(st.sampled_from([None, 0.79, 0.8, 1.0, 1.99, 2.0, 3.0])),
                "parent_lives_here": draw(st.sampled_from([None, False, True])),  # read where no parent is linked
            }
        )
    overrides = {"parent_id": pl.Int64, "prior_region": pl.String, "parent_lives_here": pl.Boolean}
    return pl.DataFrame(rows, schema_overrides=overrides)


@settings(max_examples=60, deadline=None)
@given(people=_boundary_people())
def test_compiled_rules_equal_the_interval_engine_on_the_thresholds(people: pl.DataFrame) -> None:
    _same_decisions(people)


@pytest.mark.parametrize("value", ["0", "two", "-1"])
def test_a_bad_thread_count_is_named(value: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CHANGZHU_THREADS", value)
    monkeypatch.setattr(kernels, "PARALLEL_MIN_ROWS", 1)
    with pytest.raises(ChangzhuError, match="CHANGZHU_THREADS"):
        evaluate(random_people(20, 95), ON, earliest=False)


def test_reforms_that_change_only_values_share_one_kernel_module(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(kernel_cache, "_modules", OrderedDict())
    people = random_people(300, 97).with_columns(pl.lit("310100").alias("residence_region"))
    loaded, eligible = [], []
    for months in (1, 6, 24, 120):  # four reforms: four parameter sets, one structure of the Shanghai chain
        reform = Scenario.from_overrides({"residence_permit.min_residence_months": months})
        _same_decisions(people, reform)
        eligible.append(evaluate(people, ON, scenario=reform, earliest=False)["eligible_residence_permit"].sum())
        loaded.append(next(reversed(kernel_cache._modules)))
    assert len(set(loaded)) == 1  # the values are arguments, not part of the module's text
    assert eligible == sorted(eligible, reverse=True) and eligible[0] > eligible[-1]  # and the kernel reads them


def test_a_long_lived_process_keeps_a_bounded_number_of_kernel_modules(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(kernel_cache, "_modules", OrderedDict())
    monkeypatch.setattr(kernel_cache, "MODULES_KEPT", 2)
    people = random_people(60, 97)
    loaded = []
    for region in ("310100", "110100", "440100", "320500"):  # four chains: four rule structures
        one_city = people.with_columns(pl.lit(region).alias("residence_region"))
        evaluate(one_city, ON, services=[Service.RESIDENCE_PERMIT], earliest=False)
        loaded.append(next(reversed(kernel_cache._modules)))
    assert len(set(loaded)) == 4
    assert list(kernel_cache._modules) == loaded[2:]
    assert all(name in sys.modules for name in loaded[2:])
    assert not any(name in sys.modules for name in loaded[:2])


def test_a_kept_module_dropped_from_sys_modules_is_findable_again(monkeypatch: pytest.MonkeyPatch) -> None:
    """numba loads a cached kernel by importing its module by name: a module this process keeps must be in
    sys.modules whenever it is used, even after something else removed it (in CI another test's bounded cache
    evicted the Shanghai chain's name while the process still held its module: ModuleNotFoundError)."""
    monkeypatch.setattr(kernel_cache, "_modules", OrderedDict())
    people = random_people(40, 98).with_columns(pl.lit("310100").alias("residence_region"))
    evaluate(people, ON, services=[Service.RESIDENCE_PERMIT], earliest=False)
    name = next(reversed(kernel_cache._modules))
    monkeypatch.delitem(sys.modules, name)
    halves = pl.when(pl.int_range(pl.len()) < 20).then(pl.lit("310100")).otherwise(pl.lit("110100"))
    mixed = people.with_columns(halves.alias("residence_region"))
    evaluate(mixed, ON, earliest=False)  # the kept module's kernel over given rows, not called before (a run of rows)
    assert name in sys.modules


def test_an_edited_cached_kernel_is_never_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A cached kernel file changed after it was written (an attacker, a bad disk) is rewritten, not imported."""
    people = random_people(200, 71).with_columns(pl.lit(NATIONAL_ONLY).alias("residence_region"))
    monkeypatch.setenv("CHANGZHU_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(kernel_cache, "_modules", OrderedDict())
    expected = evaluate(people, ON, services=CACHED, earliest=False)
    written = sorted((tmp_path / "cache" / "kernels").glob("changzhu_rules_*.py"))
    originals = [p.read_text(encoding="utf-8") for p in written]
    marker = tmp_path / "ran"
    for path in written:
        path.write_text(f"open({str(marker)!r}, 'w').close()\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.setattr(kernel_cache, "_modules", OrderedDict())  # a new process
    for name in [n for n in sys.modules if n.startswith("changzhu_rules_")]:
        monkeypatch.delitem(sys.modules, name)
    assert evaluate(people, ON, services=CACHED, earliest=False).equals(expected)
    assert not marker.exists()
    assert [p.read_text(encoding="utf-8") for p in written] == originals


def test_a_modules_bytecode_is_used_only_for_its_own_text(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The bytecode kept beside a kernel module is read back (nothing compiled) when it was compiled from the same
    text at the same path; a damaged file, or one compiled from other text, is compiled again and rewritten."""
    path = tmp_path / "module.py"
    text, other = "X = 1\n", "X = 2\n"
    kernel_cache._code(text, path)
    kept = path.with_suffix(".code")
    written = kept.read_bytes()

    def value(source: str) -> int:
        found: dict[str, int] = {}
        exec(kernel_cache._code(source, path), found)
        return found["X"]

    def no_compiling(*args: object) -> None:
        raise AssertionError("compiled although its bytecode was kept")

    with monkeypatch.context() as patched:
        patched.setattr(kernels, "compile", no_compiling, raising=False)
        assert value(text) == 1
    kept.write_bytes(written[:-4])  # damaged
    assert value(text) == 1 and kept.read_bytes() == written
    assert value(other) == 2 and kept.read_bytes() != written


def test_the_kernel_cache_is_private_to_the_user(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The cache directory is created 0700; one that others may write to is refused with the fix named."""
    monkeypatch.setenv("CHANGZHU_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(kernel_cache, "_modules", OrderedDict())
    people = random_people(50, 72).with_columns(pl.lit(NATIONAL_ONLY).alias("residence_region"))
    evaluate(people, ON, services=CACHED, earliest=False)
    assert (tmp_path / "cache" / "kernels").stat().st_mode & 0o777 == 0o700
    shared = tmp_path / "shared" / "kernels"
    shared.mkdir(parents=True)
    shared.chmod(0o777)
    monkeypatch.setenv("CHANGZHU_CACHE_DIR", str(tmp_path / "shared"))
    monkeypatch.setattr(kernel_cache, "_modules", OrderedDict())
    with pytest.raises(ChangzhuError, match=r"writable by other users .*chmod 700"):
        evaluate(people, ON, services=CACHED, earliest=False)


_COMPILE_ONE_CHAIN = """
import sys
from rules_support import ON, random_people
from changzhu.domain.services import Service
from changzhu.rules.evaluate import prepare
from changzhu.rules.kernels import CompiledRules
import polars as pl
people = random_people(40, 3).with_columns(
    residence_region=pl.lit("320500"), prior_region=pl.lit(None, pl.String), prior_residence_months=0, prior_si_months=0
)
rules = CompiledRules(prepare(people, ON), [Service.RESIDENCE_PERMIT])
rules.compile()
chain = rules._kernels[0]
misses = sum(chain.span.stats.cache_misses.values()) + sum(chain.rows.stats.cache_misses.values())
print(misses)
"""


def test_a_second_process_waits_for_the_module_being_compiled_then_loads_it(tmp_path: Path) -> None:
    """Two processes needing the same new module: the second waits on the module's lock while the first compiles,
    then loads the machine code from the cache (no compilation of its own)."""
    import os
    import subprocess
    import time

    env = {**os.environ, "CHANGZHU_CACHE_DIR": str(tmp_path), "PYTHONPATH": str(Path(__file__).parent)}
    command = [sys.executable, "-c", _COMPILE_ONE_CHAIN]
    first = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while not list((tmp_path / "kernels").glob("*.lock")):  # the first holds the lock: it is compiling
        assert first.poll() is None and time.monotonic() < deadline, "no module lock was taken while compiling"
        time.sleep(0.05)
    second = subprocess.run(command, env=env, capture_output=True, text=True, timeout=600, check=True)
    compiled_by_first = int(first.communicate(timeout=600)[0])
    assert first.returncode == 0 and compiled_by_first > 0
    assert int(second.stdout) == 0, "the second process compiled kernels the first was compiling"


_KERNEL_MODULE = """
from changzhu.rules.numba_start import kernel


@kernel
def scaled(x, by):
    total = 0.0
    for i in range(x.shape[0]):
        total += x[i] * by[0]
    return total
"""

_LOAD_A_KERNEL = """
import sys
import numpy as np
import numba
from kernel_module import scaled
by = np.array([2.0])
by.flags.writeable = False
value = scaled(np.arange(4.0), by)
loaded = {
    "value": float(value),
    "misses": sum(scaled.stats.cache_misses.values()),
    "registries": "numba.np.arraymath" in sys.modules,
    "scipy_linalg": "scipy.linalg" in sys.modules,
}

@numba.njit
def determinant(a):
    return np.linalg.det(a)

@numba.njit
def correlate(a, b):
    return np.correlate(a, b)

loaded["det"] = float(determinant(np.array([[2.0, 1.0], [1.0, 3.0]])))
loaded["first"] = float(correlate(np.arange(3.0), np.ones(2))[0])
print(repr(loaded))
"""


def test_a_cached_kernel_loads_without_numbas_registries_and_compiles_without_scipy(tmp_path: Path) -> None:
    """A kernel compiled in one process (numba's registries started without SciPy's BLAS check) loads from the cache
    in the next without them and gives the same value; numba's linear algebra, if a later function uses it,
    imports SciPy itself and computes as before."""
    import ast
    import os
    import subprocess

    (tmp_path / "kernel_module.py").write_text(_KERNEL_MODULE)
    env = {**os.environ, "PYTHONPATH": str(tmp_path)}
    runs = []
    for _ in range(2):
        done = subprocess.run(
            [sys.executable, "-c", _LOAD_A_KERNEL], capture_output=True, text=True, check=False, env=env, cwd=tmp_path
        )
        assert done.returncode == 0, done.stderr
        runs.append(ast.literal_eval(done.stdout.strip()))
    compiled, loaded = runs
    assert compiled["misses"] == 1 and compiled["registries"] and not compiled["scipy_linalg"]
    assert loaded["misses"] == 0 and not loaded["registries"]
    assert compiled["value"] == loaded["value"] == 12.0
    for run in runs:
        assert run["det"] == pytest.approx(5.0) and run["first"] == pytest.approx(1.0)


_LINK_A_CACHED_KERNEL = """
import numpy as np
import numba
from kernel_module import scaled, unused
by = np.array([2.0])
by.flags.writeable = False
x = np.arange(4.0)
value = scaled(x, by)

@numba.njit
def twice(x, by):
    return 2.0 * scaled(x, by)

print(repr({"value": float(value), "misses": sum(scaled.stats.cache_misses.values()), "linked": float(twice(x, by)),
            "unused_made": unused._dispatcher is not None}))
"""


def test_a_kernel_loaded_from_the_cache_links_into_a_function_compiled_later(tmp_path: Path) -> None:
    """A cache hit leaves the kernel's linking bitcode unparsed until a function calling the kernel is compiled: that
    function still links it and computes the same value; a kernel made on call that is never called makes no
    dispatcher."""
    import ast
    import os
    import subprocess

    module = _KERNEL_MODULE.replace("import kernel\n", "import kernel, kernel_without_runtime\n")
    module += "\n\n@kernel_without_runtime\ndef unused(x):\n    return x[0]\n"
    (tmp_path / "kernel_module.py").write_text(module)
    env = {**os.environ, "PYTHONPATH": str(tmp_path)}
    runs = []
    for _ in range(2):
        done = subprocess.run(
            [sys.executable, "-c", _LINK_A_CACHED_KERNEL],
            capture_output=True,
            text=True,
            check=False,
            env=env,
            cwd=tmp_path,
        )
        assert done.returncode == 0, done.stderr
        runs.append(ast.literal_eval(done.stdout.strip()))
    compiled, loaded = runs
    assert compiled["misses"] == 1 and loaded["misses"] == 0
    for run in runs:
        assert run["value"] == 12.0 and run["linked"] == 24.0 and not run["unused_made"]
