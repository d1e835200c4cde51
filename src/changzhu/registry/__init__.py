"""Persistence of people and places: regions and census figures, residents and their histories (常住地登记,
居住证, moves, households, 落户), identity numbers; the Alembic migrations of every table."""

from changzhu import lazy_exports

_EXPORTS = {
    "upgrade": "migrate",
    "downgrade": "migrate",
    "current_revision": "migrate",
    "head_revision": "migrate",
    "load_census": "census_import",
    "PopulationSort": "queries",
    "RegistryNotLoaded": "queries",
    "list_regions": "queries",
    "population_table": "queries",
    "ProofKind": "residents",
    "Registration": "residents",
    "register_resident": "residents",
    "find_person": "residents",
    "issue_permit": "residents",
    "renew_permit": "residents",
    "record_move": "residents",
    "link_household": "residents",
    "settle_hukou": "residents",
    "person_summary": "residents",
    "years_after": "residents",
    "moves_frame": "frames",
    "person_frame": "frames",
    "parse_id_number": "identity",
    "mask": "identity",
}
__all__ = sorted(_EXPORTS)
__getattr__ = lazy_exports(__name__, _EXPORTS)
