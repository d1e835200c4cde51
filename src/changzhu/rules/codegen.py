"""A chain's service rules and points schemes, in force on one date, as the source of one numba kernel (chain_kernel,
each rule a stage: a fused pass over the rows), or one rule or scheme as a kernel of its own (service_kernel,
scheme_kernel: changzhu.rules.points_kernels runs the latter for the interval engine).

The kernel is plain Python that numba compiles (see changzhu.rules.kernels): one pass over the rows computes a
whole rule tree (or a scheme's points) per person. Scalar constants (thresholds, parameter values, the date and
date cutoffs, points, ranges, caps, lines, flags) are kernel arguments (KernelSource.constants), read into locals
before the row loop, so the text, and the compiled module, serve every date and every scenario that changes only
them. Two kinds of value stay written into the text, because the loops are 2-3x slower without them (measured on
Shanghai's points kernel): tables (a table argument may alias the outputs, so the loop does not vectorize) and the
unit size a per-unit indicator divides by; changing one compiles a new module. What each condition and indicator
means is defined by its class (changzhu.rules.conditions, changzhu.rules.indicators, method `emit`); the Writer
here only holds the plumbing: statements, constants, tables and inputs. Conditions combine with & and | (no
short-circuit, so no unpredictable branches) and are three-valued where an input may be unknown. Tests hold the
kernels to the interval engine's answers.

Kernel outputs: a service kernel writes `out` (eligible for certain) and `unk` (undetermined); a scheme kernel
writes `out` (the assessed total), `low` and `high` (the range with unassessed indicators); in a chain's kernel,
stage i writes o<i>_out, o<i>_unk... (ChainSource). Kernel inputs, by argument name: c_<clock> whole months on the
date (int32), s_<variable> the person's variable (bool, int8 category code, float64 number, int32 day, int64 set of
codes; unknown: NaN, -1 or NEVER), v_<service> / u_<service> a service already decided (bool), parent the row of
each person's parent (-1 none). After the inputs come the constants: kf (float64 scalars) and ki (int64 scalars:
whole months, days, set masks, flags).
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np

from changzhu.domain.services import Service
from changzhu.rules.catalog import ResolvedPolicy
from changzhu.rules.dates import add_months, to_days
from changzhu.rules.indicators import Indicator, num
from changzhu.rules.model import PointsScheme
from changzhu.rules.protocols import Cell
from changzhu.rules.variables import VARIABLES

SCALE_TABLE_MAX = 10_000  # a scale over at most this many whole years becomes one table lookup
SERVICE_OUTPUTS = ("out", "unk")
SCHEME_OUTPUTS = ("out", "low", "high")
OPEN_BITS = 63  # a scheme kernel's open indicators, one bit each of an int64 (scheme_kernel, open_bits)
ROW = "r"  # the row a kernel's loop is at (a chain kernel's stage: its own, Writer.row)
CHAIN_KERNEL = "k_chain"  # a chain's kernel over given rows; CHAIN_KERNEL + "_span" over a run of rows
EXACT = "_exact"  # a kernel's name + EXACT (+ "_span"): the kernel dividing as Python on every row


@dataclass(frozen=True)
class KernelSource:
    """One kernel: its function name, output and input argument names (after rows), module source text and the
    constants passed after the inputs (kf, ki), which the text does not contain. Its functions (Writer.kernel)
    return whether a row needs the exact body; then the same call of their exact twins (name + EXACT, + "_span";
    present when `exact`) gives every output as Python would."""

    name: str
    outputs: tuple[str, ...]
    inputs: tuple[str, ...]
    source: str
    constants: tuple[np.ndarray, np.ndarray]
    exact: bool


@dataclass
class Shared:
    """What the kernels of one chain on one date share: which services may be undetermined."""

    policy: ResolvedPolicy
    on: date
    uncertain: dict[Service, bool] = field(default_factory=dict)

    def service_may_be_unknown(self, service: Service) -> bool:
        """Whether the service's rule can be undetermined for someone (it reads an input that may be unknown)."""
        if service not in self.uncertain:
            rule = self.policy.services.get(service)
            if rule is None:
                self.uncertain[service] = False
            else:
                self.uncertain[service] = False  # no cycles: service_order rejects them
                writer = Writer(self, f"probe_{service.value}")
                self.uncertain[service] = rule.rule.emit(writer, ROW).u != "False"
        return self.uncertain[service]


