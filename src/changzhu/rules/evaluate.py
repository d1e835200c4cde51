"""evaluate(): every service's decision and earliest date, and every points scheme, for a table of people."""

from __future__ import annotations

from datetime import date

import numpy as np
import polars as pl

from changzhu.domain.person import ExtraColumn, validate_person_table
from changzhu.domain.services import Service
from changzhu.rules.catalog import PolicySet, ResolvedPolicy, policies_in_use, region_lookup
from changzhu.rules.conditions import Condition
from changzhu.rules.dates import NEVER
from changzhu.rules.engine import IntervalEvaluator, chain_groups, reads_of
from changzhu.rules.frame import Frame, build_frame
from changzhu.rules.kernels import CompiledRules
from changzhu.rules.relevance import Relevance
from changzhu.rules.scenario import Scenario

CODE_BITS = 62  # names per int64 word when rows are grouped by the set of names they hold
DIRECT_BITS = 20  # up to this many names, combinations are found through a table of 2**names slots


def prepare(
    people: pl.DataFrame, on: date, *, scenario: Scenario | None = None, policies: PolicySet | None = None
) -> Frame:
    """Validate the table (all or nothing) and the scenario; the people as the arrays the rules read on `on`."""
    policies = policies or policies_in_use()
    regions = region_lookup()
    extra = tuple(
        ExtraColumn(i.name, i.dtype, tuple(c.code for c in i.categories), i.type in ("integer", "months"))
        for i in policies.declared_inputs().values()
    )
    typed = validate_person_table(people, as_of=on, known_regions=set(regions.codes), extra=extra)
    if scenario is not None:
        scenario.check(policies.parameter_units())
    return build_frame(typed, on, policies, regions)


def evaluate(
    people: pl.DataFrame,
    on: date,
    *,
    scenario: Scenario | None = None,
    services: list[Service] | None = None,
    policies: PolicySet | None = None,
    earliest: bool = True,
    needs: bool = True,
) -> pl.DataFrame:
    """One row per person: person_id; per service eligible_, undetermined_, needs_, earliest_; per scheme points_,
    points_low_, points_high_, unassessed_.

    People are judged by the rules of their residence_region (national → province → city) in force on `on`,
    with `scenario`'s overrides. Decisions are three-valued: eligible_<service> is true when the person is
    eligible for certain, undetermined_<service> when a missing input could change the decision, and
    needs_<service> then lists the inputs the service reads that are missing for the person (null otherwise).
    earliest_<service> is the first date on or after `on` the person qualifies if nothing else changes (null: not
    under unchanged circumstances, or undetermined). points_<scheme> is the assessed total (indicators whose
    inputs are known), points_low_/points_high_ the range the total could reach with the unassessed indicators
    (listed in unassessed_<scheme>); all null where the scheme does not apply. earliest=False decides on `on`
    only, with the compiled rules (changzhu.rules.kernels): earliest_<service> is then `on` where eligible, else
    null. needs=False leaves out the needs_ and unassessed_ columns (finding them evaluates the open rows again;
    the simulation counts decisions only). Raises PersonTableError (rows and columns named) on bad input; nothing
    is evaluated.
    """
    wanted = list(services) if services is not None else list(Service)
    frame = prepare(people, on, scenario=scenario, policies=policies)
    columns: list[pl.Series] = [pl.Series("person_id", frame.person_id)]
    compiled = None if earliest else CompiledRules(frame, wanted, scenario)
    finder = NeedsFinder(frame, scenario)
    points: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}
    decisions: list[tuple[Service, np.ndarray, np.ndarray, np.ndarray]] = []
    if compiled is None:
        engine = IntervalEvaluator(frame, frame.policies, scenario)
        engine.run(wanted)
        for service in wanted:
            interval = engine.services.pop(service)
            decided = interval.decided_mask()
            undetermined = np.zeros(frame.n, dtype=bool) if decided is None else ~decided
            start = np.asarray(interval.start, dtype=np.int32)
            eligible = start <= frame.on
            if interval.unknown is not None:  # an earliest date that depends on an unknown input is not given
                start = np.where(interval.unknown & ~eligible, NEVER, start).astype(np.int32)
            decisions.append((service, eligible, undetermined, start))
        for name, got in engine.points_now.items():
            points[name] = (got.assessed, got.low, got.high)
    else:
        result = compiled.run()
        for service in wanted:
            eligible = result.eligible.pop(service)
            start = np.where(eligible, np.int32(frame.on), NEVER).astype(np.int32)
            decisions.append((service, eligible, result.undetermined.pop(service), start))
        for name, total in result.points.items():
            points[name] = (total, result.points_low[name], result.points_high[name])
    open_rows = np.zeros(frame.n, dtype=bool)
    for _, _, undetermined, _ in decisions:
        open_rows |= undetermined
    for _, low, high in points.values():
        open_rows |= ~np.isnan(low) & (low != high)
    if needs and open_rows.any():  # the services with an undetermined decision (the schemes come with any run)
        finder.focus(open_rows, [service for service, _, undetermined, _ in decisions if undetermined.any()])
    for service, eligible, undetermined, start in decisions:
        columns.extend(_decision_columns(service, eligible, undetermined, pl.Series(start)))
        if needs:
            columns.append(finder.service(service, undetermined))
    every_scheme = {name for j in frame.policies.jurisdictions.values() for name in j.schemes}
    for scheme in sorted(every_scheme):
        found = points.pop(scheme, None)
        blank = np.full(frame.n, np.nan)
        total, low, high = found if found is not None else (blank, blank, blank)
        for prefix, values in (("points_", total), ("points_low_", low), ("points_high_", high)):
            columns.append(pl.Series(f"{prefix}{scheme}", values).fill_nan(None))
        if needs:
            uncertain = ~np.isnan(low) & (low != high)
            columns.append(_names_column(f"unassessed_{scheme}", frame.n, finder.unassessed(scheme, uncertain)))
    frame.clocks.clear()  # the inputs are no longer needed
    frame.statics.clear()
    return pl.DataFrame(columns)


