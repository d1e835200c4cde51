"""A service rule or a points scheme, in force on one date, as the source of a fused per-row kernel.

The kernel is plain Python that numba compiles (see changzhu.rules.kernels): one pass over the rows computes a
whole rule tree (or a scheme's total) per person, with every threshold, table and parameter written in as a
constant. Conditions combine with & and | (no short-circuit, so no unpredictable branches); a condition on a
person's parent reads the parent's row. The meaning of every condition and indicator is the one the interval
engine (changzhu.rules.engine) gives on the evaluation date; tests hold the two to the same answers.

Kernel inputs, by argument name: c_<clock> whole months on the date (int32), s_<variable> the person's static
variable (bool, int8 category code or float64 number), v_<service> a service already decided (bool), parent the
row of each person's parent (-1 none).
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from datetime import date
from typing import Any

from changzhu.domain.services import Service
from changzhu.rules.catalog import ResolvedPolicy
from changzhu.rules.model import Group, Indicator, Leaf, Node, PointsScheme
from changzhu.rules.variables import VARIABLES

SCALE_TABLE_MAX = 10_000  # a scale over at most this many whole years becomes one table lookup


@dataclass(frozen=True)
class KernelSource:
    """One kernel: its function name, input argument names (after rows and out) and module source text."""

    name: str
    inputs: tuple[str, ...]
    source: str


def service_kernel(policy: ResolvedPolicy, service: Service, on: date) -> KernelSource:
    """Kernel writing, for each row, whether the chain's rule for `service` holds on `on`."""
    rule = policy.services[service]
    writer = _Writer(policy, on, f"svc_{service.value}")
    result = writer.node(rule.rule, "r")
    return writer.kernel(result)


def scheme_kernel(policy: ResolvedPolicy, scheme: PointsScheme, on: date) -> KernelSource:
    """Kernel writing, for each row, the scheme's total points on `on`."""
    writer = _Writer(policy, on, f"pts_{scheme.name}")
    result = writer.points(scheme, "r")
    return writer.kernel(result)


def module_source(kernels: list[KernelSource]) -> str:
    """The text of one importable module holding the kernels."""
    header = "import numba\nimport numpy as np\n\n"
    return header + "\n\n".join(k.source for k in kernels)


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


