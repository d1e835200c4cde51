"""The YAML of rule conditions and points indicators, parsed into the typed nodes that define their meaning.

The syntax is documented in docs/policies.md (§2, §3, §3a); every error names the file and the field.
"""

from __future__ import annotations

import difflib
import itertools
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from changzhu.domain.refusals import Refusal, RefusalCode, listed, refusal
from changzhu.domain.services import Service
from changzhu.rules.conditions import (
    AllOf,
    AnyOf,
    Condition,
    ConstantCondition,
    FlagCondition,
    Label,
    Leaf,
    PointsCondition,
    ServiceCondition,
    VariableCondition,
)
from changzhu.rules.errors import PolicyError
from changzhu.rules.indicators import (
    Bracket,
    CategoryPoints,
    Combination,
    Fixed,
    Indicator,
    MaxOf,
    Multiplier,
    Num,
    ParamRef,
    PerEvent,
    PerItem,
    PerOccurrence,
    PerUnit,
    Rate,
    Scale,
    SumOf,
    Tiers,
)
from changzhu.rules.inputs import parse_label
from changzhu.rules.variables import VariableKind, VariableSpec

ORDER_OPS = (">=", ">", "<", "<=")
SET_OPS = ("==", "!=", "in", "not_in")
NUMBER_OPS = (*ORDER_OPS, "==", "!=")
OPS_BY_KIND: dict[str, tuple[str, ...]] = {
    "clock": ORDER_OPS,
    "number": NUMBER_OPS,
    "bool": ("==", "!="),
    "category": SET_OPS,
    "set": ("contains", "not_contains"),
    "date": ("within", "not_within"),
    "dates": (*NUMBER_OPS, "within", "not_within"),
}


class Ctx:
    """Where we are in a file, and the variables its rules may read, for parsing and error messages."""

    def __init__(self, path: Path, variables: dict[str, VariableSpec]) -> None:
        self.path = path
        self.variables = variables

    def fail(self, where: str, why: Refusal) -> PolicyError:
        """The error at `where` (a key path; "" the file as a whole) of this file."""
        return PolicyError(why, self.path.name, where)

    def req(self, d: dict[str, Any], key: str, where: str) -> Any:
        if not isinstance(d, dict):
            raise self.fail(where, refusal(RefusalCode.POLICY_NOT_A_MAPPING))
        if key not in d:
            raise self.fail(where, refusal(RefusalCode.POLICY_MISSING_FIELD, field=key))
        return d[key]

    def only(self, d: dict[str, Any], allowed: set[str], where: str) -> None:
        if not isinstance(d, dict):
            raise self.fail(where, refusal(RefusalCode.POLICY_NOT_A_MAPPING))
        unknown = sorted(set(d) - allowed)
        if unknown:
            why = refusal(
                RefusalCode.POLICY_UNKNOWN_FIELDS, **listed("unknown", unknown), **listed("allowed", sorted(allowed))
            )
            raise self.fail(where, why)

    def variable(self, name: Any, where: str) -> VariableSpec:
        spec = self.variables.get(str(name)) if name is not None else None
        if spec is None:
            near = difflib.get_close_matches(str(name), list(self.variables), n=3, cutoff=0.6)
            if near:
                raise self.fail(
                    where, refusal(RefusalCode.POLICY_UNKNOWN_VARIABLE_NEAR, name=repr(name), near=tuple(near))
                )
            why = refusal(
                RefusalCode.POLICY_UNKNOWN_VARIABLE, name=repr(name), **listed("known", sorted(self.variables))
            )
            raise self.fail(where, why)
        return spec

    def label(self, raw: Any, where: str, fallback: str = "") -> Label:
        try:
            zh, en = parse_label(raw, where)
        except PolicyError as exc:
            raise self.fail(where, exc.reason) from exc
        return (zh or fallback, en or fallback)

    def number(self, raw: Any, where: str, field: str) -> int:
        """A whole number of units (0 or more)."""
        if not isinstance(raw, int) or isinstance(raw, bool) or raw < 0:
            raise self.fail(where, refusal(RefusalCode.POLICY_NOT_A_WHOLE_NUMBER, field=field, value=repr(raw)))
        return raw

    def items(self, raw: Any, where: str, field: str) -> list[Any]:
        """A non-empty list."""
        if not isinstance(raw, list) or not raw:
            raise self.fail(where, refusal(RefusalCode.POLICY_NEEDS_LIST, field=field))
        return raw


