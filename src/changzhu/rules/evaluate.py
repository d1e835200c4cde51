"""evaluate(): every service's decision and earliest date, and every points scheme, for a table of people."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cached_property

import numpy as np
import polars as pl
import pyarrow as pa

from changzhu.domain.person import (
    PERSON_COLUMNS,
    REGION_COLUMNS,
    CheckedPersonTable,
    ExtraColumn,
    validate_placing_regions,
)
from changzhu.domain.services import Service
from changzhu.rules.arrays import small_pages_zeros
from changzhu.rules.catalog import PolicySet, ResolvedPolicy, policies_in_use, region_lookup
from changzhu.rules.codegen import read_only
from changzhu.rules.conditions import ServiceCondition
from changzhu.rules.dates import NEVER
from changzhu.rules.engine import IntervalEvaluator, PointsResult, chain_groups
from changzhu.rules.frame import Frame
from changzhu.rules.indicators import Indicator, flat
from changzhu.rules.kernels import CompiledRules
from changzhu.rules.relevance import Relevance
from changzhu.rules.rows import take
from changzhu.rules.scenario import Scenario


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
    coded = _given_codes(people)
    typed, places = validate_placing_regions(
        people,
        as_of=on,
        regions=regions.codes,
        extra=extra,
        codes=True,
        places=_given_places(people, regions.codes),
        coded=tuple(coded),
    )
    if scenario is not None:
        policies.check_scenario(scenario)
    return Frame(typed, on, policies, regions, places, coded)


def _given_places(people: pl.DataFrame | CheckedPersonTable, known: tuple[str, ...]) -> pl.DataFrame | None:
    """Each row's place among the known regions in each region column, read from the text's string views
    (changzhu.rules.text_codes: faster than validation's cast of the text to an Enum); None unless every column of a
    DataFrame is placed so (a CheckedPersonTable, a missing column, an unknown or malformed code: validation places
    them, and names the problems)."""
    if not isinstance(people, pl.DataFrame) or any(name not in people.columns for name in REGION_COLUMNS):
        return None
    from changzhu.rules.text_codes import text_places  # numba: imported where it runs (_names_column)

    found = {}
    for name in REGION_COLUMNS:
        got = text_places(people.get_column(name), known)
        if got is None:
            return None
        found[name] = got
    return pl.DataFrame(found)


def _given_codes(people: pl.DataFrame | CheckedPersonTable) -> dict[str, np.ndarray]:
    """Per category column of the schema given as text (sex, education, housing, the title), each row's code (int8,
    -1 for null) read from its string views (changzhu.rules.text_codes), which validation then does not cast to an
    Enum (≈25 ms a column at 1M rows, against ≈5–12 ms here), and the frame reads as they are; a column with a text
    not among its categories is left out (validation casts it, and names the problem)."""
    if not isinstance(people, pl.DataFrame):
        return {}
    from changzhu.rules.text_codes import text_places  # numba: imported where it runs (_names_column)

    found = {}
    for col in PERSON_COLUMNS:
        if isinstance(col.dtype, pl.Enum) and col.name in people.columns:
            got = text_places(people.get_column(col.name), tuple(col.dtype.categories.to_list()), np.int8)
            if got is not None:
                found[col.name] = read_only(got)
    return found


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
    columns: list[pl.Series] = [frame.people.get_column("person_id")]  # (the table's, not copied)
    compiled = None if earliest else CompiledRules(frame, wanted, scenario)
    finder = NeedsFinder(frame, scenario)
    points: dict[str, list[PointsResult]] = {}  # per scheme, its results on some rows each (a chain group's)
    # per service its eligible_, undetermined_ and earliest_ columns (made at once: the arrays they are made from are
    # then free for the next service's) and where it is undetermined
    decisions: list[tuple[Service, list[pl.Series], np.ndarray]] = []
    if compiled is None:
        engine = IntervalEvaluator(frame, frame.policies, scenario, every_end=False)  # (its starts and decisions read)
        engine.run(wanted)
        for service in wanted:
            interval = engine.services[service]
            decided = interval.decided_mask()
            undetermined = np.zeros(frame.n, dtype=bool) if decided is None else ~decided
            start = np.ascontiguousarray(interval.start, dtype=np.int32)
            eligible = start <= frame.on
            dated = start < NEVER
            if interval.unknown is not None:  # an earliest date that depends on an unknown input is not given
                dated &= eligible | ~interval.unknown
            decisions.append((service, _decision_columns(service, eligible, undetermined, start, dated), undetermined))
        points = dict(engine.points_now)
    else:
        result = compiled.run()
        for service in wanted:
            eligible, undetermined = result.eligible.pop(service), result.undetermined.pop(service)
            start = np.broadcast_to(np.int32(frame.on), (frame.n,))
            decisions.append(
                (service, _decision_columns(service, eligible, undetermined, start, eligible), undetermined)
            )
        for name, total in result.points.items():
            points[name] = [PointsResult(None, total, result.points_low[name], result.points_high[name])]
    uncertain = {name: _open_totals(parts, frame.n) for name, parts in points.items()}
    open_points = np.zeros(frame.n, dtype=bool)
    for mask in uncertain.values():
        open_points |= mask
    if needs:
        undetermined_by = {s: undetermined for s, _, undetermined in decisions if undetermined.any()}
        finder.focus(undetermined_by, open_points, engine=None if compiled is not None else engine)
    # the schemes' columns first: the open indicators of unassessed_ are scored once, and the walk for needs_ then
    # reads them on the rows it asks about (Relevance)
    schemes: list[pl.Series] = []
    spread = _TotalBuffers(frame.n)
    every_scheme = {name for j in frame.policies.jurisdictions.values() for name in j.schemes}
    for scheme in sorted(every_scheme):
        found = points.pop(scheme, None)
        if found is None:  # no one's rules hold the scheme: its columns are null (no array of NaN built for them)
            blank = pl.repeat(None, frame.n, dtype=pl.Float64, eager=True)
            schemes.extend(blank.alias(f"{prefix}{scheme}") for prefix in ("points_", "points_low_", "points_high_"))
            if needs:
                schemes.append(finder.names_column(f"unassessed_{scheme}", {}))
            continue
        schemes.extend(_points_columns(scheme, found, frame.n, spread))
        if needs:
            held_by = finder.unassessed(scheme, uncertain[scheme])
            schemes.append(finder.names_column(f"unassessed_{scheme}", held_by))
    for service, made, undetermined in decisions:
        columns.extend(made)
        if needs:
            columns.append(finder.service(service, undetermined))
    columns.extend(schemes)
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
    service: Service, eligible: np.ndarray, undetermined: np.ndarray, start: np.ndarray, dated: np.ndarray
) -> list[pl.Series]:
    """eligible_<service>, undetermined_<service> and earliest_<service>: the start day (int32 days) as a date where
    `dated`, else null, read in place (no column of dates written again)."""
    return [
        pl.Series(f"eligible_{service.value}", eligible),
        pl.Series(f"undetermined_{service.value}", undetermined),
        _nullable(f"earliest_{service.value}", pa.date32(), start, dated),
    ]


def _nullable(name: str, kind: pa.DataType, values: np.ndarray, valid: np.ndarray) -> pl.Series:
    """A column of `values` (of Arrow's type `kind`, read in place: contiguous, of its width) null where not `valid`."""
    bits = None if valid.all() else pa.py_buffer(np.packbits(valid, bitorder="little"))
    values = np.ascontiguousarray(values)  # a broadcast value: one per row
    return pl.Series(name, pa.Array.from_buffers(kind, values.shape[0], [bits, pa.py_buffer(values)]))


def _points_columns(scheme: str, parts: list[PointsResult], n: int, spread: _TotalBuffers) -> list[pl.Series]:
    """points_, points_low_ and points_high_<scheme> over every row from its chain groups' results: null where NaN and
    on the rows of no group. A total equal to one before it on every row is the same column (one array for both);
    the others are written into `spread`'s arrays, which totals on other rows share."""
    prefixes = ("points_", "points_low_", "points_high_")
    if len(parts) == 1 and parts[0].rows is None:
        whole = (parts[0].assessed, parts[0].low, parts[0].high)
        return [pl.Series(f"{p}{scheme}", values, nan_to_null=True) for p, values in zip(prefixes, whole, strict=True)]
    made: list[pa.Array] = []  # each total's values, null where NaN and on the rows of no group
    for k in range(3):
        same = next((j for j in range(k) if all(_same_totals(part, j, k) for part in parts)), None)
        made.append(made[same] if same is not None else spread.spread(parts, k))
    return [pl.Series(f"{p}{scheme}", got) for p, got in zip(prefixes, made, strict=True)]


class _TotalBuffers:
    """The arrays over every row that schemes' totals are spread into, shared by totals on rows apart.

    A chain group's scheme holds its own city's people only, and a points column reads its values only where it is
    valid (Arrow's values under a null are never read), so a total whose rows no total already in an array holds is
    written into that array: with people spread over ten cities, the four schemes' twelve totals take three arrays of
    8 bytes a row, not twelve (every one written for the first time: this machine's cost, docs/performance.md).
    Each group's total is written by one kernel pass over its rows (changzhu.rules.total_kernels)."""

    def __init__(self, n: int) -> None:
        self.n = n
        self._arrays: list[tuple[np.ndarray, np.ndarray]] = []  # per array, its values and the rows holding a total

    def spread(self, parts: list[PointsResult], k: int) -> pa.Array:
        """Total `k` (0 assessed, 1 low, 2 high) of the parts, over every row: null where NaN and on no part's rows."""
        # numba's kernel, imported here: `import changzhu.rules` imports no numba (_names_column)
        from changzhu.rules.total_kernels import spread_total

        found = next((got for got in self._arrays if not any(got[1][p.rows].any() for p in parts)), None)
        if found is None:
            found = (small_pages_zeros(self.n, np.float64), np.zeros(self.n, dtype=bool))
            self._arrays.append(found)
        values, taken = found
        bits = np.zeros((self.n + 7) // 8, dtype=np.uint8)
        for part in parts:
            total = np.asarray((part.assessed, part.low, part.high)[k], dtype=np.float64)
            spread_total(np.asarray(part.rows, dtype=np.int64), total, values, taken, bits)
        return pa.Array.from_buffers(pa.float64(), self.n, [pa.py_buffer(bits), pa.py_buffer(values)])


SAME_HEAD = 1024  # rows of two totals compared first: totals that differ mostly differ from the first rows on


def _same_totals(part: PointsResult, j: int, k: int) -> bool:
    """Whether two of a part's totals (0 assessed, 1 low, 2 high) are equal on every row (NaN where the other is).

    Asked of every scheme's three pairs, most of them different on nearly every row (a range where an indicator is
    unassessed): their first SAME_HEAD rows settle those at once, not a NaN test and a comparison of every row each.
    Totals of the same bits everywhere are equal (one comparison of every row, as integers); only totals whose bits
    differ somewhere (0.0 and -0.0, NaNs of other bits) are compared as floats."""
    totals = (part.assessed, part.low, part.high)
    a, b = totals[j], totals[k]
    if a is b:
        return True
    if not np.array_equal(a[:SAME_HEAD], b[:SAME_HEAD], equal_nan=True):
        return False
    if a.dtype == b.dtype == np.float64 and a.shape == b.shape and np.array_equal(a.view(np.int64), b.view(np.int64)):
        return True
    return bool(np.array_equal(a, b, equal_nan=True))


NAMES = pl.List(pl.Categorical)  # a needs_/unassessed_ column: per row, the names of inputs or indicators


def _names_column(name: str, n: int, held_by: dict[str, np.ndarray]) -> pl.Series:
    """A list-of-names column: per row, the names holding it (`held_by`: per name, the indices of its rows, each
    once), in `held_by`'s order (null when none).

    The column is List(Categorical) (NAMES): a name is the same text as a string, and is read, written to CSV and
    Parquet and turned into Python as one, but is written as a code of one byte (four past 256 names), which polars
    holds in four, where List(String) holds a 16-byte string view per name: the names come from a small vocabulary
    (the inputs and indicators of the rules) and are listed millions of times in a large table
    (docs/performance-history.md, nineteenth pass). It is built as Arrow buffers, written by
    changzhu.rules.names_kernels: the offsets of the rows' lists (each name's bit marked at its rows, then every
    row's names listed in row order; past MARKED names, each name's rows counted, then placed), the validity bits,
    and per name listed its code, the names themselves once as the dictionary. The cost is the offsets over every
    row and one pass over each name's rows, not a mask over every row per name, a Python object or a copied string
    per row."""
    if not held_by:  # nobody: an all-null column
        return pl.repeat(None, n, dtype=NAMES, eager=True).alias(name)
    # numba's kernels, imported here: `import changzhu.rules` imports no numba, so that `changzhu evaluate` imports
    # it in a thread while the file is read (changzhu.cli.rules._start_in_threads)
    from changzhu.rules.names_kernels import MARKED, count_rows, first_places, list_marked, mark_rows, place

    rows = [read_only(np.asarray(got, dtype=np.int64)) for got in held_by.values()]  # (one kernel signature)
    offsets = small_pages_zeros(n + 1, np.int64)
    valid = small_pages_zeros((n + 7) // 8, np.uint8)
    code = np.uint8 if len(rows) <= 1 << 8 else np.uint32
    codes = read_only(np.arange(len(rows), dtype=code))  # each name's code: its place in `held_by`
    if len(rows) <= MARKED:  # each name's bit at its rows, then every row's names in row order
        for k, got in enumerate(rows):
            mark_rows(got, k, offsets)
        listed = small_pages_zeros(sum(got.shape[0] for got in rows), code)
        list_marked(offsets, codes, valid, listed)
    else:  # each name's rows counted, then each name placed at its rows' next place
        for got in rows:
            count_rows(got, offsets)
        listed = small_pages_zeros(first_places(offsets, valid), code)
        for k, got in enumerate(rows):
            place(got, codes, k, offsets, listed)
    kind = pa.dictionary(pa.uint8() if code is np.uint8 else pa.uint32(), pa.string())
    child = pa.DictionaryArray.from_buffers(kind, listed.shape[0], [None, pa.py_buffer(listed)], _texts(list(held_by)))
    lists = pa.Array.from_buffers(
        pa.large_list(kind), n, [pa.py_buffer(valid), pa.py_buffer(offsets)], children=[child]
    )
    return pl.Series(name, lists)


def _texts(texts: list[str]) -> pa.Array:
    """The texts as an Arrow string array, made from its buffers (pa.array on Python strings imports pandas, when
    installed, the first time: ≈0.15 s)."""
    raw = [text.encode() for text in texts]
    ends = np.cumsum([0, *(len(r) for r in raw)], dtype=np.int32)
    return pa.Array.from_buffers(pa.string(), len(raw), [None, pa.py_buffer(ends), pa.py_buffer(b"".join(raw))])


@dataclass
class _Focus:
    """An interval evaluator run on some rows of the frame: the engine, those rows' indices (None: every row, in
    order: the engine ran on the whole frame, and its rows are the frame's, with no array of every row made for it)
    and their chain groups."""

    engine: IntervalEvaluator
    index: np.ndarray | None
    groups: list[tuple[ResolvedPolicy, np.ndarray]]

    @cached_property
    def relevance(self) -> Relevance:
        """The walk over the engine's results, one for every column named from them (what it scores, it keeps)."""
        return Relevance(self.engine)


class NeedsFinder:
    """The missing inputs that could change an undetermined decision, and the open indicators of a scheme
    (changzhu.rules.relevance), found by the interval evaluator on the open rows (and their parents) only, on the
    date only. evaluate() and explain() both name needs through it."""

    def __init__(self, frame: Frame, scenario: Scenario | None) -> None:
        self.frame = frame
        self.scenario = scenario
        self._decisions: _Focus | None = None
        self._points: _Focus | None = None
        self._no_names: pl.Series | None = None  # the all-null names column (names_column)

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
            whole = _Focus(engine, None, engine.groups)
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
        relevance = focus.relevance
        out = []
        index = focus.index  # None: the engine ran on every row, its rows are the frame's
        for policy, rows in focus.groups:
            mine = rows[take(wanted, rows if index is None else index[rows])]
            if mine.size:
                out.append((policy, mine, mine if index is None else index[mine], relevance))
        return out

    def service_rows(self, service: Service, undetermined: np.ndarray) -> dict[str, np.ndarray]:
        """Per missing input (the person's or the parent's), in name order, the rows of the whole frame (each once)
        where its value could change the undetermined decision."""
        found: dict[str, list[np.ndarray]] = {}
        for policy, rows, whole, relevance in self._each_group(self._decisions, undetermined):
            for name, mask in relevance.service(policy, service, rows).items():
                found.setdefault(name, []).append(_chosen(whole, mask))
        return {k: _joined(found[k]) for k in sorted(found)}

    def service(self, service: Service, undetermined: np.ndarray) -> pl.Series:
        """needs_<service>: the missing inputs whose value could change the undetermined decision."""
        return self.names_column(f"needs_{service.value}", self.service_rows(service, undetermined))

    def names_column(self, name: str, held_by: dict[str, np.ndarray]) -> pl.Series:
        """A names column over the frame's rows (_names_column); every one naming nobody is the same all-null column
        (one array of offsets, 8 bytes a row written once, for most services and schemes of an evaluation)."""
        if held_by:
            return _names_column(name, self.frame.n, held_by)
        if self._no_names is None:
            self._no_names = _names_column(name, self.frame.n, {})
        return self._no_names.alias(name)

    def unassessed(self, scheme: str, uncertain: np.ndarray) -> dict[str, np.ndarray]:
        """Per indicator of the scheme, the rows of the whole frame (each once) where its points are a range (an input
        that could change them is missing), among the rows whose total is open."""
        found: dict[str, list[np.ndarray]] = {}
        for policy, rows, whole, relevance in self._each_group(self._points, uncertain):
            scheme_found = policy.schemes.get(scheme)
            if scheme_found is None:
                continue
            for name, mask in relevance.open_indicators(policy, scheme_found, rows).items():
                if mask.any():
                    found.setdefault(name, []).append(_chosen(whole, mask))
        return {k: _joined(got) for k, got in found.items()}

    def indicator_needs(self, scheme: str, indicator: str | Indicator, row: int) -> list[str]:
        """The missing inputs that could change one indicator's points for one person, in name order: a top-level
        indicator named, or a part of one (of a sum_of or max_of group) given itself."""
        wanted = np.zeros(self.frame.n, dtype=bool)
        wanted[row] = True
        names: set[str] = set()
        for policy, rows, _, relevance in self._each_group(self._points, wanted):
            found = policy.schemes.get(scheme)
            if found is None:
                continue
            named = (i for i in found.indicators if i.name == indicator)
            ind = indicator if isinstance(indicator, Indicator) else next(named, None)
            if ind is not None:
                names |= {k for k, mask in relevance.indicator(policy, found, ind, rows).items() if mask.any()}
        return sorted(names)


def _chosen(rows: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """The rows where the mask holds: `rows` itself (no copy) where it holds on all of them."""
    return rows if mask.all() else rows[mask]


def _joined(parts: list[np.ndarray]) -> np.ndarray:
    """The parts one after another: the only one itself (no copy)."""
    return parts[0] if len(parts) == 1 else np.concatenate(parts)


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
