"""The rule inputs the jurisdictions in use declare, as optional columns of a person or resident file (light: no
database modules, so reading a person file does not import the registry's)."""

from __future__ import annotations

from changzhu.rules.catalog import policies_in_use
from changzhu.tables import Column
from changzhu.tables.person import declared_column


def declared_columns(jurisdiction: str | None = None) -> tuple[Column, ...]:
    """The inputs the jurisdictions in use declare (all, or one code's chain) as optional file columns."""
    declared = policies_in_use().declared_inputs(jurisdiction)
    return tuple(declared_column(declared[name]) for name in sorted(declared))