def _not_among(bad: list[Any], spec: VariableSpec) -> Refusal:
    """Codes that are not among a category variable's."""
    return refusal(
        RefusalCode.POLICY_NOT_AMONG_CATEGORIES,
        **listed("bad", bad),
        name=spec.name,
        **listed("known", spec.categories),
    )


def _reads(what: str, kinds: tuple[str, ...], spec: VariableSpec) -> Refusal:
    """A field that reads a variable of other kinds than `spec`'s."""
    kinds_read = " or ".join(kinds)
    return refusal(RefusalCode.POLICY_VARIABLE_KIND, what=what, kinds=kinds_read, name=spec.name, kind=spec.kind)


Of = Literal["self", "parent"]
LeafSyntax = Callable[[Ctx, dict[str, Any], str, Of, str | None], Leaf]
"""Builds one kind of leaf from its YAML mapping, where it is (for errors), `of` and `source`."""


def _label(ctx: Ctx, raw: dict[str, Any], where: str, fallback: str) -> Label:
    return ctx.label(raw.get("label"), where, fallback)


def _service(ctx: Ctx, raw: dict[str, Any], where: str, of: Of, source: str | None) -> Leaf:
    try:
        service = Service(raw["service"])
    except ValueError as exc:
        known = str([s.value for s in Service])
        raise ctx.fail(
            where, refusal(RefusalCode.POLICY_UNKNOWN_SERVICE, name=repr(raw["service"]), known=known)
        ) from exc
    return ServiceCondition(service, of, _label(ctx, raw, where, str(raw["service"])), source)


def _points(ctx: Ctx, raw: dict[str, Any], where: str, of: Of, source: str | None) -> Leaf:
    return PointsCondition(str(raw["points"]), of, _label(ctx, raw, where, str(raw["points"])), source)


def _flag(ctx: Ctx, raw: dict[str, Any], where: str, of: Of, source: str | None) -> Leaf:
    return FlagCondition(str(raw["flag"]), of, _label(ctx, raw, where, str(raw["flag"])), source)


def _constant(ctx: Ctx, raw: dict[str, Any], where: str, of: Of, source: str | None) -> Leaf:
    return ConstantCondition(bool(raw["constant"]), of, _label(ctx, raw, where, "—"), source)


def _variable(ctx: Ctx, raw: dict[str, Any], where: str, of: Of, source: str | None) -> Leaf:
    spec = ctx.variable(raw["variable"], where)
    label = (spec.label("zh"), spec.label("en")) if raw.get("label") is None else _label(ctx, raw, where, spec.name)
    op = ctx.req(raw, "op", where)
    allowed_ops = OPS_BY_KIND[spec.kind]
    if op not in allowed_ops:
        why = refusal(RefusalCode.POLICY_OP_FOR_KIND, name=spec.name, kind=spec.kind, ops=str(allowed_ops))
        raise ctx.fail(where, why)
    if spec.kind == "dates":
        return _dated_list(ctx, raw, where, spec, (op, of, label, source))
    given = [k for k in ("value", "param", "years", "months") if k in raw]
    if len(given) != 1:
        raise ctx.fail(where, refusal(RefusalCode.POLICY_ONE_OF_FIELDS, fields="value, param, years, months"))
    if spec.kind in ("category", "set") and "value" in raw:
        values = raw["value"] if isinstance(raw["value"], list) else [raw["value"]]
        bad = [v for v in values if v not in spec.categories]
        if bad:
            raise ctx.fail(where, _not_among(bad, spec))
    unit = "years" if "years" in raw else "months" if "months" in raw else None
    duration = spec.kind in ("clock", "date") or spec.duration
    if unit and not duration:
        raise ctx.fail(where, refusal(RefusalCode.POLICY_NOT_A_DURATION, name=spec.name, fields="value: / param:"))
    if spec.kind == "date" and unit is None and "param" not in raw:
        raise ctx.fail(where, refusal(RefusalCode.POLICY_DATE_NEEDS_WINDOW, name=spec.name, fields="years: / months:"))
    if "value" in raw and (spec.kind == "clock" or (spec.duration and spec.kind != "date")):
        # a duration's literal has a unit: a bare number was read as months, so "满5年" written `value: 5` held at 5
        # months; the author writes the unit the rule is in
        raise ctx.fail(where, refusal(RefusalCode.POLICY_DURATION_NEEDS_UNIT, name=spec.name, value=raw["value"]))
    value = raw.get("value", raw.get("years", raw.get("months")))
    param = raw.get("param")
    if unit is not None:
        value, param = _duration(ctx, value, f"{where}.{unit}")
    return VariableCondition(spec.name, op, value, param, unit, spec, of, label, source)


