"""Fiscal parameters (财政参数): schemes whose numbers are dated parameters of the tree (`fiscal.*`), checked.

The schemes (id, date, title, policy source) are listed in data/files/fiscal_parameters.yaml; every number is
read from changzhu.parameters, so a scenario changes a fiscal weight like any rule parameter. Every error names
the parameter.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from changzhu.domain.lang import Lang
from changzhu.domain.refusals import RefusalCode, refusal
from changzhu.fiscal.errors import FiscalParameterError
from changzhu.fiscal.parameter_places import CHANGED, FROM_TREE, TREE_PREFIX, At, label, labelled, origin
from changzhu.parameters import ParameterError, Scenario, cited, parameter_tree, parse_source
from changzhu.parameters.places import line_of, yaml_problem

PARAMETERS_FILE = Path(__file__).resolve().parent.parent / "data" / "files" / "fiscal_parameters.yaml"
PARTIES = ("central", "province", "inflow_city", "outflow_city", "employer", "individual")
POTS = ("population", "migrants", "incentive")
DEFAULT_SERVICE = "default"
SHARE_TOLERANCE = 1e-9


@dataclass(frozen=True)
class CapacityParameters:
    """Fiscal-capacity factor a = clip((capacity index)^(-elasticity), min_factor, max_factor)."""

    elasticity: float
    min_factor: float
    max_factor: float


@dataclass(frozen=True)
class TransferParameters:
    """The transfer formula: pot weights, 常住人口折算比例, capacity factor, incentive and settlement assumptions."""

    resident_conversion_ratio: float
    weights: Mapping[str, float]
    capacity: CapacityParameters
    served_weight: float
    settled_share: float
    served_share: float


@dataclass(frozen=True)
class AllocationParameters:
    """Budget LP: floor per resident, the max/min per-resident ratio and weights of unmet need by service."""

    floor_yuan_per_resident: float
    max_min_per_capita_ratio: float
    service_weights: Mapping[str, float]

    def weight_of(self, service: str) -> float:
        """The weight of a yuan of unmet need in `service` (the default weight if not listed)."""
        return float(self.service_weights.get(service, self.service_weights[DEFAULT_SERVICE]))


@dataclass(frozen=True)
class FiscalParameters:
    """One dated scheme of fiscal parameters."""

    scheme_id: str
    effective_from: date
    title_zh: str
    title_en: str
    source: str
    fund_yuan: int
    fund_source: str
    transfer: TransferParameters
    land_m2_per_settled_migrant: float
    compensation_yuan_per_migrant: float
    cost_shares: Mapping[str, Mapping[str, float]]
    allocation: AllocationParameters
    source_en: str = ""  # the source's English where it is given in two languages (changzhu.parameters.cited)
    fund_source_en: str = ""

    def title(self, lang: str) -> str:
        """The scheme's name in Chinese ('zh') or English."""
        return self.title_zh if lang == "zh" else self.title_en

    def cited(self, lang: Lang | str) -> str:
        """The scheme's source as a reader of `lang` sees it."""
        return cited(self.source, self.source_en, lang)

    def fund_cited(self, lang: Lang | str) -> str:
        """The fund's source (the tree's `fiscal.fund_yuan`) as a reader of `lang` sees it."""
        return cited(self.fund_source, self.fund_source_en, lang)

    def shares_of(self, service: str) -> Mapping[str, float]:
        """Cost shares by party for `service` (the default row if the service has none)."""
        return self.cost_shares.get(service, self.cost_shares[DEFAULT_SERVICE])

    def with_fund(self, fund_yuan: int) -> FiscalParameters:
        """The same scheme with another fund (checked)."""
        return replace(self, fund_yuan=_fund(fund_yuan, _changed(self.scheme_id, "fund_yuan")))

    def with_conversion_ratio(self, ratio: float) -> FiscalParameters:
        """The same scheme counting N = (1 - ratio)·registered + ratio·resident (checked)."""
        at = _changed(self.scheme_id, "transfer.resident_conversion_ratio")
        return replace(self, transfer=replace(self.transfer, resident_conversion_ratio=_unit(ratio, at)))


def _changed(scheme_id: str, path: str) -> At:
    """The place of a value given by a caller for the scheme (no file to name)."""
    return At(f"{scheme_id}.{path}", path=path, origins={path: CHANGED})


def _get(raw: Mapping[str, Any], key: str, at: At) -> Any:
    """`raw[key]`; a missing key or a value that is not a mapping is an error of the schemes file's structure, named
    by its key path there."""
    if not isinstance(raw, Mapping):
        raise FiscalParameterError(refusal(RefusalCode.FISCAL_NOT_A_MAPPING, where=at.where))
    if key not in raw:
        raise FiscalParameterError(refusal(RefusalCode.FISCAL_MISSING, where=at.where, key=key))
    return raw[key]