def service_kernel(shared: Shared, service: Service) -> KernelSource:
    """Kernel writing, for each row, whether the chain's rule for `service` holds on the date, and whether that is
    undetermined."""
    writer = Writer(shared, f"svc_{service.value}")
    return writer.kernel(_service_outputs(writer, service))


def scheme_kernel(shared: Shared, scheme: PointsScheme) -> KernelSource:
    """Kernel writing, for each row, the scheme's assessed total and its possible range on the date, and which of its
    indicators are a range (`opn`, int64: bit i the i-th of open_bits(scheme))."""
    writer = Writer(shared, f"pts_{scheme.name}")
    parts = [ind.emit(writer, writer.row) for ind in scheme.indicators]
    assessed, low, high = writer.points(scheme, writer.row, parts)
    written = [writer.ranges[id(ind)] for ind in open_bits(scheme)]
    ranges = [f"(np.int64({lo} != {hi}) << {i})" for i, (_, lo, hi) in enumerate(written) if lo != hi]
    return writer.kernel({"out": assessed, "low": low, "high": high, "opn": " | ".join(ranges) or "np.int64(0)"})


def open_bits(scheme: PointsScheme) -> list[Indicator]:
    """The indicators whose open range a scheme kernel flags, bit i the i-th: the top-level ones, then the parts of
    each (of a sum_of or max_of group), depth first; none past the OPEN_BITS-th (the walk naming needs_ and
    unassessed_ reads them rather than score them again: changzhu.rules.relevance)."""
    top = list(scheme.indicators)
    return [*top, *(part for ind in top for part in ind.walk()[1:])][:OPEN_BITS]


def _service_outputs(writer: Writer, service: Service) -> dict[str, str]:
    cell = writer.policy.services[service].rule.emit(writer, writer.row)
    return {"out": cell.t, "unk": cell.u}


def _scheme_outputs(writer: Writer, scheme: PointsScheme) -> dict[str, str]:
    assessed, low, high = writer.points(scheme, writer.row)
    return {"out": assessed, "low": low, "high": high}


@dataclass(frozen=True)
class Stage:
    """One service rule or points scheme inside a chain's kernel: its key (the service, or the scheme's name), the
    kernel's arguments it writes (SERVICE_OUTPUTS or SCHEME_OUTPUTS, in that order) and the inputs it reads, and
    the decisions it reads at another person's row (a parent's: they must be complete on every row first)."""

    key: Service | str
    outputs: tuple[str, ...]
    inputs: tuple[str, ...]
    other_rows: frozenset[str]


@dataclass(frozen=True)
class ChainSource:
    """A chain's kernel: every service rule and points scheme of the chain on the date as the stages of one
    function, run in the order a call lists them (`todo`, stage indices). Arguments: todo, then rows (CHAIN_KERNEL)
    or start, stop (its _span), then every stage's outputs in stage order, the inputs (sorted) and the constants
    (kf, ki: every stage's, one after another). The function returns whether a stage met a row its fast body does
    not divide as Python does (Writer.floor_div: beyond 2**52, infinite); then the same call of its exact twin
    (CHAIN_KERNEL + EXACT, + "_span"; present when `exact`) gives every output as Python would."""

    stages: tuple[Stage, ...]
    inputs: tuple[str, ...]
    source: str
    constants: tuple[np.ndarray, np.ndarray]
    exact: bool


@dataclass(frozen=True)
class _Branch:
    """One stage in the text of a chain's kernel: constants read before the loop, the fast and the exact loop body,
    its row's name, and the conditions under which a row needs the exact body."""

    prologue: list[str]
    fast: list[str]
    exact: list[str]
    row: str
    slow: list[str]
    flag: str  # the local noting a row that needs the exact body


