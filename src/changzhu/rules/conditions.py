"""Rule conditions: one class per kind, each the single definition of its meaning.

Every condition says, in one place, what it means to the interval engine (`interval`: the days on which it
holds, three-valued where an input is unknown), to the code generator (`emit`: a kernel expression of
whether it holds on the date and whether that is unknown), and to an explanation (`describe`: the value the
person has and what the rule needs, in Chinese or English).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from changzhu.domain.services import Service
from changzhu.rules.arrays import (
    Interval,
    all_of,
    any_of,
    category_table,
    closes,
    endless,
    open_positions,
    opens,
    unknown_leaf,
    widen,
)
from changzhu.rules.dated_lists import emit_count, expiries, first_span, of_rows
from changzhu.rules.dates import FOREVER, NEVER, add_months
from changzhu.rules.labels import amount_text
from changzhu.rules.parents import UNLINKED
from changzhu.rules.protocols import Cell, LeafResult
from changzhu.rules.rows import is_everyone

if TYPE_CHECKING:
    from changzhu.parameters.model import DatedValue, Parameter
    from changzhu.rules.protocols import EngineView as Engine
    from changzhu.rules.protocols import PolicyView as ResolvedPolicy
    from changzhu.rules.protocols import WriterView as Writer
    from changzhu.rules.variables import VariableSpec

Label = tuple[str, str]  # (zh, en)


class Condition(ABC):
    """A node of a rule tree."""

    label: Label
    source: str | None

    def children(self) -> tuple[Condition, ...]:
        return ()

    @abstractmethod
    def interval(self, ev: Engine, policy: ResolvedPolicy, rows: np.ndarray, path: str) -> Interval:
        """The days on which the condition holds, for the rows."""

    @abstractmethod
    def emit(self, w: Writer, row: str) -> Cell:
        """Kernel expressions of the condition on the writer's date for the person in `row`."""

    def reads(self) -> frozenset[str]:
        """The person variables this node itself reads (not through a service or a scheme)."""
        return frozenset()

    def walk(self) -> list[Condition]:
        """This node and every node below it."""
        return [self, *(n for c in self.children() for n in c.walk())]

    def title(self, lang: str) -> str:
        """The label in the language asked for."""
        zh, en = self.label
        return en if lang == "en" else zh


@dataclass(frozen=True)
class AllOf(Condition):
    """Every child must hold."""

    parts: tuple[Condition, ...]
    label: Label = ("", "")
    source: str | None = None

    def children(self) -> tuple[Condition, ...]:
        return self.parts

    def interval(self, ev: Engine, policy: ResolvedPolicy, rows: np.ndarray, path: str) -> Interval:
        return all_of(_parts(ev, policy, rows, path, self.parts, closes, int(NEVER)), ev.frame.on)

    def emit(self, w: Writer, row: str) -> Cell:
        cells = [c.emit(w, row) for c in self.parts]
        t = w.var(" & ".join(c.t for c in cells))
        uncertain = [c for c in cells if c.u != "False"]
        if not uncertain:
            return Cell(t)
        known_false = " | ".join(f"((not {c.t}) & (not {c.u}))" for c in cells)
        return Cell(t, w.var(f"({' | '.join(c.u for c in uncertain)}) & (not ({known_false}))"))

    def title(self, lang: str) -> str:
        return super().title(lang) or ("以下全部满足" if lang == "zh" else "all of")


@dataclass(frozen=True)
class AnyOf(Condition):
    """One child is enough."""

    parts: tuple[Condition, ...]
    label: Label = ("", "")
    source: str | None = None

    def children(self) -> tuple[Condition, ...]:
        return self.parts

    def interval(self, ev: Engine, policy: ResolvedPolicy, rows: np.ndarray, path: str) -> Interval:
        on = ev.frame.on
        return any_of(_parts(ev, policy, rows, path, self.parts, lambda got: opens(got, on), on), on)

    def emit(self, w: Writer, row: str) -> Cell:
        cells = [c.emit(w, row) for c in self.parts]
        t = w.var(" | ".join(c.t for c in cells))
        uncertain = [c for c in cells if c.u != "False"]
        if not uncertain:
            return Cell(t)
        return Cell(t, w.var(f"({' | '.join(c.u for c in uncertain)}) & (not {t})"))

    def title(self, lang: str) -> str:
        return super().title(lang) or ("满足以下任一项" if lang == "zh" else "any one of")


