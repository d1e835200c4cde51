"""Points indicators (积分指标): one class per kind, each the single definition of its meaning.

An indicator gives, per person, the range [low, high] of its points: one number (low == high) when every input
it reads is known, else the lowest and highest points it could give (it is "unassessed"). Each kind defines its
points for the interval engine (`base`, NumPy over rows, on one day or a day per row), for the code generator
(`emit_base`, kernel expressions on the date) and its range when its input is unknown (`unknown_range`). The
common fields — multiplier, cap, only_if / within — are applied the same way for every kind (`Indicator.score`,
`Indicator.emit`), in that order.
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

import numpy as np

from changzhu.rules.arrays import fold
from changzhu.rules.dated_lists import change_days, count_on, emit_count, expiries, of_rows
from changzhu.rules.rows import take

if TYPE_CHECKING:
    from datetime import date

    from changzhu.rules.conditions import Condition, Label
    from changzhu.rules.protocols import EngineView as Engine
    from changzhu.rules.protocols import PolicyView as ResolvedPolicy
    from changzhu.rules.protocols import WriterView as Writer
    from changzhu.rules.variables import VariableSpec

INF = math.inf


@dataclass(frozen=True)
class ParamRef:
    """A number of an indicator given as a parameter (dated, sourced, overridable by a scenario)."""

    key: str


Num = float | ParamRef


def num(x: Num, policy: ResolvedPolicy, on: date) -> float:
    """The number, or the parameter's value in force on the date."""
    if isinstance(x, ParamRef):
        return float(policy.value(x.key, on)[1].value)
    return float(x)


@dataclass(frozen=True)
class Multiplier:
    """Points × a factor chosen by a category variable (district, county); `default` for codes not listed."""

    variable: VariableSpec
    values: tuple[tuple[str, Num], ...]
    default: Num

    def table(self, policy: ResolvedPolicy, on: date) -> list[float]:
        """The factor of each category code."""
        given = {code: num(v, policy, on) for code, v in self.values}
        fallback = num(self.default, policy, on)
        return [given.get(c, fallback) for c in self.variable.categories]


@dataclass(frozen=True)
class Rate:
    """Units beyond `start` (up to the next rate's start) count `points` each."""

    start: int
    points: Num


