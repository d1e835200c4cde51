"""The policies: load every jurisdiction and agreement of a directory, resolve national → province → city per region.

The directory in use is CHANGZHU_POLICY_DIR (or `changzhu --policies DIR`), else the one shipped in the package; it
is re-read whenever a policy file changes, so a running service sees a new city without a restart.
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass
from datetime import date
from functools import cache, cached_property
from pathlib import Path

import numpy as np
import polars as pl
import yaml

from changzhu.config import policy_dir
from changzhu.domain.person import PERSON_COLUMNS
from changzhu.domain.refusals import Refusal, RefusalCode, listed, refusal
from changzhu.domain.services import Service
from changzhu.parameters import parameter_tree
from changzhu.parameters.places import yaml_problem
from changzhu.parameters.tree import chain_for as region_chain
from changzhu.rules.conditions import Condition, FlagCondition, PointsCondition, VariableCondition
from changzhu.rules.errors import PolicyError
from changzhu.rules.indicators import Indicator, ParamRef, flat
from changzhu.rules.inputs import (
    DocumentOverride,
    InputSpec,
    core_inputs,
    merge_declared,
    parse_inputs,
    with_documents,
)
from changzhu.rules.model import (
    Agreement,
    DatedValue,
    Jurisdiction,
    Parameter,
    PointsScheme,
    ServiceRule,
    parse_agreement,
    parse_jurisdiction,
)
from changzhu.rules.scenario import Scenario
from changzhu.rules.variables import CITY_SIZE_ORDER, VARIABLES, VariableSpec, variable_table

POLICY_DIR = Path(__file__).parent / "policies"  # the shipped policies, their examples and tests
NATIONAL = "000000"


@dataclass(frozen=True)
class PolicySet:
    """All jurisdiction files and agreements of one policy directory."""

    jurisdictions: dict[str, Jurisdiction]
    agreements: tuple[Agreement, ...]
    key: str  # the directory and the SHA-256 of every file read: what resolved policies are cached under

    def chain_for(self, code: str) -> tuple[str, ...]:
        """Jurisdictions whose rules apply to a prefecture, from the most general: national, province, city."""
        chain = [NATIONAL]
        province = code[:2] + "0000"
        if province in self.jurisdictions and province != NATIONAL:
            chain.append(province)
        if code in self.jurisdictions and code != province:
            chain.append(code)
        return tuple(chain)

    def declared_inputs(self, jurisdiction: str | None = None) -> dict[str, InputSpec]:
        """The declared inputs by name: of every jurisdiction, or of one code's chain (national → province → city)."""
        codes = self.jurisdictions if jurisdiction is None else self.chain_for(jurisdiction)
        return merge_declared([spec for c in codes for spec in self.jurisdictions[c].inputs.values()])

    def core_documents(self, jurisdiction: str) -> dict[str, DocumentOverride]:
        """The documents a code's chain names for core columns (a city's over its province's over the national)."""
        out: dict[str, DocumentOverride] = {}
        for code in self.chain_for(jurisdiction):
            out.update(self.jurisdictions[code].documents)
        return out

    @cached_property
    def variables(self) -> dict[str, VariableSpec]:
        """The core variables and every declared input's variable."""
        return variable_table(self.declared_inputs())

    def parameter_units(self) -> dict[str, str]:
        """Every parameter key a scenario may name, with its unit: the policy files' and the parameter tree's."""
        units = parameter_tree().units()
        units.update((k, p.unit) for j in self.jurisdictions.values() for k, p in j.parameters.items())
        return units

    def parameter_labels(self) -> dict[str, tuple[str, str]]:
        """Every labelled parameter key's (Chinese, English) label, as the reform builder names it: the first label
        given for the key, the policy files' by jurisdiction (national first), then the parameter tree's (a local
        value without names of its own takes those given where the key is defined)."""
        tree = parameter_tree()
        every = [p for _, j in sorted(self.jurisdictions.items()) for p in j.parameters.values()]
        every += [p for _, params in sorted(tree.by_jurisdiction.items()) for p in params.values()]
        labels: dict[str, tuple[str, str]] = {}
        for param in every:
            if param.label_zh:
                labels.setdefault(param.key, (param.label_zh, param.label_en))
        return labels

    def check_scenario(self, scenario: Scenario) -> None:
        """`scenario`'s overrides name known parameters with values of their kind (ScenarioError otherwise, naming
        a parameter by its label and a unit in words)."""
        scenario.check(self.parameter_units(), self.parameter_labels())


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
            chain = "→".join(self.chain)
            why = refusal(RefusalCode.POLICY_NOT_DEFINED, name=repr(key), chain=chain, **_WHAT["parameter"])
            raise PolicyError(why)
        dated = param.at(on)
        if dated is None:
            why = refusal(
                RefusalCode.POLICY_PARAMETER_NOT_IN_FORCE, name=repr(key), on=str(on), jurisdiction=param.jurisdiction
            )
            raise PolicyError(why)
        return param, dated


