"""The compiled interval trees (changzhu.rules.interval_kernels) and the schemes' points on the date from their kernels
(changzhu.rules.points_kernels) give the NumPy interval engine's results: the same start, unknown and decided for
every service and row, the same end wherever the start is a day (the end of an interval that never starts is read by
nobody), the same points totals and ranges, on random tables with unknown inputs (nulls in the optional core
columns and in every declared input, children without a linked parent) and with rows whose inputs fall outside
the calendar tables."""

from __future__ import annotations

import functools
import importlib
from datetime import timedelta
from typing import Any

import numpy as np
import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rules_support import CITIES, ON, random_people, with_huge_numbers

from changzhu.domain.services import Service
from changzhu.rules import engine, points_kernels
from changzhu.rules.arrays import Interval, endless
from changzhu.rules.catalog import policies_in_use
from changzhu.rules.codegen import open_bits
from changzhu.rules.conditions import ServiceCondition
from changzhu.rules.dates import NEVER
from changzhu.rules.engine import IntervalEvaluator
from changzhu.rules.evaluate import _points_columns, _TotalBuffers, evaluate, prepare
from changzhu.rules.indicators import Indicator
from changzhu.rules.points_kernels import SchemeTotals

INPUTS = policies_in_use().declared_inputs()


@pytest.fixture(autouse=True)
def _compiled_on_small_tables(monkeypatch: pytest.MonkeyPatch) -> None:
    """The kernels run on these small tables too (in use, only from engine.COMPILED_MIN_ROWS rows)."""
    monkeypatch.setattr(engine, "COMPILED_MIN_ROWS", 0)


evaluate_module = importlib.import_module("changzhu.rules.evaluate")  # the module (the package exports the function)


def _with_unknowns(people: pl.DataFrame, seed: int, unknown_share: float) -> pl.DataFrame:
    """The table with the optional core columns null for some rows and every declared input drawn, null (unknown)
    for some rows: a missing fact must leave a decision undetermined, never count as zero or false."""
    rng = np.random.default_rng(seed)
    n = people.height

    def holes(values: list[object]) -> list[object]:
        return [None if rng.random() < unknown_share else v for v in values]

    columns = [
        pl.Series(name, holes(people[name].to_list()), dtype=people[name].dtype)
        for name in ("professional_title", "admin_detentions", "si_base_ratio", "parent_id")  # children unlinked
    ]
    says = [None, False, True]  # without a linked parent: unknown, none lives here, one does (its record unknown)
    columns.append(pl.Series("parent_lives_here", [says[k] for k in rng.integers(0, 3, n)], dtype=pl.Boolean))
    for spec in INPUTS.values():
        codes = [c.code for c in spec.categories]
        if spec.type == "bool":
            values: list[object] = (rng.random(n) < 0.5).tolist()
        elif spec.type == "category":
            values = rng.choice(codes, n).tolist()
        elif spec.type == "categories":
            values = [list(rng.choice(codes, int(rng.integers(0, 3)), replace=False)) for _ in range(n)]
        elif spec.type in ("integer", "months"):
            values = rng.integers(0, 150, n).tolist()
        elif spec.type == "number":
            values = rng.gamma(2.0, 50.0, n).tolist()
        elif spec.type == "date":
            values = [ON - timedelta(days=int(d)) for d in rng.integers(0, 3000, n)]
        elif spec.type == "dates":
            values = [
                [ON - timedelta(days=int(d)) for d in rng.integers(0, 3000, rng.integers(0, 3))] for _ in range(n)
            ]
        else:
            continue
        columns.append(pl.Series(spec.name, holes(values)))
    return people.with_columns(columns)


def _run(people: pl.DataFrame, compiled: bool, services: list[Service] | None = None) -> IntervalEvaluator:
    frame = prepare(people, ON)
    engine = IntervalEvaluator(frame, frame.policies, None, compiled=compiled)
    engine.run(list(Service) if services is None else services)
    return engine


