"""A person table for one registered person and their linked parent, for eligibility requests.

An eligibility request needs one person (and, for a child's school rules, the linked parent), so this asks the
registry's person_frame for those two rows only (tests/api/test_api_eligibility.py compares it with the whole
registry's table).
"""

from __future__ import annotations

import polars as pl
from sqlalchemy import Engine, func, select

from changzhu.registry.frames import person_frame
from changzhu.store.db import session_scope
from changzhu.store.resident_models import HouseholdLinkRow


def person_table(engine: Engine, person_id: int) -> pl.DataFrame:
    """The person (first row) and their linked parent, if any."""
    query = select(func.min(HouseholdLinkRow.parent_id)).where(HouseholdLinkRow.child_id == person_id)
    with session_scope(engine) as session:
        parent = session.scalar(query)
    return person_frame(engine, [person_id] if parent is None else [person_id, int(parent)])
