"""What an eligible person asks of a service: who needs a place (by age) and what a place costs a year.

Unit costs are whole yuan per place per year, so sums are exact and equal on every engine. The defaults are
parameters of the tree (`simulation.cost.*`, changzhu.parameters) with their sources; a simulation file may
replace a whole service (`costs:`), and a service without an entry counts every eligible person as demand and
has no cost.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from changzhu.domain.lang import Lang
from changzhu.domain.refusals import RefusalCode, refusal
from changzhu.domain.services import Service, service_title
from changzhu.parameters import ParameterError, Scenario, parameter_tree
from changzhu.simulation.errors import SimulationError, because_of


@dataclass(frozen=True)
class PlaceCost:
    """Eligible people aged [age_min, age_max] need a place costing `yuan_per_year` (0 = not costed)."""

    age_min: int
    age_max: int
    yuan_per_year: int
    source: str
    source_en: str = ""  # the source's English where it is given in two languages (changzhu.parameters.cited)


@dataclass(frozen=True)
class ServiceCost:
    """The places one service provides; an eligible person outside every age range needs no place."""

    service: str
    places: tuple[PlaceCost, ...]


# Service -> (age_min, age_max, parameter of the tree giving the yearly cost of a place).
PLACES: dict[str, tuple[tuple[int, int, str], ...]] = {
    "compulsory_schooling": (
        (6, 11, "simulation.cost.compulsory_schooling.primary"),
        (12, 15, "simulation.cost.compulsory_schooling.junior_secondary"),
    ),
    "medical_insurance": ((0, 120, "simulation.cost.medical_insurance"),),
    "minimum_living_allowance": ((0, 120, "simulation.cost.minimum_living_allowance"),),
}


def default_costs(on: date, scenario: Scenario | None = None) -> dict[str, ServiceCost]:
    """The unit costs in force on `on` from the parameter tree (a scenario may override any of them)."""
    tree = parameter_tree()
    out: dict[str, ServiceCost] = {}
    for service, places in PLACES.items():
        parsed = []
        for age_min, age_max, key in places:
            try:
                dated = tree.value(key, on, scenario=scenario)
            except ParameterError as exc:
                raise SimulationError(because_of(RefusalCode.SIMULATION_UNIT_COST, exc, service=service)) from exc
            parsed.append(PlaceCost(age_min, age_max, int(dated.value), dated.source, dated.source_en))
        out[service] = ServiceCost(service, tuple(parsed))
    return out


# a field of an age band in a `costs:` entry, in words (with its name in the file, to find it there)
_PLACE_FIELDS: dict[str, tuple[str, str]] = {
    "age_min": ("最低年龄（age_min）", "the lowest age (age_min)"),
    "age_max": ("最高年龄（age_max）", "the highest age (age_max)"),
    "yuan_per_year": ("每个名额每年的费用（yuan_per_year，元）", "the yearly cost of a place (yuan_per_year, yuan)"),
}


def _service_words(service: str) -> dict[str, str]:
    """A service of a `costs:` entry by its title in each language (as written where it is not a known service)."""
    known = service in {s.value for s in Service}
    if not known:
        return {"service_zh": service, "service_en": service}
    return {
        "service_zh": f"“{service_title(Service(service), Lang.ZH)}”",
        "service_en": service_title(Service(service), Lang.EN),
    }


def parse_costs(raw: object, where: str) -> dict[str, ServiceCost]:
    """Read a `costs:` mapping {service: [{age_min, age_max, yuan_per_year, source}]}; errors name the entry: its
    service by title and its age band counted from 1, as people count."""
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise SimulationError(refusal(RefusalCode.SIMULATION_COSTS_FORM, file=where))
    out: dict[str, ServiceCost] = {}
    for service, places in raw.items():
        named = _service_words(str(service))
        if not isinstance(places, list) or not places:
            raise SimulationError(refusal(RefusalCode.SIMULATION_COST_PLACES, file=where, **named))
        parsed = []
        for number, place in enumerate(places, start=1):
            entry = {"file": where, "number": str(number), **named}
            if not isinstance(place, dict):
                raise SimulationError(refusal(RefusalCode.SIMULATION_COST_PLACE_FORM, **entry))
            try:
                age_min, age_max = int(place["age_min"]), int(place["age_max"])
                yuan = int(place["yuan_per_year"])
            except KeyError as exc:
                zh, en = _PLACE_FIELDS[str(exc.args[0])]
                raise SimulationError(
                    refusal(RefusalCode.SIMULATION_COST_PLACE_MISSING, field_zh=zh, field_en=en, **entry)
                ) from exc
            except (TypeError, ValueError) as exc:
                raise SimulationError(refusal(RefusalCode.SIMULATION_COST_PLACE_NUMBERS, **entry)) from exc
            if age_min < 0 or age_max < age_min or yuan < 0:
                raise SimulationError(refusal(RefusalCode.SIMULATION_COST_PLACE_RANGE, **entry))
            given = ("改革情景文件给出", "given in the scenario file")
            source, source_en = (str(place["source"]), "") if "source" in place else given
            parsed.append(PlaceCost(age_min, age_max, yuan, source, source_en))
        out[str(service)] = ServiceCost(str(service), tuple(parsed))
    return out