@dataclass(frozen=True)
class Indicator(ABC):
    """One indicator of a points scheme, with the fields every kind shares."""

    name: str
    label: Label
    source: str | None
    cap: Num | None
    only_if: Condition | None
    multiplier: Multiplier | None
    kind: str

    # ---- what a kind defines ----------------------------------------------------------------------------
    def parts(self) -> tuple[Indicator, ...]:
        return ()

    def variables(self) -> tuple[VariableSpec, ...]:
        """The variables the kind itself scores."""
        return ()

    @abstractmethod
    def base(
        self, ev: Engine, policy: ResolvedPolicy, rows: np.ndarray, days: np.ndarray | int
    ) -> tuple[np.ndarray, np.ndarray]:
        """(low, high) points of the kind for the rows on the days, before multiplier, cap and conditions."""

    @abstractmethod
    def emit_base(self, w: Writer, row: str) -> tuple[str, str]:
        """Kernel expressions (low, high) of the kind for the person in `row` (the same name when always known)."""

    def unknown_range(self, policy: ResolvedPolicy, on: date) -> tuple[float, float]:
        """The lowest and highest points the kind can give when its input is unknown."""
        return -INF, INF

    def monthly(self) -> bool:
        """Whether its points can change in any month as a duration runs (else only on whole years)."""
        return False

    def change_days(self, ev: Engine, policy: ResolvedPolicy, rows: np.ndarray) -> list[np.ndarray]:
        """Days (one array per candidate, a day per row; NEVER none) after the evaluation date on which the kind's
        points change other than as a duration runs (a dated occurrence arriving or ageing out)."""
        return []

    # ---- shared --------------------------------------------------------------------------------------------
    def title(self, lang: str) -> str:
        zh, en = self.label
        return en if lang == "en" else zh

    def walk(self) -> list[Indicator]:
        """This indicator and every part below it."""
        return [self, *(i for p in self.parts() for i in p.walk())]

    def reads(self) -> frozenset[str]:
        """Every variable the indicator reads: scored, multiplier, conditions."""
        names = {v.name for v in self.variables()}
        if self.multiplier is not None:
            names.add(self.multiplier.variable.name)
        if self.only_if is not None:
            names |= {n for c in self.only_if.walk() for n in c.reads()}
        return frozenset(names)

    def score(
        self,
        ev: Engine,
        policy: ResolvedPolicy,
        rows: np.ndarray,
        days: np.ndarray | int,
        path: str,
    ) -> tuple[np.ndarray, np.ndarray]:
        """(low, high) points for the rows on the days: the kind's points × multiplier, capped, 0 unless only_if."""
        on = ev.frame.on_date
        lo, hi = self.base(ev, policy, rows, days)
        lo, hi = np.asarray(lo, dtype=np.float64), np.asarray(hi, dtype=np.float64)
        if self.multiplier is not None:
            table = self.multiplier.table(policy, on)
            codes = ev.frame.statics[self.multiplier.variable.name][rows].astype(np.int64)
            lut = np.array([*table, np.nan])
            factor = lut[np.where(codes >= 0, codes, len(table))]
            low_f, high_f = min(table), max(table)
            lo_known, hi_known = _times(lo, factor), _times(hi, factor)
            lo_any = np.minimum(_times(lo, low_f), _times(lo, high_f))
            hi_any = np.maximum(_times(hi, low_f), _times(hi, high_f))
            unknown = np.isnan(factor)
            lo, hi = np.where(unknown, lo_any, lo_known), np.where(unknown, hi_any, hi_known)
        if self.cap is not None:
            cap = num(self.cap, policy, on)
            lo, hi = np.minimum(lo, cap), np.minimum(hi, cap)
        if self.only_if is not None:
            got = self.only_if.interval(ev, policy, rows, f"{path}.only_if")
            d = np.asarray(days)
            holds = (got.start <= d) & (d <= got.end)
            unknown = got.unknown if got.unknown is not None else np.zeros(rows.shape, dtype=bool)
            lo = np.where(unknown, np.minimum(lo, 0.0), np.where(holds, lo, 0.0))
            hi = np.where(unknown, np.maximum(hi, 0.0), np.where(holds, hi, 0.0))
        return lo, hi

    def emit(self, w: Writer, row: str) -> tuple[str, str]:
        """Kernel expressions (low, high) of the indicator, with multiplier, cap and condition."""
        lo, hi = self.emit_base(w, row)
        if self.multiplier is not None:
            table = self.multiplier.table(w.policy, w.on)
            var = self.multiplier.variable
            code = w.var(w.arg("s_" + var.name, row))
            factor = w.var(w.lookup(w.table([*table, 1.0], "float64"), code, len(table)))
            lo_k, hi_k = w.var(_times_expr(lo, factor)), w.var(_times_expr(hi, factor))
            if var.nullable:
                low_f, high_f = w.number(min(table)), w.number(max(table))
                lo_a = w.var(f"min({_times_expr(lo, low_f)}, {_times_expr(lo, high_f)})")
                hi_a = w.var(f"max({_times_expr(hi, low_f)}, {_times_expr(hi, high_f)})")
                lo, hi = w.var(f"{lo_k} if {code} >= 0 else {lo_a}"), w.var(f"{hi_k} if {code} >= 0 else {hi_a}")
            else:
                lo, hi = lo_k, (lo_k if hi == lo else hi_k)
        if self.cap is not None:
            cap = w.number(num(self.cap, w.policy, w.on))
            same = hi == lo
            lo = w.var(f"min({lo}, {cap})")
            hi = lo if same else w.var(f"min({hi}, {cap})")
        if self.only_if is not None:
            cell = self.only_if.emit(w, row)
            same = hi == lo and cell.u == "False"
            if cell.u == "False":
                lo = w.var(f"{lo} if {cell.t} else 0.0")
                hi = lo if same else w.var(f"{hi} if {cell.t} else 0.0")
            else:
                lo = w.var(f"min({lo}, 0.0) if {cell.u} else ({lo} if {cell.t} else 0.0)")
                hi = w.var(f"max({hi}, 0.0) if {cell.u} else ({hi} if {cell.t} else 0.0)")
        w.note_range(self, lo, hi)
        return lo, hi

    def value_of(self, ev: Engine, rows: np.ndarray, days: np.ndarray | int, spec: VariableSpec) -> np.ndarray:
        """The variable's value for the rows: whole months on the days for a clock, else the stored value."""
        frame = ev.frame
        if spec.kind == "clock":
            clock = frame.clocks[spec.name]
            if np.ndim(days) == 0:
                return take(clock.now(int(days)), rows)
            return clock.at_rows(rows, np.asarray(days))
        return take(frame.statics[spec.name], rows)

    def emit_value(self, w: Writer, row: str, spec: VariableSpec) -> str:
        if spec.kind == "clock":
            value, _ = w.clock(spec.name, row)
            return w.var(value)
        return w.var(w.arg("s_" + spec.name, row))


