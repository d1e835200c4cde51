"""A chain's rule trees for some services as the source of one interval kernel: per row, the days each holds.

The kernel writes, for each row, what the interval engine gives for the tree (changzhu.rules.arrays.Interval): the
start and end of the days it holds, whether that depends on an unknown input, and whether the value on the date is
decided all the same. The meaning is the engine's, node by node: an all_of is the latest start and the earliest end
(never if the start is after the end), unknown where a part is unknown and none is known never, decided where every
part is or one is known false on the date (changzhu.rules.arrays.all_of); an any_of the earliest start and the latest
end of the parts that start (arrays.any_of); a clock's first day at a line is `reach`'s arithmetic per row
(changzhu.rules.clock_kernels.reach); a number, bool, category or set compared with a value holds from the date
for good or never (changzhu.rules.leaf_kernels); an unknown input makes its leaf unknown, never false. A later part of
an all_of (any_of) is not evaluated where an earlier one settles the row (known never; known from the date for good),
which gives the engine's result (the engine asks only the open rows too). The end is not defined where the start is
never: no reader of an interval uses it there.

Leaves with no per-row form here (dates within a window, a list of dates, a points line, a category of more than 63
codes) are evaluated by the engine for the chain's rows and read by the kernel as inputs: the points search stays in
NumPy. Scalar constants (thresholds, the date, flags) are kernel arguments, as in changzhu.rules.codegen, so a module
serves every date and reform of the same structure.

One kernel holds the trees of several services none of which reads another (a stage, changzhu.rules.engine.
service_stages): one pass over the rows writes each row's trees one after the other, so an input or the parent's row
read by several trees is in cache. The row is an unsigned index, so that each of the dozens of reads and writes
of a row's values is not preceded by numba's test for a negative index (≈2-5% of a kernel's time).

Kernel arguments: rows (the rows evaluated), the four outputs of each tree j in order, o<j>s, o<j>e, o<j>u, o<j>d
(start, end, unknown, decided, indexed by row; the end written only if we<j>, unknown and decided only if wu<j>: the
caller knows when neither can differ from FOREVER, known and decided, and then keeps no array for them), then the inputs
by name: cb_/cc_/cg_/cx_<clock> a clock's base, const, grows and before (changzhu.rules.frame.Clock), pu where the
permit months are unknown, s_<variable> a static variable, parent, ss_/se_/su_/sd_<service> a service's interval,
l<k>s/l<k>e/l<k>u/l<k>d the engine's interval of the k-th leaf it evaluates (indexed by position in rows), the calendar
tables (t_*), kf (float64) and ki (int64) constants, and last we<j> and wu<j> of each tree in order.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np

from changzhu.domain.services import Service
from changzhu.rules.catalog import ResolvedPolicy
from changzhu.rules.codegen import read_only
from changzhu.rules.conditions import (
    AllOf,
    AnyOf,
    Condition,
    ConstantCondition,
    FlagCondition,
    Leaf,
    ServiceCondition,
    VariableCondition,
)
from changzhu.rules.dates import FOREVER, LUT_LO, NEVER, YM_LO, to_days
from changzhu.rules.parents import UNLINKED

_NEVER = str(int(NEVER))
_FOREVER = str(int(FOREVER))
_NEVER_KNOWN = (_NEVER, _FOREVER, "False", "True")  # never holds, known and decided
_NEVER_UNKNOWN = (_NEVER, _FOREVER, "True", "False")  # unknown (as unknown_leaf gives it), undecided
TABLES = ("t_ym_start", "t_ym_len", "t_day_ym", "t_day_d0")  # the calendar tables of changzhu.rules.dates
_ORDERS = {">=", ">", "<", "<=", "==", "!="}
_MONTHS_BOUND = 2.0**40  # a line beyond any month count (kept an int64 with room for the month arithmetic)


@dataclass(frozen=True)
class TreeOutput:
    """One service's rule tree in a chain kernel: whether a leaf of its own may end or be unknown (else every end is
    FOREVER, every row known, unless a service it reads is not), and the services it reads (for the person or the
    parent). Its outputs are the kernel's arguments o<j>s/o<j>e/o<j>u/o<j>d and its flags we<j>/wu<j>, j its place."""

    service: Service
    finite_end: bool
    maybe_unknown: bool
    services: tuple[Service, ...]