def _refused(code: RefusalCode, at: At, paths: tuple[str, ...] = (), /, **params: str) -> FiscalParameterError:
    """A bad value of the parameter at `at`, named by its label, placed where the value (or those at `paths`) was
    given: never by its key path (fiscal.parameter_places)."""
    file, line = origin(at, paths or (at.path,))
    return FiscalParameterError(refusal(code, **params), file=file, line=line)


def _number(value: Any, at: At) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise _refused(RefusalCode.FISCAL_NOT_A_NUMBER, at, value=repr(value), **labelled(at.path))
    return float(value)


def _non_negative(value: Any, at: At) -> float:
    number = _number(value, at)
    if number < 0:
        raise _refused(RefusalCode.FISCAL_NEGATIVE, at, value=repr(value), **labelled(at.path))
    return number


def _unit(value: Any, at: At) -> float:
    number = _number(value, at)
    if not 0.0 <= number <= 1.0:
        raise _refused(RefusalCode.FISCAL_NOT_A_SHARE, at, value=repr(value), **labelled(at.path))
    return number


def _fund(value: Any, at: At) -> int:
    number = _number(value, at)
    if number < 0:
        raise _refused(RefusalCode.FISCAL_FUND_NEGATIVE, at, value=repr(value), **labelled(at.path))
    if number != int(number):
        raise _refused(RefusalCode.FISCAL_FUND_NOT_WHOLE, at, value=repr(value), **labelled(at.path))
    return int(number)


def check_shares(shares: Mapping[str, Any], keys: tuple[str, ...], at: At) -> dict[str, float]:
    """Shares over exactly `keys`, each in [0, 1], summing to one; raises naming the shares by their labels
    otherwise."""
    if not isinstance(shares, Mapping):
        raise FiscalParameterError(refusal(RefusalCode.FISCAL_SHARES_FORM, where=at.where, keys=", ".join(keys)))
    unknown = sorted(set(shares) - set(keys))
    if unknown:
        named = ", ".join(map(str, unknown))
        raise FiscalParameterError(refusal(RefusalCode.FISCAL_SHARES_UNKNOWN, where=at.where, unknown=named))
    out = {key: _unit(_get(shares, key, at), at.child(key)) for key in keys}
    total = math.fsum(out.values())
    if abs(total - 1.0) > SHARE_TOLERANCE:
        paths = tuple(at.child(key).path for key in keys)
        names = [label(p) for p in paths]
        listed = {
            "shares_zh": "、".join(f"“{zh}” {out[k]:g}" for k, (zh, _) in zip(keys, names, strict=True)),
            "shares_en": ", ".join(f'"{en}" {out[k]:g}' for k, (_, en) in zip(keys, names, strict=True)),
        }
        raise _refused(RefusalCode.FISCAL_SHARES_SUM, at, paths, total=f"{total:.6g}", **listed)
    return out


def _transfer(raw: Mapping[str, Any], at: At) -> TransferParameters:
    capacity = _get(raw, "capacity", at)
    cw = at.child("capacity")
    low, high = cw.child("min_factor"), cw.child("max_factor")
    min_factor = _non_negative(_get(capacity, "min_factor", cw), low)
    max_factor = _non_negative(_get(capacity, "max_factor", cw), high)
    if min_factor <= 0 or max_factor < min_factor:
        (min_zh, min_en), (max_zh, max_en) = label(low.path), label(high.path)
        factors = {"min_factor": f"{min_factor:g}", "max_factor": f"{max_factor:g}"}
        names = {"min_zh": min_zh, "min_en": min_en, "max_zh": max_zh, "max_en": max_en}
        raise _refused(RefusalCode.FISCAL_CAPACITY_FACTORS, cw, (low.path, high.path), **factors, **names)
    settle = _get(raw, "settlement_assumption", at)
    sw = at.child("settlement_assumption")
    incentive = at.child("incentive")
    return TransferParameters(
        resident_conversion_ratio=_unit(
            _get(raw, "resident_conversion_ratio", at), at.child("resident_conversion_ratio")
        ),
        weights=check_shares(_get(raw, "weights", at), POTS, at.child("weights")),
        capacity=CapacityParameters(
            _non_negative(_get(capacity, "elasticity", cw), cw.child("elasticity")), min_factor, max_factor
        ),
        served_weight=_unit(
            _get(_get(raw, "incentive", at), "served_weight", incentive), incentive.child("served_weight")
        ),
        settled_share=_unit(_get(settle, "settled_share", sw), sw.child("settled_share")),
        served_share=_unit(_get(settle, "served_share", sw), sw.child("served_share")),
    )


