"""Planning by resident population (按常住人口规划): demand, gaps, projection, facility location, accessibility."""

from changzhu import lazy_exports

_EXPORTS = {
    "compute_gaps": "gaps",
    "gaps_side_by_side": "gaps",
    "load_standards": "standards",
    "project": "projection",
    "growth_summary": "projection",
    "migration_balance": "migration",
    "mega_towns": "flags",
    "service_flags": "flags",
    "plan_sites": "siting",
    "PMedian": "location_models",
    "MCLP": "location_models",
    "LSCP": "location_models",
    "LocationSolution": "location_models",
    "two_step_fca": "accessibility",
    "e2sfca": "accessibility",
}
__all__ = sorted(_EXPORTS)
__getattr__ = lazy_exports(__name__, _EXPORTS)