def _times(x: np.ndarray, f: np.ndarray | float) -> np.ndarray:
    """x × f with 0 × ±inf = 0 (an unbounded range times a zero factor)."""
    with np.errstate(invalid="ignore"):
        out = np.asarray(x * f)
    return np.where(np.isnan(out) & ~np.isnan(np.asarray(f, dtype=np.float64)), 0.0, out)


def _times_expr(x: str, f: str) -> str:
    return f"(0.0 if {f} == 0.0 else {x} * {f})"


def _whole_units(value: np.ndarray, size: float) -> np.ndarray:
    """How many whole `size`s the values hold (0 below one; NaN counts 0), as floats. Integers of up to 32 bits (months,
    counts) by a whole size are divided as integers: the same quotient exactly (both exact below 2**53), about 20x less
    CPU than the float floor_divide (fmod) at 100k rows."""
    if np.issubdtype(value.dtype, np.integer) and value.dtype.itemsize <= 4 and float(size).is_integer() and size > 0:
        return np.maximum(np.floor_divide(value, np.int64(size)), 0).astype(np.float64)  # (in int64: any size)
    with np.errstate(invalid="ignore"):
        return np.maximum(np.floor_divide(np.nan_to_num(value).astype(np.float64), size), 0)


def _known(spec: VariableSpec, values: np.ndarray) -> np.ndarray | None:
    if not spec.nullable:
        return None
    if spec.kind == "number":
        return ~np.isnan(values)
    return values >= 0


def _known_expr(spec: VariableSpec, value: str) -> str | None:
    if not spec.nullable:
        return None
    return f"({value} == {value})" if spec.kind == "number" else f"({value} >= 0)"


def _unknown_to_range(
    pts: np.ndarray, known: np.ndarray | None, rng: tuple[float, float]
) -> tuple[np.ndarray, np.ndarray]:
    if known is None:
        return pts, pts
    return np.where(known, pts, rng[0]), np.where(known, pts, rng[1])


def _emit_range(w: Writer, pts: str, known: str | None, rng: tuple[float, float]) -> tuple[str, str]:
    if known is None:
        return pts, pts
    k = w.var(known)
    return w.var(f"{pts} if {k} else {w.number(rng[0])}"), w.var(f"{pts} if {k} else {w.number(rng[1])}")


def _span(values: list[float], zero_possible: bool) -> tuple[float, float]:
    both = [*values, 0.0] if zero_possible else values
    return (min(both), max(both)) if both else (0.0, 0.0)


