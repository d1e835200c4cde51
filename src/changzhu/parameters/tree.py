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

from changzhu.domain.lang import Lang, in_sentence
from changzhu.domain.refusals import RefusalCode, listed, refusal
from changzhu.domain.units import unit_word
from changzhu.parameters.errors import ParameterError
from changzhu.parameters.model import DatedValue, Parameter, parse_parameter
from changzhu.parameters.places import yaml_problem
from changzhu.parameters.scenario import Scenario

TREE_DIR = Path(__file__).parent / "files"
NATIONAL = "000000"


def _figure(value: Any, unit: str, lang: Lang) -> str:
    """A parameter's value with its unit's word: 600,000 元, 600,000 yuan, 0.6, 6‰."""
    number = f"{value:,.0f}" if isinstance(value, int | float) and float(value).is_integer() else f"{value:,g}"
    word = unit_word(unit, lang)
    return f"{number}{word}" if word == "‰" else f"{number} {word}".strip()


# what a citation calls a parameter its file gave no name (label) to: words, never its dotted key (every shipped
# parameter has a name, tests/parameters/test_parameters_labels.py; a scenario's or a local file's may not)
UNNAMED = ("未命名的参数", "a parameter without a name")


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
            raise ParameterError(key, refusal(RefusalCode.PARAMETER_UNKNOWN))
        dated = param.at(on)
        if dated is None:
            first = min(v.since for v in param.values).isoformat()
            raise ParameterError(key, refusal(RefusalCode.PARAMETER_NOT_IN_FORCE, on=on.isoformat(), first=first))
        return dated

    def number(self, key: str, on: date, *, region: str | None = None, scenario: Scenario | None = None) -> float:
        """The value of a numeric parameter as a float."""
        return float(self.value(key, on, region=region, scenario=scenario).value)

    def citation(
        self, keys: list[str] | tuple[str, ...], on: date, *, scenario: Scenario | None = None
    ) -> tuple[str, str]:
        """The national values of `keys` in force on `on` as a reader sees them, in Chinese and English: each
        parameter by its label and its value in its unit's words, then its source, once for the parameters next to
        each other citing the same one ("单位成本：注册护士 108,903 元（国家统计局…）"). What an estimate's note
        cites of the figures it used, never the keys' dotted names (planning.unit_cost.*)."""
        params = self.resolve(None, scenario)
        groups: list[tuple[tuple[str, str], list[tuple[str, str]]]] = []
        for key in keys:
            param, dated = params[key], self.value(key, on, scenario=scenario)
            label = (param.label_zh or UNNAMED[0], param.label_en or UNNAMED[1])
            said = (
                f"{label[0]} {_figure(dated.value, param.unit, Lang.ZH)}",
                f"{label[1]} {_figure(dated.value, param.unit, Lang.EN)}",
            )
            source = (dated.cited(Lang.ZH), dated.cited(Lang.EN))
            if groups and groups[-1][0] == source:
                groups[-1][1].append(said)
            else:
                groups.append((source, [said]))
        zh = "；".join("、".join(s[0] for s in said) + f"（{source[0]}）" for source, said in groups)
        # in English a label after the first reads mid-sentence ("…, unit cost: nurses"), not "…, Unit cost: nurses"
        en = "; ".join(
            ", ".join(s[1] if i == j == 0 else in_sentence(s[1]) for j, s in enumerate(said)) + f" ({source[1]})"
            for i, (source, said) in enumerate(groups)
        )
        return zh, en

    def under(self, prefix: str) -> list[str]:
        """Keys that start with `prefix` (e.g. "planning.standard."), sorted."""
        return sorted(k for k in self.by_jurisdiction[NATIONAL] if k.startswith(prefix))