def policy_files(directory: Path) -> list[Path]:
    """Every jurisdictions/*.yaml and agreements/*.yaml file of a policy directory, in load order."""
    return sorted((directory / "jurisdictions").glob("*.yaml")) + sorted((directory / "agreements").glob("*.yaml"))


def load_policy_dir(directory: Path) -> PolicySet:
    """Parse every jurisdictions/*.yaml and agreements/*.yaml file; check every reference resolves. An error names
    the file, the key path and its line (docs/policies.md, "Error messages")."""
    if not directory.is_dir():
        raise PolicyError(refusal(RefusalCode.POLICY_NO_DIRECTORY), str(directory))
    digest = hashlib.sha256()
    texts: dict[Path, str] = {}
    for path in policy_files(directory):
        data = path.read_bytes()
        digest.update(f"{path.relative_to(directory)}\0{len(data)}\0".encode())
        digest.update(data)
        try:
            texts[path] = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise PolicyError(refusal(RefusalCode.POLICY_NOT_UTF8, detail=str(exc)), path.name) from exc
    try:
        return _load(directory, texts, digest.hexdigest())
    except PolicyError as exc:
        text = next((t for p, t in texts.items() if p.name == exc.file), None)
        located = exc if text is None else exc.on_line(text)
        if located is exc:
            raise
        raise located from exc


def _load(directory: Path, texts: dict[Path, str], digest: str) -> PolicySet:
    """The policies of a directory's texts (load_policy_dir: the files read, their digest)."""
    files = [(path, _read_yaml(path, text)) for path, text in texts.items() if path.parent.name == "jurisdictions"]
    reserved = set(VARIABLES) | {c.name for c in PERSON_COLUMNS}
    declared: dict[Path, dict[str, InputSpec]] = {}
    documents: dict[Path, dict[str, DocumentOverride]] = {}
    for path, raw in files:
        entry = raw if isinstance(raw, dict) else {}
        declared[path], documents[path] = parse_inputs(
            path.name, entry.get("inputs"), str(entry.get("jurisdiction", path.stem)), reserved
        )
    variables = variable_table(merge_declared([s for found in declared.values() for s in found.values()]))
    jurisdictions: dict[str, Jurisdiction] = {}
    for path, raw in files:
        j = parse_jurisdiction(path, raw, variables, declared[path], documents[path])
        jurisdictions[j.code] = j
    agreement_list = [
        parse_agreement(path, _read_yaml(path, text))
        for path, text in texts.items()
        if path.parent.name != "jurisdictions"
    ]
    if NATIONAL not in jurisdictions:
        raise PolicyError(
            refusal(RefusalCode.POLICY_NO_NATIONAL, path=f"jurisdictions/{NATIONAL}.yaml"), str(directory)
        )
    policies = PolicySet(jurisdictions, tuple(agreement_list), f"{directory.resolve()}:{digest}")
    for code in jurisdictions:
        chain = policies.chain_for(code) if code != NATIONAL else (NATIONAL,)
        check_references(resolve(policies, chain, None), policies.declared_inputs(code))
    for a in policies.agreements:
        _check_agreement(a)
    return policies


def _check_agreement(a: Agreement) -> None:
    """An agreement names a known agglomeration and known city size classes."""
    known = sorted({g for groups in region_lookup().agglomerations for g in groups})
    if a.agglomeration not in known:
        why = refusal(RefusalCode.POLICY_UNKNOWN_AGGLOMERATION, value=repr(a.agglomeration), **listed("known", known))
        raise PolicyError(why, a.path.name, "agglomeration")
    bad = sorted({c for pair in a.coefficients for c in pair if c not in CITY_SIZE_ORDER})
    if bad:
        why = refusal(RefusalCode.POLICY_UNKNOWN_SIZE_CLASSES, **listed("bad", bad), **listed("known", CITY_SIZE_ORDER))
        raise PolicyError(why, a.path.name, "coefficients", near=bad[0])


# libyaml's parser when PyYAML was built with it: the same documents, read about ten times faster (the policy files
# are read at every start of a command that decides)
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _read_yaml(path: Path, text: str) -> object:
    try:
        return yaml.load(text, Loader=SAFE_LOADER)  # a safe loader (C or Python)
    except yaml.YAMLError as exc:
        reason, line = yaml_problem(exc)
        raise PolicyError(reason, path.name, line=line) from exc


@cache
def shipped_policies() -> PolicySet:
    """The policies shipped with the package (src/changzhu/rules/policies)."""
    return load_policy_dir(POLICY_DIR)