@dataclass(frozen=True)
class IntervalSource:
    """One interval kernel for some services of a chain: its function name, input argument names, source text,
    constants, its trees in the order of their outputs, and the leaves the engine evaluates for it (their intervals
    are the inputs l<k>*, in order, each with the service whose tree holds it)."""

    name: str
    inputs: tuple[str, ...]
    source: str
    constants: tuple[np.ndarray, np.ndarray]
    trees: tuple[TreeOutput, ...]
    leaves: tuple[tuple[Condition, Service], ...]


@dataclass
class _Writer:
    """The statements, inputs and constants of one kernel."""

    policy: ResolvedPolicy
    on: date
    lines: list[str] = field(default_factory=list)
    depth: int = 2
    inputs: set[str] = field(default_factory=set)
    floats: list[float] = field(default_factory=list)
    ints: list[int] = field(default_factory=list)
    leaves: list[tuple[Condition, Service]] = field(default_factory=list)
    count: int = 0
    service: Service | None = None  # the service whose tree is being written
    finite_end: bool = False  # of that tree
    maybe_unknown: bool = False

    def put(self, line: str) -> None:
        self.lines.append("    " * self.depth + line)

    def local(self) -> str:
        self.count += 1
        return f"x{self.count}"

    def quad(self) -> tuple[str, str, str, str]:
        """Four new locals: a node's start, end, unknown and decided."""
        return self.local(), self.local(), self.local(), self.local()

    def arg(self, name: str) -> str:
        self.inputs.add(name)
        return name

    def float_(self, value: float) -> str:
        self.floats.append(float(value))
        return f"kf[{len(self.floats) - 1}]"

    def int_(self, value: int) -> str:
        self.ints.append(int(value))
        return f"ki[{len(self.ints) - 1}]"

    def assign(self, names: tuple[str, ...], values: tuple[str, ...]) -> None:
        for name, value in zip(names, values, strict=True):
            self.put(f"{name} = {value}")


def interval_kernel(policy: ResolvedPolicy, on: date, services: tuple[Service, ...]) -> IntervalSource:
    """One kernel for the chain's rules of `services` on the date (none reading another): one pass over the rows,
    each row's trees written one after the other, so an input or the parent's row is read while it is in cache."""
    w = _Writer(policy, on)
    w.int_(to_days(on))  # ki[0]: the date
    trees = []
    inputs: set[str] = set(TABLES)
    for j, service in enumerate(services):
        w.service, w.finite_end, w.maybe_unknown, w.inputs = service, False, False, set()
        got = _emit(w, policy.services[service].rule, "r")
        w.put(f"o{j}s[r] = {got[0]}")
        w.put(f"if we{j}:")
        w.put(f"    o{j}e[r] = {got[1]}")
        w.put(f"if wu{j}:")
        w.put(f"    o{j}u[r] = {got[2]}")
        w.put(f"    o{j}d[r] = {got[3]}")
        read = tuple(sorted({Service(name[3:]) for name in w.inputs if name.startswith("ss_")}))
        trees.append(TreeOutput(service, w.finite_end, w.maybe_unknown, read))
        inputs |= w.inputs
    names = tuple(sorted(inputs))
    outputs = [f"o{j}{part}" for j in range(len(services)) for part in "seud"]
    flags = [f"w{kind}{j}" for j in range(len(services)) for kind in "eu"]
    rest = "".join(f", {name}" for name in (*outputs, *names, "kf", "ki", *flags))
    name = f"i_{services[0].value}"
    source = "\n".join(
        [
            "@kernel",
            f"def {name}(rows{rest}):",
            "    on = ki[0]",
            "    for i in range(rows.shape[0]):",
            "        r = np.uint64(rows[i])  # unsigned: no test for a negative index at each read",
            *w.lines,
            "",
        ]
    )
    constants = (read_only(np.array(w.floats, dtype=np.float64)), read_only(np.array(w.ints, dtype=np.int64)))
    return IntervalSource(name, names, source, constants, tuple(trees), tuple(w.leaves))


