"""Decisions for registered residents whose core facts may be missing: undetermined where a missing fact matters.

The rules engine reads these core facts as always known: employed, criminal_record, education, housing,
income_per_capita_month and the insurance months (si_months_local, si_months_total, medical_months_local,
prior_si_months; unknown in a registry holding no contribution history of the person, frames.person_frame). A
resident registered without one of them is decided under every value the fact can take (both booleans, every
category, for income one value below and one above every threshold, for months none and every month of the
person's life): a decision that is the same under all of them is determined; one that changes is undetermined and
names the facts it changed with, in needs_<service> (unassessed_<scheme> for points). Residents with all facts are
decided once, as usual.

Only what can change a decision is tried: a missing fact no rule or points scheme of the family's cities reads
(facts_read) is filled with any of its values, and combinations giving a family the same values of the facts read
(a total of months no rule reads, tried only because it bounds missing local months) are evaluated once. The
decisions are those of trying every value of every missing fact (tests/tables/test_registry_decide_pruned.py).
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from datetime import date
from math import prod

import numpy as np
import polars as pl

from changzhu.domain.person import EDUCATION_LEVELS, HOUSING_TENURES, INSURANCE_MONTH_COLUMNS
from changzhu.domain.services import Service
from changzhu.rules import evaluate
from changzhu.rules.catalog import ResolvedPolicy, policies_in_use, resolve_region, scheme_conditions
from changzhu.rules.frame import COUNT_CLOCKS
from changzhu.rules.indicators import flat
from changzhu.rules.scenario import Scenario
from changzhu.rules.variables import VariableSpec

LIFETIME = object()  # a missing months fact tried with the whole months of the person's life: more than anyone paid


def lifetime_months(on: date) -> pl.Expr:
    """Whole months from birth_date to `on` (0 for a date before birth), as the person table's Int32."""
    birth = pl.col("birth_date")
    months = (on.year - birth.dt.year()) * 12 + on.month - birth.dt.month() - (birth.dt.day() > on.day)
    return months.clip(lower_bound=0).cast(pl.Int32)


# Every value a missing fact is tried with. Income and insurance months are read against thresholds ("below N yuan
# a month", "at least N months"): none and more than any threshold (an income above any in the policies; months
# paid all one's life) give both sides of each, and the range of points counted from months.
FACT_VALUES: dict[str, tuple[object, ...]] = {
    "employed": (True, False),
    "criminal_record": (False, True),
    "education": tuple(EDUCATION_LEVELS),
    "housing": tuple(HOUSING_TENURES),
    "income_per_capita_month": (0.0, 1.0e9),
    **{column: (0, LIFETIME) for column in INSURANCE_MONTH_COLUMNS},
}


def filled(people: pl.DataFrame, values: Mapping[str, object], on: date) -> pl.DataFrame:
    """The table with each missing fact in `values` filled with its value (one of FACT_VALUES) on `on`."""
    return _filled(people, {f: lifetime_months(on) if v is LIFETIME else pl.lit(v) for f, v in values.items()})


def _filled(people: pl.DataFrame, value: dict[str, pl.Expr]) -> pl.DataFrame:
    """The table with each missing fact in `value` filled with its expression's value.

    Local months are at most the total (validate_person_table's rule): a missing total is at least the local
    months, and missing local months at most the total, so every combination is a table the rules accept."""
    if "si_months_total" in value:
        value["si_months_total"] = pl.max_horizontal(value["si_months_total"], pl.col("si_months_local"))
    local = value.pop("si_months_local", None)
    out = people.with_columns(pl.col(f).fill_null(v).cast(people[f].dtype).alias(f) for f, v in value.items())
    if local is None:
        return out
    return out.with_columns(pl.col("si_months_local").fill_null(pl.min_horizontal(local, pl.col("si_months_total"))))


# The rules' variables that read a missing fact on the date: its own (a core column's variable has its name) and, for
# the insurance months, the clocks counting from them (rules.frame.COUNT_CLOCKS; si_recognised also adds the months
# recognised from the previous place).
READ_AS: dict[str, frozenset[str]] = {
    fact: frozenset({fact, *(clock for clock, column in COUNT_CLOCKS.items() if column == fact)})
    for fact in FACT_VALUES
} | {"prior_si_months": frozenset({"prior_si_months", "si_recognised"})}
MAX_ROWS = 2_000_000  # people × combinations decided in one call (about 1 GB at most)


def missing_facts(people: pl.DataFrame) -> dict[str, pl.Series]:
    """Per core fact, where it is missing (only facts missing for someone)."""
    return {f: people[f].is_null() for f in FACT_VALUES if f in people.columns and people[f].null_count() > 0}


