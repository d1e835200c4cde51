"""Service standards (服务标准) as dated parameters: national values with local overrides, each citing its source."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import polars as pl
import yaml

from changzhu.data.census import FILES_DIR
from changzhu.planning.errors import PlanningInputError

STANDARDS_FILE = FILES_DIR / "service_standards.yaml"
POPULATION_GROUPS = ("all", "age_0_4", "age_5_14", "age_6_11", "age_12_14", "age_15_64", "age_65plus")
COST_KINDS = ("capital", "annual")
CENSUS_DATE = date(2020, 11, 1)


@dataclass(frozen=True)
class DatedValue:
    """One value of a standard, in force from `valid_from`, with the document it comes from."""

    valid_from: date
    value: float
    source: str
    verified: bool
    note: str | None = None


@dataclass(frozen=True)
class UnitCost:
    """What one unit of supply costs: built once (capital) or paid every year (annual)."""

    value: float
    kind: str
    source: str
    verified: bool


@dataclass(frozen=True)
class ServiceStandard:
    """A service's planning standard: demand = population of `group` × value / `per`."""

    service: str
    title_zh: str
    unit: str
    group: str
    per: float
    supply_column: str
    values: tuple[DatedValue, ...]
    unit_cost: UnitCost
    overrides: Mapping[str, tuple[DatedValue, ...]]

    def value_on(self, as_of: date, region_code: str | None = None) -> DatedValue:
        """The value in force on `as_of` for a region: its own override, its prefecture's, its province's, national."""
        if region_code is not None:
            for key in _override_keys(region_code):
                if key in self.overrides:
                    found = _latest(self.overrides[key], as_of)
                    if found is not None:
                        return found
        found = _latest(self.values, as_of)
        if found is None:
            raise PlanningInputError(f"standard {self.service}: no value in force on {as_of.isoformat()}")
        return found


def _override_keys(code: str) -> list[str]:
    return [code, code[:4] + "00", code[:2] + "0000"]


def _latest(values: Iterable[DatedValue], as_of: date) -> DatedValue | None:
    in_force = [v for v in values if v.valid_from <= as_of]
    return max(in_force, key=lambda v: v.valid_from) if in_force else None


def _field(where: str, raw: Mapping[str, Any], name: str, kind: type | tuple[type, ...]) -> Any:
    if name not in raw:
        raise PlanningInputError(f"{where}: field {name!r} is missing")
    value = raw[name]
    if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
        raise PlanningInputError(f"{where}: field {name!r} has the wrong type ({value!r})")
    return value


def _dated(where: str, raw: Any) -> tuple[DatedValue, ...]:
    if not isinstance(raw, list) or not raw:
        raise PlanningInputError(f"{where}: needs a non-empty list of dated values")
    out = []
    for i, item in enumerate(raw):
        at = f"{where}[{i}]"
        if not isinstance(item, dict):
            raise PlanningInputError(f"{at}: must be a mapping")
        valid_from = _field(at, item, "valid_from", date)
        value = float(_field(at, item, "value", (int, float)))
        if value < 0:
            raise PlanningInputError(f"{at}: value {value} is negative")
        source = _field(at, item, "source", str)
        if not source.strip():
            raise PlanningInputError(f"{at}: source is empty; every standard must cite its source")
        out.append(DatedValue(valid_from, value, source, bool(_field(at, item, "verified", bool)), item.get("note")))
    dates = [v.valid_from for v in out]
    if len(set(dates)) != len(dates):
        raise PlanningInputError(f"{where}: two values start on the same date")
    return tuple(sorted(out, key=lambda v: v.valid_from))


def _overrides(where: str, raw: Any) -> dict[str, tuple[DatedValue, ...]]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise PlanningInputError(f"{where}: must be a mapping of region code to dated values")
    out = {}
    for code, values in raw.items():
        code = str(code)
        if len(code) != 6 or not code.isdigit():
            raise PlanningInputError(f"{where}: {code!r} is not a six-digit region code")
        out[code] = _dated(f"{where}.{code}", values)
    return out


