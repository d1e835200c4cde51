"""Policy files as typed objects: dated parameters, rule trees per service, points schemes, agreements.

The YAML format is documented in docs/policies.md; every parse error names the file and the field.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Literal

import polars as pl

from changzhu.domain.refusals import Refusal, RefusalCode, listed, refusal
from changzhu.domain.services import Service
from changzhu.parameters.errors import ParameterError
from changzhu.parameters.model import DatedValue as DatedValue  # re-exported: the model lives in changzhu.parameters
from changzhu.parameters.model import Parameter, as_date, check_value
from changzhu.parameters.model import parse_parameter as parse_dated_parameter
from changzhu.rules.conditions import Condition
from changzhu.rules.grammar import Ctx, parse_indicator, parse_node, parse_num
from changzhu.rules.indicators import Indicator, Num
from changzhu.rules.inputs import DocumentOverride, InputSpec
from changzhu.rules.variables import VariableSpec

Unit = Literal["months", "years", "yuan", "points", "bool", "count", "ratio", "coefficient"]
UNITS = ("months", "years", "yuan", "points", "bool", "count", "ratio", "coefficient")


@dataclass(frozen=True)
class ServiceRule:
    """The eligibility rule of one service in one jurisdiction."""

    service: Service
    rule: Condition
    source: tuple[str, str]  # (zh, en): the citation in each language
    jurisdiction: str
    note: str = ""


@dataclass(frozen=True)
class Unmodelled:
    """An indicator of the published table the engine does not score: its labels, why, and the rule line."""

    name: str
    label: tuple[str, str]  # (zh, en)
    reason: tuple[str, str]  # (zh, en)
    source: str


@dataclass(frozen=True)
class PointsScheme:
    """A points scheme (积分): prerequisites, indicators, the admission line parameter, and the indicators of the
    published table that are not modelled (explain names them: a caseworker scores them by hand)."""

    name: str
    title: tuple[str, str]  # (zh, en): `title: {zh, en}`, or one string (its English from the label glossary)
    source: tuple[str, str]  # (zh, en): the citation in each language
    jurisdiction: str
    line_param: str
    prerequisites: Condition | None
    indicators: tuple[Indicator, ...]
    unmodelled: tuple[Unmodelled, ...] = ()
    floor: Num | None = None  # `min:` the total is never below it (a literal or {param: ...})
    # `verified:` the indicators' points were checked against the city's published table (false, the default, as a
    # parameter's: the resident is told the values are not yet checked; the project's remarks stay in comments)
    verified: bool = False


@dataclass(frozen=True)
class Jurisdiction:
    """One policy file: national (000000), a province (xx0000) or a city (prefecture code)."""

    code: str
    name_zh: str
    path: Path
    parameters: dict[str, Parameter] = field(default_factory=dict)
    services: dict[Service, ServiceRule] = field(default_factory=dict)
    schemes: dict[str, PointsScheme] = field(default_factory=dict)
    inputs: dict[str, InputSpec] = field(default_factory=dict)
    documents: dict[str, DocumentOverride] = field(default_factory=dict)  # its own documents for core columns


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


# what an agreement may recognise of another region's: months of residence and of social insurance
AGREED = ("residence", "social_insurance")


def _as_date(ctx: Ctx, raw: Any, where: str) -> date:
    try:
        return as_date(raw, where)
    except ParameterError as exc:
        raise ctx.fail(where, exc.reason) from exc


def parse_parameter(ctx: Ctx, key: str, raw: Any, code: str) -> Parameter:
    """A parameter entry (the parameter tree's format, changzhu.parameters.model): unit, description, values."""
    try:
        return parse_dated_parameter(key, raw, code, f"parameters.{key}")
    except ParameterError as exc:
        raise ctx.fail(exc.where, exc.reason) from exc


def parse_scheme(ctx: Ctx, name: str, raw: Any, code: str) -> PointsScheme:
    """A points scheme entry."""
    where = f"points_schemes.{name}"
    ctx.only(
        raw,
        {"title", "source", "verified", "admission_line", "prerequisites", "indicators", "unmodelled", "min"},
        where,
    )
    prereq = raw.get("prerequisites")
    indicators = tuple(
        parse_indicator(ctx, r, f"{where}.indicators[{i}]") for i, r in enumerate(ctx.req(raw, "indicators", where))
    )
    names = [i.name for i in indicators]
    if len(set(names)) != len(names):
        twice = sorted({n for n in names if names.count(n) > 1})
        raise ctx.fail(where, refusal(RefusalCode.POLICY_NAMES_REPEAT, **listed("names", twice)))
    return PointsScheme(
        name,
        ctx.label(ctx.req(raw, "title", where), f"{where}.title"),
        ctx.label(ctx.req(raw, "source", where), f"{where}.source"),
        code,
        _admission_line(ctx, ctx.req(raw, "admission_line", where), f"{where}.admission_line"),
        parse_node(ctx, prereq, f"{where}.prerequisites") if prereq is not None else None,
        indicators,
        _unmodelled(ctx, raw.get("unmodelled") or [], f"{where}.unmodelled", set(names)),
        parse_num(ctx, raw["min"], f"{where}.min") if raw.get("min") is not None else None,
        _verified(ctx, raw.get("verified", False), f"{where}.verified"),
    )


def _verified(ctx: Ctx, raw: Any, where: str) -> bool:
    """`verified: true | false` (a YAML boolean, not a string: "false" would read as checked)."""
    if not isinstance(raw, bool):
        raise ctx.fail(where, refusal(RefusalCode.PARAMETER_NOT_BOOL, value=repr(raw)))
    return raw


def _admission_line(ctx: Ctx, raw: Any, where: str) -> str:
    """`admission_line: {param: KEY}`: the line is a dated parameter with its source, never a bare number."""
    if not isinstance(raw, dict) or set(raw) != {"param"}:
        raise ctx.fail(
            where, refusal(RefusalCode.POLICY_ADMISSION_LINE_FORM, form="admission_line: {param: KEY}", value=repr(raw))
        )
    return str(raw["param"])


def _unmodelled(ctx: Ctx, raw: Any, where: str, modelled: set[str]) -> tuple[Unmodelled, ...]:
    """`unmodelled:` [{name, label: {zh, en}, reason: {zh, en}, source}]: each needs both languages and a source."""
    if not isinstance(raw, list):
        raise ctx.fail(where, refusal(RefusalCode.POLICY_NEEDS_LIST, field="unmodelled"))
    out: list[Unmodelled] = []
    for i, item in enumerate(raw):
        at = f"{where}[{i}]"
        ctx.only(item, {"name", "label", "reason", "source"}, at)
        name = str(ctx.req(item, "name", at))
        if name in modelled or name in {u.name for u in out}:
            raise ctx.fail(at, refusal(RefusalCode.POLICY_UNMODELLED_TWICE, name=repr(name)))
        label, reason = ctx.label(ctx.req(item, "label", at), at), ctx.label(ctx.req(item, "reason", at), at)
        if not all((*label, *reason)) or not isinstance(item["label"], dict) or not isinstance(item["reason"], dict):
            why = refusal(RefusalCode.POLICY_LABEL_BOTH, what="label and reason", form="{zh: ..., en: ...}")
            raise ctx.fail(at, why)
        out.append(Unmodelled(name, label, reason, str(ctx.req(item, "source", at))))
    return tuple(out)


def parse_jurisdiction(
    path: Path,
    raw: Any,
    variables: dict[str, VariableSpec],
    inputs: dict[str, InputSpec],
    documents: dict[str, DocumentOverride] | None = None,
) -> Jurisdiction:
    """A whole jurisdiction file; `variables`: those its rules may read, `inputs`: those it declares, `documents`:
    its own documents for core columns."""
    ctx = Ctx(path, variables)
    ctx.only(raw, {"jurisdiction", "name_zh", "inputs", "parameters", "services", "points_schemes"}, "")
    code = str(ctx.req(raw, "jurisdiction", ""))
    for value, where in ((path.stem, ""), (code, "jurisdiction")):
        if not (len(value) == 6 and value.isdigit()):
            raise ctx.fail(where, not_a_code(value))
    if code != path.stem:
        raise ctx.fail(
            "jurisdiction", refusal(RefusalCode.POLICY_CODE_NOT_FILE_NAME, code=repr(code), stem=repr(path.stem))
        )
    params = {k: parse_parameter(ctx, k, v, code) for k, v in _mapping(ctx, raw, "parameters").items()}
    services: dict[Service, ServiceRule] = {}
    for name, entry in _mapping(ctx, raw, "services").items():
        where = f"services.{name}"
        try:
            service = Service(name)
        except ValueError as exc:
            known = str([s.value for s in Service])
            raise ctx.fail(where, refusal(RefusalCode.POLICY_UNKNOWN_SERVICE, name=repr(name), known=known)) from exc
        ctx.only(entry, {"source", "rule", "note"}, where)
        services[service] = ServiceRule(
            service,
            parse_node(ctx, ctx.req(entry, "rule", where), f"{where}.rule"),
            ctx.label(ctx.req(entry, "source", where), f"{where}.source"),
            code,
            str(entry.get("note", "")),
        )
    schemes = {k: parse_scheme(ctx, k, v, code) for k, v in _mapping(ctx, raw, "points_schemes").items()}
    name_zh = str(raw.get("name_zh", code))
    return Jurisdiction(code, name_zh, path, params, services, schemes, inputs, dict(documents or {}))


def parse_agreement(path: Path, raw: Any) -> Agreement:
    """An agglomeration agreement file: members by agglomeration id, coefficients by (prior, current) class."""
    ctx = Ctx(path, {})
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
    ctx.only(raw, allowed, "")
    coefficients: dict[tuple[str, str], float] = {}
    ctx.req(raw, "coefficients", "")
    for prior, row in _mapping(ctx, raw, "coefficients").items():
        for current, value in _mapping(ctx, {prior: row}, prior, "coefficients.").items():
            try:
                check_value("coefficient", value, f"coefficients.{prior}.{current}")
            except ParameterError as exc:
                raise ctx.fail(exc.where, exc.reason) from exc
            coefficients[(str(prior), str(current))] = float(value)
    recognises = tuple(ctx.items(ctx.req(raw, "recognises", ""), "", "recognises"))
    bad = [r for r in recognises if r not in AGREED]
    if bad:
        raise ctx.fail(
            "recognises", refusal(RefusalCode.POLICY_RECOGNISES, **listed("bad", bad), **listed("known", AGREED))
        )
    return Agreement(
        str(ctx.req(raw, "id", "")),
        str(ctx.req(raw, "agglomeration", "")),
        str(ctx.req(raw, "title", "")),
        _as_date(ctx, ctx.req(raw, "since", ""), "since"),
        str(ctx.req(raw, "source", "")),
        bool(raw.get("verified", False)),
        recognises,
        coefficients,
        str(ctx.req(raw, "coefficient_source", "")),
        path,
    )


def not_a_code(value: str) -> Refusal:
    """Why a file name or a `jurisdiction:` is not a region code: the code to write where it is a region's name
    (上海市 or 上海 → 310100; a prefecture before a province of the same name)."""
    from changzhu.data.regions import region_table

    regions = region_table().filter(pl.col("level").is_in(["prefecture", "province"])).sort("level")
    names = (value, f"{value}市", f"{value}省")
    for code, zh, en in regions.select("code", "name_zh", "name_en").iter_rows():
        if zh in names or str(en).lower() == value.lower():
            return refusal(
                RefusalCode.POLICY_NOT_A_CODE_NEAR, value=repr(value), name=zh, code=code, field="jurisdiction"
            )
    return refusal(RefusalCode.POLICY_NOT_A_CODE, value=repr(value), field="jurisdiction")


def _mapping(ctx: Ctx, raw: dict[str, Any], key: str, prefix: str = "") -> dict[Any, Any]:
    """The mapping under `key` (absent or empty: none)."""
    found = raw.get(key) or {}
    if not isinstance(found, dict):
        raise ctx.fail(f"{prefix}{key}", refusal(RefusalCode.POLICY_NOT_A_MAPPING))
    return found
