"""Which missing inputs could change an undetermined result (needs_<service>, unassessed_<scheme>).

Three-valued (Kleene) logic on the evaluation date, walked down the rule tree: an all_of or any_of that is
undetermined is so through its undetermined parts only (a part decided by known facts, e.g. a condition a known
value already fails, is not reopened by any input below it); a condition on a variable is undetermined only where
the variable is unknown; a service condition through that service's rule; a points condition through its
undetermined prerequisites and the indicators whose range is still open (an indicator that counts only if a
condition known to fail, or a ladder below a known higher one, or items of a group already at its cap, adds the
same whatever its input). The walk evaluates with the interval evaluator, on the rows it is given only.
"""

from __future__ import annotations

import numpy as np

from changzhu.domain.services import Service
from changzhu.rules.arrays import Interval
from changzhu.rules.catalog import ResolvedPolicy
from changzhu.rules.codegen import open_bits
from changzhu.rules.conditions import AllOf, AnyOf, Condition, PointsCondition, ServiceCondition, VariableCondition
from changzhu.rules.dates import NEVER
from changzhu.rules.engine import IntervalEvaluator
from changzhu.rules.indicators import Indicator
from changzhu.rules.model import PointsScheme
from changzhu.rules.parents import PARENT_FACTS, UNLINKED
from changzhu.rules.rows import places, take

Live = dict[str, np.ndarray]  # input name -> where (on the rows given) its value could change the result


def _open(iv: Interval, m: int) -> np.ndarray:
    """Where the value on the evaluation date is not certain."""
    decided = iv.decided_mask()
    return np.zeros(m, dtype=bool) if decided is None else ~decided


def _merge(into: Live, got: Live, where: np.ndarray | None = None) -> None:
    for name, mask in got.items():
        hit = mask if where is None else mask & where
        if hit.any():
            into[name] = into[name] | hit if name in into else hit


