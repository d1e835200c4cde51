"""Decisions for registered residents whose core facts may be missing: undetermined where a missing fact matters.

The rules engine reads these core facts as always known: employed, criminal_record, education, housing,
income_per_capita_month and the insurance months (si_months_local, si_months_total, medical_months_local,
prior_si_months; unknown in a registry holding no contribution history of the person, frames.person_frame). A
resident registered without one of them is decided under every value the fact can take (both booleans, every
category, for income one value below and one above every threshold, for months none and every month of the
person's life): a decision that is the same under all of them is determined; one that changes is undetermined and
names the facts it changed with, in needs_<service> (unassessed_<scheme> for points). Residents with all facts are
decided once, as usual.
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
from changzhu.rules.scenario import Scenario


class Lifetime:
    """Stands for the whole months from a person's birth to the evaluation date: more than anyone can have paid."""

    @staticmethod
    def months(on: date) -> pl.Expr:
        """Whole months from birth_date to `on` (0 for a date before birth), as the person table's Int32."""
        birth = pl.col("birth_date")
        months = (on.year - birth.dt.year()) * 12 + on.month - birth.dt.month() - (birth.dt.day() > on.day)
        return months.clip(lower_bound=0).cast(pl.Int32)


LIFETIME = Lifetime()

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
    """The table with each missing fact in `values` filled with its value (one of FACT_VALUES) on `on`.

    Local months are at most the total (validate_person_table's rule): a missing total is at least the local
    months, and missing local months at most the total, so every combination is a table the rules accept."""
    value = {f: Lifetime.months(on) if isinstance(v, Lifetime) else pl.lit(v) for f, v in values.items()}
    if "si_months_total" in value:
        value["si_months_total"] = pl.max_horizontal(value["si_months_total"], pl.col("si_months_local"))
    local = value.pop("si_months_local", None)
    out = people.with_columns(pl.col(f).fill_null(v).cast(people[f].dtype).alias(f) for f, v in value.items())
    if local is None:
        return out
    return out.with_columns(pl.col("si_months_local").fill_null(pl.min_horizontal(local, pl.col("si_months_total"))))


MAX_ROWS = 2_000_000  # people × combinations decided in one call (about 1 GB at most)


def missing_facts(people: pl.DataFrame) -> dict[str, pl.Series]:
    """Per core fact, where it is missing (only facts missing for someone)."""
    return {f: people[f].is_null() for f in FACT_VALUES if f in people.columns and people[f].null_count() > 0}


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
    facts missing in it only, in batches of at most MAX_ROWS rows (people × combinations)."""
    missing = missing_facts(people)
    if not missing:
        return evaluate(people, on, scenario=scenario, services=services, earliest=earliest)
    family = _families(people)
    gaps = pl.DataFrame(missing).with_columns(family=pl.Series(family))
    patterns = gaps.group_by("family").agg(pl.col(f).any() for f in missing)
    batches: dict[tuple[str, ...], list[int]] = {}
    for row in patterns.iter_rows(named=True):
        batches.setdefault(tuple(f for f in missing if row[f]), []).append(row["family"])
    tagged = people.with_columns(_family=pl.Series(family))
    parts = []
    for facts, families in batches.items():
        members = tagged.filter(pl.col("_family").is_in(families)).drop("_family")
        if not facts:
            parts.append(evaluate(members, on, scenario=scenario, services=services, earliest=earliest))
            continue
        combos = prod(len(FACT_VALUES[f]) for f in facts)
        for chunk in _chunks(
            members, family_of=dict(zip(people["person_id"], family, strict=True)), size=MAX_ROWS // combos
        ):
            parts.append(_decide_by_variants(chunk, list(facts), on, scenario, services, earliest))
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


def _chunks(members: pl.DataFrame, *, family_of: dict[int, int], size: int) -> list[pl.DataFrame]:
    """The members sorted by person_id, cut into pieces of about `size` rows without splitting a family."""
    ordered = members.with_columns(_family=pl.col("person_id").replace_strict(family_of, return_dtype=pl.Int64)).sort(
        "_family", "person_id"
    )
    pieces, start, rows = [], 0, ordered.height
    labels = ordered["_family"].to_list()
    while start < rows:
        end = min(start + max(size, 1), rows)
        while end < rows and labels[end] == labels[end - 1]:
            end += 1
        pieces.append(ordered.slice(start, end - start).drop("_family").sort("person_id"))
        start = end
    return pieces


def _decide_by_variants(
    people: pl.DataFrame,
    facts: list[str],
    on: date,
    scenario: Scenario | None,
    services: list[Service] | None,
    earliest: bool,
) -> pl.DataFrame:
    """Decide every combination of the missing facts' values at once, then merge per person."""
    shape = tuple(len(FACT_VALUES[f]) for f in facts)
    result = evaluate(variants(people, facts, on), on, scenario=scenario, services=services, earliest=earliest)
    n = people.height
    out: dict[str, pl.Series] = {"person_id": people["person_id"]}
    for column in result.columns:
        if column.startswith("eligible_"):
            out |= _merge_service(result, column.removeprefix("eligible_"), facts, shape, n)
        elif column.startswith("points_") and not column.startswith(("points_low_", "points_high_")):
            out |= _merge_points(result, column.removeprefix("points_"), facts, shape, n)
    return pl.DataFrame(out).select(result.columns)