def module_text(sources: list[IntervalSource]) -> str:
    """The text of one importable module holding the kernels."""
    header = (
        "import numpy as np\n\nfrom changzhu.rules.clock_kernels import civil_of, day_outside\n"
        "from changzhu.rules.numba_start import kernel\n\n\n"
    )
    return header + "\n\n".join(s.source for s in sources)


def _emit(w: _Writer, node: Condition, row: str) -> tuple[str, str, str, str]:
    """Locals holding the node's (start, end, unknown, decided) for the person in `row`."""
    if isinstance(node, AllOf | AnyOf):
        out = w.quad()
        _group(w, node, row, out, 0, [])
        return out
    if not isinstance(node, Leaf) or not _compiled_leaf(node, w.policy):  # e.g. a kind of node added later
        return _engine_leaf(w, node)
    if node.of != "parent":
        return _own(w, node, row)
    parent = w.local()
    out = w.quad()
    w.put(f"{parent} = {w.arg('parent')}[{row}]")
    w.put(f"if {parent} >= 0:")
    w.depth += 1
    w.assign(out, _own(w, node, parent))
    w.depth -= 1
    w.put(f"elif {parent} == {UNLINKED}:")  # no parent in the table, none known not to live here: unknown
    w.depth += 1
    w.assign(out, _NEVER_UNKNOWN)
    w.maybe_unknown = True
    w.depth -= 1
    w.put("else:")  # no parent living here: never, known
    w.depth += 1
    w.assign(out, _NEVER_KNOWN)
    w.depth -= 1
    return out


def _group(
    w: _Writer, node: AllOf | AnyOf, row: str, out: tuple[str, ...], k: int, done: list[tuple[str, str, str, str]]
) -> None:
    """Part k of an all_of / any_of and those after it, each inside the branch where no earlier part settles the
    row (as the engine asks later parts only for the open rows: an early part such as an age line settles most rows,
    which costs less than evaluating every part, the mispredicted branches included); the combination once every
    part is known."""
    got = _emit(w, node.parts[k], row)
    done = [*done, got]
    if k + 1 == len(node.parts):
        w.assign(out, _all_of(done) if isinstance(node, AllOf) else _any_of(done))
        return
    s, e, u, d = got
    if isinstance(node, AllOf):  # known never (and decided): the all_of is never, known, decided
        w.put(f"if {s} >= {_NEVER} and not {u} and {d}:")
        settled: tuple[str, ...] = _NEVER_KNOWN
    else:  # known from the date for good: the any_of too, from its earliest start
        w.put(f"if {s} <= on and {e} >= {_FOREVER} and not {u} and {d}:")
        settled = (_fold("min", [p[0] for p in done]), _FOREVER, "False", "True")
    w.depth += 1
    w.assign(out, settled)
    w.depth -= 1
    w.put("else:")
    w.depth += 1
    _group(w, node, row, out, k + 1, done)
    w.depth -= 1


def _fold(fn: str, names: list[str]) -> str:
    return names[0] if len(names) == 1 else f"{fn}({', '.join(names)})"


def _all_of(parts: list[tuple[str, str, str, str]]) -> tuple[str, str, str, str]:
    start = _fold("max", [p[0] for p in parts])
    end = _fold("min", [p[1] for p in parts])
    never = " | ".join(f"((not {u}) & ({s} >= {_NEVER}))" for s, _, u, _ in parts)
    unknown = f"({' | '.join(p[2] for p in parts)}) & (not ({never}))"
    false_now = " | ".join(f"({d} & (not (({s} <= on) & (on <= {e}))))" for s, e, _, d in parts)
    decided = f"({' & '.join(p[3] for p in parts)}) | {false_now}"
    return f"({_NEVER} if {start} > {end} else {start})", end, unknown, decided


