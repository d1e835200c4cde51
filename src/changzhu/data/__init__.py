"""Loaders for the real datasets shipped in changzhu/data/files; each validates on load."""

from changzhu import lazy_exports

_EXPORTS = {
    "DataFileError": "errors",
    "Census2020": "census",
    "census_2020": "census",
    "region_table": "regions",
    "province_geojson": "geo",
    "province_supply_2019": "supply",
}
__all__ = sorted(_EXPORTS)
__getattr__ = lazy_exports(__name__, _EXPORTS)
