"""Policy files as typed objects: dated parameters, rule trees per service, points schemes, agreements.

The YAML format is documented in docs/policies.md; every parse error names the file and the field.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Literal

from changzhu.domain.services import Service
from changzhu.rules.errors import PolicyError
from changzhu.rules.variables import VARIABLES

Unit = Literal["months", "years", "yuan", "points", "bool", "count", "ratio", "coefficient"]
UNITS = ("months", "years", "yuan", "points", "bool", "count", "ratio", "coefficient")
ORDER_OPS = (">=", ">", "<", "<=")
SET_OPS = ("==", "!=", "in", "not_in")


@dataclass(frozen=True)
class DatedValue:
    """A parameter value in force from `since` until the next value, with its source (document, article)."""

    since: date
    value: Any
    source: str
    verified: bool


@dataclass(frozen=True)
class Parameter:
    """A named, dated policy parameter defined by one jurisdiction."""

    key: str
    unit: str
    description: str
    values: tuple[DatedValue, ...]
    jurisdiction: str

    def at(self, on: date) -> DatedValue | None:
        """The value in force on `on` (the latest one whose `since` is not after it)."""
        in_force = [v for v in self.values if v.since <= on]
        return max(in_force, key=lambda v: v.since) if in_force else None


@dataclass(frozen=True)
class Leaf:
    """One condition: a variable compared with a threshold, another service, a points line, or a flag."""

    kind: Literal["variable", "service", "points", "flag", "constant"]
    name: str
    of: Literal["self", "parent"] = "self"
    op: str | None = None
    value: Any = None
    param: str | None = None
    unit: str | None = None
    label: str = ""
    source: str | None = None


@dataclass(frozen=True)
class Group:
    """all_of (every child must hold) or any_of (one is enough)."""

    mode: Literal["all_of", "any_of"]
    children: tuple[Node, ...]
    label: str = ""


Node = Leaf | Group


@dataclass(frozen=True)
class ServiceRule:
    """The eligibility rule of one service in one jurisdiction."""

    service: Service
    rule: Node
    source: str
    jurisdiction: str
    note: str = ""


@dataclass(frozen=True)
class Indicator:
    """One points indicator (积分指标). kinds: per_full_year, scale, tiers, category, per_event, max_of."""

    name: str
    kind: str
    variable: str | None
    spec: dict[str, Any]
    cap: float | None
    label: str
    source: str | None
    parts: tuple[Indicator, ...] = ()


@dataclass(frozen=True)
class PointsScheme:
    """A points scheme (积分): prerequisites, indicators, and the admission line parameter."""

    name: str
    title: str
    source: str
    jurisdiction: str
    line_param: str
    prerequisites: Node | None
    indicators: tuple[Indicator, ...]


@dataclass(frozen=True)
class Jurisdiction:
    """One policy file: national (000000), a province (xx0000) or a city (prefecture code)."""

    code: str
    name_zh: str
    path: Path
    parameters: dict[str, Parameter] = field(default_factory=dict)
    services: dict[Service, ServiceRule] = field(default_factory=dict)
    schemes: dict[str, PointsScheme] = field(default_factory=dict)


@dataclass(frozen=True)
class Agreement:
    """Mutual recognition (互认) of residence and insurance months between member cities of an agglomeration."""

    id: str
    agglomeration: str
    title: str
    since: date
    source: str
    verified: bool
    recognises: tuple[str, ...]
    coefficients: dict[tuple[str, str], float]
    coefficient_source: str
    path: Path


class _Ctx:
    """Where we are in a file, for error messages."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def fail(self, where: str, why: str) -> PolicyError:
        return PolicyError(f"{self.path.name}: {where}: {why}")

    def req(self, d: dict[str, Any], key: str, where: str) -> Any:
        if not isinstance(d, dict) or key not in d:
            raise self.fail(where, f"missing field {key!r}")
        return d[key]

    def only(self, d: dict[str, Any], allowed: set[str], where: str) -> None:
        unknown = sorted(set(d) - allowed)
        if unknown:
            raise self.fail(where, f"unknown field(s) {unknown}; allowed: {sorted(allowed)}")