def _any_of(parts: list[tuple[str, str, str, str]]) -> tuple[str, str, str, str]:
    start = _fold("min", [p[0] for p in parts])
    end = _fold("max", [f"({e} if {s} < {_NEVER} else -1)" for s, e, _, _ in parts])
    good = " | ".join(f"((not {u}) & ({s} <= on) & ({e} >= {_FOREVER}))" for s, e, u, _ in parts)
    unknown = f"({' | '.join(p[2] for p in parts)}) & (not ({good}))"
    true_now = " | ".join(f"({d} & ({s} <= on) & (on <= {e}))" for s, e, _, d in parts)
    decided = f"({' & '.join(p[3] for p in parts)}) | {true_now}"
    return start, f"({end} if {start} < {_NEVER} else {_FOREVER})", unknown, decided


def _compiled_leaf(leaf: Leaf, policy: ResolvedPolicy) -> bool:
    """Whether the kernel computes the leaf itself (else the engine does, as an input)."""
    if isinstance(leaf, ConstantCondition | FlagCondition | ServiceCondition):
        return True
    if not isinstance(leaf, VariableCondition):
        return False
    from changzhu.rules.leaf_kernels import BIT_CODES  # numba, loaded when an earliest date is searched

    spec = leaf.spec
    if spec.kind == "category":
        return len(spec.categories) <= BIT_CODES
    return spec.kind in ("clock", "number", "bool", "set")


def _engine_leaf(w: _Writer, leaf: Condition) -> tuple[str, str, str, str]:
    """A node the engine evaluates for the chain's rows: its interval read at the row's position."""
    k = len(w.leaves)
    assert w.service is not None
    w.leaves.append((leaf, w.service))
    w.finite_end = w.maybe_unknown = True
    out = w.quad()
    w.assign(out, tuple(f"{w.arg(f'l{k}{part}')}[i]" for part in "seud"))
    return out


def _own(w: _Writer, leaf: Leaf, row: str) -> tuple[str, str, str, str]:
    """The leaf for the person in `row` (the parent's row where of=parent)."""
    out = w.quad()
    s, e, u, d = out
    if isinstance(leaf, ServiceCondition):
        name = leaf.service.value
        w.assign(out, tuple(f"{w.arg(f's{part}_{name}')}[{row}]" for part in "seud"))
        return out
    if isinstance(leaf, ConstantCondition | FlagCondition):
        value = leaf.value if isinstance(leaf, ConstantCondition) else w.policy.value(leaf.flag, w.on)[1].value
        w.assign(out, (f"on if {w.int_(int(bool(value)))} != 0 else {_NEVER}", _FOREVER, "False", "True"))
        return out
    assert isinstance(leaf, VariableCondition)
    raw, _, _ = leaf.threshold(w.policy, w.on)
    known = _clock(w, leaf, float(raw), row, s, e) if leaf.spec.kind == "clock" else _static(w, leaf, raw, row, s, e)
    if known is None:
        w.assign((u, d), ("False", "True"))
        return out
    w.put(f"{d} = {known}")
    w.put(f"{u} = not {d}")
    w.put(f"{s} = {s} if {d} else {_NEVER}")
    return out


def _clock(w: _Writer, leaf: VariableCondition, t: float, row: str, s: str, e: str) -> str | None:
    """A clock compared with months t: the first day it reaches the line (>=, >), or from the date until the day
    before (<, <=). Returns where its months are known (None: everywhere)."""
    name = leaf.variable
    target = t if leaf.op in (">=", "<") else float(np.floor(t) + 1)
    whole = int(np.ceil(np.clip(target, -_MONTHS_BOUND, _MONTHS_BOUND)))  # a whole count is >= t where >= ceil(t)
    reached = _reach(w, name, row, w.int_(whole))
    if leaf.op in (">=", ">"):
        w.assign((s, e), (reached, _FOREVER))
    else:
        w.finite_end = True
        w.assign(
            (s, e), (f"on if {reached} > on else {_NEVER}", f"{reached} - 1 if {reached} < {_NEVER} else {_FOREVER}")
        )
    if name == "permit":
        w.maybe_unknown = True
        return f"not {w.arg('pu')}[{row}]"
    if leaf.spec.declared:
        w.maybe_unknown = True
        return f"cc_{name}[{row}] >= 0"
    return None