def _parts(
    ev: Engine,
    policy: ResolvedPolicy,
    rows: np.ndarray,
    path: str,
    children: tuple[Condition, ...],
    settles: Callable[[Interval], np.ndarray],
    settled_start: int,
) -> list[Interval]:
    """The intervals of an all_of's (any_of's) parts, a later part asked only for the rows an earlier one has not
    settled (known never to hold, resp. known to hold from the date on for good), once enough are: elsewhere it
    is given as settled too (start `settled_start`), which leaves the group's result unchanged. An explanation
    (ev.trace) sees every part on every row."""
    if ev.trace:
        return [c.interval(ev, policy, rows, f"{path}.{i}") for i, c in enumerate(children)]
    m = rows.shape[0]
    parts: list[Interval] = []
    settled = np.zeros(m, dtype=bool)  # rows an earlier part settles (while every row is asked)
    live: np.ndarray | None = None  # positions of the rows the later parts still decide (None: every row)
    for i, child in enumerate(children):
        got = child.interval(ev, policy, rows if live is None else rows[live], f"{path}.{i}")
        parts.append(got if live is None else widen(got, live, m, settled_start))
        if i + 1 == len(children):
            break
        if live is None:
            settled |= settles(got)
            live = open_positions(settled)
        else:
            live = live[~settles(got)]
    return parts


class Leaf(Condition):
    """A condition on one person (or, with of=parent, on the person's parent)."""

    of: Literal["self", "parent"]
    kind: str  # for explanations: variable, service, points, flag, constant

    @abstractmethod
    def own(self, ev: Engine, policy: ResolvedPolicy, rows: np.ndarray) -> LeafResult:
        """The condition for the rows themselves."""

    @abstractmethod
    def emit_own(self, w: Writer, row: str) -> Cell:
        """The kernel expressions for the person in `row` (already the parent's row where of=parent)."""

    def interval(self, ev: Engine, policy: ResolvedPolicy, rows: np.ndarray, path: str) -> Interval:
        if self.of == "parent":
            parent = ev.frame.parent_idx[rows]
            present = parent >= 0
            got = self.own(ev, policy, parent[present])
            got = _spread(got, present, parent == UNLINKED)
        else:
            got = self.own(ev, policy, rows)
        ev.record(path, self, rows, got)
        if got.decided is not None and got.known is not None:
            return Interval(got.start, got.end, ~got.known, got.decided)
        return unknown_leaf(got.start, got.end, got.known)

    def emit(self, w: Writer, row: str) -> Cell:
        if self.of != "parent":
            return self.emit_own(w, row)
        parent = w.var(w.arg("parent", row))
        held = self.emit_own(w, w.var(f"np.uint64(max({parent}, 0))"))  # no parent: row 0, result dropped
        t = w.var(f"({parent} >= 0) & {held.t}")
        unlinked = f"({parent} == {UNLINKED})"  # no parent in the table, none known not to live here: unknown
        return Cell(t, w.var(unlinked if held.u == "False" else f"(({parent} >= 0) & {held.u}) | {unlinked}"))

    def describe(
        self, value: float | None, threshold: Any, lang: str, parameter: Parameter | None = None
    ) -> tuple[str | None, str | None]:
        """The person's value and what the condition needs, as text with their units (None where there is nothing
        to show); `parameter` is the one the threshold was read from, if any."""
        return None, None

    def shortfall(self, value: float | None, threshold: Any) -> tuple[str, str] | None:
        """How far a known value is from a line still to reach: (explanation word, amount); None if no such line."""
        return None