def _as_date(ctx: _Ctx, raw: Any, where: str) -> date:
    if isinstance(raw, date):
        return raw
    try:
        return date.fromisoformat(str(raw))
    except ValueError as exc:
        raise ctx.fail(where, f"{raw!r} is not a date (YYYY-MM-DD)") from exc


def parse_parameter(ctx: _Ctx, key: str, raw: Any, code: str) -> Parameter:
    """A parameter entry: unit, description, values [{since, value, source, verified}]."""
    where = f"parameters.{key}"
    ctx.only(raw, {"unit", "description", "values"}, where)
    unit = ctx.req(raw, "unit", where)
    if unit not in UNITS:
        raise ctx.fail(where, f"unit {unit!r} is not one of {UNITS}")
    values = []
    for i, item in enumerate(ctx.req(raw, "values", where)):
        w = f"{where}.values[{i}]"
        ctx.only(item, {"since", "value", "source", "verified"}, w)
        source = ctx.req(item, "source", w)
        if not str(source).strip():
            raise ctx.fail(w, "source must name the document and article")
        values.append(
            DatedValue(
                _as_date(ctx, ctx.req(item, "since", w), w),
                ctx.req(item, "value", w),
                str(source),
                bool(item.get("verified", False)),
            )
        )
    if not values:
        raise ctx.fail(where, "needs at least one value")
    return Parameter(key, unit, str(raw.get("description", "")), tuple(values), code)


_LEAF_FIELDS = {
    "variable",
    "service",
    "points",
    "flag",
    "constant",
    "of",
    "op",
    "value",
    "param",
    "years",
    "months",
    "label",
    "source",
}


def parse_node(ctx: _Ctx, raw: Any, where: str) -> Node:
    """A rule tree: {all_of: [...]}, {any_of: [...]} or a leaf condition."""
    if not isinstance(raw, dict):
        raise ctx.fail(where, "a condition must be a mapping")
    for mode in ("all_of", "any_of"):
        if mode in raw:
            ctx.only(raw, {mode, "label"}, where)
            items = raw[mode]
            if not isinstance(items, list) or not items:
                raise ctx.fail(where, f"{mode} needs a non-empty list")
            children = tuple(parse_node(ctx, c, f"{where}.{mode}[{i}]") for i, c in enumerate(items))
            return Group(mode, children, str(raw.get("label", "")))
    ctx.only(raw, _LEAF_FIELDS, where)
    kinds = [k for k in ("variable", "service", "points", "flag", "constant") if k in raw]
    if len(kinds) != 1:
        raise ctx.fail(where, "a condition needs exactly one of variable, service, points, flag, constant")
    kind = kinds[0]
    of = raw.get("of", "self")
    if of not in ("self", "parent"):
        raise ctx.fail(where, f"of must be self or parent, not {of!r}")
    label = str(raw.get("label", ""))
    source = raw.get("source")
    if kind == "service":
        try:
            Service(raw["service"])
        except ValueError as exc:
            raise ctx.fail(where, f"unknown service {raw['service']!r}") from exc
        return Leaf("service", raw["service"], of, label=label, source=source)
    if kind == "points":
        return Leaf("points", str(raw["points"]), of, label=label, source=source)
    if kind == "flag":
        return Leaf("flag", str(raw["flag"]), of, label=label, source=source)
    if kind == "constant":
        return Leaf("constant", "constant", of, value=bool(raw["constant"]), label=label, source=source)
    name = raw["variable"]
    spec = VARIABLES.get(name)
    if spec is None:
        raise ctx.fail(where, f"unknown variable {name!r}; known: {sorted(VARIABLES)}")
    op = ctx.req(raw, "op", where)
    given = [k for k in ("value", "param", "years", "months") if k in raw]
    if len(given) != 1:
        raise ctx.fail(where, "give exactly one of value, param, years, months")
    if spec.kind in ("bool", "category"):
        if op not in SET_OPS:
            raise ctx.fail(where, f"{name} is a {spec.kind}: op must be one of {SET_OPS}")
    elif op not in ORDER_OPS:
        raise ctx.fail(where, f"{name} is a {spec.kind}: op must be one of {ORDER_OPS}")
    if spec.kind == "category" and "value" in raw:
        values = raw["value"] if isinstance(raw["value"], list) else [raw["value"]]
        bad = [v for v in values if v not in spec.categories]
        if bad:
            raise ctx.fail(where, f"{bad} not among {name}'s categories {list(spec.categories)}")
    unit = "years" if "years" in raw else "months" if "months" in raw else None
    if unit and spec.kind != "clock":
        raise ctx.fail(where, f"{name} is not a duration; use value or param")
    value = raw.get("value", raw.get("years", raw.get("months")))
    return Leaf("variable", name, of, op, value, raw.get("param"), unit, label, source)


