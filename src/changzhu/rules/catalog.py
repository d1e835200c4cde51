"""The shipped policies: load every jurisdiction and agreement, resolve national → province → city per region."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

import numpy as np
import polars as pl
import yaml

from changzhu.domain.services import Service
from changzhu.rules.errors import PolicyError
from changzhu.rules.model import (
    Agreement,
    DatedValue,
    Group,
    Jurisdiction,
    Leaf,
    Node,
    Parameter,
    PointsScheme,
    ServiceRule,
    parse_agreement,
    parse_jurisdiction,
)
from changzhu.rules.scenario import Scenario
from changzhu.rules.variables import CITY_SIZE_ORDER

POLICY_DIR = Path(__file__).parent / "policies"
NATIONAL = "000000"


@dataclass(frozen=True)
class PolicySet:
    """All jurisdiction files and agreements of one policy directory."""

    jurisdictions: dict[str, Jurisdiction]
    agreements: tuple[Agreement, ...]

    def chain_for(self, code: str) -> tuple[str, ...]:
        """Jurisdictions whose rules apply to a prefecture, from the most general: national, province, city."""
        chain = [NATIONAL]
        province = code[:2] + "0000"
        if province in self.jurisdictions and province != NATIONAL:
            chain.append(province)
        if code in self.jurisdictions and code != province:
            chain.append(code)
        return tuple(chain)

    def parameter_units(self) -> dict[str, str]:
        """Every parameter key defined anywhere, with its unit."""
        return {k: p.unit for j in self.jurisdictions.values() for k, p in j.parameters.items()}


@dataclass(frozen=True)
class ResolvedPolicy:
    """The rules in force for one chain of jurisdictions (and one scenario)."""

    chain: tuple[str, ...]
    parameters: dict[str, Parameter]
    services: dict[Service, ServiceRule]
    schemes: dict[str, PointsScheme]

    def value(self, key: str, on: date) -> tuple[Parameter, DatedValue]:
        """The parameter and its DatedValue in force on `on`; PolicyError if none."""
        param = self.parameters.get(key)
        if param is None:
            raise PolicyError(f"parameter {key!r} is not defined for jurisdictions {'→'.join(self.chain)}")
        dated = param.at(on)
        if dated is None:
            raise PolicyError(f"parameter {key!r} has no value in force on {on} ({param.jurisdiction})")
        return param, dated


def load_policy_dir(directory: Path) -> PolicySet:
    """Parse every jurisdictions/*.yaml and agreements/*.yaml file; check every reference resolves."""
    jurisdictions: dict[str, Jurisdiction] = {}
    for path in sorted((directory / "jurisdictions").glob("*.yaml")):
        j = parse_jurisdiction(path, _read_yaml(path))
        jurisdictions[j.code] = j
    if NATIONAL not in jurisdictions:
        raise PolicyError(f"{directory}: no national baseline jurisdictions/{NATIONAL}.yaml")
    agreements = tuple(parse_agreement(p, _read_yaml(p)) for p in sorted((directory / "agreements").glob("*.yaml")))
    policies = PolicySet(jurisdictions, agreements)
    for code in jurisdictions:
        if code != NATIONAL:
            check_references(resolve(policies, policies.chain_for(code), None))
    check_references(resolve(policies, (NATIONAL,), None))
    for a in agreements:
        bad = [c for pair in a.coefficients for c in pair if c not in CITY_SIZE_ORDER]
        if bad:
            raise PolicyError(f"{a.path.name}: coefficients: unknown city size classes {sorted(set(bad))}")
    return policies


def _read_yaml(path: Path) -> object:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise PolicyError(f"{path.name} is not valid YAML: {exc}") from exc


@cache
def shipped_policies() -> PolicySet:
    """The policies shipped with the package (src/changzhu/rules/policies)."""
    return load_policy_dir(POLICY_DIR)


_resolved_cache: dict[tuple[int, tuple[str, ...], Scenario | None], ResolvedPolicy] = {}


def resolve(policies: PolicySet, chain: tuple[str, ...], scenario: Scenario | None) -> ResolvedPolicy:
    """Merge the chain: a later jurisdiction replaces a parameter, a service rule or a scheme by name."""
    key = (id(policies), chain, scenario)
    cached = _resolved_cache.get(key)
    if cached is not None:
        return cached
    params: dict[str, Parameter] = {}
    services: dict[Service, ServiceRule] = {}
    schemes: dict[str, PointsScheme] = {}
    for code in chain:
        j = policies.jurisdictions[code]
        params.update(j.parameters)
        services.update(j.services)
        schemes.update(j.schemes)
    if scenario is not None:
        params = scenario.apply(chain, params)
    resolved = ResolvedPolicy(chain, params, services, schemes)
    _resolved_cache[key] = resolved
    return resolved


def _leaves(node: Node) -> list[Leaf]:
    if isinstance(node, Group):
        return [leaf for child in node.children for leaf in _leaves(child)]
    return [node]


def scheme_leaves(scheme: PointsScheme) -> list[Leaf]:
    """The conditions in a scheme's prerequisites."""
    return _leaves(scheme.prerequisites) if scheme.prerequisites is not None else []


def rule_leaves(node: Node) -> list[Leaf]:
    """Every leaf condition of a rule tree."""
    return _leaves(node)


def check_references(policy: ResolvedPolicy) -> None:
    """Every parameter, scheme and service a rule names must exist in the chain."""
    where = "→".join(policy.chain)
    for rule in policy.services.values():
        for leaf in _leaves(rule.rule):
            _check_leaf(policy, leaf, f"{where}: service {rule.service.value}")
    for scheme in policy.schemes.values():
        if scheme.line_param not in policy.parameters:
            raise PolicyError(f"{where}: scheme {scheme.name}: admission line {scheme.line_param!r} not defined")
        for leaf in scheme_leaves(scheme):
            _check_leaf(policy, leaf, f"{where}: scheme {scheme.name}")


def _check_leaf(policy: ResolvedPolicy, leaf: Leaf, where: str) -> None:
    if leaf.param is not None and leaf.param not in policy.parameters:
        raise PolicyError(f"{where}: parameter {leaf.param!r} is not defined")
    if leaf.kind == "flag" and leaf.name not in policy.parameters:
        raise PolicyError(f"{where}: flag parameter {leaf.name!r} is not defined")
    if leaf.kind == "points" and leaf.name not in policy.schemes:
        raise PolicyError(f"{where}: points scheme {leaf.name!r} is not defined")


@dataclass(frozen=True)
class RegionLookup:
    """Prefecture codes as dense indices, with size class, province and agglomeration membership."""

    codes: tuple[str, ...]
    lut: np.ndarray  # int32 of length 900000: code -> index, -1 unknown
    size_class: np.ndarray  # int8 index into CITY_SIZE_ORDER, -1 unknown
    agglomerations: tuple[frozenset[str], ...]
    province: np.ndarray  # int32 province number (first two digits)


@cache
def region_lookup() -> RegionLookup:
    """Built once from changzhu.data.regions.region_table()."""
    from changzhu.data.regions import region_table

    pref = region_table().filter(pl.col("level") == "prefecture").sort("code")
    codes = tuple(pref["code"].to_list())
    lut = np.full(900_000, -1, dtype=np.int32)
    lut[np.array([int(c) for c in codes])] = np.arange(len(codes), dtype=np.int32)
    size = np.array(
        [CITY_SIZE_ORDER.index(s) if s in CITY_SIZE_ORDER else -1 for s in pref["city_size_class"].to_list()],
        dtype=np.int8,
    )
    aggs = tuple(frozenset(a.split(",")) if a else frozenset() for a in pref["agglomerations"].to_list())
    province = np.array([int(c[:2]) for c in codes], dtype=np.int32)
    return RegionLookup(codes, lut, size, aggs, province)
