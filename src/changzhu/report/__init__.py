"""The HTML report: sections written by each command into out/sections/, assembled into out/report.html."""

from changzhu import lazy_exports

_EXPORTS = {
    "render_report": "render",
    "ReportSection": "sections",
    "write_section": "sections",
    "population_section": "population",
    "planning_section": "planning",
    "fiscal_section": "fiscal",
    "simulation_section": "simulation",
}
__all__ = sorted(_EXPORTS)
__getattr__ = lazy_exports(__name__, _EXPORTS)