def facts_read(policy: ResolvedPolicy, variables: Mapping[str, VariableSpec]) -> frozenset[str]:
    """The core facts a chain's rules and points schemes read, of a person or a parent: through the variables READ_AS
    names, and employed through every months clock that grows while it holds (the insurance months, a declared
    months input growing while employed), which sets the earliest dates."""
    conditions = [rule.rule for rule in policy.services.values()]
    conditions += [c for scheme in policy.schemes.values() for c in scheme_conditions(scheme)]
    read = {name for c in conditions for node in c.walk() for name in node.reads()}
    read |= {name for scheme in policy.schemes.values() for ind in flat(scheme.indicators) for name in ind.reads()}
    grows = {fact: {name for name, spec in variables.items() if spec.grows == fact} for fact in FACT_VALUES}
    grows["employed"] |= COUNT_CLOCKS.keys()
    return frozenset(fact for fact in FACT_VALUES if read & (READ_AS[fact] | grows[fact]))


def _read_where(people: pl.DataFrame, facts: list[str], scenario: Scenario | None) -> dict[str, pl.Series]:
    """Per fact, where the rules of the person's residence_region read it (facts_read; everywhere for a region the
    rules cannot place, which evaluate then refuses)."""
    policies = policies_in_use()
    codes = [c for c in people["residence_region"].unique().to_list() if c is not None]
    read = {code: facts_read(resolve_region(policies, code, scenario), policies.variables) for code in codes}
    where = people["residence_region"].cast(pl.String)
    return {f: where.is_in([c for c in codes if f not in read[c]]).not_().fill_null(True) for f in facts}


def evaluate_registered(
    people: pl.DataFrame,
    on: date,
    *,
    scenario: Scenario | None = None,
    services: list[Service] | None = None,
    earliest: bool = True,
) -> pl.DataFrame:
    """evaluate() for a registry's person table whose core facts may be missing (null: unknown).

    People linked as parent and child are decided together; each such family is tried under the values of the
    facts missing in it that its rules read (facts_read; a total of insurance months also where it bounds missing
    local months: filled), in batches of at most MAX_ROWS rows (people × combinations). A missing fact no rule of
    the family reads is filled with any of its values: all of them decide alike."""
    missing = missing_facts(people)
    if not missing:
        return evaluate(people, on, scenario=scenario, services=services, earliest=earliest)
    family = _families(people)
    read = _read_where(people, list(missing), scenario)
    gaps = pl.DataFrame(missing | {f"read {f}": r for f, r in read.items()}).with_columns(family=pl.Series(family))
    patterns = gaps.group_by("family").agg(pl.exclude("family").any())
    batches: dict[tuple[tuple[str, ...], tuple[str, ...], bool], list[int]] = {}
    for row in patterns.iter_rows(named=True):
        keyed = tuple(f for f in missing if row[f] and row[f"read {f}"])
        bounds = "si_months_local" in keyed and row.get("si_months_total", False)  # a total tried bounds the local
        facts = tuple(f for f in missing if f in keyed or (f == "si_months_total" and bounds))
        lacking = any(row[f] for f in missing)  # (decided as the merge of one combination: its lists sorted)
        batches.setdefault((facts, keyed, lacking), []).append(row["family"])
    tagged = people.with_columns(_family=pl.Series(family))
    parts: list[pl.DataFrame] = []
    pending: list[_Combinations] = []  # decided together, at most MAX_ROWS rows (one evaluate: its fixed cost once)
    for (facts, keyed, lacking), families in batches.items():
        members = tagged.filter(pl.col("_family").is_in(families))
        members = filled(members, {f: FACT_VALUES[f][0] for f in missing if f not in facts}, on)  # read by no rule
        size = MAX_ROWS // prod(len(FACT_VALUES[f]) for f in facts)
        for chunk in _chunks(members, size=size) if facts else [members]:
            tried = _Combinations(chunk, list(facts), list(keyed), on, merge=lacking)
            if pending and sum(p.table.height for p in pending) + tried.table.height > MAX_ROWS:
                parts += _decide(pending, on, scenario, services, earliest)
                pending = []
            pending.append(tried)
    parts += _decide(pending, on, scenario, services, earliest)
    order = pl.DataFrame({"person_id": people["person_id"]}).with_row_index("_order")
    return pl.concat(parts, how="vertical_relaxed").join(order, on="person_id").sort("_order").drop("_order")


def _families(people: pl.DataFrame) -> list[int]:
    """Per row, a label shared by everyone linked to it through parent_id (the rules read a parent's facts)."""
    ids = people["person_id"].to_list()
    root = {pid: pid for pid in ids}

    def find(pid: int) -> int:
        while root[pid] != pid:
            root[pid] = root[root[pid]]
            pid = root[pid]
        return pid

    for pid, parent in zip(ids, people["parent_id"].to_list(), strict=True):
        if parent is not None and parent in root:
            root[find(pid)] = find(parent)
    return [find(pid) for pid in ids]


