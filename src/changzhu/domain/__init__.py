"""Pure domain types: regions, services and their titles, the two languages, population bases, the person table
schema. No I/O, no other changzhu package (import-linter holds it so)."""

from changzhu import lazy_exports

_EXPORTS = {
    "Region": "regions",
    "RegionLevel": "regions",
    "CitySizeClass": "regions",
    "InvalidRegionCode": "regions",
    "validate_code": "regions",
    "province_code_of": "regions",
    "Service": "services",
    "service_title": "services",
    "Lang": "lang",
    "PopulationBasis": "population",
    "PERSON_COLUMNS": "person",
    "PERSON_SCHEMA": "person",
    "PersonColumn": "person",
    "PersonTableError": "person",
    "CheckedPersonTable": "person",
    "validate_person_table": "person",
    "empty_person_table": "person",
}
__all__ = sorted(_EXPORTS)
__getattr__ = lazy_exports(__name__, _EXPORTS)
