"""Validation: every headline figure changzhu produces for the 2020 baseline next to the official one."""

from changzhu import lazy_exports

_EXPORTS = {
    "Check": "checks",
    "census_checks": "checks",
    "validation_checks": "checks",
    "checks_frame": "checks",
    "Official": "official",
    "fit_table": "fit",
    "validation_section": "section",
}
__all__ = sorted(_EXPORTS)
__getattr__ = lazy_exports(__name__, _EXPORTS)