def _reach(w: _Writer, name: str, row: str, t: str) -> str:
    """A local holding the first day (>= on) the clock `name` of `row` is at least t months, never if it never gets
    there: changzhu.rules.clock_kernels.reach written out for the row (a call passing the clock's arrays would count
    references to each, several times the arithmetic's cost). t is a whole number of months (an int constant): a
    clock's counts are whole (Clock: int32 before and const), so a count reaches a line t where it reaches ceil(t),
    and ceil(t - const) is ceil(t) - const, in integers (no conversion to float and rounding per row: ≈10% of the
    largest kernels' time)."""
    base, const, grows, before = (w.arg(f"{prefix}_{name}") for prefix in ("cb", "cc", "cg", "cx"))
    out, need, b, k, bym, bday, ym, j, day = (w.local() for _ in range(9))
    lines = [
        f"if {before}[{row}] >= {t}:",
        f"    {out} = on",
        "else:",
        f"    {need} = {t} - np.int64({const}[{row}])",
        f"    if {base}[{row}] >= {_NEVER} or not ({need} <= 0 or {grows}[{row}]):",
        f"        {out} = {_NEVER}",
        "    else:",
        f"        {b} = np.int64({base}[{row}])",
        f"        {k} = {b} - {w.int_(int(LUT_LO))}",
        f"        if 0 <= {k} < t_day_ym.shape[0]:  # the tables' days, else the arithmetic",
        f"            {bym} = np.int64(t_day_ym[{k}])",
        f"            {bday} = np.int64(t_day_d0[{k}])",
        "        else:",
        f"            {bym}, {bday} = civil_of({b})",
        f"        {ym} = {bym} + max({need}, 0)",
        f"        {j} = {ym} - {w.int_(int(YM_LO))}",
        f"        if 0 <= {j} < t_ym_start.shape[0]:  # the tables' years, else the arithmetic",
        f"            {day} = np.int64(t_ym_start[{j}]) + min({bday}, np.int64(t_ym_len[{j}]) - 1)",
        "        else:",
        f"            {day} = day_outside({ym}, {bday})",
        f"        {out} = {day} if {day} >= {_NEVER} else max({day}, on)",
    ]
    for line in lines:
        w.put(line)
    return out


def _static(w: _Writer, leaf: VariableCondition, raw: Any, row: str, s: str, e: str) -> str | None:
    """A number, bool, category or set compared with `raw`: from the date for good where it holds and is known, else
    never. Returns where the value is known (None: everywhere)."""
    spec, op = leaf.spec, leaf.op
    value = w.local()
    w.put(f"{value} = {w.arg('s_' + leaf.variable)}[{row}]")
    if spec.kind == "number":
        holds = f"{value} {op if op in _ORDERS else '!='} {w.float_(float(raw))}"
        known = f"{value} == {value}"
    elif spec.kind == "bool":
        want = bool(raw) if op in ("==", "in") else not bool(raw)
        truth = f"({value} == 1)" if spec.declared else f"({value} != 0)"  # declared: int8, -1 unknown
        holds = f"{truth} == {want}"
        known = f"{value} >= 0"
    else:
        wanted = raw if isinstance(raw, list) else [raw]
        if spec.kind == "set":
            mask = sum(1 << spec.categories.index(c) for c in wanted)
            holds = f"(({value} & {w.int_(mask)}) != 0) != {op != 'contains'}"
        else:
            bits = sum(1 << spec.categories.index(c) for c in wanted)
            holds = f"((({w.int_(bits)} >> (np.int64({value}) & 63)) & 1) != 0) != {op not in ('==', 'in')}"
        known = f"{value} >= 0"
    w.assign((s, e), (f"on if {holds} else {_NEVER}", _FOREVER))
    w.maybe_unknown = w.maybe_unknown or spec.nullable
    return known if spec.nullable else None