def _window(ctx: Ctx, raw: dict[str, Any], where: str) -> tuple[float | None, str | None, str]:
    """The `years:` or `months:` of a dates condition or indicator: (literal, parameter, unit)."""
    units = [k for k in ("years", "months") if k in raw]
    if len(units) != 1:
        raise ctx.fail(where, refusal(RefusalCode.POLICY_DATES_WINDOW, fields="years: / months:"))
    literal, param = _duration(ctx, raw[units[0]], f"{where}.{units[0]}")
    return (None if literal is None else float(literal)), param, units[0]


def _dated_list(
    ctx: Ctx, raw: dict[str, Any], where: str, spec: VariableSpec, leaf: tuple[str, Of, Label, str | None]
) -> Leaf:
    """A condition on how many dates of a list are within N years or months: `op: within` (at least one),
    `not_within` (none) or a count compared with `value:` / `param:`."""
    op, of, label, source = leaf
    window = _window(ctx, raw, where)
    value: Any
    param: str | None
    if op in ("within", "not_within"):
        if "value" in raw or "param" in raw:
            raise ctx.fail(where, refusal(RefusalCode.POLICY_WITHIN_NO_VALUE, op=op))
        op, value, param = (">=" if op == "within" else "<"), 1, None
    else:
        given = [k for k in ("value", "param") if k in raw]
        if len(given) != 1:
            raise ctx.fail(where, refusal(RefusalCode.POLICY_COUNT_FORM))
        value, param = raw.get("value"), (None if raw.get("param") is None else str(raw["param"]))
        if param is None and (isinstance(value, bool) or not isinstance(value, int | float)):
            raise ctx.fail(where, refusal(RefusalCode.POLICY_COUNT_NOT_A_NUMBER, value=repr(value)))
    return VariableCondition(spec.name, op, value, param, None, spec, of, label, source, window=window)


LEAF_KINDS: dict[str, LeafSyntax] = {
    "variable": _variable,
    "service": _service,
    "points": _points,
    "flag": _flag,
    "constant": _constant,
}
"""Every kind of leaf condition: the field that names it, and how its mapping becomes the node."""
_LEAF_FIELDS = {*LEAF_KINDS, "of", "op", "value", "param", "years", "months", "label", "source"}


def parse_node(ctx: Ctx, raw: Any, where: str) -> Condition:
    """A rule tree: {all_of: [...]}, {any_of: [...]} or a leaf condition (one of LEAF_KINDS)."""
    if not isinstance(raw, dict):
        raise ctx.fail(where, refusal(RefusalCode.POLICY_NOT_A_MAPPING))
    for mode, cls in (("all_of", AllOf), ("any_of", AnyOf)):
        if mode in raw:
            ctx.only(raw, {mode, "label", "source"}, where)
            items = ctx.items(raw[mode], where, mode)
            children = tuple(parse_node(ctx, c, f"{where}.{mode}[{i}]") for i, c in enumerate(items))
            return cls(children, ctx.label(raw.get("label"), where), raw.get("source"))
    ctx.only(raw, _LEAF_FIELDS, where)
    kinds = [k for k in LEAF_KINDS if k in raw]
    if len(kinds) != 1:
        raise ctx.fail(where, refusal(RefusalCode.POLICY_CONDITION_KIND, kinds=", ".join(LEAF_KINDS)))
    of = raw.get("of", "self")
    if of not in ("self", "parent"):
        raise ctx.fail(where, refusal(RefusalCode.POLICY_OF_SELF_OR_PARENT, value=repr(of)))
    return LEAF_KINDS[kinds[0]](ctx, raw, where, of, raw.get("source"))