@dataclass(frozen=True)
class PerUnit(Indicator):
    """per_full_year / per_full_month / per_amount: whole units (12 months, one month, a `step` of an amount),
    at one rate, stepped `rates`, or (per_full_year) a rate by category (`rate_by`)."""

    variable: VariableSpec
    size: Num
    rates: tuple[Rate, ...]
    rate_by: tuple[VariableSpec, tuple[tuple[str, Num], ...]] | None = None

    def variables(self) -> tuple[VariableSpec, ...]:
        return (self.variable,) if self.rate_by is None else (self.variable, self.rate_by[0])

    def monthly(self) -> bool:
        return self.variable.kind == "clock" and self.size == 1.0  # per_full_month of a duration

    def _rates(self, policy: ResolvedPolicy, on: date) -> list[tuple[int, float]]:
        return [(r.start, num(r.points, policy, on)) for r in self.rates]

    def unknown_range(self, policy: ResolvedPolicy, on: date) -> tuple[float, float]:
        if self.rate_by is not None:
            values = [num(v, policy, on) for _, v in self.rate_by[1]]
        else:
            values = [p for _, p in self._rates(policy, on)]
        low = -INF if any(v < 0 for v in values) else 0.0
        high = INF if any(v > 0 for v in values) else 0.0
        return low, high

    def base(
        self, ev: Engine, policy: ResolvedPolicy, rows: np.ndarray, days: np.ndarray | int
    ) -> tuple[np.ndarray, np.ndarray]:
        on = ev.frame.on_date
        value = self.value_of(ev, rows, days, self.variable)
        known = _known(self.variable, value)
        size = num(self.size, policy, on)
        units = _whole_units(value, size)
        if self.rate_by is not None:
            by, table = self.rate_by
            given = {c: num(v, policy, on) for c, v in table}
            lut = np.array([*(given.get(c, 0.0) for c in by.categories), np.nan])
            codes = ev.frame.statics[by.name][rows].astype(np.int64)
            rate = lut[np.where(codes >= 0, codes, len(by.categories))]
            pts = units * np.nan_to_num(rate)
            if by.nullable:
                known = ~np.isnan(rate) if known is None else known & ~np.isnan(rate)
        else:
            pts = np.zeros(units.shape)
            rates = self._rates(policy, on)
            for i, (start, points) in enumerate(rates):
                stop = rates[i + 1][0] if i + 1 < len(rates) else INF
                pts = pts + points * np.clip(units - start, 0, stop - start)
        return _unknown_to_range(pts, known, self.unknown_range(policy, on))

    def emit_base(self, w: Writer, row: str) -> tuple[str, str]:
        value = self.emit_value(w, row, self.variable)
        size = num(self.size, w.policy, w.on)
        if self.variable.kind == "clock" and size.is_integer() and size >= 1:  # whole months: an integer's `//`
            quotient = w.var(f"float({value} // {int(size)})")
        else:
            quotient = w.floor_div(value, size)
        units = w.var(f"max({quotient}, 0.0)")
        known = _known_expr(self.variable, value)
        if known is not None:  # NaN // size is NaN: count no units where unknown
            units = w.var(f"{units} if {known} else 0.0")
        if self.rate_by is not None:
            by, table = self.rate_by
            given = {c: num(v, w.policy, w.on) for c, v in table}
            rates = [given.get(c, 0.0) for c in by.categories]
            code = w.var(w.arg("s_" + by.name, row))
            rate = w.lookup(w.table([*rates, 0.0], "float64"), code, len(rates))
            pts = w.var(f"{units} * {rate}")
            if by.nullable:
                known = f"{known} & ({code} >= 0)" if known else f"({code} >= 0)"
        else:
            terms = []
            rates_now = self._rates(w.policy, w.on)
            for i, (start, points) in enumerate(rates_now):
                if i + 1 < len(rates_now):
                    stop = rates_now[i + 1][0]
                    terms.append(f"{w.number(points)} * min(max({units} - {start}, 0.0), {float(stop - start)})")
                else:
                    terms.append(f"{w.number(points)} * max({units} - {start}, 0.0)")
            pts = w.var(" + ".join(terms) if terms else "0.0")
        return _emit_range(w, pts, known, self.unknown_range(w.policy, w.on))


@dataclass(frozen=True)
class Bracket:
    """Whole years `low`..`high` (inclusive) of a scale: `points` at `low`, then (a linear piece) `per_year` more, or
    below 0 fewer, for each whole year above `low`, never below `floor`; without per_year the same every year."""

    low: int
    high: int
    points: Num
    per_year: Num | None = None
    floor: Num | None = None

    def by_year(self, policy: ResolvedPolicy, on: date) -> list[float]:
        """The points of each whole year low..high, in order."""
        start = num(self.points, policy, on)
        if self.per_year is None:
            return [start] * (self.high - self.low + 1)
        step = num(self.per_year, policy, on)
        floor = -INF if self.floor is None else num(self.floor, policy, on)
        return [max(start + step * k, floor) for k in range(self.high - self.low + 1)]

    def emit(self, w: Writer, years: str) -> str:
        """A kernel expression of the bracket's points in the whole year `years` (the bracket holding)."""
        start = w.number(num(self.points, w.policy, w.on))
        if self.per_year is None:
            return start
        step = w.number(num(self.per_year, w.policy, w.on))
        line = f"{start} + {step} * float({years} - {self.low})"
        return line if self.floor is None else f"max({line}, {w.number(num(self.floor, w.policy, w.on))})"