def _spread(got: LeafResult, present: np.ndarray, unlinked: np.ndarray) -> LeafResult:
    """A parent's result back on the children's rows: no parent in the table never holds, known where the table
    says no parent lives here, unknown where it does not (`unlinked`)."""
    n = present.shape[0]
    start = np.full(n, NEVER, dtype=np.int32)
    start[present] = got.start
    if endless(got.end):
        end = np.broadcast_to(FOREVER, (n,))
    else:
        end = np.full(n, FOREVER, dtype=np.int32)
        end[present] = got.end
    known = decided = None
    if got.known is not None or unlinked.any():
        known = np.ones(n, dtype=bool)
        if got.known is not None:
            known[present] = got.known
        known[unlinked] = False
    if got.decided is not None:
        decided = np.ones(n, dtype=bool)
        decided[present] = got.decided
        decided[unlinked] = False
    value = floor = None
    if got.value is not None:
        value = np.full(n, np.nan)
        value[present] = got.value
    if got.floor is not None:
        floor = np.full(n, np.nan)
        floor[present] = got.floor
    return LeafResult(start, end, known, value, got.threshold, got.parameter, got.dated, decided, floor)


@dataclass(frozen=True)
class ConstantCondition(Leaf):
    """Always or never (e.g. "this city has no points route")."""

    value: bool
    of: Literal["self", "parent"] = "self"
    label: Label = ("", "")
    source: str | None = None
    kind: str = "constant"

    def own(self, ev: Engine, policy: ResolvedPolicy, rows: np.ndarray) -> LeafResult:
        m = rows.shape[0]
        start = np.broadcast_to(np.int32(ev.frame.on) if self.value else NEVER, (m,))
        return LeafResult(start, np.broadcast_to(FOREVER, (m,)), None, None, self.value)

    def emit_own(self, w: Writer, row: str) -> Cell:
        return Cell(repr(bool(self.value)))


@dataclass(frozen=True)
class FlagCondition(Leaf):
    """A bool parameter is true (a reform switch)."""

    flag: str
    of: Literal["self", "parent"] = "self"
    label: Label = ("", "")
    source: str | None = None
    kind: str = "flag"

    def own(self, ev: Engine, policy: ResolvedPolicy, rows: np.ndarray) -> LeafResult:
        param, dated = policy.value(self.flag, ev.frame.on_date)
        m = rows.shape[0]
        start = np.broadcast_to(np.int32(ev.frame.on) if bool(dated.value) else NEVER, (m,))
        return LeafResult(start, np.broadcast_to(FOREVER, (m,)), None, None, dated.value, param, dated)

    def emit_own(self, w: Writer, row: str) -> Cell:
        return Cell(w.truth(bool(w.value(self.flag))))


@dataclass(frozen=True)
class ServiceCondition(Leaf):
    """Another service's decision (e.g. the residence permit), three-valued like any condition."""

    service: Service
    of: Literal["self", "parent"] = "self"
    label: Label = ("", "")
    source: str | None = None
    kind: str = "service"

    def own(self, ev: Engine, policy: ResolvedPolicy, rows: np.ndarray) -> LeafResult:
        got = ev.service_interval(self.service, rows)
        known = None if got.unknown is None else ~got.unknown
        return LeafResult(got.start, got.end, known, None, None, decided=got.decided_mask())

    def emit_own(self, w: Writer, row: str) -> Cell:
        t = w.var(w.arg(f"v_{self.service.value}", row))
        if not w.service_may_be_unknown(self.service):
            return Cell(t)
        return Cell(t, w.var(w.arg(f"u_{self.service.value}", row)))


@dataclass(frozen=True)
class PointsCondition(Leaf):
    """A points scheme's prerequisites hold and its points reach its admission line."""

    scheme: str
    of: Literal["self", "parent"] = "self"
    label: Label = ("", "")
    source: str | None = None
    kind: str = "points"

    def own(self, ev: Engine, policy: ResolvedPolicy, rows: np.ndarray) -> LeafResult:
        return ev.points_condition(policy, policy.schemes[self.scheme], rows, self.of)

    def emit_own(self, w: Writer, row: str) -> Cell:
        return w.points_cell(w.policy.schemes[self.scheme], row)

    def describe(
        self, value: float | None, threshold: Any, lang: str, parameter: Parameter | None = None
    ) -> tuple[str | None, str | None]:
        if value is None or np.isnan(value):
            shown = "未评定" if lang == "zh" else "not assessed"
        else:
            shown = amount_text(value, "points", lang)
        return shown, amount_text(float(threshold), "points", lang)

    def shortfall(self, value: float | None, threshold: Any) -> tuple[str, str] | None:
        if value is None or np.isnan(value):
            return None
        gap = float(threshold) - value
        return ("more_points", f"{gap:g}") if gap > 0 else None