_in_use: dict[Path, tuple[tuple[tuple[str, int, int], ...], PolicySet]] = {}
_in_use_lock = threading.Lock()


def _signature(directory: Path) -> tuple[tuple[str, int, int], ...]:
    """Name, modification time and size of every policy file: a cheap test of whether anything changed."""
    out = []
    for path in policy_files(directory):
        st = path.stat()
        out.append((str(path), st.st_mtime_ns, st.st_size))
    return tuple(out)


def policies_in_use() -> PolicySet:
    """The policies of CHANGZHU_POLICY_DIR (else the shipped ones), loaded again when any policy file changed."""
    directory = policy_dir().resolve()
    with _in_use_lock:
        signature = _signature(directory) if directory.is_dir() else ()
        cached = _in_use.get(directory)
        if cached is not None and cached[0] == signature:
            return cached[1]
        policies = load_policy_dir(directory)
        if cached is not None and cached[1].key != policies.key:  # the old version's resolved rules are not needed
            for key in [k for k in list(_resolved_cache) if k[0] == cached[1].key]:
                _resolved_cache.pop(key, None)
        _in_use[directory] = (signature, policies)
        return policies


_resolved_cache: dict[tuple[str, tuple[str, ...], Scenario | None, tuple[str, ...]], ResolvedPolicy] = {}


def scenario_scope(policies: PolicySet, code: str, scenario: Scenario | None) -> tuple[str, ...]:
    """The jurisdictions of a region (province, prefecture) that the scenario's overrides name but that have no
    policy file, so are not in its chain: an override for a city without its own rules still applies to it."""
    if scenario is None:
        return ()
    named = {ov.jurisdiction for ov in scenario.overrides if ov.jurisdiction is not None}
    chain = policies.chain_for(code)
    return tuple(c for c in region_chain(code) if c in named and c not in chain)


def resolve_region(policies: PolicySet, code: str, scenario: Scenario | None) -> ResolvedPolicy:
    """The rules in force in a prefecture: its chain of policy files, with the scenario's overrides for any
    jurisdiction of the region (whether or not it has a policy file)."""
    return resolve(policies, policies.chain_for(code), scenario, scenario_scope(policies, code, scenario))


def resolve(
    policies: PolicySet, chain: tuple[str, ...], scenario: Scenario | None, scope: tuple[str, ...] = ()
) -> ResolvedPolicy:
    """Merge the chain: a later jurisdiction replaces a parameter, a service rule or a scheme by name.

    scope: jurisdictions without a policy file whose scenario overrides also apply (see scenario_scope)."""
    key = (policies.key, chain, scenario, scope)
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
        params = scenario.apply(chain + scope, params)
    resolved = ResolvedPolicy(chain, params, services, schemes)
    _resolved_cache[key] = resolved
    return resolved


def scheme_conditions(scheme: PointsScheme) -> list[Condition]:
    """Every condition of a scheme: its prerequisites and its indicators' only_if / within."""
    out = scheme.prerequisites.walk() if scheme.prerequisites is not None else []
    for ind in flat(scheme.indicators):
        if ind.only_if is not None:
            out.extend(ind.only_if.walk())
    return out


Place = tuple[str, str]
"""Where a rule was written: its jurisdiction's code (the file) and its key path there."""


def check_references(policy: ResolvedPolicy, declared: dict[str, InputSpec]) -> None:
    """Every parameter, scheme, service and declared input a rule names must exist in the chain; an error names the
    file and the rule where the name is written."""
    for rule in policy.services.values():
        for node in rule.rule.walk():
            _check_condition(policy, node, declared, (rule.jurisdiction, f"services.{rule.service.value}.rule"))
    for scheme in policy.schemes.values():
        where = f"points_schemes.{scheme.name}"
        if scheme.line_param not in policy.parameters:
            place = (scheme.jurisdiction, f"{where}.admission_line")
            raise _undefined(policy, "admission line", scheme.line_param, place)
        for node in scheme_conditions(scheme):
            _check_condition(policy, node, declared, (scheme.jurisdiction, where))
        for ind in flat(scheme.indicators):
            _check_indicator(policy, ind, declared, (scheme.jurisdiction, where))


def _broken(why: Refusal, place: Place, near: str) -> PolicyError:
    """A reference that does not resolve, at its place (the line: where `near` is written there)."""
    code, where = place
    return PolicyError(why, f"{code}.yaml", where, near=near)


# what a rule names that is not defined, in each language
_WHAT = {
    "parameter": {"what_zh": "参数", "what_en": "parameter"},
    "admission line": {"what_zh": "分数线参数", "what_en": "admission line"},
    "flag parameter": {"what_zh": "开关参数", "what_en": "flag parameter"},
    "points scheme": {"what_zh": "积分办法", "what_en": "points scheme"},
}