def variants(people: pl.DataFrame, facts: list[str], on: date) -> pl.DataFrame:
    """The table once per combination of the facts' values (itertools.product of FACT_VALUES, in that order), each
    copy `filled` with its combination and its person_id and parent_id moved past the previous copy's: one table
    built at once (per combination, `filled` and a concatenation cost about 1.5 ms each, and a record lacking many
    facts has thousands of combinations)."""
    combos = list(itertools.product(*(FACT_VALUES[f] for f in facts)))
    n, span = people.height, int(people["person_id"].max()) + 1  # type: ignore[arg-type]
    copy = np.repeat(np.arange(len(combos), dtype=np.int64), n)  # each row's combination
    tried: list[pl.Series] = [pl.Series("_variant", copy)]
    value: dict[str, pl.Expr] = {}
    for i, fact in enumerate(facts):
        values = [combo[i] for combo in combos]
        plain = pl.Series(f"_value_{fact}", [None if v is LIFETIME else v for v in values]).cast(people[fact].dtype)
        tried.append(plain.gather(copy))
        value[fact] = pl.col(plain.name)
        if LIFETIME in values:
            tried.append(pl.Series(f"_life_{fact}", [v is LIFETIME for v in values]).gather(copy))
            value[fact] = pl.when(pl.col(f"_life_{fact}")).then(Lifetime.months(on)).otherwise(value[fact])
    stacked = pl.concat([people] * len(combos)).hstack(tried)
    if "si_months_total" in value:  # as `filled` does
        value["si_months_total"] = pl.max_horizontal(value["si_months_total"], pl.col("si_months_local"))
    local = value.pop("si_months_local", None)
    out = stacked.with_columns(pl.col(f).fill_null(v).cast(people[f].dtype).alias(f) for f, v in value.items())
    if local is not None:
        out = out.with_columns(pl.col("si_months_local").fill_null(pl.min_horizontal(local, pl.col("si_months_total"))))
    moved = pl.col("_variant") * span
    return out.with_columns(
        (pl.col("person_id") + moved).cast(people["person_id"].dtype),
        (pl.col("parent_id") + moved).cast(people["parent_id"].dtype),
    ).select(people.columns)


def _varying(values: np.ndarray, facts: list[str], shape: tuple[int, ...], n: int) -> list[list[str]]:
    """Per person, the facts along which `values` (one row per combination) changes."""
    grid = values.reshape((*shape, n))
    changes = [
        np.any(grid.min(axis=i) != grid.max(axis=i), axis=tuple(range(len(shape) - 1))) for i in range(len(shape))
    ]
    return [[f for f, changed in zip(facts, column, strict=True) if changed] for column in np.array(changes).T]


