"""The jobs behind `changzhu plan`, `fiscal`, `simulate` and `demo`: compute, write the tables and the report section.

Library functions (no command-line parsing); the CLI and the main job (changzhu.pipeline) both call them."""

from changzhu import lazy_exports

_EXPORTS = {
    "PlanningRun": "planning",
    "run_planning": "planning",
    "run_fiscal": "fiscal",
    "clear_redemptions_file": "fiscal",
    "simulation_demo": "simulation",
    "write_results": "simulation",
}
__all__ = sorted(_EXPORTS)
__getattr__ = lazy_exports(__name__, _EXPORTS)