def _undefined(policy: ResolvedPolicy, what: str, name: str, place: Place) -> PolicyError:
    chain = "→".join(policy.chain)
    why = refusal(RefusalCode.POLICY_NOT_DEFINED, name=repr(name), chain=chain, **_WHAT[what])
    return _broken(why, place, name)


def _undeclared(policy: ResolvedPolicy, name: str, place: Place) -> PolicyError:
    chain = "→".join(policy.chain)
    return _broken(refusal(RefusalCode.POLICY_INPUT_NOT_DECLARED, name=repr(name), chain=chain), place, name)


def _check_condition(policy: ResolvedPolicy, node: Condition, declared: dict[str, InputSpec], place: Place) -> None:
    for name in node.reads():
        if name not in VARIABLES and name not in declared:
            raise _undeclared(policy, name, place)
    if isinstance(node, VariableCondition) and node.param is not None:
        param = policy.parameters.get(node.param)
        if param is None:
            raise _undefined(policy, "parameter", node.param, place)
        if node.unit is not None and param.unit in ("years", "months") and param.unit != node.unit:
            why = refusal(
                RefusalCode.POLICY_PARAMETER_UNIT,
                unit=node.unit,
                form=f"{{param: {node.param}}}",
                param_unit=param.unit,
            )
            raise _broken(why, place, node.param)
    if isinstance(node, FlagCondition) and node.flag not in policy.parameters:
        raise _undefined(policy, "flag parameter", node.flag, place)
    if isinstance(node, PointsCondition) and node.scheme not in policy.schemes:
        raise _undefined(policy, "points scheme", node.scheme, place)


def _check_indicator(policy: ResolvedPolicy, ind: Indicator, declared: dict[str, InputSpec], place: Place) -> None:
    for name in ind.reads():
        if name not in VARIABLES and name not in declared:
            raise _undeclared(policy, name, place)
    for ref in _param_refs(ind.__dict__):
        if ref.key not in policy.parameters:
            raise _undefined(policy, "parameter", ref.key, place)
    try:  # every number in force today resolves (a parameter holding a non-number fails here, not mid-run)
        ind.unknown_range(policy, date.today())
    except PolicyError:
        pass  # a parameter not yet in force today: checked when evaluated
    except (TypeError, ValueError) as exc:
        raise _broken(refusal(RefusalCode.POLICY_VALUE_UNUSABLE, detail=str(exc)), place, ind.name) from exc


def _param_refs(value: object) -> list[ParamRef]:
    if isinstance(value, ParamRef):
        return [value]
    if isinstance(value, dict):
        return [r for v in value.values() for r in _param_refs(v)]
    if isinstance(value, tuple | list):
        return [r for v in value for r in _param_refs(v)]
    return []


@dataclass(frozen=True)
class RegionLookup:
    """Prefecture codes as dense indices, with size class, province and agglomeration membership."""

    codes: tuple[str, ...]  # in code order: a code's index is its place here
    size_class: np.ndarray  # int8 index into CITY_SIZE_ORDER, -1 unknown
    agglomerations: tuple[frozenset[str], ...]
    province: np.ndarray  # int32 province number (first two digits)


@cache
def region_lookup() -> RegionLookup:
    """Built once from changzhu.data.regions.region_table()."""
    from changzhu.data.regions import region_table

    pref = region_table().filter(pl.col("level") == "prefecture").sort("code")
    codes = tuple(pref["code"].to_list())
    size = np.array(
        [CITY_SIZE_ORDER.index(s) if s in CITY_SIZE_ORDER else -1 for s in pref["city_size_class"].to_list()],
        dtype=np.int8,
    )
    aggs = tuple(frozenset(a.split(",")) if a else frozenset() for a in pref["agglomerations"].to_list())
    province = np.array([int(c[:2]) for c in codes], dtype=np.int32)
    return RegionLookup(codes, size, aggs, province)


def person_inputs(jurisdiction: str | None = None, *, policies: PolicySet | None = None) -> list[InputSpec]:
    """Every input of the person table: the core columns, then the declared inputs (sorted by name).

    jurisdiction: a prefecture (or province) code; only the inputs declared in its chain (national → province
    → city) are listed, and a core column's document is the chain's own where it names one (`document:` under
    `inputs:`, PolicySet.core_documents). None: every input declared by any jurisdiction, core columns without a
    city's document. policies: default the policies in use (CHANGZHU_POLICY_DIR, else the shipped ones).
    """
    policies = policies or policies_in_use()
    declared = policies.declared_inputs(jurisdiction)
    core = (
        core_inputs() if jurisdiction is None else with_documents(core_inputs(), policies.core_documents(jurisdiction))
    )
    return [*core, *(declared[k] for k in sorted(declared))]