@dataclass(frozen=True)
class Scale(Indicator):
    """Brackets of whole years of a duration (inclusive; the last bracket holding counts): `{min, max, points}`, or
    a linear piece `{min, max, points, per_year, floor}` (points at min, per_year more each year above it)."""

    variable: VariableSpec
    brackets: tuple[Bracket, ...]

    def variables(self) -> tuple[VariableSpec, ...]:
        return (self.variable,)

    def unknown_range(self, policy: ResolvedPolicy, on: date) -> tuple[float, float]:
        return _span([p for b in self.brackets for p in b.by_year(policy, on)], True)

    def base(
        self, ev: Engine, policy: ResolvedPolicy, rows: np.ndarray, days: np.ndarray | int
    ) -> tuple[np.ndarray, np.ndarray]:
        on = ev.frame.on_date
        value = self.value_of(ev, rows, days, self.variable)
        known = _known(self.variable, value)
        years = np.floor_divide(np.nan_to_num(value), 12).astype(np.int64)
        pts = np.zeros(years.shape)
        if years.size:
            low = int(years.min())
            table_years = np.arange(low, int(years.max()) + 1)
            table = np.zeros(table_years.shape)  # points for each whole year present, then one gather
            for b in self.brackets:
                inside = (table_years >= b.low) & (table_years <= b.high)
                by_year = np.array(b.by_year(policy, on))
                table = np.where(inside, by_year[np.clip(table_years - b.low, 0, b.high - b.low)], table)
            pts = table[years - low]
        return _unknown_to_range(pts, known, self.unknown_range(policy, on))

    def emit_base(self, w: Writer, row: str) -> tuple[str, str]:
        value = self.emit_value(w, row, self.variable)
        known = _known_expr(self.variable, value)
        years = w.var(f"int({value} // 12)" if known is None else f"int({value} // 12) if {known} else 0")
        low = min(b.low for b in self.brackets)
        high = max(b.high for b in self.brackets)
        if high - low > w.scale_table_max:
            pts = "0.0"
            for b in self.brackets:
                inside = f"({b.low} <= {years}) & ({years} <= {b.high})"
                pts = w.var(f"{b.emit(w, years)} if {inside} else {pts}")
        else:
            by_year = [0.0] * (high - low + 3)  # [0]: below every bracket, [-1]: above every bracket
            for b in self.brackets:
                for year, points in enumerate(b.by_year(w.policy, w.on), start=b.low):
                    by_year[year - low + 1] = points
            name = w.table(by_year, "float64")
            pts = w.var(w.lookup(name, f"max({years} - {low - 1}, 0)", high - low + 2))
        return _emit_range(w, pts, known, self.unknown_range(w.policy, w.on))


@dataclass(frozen=True)
class Tiers(Indicator):
    """The points of the highest threshold reached (inclusive); durations compared in years."""

    variable: VariableSpec
    tiers: tuple[tuple[Num, Num], ...]

    def variables(self) -> tuple[VariableSpec, ...]:
        return (self.variable,)

    def _table(self, policy: ResolvedPolicy, on: date) -> list[tuple[float, float]]:
        scale = 12.0 if self.variable.kind == "clock" or self.variable.duration else 1.0
        return sorted((num(a, policy, on) * scale, num(p, policy, on)) for a, p in self.tiers)

    def unknown_range(self, policy: ResolvedPolicy, on: date) -> tuple[float, float]:
        return _span([p for _, p in self._table(policy, on)], True)

    def base(
        self, ev: Engine, policy: ResolvedPolicy, rows: np.ndarray, days: np.ndarray | int
    ) -> tuple[np.ndarray, np.ndarray]:
        on = ev.frame.on_date
        value = self.value_of(ev, rows, days, self.variable)
        known = _known(self.variable, value)
        table = self._table(policy, on)
        lines = np.array([a for a, _ in table])
        points = np.array([0.0, *(p for _, p in table)])
        pts = points[np.searchsorted(lines, np.nan_to_num(value, nan=-INF), side="right")]
        return _unknown_to_range(pts, known, self.unknown_range(policy, on))

    def emit_base(self, w: Writer, row: str) -> tuple[str, str]:
        value = self.emit_value(w, row, self.variable)
        known = _known_expr(self.variable, value)
        table = self._table(w.policy, w.on)
        reached = " + ".join(f"({value} >= {w.number(a)})" for a, _ in table)
        lut = w.table([0.0, *(p for _, p in table)], "float64")
        pts = w.var(w.lookup(lut, f"0 + {reached}", len(table)))  # NaN reaches no tier
        return _emit_range(w, pts, known, self.unknown_range(w.policy, w.on))


