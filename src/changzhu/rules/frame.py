"""The person table as numpy arrays for the engine: clocks (growing month counts) and static variables."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from typing import Any

import numpy as np
import polars as pl

from changzhu.domain.person import (
    EDUCATION_LEVELS,
    HOUSING_TENURES,
    SEXES,
    TITLE_LEVELS,
    PersonTableError,
    PersonTableProblem,
    region_place,
)
from changzhu.domain.refusals import RefusalCode, refusal
from changzhu.rules.arrays import small_pages_full
from changzhu.rules.catalog import PolicySet, RegionLookup
from changzhu.rules.dated_lists import MATRIX, WITHIN, count_within, dates_matrix
from changzhu.rules.dates import (
    DAY_D0,
    DAY_YM,
    LUT_LO,
    NEVER,
    YM_LEN,
    YM_LO,
    YM_START,
    civil,
    month_length,
    months_until,
    to_days,
)
from changzhu.rules.parents import NO_PARENT, lives_here, same_region, with_unlinked
from changzhu.rules.rows import is_everyone
from changzhu.rules.variables import CITY_SIZE_ORDER, VariableSpec

# a clock's months on a day are read by a kernel (clock_kernels.months_on) from this many rows on: below it, loading
# the cached kernel costs more than the NumPy passes it saves (as changzhu.rules.engine.COMPILED_MIN_ROWS)
CLOCK_KERNEL_MIN_ROWS = 200_000


@dataclass
class Clock:
    """A month count: `before` until day `base`, then const + (whole months since base if it grows)."""

    base: np.ndarray
    const: np.ndarray
    grows: np.ndarray
    before: np.ndarray
    _civil: tuple[np.ndarray, np.ndarray] | None = None
    _now: tuple[int, np.ndarray] | None = None

    def civil_base(self) -> tuple[np.ndarray, np.ndarray]:
        """(year*12 + month-1, day of month - 1) of the base dates, computed once."""
        if self._civil is None:
            if self.base.strides == (0,) and self.base.size:  # one date for everyone: convert it once
                ym, day0 = civil(np.where(self.base[:1] < NEVER, self.base[:1], 0))
                self._civil = (np.broadcast_to(ym[0], self.base.shape), np.broadcast_to(day0[0], self.base.shape))
            else:
                self._civil = civil(np.where(self.base < NEVER, self.base, 0))
        return self._civil

    def take(self, rows: np.ndarray) -> Clock:
        """The clock of some rows (civil dates and today's value carried over, not recomputed)."""
        ym, day0 = self.civil_base()
        now = (self._now[0], self._now[1][rows]) if self._now is not None else None
        base, const, grows, before = (_take(a, rows) for a in (self.base, self.const, self.grows, self.before))
        return Clock(base, const, grows, before, (_take(ym, rows), _take(day0, rows)), now)

    def at_rows(self, rows: np.ndarray, days: np.ndarray) -> np.ndarray:
        """Value of some rows, each on its own day (gathers only what that needs)."""
        ym, day0 = self.civil_base()
        base, const, grows, before = (_take(a, rows) for a in (self.base, self.const, self.grows, self.before))
        return Clock(base, const, grows, before, (_take(ym, rows), _take(day0, rows))).at(days)

    def now(self, on: int) -> np.ndarray:
        """Value on the day `on` for every row (computed once per day)."""
        if self._now is None or self._now[0] != on:
            self._now = (on, self._at_day(on))
        return self._now[1]

    def _at_day(self, on: int) -> np.ndarray:
        if _uniform(self.base) and int(self.base[0]) == on:  # counts as of today (months insured): their value
            return self.const
        table = months_until(on)
        const, before = self.const, self.before
        if table.size and const.dtype == before.dtype == table.dtype and self.base.shape[0] >= CLOCK_KERNEL_MIN_ROWS:
            from changzhu.rules.clock_kernels import months_on  # numba, loaded where a clock is read on many rows

            # one pass writing one array (each base day's months until `on` from the table, the constant added,
            # `before` until the base day), not a gather, a product, a sum and a masked copy over every row
            out = np.empty(self.base.shape[0], dtype=np.int32)
            if months_on(self.base, const, self.grows, before, int(on), table, LUT_LO, out):
                return out
        if table.size == 0 or (self.base.size and int(self.base.min()) < LUT_LO):
            return self.at(np.full(self.base.shape, on, dtype=np.int64))
        # one array written, then changed in place: each base day's months until `on` (a later day, or NEVER, clipped
        # to the table's last: replaced by `before` below), none where the clock does not grow, plus the constant
        at = self.base - LUT_LO
        np.clip(at, 0, table.size - 1, out=at)
        months = table[at]
        if not (_uniform(self.grows) and bool(self.grows[0])):
            months *= self.grows
        if not const.dtype == before.dtype == months.dtype:
            return np.where(self.base <= on, const + months, before)
        if not (_uniform(const) and int(const[0]) == 0):
            months += const
        np.copyto(months, before, where=self.base > on)
        return months

    def at(self, days: np.ndarray | int) -> np.ndarray:
        """Value on each day (a scalar day or one per row)."""
        if np.ndim(days) == 0:
            return self.now(int(days))
        d = np.asarray(days, dtype=np.int64)
        started = (self.base < NEVER) & (d >= self.base)
        bym, bday = self.civil_base()
        eym, eday = civil(d)
        months = eym - bym - (np.minimum(bday, month_length(eym) - 1) > eday)
        grown = np.where(self.grows & started, months, 0)
        return np.where(started, self.const + grown, self.before)

    def reach(self, threshold: float | np.ndarray, on: int, rows: np.ndarray | None = None) -> np.ndarray:
        """First day (>= on) the value is at least `threshold` (one, or one per row asked); NEVER if it never gets
        there. rows: the rows asked (None: every row), read in place rather than gathered."""
        from changzhu.rules.clock_kernels import reach  # numba, loaded when an earliest date is searched

        m = self.base.shape[0] if rows is None else rows.shape[0]
        wanted = np.zeros(0, dtype=np.int64) if rows is None else np.asarray(rows, dtype=np.int64)
        line = np.broadcast_to(np.asarray(threshold, dtype=np.float64), (m,))
        out = np.empty(m, dtype=np.int32)  # days fit (NEVER is int32's largest): half the memory of int64
        reach(
            wanted,
            rows is None,
            self.base,
            self.const,
            self.grows,
            self.before,
            line,
            on,
            int(NEVER),
            YM_LO,
            YM_START,
            YM_LEN,
            LUT_LO,
            DAY_YM,
            DAY_D0,
            out,
        )
        return out


def _uniform(values: np.ndarray) -> bool:
    """A broadcast view: one value for every row."""
    return values.ndim == 1 and values.strides == (0,) and values.size > 0


def _take(values: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """values[rows], kept a broadcast view (no memory per row) when every row holds the same value."""
    if _uniform(values):
        return np.broadcast_to(values[0], rows.shape)
    return values[rows]


class _Lazy(dict[str, np.ndarray | Clock]):
    """A mapping whose values are built on first use (only the variables a rule uses are ever built)."""

    def __init__(self, build: Callable[[str], Any]) -> None:
        super().__init__()
        self._build = build

    def __missing__(self, key: str) -> Any:
        value = self._build(key)
        self[key] = value
        return value


class Frame:
    """The validated person table as arrays for the engine, each built the first time a rule needs it.

    clocks: growing month counts (Clock); statics: bool, category codes, numbers; parent_idx: row of each
    person's parent (-1 none here, -2 unknown: rules.parents); recognition: coefficient, agreement index and
    recognised prior months per row.

    Built from a validated person table (changzhu.domain.person.validate_person_table); `places`: each row's region
    indices if validation found them (validate_placing_regions); `codes`: the category columns' codes (int8, -1 for
    null) read from their text where validation left them as text (evaluate._given_codes).
    """

    def __init__(
        self,
        people: pl.DataFrame,
        on: date,
        policies: PolicySet,
        regions: RegionLookup,
        places: pl.DataFrame | None = None,
        codes: dict[str, np.ndarray] | None = None,
    ) -> None:
        self.people = people
        self.n = people.height
        self.on = to_days(on)
        self.on_date = on
        self.policies = policies
        self.variables: dict[str, VariableSpec] = policies.variables
        self.regions = regions
        # where one lives, the hukou place, the prior place: as validation found them (places), else in one pass
        columns = ("residence_region", "hukou_region", "prior_region")
        found: list[np.ndarray] = (
            _region_indices(people, columns, regions) if places is None else [places[c].to_numpy() for c in columns]
        )
        self.region_idx, self.hukou_idx, self._prior_idx = found
        self.clocks: dict[str, Clock] = _Lazy(self._clock)  # type: ignore[assignment]
        self.statics: dict[str, np.ndarray] = _Lazy(self._static)  # type: ignore[assignment]
        for name, read in (codes or {}).items():  # category codes as validation's caller read them (text_codes)
            if name in _CATEGORIES and not self._declared(name):
                self.statics[name] = read
        self._parent: np.ndarray | None = None
        self._recognition: dict[str, np.ndarray] | None = None
        self._counts: dict[str, np.ndarray] = {}  # months columns as clocks read them, read by prefetch
        self._blanks: dict[tuple[str, bytes, tuple[int, ...]], np.ndarray] = {}  # see _blank

    @cached_property
    def person_id(self) -> np.ndarray:
        """Each row's person_id (read when first asked: preparing the rules' inputs does not)."""
        return self.people["person_id"].to_numpy()

    def subset(self, index: np.ndarray) -> Frame:
        """The frame of some rows (parents are found among them): an array already built here is taken for those
        rows when first read, not derived again (permit months excepted: the interval evaluator sets them from the
        permit decision); a column whose array is built is not gathered."""
        needed = [c for c in self.people.columns if not self._built(c)]
        sub = Frame(self.people[needed][index], self.on_date, self.policies, self.regions)
        statics, clocks = dict(self.statics), {k: v for k, v in self.clocks.items() if k != "permit"}

        def static(name: str) -> np.ndarray:
            return _take(statics[name], index) if name in statics else sub._static(name)

        def clock(name: str) -> Clock:
            return clocks[name].take(index) if name in clocks else sub._clock(name)

        sub.statics, sub.clocks = _Lazy(static), _Lazy(clock)  # type: ignore[assignment]
        return sub

    def _built(self, column: str) -> bool:
        """Whether every array read from the column is built (a dates input's matrix is read from it: its count of
        dates, which prefetch builds alone, is not all)."""
        if column in self.clocks:
            return True
        spec = self.variables.get(column)
        dates = spec is not None and spec.declared and spec.kind == "dates"
        return column in self.statics and (not dates or column + MATRIX in self.statics)

    # ---- helpers ---------------------------------------------------------------------------------------
    def _count(self, col: str) -> np.ndarray:
        """A column of months as int32, -1 where null: as prefetch read it, else read now."""
        found = self._counts.get(col)
        if found is None:
            found = self._read(col, pl.col(col).cast(pl.Int32).fill_null(-1), np.int32)
        return found

    def _days(self, col: str) -> np.ndarray:
        return self._read(col, pl.col(col).to_physical().fill_null(int(NEVER)).cast(pl.Int32), np.int32)

    def _read(self, column: str, expr: pl.Expr, dtype: type) -> np.ndarray:
        """The array `expr` gives from one column of the table (of type `dtype`): one shared array where the column
        holds no value (_blank), else from the one column, not the whole table (a select on the table costs ~15 ms
        at 1M rows (69 columns, 10 chunks) against ~1 ms on its column, and a chain reads some 30 of them)."""
        blank = self._blank(column, expr, dtype)
        if blank is not None:
            return blank
        return _array(self.people[column].to_frame().select(expr).to_series(), dtype)

    def _no_value(self, column: str) -> bool:
        """Whether the table's column holds no value on any row (all null: e.g. a declared input it does not give)."""
        return self.n > 0 and column in self.people.columns and self.people[column].null_count() == self.n

    def _blank(self, column: str, expr: pl.Expr, dtype: type) -> np.ndarray | None:
        """Where the column holds no value (_no_value), the array `expr` gives from it: every row the value `expr`
        gives for a null, as one read-only array per value, type and shape shared by every such column of the frame
        (a table giving few of the declared inputs reads each of the others as one array, not one per input,
        written once). None where the column holds a value."""
        if not self._no_value(column):
            return None
        return self._blank_reads({column: (column, expr, dtype)})[column]

    def _blank_reads(self, reads: dict[str, tuple[str, pl.Expr, type]]) -> dict[str, np.ndarray]:
        """_blank's arrays for many reads at once (key: the column holding no value, the expression, the array's
        type), from one select on a row of those columns' nulls: a select costs ~0.3 ms however small, and a table
        giving few of the declared inputs has dozens of such reads."""
        if not reads:
            return {}
        columns = dict.fromkeys(column for column, _, _ in reads.values())
        nulls = pl.DataFrame([pl.Series(column, [None], dtype=self.people[column].dtype) for column in columns])
        got = nulls.select(expr.alias(key) for key, (_, expr, _) in reads.items())
        return {
            key: self._constant(_array(got.get_column(key), dtype), (self.n,)) for key, (_, _, dtype) in reads.items()
        }

    def _constant(self, one: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
        """A read-only array of `shape` holding `one`'s only value, one per value, type and shape in the frame."""
        key = (one.dtype.str, one.tobytes(), shape)
        made = self._blanks.get(key)
        if made is None:
            made = small_pages_full(shape, one[0], one.dtype.type)
            made.flags.writeable = False
            self._blanks[key] = made
        return made

    def _scalar(self, value: int) -> np.ndarray:
        """A read-only broadcast view (no memory per row) of one value."""
        return np.broadcast_to(np.int32(value), (self.n,))

    def _clock(self, name: str) -> Clock:
        minus_one = self._scalar(-1)
        if name in DATE_CLOCKS:
            column = DATE_CLOCKS[name]
            const = self.recognition["prior_residence"] if name == "residence_recognised" else self._scalar(0)
            return Clock(self._days(column), const, np.broadcast_to(True, (self.n,)), minus_one)
        spec = self.variables.get(name)
        if spec is not None and spec.declared:
            return self._declared_clock(spec)
        count_column = COUNT_CLOCKS.get(name)
        if count_column is None:
            raise KeyError(name)
        const = self._count(count_column)
        prior = self.recognition["prior_si"] if name == "si_recognised" else self._scalar(0)
        if not (_uniform(prior) and prior[0] == 0):  # months recognised for someone
            const = const + prior
        return Clock(self._scalar(self.on), const, self.statics["employed"], minus_one)

    def _declared_clock(self, spec: VariableSpec) -> Clock:
        """A declared months input: its count on the evaluation date (-1 where unknown), growing one a month while
        it is above 0 (while_positive), while a core bool variable holds, or not at all (never)."""
        count = self._count(spec.name)
        if spec.grows == "never":
            grows = np.broadcast_to(False, (self.n,))
        elif self._no_value(spec.name):  # unknown everywhere: never grows (the array its rule reads, shared)
            grows = self._constant(np.zeros(1, dtype=bool), (self.n,))
        elif spec.grows == "while_positive":
            grows = count > 0
        else:
            grows = (self.statics[spec.grows] > 0) & (count >= 0)  # (an unknown parent_same_region: -1)
        return Clock(self._scalar(self.on), count, grows, self._scalar(-1))

    def clock_known(self, name: str, rows: np.ndarray) -> np.ndarray | None:
        """Where a clock's count is known on the rows (in their order; None: everywhere): a declared months input may
        be null. Judged on the rows asked only (the walk naming needs_ asks on few rows, often)."""
        spec = self.variables.get(name)
        if spec is None or not spec.declared:
            return None
        count = self.clocks[name].const
        return (count if is_everyone(rows) else _take(count, rows)) >= 0

    def prefetch(self, names: Iterable[str], clocks: Iterable[str] = ()) -> None:
        """Build in one parallel polars pass, rather than one after another on this thread: the statics among `names`
        that are one column each (flags, numbers, category codes, declared inputs, a dates input's count of dates and
        of those counting on the date), the clocks among `clocks` that count whole months from a date (their days
        and their value on the date) and the months columns the others among `clocks` count from (the clocks then
        built on first use, as every other static)."""
        clocks = list(dict.fromkeys(clocks))  # (read twice)
        names = [name for name in dict.fromkeys(names) if name not in self.statics]
        self._prefetch_blanks(names, clocks)
        wanted = {name: self._pass(name) for name in names if name not in self.statics}
        exprs = {name: found for name, found in wanted.items() if found is not None}
        statics = list(exprs)
        dated = [
            name
            for name in clocks
            if name in DATE_CLOCKS and name not in self.clocks and DATE_CLOCKS[name] in self.people.columns
        ]
        table = months_until(self.on)  # as Clock.now reads it: whole months from each day to the date
        for column in dict.fromkeys(DATE_CLOCKS[name] for name in dated if table.size):
            days = pl.col(column).to_physical().fill_null(int(NEVER)).cast(pl.Int32)
            at = (days.clip(LUT_LO, LUT_LO + table.size - 1) - LUT_LO).cast(pl.UInt32)  # 32 bits throughout
            months = pl.lit(pl.Series(table)).gather(at)
            exprs[f"{column} days"] = days, np.int32
            exprs[f"{column} months"] = pl.when(days <= self.on).then(months).otherwise(-1).cast(pl.Int32), np.int32
        counted = [column for column in dict.fromkeys(self._counted(name) for name in clocks) if column is not None]
        for column in counted:
            exprs[f"{column} count"] = pl.col(column).cast(pl.Int32).fill_null(-1), np.int32
        if len(exprs) < 2:
            return
        # rechunked in the pool's threads: to_numpy of a column in many chunks would copy it on this thread
        got = self.people.lazy().select(expr.alias(name) for name, (expr, _) in exprs.items()).collect().rechunk()
        arrays: dict[str, np.ndarray] = {
            name: _array(got.get_column(name), dtype) for name, (_, dtype) in exprs.items()
        }
        for name in statics:
            self.statics[name] = arrays[name]
        for column in counted:
            self._counts[column] = arrays[f"{column} count"]
        for name in dated:
            base = arrays.get(f"{DATE_CLOCKS[name]} days")
            if base is not None and (not base.size or int(base.min()) >= LUT_LO):  # else Clock.now counts them
                self.clocks[name] = self._date_clock(name, base, arrays[f"{DATE_CLOCKS[name]} months"])

    def prefetch_blanks(self, names: Iterable[str]) -> None:
        """Of the variables `names` (statics and clocks), those read from a column holding no value, built in one
        select (_prefetch_blanks) rather than one select each on first use: a table giving few of the declared inputs
        has dozens, each ≈0.5 ms. The rest are built on first use, as always."""
        known = [name for name in dict.fromkeys(names) if name in self.variables]
        clocks = [name for name in known if self.variables[name].kind == "clock" and name not in self.clocks]
        statics = [name for name in known if self.variables[name].kind != "clock" and name not in self.statics]
        self._prefetch_blanks(statics, clocks)

    def _prefetch_blanks(self, names: list[str], clocks: list[str]) -> None:
        """Of what prefetch builds, the statics read from one column holding no value, and the months columns with
        no value that clocks count from, in one select (_blank_reads)."""
        reads: dict[str, tuple[str, pl.Expr, type]] = {}
        for name in names:
            base, _, months = name.partition(WITHIN)
            if not self._no_value(base):
                continue
            column = (within_on(pl.col(base), int(months), self.on_date), np.int32) if months else self._column(name)
            if column is not None:
                reads[name] = (base, *column)
        counts = [column for column in dict.fromkeys(self._count_column(clock) for clock in clocks) if column]
        reads |= {
            f"{c} count": (c, pl.col(c).cast(pl.Int32).fill_null(-1), np.int32) for c in counts if self._no_value(c)
        }
        for key, array in self._blank_reads(reads).items():
            if key.endswith(" count"):
                self._counts[key.removesuffix(" count")] = array
            else:
                self.statics[key] = array

    def _counted(self, clock: str) -> str | None:
        """The months column a clock not yet built counts from (a count clock's, a declared months input), if the
        table has it with a value."""
        column = self._count_column(clock)
        return column if column is not None and not self._no_value(column) else None

    def _count_column(self, clock: str) -> str | None:
        """The months column of the table a clock not yet built counts from (a count clock's, a declared months
        input), if not read yet."""
        if clock in self.clocks or clock in DATE_CLOCKS:
            return None
        spec = self.variables.get(clock)
        column = clock if spec is not None and spec.declared else COUNT_CLOCKS.get(clock)
        return column if column in self.people.columns and column not in self._counts else None

    def _pass(self, name: str) -> tuple[pl.Expr, type] | None:
        """A static prefetch builds: one column (_column), or a dates input's count of dates (-1: unknown) or of
        those counting on the date (as the padded matrix gives them: dated_lists.dates_matrix, count_within). None
        for a column holding no value: its array is shared, built on first use (_blank)."""
        if self._no_value(name.split(WITHIN)[0]):
            return None
        if WITHIN in name:  # (a subset's table may lack the column: its matrix is then taken from the whole frame)
            base, months = name.split(WITHIN)
            found = within_on(pl.col(base), int(months), self.on_date)
            return (found, np.int32) if base in self.people.columns else None
        spec = self.variables.get(name)
        if spec is not None and spec.declared and spec.kind == "dates":
            found = pl.col(name).cast(pl.List(pl.Date)).list.len().fill_null(-1).cast(pl.Int32)
            return (found, np.int32) if name in self.people.columns else None
        return self._column(name)

    def _date_clock(self, name: str, days: np.ndarray, months: np.ndarray) -> Clock:
        """A clock counting whole months from a date (DATE_CLOCKS) with its value on the date (`months`: as
        Clock.now gives it, -1 where the date is unknown or later)."""
        grows, minus_one = np.broadcast_to(True, (self.n,)), self._scalar(-1)
        if name != "residence_recognised":
            return Clock(days, self._scalar(0), grows, minus_one, _now=(self.on, months))
        prior = self.recognition["prior_residence"]
        now = np.where(months >= 0, prior + months, minus_one) if prior.any() else months
        return Clock(days, prior, grows, minus_one, _now=(self.on, now))

    def _declared(self, name: str) -> bool:
        """Whether the name is an input the policies declare (not one of the schema's columns)."""
        spec = self.variables.get(name)
        return spec is not None and spec.declared

    def _column(self, name: str) -> tuple[pl.Expr, type] | None:
        """A static that is one column of the table: the expression giving it, and its array's type (None if it is
        not one)."""
        spec = self.variables.get(name)
        if spec is not None and spec.declared:
            return None if spec.kind == "dates" else declared_expr(pl.col(name), spec)
        if name in ("employed", "criminal_record"):
            return pl.col(name), np.bool_
        if name in _NUMBERS:  # null (unknown): NaN
            return _NUMBERS[name]
        if name in _CATEGORIES:
            return _codes(pl.col(name), _CATEGORIES[name]), np.int8
        return None

    def _static(self, name: str) -> np.ndarray:
        regions = self.regions
        if WITHIN in name:  # how many dates count on the date, for the kernels
            base, months = name.split(WITHIN)
            blank = self._blank(base, within_on(pl.col(base), int(months), self.on_date), np.int32)
            return blank if blank is not None else count_within(self.statics[base + MATRIX], int(months), self.on)
        if name.endswith(MATRIX):
            return self._dated_list(name)
        if name in _NUMBERS and (self.people[name].dtype.is_integer() or self.people[name].dtype.is_float()):
            blank = self._blank(name, *_NUMBERS[name])
            # a number column's values as float64, NaN where null, in one conversion of the column, rather than a
            # cast, a fill and a copy out of its chunks (the same values: polars gives NaN for a null there)
            return blank if blank is not None else self.people[name].to_numpy().astype(np.float64, copy=False)
        column = self._column(name)
        if column is not None:
            return self._read(name, *column)
        spec = self.variables.get(name)
        if spec is not None and spec.declared:  # a dates input
            return self._dated_list(name)
        res = self.region_idx
        if name == "city_size_class":  # one gather of int8 from a table whose last entry, read by index -1, is -1
            return np.append(regions.size_class, np.int8(-1)).astype(np.int8, copy=False)[res]
        if name == "hukou_local":
            return self.hukou_idx == res
        if name == "hukou_other_province":  # province numbers are two digits: gathered as int8, 1 byte a row
            province = regions.province.astype(np.int8)
            return province[res] != province[self.hukou_idx]
        if name == "parent_same_region":
            return same_region(self.parent_idx, res, self.parent_lives_here)
        raise KeyError(name)

    def _dated_list(self, name: str) -> np.ndarray:
        """A dates input: under its name the number of dates listed (-1: unknown), under name + MATRIX the dates
        padded with NEVER."""
        base = name.removesuffix(MATRIX)
        lengths = self._blank(
            base, pl.col(base).cast(pl.List(pl.Date)).list.len().fill_null(-1).cast(pl.Int32), np.int32
        )
        if lengths is None:
            matrix, lengths = dates_matrix(self.people[base])
        else:  # no list given: a column of NEVER, as dates_matrix pads an unknown list
            matrix = self._constant(np.array([NEVER], dtype=np.int32), (self.n, 1))
        self.statics[base + MATRIX] = matrix
        self.statics[base] = lengths
        return matrix if name.endswith(MATRIX) else lengths

    @cached_property
    def parent_lives_here(self) -> np.ndarray:
        """parent_lives_here as int8 (rules.parents.lives_here), read once for parent_idx and parent_same_region."""
        return lives_here(self.people)

    @property
    def parent_idx(self) -> np.ndarray:
        """Row of each person's parent in the table; NO_PARENT (-1) or UNLINKED (-2, unknown) when none is in it."""
        if self._parent is None:
            self._parent = _parent_index(self.people, self.parent_lives_here)
        return self._parent

    @property
    def recognition(self) -> dict[str, np.ndarray]:
        """Coefficient, agreement index and recognised prior residence / insurance months per row (互认)."""
        if self._recognition is None:
            people = self.people
            coef, agreement = recognition_coefficients(
                self.region_idx, self._prior_idx, self.on_date, self.policies, self.regions
            )
            recognises = [(a.recognises, i) for i, a in enumerate(self.policies.agreements)]
            rows = np.flatnonzero(agreement >= 0)  # months are recognised only under an agreement: 0 elsewhere
            prior_res, prior_si = self._scalar(0), self._scalar(0)  # none recognised: one 0 for every row
            if rows.size:
                prior_res, prior_si = np.zeros(self.n, dtype=np.int32), np.zeros(self.n, dtype=np.int32)
                which, part = agreement[rows], coef[rows]
                for out, kind, column in ((prior_res, "residence", "prior_residence_months"),
                                          (prior_si, "social_insurance", "prior_si_months")):  # fmt: skip
                    ok = np.isin(which, [i for r, i in recognises if kind in r])
                    out[rows] = np.floor(np.where(ok, part, 0.0) * _gathered(people[column], rows)).astype(np.int32)
            self._recognition = {
                "coefficient": coef,
                "agreement": agreement,
                "prior_residence": prior_res,
                "prior_si": prior_si,
            }
        return self._recognition


# the schema's number columns (null: unknown), as rules read them: float64, NaN where null
_NUMBERS = {
    name: (pl.col(name).cast(pl.Float64).fill_null(float("nan")), np.float64)
    for name in ("income_per_capita_month", "si_base_ratio", "admin_detentions")
}
_CATEGORIES = {
    "sex": SEXES,
    "education": EDUCATION_LEVELS,
    "housing": HOUSING_TENURES,
    "professional_title": TITLE_LEVELS,
}


# the clocks adding a month a month (while employed) to a count of months in the table, by that column
COUNT_CLOCKS = {
    "si_local": "si_months_local",
    "si_total": "si_months_total",
    "si_recognised": "si_months_local",
    "medical_local": "medical_months_local",
}
# the clocks counting whole months from a date in the table (from 0, one a month, -1 before it), by that column
DATE_CLOCKS = {
    "age": "birth_date",
    "residence": "residence_since",
    "residence_recognised": "residence_since",
    "permit": "residence_permit_since",
}


def within_on(column: pl.Expr, months: int, on: date) -> pl.Expr:
    """How many dates of a dates input count on `on` (each from its day until `months` later, the day clipped as
    dates.add_months clips it), 0 where the list is unknown: count_within of the padded matrix."""
    day = pl.element()
    counting = (day <= pl.lit(on)) & (day.dt.offset_by(f"{months}mo") > pl.lit(on))
    return column.cast(pl.List(pl.Date)).list.eval(counting).list.sum().fill_null(0).cast(pl.Int32)


def declared_expr(column: pl.Expr, spec: VariableSpec) -> tuple[pl.Expr, type]:
    """A declared input's column as the array rules read (the expression and the array's type); null (unknown) is
    NaN (numbers), -1 (bool as int8, category code, set of codes as an int64 bit mask) or NEVER (dates)."""
    if spec.kind == "number":
        return column.cast(pl.Float64).fill_null(float("nan")), np.float64
    if spec.kind == "bool":
        return column.cast(pl.Int8).fill_null(-1), np.int8
    if spec.kind == "date":
        return column.cast(pl.Date).to_physical().fill_null(int(NEVER)), np.int32
    if spec.kind == "category":
        return _codes(column, list(spec.categories)), np.int8
    bits = {code: 1 << i for i, code in enumerate(spec.categories)}
    as_bits = pl.element().replace_strict(bits, default=0, return_dtype=pl.Int64)
    masks = column.cast(pl.List(pl.String)).list.eval(as_bits).list.unique().list.sum()
    return masks.fill_null(-1), np.int64


def static_dtype(name: str, frame: Frame | None) -> type:
    """The array type of a static variable in kernels (a dates input: its counts int32)."""
    if WITHIN in name:
        return np.int32
    variables = frame.variables if frame is not None else {}
    spec = variables.get(name)
    if spec is None:
        from changzhu.rules.variables import VARIABLES

        spec = VARIABLES[name]
    if spec.declared:
        kinds = {"bool": np.int8, "category": np.int8, "number": np.float64, "date": np.int32, "dates": np.int32}
        return kinds.get(spec.kind, np.int64)  # set: a bit mask
    if spec.kind == "bool" and spec.nullable:  # parent_same_region: -1 unknown
        return np.int8
    return {"bool": np.bool_, "category": np.int8, "number": np.float64}[spec.kind]


def _codes(column: pl.Expr, categories: list[str]) -> pl.Expr:
    """Category codes; null (unknown, in an optional column) is -1. Up to 127 categories, as the Enum's physical
    UInt8 with 255 for null, which _array sees as int8 without a copy (a cast to Int8 in polars copies the column)."""
    codes = column.cast(pl.Enum(categories)).to_physical()
    return codes.fill_null(255) if len(categories) <= INT8_MAX else codes.cast(pl.Int8).fill_null(-1)


INT8_MAX = 127


def _gathered(column: pl.Series, rows: np.ndarray) -> np.ndarray:
    """The column's values at the rows (float64 NaN where null, as to_numpy gives them), gathered by polars: not the
    whole column copied out of its chunks first (8 bytes a row) to read some rows of it."""
    return column.gather(rows).to_numpy()


def _array(column: pl.Series, dtype: type) -> np.ndarray:
    """A column as the array rules read: category codes (UInt8, _codes) seen as int8 without a copy, else cast to
    `dtype` (no copy when it is of that type)."""
    values = column.to_numpy()
    if values.dtype == np.uint8 and dtype is np.int8:
        return values.view(np.int8)
    return values.astype(dtype, copy=False)


def _region_indices(people: pl.DataFrame, columns: tuple[str, ...], regions: RegionLookup) -> list[np.ndarray]:
    """Per column, the dense index of each prefecture code (-1 for null, unknown or malformed: region_place); the
    columns in parallel, in polars' threads rather than on this one."""
    found = people.lazy().select(region_place(name, regions.codes).fill_null(-1) for name in columns).collect()
    return [found.get_column(name).to_numpy() for name in columns]


def _parent_index(people: pl.DataFrame, says: np.ndarray) -> np.ndarray:
    """Row of each person's parent in the table; NO_PARENT (-1) or UNLINKED (-2, unknown: `says`, lives_here) when
    none is in it."""
    parent = people["parent_id"]
    n = people.height
    if parent.null_count() == n:
        return with_unlinked(np.full(n, NO_PARENT, dtype=np.int32), says)
    ids = people["person_id"]
    # (read from the columns alone: a select on the whole table copies each of its columns into one chunk) person_id
    # repeats no id (validated): sorted from 0 to n-1, each row's id is its row. is_sorted reads the column in place,
    # where copying it out and a difference of every row wrote ≈17 MB at 1M rows (docs/performance-history.md)
    if n and ids[0] == 0 and ids[-1] == n - 1 and ids.is_sorted():
        parent_id = pl.col("parent_id")  # a row's id is its row: a parent's row is its id, where it is one
        found = pl.when(parent_id.is_between(0, n - 1)).then(parent_id).otherwise(-1).cast(pl.Int32)
        parent_rows = _array(parent.to_frame().select(found).to_series(), np.int32)
    else:
        wanted = parent.fill_null(-(2**62)).to_numpy()
        every_id = ids.to_numpy()
        order = np.argsort(every_id, kind="stable")
        sorted_ids = every_id[order]
        pos = np.clip(np.searchsorted(sorted_ids, wanted), 0, n - 1)
        found = sorted_ids[pos] == wanted
        parent_rows = np.where(found, order[pos], -1).astype(np.int32)
    _refuse_parent_cycles(parent_rows)
    return with_unlinked(parent_rows, says)


def _refuse_parent_cycles(parent_rows: np.ndarray) -> None:
    """PersonTableError naming the rows whose parents, followed up, never end (someone their own ancestor): the
    rules read a parent's decisions, which such a table cannot order. Pointer doubling: after k rounds each row holds
    its 2**k-th ancestor; a table without cycles runs out of ancestors within a few rounds. Each round reads only the
    rows that still have one (those with a parent, then fewer)."""
    live = np.flatnonzero(parent_rows >= 0)
    ancestor = parent_rows.copy() if live.size else parent_rows  # -1 wherever a row has no 2**k-th ancestor
    steps = 1
    while steps < parent_rows.size and live.size:
        ancestor[live] = ancestor[ancestor[live]]  # (read whole before written: every row's from the last round)
        live = live[ancestor[live] >= 0]
        steps *= 2
    if live.size:
        problem = PersonTableProblem("parent_id", tuple(int(r) for r in live), refusal(RefusalCode.PARENT_CYCLE))
        raise PersonTableError([problem])


def recognition_coefficients(
    res_idx: np.ndarray, prior_idx: np.ndarray, on: date, policies: PolicySet, regions: RegionLookup
) -> tuple[np.ndarray, np.ndarray]:
    """Per row: the coefficient applied to prior months (0 without an agreement) and the agreement's index."""
    coef = np.zeros(res_idx.shape, dtype=np.float64)
    which = np.full(res_idx.shape, -1, dtype=np.int8)
    rows = np.flatnonzero((prior_idx >= 0) & (res_idx >= 0) & (prior_idx != res_idx))  # a prior place elsewhere
    if not rows.size:
        return coef, which
    res, prior = res_idx[rows], prior_idx[rows]
    left = np.ones(rows.shape, dtype=bool)  # under no agreement yet (the first that applies is the row's)
    size = regions.size_class
    n_sizes = int(size.max()) + 1
    for a_index, agreement in enumerate(policies.agreements):
        if agreement.since > on:
            continue
        member = np.array([agreement.agglomeration in aggs for aggs in regions.agglomerations], dtype=bool)
        matrix = np.zeros((n_sizes, n_sizes), dtype=np.float64)
        for (prior_class, current_class), value in agreement.coefficients.items():
            matrix[CITY_SIZE_ORDER.index(prior_class), CITY_SIZE_ORDER.index(current_class)] = value
        under = left & member[res] & member[prior]
        if under.any():
            ps = size[prior[under]]
            cs = size[res[under]]
            coef[rows[under]] = np.where((ps >= 0) & (cs >= 0), matrix[ps, cs], 0.0)
            which[rows[under]] = a_index
            left &= ~under
    return coef, which