def _duration(ctx: Ctx, raw: Any, where: str) -> tuple[Any, str | None]:
    """`years:`/`months:` as a number or {param: key} (a parameter counted in that unit): (literal, parameter)."""
    if isinstance(raw, dict):
        ctx.only(raw, {"param"}, where)
        return None, str(ctx.req(raw, "param", where))
    if isinstance(raw, bool) or not isinstance(raw, int | float):
        raise ctx.fail(where, refusal(RefusalCode.POLICY_DURATION_FORM, value=repr(raw), form="{param: ...}"))
    return raw, None


_COMMON = {"name", "kind", "cap", "label", "source", "only_if", "within", "multiplier"}


def parse_num(ctx: Ctx, raw: Any, where: str) -> Num:
    """A number, or {param: KEY} naming a parameter of the chain."""
    if isinstance(raw, dict):
        ctx.only(raw, {"param"}, where)
        return ParamRef(str(ctx.req(raw, "param", where)))
    if isinstance(raw, bool) or not isinstance(raw, int | float):
        raise ctx.fail(where, refusal(RefusalCode.POLICY_NOT_A_NUMBER_OR_PARAM, value=repr(raw), form="{param: KEY}"))
    return float(raw)


def _rates(ctx: Ctx, raw: dict[str, Any], rate_key: str, where: str) -> tuple[Rate, ...]:
    if "rates" in raw:
        if rate_key in raw:
            raise ctx.fail(where, refusal(RefusalCode.POLICY_ONE_OF_FIELDS, fields=f"{rate_key}, rates"))
        out = []
        for i, r in enumerate(ctx.items(raw["rates"], where, "rates")):
            w = f"{where}.rates[{i}]"
            ctx.only(r, {"from", "points"}, w)
            start = ctx.number(ctx.req(r, "from", w), w, "from")
            out.append(Rate(start, parse_num(ctx, ctx.req(r, "points", w), w)))
        starts = [r.start for r in out]
        if starts[0] != 0 or starts != sorted(set(starts)):
            raise ctx.fail(where, refusal(RefusalCode.POLICY_RATES_ORDER))
        return tuple(out)
    return (Rate(0, parse_num(ctx, ctx.req(raw, rate_key, where), where)),)


def _points_map(ctx: Ctx, raw: Any, spec: VariableSpec, where: str) -> tuple[tuple[str, Num], ...]:
    if not isinstance(raw, dict) or not raw:
        raise ctx.fail(where, refusal(RefusalCode.POLICY_POINTS_MAP))
    bad = [k for k in raw if k not in spec.categories]
    if bad:
        raise ctx.fail(where, _not_among(bad, spec))
    return tuple((str(k), parse_num(ctx, v, f"{where}.{k}")) for k, v in raw.items())


def _multiplier(ctx: Ctx, raw: Any, where: str) -> Multiplier | None:
    if raw is None:
        return None
    ctx.only(raw, {"variable", "values", "default"}, where)
    spec = ctx.variable(ctx.req(raw, "variable", where), where)
    if spec.kind != "category":
        raise ctx.fail(where, _reads("multiplier", ("category",), spec))
    values = _points_map(ctx, ctx.req(raw, "values", where), spec, f"{where}.values")
    default = parse_num(ctx, raw.get("default", 1.0), f"{where}.default")
    for code, v in (*values, ("default", default)):
        if isinstance(v, float) and v < 0:
            raise ctx.fail(where, refusal(RefusalCode.POLICY_FACTOR_NEGATIVE, code=code))
    return Multiplier(spec, values, default)