def _names(old: pl.Series, extra: list[list[str]]) -> list[list[str] | None]:
    """Union of the names each combination gave and the facts that changed the result (None when empty)."""
    merged = []
    for given, more in zip(old.to_list(), extra, strict=True):
        names = sorted(set(more) | set(given or ()))
        merged.append(names or None)
    return merged


def _merge_service(result: pl.DataFrame, name: str, facts: list[str], shape: tuple[int, ...], n: int) -> dict:
    """eligible only when eligible under every combination; undetermined when they disagree or any is."""
    v = len(result) // n
    eligible = result[f"eligible_{name}"].to_numpy().reshape(v, n)
    unsure = result[f"undetermined_{name}"].to_numpy().reshape(v, n)
    needs = (
        result[f"needs_{name}"]
        .to_frame()
        .with_row_index()
        .group_by(pl.col("index") % n)
        .agg(pl.col(f"needs_{name}").list.explode(keep_nulls=False, empty_as_null=False).drop_nulls().unique())
        .sort("index")[f"needs_{name}"]
    )
    changed = _varying(eligible, facts, shape, n)
    undetermined = unsure.any(axis=0) | (eligible.min(axis=0) != eligible.max(axis=0))
    start = result[f"earliest_{name}"].to_physical().fill_null(-(2**31)).to_numpy().reshape(v, n)
    same_start = (start.min(axis=0) == start.max(axis=0)) & ~undetermined
    names = _names(needs, [c if u else [] for c, u in zip(changed, undetermined, strict=True)])
    return {
        f"eligible_{name}": pl.Series(f"eligible_{name}", eligible.all(axis=0) & ~undetermined),
        f"undetermined_{name}": pl.Series(f"undetermined_{name}", undetermined),
        f"needs_{name}": pl.Series(f"needs_{name}", names, dtype=result[f"needs_{name}"].dtype),
        f"earliest_{name}": _where(result[f"earliest_{name}"][:n], same_start),
    }


def _merge_points(result: pl.DataFrame, name: str, facts: list[str], shape: tuple[int, ...], n: int) -> dict:
    """The widest range over the combinations; the assessed total only where all agree, else their least."""
    v = len(result) // n
    frames = {k: result[f"{k}_{name}"].cast(pl.Float64).fill_nan(None) for k in ("points", "points_low", "points_high")}
    low = frames["points_low"].to_numpy().reshape(v, n)
    high = frames["points_high"].to_numpy().reshape(v, n)
    assessed = frames["points"].to_numpy().reshape(v, n)
    unassessed = (
        result[f"unassessed_{name}"]
        .to_frame()
        .with_row_index()
        .group_by(pl.col("index") % n)
        .agg(pl.col(f"unassessed_{name}").list.explode(keep_nulls=False, empty_as_null=False).drop_nulls().unique())
        .sort("index")[f"unassessed_{name}"]
    )
    changed = _varying(np.nan_to_num(assessed, nan=-1.0), facts, shape, n)
    return {
        f"points_{name}": _extreme(assessed, np.fmin, result[f"points_{name}"]),
        f"points_low_{name}": _extreme(low, np.fmin, result[f"points_low_{name}"]),
        f"points_high_{name}": _extreme(high, np.fmax, result[f"points_high_{name}"]),
        f"unassessed_{name}": pl.Series(
            f"unassessed_{name}", _names(unassessed, changed), dtype=result[f"unassessed_{name}"].dtype
        ),
    }


def _extreme(values: np.ndarray, pick: np.ufunc, like: pl.Series) -> pl.Series:
    """The least or greatest over the combinations, ignoring nulls (null where all are null), typed like `like`."""
    return pl.Series(like.name, pick.reduce(values, axis=0)).fill_nan(None).cast(like.dtype)


def _where(values: pl.Series, keep: np.ndarray) -> pl.Series:
    """values where keep, else null."""
    return values.zip_with(pl.Series(keep), pl.Series([None] * len(values), dtype=values.dtype))