def _allocation(raw: Mapping[str, Any], at: At) -> AllocationParameters:
    ratio_at = at.child("max_min_per_capita_ratio")
    ratio = _number(_get(raw, "max_min_per_capita_ratio", at), ratio_at)
    if ratio < 1:
        raise _refused(RefusalCode.FISCAL_RATIO_BELOW_ONE, ratio_at, ratio=f"{ratio:g}", **labelled(ratio_at.path))
    weights_raw = _get(raw, "service_weights", at)
    if not isinstance(weights_raw, Mapping) or DEFAULT_SERVICE not in weights_raw:
        raise FiscalParameterError(
            refusal(RefusalCode.FISCAL_SERVICE_WEIGHTS_FORM, where=at.where, default=DEFAULT_SERVICE)
        )
    weights_at = at.child("service_weights")
    weights = {str(k): _non_negative(v, weights_at.child(str(k))) for k, v in weights_raw.items()}
    return AllocationParameters(
        floor_yuan_per_resident=_non_negative(
            _get(raw, "floor_yuan_per_resident", at), at.child("floor_yuan_per_resident")
        ),
        max_min_per_capita_ratio=ratio,
        service_weights=weights,
    )


def _cost_shares(raw: Mapping[str, Any], at: At) -> dict[str, dict[str, float]]:
    if not isinstance(raw, Mapping) or DEFAULT_SERVICE not in raw:
        raise FiscalParameterError(
            refusal(RefusalCode.FISCAL_COST_SHARES_FORM, where=at.where, default=DEFAULT_SERVICE)
        )
    return {str(service): check_shares(shares, PARTIES, at.child(str(service))) for service, shares in raw.items()}


def _source(raw: Mapping[str, Any], key: str, at: At) -> tuple[str, str]:
    """A source of the scheme: a citation, or `{zh: ..., en: ...}` (changzhu.parameters.parse_source)."""
    try:
        return parse_source(_get(raw, key, at), f"{at.where}.{key}")
    except ParameterError as exc:
        raise FiscalParameterError(exc.reason, where=exc.where) from exc


def parse_scheme(raw: Mapping[str, Any], where: str, origins: Mapping[str, str] | None = None) -> FiscalParameters:
    """One scheme from its YAML mapping (`where`: its file and place there, "file.yaml: schemes[0]"; `origins`: how
    each number came, fiscal.parameter_places); raises FiscalParameterError naming the first bad parameter."""
    top = At(where, file=where.partition(":")[0].strip(), origins=origins or {})
    scheme_id = str(_get(raw, "id", top))
    at = replace(top, where=f"{where} ({scheme_id})")
    effective = _get(raw, "effective_from", at)
    try:
        effective_from = effective if isinstance(effective, date) else date.fromisoformat(str(effective))
    except ValueError as exc:
        raise FiscalParameterError(
            refusal(RefusalCode.FISCAL_EFFECTIVE_NOT_DATE, where=at.where, value=repr(effective))
        ) from exc
    land = _get(raw, "land", at)
    compensation = _get(raw, "compensation", at)
    source, source_en = _source(raw, "source", at)
    fund_source, fund_source_en = _source(raw, "fund_source", at)
    return FiscalParameters(
        scheme_id=scheme_id,
        effective_from=effective_from,
        title_zh=str(_get(raw, "title_zh", at)),
        title_en=str(_get(raw, "title_en", at)),
        source=source,
        fund_yuan=_fund(_get(raw, "fund_yuan", at), at.child("fund_yuan")),
        fund_source=fund_source,
        transfer=_transfer(_get(raw, "transfer", at), at.child("transfer")),
        land_m2_per_settled_migrant=_non_negative(
            _get(land, "m2_per_settled_migrant", at.child("land")), at.child("land").child("m2_per_settled_migrant")
        ),
        compensation_yuan_per_migrant=_non_negative(
            _get(compensation, "yuan_per_migrant", at.child("compensation")),
            at.child("compensation").child("yuan_per_migrant"),
        ),
        cost_shares=_cost_shares(_get(raw, "cost_sharing", at), at.child("cost_sharing")),
        allocation=_allocation(_get(raw, "allocation", at), at.child("allocation")),
        source_en=source_en,
        fund_source_en=fund_source_en,
    )


SCENARIO_JURISDICTION = "scenario:"  # a parameter a scenario changed (changzhu.parameters.Scenario.apply)


def _set_path(raw: dict[str, Any], path: list[str], value: Any) -> None:
    for part in path[:-1]:
        raw = raw.setdefault(part, {})
    raw.setdefault(path[-1], value)  # a number given inline in the scheme wins over the tree