def _chunks(members: pl.DataFrame, *, size: int) -> list[pl.DataFrame]:
    """The members (with their _family) sorted by person_id, cut into pieces of about `size` rows without splitting a
    family."""
    ordered = members.sort("_family", "person_id")
    pieces, start, rows = [], 0, ordered.height
    labels = ordered["_family"].to_list()
    while start < rows:
        end = min(start + max(size, 1), rows)
        while end < rows and labels[end] == labels[end - 1]:
            end += 1
        pieces.append(ordered.slice(start, end - start).sort("person_id"))
        start = end
    return pieces


class _Combinations:
    """Some people (with their _family) under every combination of the values of the facts missing among them
    (`facts`), one combination after another: the rows to evaluate (table: combinations giving a family the same
    values of the facts its rules read, `keyed`, decide it alike, so each family is evaluated under the first of them
    only; a total of months no rule reads is tried only because it bounds the local months), and the merge of their
    decisions per person."""

    def __init__(self, people: pl.DataFrame, facts: list[str], keyed: list[str], on: date, *, merge: bool) -> None:
        self.facts, self.n, self.merge = facts, people.height, merge
        self.shape = tuple(len(FACT_VALUES[f]) for f in facts)
        combos = prod(self.shape)
        grid = _grid(people, facts, on) if facts else people
        first = _first_alike(grid.select("_family", *keyed), self.n, combos) if facts else np.arange(self.n)
        kept = np.flatnonzero(first == np.arange(grid.height))
        self.table = grid.drop("_family")[kept]
        self.combo = kept // self.n  # of each row of the table
        place = np.zeros(grid.height, dtype=np.int64)
        place[kept] = np.arange(kept.size)
        self.full = place[first]  # per combination and person, the row of the table deciding it
        self.person = kept % self.n  # of each row of the table

    def merged(self, decided: pl.DataFrame) -> pl.DataFrame:
        """The table's decisions (one row per row of the table) merged per person; as they are for people lacking no
        fact (merge=False)."""
        if not self.merge:
            return decided
        out: dict[str, pl.Series] = {"person_id": decided["person_id"][: self.n]}
        for column in decided.columns:
            if column.startswith("eligible_"):
                out |= self._service(decided, column.removeprefix("eligible_"))
            elif column.startswith("points_") and not column.startswith(("points_low_", "points_high_")):
                out |= self._points(decided, column.removeprefix("points_"))
        return pl.DataFrame(out).select(decided.columns)

    def _spread(self, values: pl.Series) -> np.ndarray:
        """A column of the decisions as (combination, person)."""
        return values.to_numpy()[self.full].reshape(-1, self.n)

    def _varying(self, values: np.ndarray) -> dict[str, np.ndarray]:
        """Per fact, where (per person) `values` (combination, person) changes along it."""
        grid = values.reshape((*self.shape, self.n))
        axes = tuple(range(len(self.shape) - 1))
        return {f: np.any(grid.min(axis=i) != grid.max(axis=i), axis=axes) for i, f in enumerate(self.facts)}

    def _names(self, given: pl.Series, extra: dict[str, np.ndarray]) -> pl.Series:
        """Per person, the sorted union of the names any combination gave and the names in `extra` where its mask
        holds (null when none)."""
        where = {name: mask for name, mask in extra.items() if mask.any()}
        rows = np.flatnonzero(given.is_not_null().to_numpy())
        pairs = pl.DataFrame({"person": self.person[rows], "name": given.gather(rows)}).explode("name").drop_nulls()
        for (name,), found in pairs.partition_by("name", as_dict=True).items():
            where.setdefault(str(name), np.zeros(self.n, dtype=bool))[found["person"].to_numpy()] = True
        if not where:
            return pl.repeat(None, self.n, dtype=given.dtype, eager=True).alias(given.name)
        named = pl.DataFrame({name: where[name] for name in sorted(where)})
        listed = named.select(
            pl.concat_list(pl.when(pl.col(c)).then(pl.lit(c)) for c in named.columns).list.drop_nulls()
        )
        column = listed.to_series()
        return (
            column.zip_with(column.list.len() > 0, pl.repeat(None, self.n, dtype=column.dtype, eager=True))
            .cast(given.dtype)
            .alias(given.name)
        )

    def _service(self, decided: pl.DataFrame, name: str) -> dict[str, pl.Series]:
        """eligible only when eligible under every combination; undetermined when they disagree or any is."""
        eligible = self._spread(decided[f"eligible_{name}"])
        unsure = self._spread(decided[f"undetermined_{name}"])
        undetermined = unsure.any(axis=0) | (eligible.min(axis=0) != eligible.max(axis=0))
        changed = {f: mask & undetermined for f, mask in self._varying(eligible).items()}
        start = self._spread(decided[f"earliest_{name}"].to_physical().fill_null(-(2**31)))
        same_start = (start.min(axis=0) == start.max(axis=0)) & ~undetermined
        return {
            f"eligible_{name}": pl.Series(f"eligible_{name}", eligible.all(axis=0) & ~undetermined),
            f"undetermined_{name}": pl.Series(f"undetermined_{name}", undetermined),
            f"needs_{name}": self._names(decided[f"needs_{name}"], changed),
            f"earliest_{name}": _where(decided[f"earliest_{name}"][: self.n], same_start),
        }

    def _points(self, decided: pl.DataFrame, name: str) -> dict[str, pl.Series]:
        """The widest range over the combinations; the assessed total only where all agree, else their least."""
        grids = {
            k: self._spread(decided[f"{k}_{name}"].cast(pl.Float64).fill_nan(None))
            for k in ("points", "points_low", "points_high")
        }
        changed = self._varying(np.nan_to_num(grids["points"], nan=-1.0))
        return {
            f"points_{name}": _extreme(grids["points"], np.fmin, decided[f"points_{name}"]),
            f"points_low_{name}": _extreme(grids["points_low"], np.fmin, decided[f"points_low_{name}"]),
            f"points_high_{name}": _extreme(grids["points_high"], np.fmax, decided[f"points_high_{name}"]),
            f"unassessed_{name}": self._names(decided[f"unassessed_{name}"], changed),
        }