_ORDER = {">=": np.greater_equal, ">": np.greater, "<": np.less, "<=": np.less_equal}
_WORDS = {
    ">=": ("至少", "at least"),
    ">": ("多于", "more than"),
    "<": ("不满", "under"),
    "<=": ("至多", "at most"),
    "==": ("等于", "equal to"),
    "!=": ("不等于", "not"),
}


@dataclass(frozen=True)
class VariableCondition(Leaf):
    """A person variable compared with a literal or a parameter.

    Durations (clocks, months inputs) compare whole months, or whole years with `years:`/a parameter in years;
    numbers with order and equality operators; bools and categories with == != in not_in; a set of categories
    with contains / not_contains (any of the codes); a date with within / not_within N months or years of the
    evaluation date; a list of dates by how many of them are within `window` (N months or years) of the day,
    compared with a count. An unknown (null) input makes the condition unknown.
    """

    variable: str
    op: str
    value: Any
    param: str | None
    unit: str | None
    spec: VariableSpec
    of: Literal["self", "parent"] = "self"
    label: Label = ("", "")
    source: str | None = None
    kind: str = "variable"
    window: tuple[float | None, str | None, str] | None = None  # dates: (literal, parameter, months or years)

    def window_months(self, policy: ResolvedPolicy, on: Any) -> int:
        """A dates condition's window in whole months on the date."""
        assert self.window is not None
        literal, param, unit = self.window
        raw = float(policy.value(param, on)[1].value) if param is not None else float(literal or 0)
        return int(raw * (12 if unit == "years" else 1))

    def reads(self) -> frozenset[str]:
        return frozenset({self.variable})

    def threshold(self, policy: ResolvedPolicy, on: Any) -> tuple[Any, Parameter | None, DatedValue | None]:
        """The literal or the parameter's value on the date; durations in months."""
        raw: Any = self.value
        param = dated = None
        if self.param is not None:
            param, dated = policy.value(self.param, on)
            raw = dated.value
        if self.spec.kind == "clock" or self.spec.duration or self.spec.kind == "date":
            unit = self.unit or (param.unit if param is not None else "months")
            raw = float(raw) * (12 if unit == "years" else 1)
        return raw, param, dated

    # ---- interval engine --------------------------------------------------------------------------------
    def own(self, ev: Engine, policy: ResolvedPolicy, rows: np.ndarray) -> LeafResult:
        raw, param, dated = self.threshold(policy, ev.frame.on_date)
        if self.spec.kind == "dates":
            months = self.window_months(policy, ev.frame.on_date)
            got = self._dates(ev, rows, float(raw), months)
            return LeafResult(got.start, got.end, got.known, got.value, got.threshold, param, dated)
        key = (self.variable, self.op, repr(raw), id(rows))  # the same comparison in another rule: computed once
        anchor = ev.frame.clocks[self.variable] if self.spec.kind == "clock" else None
        got = ev.once(key, rows, anchor, lambda: self._own(ev, rows, raw))
        return LeafResult(got.start, got.end, got.known, got.value, got.threshold, param, dated, got.decided)

    def _own(self, ev: Engine, rows: np.ndarray, raw: Any) -> LeafResult:
        """The comparison with the threshold `raw` for the rows (no parameter attached)."""
        frame = ev.frame
        on = frame.on
        param = dated = None
        m = rows.shape[0]
        everyone = is_everyone(rows)
        now = np.broadcast_to(np.int32(on), (m,))
        never = np.broadcast_to(NEVER, (m,))
        forever = np.broadcast_to(FOREVER, (m,))
        kind = self.spec.kind
        if kind == "clock":
            full_clock = frame.clocks[self.variable]
            value = None
            if ev.trace:  # the months on the date, for explanations only
                value_now = full_clock.now(on) if everyone else full_clock.now(on)[rows]
                value = value_now.astype(np.float64)
            asked = None if everyone else rows
            known = ev.clock_known(self.variable, rows)
            t = float(raw)
            if self.op in (">=", ">"):
                target = t if self.op == ">=" else np.floor(t) + 1
                return LeafResult(full_clock.reach(target, on, asked), forever, known, value, t, param, dated)
            target = t if self.op == "<" else np.floor(t) + 1
            reached = full_clock.reach(target, on, asked)
            start = np.where(reached > on, now, never)
            end = np.where(reached < NEVER, reached - 1, FOREVER)
            return LeafResult(start, end, known, value, t, param, dated)
        values = frame.statics[self.variable]
        if kind == "date":
            values = values if everyone else values[rows]
            known = _known(kind, values) if self.spec.nullable else None
            return self._date(values, known, float(raw), on, param, dated)
        start = np.empty(m, dtype=np.int32)
        known = np.empty(m if self.spec.nullable else 0, dtype=bool)
        self._compare(values, rows, everyone, raw, on, start, known)
        shown = (values if everyone else values[rows]).astype(np.float64) if ev.trace else None
        threshold = raw if kind in ("number", "bool") else (raw if isinstance(raw, list) else [raw])
        return LeafResult(start, forever, known if self.spec.nullable else None, shown, threshold, param, dated)

    def _compare(
        self, values: np.ndarray, rows: np.ndarray, every: bool, raw: Any, on: int, start: np.ndarray, known: np.ndarray
    ) -> None:
        """The comparison of a number, bool, category or set with `raw` for the rows (values read in place): start
        `on` where it holds and is known, else NEVER; known where the value is (a nullable input)."""
        from changzhu.rules import leaf_kernels  # numba, loaded when an earliest date is searched

        kind, op = self.spec.kind, self.op
        tail = (self.spec.nullable, on, int(NEVER), start, known)
        if kind == "number":
            code = leaf_kernels.ORDER_CODES.get(op, leaf_kernels.ORDER_CODES["!="])  # else: not equal
            leaf_kernels.number(values, rows, every, code, float(raw), *tail)
            return
        if kind == "bool":
            want = bool(raw) if op in ("==", "in") else not bool(raw)
            leaf_kernels.truth(values, rows, every, values.dtype == np.int8, want, *tail)
            return
        wanted = raw if isinstance(raw, list) else [raw]
        if kind == "set":
            mask = int(_set_mask(self.spec.categories, wanted))
            leaf_kernels.codes(values, rows, every, mask, op != "contains", *tail)
            return
        negate = op not in ("==", "in")
        if len(self.spec.categories) <= leaf_kernels.BIT_CODES:
            bits = sum(1 << self.spec.categories.index(w) for w in wanted)
            leaf_kernels.category(values, rows, every, bits, negate, *tail)
            return
        inside = category_table(self.spec.categories, wanted)
        leaf_kernels.category_table(values, rows, every, inside, negate, *tail)

    def _dates(self, ev: Engine, rows: np.ndarray, count: float, months: int) -> LeafResult:
        """How many dates are within the window, compared with `count`: the first span of days it holds."""
        frame = ev.frame
        matrix, listed = of_rows(frame.statics, self.variable, rows)
        compare = _ORDER.get(self.op) or (np.equal if self.op == "==" else np.not_equal)
        start, end, now = first_span(matrix, expiries(matrix, months), frame.on, lambda c: compare(c, count))
        known = listed >= 0
        start = np.where(known, start, NEVER).astype(np.int64)
        value = np.where(known, now, np.nan)
        return LeafResult(start, end.astype(np.int64), known, value, count)

    def _date(
        self,
        days: np.ndarray,
        known: np.ndarray | None,
        months: float,
        on: int,
        param: Parameter | None,
        dated: DatedValue | None,
    ) -> LeafResult:
        """within: from the date until the day before N months later; not_within: the rest (one interval)."""
        safe = np.where(days < NEVER, days, 0)
        expiry = add_months(safe, int(months)).astype(np.int64)
        begins = np.maximum(safe, on)
        inside_start = np.where(expiry - 1 >= begins, begins, NEVER)
        if self.op == "within":
            start, end = inside_start, np.where(inside_start < NEVER, expiry - 1, FOREVER)
        else:
            before = safe > on
            start = np.where(before | (expiry <= on), on, expiry)
            end = np.where(before, safe - 1, FOREVER)
        if known is not None:
            start = np.where(known, start, NEVER)
        value = days.astype(np.float64)
        return LeafResult(start.astype(np.int32), end.astype(np.int32), known, value, months, param, dated)

    # ---- code generation --------------------------------------------------------------------------------
    def emit_own(self, w: Writer, row: str) -> Cell:
        raw, _, _ = self.threshold(w.policy, w.on)
        kind = self.spec.kind
        if kind == "dates":
            count = emit_count(w, self.variable, row, self.window_months(w.policy, w.on))
            known = w.var(f"{w.arg('s_' + self.variable, row)} >= 0")
            holds = w.var(f"{count} {self.op} {w.number(raw)}")
            return Cell(w.var(f"{known} & {holds}"), w.var(f"not {known}"))
        if kind == "clock":
            value, unknown = w.clock(self.variable, row)
            whole = np.ceil(raw) if self.op in (">=", "<") else np.floor(raw)
            holds = w.var(f"{value} {self.op} {w.integer(int(whole))}")
            if unknown == "False":
                return Cell(holds)
            return Cell(w.var(f"(not {unknown}) & {holds}"), unknown)
        value = w.var(w.arg("s_" + self.variable, row))
        holds = self._emit_holds(w, value, raw)
        if not self.spec.nullable:
            return Cell(holds)
        known = w.var(_known_expr(kind, value))
        return Cell(w.var(f"{known} & {holds}"), w.var(f"not {known}"))

    def _emit_holds(self, w: Writer, value: str, raw: Any) -> str:
        kind, op = self.spec.kind, self.op
        if kind == "number":
            return w.var(f"{value} {op} {w.number(raw)}")
        if kind == "bool":
            truth = f"({value} == 1)" if self.spec.declared or self.spec.nullable else value
            positive = bool(raw) if op in ("==", "in") else not bool(raw)
            return w.var(truth if positive else f"(not {truth})")
        if kind == "date":
            cutoff = w.within_cutoff(int(raw))
            inside = w.var(f"({value} <= {w.integer(w.on_days)}) & ({value} >= {cutoff})")
            return inside if op == "within" else w.var(f"not {inside}")
        wanted = raw if isinstance(raw, list) else [raw]
        if kind == "set":
            inside = w.var(f"({value} & {w.mask(int(_set_mask(self.spec.categories, wanted)))}) != 0")
            return inside if op == "contains" else w.var(f"not {inside}")
        inside_table = w.table([c in wanted for c in self.spec.categories] + [False], "bool_")
        held = w.lookup(inside_table, value, len(self.spec.categories))
        return w.var(held if op in ("==", "in") else f"(not {held})")

    # ---- explanation ------------------------------------------------------------------------------------
    def shortfall(self, value: float | None, threshold: Any) -> tuple[str, str] | None:
        if self.spec.kind != "clock" or self.op not in (">=", ">") or value is None:
            return None
        gap = float(threshold) - max(float(value), 0)
        return ("more_months", str(int(np.ceil(gap)))) if gap > 0 else None

    def describe(
        self, value: float | None, threshold: Any, lang: str, parameter: Parameter | None = None
    ) -> tuple[str | None, str | None]:
        zh = lang == "zh"
        spec = self.spec
        unit = spec.unit or (parameter.unit if parameter is not None else "")  # a number's: value and line alike
        unknown = "未知（未提供）" if zh else "unknown (not given)"
        if value is None or np.isnan(value) or not _value_known(spec, value):
            shown = unknown
        elif spec.kind == "clock" or spec.duration:
            shown = _years(value, zh) if self.variable == "age" else _months_text(value, zh)
        elif spec.kind == "bool":  # the variable named: the leaf's label may state the opposite ("户籍不在本市")
            answer = ("是" if zh else "yes") if bool(value) else ("否" if zh else "no")
            shown = f"{spec.label(lang)}：{answer}" if zh else f"{spec.label(lang)}: {answer}"
        elif spec.kind == "category":
            shown = category_title(spec, spec.categories[int(value)], lang)
        elif spec.kind == "set":
            codes = [c for i, c in enumerate(spec.categories) if int(value) >> i & 1]
            comma = "、" if zh else ", "
            shown = comma.join(category_title(spec, c, lang) for c in codes) or ("无" if zh else "none")
        elif spec.kind == "date":
            from changzhu.rules.dates import from_days

            shown = str(from_days(int(value)))
        elif spec.kind == "dates":
            shown = f"{int(value)} 次" if zh else f"{int(value)} on record"
        else:
            shown = amount_text(value, unit, lang)
        if spec.kind == "clock" or spec.duration:
            t = float(threshold)
            need = _years(t, zh) if self.variable == "age" else _months_text(t, zh)
            return shown, f"{_WORDS[self.op][0 if zh else 1]} {need}"
        if spec.kind == "dates" and self.window is not None:
            n = _months_text(float((self.window[0] or 0) * (12 if self.window[2] == "years" else 1)), zh)
            word = _WORDS[self.op][0 if zh else 1]
            count = f"{float(threshold):g}"
            return shown, (f"评估日前{n}之内{word} {count} 次" if zh else f"{word} {count} within {n}")
        if spec.kind == "date":
            n = _months_text(float(threshold), zh)
            if self.op == "within":
                return shown, (f"在评估日前{n}之内" if zh else f"within {n} before the date")
            return shown, (f"不在评估日前{n}之内" if zh else f"not within {n} before the date")
        if spec.kind == "bool":
            return shown, None  # the label says what is asked; "no (no)" would only repeat it
        if spec.kind in ("category", "set"):
            wanted = threshold if isinstance(threshold, list) else [threshold]
            words = ("、" if zh else ", ").join(category_title(spec, str(w), lang) for w in wanted)
            negate = self.op in ("!=", "not_in", "not_contains")
            return shown, (("不是 " if zh else "not ") if negate else "") + words
        word = _WORDS[self.op][0 if zh else 1]
        return shown, f"{word} {amount_text(float(threshold), unit, lang)}"