@dataclass(frozen=True)
class CategoryPoints(Indicator):
    """Points by the code of one category variable; a code not listed scores 0."""

    variable: VariableSpec
    points: tuple[tuple[str, Num], ...]

    def variables(self) -> tuple[VariableSpec, ...]:
        return (self.variable,)

    def _lut(self, policy: ResolvedPolicy, on: date) -> list[float]:
        given = {c: num(v, policy, on) for c, v in self.points}
        return [given.get(c, 0.0) for c in self.variable.categories]

    def unknown_range(self, policy: ResolvedPolicy, on: date) -> tuple[float, float]:
        return _span(self._lut(policy, on), False)

    def base(
        self, ev: Engine, policy: ResolvedPolicy, rows: np.ndarray, days: np.ndarray | int
    ) -> tuple[np.ndarray, np.ndarray]:
        on = ev.frame.on_date
        codes = self.value_of(ev, rows, days, self.variable).astype(np.int64)
        lut = np.array([*self._lut(policy, on), 0.0])  # code -1 reads the last entry
        pts = lut[np.where(codes >= 0, codes, lut.size - 1)]
        known = codes >= 0 if self.variable.nullable else None
        return _unknown_to_range(pts, known, self.unknown_range(policy, on))

    def emit_base(self, w: Writer, row: str) -> tuple[str, str]:
        code = self.emit_value(w, row, self.variable)
        lut = self._lut(w.policy, w.on)
        pts = w.var(w.lookup(w.table([*lut, 0.0], "float64"), code, len(lut)))
        known = f"({code} >= 0)" if self.variable.nullable else None
        return _emit_range(w, pts, known, self.unknown_range(w.policy, w.on))


@dataclass(frozen=True)
class Combination(Indicator):
    """Points by a combination of category codes (学历 × 学位): the first row of `table` that matches counts."""

    over: tuple[VariableSpec, ...]
    table: tuple[tuple[tuple[str, ...], Num], ...]

    def variables(self) -> tuple[VariableSpec, ...]:
        return self.over

    def _grid(self, policy: ResolvedPolicy, on: date) -> np.ndarray:
        """Points for every combination of codes, flattened (row-major over the variables)."""
        shape = tuple(len(v.categories) for v in self.over)
        grid = np.full(shape, np.nan)
        for codes, points in self.table:
            index = tuple(
                slice(None) if c == "*" else v.categories.index(c) for v, c in zip(self.over, codes, strict=True)
            )
            sub = grid[index]
            grid[index] = np.where(np.isnan(sub), num(points, policy, on), sub)
        return np.nan_to_num(grid, nan=0.0).ravel()

    def unknown_range(self, policy: ResolvedPolicy, on: date) -> tuple[float, float]:
        return _span(self._grid(policy, on).tolist(), False)

    def _strides(self) -> list[int]:
        sizes = [len(v.categories) for v in self.over]
        return [int(np.prod(sizes[i + 1 :])) for i in range(len(sizes))]

    def base(
        self, ev: Engine, policy: ResolvedPolicy, rows: np.ndarray, days: np.ndarray | int
    ) -> tuple[np.ndarray, np.ndarray]:
        on = ev.frame.on_date
        grid = self._grid(policy, on)
        flat = np.zeros(rows.shape, dtype=np.int64)
        known = np.ones(rows.shape, dtype=bool)
        for v, stride in zip(self.over, self._strides(), strict=True):
            codes = self.value_of(ev, rows, days, v).astype(np.int64)
            known &= codes >= 0
            flat += np.maximum(codes, 0) * stride
        pts = grid[flat]
        nullable = any(v.nullable for v in self.over)
        return _unknown_to_range(pts, known if nullable else None, self.unknown_range(policy, on))

    def emit_base(self, w: Writer, row: str) -> tuple[str, str]:
        grid = self._grid(w.policy, w.on)
        codes = [self.emit_value(w, row, v) for v in self.over]
        flat = " + ".join(f"max({c}, 0) * {s}" for c, s in zip(codes, self._strides(), strict=True))
        pts = w.var(w.lookup(w.table(grid.tolist(), "float64"), flat, grid.size - 1))
        nullable = [c for c, v in zip(codes, self.over, strict=True) if v.nullable]
        known = " & ".join(f"({c} >= 0)" for c in nullable) or None
        return _emit_range(w, pts, known, self.unknown_range(w.policy, w.on))