def _only_if(ctx: Ctx, raw: dict[str, Any], where: str) -> Condition | None:
    conditions: list[Condition] = []
    if raw.get("only_if") is not None:
        conditions.append(parse_node(ctx, raw["only_if"], f"{where}.only_if"))
    within = raw.get("within")
    if within is not None:
        w = f"{where}.within"
        ctx.only(within, {"date", "years", "months", "label"}, w)
        leaf = {k: v for k, v in within.items() if k != "date"}
        conditions.append(parse_node(ctx, {"variable": ctx.req(within, "date", w), "op": "within", **leaf}, w))
    if not conditions:
        return None
    return conditions[0] if len(conditions) == 1 else AllOf(tuple(conditions))


Common = tuple[str, Label, str | None, Num | None, Condition | None, Multiplier | None, str]
"""The fields every indicator has, in the order of `Indicator`'s fields: name, label, source, cap, only_if,
multiplier, kind."""


def _members(ctx: Ctx, raw: dict[str, Any], where: str, kind: str) -> tuple[Indicator, ...]:
    items = ctx.items(ctx.req(raw, "indicators", where), where, "indicators")
    return tuple(parse_indicator(ctx, p, f"{where}.indicators[{i}]") for i, p in enumerate(items))


def _max_of(ctx: Ctx, raw: dict[str, Any], where: str, common: Common, _spec: VariableSpec | None) -> Indicator:
    return MaxOf(*common, _members(ctx, raw, where, "max_of"))


def _sum_of(ctx: Ctx, raw: dict[str, Any], where: str, common: Common, _spec: VariableSpec | None) -> Indicator:
    return SumOf(*common, _members(ctx, raw, where, "sum_of"))


def _fixed(ctx: Ctx, raw: dict[str, Any], where: str, common: Common, _spec: VariableSpec | None) -> Indicator:
    return Fixed(*common, parse_num(ctx, ctx.req(raw, "points", where), f"{where}.points"))


def _combination(ctx: Ctx, raw: dict[str, Any], where: str, common: Common, _spec: VariableSpec | None) -> Indicator:
    over = tuple(ctx.variable(v, where) for v in ctx.req(raw, "variables", where))
    if len(over) < 2 or any(v.kind != "category" for v in over):
        raise ctx.fail(where, refusal(RefusalCode.POLICY_COMBINATION))
    rows = []
    for i, row in enumerate(ctx.items(ctx.req(raw, "table", where), where, "table")):
        w = f"{where}.table[{i}]"
        ctx.only(row, {"when", "points"}, w)
        codes = tuple(str(c) for c in ctx.req(row, "when", w))
        if len(codes) != len(over):
            raise ctx.fail(w, refusal(RefusalCode.POLICY_WHEN_CODES, count=len(over)))
        for v, c in zip(over, codes, strict=True):
            if c != "*" and c not in v.categories:
                raise ctx.fail(w, _not_among([c], v))
        rows.append((codes, parse_num(ctx, ctx.req(row, "points", w), w)))
    return Combination(*common, over, tuple(rows))


def _scored(spec: VariableSpec | None) -> VariableSpec:
    """The variable of a kind that scores one (checked against the kind's `reads` before the build)."""
    if spec is None:
        raise TypeError("a scored indicator kind has no `reads` in INDICATOR_KINDS")
    return spec


def _per_full_year(ctx: Ctx, raw: dict[str, Any], where: str, common: Common, spec: VariableSpec | None) -> Indicator:
    if "rate_by" not in raw:
        return PerUnit(*common, _scored(spec), 12.0, _rates(ctx, raw, "points_per_year", where))
    by = raw["rate_by"]
    w = f"{where}.rate_by"
    ctx.only(by, {"variable", "values"}, w)
    by_spec = ctx.variable(ctx.req(by, "variable", w), w)
    if by_spec.kind != "category":
        raise ctx.fail(w, _reads("rate_by", ("category",), by_spec))
    table = _points_map(ctx, ctx.req(by, "values", w), by_spec, f"{w}.values")
    return PerUnit(*common, _scored(spec), 12.0, (), (by_spec, table))