_INDICATOR_KINDS = ("per_full_year", "scale", "tiers", "category", "per_event", "max_of")


def parse_indicator(ctx: _Ctx, raw: Any, where: str) -> Indicator:
    """One indicator of a points scheme."""
    if not isinstance(raw, dict):
        raise ctx.fail(where, "an indicator must be a mapping")
    name = str(ctx.req(raw, "name", where))
    kind = ctx.req(raw, "kind", where)
    if kind not in _INDICATOR_KINDS:
        raise ctx.fail(where, f"kind {kind!r} is not one of {_INDICATOR_KINDS}")
    cap = raw.get("cap")
    common = {"name", "kind", "cap", "label", "source", "variable"}
    parts: tuple[Indicator, ...] = ()
    spec: dict[str, Any] = {}
    variable = raw.get("variable")
    if kind == "max_of":
        ctx.only(raw, common | {"indicators"}, where)
        parts = tuple(
            parse_indicator(ctx, p, f"{where}.indicators[{i}]") for i, p in enumerate(ctx.req(raw, "indicators", where))
        )
    else:
        if variable not in VARIABLES:
            raise ctx.fail(where, f"unknown or missing variable {variable!r}")
        vkind = VARIABLES[variable].kind
        extra = {
            "per_full_year": {"points_per_year", "rate_by"},
            "scale": {"brackets"},
            "tiers": {"tiers"},
            "category": {"points"},
            "per_event": {"points_per_event"},
        }[kind]
        ctx.only(raw, common | extra, where)
        spec = {k: raw[k] for k in extra if k in raw}
        if kind in ("per_full_year", "scale") and vkind != "clock":
            raise ctx.fail(where, f"{kind} needs a duration variable, {variable} is a {vkind}")
        if kind == "category" and vkind != "category":
            raise ctx.fail(where, f"category needs a category variable, {variable} is a {vkind}")
        if kind == "per_full_year" and "points_per_year" not in spec and "rate_by" not in spec:
            raise ctx.fail(where, "per_full_year needs points_per_year or rate_by")
        if kind == "scale":
            for i, b in enumerate(ctx.req(raw, "brackets", where)):
                for key in ("min", "max", "points"):
                    ctx.req(b, key, f"{where}.brackets[{i}]")
        if kind == "tiers":
            for i, t in enumerate(ctx.req(raw, "tiers", where)):
                for key in ("at_least", "points"):
                    ctx.req(t, key, f"{where}.tiers[{i}]")
        if kind == "category":
            pts = ctx.req(raw, "points", where)
            cats = VARIABLES[variable].categories
            bad = [k for k in pts if k not in cats]
            if bad:
                raise ctx.fail(where, f"{bad} not among {variable}'s categories {list(cats)}")
        if kind == "per_event":
            ctx.req(raw, "points_per_event", where)
    return Indicator(
        name,
        kind,
        variable,
        spec,
        float(cap) if cap is not None else None,
        str(raw.get("label", name)),
        raw.get("source"),
        parts,
    )