@dataclass(frozen=True)
class PerItem(Indicator):
    """The sum of the points of every code in a set of categories (awards, honours)."""

    variable: VariableSpec
    points: tuple[tuple[str, Num], ...]

    def variables(self) -> tuple[VariableSpec, ...]:
        return (self.variable,)

    def _values(self, policy: ResolvedPolicy, on: date) -> list[tuple[int, float]]:
        return [(self.variable.categories.index(c), num(v, policy, on)) for c, v in self.points]

    def unknown_range(self, policy: ResolvedPolicy, on: date) -> tuple[float, float]:
        values = [v for _, v in self._values(policy, on)]
        return sum(v for v in values if v < 0), sum(v for v in values if v > 0)

    def base(
        self, ev: Engine, policy: ResolvedPolicy, rows: np.ndarray, days: np.ndarray | int
    ) -> tuple[np.ndarray, np.ndarray]:
        on = ev.frame.on_date
        bits = self.value_of(ev, rows, days, self.variable).astype(np.int64)
        pts = np.zeros(rows.shape)
        for i, v in self._values(policy, on):
            pts = pts + np.where((bits >= 0) & ((bits >> i) & 1 == 1), v, 0.0)
        return _unknown_to_range(pts, bits >= 0, self.unknown_range(policy, on))

    def emit_base(self, w: Writer, row: str) -> tuple[str, str]:
        bits = self.emit_value(w, row, self.variable)
        terms = [f"({w.number(v)} if ({bits} >> {i}) & 1 else 0.0)" for i, v in self._values(w.policy, w.on)]
        pts = w.var(" + ".join(terms) if terms else "0.0")
        return _emit_range(w, pts, f"({bits} >= 0)", self.unknown_range(w.policy, w.on))


@dataclass(frozen=True)
class PerEvent(Indicator):
    """A count or amount × points per event (deductions)."""

    variable: VariableSpec
    points: Num

    def variables(self) -> tuple[VariableSpec, ...]:
        return (self.variable,)

    def unknown_range(self, policy: ResolvedPolicy, on: date) -> tuple[float, float]:
        p = num(self.points, policy, on)
        return (-INF if p < 0 else 0.0), (INF if p > 0 else 0.0)

    def base(
        self, ev: Engine, policy: ResolvedPolicy, rows: np.ndarray, days: np.ndarray | int
    ) -> tuple[np.ndarray, np.ndarray]:
        value = self.value_of(ev, rows, days, self.variable).astype(np.float64)
        pts = np.nan_to_num(value) * num(self.points, policy, ev.frame.on_date)
        known = ~np.isnan(value) if self.variable.nullable else None
        return _unknown_to_range(pts, known, self.unknown_range(policy, ev.frame.on_date))

    def emit_base(self, w: Writer, row: str) -> tuple[str, str]:
        value = self.emit_value(w, row, self.variable)
        x = w.var(f"float({value})")
        pts = w.var(f"({x} if {x} == {x} else 0.0) * {w.number(num(self.points, w.policy, w.on))}")
        known = f"({x} == {x})" if self.variable.nullable else None
        return _emit_range(w, pts, known, self.unknown_range(w.policy, w.on))


@dataclass(frozen=True)
class Fixed(Indicator):
    """A fixed number of points whenever the indicator counts (with only_if / within)."""

    points: Num

    def base(
        self, ev: Engine, policy: ResolvedPolicy, rows: np.ndarray, days: np.ndarray | int
    ) -> tuple[np.ndarray, np.ndarray]:
        pts = np.full(rows.shape, num(self.points, policy, ev.frame.on_date))
        return pts, pts

    def emit_base(self, w: Writer, row: str) -> tuple[str, str]:
        pts = w.var(w.number(num(self.points, w.policy, w.on)))
        return pts, pts