def _masks(interval: Interval, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Where the interval is unknown and where its value on the date is decided (None stands for every row)."""
    decided = interval.decided_mask()
    unknown = np.zeros(n, dtype=bool) if interval.unknown is None else interval.unknown
    return unknown, np.ones(n, dtype=bool) if decided is None else decided


def _assert_same(people: pl.DataFrame, services: list[Service] | None = None) -> None:
    numpy, kernels = _run(people, False, services), _run(people, True, services)
    n = people.height
    for service in list(Service) if services is None else services:
        a, b = numpy.services[service], kernels.services[service]
        assert np.array_equal(a.start, b.start), service
        for want, got in zip(_masks(a, n), _masks(b, n), strict=True):
            assert np.array_equal(want, got), service
        starts = a.start < NEVER
        assert np.array_equal(np.broadcast_to(a.end, (n,))[starts], np.broadcast_to(b.end, (n,))[starts]), service
    assert set(numpy.points_now) == set(kernels.points_now)
    spread_numpy, spread_kernels = _TotalBuffers(n), _TotalBuffers(n)  # (each shared by the schemes, as evaluate's)
    for name, want in numpy.points_now.items():  # the schemes' points on the date
        got = kernels.points_now[name]
        made = _points_columns(name, want, n, spread_numpy), _points_columns(name, got, n, spread_kernels)
        for x, y in zip(*made, strict=True):
            assert x.equals(y), name


@pytest.mark.parametrize(("seed", "unknown_share"), [(61, 0.0), (62, 0.2), (63, 0.6)])
def test_compiled_trees_equal_the_numpy_engine_over_every_shipped_city(seed: int, unknown_share: float) -> None:
    people = _with_unknowns(random_people(1500, seed), seed, unknown_share)
    _assert_same(people)
    undetermined = evaluate(people, ON)
    if unknown_share:  # the unknowns reach the decisions: some are undetermined, not decided as if zero
        assert any(undetermined[f"undetermined_{s.value}"].any() for s in Service)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 2**31 - 1),
    city=st.sampled_from([*CITIES, "120100"]),
    unknown_share=st.sampled_from([0.05, 0.5, 1.0]),
    years_back=st.sampled_from([0, 200]),
)
def test_compiled_trees_equal_the_numpy_engine_in_one_city(
    seed: int, city: str, unknown_share: float, years_back: int
) -> None:
    """One chain for everyone (the kernel writes every row); dates long ago reach the arithmetic outside the calendar
    tables (1850-2250)."""
    people = random_people(300, seed).with_columns(pl.lit(city).alias("residence_region"))
    if years_back:
        shift = timedelta(days=365 * years_back)
        people = people.with_columns(
            (pl.col("birth_date") - shift).alias("birth_date"),
            (pl.col("residence_since") - shift).alias("residence_since"),
        )
    _assert_same(_with_unknowns(people, seed, unknown_share))


def test_evaluate_gives_the_same_table_with_either_engine(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every column of evaluate(earliest=True), the needs_ and unassessed_ names included (found by walking the
    engine's results), is the same whether the engine's trees are compiled or not."""
    people = _with_unknowns(random_people(1200, 81), 81, 0.3)
    compiled = evaluate(people, ON)
    monkeypatch.setattr(evaluate_module, "IntervalEvaluator", functools.partial(IntervalEvaluator, compiled=False))
    assert evaluate(people, ON).equals(compiled)
    needs = [c for c in compiled.columns if c.startswith("needs_")]
    assert any(compiled[c].drop_nulls().len() > 0 for c in needs)  # unknowns reached the walk: inputs are named


def test_evaluate_writes_no_end_that_no_condition_reads(monkeypatch: pytest.MonkeyPatch) -> None:
    """evaluate() reads the engine's starts and decisions only: its engine keeps a service's end only where a
    condition of some chain may read it (engine.services_read), and writes no array for the others' (an end of
    FOREVER on every row); every start, unknown and decided, and each end kept, are those of an engine keeping every
    end (the columns themselves: test_evaluate_gives_the_same_table_with_either_engine)."""
    people = _with_unknowns(random_people(1500, 61), 61, 0.2)
    made: list[IntervalEvaluator] = []

    def kept(*args: Any, **kwargs: Any) -> IntervalEvaluator:
        made.append(IntervalEvaluator(*args, **kwargs))
        return made[-1]

    monkeypatch.setattr(evaluate_module, "IntervalEvaluator", kept)
    evaluate(people, ON)
    every = _run(people, True)
    some = made[0]
    n = people.height
    read = engine.services_read([policy for policy, _ in some.groups])
    unread = [s for s in Service if s not in read and not endless(every.services[s].end)]
    assert unread  # ends the engine writes for every row, which no condition reads
    for service in Service:
        a, b = every.services[service], some.services[service]
        assert np.array_equal(a.start, b.start), service
        for want, got in zip(_masks(a, n), _masks(b, n), strict=True):
            assert np.array_equal(want, got), service
        if service in unread:
            assert endless(b.end), service  # (never written)
        else:
            assert np.array_equal(np.broadcast_to(a.end, (n,)), np.broadcast_to(b.end, (n,))), service


def test_unassessed_indicators_are_read_from_the_scheme_kernels(monkeypatch: pytest.MonkeyPatch) -> None:
    """Which indicators of a scheme are a range (unassessed_, and the needs_ walk through a points line), top-level
    ones and the parts of a group alike, is what the scheme's kernel wrote beside its totals: none of them is scored
    again in NumPy where the kernel ran (on the table on which test_evaluate_gives_the_same_table_with_either_engine
    holds every column to the NumPy engine)."""
    people = _with_unknowns(random_people(1200, 81), 81, 0.3)
    frame = prepare(people, ON)
    run_by_kernels = {  # (scheme, indicator) where the scheme's kernel scores it, and whether it is a part
        (scheme.name, ind.name, k >= len(scheme.indicators))
        for policy, _ in engine.chain_groups(frame, frame.policies, None)
        for scheme in policy.schemes.values()
        if points_kernels._kernels(policy, scheme, frame.on_date) is not None
        for k, ind in enumerate(open_bits(scheme))
    }
    assert any(part for _, _, part in run_by_kernels)
    scored: list[str] = []
    original = Indicator.score

    def counted(self: Indicator, *args: Any) -> tuple[np.ndarray, np.ndarray]:
        scored.append(args[-1])  # the path: needs:<scheme>:<indicator> for the walk
        return original(self, *args)

    monkeypatch.setattr(Indicator, "score", counted)
    got = evaluate(people, ON)
    assert any(got[c].drop_nulls().len() > 0 for c in got.columns if c.startswith("unassessed_"))
    assert not {f"needs:{scheme}:{name}" for scheme, name, _ in run_by_kernels} & set(scored)


def test_few_rows_run_the_numpy_engine(monkeypatch: pytest.MonkeyPatch) -> None:
    frame = prepare(random_people(100, 91), ON)
    monkeypatch.setattr(engine, "COMPILED_MIN_ROWS", 101)
    assert not IntervalEvaluator(frame, frame.policies, None)._compiled()
    monkeypatch.setattr(engine, "COMPILED_MIN_ROWS", 100)
    assert IntervalEvaluator(frame, frame.policies, None)._compiled()


def test_an_explanation_still_runs_the_numpy_engine() -> None:
    frame = prepare(random_people(200, 71), ON)
    traced = IntervalEvaluator(frame, frame.policies, None, trace=True)
    traced.run([Service.RESIDENCE_PERMIT])
    assert traced.leaf_traces  # every leaf seen on every row: what an explanation cites


def test_a_stage_runs_after_every_service_its_trees_read() -> None:
    """The services cut into stages (one kernel each): in dependency order, none reading a service of its own stage
    (nor permit months while the permit is decided in the same stage), at most TREES_PER_KERNEL each."""
    frame = prepare(random_people(400, 5), ON)
    policies = [policy for policy, _ in engine.chain_groups(frame, frame.policies, None)]
    assert len(policies) > 1
    order = engine.service_order(policies, list(Service))
    stages = engine.service_stages(engine.stage_dependencies(policies), order)
    assert [s for stage in stages for s in stage] == order
    assert len(stages) < len(order)  # several services share a kernel
    for k, stage in enumerate(stages):
        assert 0 < len(stage) <= engine.TREES_PER_KERNEL
        earlier = {s for before in stages[:k] for s in before}
        for policy in policies:
            for service in (s for s in stage if s in policy.services):
                rule = policy.services[service].rule
                read = {node.service for node in rule.walk() if isinstance(node, ServiceCondition)}
                if any(name == "permit" for name, _ in engine.reads_of(policy, rule)):
                    read.add(Service.RESIDENCE_PERMIT)
                assert read <= earlier, (service, read - earlier)


@pytest.mark.parametrize(
    "wanted", [[Service.POINTS_SETTLEMENT], [Service.MEDICAL_INSURANCE, Service.SOCIAL_INTEGRATION]]
)
def test_some_services_asked_equal_the_numpy_engine(wanted: list[Service]) -> None:
    """A part of the services runs whole stages of every service's (one module a chain whichever are asked), with
    the stages those use before them: the services asked are the NumPy engine's."""
    people = _with_unknowns(random_people(600, 17), 17, 0.2)
    _assert_same(people, wanted)
    frame = prepare(people, ON)
    policies = [policy for policy, _ in engine.chain_groups(frame, frame.policies, None)]
    deps = engine.stage_dependencies(policies)
    stages = engine.service_stages(deps, engine.service_order(policies, list(Service)))
    run = engine.stages_to_run(deps, stages, engine.service_order(policies, wanted))
    assert set(wanted) <= {s for stage in run for s in stage}
    if Service.MEDICAL_INSURANCE in wanted:  # it reads the permit: the permit's stage runs first
        assert Service.RESIDENCE_PERMIT in run[0]


def test_scheme_totals_on_listed_rows_are_by_position() -> None:
    """A scheme's kernel over listed rows (in any order, some repeated, as a child's parents are) writes each row's
    totals at its position in the rows: the totals over every row, taken at those rows."""
    frame = prepare(_with_unknowns(random_people(800, 71), 71, 0.2), ON)
    everyone = np.arange(frame.n)
    checked = 0
    for policy, rows in engine.chain_groups(frame, frame.policies, None):
        for scheme in policy.schemes.values():
            whole = SchemeTotals(frame, frame.on_date).totals(policy, scheme, everyone)
            if whole is None:  # scored by the NumPy engine
                continue
            listed = np.concatenate([rows[::-1], rows[:3], everyone[-2:]])
            got = SchemeTotals(frame, frame.on_date).totals(policy, scheme, listed)
            assert got is not None
            for over_every_row, by_position in zip(whole, got, strict=True):
                assert by_position.shape == listed.shape
                assert np.array_equal(over_every_row[listed], by_position, equal_nan=True), scheme.name
            checked += 1
    assert checked >= 3  # several cities' schemes run as kernels


@pytest.mark.parametrize("everyone", [True, False])
def test_numbers_the_fast_scheme_kernel_cannot_divide_are_run_again_by_the_exact_one(everyone: bool) -> None:
    """Beyond 2**52, a number's whole units (codegen.Writer.floor_div) are Python's only in a scheme's exact kernel:
    the fast one says it met one, and SchemeTotals runs the call again. The engine's points and decisions are the
    NumPy engine's and the compiled rules' (one city for everyone: the kernel over a run of rows; else over listed
    rows)."""
    people = random_people(300, 61)
    if everyone:
        people = people.with_columns(pl.lit("310100").alias("residence_region"))
    people = with_huge_numbers(people)
    _assert_same(people)
    full, compiled = evaluate(people, ON), evaluate(people, ON, earliest=False)
    for s in Service:
        assert compiled[f"eligible_{s.value}"].equals(full[f"eligible_{s.value}"]), s
    points = [c for c in full.columns if c.startswith("points_")]
    assert compiled.select(points).equals(full.select(points))
    assert full["points_shanghai_residence_points"].drop_nulls().n_unique() > 10  # the huge numbers scored
    frame = prepare(people, ON)
    for policy, rows in engine.chain_groups(frame, frame.policies, None):
        if "shanghai_residence_points" in policy.schemes:
            scheme = policy.schemes["shanghai_residence_points"]
            assert SchemeTotals(frame, frame.on_date).totals(policy, scheme, rows) is not None
            kernels = points_kernels._kernels(policy, scheme, frame.on_date)
            assert kernels is not None
            assert (kernels.exact_span if everyone else kernels.exact_rows).overloads  # the exact twin ran