def parse_scheme(ctx: _Ctx, name: str, raw: Any, code: str) -> PointsScheme:
    """A points scheme entry."""
    where = f"points_schemes.{name}"
    ctx.only(raw, {"title", "source", "admission_line", "prerequisites", "indicators"}, where)
    prereq = raw.get("prerequisites")
    return PointsScheme(
        name,
        str(ctx.req(raw, "title", where)),
        str(ctx.req(raw, "source", where)),
        code,
        str(ctx.req(ctx.req(raw, "admission_line", where), "param", f"{where}.admission_line")),
        parse_node(ctx, prereq, f"{where}.prerequisites") if prereq is not None else None,
        tuple(
            parse_indicator(ctx, r, f"{where}.indicators[{i}]") for i, r in enumerate(ctx.req(raw, "indicators", where))
        ),
    )


def parse_jurisdiction(path: Path, raw: Any) -> Jurisdiction:
    """A whole jurisdiction file."""
    ctx = _Ctx(path)
    if not isinstance(raw, dict):
        raise ctx.fail("top level", "must be a mapping")
    ctx.only(raw, {"jurisdiction", "name_zh", "parameters", "services", "points_schemes"}, "top level")
    code = str(ctx.req(raw, "jurisdiction", "top level"))
    if code != path.stem:
        raise ctx.fail("jurisdiction", f"{code!r} does not match the file name {path.stem!r}")
    params = {k: parse_parameter(ctx, k, v, code) for k, v in (raw.get("parameters") or {}).items()}
    services: dict[Service, ServiceRule] = {}
    for name, entry in (raw.get("services") or {}).items():
        where = f"services.{name}"
        try:
            service = Service(name)
        except ValueError as exc:
            raise ctx.fail(where, f"unknown service; known: {[s.value for s in Service]}") from exc
        ctx.only(entry, {"source", "rule", "note"}, where)
        services[service] = ServiceRule(
            service,
            parse_node(ctx, ctx.req(entry, "rule", where), f"{where}.rule"),
            str(ctx.req(entry, "source", where)),
            code,
            str(entry.get("note", "")),
        )
    schemes = {k: parse_scheme(ctx, k, v, code) for k, v in (raw.get("points_schemes") or {}).items()}
    return Jurisdiction(code, str(raw.get("name_zh", code)), path, params, services, schemes)


def parse_agreement(path: Path, raw: Any) -> Agreement:
    """An agglomeration agreement file: members by agglomeration id, coefficients by (prior, current) class."""
    ctx = _Ctx(path)
    allowed = {
        "id",
        "agglomeration",
        "title",
        "since",
        "source",
        "verified",
        "recognises",
        "coefficients",
        "coefficient_source",
    }
    ctx.only(raw, allowed, "top level")
    coefficients: dict[tuple[str, str], float] = {}
    table = ctx.req(raw, "coefficients", "top level")
    for prior, row in table.items():
        for current, value in row.items():
            coefficients[(str(prior), str(current))] = float(value)
    recognises = tuple(ctx.req(raw, "recognises", "top level"))
    bad = [r for r in recognises if r not in ("residence", "social_insurance")]
    if bad:
        raise ctx.fail("recognises", f"{bad}: only residence and social_insurance can be recognised")
    return Agreement(
        str(ctx.req(raw, "id", "top level")),
        str(ctx.req(raw, "agglomeration", "top level")),
        str(ctx.req(raw, "title", "top level")),
        _as_date(ctx, ctx.req(raw, "since", "top level"), "since"),
        str(ctx.req(raw, "source", "top level")),
        bool(raw.get("verified", False)),
        recognises,
        coefficients,
        str(ctx.req(raw, "coefficient_source", "top level")),
        path,
    )
