"""evaluate(): every service's decision and earliest date, and every points scheme, for a table of people."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import polars as pl
import pyarrow as pa

from changzhu.domain.person import CheckedPersonTable, ExtraColumn, validate_placing_regions
from changzhu.domain.services import Service
from changzhu.rules.catalog import PolicySet, ResolvedPolicy, policies_in_use, region_lookup
from changzhu.rules.conditions import ServiceCondition
from changzhu.rules.dates import NEVER
from changzhu.rules.engine import IntervalEvaluator, PointsResult, chain_groups, spread_points
from changzhu.rules.frame import Frame, build_frame
from changzhu.rules.indicators import flat
from changzhu.rules.kernels import CompiledRules
from changzhu.rules.relevance import Relevance
from changzhu.rules.rows import everyone, is_everyone, take
from changzhu.rules.scenario import Scenario

CODE_BITS = 62  # names per int64 word when rows are grouped by the set of names they hold
DIRECT_BITS = 20  # up to this many names, combinations are found through a table of 2**names slots


def prepare(
    people: pl.DataFrame | CheckedPersonTable,
    on: date,
    *,
    scenario: Scenario | None = None,
    policies: PolicySet | None = None,
) -> Frame:
    """Validate the table (all or nothing; a CheckedPersonTable only for the date, the regions and the declared
    inputs) and the scenario; the people as the arrays the rules read on `on`."""
    policies = policies or policies_in_use()
    regions = region_lookup()
    extra = tuple(
        ExtraColumn(i.name, i.dtype, tuple(c.code for c in i.categories), i.type in ("integer", "months"))
        for i in policies.declared_inputs().values()
    )
    typed, places = validate_placing_regions(people, as_of=on, regions=regions.codes, extra=extra, codes=True)
    if scenario is not None:
        scenario.check(policies.parameter_units())
    return build_frame(typed, on, policies, regions, places)


def evaluate(
    people: pl.DataFrame | CheckedPersonTable,
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
    needs_<service> then lists the missing inputs (the person's or the parent's) whose value could change the
    decision (null otherwise; explain() names the same, through NeedsFinder).
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
    points: dict[str, list[PointsResult]] = {}  # per scheme, its results on some rows each (a chain group's)
    decisions: list[tuple[Service, np.ndarray, np.ndarray, np.ndarray]] = []
    if compiled is None:
        engine = IntervalEvaluator(frame, frame.policies, scenario)
        engine.run(wanted)
        for service in wanted:
            interval = engine.services[service]
            decided = interval.decided_mask()
            undetermined = np.zeros(frame.n, dtype=bool) if decided is None else ~decided
            start = np.asarray(interval.start, dtype=np.int32)
            eligible = start <= frame.on
            if interval.unknown is not None:  # an earliest date that depends on an unknown input is not given
                start = np.where(interval.unknown & ~eligible, NEVER, start).astype(np.int32)
            decisions.append((service, eligible, undetermined, start))
        points = dict(engine.points_now)
    else:
        result = compiled.run()
        for service in wanted:
            eligible = result.eligible.pop(service)
            start = np.where(eligible, np.int32(frame.on), NEVER).astype(np.int32)
            decisions.append((service, eligible, result.undetermined.pop(service), start))
        for name, total in result.points.items():
            points[name] = [PointsResult(None, total, result.points_low[name], result.points_high[name])]
    uncertain = {name: _open_totals(parts, frame.n) for name, parts in points.items()}
    open_points = np.zeros(frame.n, dtype=bool)
    for mask in uncertain.values():
        open_points |= mask
    if needs:
        undetermined_by = {s: undetermined for s, _, undetermined, _ in decisions if undetermined.any()}
        finder.focus(undetermined_by, open_points, engine=None if compiled is not None else engine)
    for service, eligible, undetermined, start in decisions:
        columns.extend(_decision_columns(service, eligible, undetermined, pl.Series(start)))
        if needs:
            columns.append(finder.service(service, undetermined))
    every_scheme = {name for j in frame.policies.jurisdictions.values() for name in j.schemes}
    for scheme in sorted(every_scheme):
        found = points.pop(scheme, None)
        if found is None:  # no one's rules hold the scheme: its columns are null (no array of NaN built for them)
            blank = pl.repeat(None, frame.n, dtype=pl.Float64, eager=True)
            columns.extend(blank.alias(f"{prefix}{scheme}") for prefix in ("points_", "points_low_", "points_high_"))
            if needs:
                columns.append(_names_column(f"unassessed_{scheme}", frame.n, {}))
            continue
        spread = spread_points(found, frame.n)
        for prefix, values in zip(("points_", "points_low_", "points_high_"), spread, strict=True):
            columns.append(pl.Series(f"{prefix}{scheme}", values, nan_to_null=True))
        if needs:
            masks = finder.unassessed(scheme, uncertain[scheme])
            columns.append(_names_column(f"unassessed_{scheme}", frame.n, masks))
    frame.clocks.clear()  # the inputs are no longer needed
    frame.statics.clear()
    return pl.DataFrame(columns)


def _open_totals(parts: list[PointsResult], n: int) -> np.ndarray:
    """Where a scheme's total is a range (an indicator unassessed), over every row."""
    if len(parts) == 1 and parts[0].rows is None:
        low = parts[0].low
        return ~np.isnan(low) & (low != parts[0].high)
    mask = np.zeros(n, dtype=bool)
    for part in parts:
        mask[part.rows] = ~np.isnan(part.low) & (part.low != part.high)
    return mask


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

    Only the rows holding a name are read after one pass that finds them: they are grouped by the set of names they
    hold (each distinct set found once), and the column is built as Arrow offsets over the names they hold, so the
    cost is one pass over the masks and the offsets, not a Python object (or a gathered polars list) per row."""
    names = list(masks)
    if not names:  # nobody: an all-null column
        return pl.repeat(None, n, dtype=pl.List(pl.String), eager=True).alias(name)
    held = np.zeros(n, dtype=bool)
    for mask in masks.values():
        held |= mask
    named = np.flatnonzero(held)
    combo_words, combo_of = _combinations(named, list(masks.values()))
    bits = (combo_words[:, np.arange(len(names)) // CODE_BITS] >> (np.arange(len(names)) % CODE_BITS)) & 1
    combo, which = np.nonzero(bits)  # per combination, in order, the names it holds
    sizes = np.bincount(combo, minlength=combo_words.shape[0])
    firsts = np.cumsum(sizes) - sizes  # where each combination's names start in `which`
    counts = sizes[combo_of]
    offsets = np.zeros(n + 1, dtype=np.int64)
    offsets[named + 1] = counts
    np.cumsum(offsets, out=offsets)
    within = np.arange(offsets[-1]) - np.repeat(offsets[named], counts)  # each name's place in its row's list
    codes = which[np.repeat(firsts[combo_of], counts) + within]
    values = pl.Series(names, dtype=pl.String).gather(codes).to_arrow()
    valid = pa.py_buffer(np.packbits(held, bitorder="little"))
    lists = pa.Array.from_buffers(pa.large_list(values.type), n, [valid, pa.py_buffer(offsets)], children=[values])
    return pl.Series(name, lists)


def _combinations(named: np.ndarray, masks: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """The distinct sets of names held by the rows `named` (one row of CODE_BITS-name words each), and each row's
    set, by position in `named`."""
    words = np.zeros(((len(masks) + CODE_BITS - 1) // CODE_BITS, named.shape[0]), dtype=np.int64)
    for i, mask in enumerate(masks):
        words[i // CODE_BITS] |= mask[named].astype(np.int64) << (i % CODE_BITS)
    if len(masks) <= DIRECT_BITS:  # one word, small: each combination's slot read from a table, no sorting
        seen = np.zeros(1 << len(masks), dtype=bool)
        seen[words[0]] = True
        combos = np.flatnonzero(seen)
        slot = np.zeros(seen.shape[0], dtype=np.int64)
        slot[combos] = np.arange(combos.shape[0])
        return combos[:, None], slot[words[0]]
    if words.shape[0] == 1:
        combos, which = np.unique(words[0], return_inverse=True)
        return combos[:, None], which
    combo_words, which = np.unique(words.T, axis=0, return_inverse=True)
    return combo_words, which.reshape(-1)


@dataclass
class _Focus:
    """An interval evaluator run on some rows of the frame: the engine, those rows' indices and their chain groups."""

    engine: IntervalEvaluator
    index: np.ndarray
    groups: list[tuple[ResolvedPolicy, np.ndarray]]


