"""Service standards (服务标准): what each service is planned on, with its dated values from the parameter tree.

The definition of a service (population group, `per`, supply column, whether a unit is built once or paid every
year) is in data/files/service_standards.yaml; the standard's values and the unit cost are dated, sourced
parameters of the tree (`planning.standard.<service>`, `planning.unit_cost.<service>`), resolved for a region
national → province → prefecture → the region and overridden by a scenario like any rule parameter.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import polars as pl
import yaml

from changzhu.data.census import FILES_DIR
from changzhu.parameters import (
    DatedValue,
    ParameterError,
    ParameterTree,
    Scenario,
    load_tree,
    parameter_tree,
    parse_parameter,
)
from changzhu.planning.errors import PlanningInputError
from changzhu.tables.kinds import ServiceInfo

STANDARDS_FILE = FILES_DIR / "service_standards.yaml"
POPULATION_GROUPS = ("all", "age_0_4", "age_5_14", "age_6_11", "age_12_14", "age_15_64", "age_65plus")
COST_KINDS = ("capital", "annual")


@dataclass(frozen=True)
class ServiceStandard:
    """A service's planning standard: demand = population of `group` × value / `per`."""

    service: str
    title_zh: str
    unit: str
    group: str
    per: float
    supply_column: str
    cost_kind: str
    tree: ParameterTree = field(default_factory=parameter_tree, compare=False, repr=False)
    scenario: Scenario | None = None

    @property
    def standard_key(self) -> str:
        """The tree parameter holding the standard's dated values."""
        return f"planning.standard.{self.service}"

    @property
    def cost_key(self) -> str:
        """The tree parameter holding the cost of one unit of supply."""
        return f"planning.unit_cost.{self.service}"

    @property
    def values(self) -> tuple[DatedValue, ...]:
        """The national dated values (with this standard's scenario applied)."""
        return self.tree.resolve(None, self.scenario)[self.standard_key].values

    def value_on(self, as_of: date, region_code: str | None = None) -> DatedValue:
        """The value in force on `as_of` for a region: its own, its prefecture's, its province's, or national."""
        return self._dated(self.standard_key, as_of, region_code)

    def unit_cost_on(self, as_of: date, region_code: str | None = None) -> DatedValue:
        """The cost of one unit of supply in force on `as_of` for a region."""
        return self._dated(self.cost_key, as_of, region_code)

    def with_scenario(self, scenario: Scenario | None) -> ServiceStandard:
        """The same standard read under a reform scenario's overrides."""
        return ServiceStandard(**{**self.__dict__, "scenario": scenario})

    def _dated(self, key: str, as_of: date, region_code: str | None) -> DatedValue:
        try:
            return self.tree.value(key, as_of, region=region_code, scenario=self.scenario)
        except ParameterError as exc:
            raise PlanningInputError(f"standard {self.service}: {exc.why} ({key})") from exc


def _field(where: str, raw: Mapping[str, Any], name: str, kind: type | tuple[type, ...]) -> Any:
    if name not in raw:
        raise PlanningInputError(f"{where}: field {name!r} is missing")
    value = raw[name]
    if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
        raise PlanningInputError(f"{where}: field {name!r} has the wrong type ({value!r})")
    return value


def _standard(name: str, raw: Any, tree: ParameterTree, scenario: Scenario | None) -> ServiceStandard:
    where = f"services.{name}"
    if not isinstance(raw, dict):
        raise PlanningInputError(f"{where}: must be a mapping")
    group = _field(where, raw, "group", str)
    if group not in POPULATION_GROUPS:
        raise PlanningInputError(f"{where}: group {group!r} is not one of {', '.join(POPULATION_GROUPS)}")
    per = float(_field(where, raw, "per", (int, float)))
    if per <= 0:
        raise PlanningInputError(f"{where}: per must be positive")
    kind = _field(where, raw, "cost_kind", str)
    if kind not in COST_KINDS:
        raise PlanningInputError(f"{where}: cost_kind {kind!r} is not capital or annual")
    std = ServiceStandard(
        service=name,
        title_zh=_field(where, raw, "title_zh", str),
        unit=_field(where, raw, "unit", str),
        group=group,
        per=per,
        supply_column=_field(where, raw, "supply_column", str),
        cost_kind=kind,
        tree=tree,
        scenario=scenario,
    )
    missing = [k for k in (std.standard_key, std.cost_key) if k not in tree.units()]
    if missing:
        raise PlanningInputError(f"{where}: the parameter tree has no {' or '.join(missing)}")
    return std