class _Writer:
    """Collects the statements, constant tables and inputs of one kernel."""

    def __init__(self, policy: ResolvedPolicy, on: date, label: str) -> None:
        self.policy = policy
        self.on = on
        self.name = "k_" + "".join(ch if ch.isalnum() else "_" for ch in label)
        self.lines: list[str] = []
        self.tables: list[str] = []
        self.inputs: set[str] = set()

    # ---- plumbing -----------------------------------------------------------------------------------------
    def var(self, expr: str) -> str:
        name = f"x{len(self.lines)}"
        self.lines.append(f"{name} = {expr}")
        return name

    def table(self, values: list[float] | list[bool], dtype: str) -> str:
        name = f"{self.name.upper()}_T{len(self.tables)}"
        literal = ", ".join(str(v) if dtype == "bool_" else _number(v) for v in values)
        self.tables.append(f"{name} = np.array([{literal}], dtype=np.{dtype})")
        return name

    def lookup(self, table: str, index: str, last: int) -> str:
        """table[index] with the index unsigned (no negative-index check, so loops vectorize) and at most `last`:
        a code of -1 (unknown) reads the table's last entry, which scores nothing."""
        return f"{table}[min(np.uint64({index}), np.uint64({last}))]"

    def arg(self, name: str, row: str) -> str:
        self.inputs.add(name)
        return f"{name}[{row}]"

    def kernel(self, result: str) -> KernelSource:
        """Two functions over the same body: name(rows, out, ...) for listed rows, name_span(start, stop, out, ...)
        for a contiguous run of rows (a plain loop the compiler can vectorize)."""
        inputs = tuple(sorted(self.inputs))
        body = [f"        {line}" for line in self.lines] + [f"        out[r] = {result}", ""]
        rest = "".join(f", {name}" for name in inputs)
        source = "\n".join(
            [
                *self.tables,
                "",
                "",
                "@numba.njit(nogil=True, cache=True)",
                f"def {self.name}(rows, out{rest}):",
                "    for t in range(np.uint64(rows.shape[0])):",
                "        r = np.uint64(rows[t])",
                *body,
                "",
                "@numba.njit(nogil=True, cache=True)",
                f"def {self.name}_span(start, stop, out{rest}):",
                "    for r in range(np.uint64(start), np.uint64(stop)):",
                *body,
            ]
        )
        return KernelSource(self.name, inputs, source)

    def clock(self, name: str, row: str) -> str:
        """Whole months of a clock on the date. Permit months are -1 without a permit; once the permit service is
        decided, someone who can have one today counts 0 (as the interval engine's permit clock)."""
        months = self.arg(f"c_{name}", row)
        if name != "permit":
            return months
        held = self.var(months)
        return self.var(f"{held} + ({held} < 0) * {self.arg('v_residence_permit', row)}")

    def value(self, key: str) -> Any:
        return self.policy.value(key, self.on)[1].value

    # ---- conditions ---------------------------------------------------------------------------------------
    def node(self, node: Node, row: str) -> str:
        """A boolean variable: whether the tree holds for the person in `row`."""
        if isinstance(node, Group):
            parts = [self.node(child, row) for child in node.children]
            if not parts:
                return "True" if node.mode == "all_of" else "False"
            return self.var((" & " if node.mode == "all_of" else " | ").join(parts))
        if node.of == "parent":
            parent = self.var(self.arg("parent", row))
            held = self.leaf(node, self.var(f"np.uint64(max({parent}, 0))"))  # no parent: row 0, result dropped
            return self.var(f"({parent} >= 0) & {held}")
        return self.leaf(node, row)

    def leaf(self, leaf: Leaf, row: str) -> str:
        if leaf.kind == "constant":
            return repr(bool(leaf.value))
        if leaf.kind == "flag":
            return repr(bool(self.value(leaf.name)))
        if leaf.kind == "service":
            return self.var(self.arg(f"v_{leaf.name}", row))
        if leaf.kind == "points":
            scheme = self.policy.schemes[leaf.name]
            total = self.points(scheme, row)
            reached = self.var(f"{total} >= {_number(self.value(scheme.line_param))}")
            if scheme.prerequisites is None:
                return reached
            return self.var(f"{reached} & {self.node(scheme.prerequisites, row)}")
        spec = VARIABLES[leaf.name]
        raw: Any = leaf.value if leaf.param is None else self.value(leaf.param)
        if spec.kind == "clock":
            unit = self.policy.parameters[leaf.param].unit if leaf.param is not None else (leaf.unit or "months")
            threshold = float(raw) * (12 if unit == "years" else 1)
            whole = math.ceil(threshold) if leaf.op in (">=", "<") else math.floor(threshold)
            return self.var(f"{self.clock(leaf.name, row)} {leaf.op} {whole}")
        value = self.arg("s_" + leaf.name, row)
        if spec.kind == "number":
            return self.var(f"{value} {leaf.op} {_number(raw)}")
        if spec.kind == "bool":
            wanted = bool(raw) if leaf.op in ("==", "in") else not bool(raw)
            return self.var(value if wanted else f"(not {value})")
        chosen = raw if isinstance(raw, list) else [raw]
        inside = self.table([c in chosen for c in spec.categories] + [False], "bool_")
        held = self.lookup(inside, value, len(spec.categories))
        return self.var(held if leaf.op in ("==", "in") else f"(not {held})")

    # ---- points -------------------------------------------------------------------------------------------
    def points(self, scheme: PointsScheme, row: str) -> str:
        """A float variable: the scheme's total for the person in `row`."""
        parts = [self.indicator(ind, row) for ind in scheme.indicators]
        return self.var(" + ".join(parts) if parts else "0.0")

    def indicator(self, ind: Indicator, row: str) -> str:
        if ind.kind == "max_of":
            parts = [self.indicator(p, row) for p in ind.parts]
            pts = parts[0] if len(parts) == 1 else self.var(f"max({', '.join(parts)})")
        else:
            assert ind.variable is not None
            kind = VARIABLES[ind.variable].kind
            read = self.clock(ind.variable, row) if kind == "clock" else self.arg("s_" + ind.variable, row)
            pts = self.score(ind, self.var(read), kind, row)
        return self.var(f"min({pts}, {_number(ind.cap)})") if ind.cap is not None else pts

    def score(self, ind: Indicator, value: str, kind: str, row: str) -> str:
        spec = ind.spec
        if ind.kind == "per_full_year":
            years = self.var(f"max({value} // 12, 0)")
            if "rate_by" in spec:
                by = spec["rate_by"]
                rates = [float(by["values"].get(c, 0.0)) for c in VARIABLES[by["variable"]].categories]
                rate = self.lookup(
                    self.table([*rates, 0.0], "float64"), self.arg("s_" + by["variable"], row), len(rates)
                )
            else:
                rate = _number(spec["points_per_year"])
            return self.var(f"{years} * {rate}")
        if ind.kind == "scale":
            years = self.var(f"{value} // 12")
            brackets = spec["brackets"]
            low, high = min(int(b["min"]) for b in brackets), max(int(b["max"]) for b in brackets)
            if high - low > SCALE_TABLE_MAX:
                pts = "0.0"
                for b in brackets:  # the last bracket holding the year counts, as in the interval engine
                    inside = f"({b['min']} <= {years}) & ({years} <= {b['max']})"
                    pts = self.var(f"{_number(b['points'])} if {inside} else {pts}")
                return pts
            by_year = [0.0] * (high - low + 3)  # [0]: below every bracket, [-1]: above every bracket
            for b in brackets:
                for year in range(int(b["min"]), int(b["max"]) + 1):
                    by_year[year - low + 1] = float(b["points"])
            name = self.table(by_year, "float64")
            return self.var(self.lookup(name, f"max({years} - {low - 1}, 0)", high - low + 2))
        if ind.kind == "tiers":
            scale = 12.0 if kind == "clock" else 1.0
            tiers = sorted(spec["tiers"], key=lambda t: t["at_least"])
            reached = " + ".join(f"({value} >= {_number(float(t['at_least']) * scale)})" for t in tiers)
            table = self.table([0.0, *(float(t["points"]) for t in tiers)], "float64")
            return self.var(self.lookup(table, f"0 + {reached}", len(tiers)))  # NaN reaches no tier
        if ind.kind == "category":
            assert ind.variable is not None
            points = [float(spec["points"].get(c, 0.0)) for c in VARIABLES[ind.variable].categories]
            return self.var(self.lookup(self.table([*points, 0.0], "float64"), value, len(points)))
        number = self.var(f"float({value})")
        return self.var(f"({number} if {number} == {number} else 0.0) * {_number(spec['points_per_event'])}")