def _per_full_month(ctx: Ctx, raw: dict[str, Any], where: str, common: Common, spec: VariableSpec | None) -> Indicator:
    return PerUnit(*common, _scored(spec), 1.0, _rates(ctx, raw, "points_per_month", where))


def _per_amount(ctx: Ctx, raw: dict[str, Any], where: str, common: Common, spec: VariableSpec | None) -> Indicator:
    step = parse_num(ctx, ctx.req(raw, "step", where), f"{where}.step")
    return PerUnit(*common, _scored(spec), step, _rates(ctx, raw, "points_per_step", where))


def _scale(ctx: Ctx, raw: dict[str, Any], where: str, common: Common, spec: VariableSpec | None) -> Indicator:
    brackets = []
    for i, b in enumerate(ctx.items(ctx.req(raw, "brackets", where), where, "brackets")):
        w = f"{where}.brackets[{i}]"
        ctx.only(b, {"min", "max", "points", "per_year", "floor"}, w)
        low, high = ctx.number(ctx.req(b, "min", w), w, "min"), ctx.number(ctx.req(b, "max", w), w, "max")
        per_year = parse_num(ctx, b["per_year"], f"{w}.per_year") if "per_year" in b else None
        if "floor" in b and per_year is None:  # a floor bounds a linear piece only
            raise ctx.fail(w, refusal(RefusalCode.POLICY_MISSING_FIELD, field="per_year"))
        floor = parse_num(ctx, b["floor"], f"{w}.floor") if "floor" in b else None
        if low > high:
            raise ctx.fail(w, refusal(RefusalCode.POLICY_BRACKET_BACKWARDS, low=low, high=high))
        brackets.append(Bracket(low, high, parse_num(ctx, ctx.req(b, "points", w), w), per_year, floor))
    ordered = sorted(enumerate(brackets), key=lambda item: item[1].low)
    for (i, a), (j, b) in itertools.pairwise(ordered):
        if b.low <= a.high:  # a year in both brackets: a published table never counts one year twice
            first, second = sorted(((i, a), (j, b)))
            reason = refusal(
                RefusalCode.POLICY_BRACKETS_OVERLAP,
                first=first[0] + 1,
                first_min=first[1].low,
                first_max=first[1].high,
                second=second[0] + 1,
                second_min=second[1].low,
                second_max=second[1].high,
                year=b.low,
            )
            raise ctx.fail(f"{where}.brackets[{second[0]}]", reason)
    return Scale(*common, _scored(spec), tuple(brackets))


def _tiers(ctx: Ctx, raw: dict[str, Any], where: str, common: Common, spec: VariableSpec | None) -> Indicator:
    tiers = []
    for i, t in enumerate(ctx.items(ctx.req(raw, "tiers", where), where, "tiers")):
        w = f"{where}.tiers[{i}]"
        ctx.only(t, {"at_least", "points"}, w)
        tiers.append((parse_num(ctx, ctx.req(t, "at_least", w), w), parse_num(ctx, ctx.req(t, "points", w), w)))
    return Tiers(*common, _scored(spec), tuple(tiers))


def _category(ctx: Ctx, raw: dict[str, Any], where: str, common: Common, spec: VariableSpec | None) -> Indicator:
    scored = _scored(spec)
    return CategoryPoints(*common, scored, _points_map(ctx, ctx.req(raw, "points", where), scored, f"{where}.points"))


def _per_item(ctx: Ctx, raw: dict[str, Any], where: str, common: Common, spec: VariableSpec | None) -> Indicator:
    scored = _scored(spec)
    return PerItem(*common, scored, _points_map(ctx, ctx.req(raw, "points", where), scored, f"{where}.points"))