def parse_standards(
    raw: Any, tree: ParameterTree | None = None, scenario: Scenario | None = None
) -> dict[str, ServiceStandard]:
    """Standards from the parsed YAML document; raises PlanningInputError naming the field at fault."""
    if not isinstance(raw, dict) or not isinstance(raw.get("services"), dict) or not raw["services"]:
        raise PlanningInputError("standards: needs a non-empty 'services' mapping")
    tree = tree or parameter_tree()
    return {str(name): _standard(str(name), body, tree, scenario) for name, body in raw["services"].items()}


def local_tree(rows: pl.DataFrame, base: ParameterTree | None = None) -> ParameterTree:
    """The tree with a standards table's rows (kind `standard`: region, service, standard value and/or unit cost,
    since, source, verified) as the regions' own dated values of planning.standard.<service> and
    planning.unit_cost.<service>, in the national parameters' units."""
    base = base or parameter_tree()
    units = base.units()
    entries: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for row in rows.iter_rows(named=True):
        for prefix, column in (("planning.standard.", "standard_value"), ("planning.unit_cost.", "unit_cost_yuan")):
            if row[column] is not None:
                value = {"since": row["since"], "value": row[column], "source": row["source"]}
                entries.setdefault((str(row["region_code"]), prefix + str(row["service"])), []).append(
                    value | {"verified": bool(row["verified"])}
                )
    merged = {code: dict(params) for code, params in base.by_jurisdiction.items()}
    for (code, key), values in entries.items():
        if key not in units:
            raise PlanningInputError(f"standards table: the parameter tree has no {key}")
        where = f"standards table: {code} {key}"
        try:
            merged.setdefault(code, {})[key] = parse_parameter(key, {"unit": units[key], "values": values}, code, where)
        except ParameterError as exc:
            raise PlanningInputError(str(exc)) from exc
    return ParameterTree(merged)


def is_parameter_file(path: Path) -> bool:
    """Whether a --standards file is a YAML parameter file of local values (`local:`), not a standards table."""
    if path.suffix.lower() not in (".yaml", ".yml") or not path.is_file():
        return False
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError):
        return False
    return isinstance(raw, dict) and "local" in raw


def load_standards(
    path: Path = STANDARDS_FILE, local: Path | pl.DataFrame | None = None, scenario: Scenario | None = None
) -> dict[str, ServiceStandard]:
    """The standards, with a region's own values on top: a local parameter file (`local: {region_code:
    {planning.standard.x: ...}}`) or a standards table (kind `standard`, read with changzhu.tables); then a
    scenario's overrides."""
    if not path.is_file():
        raise PlanningInputError(f"{path.name}: file not found")
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise PlanningInputError(f"{path.name}: not valid YAML ({str(exc).splitlines()[0]})") from exc
    try:
        if isinstance(local, pl.DataFrame):
            tree = local_tree(local)
        else:
            tree = load_tree(extra=local) if local is not None else parameter_tree()
    except ParameterError as exc:
        raise PlanningInputError(str(exc)) from exc
    return parse_standards(raw, tree, scenario)


def standards_frame(standards: Mapping[str, ServiceStandard], region_codes: Iterable[str], as_of: date) -> pl.DataFrame:
    """One row per region and service with the value in force on `as_of` there (local value or national)."""
    codes = list(region_codes)
    rows = []
    for std in standards.values():
        for code in codes:
            chosen = std.value_on(as_of, code)
            cost = std.unit_cost_on(as_of, code)
            rows.append(
                (
                    code,
                    std.service,
                    std.group,
                    std.per,
                    chosen.value,
                    chosen.since,
                    chosen.source,
                    chosen.verified,
                    float(cost.value),
                    std.cost_kind,
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


def unit_costs_cited(
    standards: Mapping[str, ServiceStandard], as_of: date, services: Iterable[str] | None = None
) -> tuple[str, str]:
    """The unit costs of `services` (every standard's if None) in force on `as_of`, each by its label, value and
    source, in Chinese and English (ParameterTree.citation): what a cost estimate's note cites."""
    chosen = [standards[s] for s in services] if services is not None else list(standards.values())
    if not chosen:
        return "", ""
    first = chosen[0]
    return first.tree.citation([s.cost_key for s in chosen], as_of, scenario=first.scenario)


def service_catalog(standards: Mapping[str, ServiceStandard]) -> tuple[ServiceInfo, ...]:
    """The services of `standards` as facility lists and supply tables name them."""
    return tuple(ServiceInfo(key, std.title_zh, std.supply_column) for key, std in standards.items())