def category_title(spec: VariableSpec, code: str, lang: str) -> str:
    """A category code's label in the language asked for."""
    return spec.category_label(code, lang)


def _value_known(spec: VariableSpec, value: float) -> bool:
    if not spec.nullable:
        return True
    if spec.kind in ("bool", "category", "set", "clock", "dates"):
        return bool(value >= 0)
    if spec.kind == "date":
        return bool(value < NEVER)
    return not bool(np.isnan(value))


def _known(kind: str, values: np.ndarray) -> np.ndarray:
    """Where a nullable input is known: NaN numbers, code -1 (bool, category, set) and NEVER dates are unknown."""
    if kind == "number":
        return ~np.isnan(values)
    if kind == "date":
        return values < NEVER
    return values >= 0


def _known_expr(kind: str, value: str) -> str:
    if kind == "number":
        return f"({value} == {value})"
    if kind == "date":
        return f"({value} < {int(NEVER)})"
    return f"({value} >= 0)"


def _set_mask(categories: tuple[str, ...], wanted: list[str]) -> np.int64:
    return np.int64(sum(1 << categories.index(w) for w in wanted))


def _years(months: float, zh: bool) -> str:
    return f"{int(months) // 12} 岁" if zh else f"{int(months) // 12} years"


NO_BREAK = "\u00a0"  # a space a line never breaks at: the years and months in brackets stay on one line


def _months_text(months: float, zh: bool) -> str:
    """Whole months, with years and months in brackets from a year on: "36 months (3y 0m)", "36 个月（3 年 0 个月）".
    The bracket's spaces do not break (it wrapped inside its brackets on a phone until 2026-12-04)."""
    m = int(months)
    if m < 0:
        return "无" if zh else "none"
    years, rest = divmod(m, 12)
    if zh:
        inner = NO_BREAK.join((str(years), "年", str(rest), "个月"))
        return f"{m} 个月（{inner}）" if years else f"{m} 个月"
    return f"{m} months ({years}y{NO_BREAK}{rest}m)" if years else f"{m} months"