def _standard(name: str, raw: Any) -> ServiceStandard:
    where = f"services.{name}"
    if not isinstance(raw, dict):
        raise PlanningInputError(f"{where}: must be a mapping")
    group = _field(where, raw, "group", str)
    if group not in POPULATION_GROUPS:
        raise PlanningInputError(f"{where}: group {group!r} is not one of {', '.join(POPULATION_GROUPS)}")
    per = float(_field(where, raw, "per", (int, float)))
    if per <= 0:
        raise PlanningInputError(f"{where}: per must be positive")
    cost_raw = _field(where, raw, "unit_cost", dict)
    kind = _field(f"{where}.unit_cost", cost_raw, "kind", str)
    if kind not in COST_KINDS:
        raise PlanningInputError(f"{where}.unit_cost: kind {kind!r} is not capital or annual")
    cost = UnitCost(
        float(_field(f"{where}.unit_cost", cost_raw, "value", (int, float))),
        kind,
        _field(f"{where}.unit_cost", cost_raw, "source", str),
        bool(_field(f"{where}.unit_cost", cost_raw, "verified", bool)),
    )
    return ServiceStandard(
        service=name,
        title_zh=_field(where, raw, "title_zh", str),
        unit=_field(where, raw, "unit", str),
        group=group,
        per=per,
        supply_column=_field(where, raw, "supply_column", str),
        values=_dated(f"{where}.values", raw.get("values")),
        unit_cost=cost,
        overrides=_overrides(f"{where}.overrides", raw.get("overrides")),
    )


def _read_yaml(path: Path) -> Any:
    if not path.is_file():
        raise PlanningInputError(f"{path.name}: file not found")
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise PlanningInputError(f"{path.name}: not valid YAML ({str(exc).splitlines()[0]})") from exc


def parse_standards(raw: Any) -> dict[str, ServiceStandard]:
    """Standards from the parsed YAML document; raises PlanningInputError naming the field at fault."""
    if not isinstance(raw, dict) or not isinstance(raw.get("services"), dict) or not raw["services"]:
        raise PlanningInputError("standards: needs a non-empty 'services' mapping")
    return {str(name): _standard(str(name), body) for name, body in raw["services"].items()}


def load_standards(path: Path = STANDARDS_FILE, local: Path | None = None) -> dict[str, ServiceStandard]:
    """The national standards, with a local file's overrides (`{service: {region_code: [values]}}`) on top."""
    standards = parse_standards(_read_yaml(path))
    if local is None:
        return standards
    raw = _read_yaml(local)
    if not isinstance(raw, dict) or not isinstance(raw.get("overrides"), dict):
        raise PlanningInputError(f"{local.name}: needs an 'overrides' mapping of service to region code to values")
    merged = dict(standards)
    for service, by_region in raw["overrides"].items():
        if service not in merged:
            raise PlanningInputError(f"{local.name}: unknown service {service!r}")
        extra = _overrides(f"{local.name}.overrides.{service}", by_region)
        old = merged[service]
        merged[service] = ServiceStandard(**{**old.__dict__, "overrides": {**old.overrides, **extra}})
    return merged


def standards_frame(standards: Mapping[str, ServiceStandard], region_codes: Iterable[str], as_of: date) -> pl.DataFrame:
    """One row per region and service with the value in force on `as_of` there (local override or national)."""
    codes = list(region_codes)
    rows = []
    for std in standards.values():
        national = std.value_on(as_of)
        local_codes = {c for c in codes if any(k in std.overrides for k in _override_keys(c))}
        for code in codes:
            chosen = std.value_on(as_of, code) if code in local_codes else national
            rows.append(
                (
                    code,
                    std.service,
                    std.group,
                    std.per,
                    chosen.value,
                    chosen.valid_from,
                    chosen.source,
                    chosen.verified,
                    std.unit_cost.value,
                    std.unit_cost.kind,
                    std.supply_column,
                )
            )
    schema = {
        "region_code": pl.String,
        "service": pl.String,
        "group": pl.String,
        "standard_per": pl.Float64,
        "standard_value": pl.Float64,
        "standard_valid_from": pl.Date,
        "standard_source": pl.String,
        "standard_verified": pl.Boolean,
        "unit_cost_yuan": pl.Float64,
        "unit_cost_kind": pl.String,
        "supply_column": pl.String,
    }
    return pl.DataFrame(rows, schema=schema, orient="row")
