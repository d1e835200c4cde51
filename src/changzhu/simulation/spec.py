"""Simulation files: a rules scenario (name, description, overrides) with an optional `simulation:` block.

    name: school_residence_1y
    description: 随迁子女义务教育入学 residence threshold 3 → 1 year
    overrides: {...}                 # read by changzhu.rules.load_scenario
    simulation:                      # read here; every key is optional
      years: [2025, 2026]
      evaluation_day: "09-01"        # month-day of each year's evaluation date (school year start)
      sample: 0.01                   # the CLI's --sample overrides it
      seed: 20201101
      costs: {...}                   # see changzhu.simulation.costs.parse_costs
      services: [local_entrance_exam]  # evaluate only these services (default: all)

Several files make several reforms, all compared with the same baseline; the settings come from the
first file and the others must not contradict it (the services evaluated are the union).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from changzhu.domain.refusals import RefusalCode, refusal
from changzhu.parameters import Scenario
from changzhu.parameters.scenario import Override
from changzhu.simulation.aggregate import BASELINE
from changzhu.simulation.costs import ServiceCost, default_costs, parse_costs
from changzhu.simulation.engine import SimulationPlan
from changzhu.simulation.errors import SimulationError

ScenarioLoader = Callable[[Path], Any]
SETTINGS_KEYS = {"years", "evaluation_day", "sample", "seed", "costs", "services"}
DEFAULT_YEARS = (2025,)
DEFAULT_SAMPLE = 0.01
DEFAULT_SEED = 20201101
# Overrides of these keys change who the synthetic people are (changzhu.simulation.attribute_parameters).
POPULATION_PREFIXES = (
    "simulation.share.",
    "simulation.hukou_type.",
    "simulation.income.",
    "simulation.takeup.",
    "simulation.assumption.",
)


@dataclass(frozen=True)
class SimulationSpec:
    """Reforms (name, loaded rules scenario) and the run settings."""

    title: str
    reforms: tuple[tuple[str, Any], ...]
    years: tuple[int, ...] = DEFAULT_YEARS
    evaluation_day: tuple[int, int] = (9, 1)
    sample: float = DEFAULT_SAMPLE
    seed: int = DEFAULT_SEED
    costs: dict[str, ServiceCost] = field(default_factory=dict)
    services: tuple[str, ...] = ()

    def plan(
        self, sample: float | None = None, seed: int | None = None, years: tuple[int, ...] | None = None
    ) -> SimulationPlan:
        """The run plan, with the sample fraction, seed or years optionally overridden.

        Unit costs come from the parameter tree at the last date, each reform's with its own overrides
        (`simulation.cost.*`); a file's `costs:` block replaces a service for every scenario.
        """
        month, day = self.evaluation_day
        dates = tuple(date(y, month, day) for y in (years or self.years))
        baseline = {**default_costs(dates[-1]), **self.costs}
        priced = {name: {**default_costs(dates[-1], reform), **self.costs} for name, reform in self.reforms}
        return SimulationPlan(
            population=population_scenario(self.reforms),
            scenarios=((BASELINE, None), *self.reforms),
            dates=dates,
            fraction=self.sample if sample is None else sample,
            seed=self.seed if seed is None else seed,
            costs=baseline,
            scenario_costs={name: costs for name, costs in priced.items() if costs != baseline},
        )


def population_scenario(reforms: tuple[tuple[str, Any], ...]) -> Scenario | None:
    """The reforms' overrides of the attribute parameters, which shape the one population that the baseline and
    every reform are evaluated on (None when no reform has any); two reforms must not set one differently."""
    chosen: dict[tuple[str, str | None], Override] = {}
    for name, reform in reforms:
        for override in getattr(reform, "overrides", ()):
            if not str(override.parameter).startswith(POPULATION_PREFIXES):
                continue
            key = (override.parameter, override.jurisdiction)
            if key in chosen and chosen[key] != override:
                disagree = refusal(RefusalCode.REFORMS_DISAGREE, name=repr(name), parameter=override.parameter)
                raise SimulationError(disagree)
            chosen[key] = override
    return Scenario("population", tuple(chosen.values())) if chosen else None


def parse_years(raw: object, where: str) -> tuple[int, ...]:
    """A year or a list of distinct increasing years between 2000 and 2100."""
    values: list[Any] = list(raw) if isinstance(raw, list | tuple) else [raw]
    try:
        years = tuple(int(v) for v in values)
    except (TypeError, ValueError) as exc:
        raise SimulationError(refusal(RefusalCode.SIMULATION_YEARS_FORM, file=where)) from exc
    if not years or any(not 2000 <= y <= 2100 for y in years) or list(years) != sorted(set(years)):
        raise SimulationError(refusal(RefusalCode.SIMULATION_YEARS_RANGE, file=where))
    return years


def _day(raw: object, where: str) -> tuple[int, int]:
    try:
        month, day = (int(p) for p in str(raw).split("-"))
        date(2024, month, day)
    except ValueError as exc:
        raise SimulationError(refusal(RefusalCode.SIMULATION_DAY_FORM, file=where, value=repr(raw))) from exc
    return month, day


def _settings(path: Path) -> dict[str, Any]:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise SimulationError(
            refusal(RefusalCode.SIMULATION_FILE_UNREADABLE, file=str(path), detail=str(exc.strerror))
        ) from exc
    except yaml.YAMLError as exc:
        raise SimulationError(refusal(RefusalCode.SIMULATION_NOT_YAML, file=str(path), detail=str(exc))) from exc
    block = raw.get("simulation") if isinstance(raw, dict) else None
    if block is None:
        return {}
    if not isinstance(block, dict):
        raise SimulationError(refusal(RefusalCode.SIMULATION_NOT_A_MAPPING, file=str(path)))
    unknown = sorted(set(block) - SETTINGS_KEYS)
    if unknown:
        allowed = ", ".join(sorted(SETTINGS_KEYS))
        raise SimulationError(
            refusal(RefusalCode.SIMULATION_NOT_A_SETTING, file=str(path), key=unknown[0], allowed=allowed)
        )
    return dict(block)


def load_spec(paths: list[Path], load_scenario: ScenarioLoader) -> SimulationSpec:
    """Read one or more scenario files; each becomes a reform named by its scenario name."""
    if not paths:
        raise SimulationError(refusal(RefusalCode.SIMULATION_NO_FILES))
    reforms: list[tuple[str, Any]] = []
    settings: dict[str, Any] = {}
    for path in paths:
        if not path.is_file():
            raise SimulationError(refusal(RefusalCode.SIMULATION_FILE_NOT_FOUND, file=str(path)))
        block = _settings(path)
        scenario = load_scenario(path)
        name = str(getattr(scenario, "name", path.stem))
        if name == BASELINE or name in dict(reforms):
            raise SimulationError(refusal(RefusalCode.REFORM_NAME_TAKEN, file=str(path), name=repr(name)))
        reforms.append((name, scenario))
        for key, value in block.items():
            if key == "services" and isinstance(value, list):
                merged = settings.setdefault("services", [])
                merged.extend(v for v in value if v not in merged)
                continue
            if key in settings and settings[key] != value:
                raise SimulationError(refusal(RefusalCode.SIMULATION_SETTING_DIFFERS, file=str(path), key=key))
            settings.setdefault(key, value)
    where = str(paths[0])
    try:
        sample = float(settings.get("sample", DEFAULT_SAMPLE))
        seed = int(settings.get("seed", DEFAULT_SEED))
    except (TypeError, ValueError) as exc:
        raise SimulationError(refusal(RefusalCode.SIMULATION_SAMPLE_FORM, file=where)) from exc
    if not 0 < sample <= 1:
        raise SimulationError(refusal(RefusalCode.SIMULATION_SAMPLE_RANGE, file=where, sample=str(sample)))
    titles = [str(getattr(s, "description", "") or n) for n, s in reforms]
    spec = SimulationSpec(
        title="; ".join(titles),
        reforms=tuple(reforms),
        years=parse_years(settings.get("years", list(DEFAULT_YEARS)), where),
        evaluation_day=_day(settings.get("evaluation_day", "09-01"), where),
        sample=sample,
        seed=seed,
        costs=parse_costs(settings.get("costs"), where),
        services=_services(settings.get("services", []), where),
    )
    return spec if "years" in settings else replace(spec, years=covering_years(spec))


def covering_years(spec: SimulationSpec) -> tuple[int, ...]:
    """The spec's years and, for each dated override, the first evaluation date on or after it takes effect
    (a reform dated 2027 is evaluated in 2027 even when the default year is 2025)."""
    month, day = spec.evaluation_day
    years = set(spec.years)
    for _, reform in spec.reforms:
        for override in getattr(reform, "overrides", ()):
            since = getattr(override, "since", None)
            if not isinstance(since, date):
                continue
            evaluated = date(since.year, month, min(day, 28) if month == 2 else day)
            years.add(since.year if since <= evaluated else since.year + 1)
    return tuple(sorted(years))


def _services(raw: object, where: str) -> tuple[str, ...]:
    if not isinstance(raw, list) or not all(isinstance(s, str) for s in raw):
        raise SimulationError(refusal(RefusalCode.SIMULATION_SERVICES_FORM, file=where))
    return tuple(raw)