def _per_occurrence(ctx: Ctx, raw: dict[str, Any], where: str, common: Common, spec: VariableSpec | None) -> Indicator:
    literal, param, unit = _window(ctx, raw, where)
    months = parse_num(ctx, {"param": param} if param is not None else literal, f"{where}.{unit}")
    if unit == "years" and not isinstance(months, ParamRef):
        months *= 12
    elif unit == "years":
        raise ctx.fail(where, refusal(RefusalCode.POLICY_WINDOW_IN_MONTHS, form="months: {param: KEY}"))
    points = parse_num(ctx, ctx.req(raw, "points_per_occurrence", where), f"{where}.points_per_occurrence")
    most = raw.get("max_count")
    max_count = None if most is None else parse_num(ctx, most, f"{where}.max_count")
    return PerOccurrence(*common, _scored(spec), months, points, max_count)


def _per_event(ctx: Ctx, raw: dict[str, Any], where: str, common: Common, spec: VariableSpec | None) -> Indicator:
    points = parse_num(ctx, ctx.req(raw, "points_per_event", where), f"{where}.points_per_event")
    return PerEvent(*common, _scored(spec), points)


@dataclass(frozen=True)
class IndicatorSyntax:
    """One kind of indicator: its own fields (beside the common ones), the variable kinds it can score (none:
    it reads no `variable`), and how its mapping becomes the node."""

    fields: frozenset[str]
    build: Callable[[Ctx, dict[str, Any], str, Common, VariableSpec | None], Indicator]
    reads: tuple[VariableKind, ...] = ()


def _kind(fields: set[str], build: Callable[..., Indicator], *reads: VariableKind) -> IndicatorSyntax:
    return IndicatorSyntax(frozenset(fields | ({"variable"} if reads else set())), build, reads)


INDICATOR_KINDS: dict[str, IndicatorSyntax] = {
    "per_full_year": _kind({"points_per_year", "rate_by", "rates"}, _per_full_year, "clock"),
    "per_full_month": _kind({"points_per_month", "rates"}, _per_full_month, "clock"),
    "per_amount": _kind({"step", "points_per_step", "rates"}, _per_amount, "number"),
    "scale": _kind({"brackets"}, _scale, "clock"),
    "tiers": _kind({"tiers"}, _tiers, "clock", "number"),
    "category": _kind({"points"}, _category, "category"),
    "combination": _kind({"variables", "table"}, _combination),
    "per_item": _kind({"points"}, _per_item, "set"),
    "per_event": _kind({"points_per_event"}, _per_event, "number"),
    "per_occurrence": _kind({"years", "months", "points_per_occurrence", "max_count"}, _per_occurrence, "dates"),
    "fixed": _kind({"points"}, _fixed),
    "max_of": _kind({"indicators"}, _max_of),
    "sum_of": _kind({"indicators"}, _sum_of),
}
"""Every kind of points indicator (docs/policies.md §3), each parsed by its own entry."""


def parse_indicator(ctx: Ctx, raw: Any, where: str) -> Indicator:
    """One indicator of a points scheme (any kind of INDICATOR_KINDS), with its common fields."""
    if not isinstance(raw, dict):
        raise ctx.fail(where, refusal(RefusalCode.POLICY_NOT_A_MAPPING))
    name = str(ctx.req(raw, "name", where))
    kind = ctx.req(raw, "kind", where)
    syntax = INDICATOR_KINDS.get(kind) if isinstance(kind, str) else None
    if syntax is None:
        why = refusal(
            RefusalCode.POLICY_NOT_ONE_OF, field="kind", value=repr(kind), **listed("allowed", INDICATOR_KINDS)
        )
        raise ctx.fail(where, why)
    ctx.only(raw, _COMMON | syntax.fields, where)
    cap = parse_num(ctx, raw["cap"], f"{where}.cap") if raw.get("cap") is not None else None
    common: Common = (
        name,
        ctx.label(raw.get("label"), where, name),
        raw.get("source"),
        cap,
        _only_if(ctx, raw, where),
        _multiplier(ctx, raw.get("multiplier"), f"{where}.multiplier"),
        kind,
    )
    spec = None
    if syntax.reads:
        spec = ctx.variable(ctx.req(raw, "variable", where), where)
        if spec.kind not in syntax.reads:
            raise ctx.fail(where, _reads(kind, syntax.reads, spec))
    return syntax.build(ctx, raw, where, common, spec)