def chain_kernel(shared: Shared, services: list[Service], schemes: list[PointsScheme]) -> ChainSource:
    """One kernel for the chain's services (in the order given: a service after those it reads) and schemes: one
    numba function, so one compiled library to load per chain instead of one per rule; each stage its own loop over
    the rows (the loops vectorize as separate kernels' did), local names and constant slots its own."""
    stages: list[Stage] = []
    tables: list[str] = []
    branches: list[_Branch] = []
    floats: list[float] = []
    ints: list[int] = []
    keys: list[Service | str] = [*services, *(scheme.name for scheme in schemes)]
    for i, key in enumerate(keys):
        if isinstance(key, Service):
            writer = Writer(shared, f"svc_{key.value}", f"s{i}_", (len(floats), len(ints)))
            outputs = _service_outputs(writer, key)
        else:
            writer = Writer(shared, f"pts_{key}", f"s{i}_", (len(floats), len(ints)))
            outputs = _scheme_outputs(writer, shared.policy.schemes[key])
        names = {f"o{i}_{name}": expr for name, expr in outputs.items()}
        stages.append(Stage(key, tuple(names), tuple(sorted(writer.inputs)), frozenset(writer.other_rows)))
        tables.extend(writer.tables)
        fast, exact = writer.body(names, exact=False), writer.body(names)
        branches.append(_Branch(writer.prologue, fast, exact, writer.row, writer.slow, f"{writer.local}slow"))
        floats.extend(writer.floats)
        ints.extend(writer.ints)
    inputs = tuple(sorted({name for stage in stages for name in stage.inputs}))
    rest = "".join(f", {name}" for name in (*(o for stage in stages for o in stage.outputs), *inputs, "kf", "ki"))
    loops = {  # per function: its arguments, and each stage's loop over its row `r` (`t` the position in rows)
        "": (f"todo, rows{rest}", "for {t} in range(np.uint64(rows.shape[0])):\n    {r} = np.uint64(rows[{t}])"),
        "_span": (f"todo, start, stop{rest}", "for {r} in range(np.uint64(start), np.uint64(stop)):"),
    }
    twin = any(branch.slow for branch in branches)  # some row may need the exact body
    text = [*tables, ""]
    for variant in ("", EXACT) if twin else ("",):
        for suffix, (arguments, loop) in loops.items():
            text += ["", "@kernel", f"def {CHAIN_KERNEL}{variant}{suffix}({arguments}):"]
            text += _chain_function(branches, loop, bool(variant))
    constants = (read_only(np.array(floats, dtype=np.float64)), read_only(np.array(ints, dtype=np.int64)))
    return ChainSource(tuple(stages), inputs, "\n".join(text), constants, twin)


def _chain_function(branches: list[_Branch], loop: str, exact: bool) -> list[str]:
    """The statements of a chain's function (fast: each stage's loop noting a row that needs the exact body, and the
    function returning True as soon as a stage had one; exact: every stage's exact body)."""
    text = ["    for stage in todo:"]
    for i, branch in enumerate(branches):
        text.append(f"        {'if' if i == 0 else 'elif'} stage == {i}:")
        header = loop.format(r=branch.row, t=f"{branch.row}_t").split("\n")
        text += [f"            {line}" for line in _stage_loop(branch, header, exact)]
    if not branches:
        text.append("        pass")
    text += [] if exact else ["    return False"]
    return [*text, ""]


def _stage_loop(branch: _Branch, header: list[str], exact: bool) -> list[str]:
    """A stage's statements: its constants, then its loop (`header`) over the exact body, or over the fast body
    noting a row that needs the exact one, returning True after the loop if it met one."""
    noted = bool(branch.slow) and not exact
    slow = branch.flag
    text = [*branch.prologue, *([f"{slow} = False"] if noted else []), *header]
    text += [f"    {line}" for line in (branch.exact if exact else branch.fast)]
    if noted:
        text.append(f"    {slow} = {' | '.join([slow, *(f'({c})' for c in branch.slow)])}")
        text += [f"if {slow}:", "    return True"]
    return text


_HEADER = "import numpy as np\n\nfrom changzhu.rules.numba_start import kernel_without_runtime as kernel\n\n"


def module_source(kernels: list[KernelSource]) -> str:
    """The text of one importable module holding the kernels."""
    return _HEADER + "\n\n".join(k.source for k in kernels)


def chain_module_source(chain: ChainSource) -> str:
    """The text of one importable module holding a chain's kernel (over given rows and over a run of rows)."""
    return _HEADER + chain.source


