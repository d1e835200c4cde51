"""Reform scenarios: overrides of any parameter of the tree or of the policies, without editing a file."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from changzhu.domain.refusals import RefusalCode, refusal, refusal_of
from changzhu.domain.regions import InvalidRegionCode, validate_code
from changzhu.parameters.errors import ParameterError, ScenarioError
from changzhu.parameters.model import DatedValue, Parameter, check_value

_CODE_LIKE = 6


@dataclass(frozen=True)
class Override:
    """Set `parameter` to `value` in `jurisdiction` (None: everywhere) from `since` (None: for all dates)."""

    parameter: str
    value: Any
    jurisdiction: str | None = None
    since: date | None = None


@dataclass(frozen=True)
class Scenario:
    """A named set of overrides (a reform); hashable so resolved parameters can be cached per scenario."""

    name: str
    overrides: tuple[Override, ...] = ()
    description: str = ""
    source: str = field(default="", compare=False)

    @classmethod
    def from_overrides(cls, overrides: dict[str, Any], name: str = "overrides", description: str = "") -> Scenario:
        """Build from {"param": value}, {"310100": {"param": value}} or {"param": {"value", "since", ...}}."""
        out: list[Override] = []
        for key, raw in overrides.items():
            if len(str(key)) == _CODE_LIKE and str(key).isdigit():
                if not isinstance(raw, dict):
                    raise ScenarioError(
                        refusal(RefusalCode.SCENARIO_REGION_NOT_MAPPING, scenario=name, region=str(key))
                    )
                for param, value in raw.items():
                    out.append(_one(name, str(param), value, str(key)))
            else:
                out.append(_one(name, str(key), raw, None))
        return cls(name, tuple(out), description)

    def apply(self, chain: tuple[str, ...], parameters: dict[str, Parameter]) -> dict[str, Parameter]:
        """The parameters of a jurisdiction chain with this scenario's overrides applied.

        Overrides of keys that `parameters` does not hold (another part of the tree) are left for that part.
        """
        result = dict(parameters)
        for ov in self.overrides:
            if ov.jurisdiction is not None and ov.jurisdiction not in chain:
                continue
            base = result.get(ov.parameter)
            if base is None:
                continue
            zh, en = f"改革情景“{self.name}”的设定", f"scenario {self.name!r} (reform override)"
            new = DatedValue(ov.since or date.min, ov.value, zh, False, source_en=en)
            kept = tuple(v for v in base.values if ov.since is not None and v.since < ov.since)
            result[ov.parameter] = replace(base, values=(*kept, new), jurisdiction=f"scenario:{self.name}")
        return result

    def check(self, known: dict[str, str], names: Mapping[str, tuple[str, str]] | None = None) -> None:
        """Reject overrides of unknown parameters or with values of the wrong kind.

        `known`: every key a scenario may name, with its unit (the policy parameters and the parameter tree:
        `changzhu.rules.catalog.PolicySet.parameter_units`, or `ParameterTree.units` alone). `names`: their labels
        (Chinese, English), as the reform builder shows them (`PolicySet.parameter_labels`): a refused value names
        its parameter by its label in each language, by its key where it has none.
        """
        for ov in self.overrides:
            unit = known.get(ov.parameter)
            if unit is None:
                name = repr(ov.parameter)
                raise ScenarioError(refusal(RefusalCode.SCENARIO_UNKNOWN_PARAMETER, scenario=self.name, parameter=name))
            try:
                check_value(unit, ov.value, ov.parameter)
            except ParameterError as exc:
                label_zh, label_en = (names or {}).get(ov.parameter) or (ov.parameter, ov.parameter)
                raise ScenarioError(
                    refusal(
                        RefusalCode.SCENARIO_PARAMETER_VALUE,
                        scenario=self.name,
                        parameter_zh=label_zh,
                        parameter_en=label_en,
                        why_zh=exc.reason.zh,
                        why_en=exc.why,
                    )
                ) from exc


def _one(name: str, param: str, raw: Any, jurisdiction: str | None) -> Override:
    if isinstance(raw, dict):
        unknown = set(raw) - {"value", "since", "jurisdiction"}
        if unknown or "value" not in raw:
            raise ScenarioError(refusal(RefusalCode.SCENARIO_OVERRIDE_FIELDS, scenario=name, parameter=param))
        since = raw.get("since")
        try:
            since_date = date.fromisoformat(str(since)) if since is not None and not isinstance(since, date) else since
        except ValueError as exc:
            raise ScenarioError(
                refusal(RefusalCode.SCENARIO_SINCE_NOT_DATE, scenario=name, parameter=param, since=repr(since))
            ) from exc
        jurisdiction = raw.get("jurisdiction", jurisdiction)
        raw = raw["value"]
    else:
        since_date = None
    if jurisdiction is not None:
        try:
            validate_code(str(jurisdiction))
        except InvalidRegionCode as exc:
            if str(jurisdiction) != "000000":
                why = refusal_of(exc)
                raise ScenarioError(
                    refusal(
                        RefusalCode.SCENARIO_OVERRIDE_REGION,
                        scenario=name,
                        parameter=param,
                        why_zh=why.zh,
                        why_en=why.en,
                    )
                ) from exc
    return Override(param, raw, str(jurisdiction) if jurisdiction is not None else None, since_date)


def load_scenario(path: str | Path) -> Scenario:
    """Read a scenario YAML file: name, description, overrides (a list or a mapping, see docs/policies.md)."""
    p = Path(path)
    try:
        raw = yaml.safe_load(p.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ScenarioError(f"cannot read scenario {p}: {exc.strerror}") from exc
    except yaml.YAMLError as exc:
        raise ScenarioError(f"scenario {p.name} is not valid YAML: {exc}") from exc
    if not isinstance(raw, dict) or "overrides" not in raw:
        raise ScenarioError(refusal(RefusalCode.SCENARIO_NEEDS_OVERRIDES, file=p.name))
    name = str(raw.get("name", p.stem))
    overrides = raw["overrides"]
    if isinstance(overrides, list):
        result: list[Override] = []
        for i, item in enumerate(overrides):
            if not isinstance(item, dict) or "parameter" not in item or "value" not in item:
                raise ScenarioError(refusal(RefusalCode.SCENARIO_OVERRIDE_ITEM, file=p.name, index=i))
            rest = {k: v for k, v in item.items() if k != "parameter"}
            result.append(_one(name, str(item["parameter"]), rest, None))
        return Scenario(name, tuple(result), str(raw.get("description", "")), str(p))
    if not isinstance(overrides, dict):
        raise ScenarioError(refusal(RefusalCode.SCENARIO_OVERRIDES_FORM, file=p.name))
    scenario = Scenario.from_overrides(overrides, name, str(raw.get("description", "")))
    return Scenario(scenario.name, scenario.overrides, scenario.description, str(p))
