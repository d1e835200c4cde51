"""The parameter tree: every dated, sourced number outside the policy files, national with local overrides.

One YAML file per part (`files/<part>.yaml`); every key starts with the part's name (`registry.`, `planning.`,
`fiscal.`, `projection.`, `simulation.`). A file holds national parameters and, under `local`, a province's or
a city's own values of the same keys::

    parameters:
      planning.standard.hospital_beds: {unit: per_thousand, description: ..., values: [...]}
    local:
      "310000":
        planning.standard.hospital_beds: {unit: per_thousand, values: [...]}

A region's parameters are resolved like a policy chain (national → province → prefecture → the region), then
a scenario's overrides apply (`changzhu.parameters.scenario`), so a reform changes a bed standard, a fiscal
weight or the residence permit's six months exactly as it changes a rule parameter.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from changzhu.parameters.errors import ParameterError
from changzhu.parameters.model import DatedValue, Parameter, parse_parameter
from changzhu.parameters.scenario import Scenario

TREE_DIR = Path(__file__).parent / "files"
NATIONAL = "000000"


def chain_for(region: str | None) -> tuple[str, ...]:
    """Jurisdictions whose values apply to a region, most general first: national, province, prefecture, itself."""
    if region is None or region == NATIONAL:
        return (NATIONAL,)
    chain = [NATIONAL, region[:2] + "0000", region[:4] + "00", region]
    return tuple(dict.fromkeys(chain))


@dataclass(frozen=True, eq=False)
class ParameterTree:
    """Parameters by jurisdiction code (000000 national) and key."""

    by_jurisdiction: dict[str, dict[str, Parameter]]
    _resolved: dict[tuple[tuple[str, ...], Scenario | None], dict[str, Parameter]] = field(
        default_factory=dict, repr=False
    )

    def units(self) -> dict[str, str]:
        """Every key of the tree with its unit."""
        return {k: p.unit for k, p in self.by_jurisdiction[NATIONAL].items()}

    def resolve(self, region: str | None = None, scenario: Scenario | None = None) -> dict[str, Parameter]:
        """Every parameter in force for `region` (national if None), with the scenario's overrides applied."""
        chain = chain_for(region)
        key = (chain, scenario)
        found = self._resolved.get(key)
        if found is None:
            merged: dict[str, Parameter] = {}
            for code in chain:
                merged.update(self.by_jurisdiction.get(code, {}))
            found = scenario.apply(chain, merged) if scenario is not None else merged
            self._resolved[key] = found
        return found

    def value(self, key: str, on: date, *, region: str | None = None, scenario: Scenario | None = None) -> DatedValue:
        """The value of `key` in force on `on`; ParameterError naming the key if unknown or not yet in force."""
        param = self.resolve(region, scenario).get(key)
        if param is None:
            raise ParameterError(key, "no such parameter in the tree (see docs/parameters.md)")
        dated = param.at(on)
        if dated is None:
            first = min(v.since for v in param.values)
            raise ParameterError(key, f"no value in force on {on.isoformat()} (the first starts {first.isoformat()})")
        return dated

    def number(self, key: str, on: date, *, region: str | None = None, scenario: Scenario | None = None) -> float:
        """The value of a numeric parameter as a float."""
        return float(self.value(key, on, region=region, scenario=scenario).value)

    def under(self, prefix: str) -> list[str]:
        """Keys that start with `prefix` (e.g. "planning.standard."), sorted."""
        return sorted(k for k in self.by_jurisdiction[NATIONAL] if k.startswith(prefix))


def _read(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ParameterError(path.name, f"cannot read ({exc.strerror})") from exc
    except yaml.YAMLError as exc:
        raise ParameterError(path.name, f"not valid YAML ({str(exc).splitlines()[0]})") from exc


def parse_file(path: Path, raw: Any) -> dict[str, dict[str, Parameter]]:
    """One part's file: national parameters (keys prefixed with the file's stem) and local values."""
    part = path.stem
    if not isinstance(raw, dict) or not isinstance(raw.get("parameters"), dict):
        raise ParameterError(path.name, "needs a 'parameters' mapping")
    unknown = sorted(set(raw) - {"parameters", "local"})
    if unknown:
        raise ParameterError(path.name, f"unknown top-level field(s) {unknown}")
    national: dict[str, Parameter] = {}
    for key, body in raw["parameters"].items():
        if not str(key).startswith(part + "."):
            raise ParameterError(f"{path.name}: {key}", f"keys in {path.name} start with '{part}.'")
        national[str(key)] = parse_parameter(str(key), body, NATIONAL, f"{path.name}: {key}")
    out = {NATIONAL: national}
    for code, entries in (raw.get("local") or {}).items():
        code = str(code)
        if len(code) != 6 or not code.isdigit():
            raise ParameterError(f"{path.name}: local.{code}", "is not a six-digit region code")
        if not isinstance(entries, dict):
            raise ParameterError(f"{path.name}: local.{code}", "must be a mapping of parameter to entry")
        out[code] = {}
        for key, body in entries.items():
            where = f"{path.name}: local.{code}.{key}"
            if key not in national:
                raise ParameterError(where, "overrides a parameter the national part does not define")
            param = parse_parameter(str(key), body, code, where)
            if param.unit != national[key].unit:
                raise ParameterError(where, f"unit {param.unit} differs from the national {national[key].unit}")
            out[code][str(key)] = param
    return out


def load_tree(directory: Path = TREE_DIR, extra: Path | None = None) -> ParameterTree:
    """Every `*.yaml` of `directory`, plus an optional file of local values (`local:` only) on top."""
    merged: dict[str, dict[str, Parameter]] = {NATIONAL: {}}
    for path in sorted(directory.glob("*.yaml")):
        for code, params in parse_file(path, _read(path)).items():
            twice = sorted(set(merged.get(code, {})) & set(params))
            if twice:
                raise ParameterError(path.name, f"{twice} already defined by another file")
            merged.setdefault(code, {}).update(params)
    if extra is not None:
        raw = _read(extra)
        if not isinstance(raw, dict) or set(raw) != {"local"} or not isinstance(raw["local"], dict):
            raise ParameterError(extra.name, "a local parameter file holds only a 'local' mapping of region codes")
        for code, entries in raw["local"].items():
            code = str(code)
            for key, body in (entries or {}).items():
                where = f"{extra.name}: local.{code}.{key}"
                national = merged[NATIONAL].get(str(key))
                if national is None:
                    raise ParameterError(where, "unknown parameter")
                param = parse_parameter(str(key), body, code, where)
                if param.unit != national.unit:
                    raise ParameterError(where, f"unit {param.unit} differs from the national {national.unit}")
                merged.setdefault(code, {})[str(key)] = param
    return ParameterTree(merged)


_SHIPPED_LOCK = threading.Lock()


@cache
def _shipped_tree() -> ParameterTree:
    return load_tree()


def parameter_tree() -> ParameterTree:
    """The tree shipped with the package (src/changzhu/parameters/files), read once per process (threads that ask
    at the same time wait for the one reading it rather than each reading it)."""
    with _SHIPPED_LOCK:
        return _shipped_tree()