def read_only(array: np.ndarray) -> np.ndarray:
    """A read-only view of the array: every kernel input is passed read-only, so each kernel has one signature (numba
    types a read-only array apart from a writable one) and one overload is loaded from the cache."""
    view = array.view()
    view.flags.writeable = False
    return view


def source_digest(text: str) -> str:
    """A short stable name for a module text (same text, same compiled code)."""
    return hashlib.sha256(text.encode()).hexdigest()[:20]


def _number(value: Any) -> str:
    """A float literal valid in Python source, infinities included."""
    x = float(value)
    if math.isnan(x):
        return "np.nan"
    if math.isinf(x):
        return "np.inf" if x > 0 else "-np.inf"
    return repr(x)


class Writer:
    """Collects the statements, constants, tables and inputs of one kernel."""

    def __init__(self, shared: Shared, label: str, local: str = "", after: tuple[int, int] = (0, 0)) -> None:
        """`local` prefixes the kernel's local names (its row too) and `after` counts the float and int constants of
        the kernels before it: both set for a stage of a chain's kernel (chain_kernel), where the stages share one
        function and one pair of constant arrays. A name defined once in the function, not once per stage, keeps
        numba's SSA pass from rewriting every block of the function for it (its compile time grew with the square
        of the stages)."""
        self.shared = shared
        self.policy = shared.policy
        self.on = shared.on
        self.on_days = to_days(shared.on)
        self.name = "k_" + "".join(ch if ch.isalnum() else "_" for ch in label)
        self.local = local
        self.row = f"{local}{ROW}"
        self.float_base, self.int_base = after
        self.lines: list[str] = []
        self.inputs: set[str] = set()
        self.other_rows: set[str] = set()  # decisions (v_/u_ inputs) read at another person's row (a parent's)
        self.prologue: list[str] = []  # constants read into locals before the row loop
        self.floats: list[float] = []
        self.ints: list[int] = []
        self.tables: list[str] = []
        self.exact: dict[int, str] = {}  # line index -> the line in the exact body (Python's `//` beyond 2**52)
        self.slow: list[str] = []  # conditions on a row under which only the exact body gives Python's answer
        self.ranges: dict[int, tuple[object, str, str]] = {}  # per indicator written (by id): it, its low and high

    @property
    def scale_table_max(self) -> int:
        """Scales over more whole years than this are scored bracket by bracket (read when written: tests lower it)."""
        return SCALE_TABLE_MAX

    # ---- plumbing -----------------------------------------------------------------------------------------
    def var(self, expr: str) -> str:
        """A new local holding the expression."""
        name = f"{self.local}x{len(self.lines)}"
        self.lines.append(f"{name} = {expr}")
        return name

    def number(self, value: Any) -> str:
        """A float constant (an argument slot, read before the loop): the text does not depend on the value."""
        slot = self.float_base + len(self.floats)
        name = f"kf{slot}"
        self.prologue.append(f"{name} = kf[{slot}]")
        self.floats.append(float(value))
        return name

    def integer(self, value: int) -> str:
        """An int32 constant (whole months, a day), compared with int32 inputs without widening them."""
        return self._int_slot("ki", "np.int32(ki[{}])", int(np.int32(value)))

    def mask(self, value: int) -> str:
        """An int64 constant (a set of category codes)."""
        return self._int_slot("km", "ki[{}]", int(value))

    def truth(self, value: bool) -> str:
        """A bool constant (a reform switch)."""
        return self._int_slot("kb", "ki[{}] != 0", int(bool(value)))

    def literal(self, value: Any) -> str:
        """A float written into the text, for a value the compiler must see to make the loop fast (a unit size
        divided by: measured 2.5x slower as an argument); a new value is a new module."""
        return _number(value)

    def floor_div(self, value: str, size: float) -> str:
        """float(value) // size, as Python and NumPy's floor_divide give it, without fmod where it can: numba's float
        `//` calls fmod (≈100 ns a row), and LLVM calls it for every row of a vectorized loop even when it is only
        in a branch never taken. For a value under 2**52 in size and a whole size from 1 to 2**31, Python's quotient
        is the exact floor of value / size: the rounded division's floor is that or one more, and the products that
        tell them apart are whole numbers under 2**53, so exact. NaN stays NaN that way too. An infinity or a larger
        value divides as Python does only in the exact body (body(exact=True)); the fast body counts it as a row
        needing it (`slow`): a chain's fast kernel then returns True and its exact twin runs the call again."""
        x = self.var(f"float({value})")
        if not (float(size).is_integer() and 1 <= size <= 2**31):
            return self.var(f"{x} // {self.literal(size)}")
        c = self.literal(size)
        q = self.var(f"np.floor({x} / {c})")
        fast = self.var(f"{q} - 1.0 if {q} * {c} > {x} else ({q} + 1.0 if ({q} + 1.0) * {c} <= {x} else {q})")
        beyond = f"abs({x}) >= 4503599627370496.0"  # false for NaN
        quotient = self.var(fast)
        self.exact[len(self.lines) - 1] = f"{quotient} = {fast} if not {beyond} else {x} // {c}"
        self.slow.append(beyond)
        return quotient

    def _int_slot(self, prefix: str, read: str, value: int) -> str:
        """A local read before the loop from the next slot of the int64 constants (`read` formats the slot)."""
        slot = self.int_base + len(self.ints)
        name = f"{prefix}{slot}"
        self.prologue.append(f"{name} = {read.format(slot)}")
        self.ints.append(value)
        return name

    def table(self, values: list[float] | list[bool], dtype: str) -> str:
        """A module-level constant array, written into the text: an array argument may alias the outputs, which
        stops the loop vectorizing (measured 2-3x slower), and tuples are slower still past a few entries."""
        name = f"{self.name.upper()}_T{len(self.tables)}"
        literal = ", ".join(str(bool(v)) if dtype == "bool_" else _number(v) for v in values)
        self.tables.append(f"{name} = np.array([{literal}], dtype=np.{dtype})")
        return name

    def lookup(self, table: str, index: str, last: int) -> str:
        """table[index] with the index unsigned (no negative-index check, so loops vectorize) and at most `last`:
        a code of -1 (unknown) reads the table's last entry."""
        return f"{table}[min(np.uint64({index}), np.uint64({last}))]"

    def arg(self, name: str, row: str) -> str:
        """An input array read at the row."""
        self.inputs.add(name)
        if name.startswith(("v_", "u_")) and row != self.row:
            self.other_rows.add(name)
        return f"{name}[{row}]"

    def value(self, key: str) -> Any:
        """A parameter's value on the date."""
        return self.policy.value(key, self.on)[1].value

    def service_may_be_unknown(self, service: Service) -> bool:
        return self.shared.service_may_be_unknown(service)

    def within_cutoff(self, months: int) -> str:
        """The first day d with d + months (calendar months, day clipped) after the date: a date is within
        `months` of the date when it is on or after this day (an int64 constant)."""
        guess = self.on_days - 31 * months - 2
        days = np.arange(guess, self.on_days + 2, dtype=np.int64)
        after = add_months(days, months) > self.on_days
        return self.integer(int(days[int(np.argmax(after))]))

    def kernel(self, outputs: dict[str, str]) -> KernelSource:
        """Two functions over the same body: name(rows, outs..., inputs...) for listed rows, writing each row's
        outputs at its position in `rows` (outputs of rows.shape[0]), and name_span(start, stop, outs..., inputs...)
        for a contiguous run of rows, writing at the row (a loop the compiler can vectorize). Both return whether a
        row needs the exact body (as a chain's kernel: _chain_function); their twins name + EXACT (+ "_span"),
        written when some row may, run it on every row."""
        inputs = tuple(sorted(self.inputs))
        names = tuple(outputs)
        rest = "".join(f", {name}" for name in (*names, *inputs, "kf", "ki"))
        loops = {  # per function: its arguments, the position its outputs are written at, and its loop
            "": (f"rows{rest}", "t", f"for t in range(np.uint64(rows.shape[0])):\n    {self.row} = np.uint64(rows[t])"),
            "_span": (f"start, stop{rest}", None, f"for {self.row} in range(np.uint64(start), np.uint64(stop)):"),
        }
        text = [*self.tables, ""]
        for variant in ("", EXACT) if self.slow else ("",):
            for suffix, (arguments, at, header) in loops.items():
                fast, exact = self.body(outputs, at, exact=False), self.body(outputs, at)
                branch = _Branch(self.prologue, fast, exact, self.row, self.slow, f"{self.local}slow")
                text += ["", "@kernel", f"def {self.name}{variant}{suffix}({arguments}):"]
                text += [f"    {line}" for line in _stage_loop(branch, header.split("\n"), bool(variant))]
                text += [""] if variant else ["    return False", ""]
        constants = (read_only(np.array(self.floats, dtype=np.float64)), read_only(np.array(self.ints, dtype=np.int64)))
        return KernelSource(self.name, names, inputs, "\n".join(text), constants, bool(self.slow))

    def body(self, outputs: dict[str, str], at: str | None = None, exact: bool = True) -> list[str]:
        """The loop's statements for one row: the locals, then each output argument written at the row (or at `at`).
        Exact: every quotient as Python gives it; else the fast body, whose quotients are Python's unless the row is
        `slow`."""
        lines = [self.exact.get(i, line) for i, line in enumerate(self.lines)] if exact else self.lines
        return [*lines, *(f"{name}[{at or self.row}] = {expr}" for name, expr in outputs.items())]

    def note_range(self, indicator: object, low: str, high: str) -> None:
        """Note the expressions of an indicator's points (low, high) as written (Indicator.emit): a scheme kernel
        flags the indicators whose range is open (scheme_kernel)."""
        self.ranges[id(indicator)] = (indicator, low, high)

    def clock(self, name: str, row: str) -> tuple[str, str]:
        """Whole months of a clock on the date, and whether they are unknown. Permit months are -1 without a
        permit; once the permit service is decided, someone who can have one today counts 0 (as the interval
        engine's permit clock); where that decision is undetermined, so are the months."""
        months = self.arg(f"c_{name}", row)
        if name != "permit":
            if name not in VARIABLES:  # a declared months input: -1 where unknown
                held = self.var(months)
                return held, self.var(f"{held} < 0")
            return months, "False"
        held = self.var(months)
        value = self.var(f"{held} + ({held} < 0) * {self.arg('v_residence_permit', row)}")
        if not self.service_may_be_unknown(Service.RESIDENCE_PERMIT):
            return value, "False"
        return value, self.var(f"({held} < 0) & {self.arg('u_residence_permit', row)}")

    # ---- points -------------------------------------------------------------------------------------------
    def points(
        self, scheme: PointsScheme, row: str, parts: list[tuple[str, str]] | None = None
    ) -> tuple[str, str, str]:
        """(assessed total, lowest total, highest total) of the scheme for the person in `row` (`parts`: its
        indicators' (low, high) expressions, when already written)."""
        parts = [ind.emit(self, row) for ind in scheme.indicators] if parts is None else parts
        if not parts:
            return "0.0", "0.0", "0.0"
        floor = None if scheme.floor is None else self.number(num(scheme.floor, self.policy, self.on))
        low = self.var(" + ".join(lo for lo, _ in parts))
        if floor is not None:  # `min:` the total is never below it
            low = self.var(f"max({low}, {floor})")
        if all(lo == hi for lo, hi in parts):
            return low, low, low
        high = self.var(" + ".join(hi for _, hi in parts))
        assessed = self.var(" + ".join(f"({lo} if {lo} == {hi} else 0.0)" for lo, hi in parts))
        if floor is not None:
            high = self.var(f"max({high}, {floor})")
            assessed = self.var(f"({low} if {low} == {high} else {assessed})")
        return assessed, low, high

    def points_cell(self, scheme: PointsScheme, row: str) -> Cell:
        """The scheme's prerequisites hold and its lowest total reaches the line (for certain); undetermined where
        neither that nor the opposite is certain."""
        _, low, high = self.points(scheme, row)
        line = self.number(self.value(scheme.line_param))
        pre = scheme.prerequisites.emit(self, row) if scheme.prerequisites is not None else Cell("True")
        t = self.var(f"{pre.t} & ({low} >= {line})")
        if pre.u == "False" and low == high:
            return Cell(t)
        known_false = self.var(f"((not {pre.t}) & (not {pre.u})) | ({high} < {line})")
        return Cell(t, self.var(f"(not {t}) & (not {known_false})"))