@dataclass(frozen=True)
class Group(Indicator):
    """Indicators whose points are combined into one: MaxOf or SumOf."""

    members: tuple[Indicator, ...]
    combine: ClassVar[np.ufunc]

    def parts(self) -> tuple[Indicator, ...]:
        return self.members

    @abstractmethod
    def joined(self, terms: list[str]) -> str:
        """The kernel expression combining the members' expressions."""

    def base(
        self, ev: Engine, policy: ResolvedPolicy, rows: np.ndarray, days: np.ndarray | int
    ) -> tuple[np.ndarray, np.ndarray]:
        got = [p.score(ev, policy, rows, days, f"{self.name}.{p.name}") for p in self.members]
        return fold(self.combine, [lo for lo, _ in got]), fold(self.combine, [hi for _, hi in got])

    def emit_base(self, w: Writer, row: str) -> tuple[str, str]:
        got = [p.emit(w, row) for p in self.members]
        if len(got) == 1:
            return got[0]
        lo = w.var(self.joined([lo for lo, _ in got]))
        if all(lo_i == hi_i for lo_i, hi_i in got):
            return lo, lo
        return lo, w.var(self.joined([hi for _, hi in got]))


@dataclass(frozen=True)
class MaxOf(Group):
    """max_of: separate ladders, only the highest counts."""

    combine: ClassVar[np.ufunc] = np.maximum

    def joined(self, terms: list[str]) -> str:
        return f"max({', '.join(terms)})"


@dataclass(frozen=True)
class SumOf(Group):
    """sum_of: a group whose points add up (under the group's cap)."""

    combine: ClassVar[np.ufunc] = np.add

    def joined(self, terms: list[str]) -> str:
        return " + ".join(terms)


def flat(indicators: tuple[Indicator, ...]) -> list[Indicator]:
    """Every indicator and part, depth first."""
    return [i for ind in indicators for i in ind.walk()]


@dataclass(frozen=True)
class PerOccurrence(Indicator):
    """Points per date of a dates input within `window` months of the day (each occurrence counts until it ages
    out), at most `max_count` of them."""

    variable: VariableSpec
    window: Num  # months
    points: Num
    max_count: Num | None = None

    def variables(self) -> tuple[VariableSpec, ...]:
        return (self.variable,)

    def _months(self, policy: ResolvedPolicy, on: date) -> int:
        return int(num(self.window, policy, on))

    def unknown_range(self, policy: ResolvedPolicy, on: date) -> tuple[float, float]:
        p = num(self.points, policy, on)
        most = INF if self.max_count is None else num(self.max_count, policy, on)
        extreme = 0.0 if p == 0 else p * most
        return min(0.0, extreme), max(0.0, extreme)

    def _counted(self, count: np.ndarray, policy: ResolvedPolicy, on: date) -> np.ndarray:
        counted = count.astype(np.float64)
        if self.max_count is not None:
            counted = np.minimum(counted, num(self.max_count, policy, on))
        return counted * num(self.points, policy, on)

    def base(
        self, ev: Engine, policy: ResolvedPolicy, rows: np.ndarray, days: np.ndarray | int
    ) -> tuple[np.ndarray, np.ndarray]:
        on = ev.frame.on_date
        matrix, listed = of_rows(ev.frame.statics, self.variable.name, rows)
        count = count_on(matrix, expiries(matrix, self._months(policy, on)), days)
        return _unknown_to_range(self._counted(count, policy, on), listed >= 0, self.unknown_range(policy, on))

    def emit_base(self, w: Writer, row: str) -> tuple[str, str]:
        count = emit_count(w, self.variable.name, row, self._months(w.policy, w.on))
        if self.max_count is not None:
            count = w.var(f"min(float({count}), {w.number(num(self.max_count, w.policy, w.on))})")
        pts = w.var(f"float({count}) * {w.number(num(self.points, w.policy, w.on))}")
        known = f"({w.arg('s_' + self.variable.name, row)} >= 0)"
        return _emit_range(w, pts, known, self.unknown_range(w.policy, w.on))

    def change_days(self, ev: Engine, policy: ResolvedPolicy, rows: np.ndarray) -> list[np.ndarray]:
        """Every day after the evaluation date its points change (an occurrence arrives or ages out), per row."""
        on = ev.frame.on_date
        matrix, _ = of_rows(ev.frame.statics, self.variable.name, rows)
        days = change_days(matrix, expiries(matrix, self._months(policy, on)), ev.frame.on)
        return list(days.T)