def _grid(people: pl.DataFrame, facts: list[str], on: date) -> pl.DataFrame:
    """The people under every combination of the facts' values (FACT_VALUES, in itertools.product's order), filled
    as `filled` fills them: one combination after another."""
    combos = list(itertools.product(*(FACT_VALUES[f] for f in facts)))
    values = pl.DataFrame(
        [
            pl.Series(f"_{f}", [None if v is LIFETIME else v for v in column], dtype=people[f].dtype)
            for f, column in zip(facts, zip(*combos, strict=True), strict=True)
        ]
    )
    lifetime = lifetime_months(on)
    value = {f: pl.col(f"_{f}").fill_null(lifetime) if LIFETIME in FACT_VALUES[f] else pl.col(f"_{f}") for f in facts}
    grid = values.join(people, how="cross", maintain_order="left_right")
    return _filled(grid, value).drop(values.columns).select(people.columns)


def _decide(
    pending: list[_Combinations],
    on: date,
    scenario: Scenario | None,
    services: list[Service] | None,
    earliest: bool,
) -> list[pl.DataFrame]:
    """Evaluate the rows of every _Combinations at once (each combination's ids moved past every person's: a
    person appears in one of them only), then merge each."""
    if not pending:
        return []
    span = max(int(p.table["person_id"].max()) for p in pending if p.table.height) + 1  # type: ignore[arg-type]
    tables = []
    for p in pending:
        shift = pl.Series(p.combo * span)
        tables.append(p.table.with_columns(p.table["person_id"] + shift, p.table["parent_id"] + shift))
    decided = evaluate(pl.concat(tables), on, scenario=scenario, services=services, earliest=earliest)
    out, start = [], 0
    for p in pending:
        out.append(p.merged(decided.slice(start, p.table.height)))
        start += p.table.height
    return out


def _first_alike(grid: pl.DataFrame, n: int, combos: int) -> np.ndarray:
    """Per row of the grid (n people per combination, one combination after another), the row of the same person
    under the first combination that gives the person's family (_family) the same values of the other columns."""
    keys = [c for c in grid.columns if c != "_family"]
    combo = np.repeat(np.arange(combos, dtype=np.int64), n)
    pairs = grid.with_columns(_combo=pl.Series(combo))
    per_family = pairs.group_by("_family", "_combo").agg(pl.col(keys))  # the members' values, in row order
    first = per_family.with_columns(_first=pl.col("_combo").min().over("_family", *keys))
    dense, family = np.unique(grid["_family"].to_numpy()[:n], return_inverse=True)
    at = np.zeros((dense.size, combos), dtype=np.int64)
    at[np.searchsorted(dense, first["_family"].to_numpy()), first["_combo"].to_numpy()] = first["_first"].to_numpy()
    return at[np.tile(family, combos), combo] * n + np.tile(np.arange(n, dtype=np.int64), combos)


def _extreme(values: np.ndarray, pick: np.ufunc, like: pl.Series) -> pl.Series:
    """The least or greatest over the combinations, ignoring nulls (null where all are null), typed like `like`."""
    return pl.Series(like.name, pick.reduce(values, axis=0)).fill_nan(None).cast(like.dtype)


def _where(values: pl.Series, keep: np.ndarray) -> pl.Series:
    """values where keep, else null."""
    return values.zip_with(pl.Series(keep), pl.repeat(None, len(values), dtype=values.dtype, eager=True))