class NeedsFinder:
    """The missing inputs that could change an undetermined decision, and the open indicators of a scheme
    (changzhu.rules.relevance), found by the interval evaluator on the open rows (and their parents) only, on the
    date only. evaluate() and explain() both name needs through it."""

    def __init__(self, frame: Frame, scenario: Scenario | None) -> None:
        self.frame = frame
        self.scenario = scenario
        self._decisions: _Focus | None = None
        self._points: _Focus | None = None

    def focus(
        self, undetermined: dict[Service, np.ndarray], open_points: np.ndarray, engine: IntervalEvaluator | None = None
    ) -> None:
        """Evaluate, on the date, the services with an undetermined decision on the rows where one is (the
        prerequisites and points of a scheme they cite are evaluated with them), and the indicators of the rows with
        an open points total (with only the services indicators read: the permit, for permit months).

        `engine`: an interval evaluator already run on the whole frame for every service with an undetermined
        decision (evaluate(earliest=True)): its results are read, nothing is evaluated again, and the walk then
        decides on the date only (engine.search is turned off)."""
        if engine is not None:
            engine.search = False
            whole = _Focus(engine, everyone(self.frame.n), engine.groups)
            self._decisions = self._points = whole
            return
        decisions = np.zeros(self.frame.n, dtype=bool)
        for mask in undetermined.values():
            decisions |= mask
        if not decisions.any() and not open_points.any():  # every decision and total known: nothing to find
            self._decisions = self._points = None
            return
        read = indicator_services([p for p, _ in chain_groups(self.frame, self.frame.policies, self.scenario)])
        self._decisions = self._run(decisions, [*undetermined, *read]) if decisions.any() else None
        self._points = self._run(open_points, read) if open_points.any() else None

    def _run(self, wanted: np.ndarray, services: list[Service]) -> _Focus:
        """The interval evaluator on the wanted rows and their parents (transitively), for the services."""
        rows = wanted.copy()
        parent = self.frame.parent_idx
        while True:
            more = rows.copy()
            more[parent[rows & (parent >= 0)]] = True
            if (more == rows).all():
                break
            rows = more
        index = np.flatnonzero(rows)
        sub = self.frame.subset(index)
        engine = IntervalEvaluator(sub, sub.policies, self.scenario, search=False)
        engine.run(services, points=False)
        return _Focus(engine, index, chain_groups(sub, sub.policies, self.scenario))

    @staticmethod
    def _each_group(
        focus: _Focus | None, wanted: np.ndarray
    ) -> list[tuple[ResolvedPolicy, np.ndarray, np.ndarray, Relevance]]:
        """Per chain group of the focused rows: (policy, rows of the sub-frame, their rows in the whole frame)."""
        if focus is None or not wanted.any():
            return []
        relevance = Relevance(focus.engine)
        out = []
        whole = is_everyone(focus.index)  # the engine ran on every row: its rows are the frame's
        for policy, rows in focus.groups:
            mine = rows[take(wanted, rows if whole else focus.index[rows])]
            if mine.size:
                out.append((policy, mine, mine if whole else focus.index[mine], relevance))
        return out

    def service_masks(self, service: Service, undetermined: np.ndarray) -> dict[str, np.ndarray]:
        """Per missing input (the person's or the parent's), in name order, where its value could change the
        undetermined decision (over the whole frame)."""
        masks: dict[str, np.ndarray] = {}
        for policy, rows, whole, relevance in self._each_group(self._decisions, undetermined):
            for name, mask in relevance.service(policy, service, rows).items():
                masks.setdefault(name, np.zeros(self.frame.n, dtype=bool))[whole[mask]] = True
        return {k: masks[k] for k in sorted(masks)}

    def service(self, service: Service, undetermined: np.ndarray) -> pl.Series:
        """needs_<service>: the missing inputs whose value could change the undetermined decision."""
        return _names_column(f"needs_{service.value}", self.frame.n, self.service_masks(service, undetermined))

    def unassessed(self, scheme: str, uncertain: np.ndarray) -> dict[str, np.ndarray]:
        """Per indicator of the scheme, where its points are a range (an input that could change them is
        missing), on the rows whose total is open."""
        masks: dict[str, np.ndarray] = {}
        for policy, rows, whole, relevance in self._each_group(self._points, uncertain):
            found = policy.schemes.get(scheme)
            if found is None:
                continue
            for name, mask in relevance.open_indicators(policy, found, rows).items():
                if mask.any():
                    masks.setdefault(name, np.zeros(self.frame.n, dtype=bool))[whole[mask]] = True
        return masks

    def indicator_needs(self, scheme: str, indicator: str, row: int) -> list[str]:
        """The missing inputs that could change one top-level indicator's points for one person, in name order."""
        wanted = np.zeros(self.frame.n, dtype=bool)
        wanted[row] = True
        names: set[str] = set()
        for policy, rows, _, relevance in self._each_group(self._points, wanted):
            found = policy.schemes.get(scheme)
            ind = next((i for i in found.indicators if i.name == indicator), None) if found is not None else None
            if found is not None and ind is not None:
                names |= {k for k, mask in relevance.indicator(policy, found, ind, rows).items() if mask.any()}
        return sorted(names)


def indicator_services(policies: list[ResolvedPolicy]) -> list[Service]:
    """The services the schemes' indicators read (a service condition in an only_if; permit months)."""
    found: set[Service] = set()
    for policy in policies:
        for scheme in policy.schemes.values():
            for ind in flat(scheme.indicators):
                if "permit" in ind.reads():
                    found.add(Service.RESIDENCE_PERMIT)
                if ind.only_if is not None:
                    found |= {n.service for n in ind.only_if.walk() if isinstance(n, ServiceCondition)}
    return sorted(found)