def _decision_columns(
    service: Service, eligible: np.ndarray, undetermined: np.ndarray, start: pl.Series
) -> list[pl.Series]:
    """eligible_<service>, undetermined_<service> and earliest_<service> (the start day as a date; null when it
    is NEVER)."""
    earliest = start.to_frame().select(pl.when(start < int(NEVER)).then(start.cast(pl.Date))).to_series()
    return [
        pl.Series(f"eligible_{service.value}", eligible),
        pl.Series(f"undetermined_{service.value}", undetermined),
        earliest.alias(f"earliest_{service.value}"),
    ]


def _names_column(name: str, n: int, masks: dict[str, np.ndarray]) -> pl.Series:
    """A list-of-names column: per row, the names whose mask is true there, in the masks' order (null when none).

    Rows with the same set of names share one list: each distinct combination is built once and gathered, so the
    cost is a few passes over the masks, not a Python object (or a polars list) per row."""
    names = list(masks)
    if not names:  # nobody: an all-null column
        return pl.repeat(None, n, dtype=pl.List(pl.String), eager=True).alias(name)
    words = np.zeros(((len(names) + CODE_BITS - 1) // CODE_BITS, n), dtype=np.int64)
    for i, mask in enumerate(masks.values()):
        words[i // CODE_BITS] |= mask.astype(np.int64) << (i % CODE_BITS)
    if len(names) <= DIRECT_BITS:  # one word, small: each combination's slot read from a table, no sorting
        seen = np.zeros(1 << len(names), dtype=bool)
        seen[words[0]] = True
        seen[0] = False
        combos = np.flatnonzero(seen)
        slot = np.full(seen.shape[0], combos.shape[0], dtype=np.uint32)  # one past the combinations: null
        slot[combos] = np.arange(combos.shape[0], dtype=np.uint32)
        index = slot[words[0]]
        combo_words = combos[:, None]
    else:
        named = np.flatnonzero(words.any(axis=0))
        combo_words, which = np.unique(words[:, named].T, axis=0, return_inverse=True)
        index = np.full(n, combo_words.shape[0], dtype=np.uint32)
        index[named] = which.reshape(-1)
    lists = pl.Series(
        name,
        [[k for i, k in enumerate(names) if int(c[i // CODE_BITS]) >> (i % CODE_BITS) & 1] for c in combo_words],
        dtype=pl.List(pl.Enum(names)),
    )  # gathered as codes (a list of strings is gathered string by string, about twice as slow), then named
    return lists.extend_constant(None, 1).gather(index).cast(pl.List(pl.String)).alias(name)


class NeedsFinder:
    """The missing inputs that could change an undetermined decision, and the open indicators of a scheme
    (changzhu.rules.relevance), found by the interval evaluator on the open rows (and their parents) only."""

    def __init__(self, frame: Frame, scenario: Scenario | None) -> None:
        self.frame = frame
        self.scenario = scenario
        self._sub: tuple[IntervalEvaluator, np.ndarray, list[tuple[ResolvedPolicy, np.ndarray]]] | None = None

    def focus(self, open_rows: np.ndarray, services: list[Service]) -> None:
        """Evaluate the rows with an open result (and their parents, transitively) for the services."""
        rows = open_rows.copy()
        parent = self.frame.parent_idx
        while True:
            more = rows.copy()
            more[parent[rows & (parent >= 0)]] = True
            if (more == rows).all():
                break
            rows = more
        index = np.flatnonzero(rows)
        sub = build_frame(self.frame.people[index], self.frame.on_date, self.frame.policies, self.frame.regions)
        for name, values in self.frame.statics.items():  # the arrays already built, not derived again
            sub.statics[name] = values[index]
        for name, clock in self.frame.clocks.items():
            if name != "permit":  # the interval evaluator sets permit months from the permit decision
                sub.clocks[name] = clock.take(index)
        engine = IntervalEvaluator(sub, sub.policies, self.scenario)
        engine.run(services)
        self._sub = (engine, index, chain_groups(sub, sub.policies, self.scenario))

    def _each_group(self, wanted: np.ndarray) -> list[tuple[ResolvedPolicy, np.ndarray, np.ndarray, Relevance]]:
        """Per chain group of the focused rows: (policy, rows of the sub-frame, their rows in the whole frame)."""
        if self._sub is None or not wanted.any():
            return []
        engine, index, groups = self._sub
        relevance = Relevance(engine)
        out = []
        for policy, rows in groups:
            mine = rows[wanted[index[rows]]]
            if mine.size:
                out.append((policy, mine, index[mine], relevance))
        return out

    def service(self, service: Service, undetermined: np.ndarray) -> pl.Series:
        """needs_<service>: the missing inputs (the person's or the parent's) whose value could change the
        undetermined decision."""
        masks: dict[str, np.ndarray] = {}
        for policy, rows, whole, relevance in self._each_group(undetermined):
            for name, mask in sorted(relevance.service(policy, service, rows).items()):
                masks.setdefault(name, np.zeros(self.frame.n, dtype=bool))[whole[mask]] = True
        return _names_column(f"needs_{service.value}", self.frame.n, {k: masks[k] for k in sorted(masks)})

    def _missing(self, name: str) -> np.ndarray | None:
        """Where a nullable variable is unknown (None: never)."""
        spec = self.frame.variables.get(name)
        if spec is None or not spec.nullable:
            return None
        if spec.kind == "clock":
            known = self.frame.clock_known(name)
            return None if known is None else ~known
        values = self.frame.statics[name]
        if spec.kind == "number":
            return np.isnan(values)
        if spec.kind == "date":
            return values >= NEVER
        return values < 0

    def missing_for(self, policy: ResolvedPolicy, node: Condition, row: int) -> list[str]:
        """The inputs a rule tree reads (through services, schemes, the parent) that are missing for one person."""
        parent = int(self.frame.parent_idx[row])
        out = []
        for name, of in sorted(reads_of(policy, node)):
            missing = self._missing(name)
            if missing is None:
                continue
            at = parent if of == "parent" else row
            if at >= 0 and bool(missing[at]) and name not in out:
                out.append(name)
        return out

    def unassessed(self, scheme: str, uncertain: np.ndarray) -> dict[str, np.ndarray]:
        """Per indicator of the scheme, where its points are a range (an input that could change them is
        missing), on the rows whose total is open."""
        masks: dict[str, np.ndarray] = {}
        for policy, rows, whole, relevance in self._each_group(uncertain):
            found = policy.schemes.get(scheme)
            if found is None:
                continue
            for name, mask in relevance.open_indicators(policy, found, rows).items():
                if mask.any():
                    masks.setdefault(name, np.zeros(self.frame.n, dtype=bool))[whole[mask]] = True
        return masks