def _within(rows: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """The rows where the mask holds: `rows` itself where it holds on all of them, so that the parts asked next read
    what the engine computed for that array (ev.once, service_interval: by identity) rather than compute it again (the
    walk naming needs_ starts from rows all undetermined, and its parts are most often undetermined on all of them)."""
    return rows if mask.all() else rows[mask]


class Relevance:
    """The live missing inputs of rule trees and indicators, by the interval evaluator `ev` (already run)."""

    def __init__(self, ev: IntervalEvaluator) -> None:
        self.ev = ev
        self.frame = ev.frame
        self._open: dict[tuple[int, int], tuple[ResolvedPolicy, Indicator, np.ndarray, np.ndarray]] = {}  # _is_open
        self._kernel_flags: dict[tuple[int, str, int], tuple[ResolvedPolicy, np.ndarray, np.ndarray | None]] = {}
        self._bits: dict[int, tuple[PointsScheme, dict[int, int]]] = {}  # per scheme, its indicators' open bits

    def missing(self, name: str, rows: np.ndarray) -> np.ndarray:
        """Where a variable is unknown, on the rows."""
        spec = self.frame.variables.get(name)
        if spec is None or not spec.nullable:
            return np.zeros(rows.shape[0], dtype=bool)
        if spec.kind == "clock":
            known = self.ev.clock_known(name, rows)
            return np.zeros(rows.shape[0], dtype=bool) if known is None else ~known
        values = self.frame.statics[name][rows]
        if spec.kind == "number":
            return np.isnan(values)
        if spec.kind == "date":
            return values >= NEVER
        return values < 0

    def condition(self, policy: ResolvedPolicy, node: Condition, rows: np.ndarray) -> Live:
        """The inputs that could change the node's value on the date, on the rows where it is undetermined."""
        m = rows.shape[0]
        undecided = _open(node.interval(self.ev, policy, rows, "needs"), m)
        out: Live = {}
        if not undecided.any():
            return out
        if isinstance(node, AllOf | AnyOf):
            inside = _within(rows, undecided)
            for part in node.parts:
                _merge(out, self.condition(policy, part, inside), None)
            return self._lift(out, undecided, m)
        if getattr(node, "of", "self") == "parent":
            parent = self.frame.parent_idx[rows]
            present = undecided & (parent >= 0)
            out = self._lift(self._leaf(policy, node, parent[present]), present, m)
            _merge(out, dict.fromkeys(PARENT_FACTS, undecided & (parent == UNLINKED)))  # no parent linked
            return out
        return self._lift(self._leaf(policy, node, _within(rows, undecided)), undecided, m)

    @staticmethod
    def _lift(got: Live, where: np.ndarray, m: int) -> Live:
        """Masks over a subset of rows (`where`) back onto all m rows."""
        out: Live = {}
        for name, mask in got.items():
            full = np.zeros(m, dtype=bool)
            full[where] = mask
            out[name] = full
        return out

    def _leaf(self, policy: ResolvedPolicy, node: Condition, rows: np.ndarray) -> Live:
        """A leaf's live inputs on rows where it is undetermined (for of=parent: the parents' rows)."""
        if isinstance(node, VariableCondition):
            if node.variable == "permit":  # permit months are unknown where the permit decision is
                return self.service(policy, Service.RESIDENCE_PERMIT, rows)
            if node.variable == "parent_same_region":  # unknown where no parent is linked: the parent's facts
                return dict.fromkeys(PARENT_FACTS, self.missing(node.variable, rows))
            return {node.variable: self.missing(node.variable, rows)}
        if isinstance(node, ServiceCondition):
            return self.service(policy, node.service, rows)
        if isinstance(node, PointsCondition) and node.scheme in policy.schemes:
            return self.scheme(policy, policy.schemes[node.scheme], rows)
        return {}

    def service(self, policy: ResolvedPolicy, service: Service, rows: np.ndarray) -> Live:
        """The live inputs of a service's rule."""
        rule = policy.services.get(service)
        return {} if rule is None else self.condition(policy, rule.rule, rows)

    def scheme(self, policy: ResolvedPolicy, scheme: PointsScheme, rows: np.ndarray) -> Live:
        """The live inputs of a points condition: undetermined prerequisites and open indicators."""
        out: Live = {}
        if scheme.prerequisites is not None:
            _merge(out, self.condition(policy, scheme.prerequisites, rows))
        for ind in scheme.indicators:
            _merge(out, self.indicator(policy, scheme, ind, rows))
        return out

    def open_indicators(self, policy: ResolvedPolicy, scheme: PointsScheme, rows: np.ndarray) -> dict[str, np.ndarray]:
        """Per top-level indicator, where its points on the date are a range (not one number)."""
        return {ind.name: self._is_open(policy, scheme, ind, rows) for ind in scheme.indicators}

    def indicator(self, policy: ResolvedPolicy, scheme: PointsScheme, ind: Indicator, rows: np.ndarray) -> Live:
        """The live inputs of an indicator: where its range is open, its own unknown inputs, those of its open
        parts and of its undetermined only_if condition."""
        is_open = self._is_open(policy, scheme, ind, rows)
        out: Live = {}
        if not is_open.any():
            return out
        inside = _within(rows, is_open)
        got: Live = {}
        for part in ind.parts():
            _merge(got, self.indicator(policy, scheme, part, inside))
        own = [v.name for v in ind.variables()]
        if ind.multiplier is not None:
            own.append(ind.multiplier.variable.name)
        for name in own:
            if name == "permit":  # permit months are unknown where the permit decision is
                _merge(got, self.service(policy, Service.RESIDENCE_PERMIT, inside))
            else:
                _merge(got, {name: self.missing(name, inside)})
        if ind.only_if is not None:
            _merge(got, self.condition(policy, ind.only_if, inside))
        return self._lift(got, is_open, rows.shape[0])

    def _is_open(self, policy: ResolvedPolicy, scheme: PointsScheme, ind: Indicator, rows: np.ndarray) -> np.ndarray:
        """Where the indicator's points on the date are a range, on the rows (in order): an indicator's (top-level or
        a part, codegen.open_bits) from its scheme's kernel where the engine ran it on rows among which these are
        (_flags); else scored once for the first rows asked and read from there for rows among them (evaluate() asks
        for the open indicators of unassessed_ first, then the walk for needs_ asks again on some of those rows);
        other rows are scored themselves."""
        bit = self._bit(scheme, ind)
        flags = None if bit is None else self._flags(policy, scheme, rows)
        if bit is not None and flags is not None:
            return (flags & (1 << bit)) != 0
        key = (id(policy), id(ind))  # (the policy and indicator are kept with the answer: their ids are not reused)
        found = self._open.get(key)
        at = None if found is None or found[0] is not policy or found[1] is not ind else places(found[2], rows)
        if at is not None and found is not None:
            return take(found[3], at)
        lo, hi = ind.score(self.ev, policy, rows, self.frame.on, f"needs:{scheme.name}:{ind.name}")
        is_open = lo != hi
        if found is None:
            is_open.flags.writeable = False  # (read by every later asker)
            self._open[key] = (policy, ind, rows, is_open)
        return is_open

    def _bit(self, scheme: PointsScheme, ind: Indicator) -> int | None:
        """The indicator's bit in its scheme kernel's open flags (codegen.open_bits), None if it has none."""
        found = self._bits.get(id(scheme))
        if found is None or found[0] is not scheme:  # (the scheme is kept with its bits: its id is not reused)
            bits: dict[int, int] = {}
            for i, got in enumerate(open_bits(scheme)):
                bits.setdefault(id(got), i)
            found = (scheme, bits)
            self._bits[id(scheme)] = found
        return found[1].get(id(ind))

    def _flags(self, policy: ResolvedPolicy, scheme: PointsScheme, rows: np.ndarray) -> np.ndarray | None:
        """The open indicators of the scheme (codegen.open_bits) on the rows (in order) from its kernel, where the
        engine ran it on rows among which these are (None elsewhere); found once for the same rows (the same array)."""
        key = (id(policy), scheme.name, id(rows))  # (kept with the answer: the ids are not reused)
        found = self._kernel_flags.get(key)
        if found is not None and found[0] is policy and found[1] is rows:
            return found[2]
        flags = None
        for asked, got in self.ev.open_flags(policy, scheme):
            at = places(asked, rows)
            if at is not None:
                flags = take(got, at)
                break
        self._kernel_flags[key] = (policy, rows, flags)
        return flags
