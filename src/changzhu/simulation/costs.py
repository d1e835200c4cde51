"""What an eligible person asks of a service: who needs a place (by age) and what a place costs a year.

Unit costs are whole yuan per place per year, so sums are exact and equal on every engine. Defaults
below carry their source; a simulation file may replace them (`costs:`), and a service without an
entry counts every eligible person as demand and has no cost.
"""

from __future__ import annotations

from dataclasses import dataclass

from changzhu.simulation.errors import SimulationError


@dataclass(frozen=True)
class PlaceCost:
    """Eligible people aged [age_min, age_max] need a place costing `yuan_per_year` (0 = not costed)."""

    age_min: int
    age_max: int
    yuan_per_year: int
    source: str


@dataclass(frozen=True)
class ServiceCost:
    """The places one service provides; an eligible person outside every age range needs no place."""

    service: str
    places: tuple[PlaceCost, ...]


EDUCATION_SOURCE = (
    "2019 全国教育经费执行情况统计公告 (教育部/国家统计局/财政部), 生均一般公共预算教育事业费: primary 11,949, "
    "junior secondary 17,319 yuan; not re-verified here, confirm before publishing"
)
DIBAO_SOURCE = (
    "upper bound: the full national average urban 低保 standard, 753 yuan/month × 12 (the rules' parameter "
    "minimum_living_allowance.standard_yuan_month, unverified); the real payment is the gap to the standard"
)
MEDICAL_SOURCE = "居民医保人均财政补助标准 2024: 670 yuan per enrollee per year (国家医保局/财政部 2024 notice)"

DEFAULT_COSTS: dict[str, ServiceCost] = {
    "compulsory_schooling": ServiceCost(
        "compulsory_schooling",
        (PlaceCost(6, 11, 11_949, EDUCATION_SOURCE), PlaceCost(12, 15, 17_319, EDUCATION_SOURCE)),
    ),
    "medical_insurance": ServiceCost("medical_insurance", (PlaceCost(0, 120, 670, MEDICAL_SOURCE),)),
    "minimum_living_allowance": ServiceCost("minimum_living_allowance", (PlaceCost(0, 120, 753 * 12, DIBAO_SOURCE),)),
}


def parse_costs(raw: object, where: str) -> dict[str, ServiceCost]:
    """Read a `costs:` mapping {service: [{age_min, age_max, yuan_per_year, source}]}; errors name the entry."""
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise SimulationError(f"{where}: 'costs' must be a mapping of service name to a list of places")
    out: dict[str, ServiceCost] = {}
    for service, places in raw.items():
        if not isinstance(places, list) or not places:
            raise SimulationError(f"{where}: costs.{service} must be a non-empty list of places")
        parsed = []
        for i, place in enumerate(places):
            label = f"{where}: costs.{service}[{i}]"
            if not isinstance(place, dict):
                raise SimulationError(f"{label} must be a mapping")
            try:
                age_min, age_max = int(place["age_min"]), int(place["age_max"])
                yuan = int(place["yuan_per_year"])
            except KeyError as exc:
                raise SimulationError(f"{label} lacks {exc.args[0]!r}") from exc
            except (TypeError, ValueError) as exc:
                raise SimulationError(f"{label}: age_min, age_max and yuan_per_year must be whole numbers") from exc
            if age_min < 0 or age_max < age_min or yuan < 0:
                raise SimulationError(f"{label}: need 0 <= age_min <= age_max and yuan_per_year >= 0")
            parsed.append(PlaceCost(age_min, age_max, yuan, str(place.get("source", "given in the scenario file"))))
        out[str(service)] = ServiceCost(str(service), tuple(parsed))
    return out