def _read(path: Path) -> tuple[str, Any]:
    """A parameter file's text and its YAML."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        detail = exc.strerror if isinstance(exc, OSError) else str(exc)
        why = refusal(RefusalCode.PARAMETER_FILE_UNREADABLE, detail=str(detail))
        raise ParameterError("", why, file=path.name) from exc
    try:
        return text, yaml.safe_load(text)
    except yaml.YAMLError as exc:
        reason, line = yaml_problem(exc)
        raise ParameterError("", reason, file=path.name, line=line) from exc


def parse_file(path: Path, raw: Any) -> dict[str, dict[str, Parameter]]:
    """One part's file: national parameters (keys prefixed with the file's stem) and local values."""
    part, file = path.stem, path.name
    if not isinstance(raw, dict) or not isinstance(raw.get("parameters"), dict):
        raise ParameterError("", refusal(RefusalCode.PARAMETER_FILE_NEEDS, form="parameters"), file=file)
    unknown = sorted(set(raw) - {"parameters", "local"})
    if unknown:
        why = refusal(
            RefusalCode.POLICY_UNKNOWN_FIELDS,
            **listed("unknown", unknown),
            **listed("allowed", ("local", "parameters")),
        )
        raise ParameterError("", why, file=file)
    national: dict[str, Parameter] = {}
    for key, body in raw["parameters"].items():
        if not str(key).startswith(part + "."):
            raise ParameterError(str(key), refusal(RefusalCode.PARAMETER_KEY_PREFIX, file=file, prefix=f"{part}."))
        national[str(key)] = _parameter(file, str(key), body, NATIONAL, str(key))
    out = {NATIONAL: national}
    for code, entries in (raw.get("local") or {}).items():
        code = str(code)
        if len(code) != 6 or not code.isdigit():
            raise ParameterError(f"local.{code}", refusal(RefusalCode.PARAMETER_LOCAL_CODE), file=file)
        if not isinstance(entries, dict):
            raise ParameterError(f"local.{code}", refusal(RefusalCode.POLICY_NOT_A_MAPPING), file=file)
        out[code] = {key: _local(file, code, key, body, national.get(key)) for key, body in entries.items()}
    return out


def _parameter(file: str, key: str, body: Any, code: str, where: str) -> Parameter:
    """parse_parameter, its error naming the file."""
    try:
        return parse_parameter(key, body, code, where)
    except ParameterError as exc:
        raise ParameterError(exc.where, exc.reason, file=file) from exc


def _local(file: str, code: str, key: Any, body: Any, national: Parameter | None) -> Parameter:
    """A region's own value of a national parameter: the same unit."""
    where = f"local.{code}.{key}"
    if national is None:
        raise ParameterError(where, refusal(RefusalCode.PARAMETER_NOT_NATIONAL), file=file)
    param = _parameter(file, str(key), body, code, where)
    if param.unit != national.unit:
        why = refusal(RefusalCode.PARAMETER_UNIT_DIFFERS, unit=param.unit, national=national.unit)
        raise ParameterError(where, why, file=file)
    return param


def load_tree(directory: Path = TREE_DIR, extra: Path | None = None) -> ParameterTree:
    """Every `*.yaml` of `directory`, plus an optional file of local values (`local:` only) on top; an error names
    the file, the key path and its line."""
    merged: dict[str, dict[str, Parameter]] = {NATIONAL: {}}
    for path in sorted(directory.glob("*.yaml")):
        text, raw = _read(path)
        try:
            for code, params in parse_file(path, raw).items():
                twice = sorted(set(merged.get(code, {})) & set(params))
                if twice:
                    why = refusal(RefusalCode.PARAMETER_DEFINED_TWICE, keys=str(twice))
                    raise ParameterError("", why, file=path.name)
                merged.setdefault(code, {}).update(params)
        except ParameterError as exc:
            located = exc.on_line(text)
            if located is exc:
                raise
            raise located from exc
    if extra is not None:
        text, raw = _read(extra)
        try:
            _add_local(extra.name, raw, merged)
        except ParameterError as exc:
            located = exc.on_line(text)
            if located is exc:
                raise
            raise located from exc
    return ParameterTree(merged)


def _add_local(file: str, raw: Any, merged: dict[str, dict[str, Parameter]]) -> None:
    """A file of local values (`local:` only) on top of the tree."""
    if not isinstance(raw, dict) or set(raw) != {"local"} or not isinstance(raw["local"], dict):
        raise ParameterError("", refusal(RefusalCode.PARAMETER_LOCAL_FILE), file=file)
    for code, entries in raw["local"].items():
        for key, body in (entries or {}).items():
            param = _local(file, str(code), key, body, merged[NATIONAL].get(str(key)))
            merged.setdefault(str(code), {})[str(key)] = param


_SHIPPED_LOCK = threading.Lock()


@cache
def _shipped_tree() -> ParameterTree:
    return load_tree()


def parameter_tree() -> ParameterTree:
    """The tree shipped with the package (src/changzhu/parameters/files), read once per process (threads that ask
    at the same time wait for the one reading it rather than each reading it)."""
    with _SHIPPED_LOCK:
        return _shipped_tree()