def _merge(inline: Mapping[str, Any], tree_values: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in inline.items():
        out[key] = _merge(value, {}) if isinstance(value, Mapping) else value
    for key, value in tree_values.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = {**_merge(value, {}), **out[key]}
        else:
            out.setdefault(key, value)
    return out


def scheme_from_tree(
    entry: Mapping[str, Any], on: date, where: str, scenario: Scenario | None = None
) -> FiscalParameters:
    """A scheme's metadata with every number read from the parameter tree (`fiscal.*`) as in force on `on`."""
    tree_values: dict[str, Any] = {}
    origins: dict[str, str] = {}
    for key, param in parameter_tree().resolve(None, scenario).items():
        if not key.startswith(TREE_PREFIX):
            continue
        dated = param.at(on)
        if dated is None:
            continue
        path = key.removeprefix(TREE_PREFIX)
        if not _inline(entry, path.split(".")):  # a number the scheme gives itself wins over the tree
            origins[path] = CHANGED if param.jurisdiction.startswith(SCENARIO_JURISDICTION) else FROM_TREE
        _set_path(tree_values, path.split("."), dated.value)
        if key == TREE_PREFIX + "fund_yuan":
            fund_source = {"zh": dated.source, "en": dated.source_en} if dated.source_en else dated.source
            tree_values.setdefault("fund_source", fund_source)
    return parse_scheme(_merge(entry, tree_values), where, origins)


def _inline(entry: Mapping[str, Any], path: list[str]) -> bool:
    """Whether the scheme's own entry gives the value at `path`."""
    node: Any = entry
    for part in path:
        if not isinstance(node, Mapping) or part not in node:
            return False
        node = node[part]
    return True


def _entries(path: Path) -> list[Mapping[str, Any]]:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        why = refusal(RefusalCode.PARAMETER_FILE_UNREADABLE, detail=str(exc.strerror or exc))
        raise FiscalParameterError(why, file=str(path)) from exc
    except yaml.YAMLError as exc:
        why, line = yaml_problem(exc)
        raise FiscalParameterError(why, file=path.name, line=line) from exc
    schemes = _get(raw, "schemes", At(path.name, file=path.name)) if isinstance(raw, Mapping) else None
    if not isinstance(schemes, list) or not schemes:
        raise FiscalParameterError(refusal(RefusalCode.FISCAL_SCHEMES_LIST), file=path.name, where="schemes")
    return schemes


def _effective(entry: Mapping[str, Any], where: str) -> date:
    raw = _get(entry, "effective_from", At(where))
    try:
        return raw if isinstance(raw, date) else date.fromisoformat(str(raw))
    except ValueError as exc:
        raise FiscalParameterError(
            refusal(RefusalCode.FISCAL_EFFECTIVE_NOT_DATE, where=where, value=repr(raw))
        ) from exc


def load_schemes(path: Path = PARAMETERS_FILE, scenario: Scenario | None = None) -> list[FiscalParameters]:
    """Every scheme in the file with its numbers as in force on its date, oldest first; errors name the parameter."""
    parsed = [
        scheme_from_tree(s, _effective(s, f"{path.name}: schemes[{i}]"), f"{path.name}: schemes[{i}]", scenario)
        for i, s in enumerate(_entries(path))
    ]
    ids = [s.scheme_id for s in parsed]
    twice = next((i for i, scheme_id in enumerate(ids) if scheme_id in ids[:i]), None)
    if twice is not None:
        why = refusal(RefusalCode.FISCAL_SCHEME_TWICE, scheme_id=ids[twice])
        where = f"schemes[{twice}].id"
        raise FiscalParameterError(why, file=path.name, where=where, line=line_of(path.read_text("utf-8"), where))
    return sorted(parsed, key=lambda s: s.effective_from)


def fiscal_parameters(
    on: date | None = None, path: Path = PARAMETERS_FILE, scenario: Scenario | None = None
) -> FiscalParameters:
    """The scheme in force on `on` (the latest scheme if None), its numbers as in force on that date."""
    schemes = load_schemes(path, scenario)
    if on is None:
        return schemes[-1]
    in_force = [s for s in schemes if s.effective_from <= on]
    if not in_force:
        earliest = str(schemes[0].effective_from)
        raise FiscalParameterError(refusal(RefusalCode.NO_FISCAL_SCHEME_ON, on=on.isoformat(), earliest=earliest))
    entry = next(e for e in _entries(path) if str(e.get("id")) == in_force[-1].scheme_id)
    return scheme_from_tree(entry, on, f"{path.name}: {in_force[-1].scheme_id}", scenario)


def scheme_by_id(scheme_id: str, path: Path = PARAMETERS_FILE, scenario: Scenario | None = None) -> FiscalParameters:
    """The scheme with this id; raises naming the ids that exist."""
    schemes = load_schemes(path, scenario)
    for scheme in schemes:
        if scheme.scheme_id == scheme_id:
            return scheme
    known = ", ".join(s.scheme_id for s in schemes)
    raise FiscalParameterError(refusal(RefusalCode.NO_FISCAL_SCHEME, scheme_id=repr(scheme_id), known=known))
