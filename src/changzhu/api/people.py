"""A person table for one registered person and their parent (thin adapter over the registry's person_frame).

`changzhu.registry.person_frame(engine)` builds the table for the whole registry; an eligibility request needs
one person (and, for a child's school rules, the linked parent), so this reads only those rows, deriving every
column as person_frame does (tests/api/test_api_eligibility.py compares the two), except that an optional
column not recorded at registration takes its schema default (as a posted table would), not null.
"""

from __future__ import annotations

import polars as pl
from sqlalchemy import Engine, func, select

from changzhu.domain.person import PERSON_COLUMNS
from changzhu.registry.db import session_scope
from changzhu.registry.resident_models import ContributionMonthRow, HouseholdLinkRow, PersonRow


def _parents(session, ids: list[int]) -> dict[int, int]:  # type: ignore[no-untyped-def]
    query = (
        select(HouseholdLinkRow.child_id, func.min(HouseholdLinkRow.parent_id))
        .where(HouseholdLinkRow.child_id.in_(ids))
        .group_by(HouseholdLinkRow.child_id)
    )
    return {int(child): int(parent) for child, parent in session.execute(query)}


def person_table(engine: Engine, person_id: int) -> pl.DataFrame:
    """The person (first row) and their linked parent, if any; enums as strings (the rules engine validates)."""
    with session_scope(engine) as session:
        parent_of = _parents(session, [person_id])
        ids = [person_id] + ([parent_of[person_id]] if person_id in parent_of else [])
        parent_of.update(_parents(session, ids[1:]))
        people = {p.id: p for p in session.scalars(select(PersonRow).where(PersonRow.id.in_(ids)))}
        months = session.execute(
            select(
                ContributionMonthRow.person_id,
                ContributionMonthRow.scheme,
                ContributionMonthRow.paid_region,
                func.count(),
            )
            .where(ContributionMonthRow.person_id.in_(ids), ContributionMonthRow.scheme.in_(["pension", "medical"]))
            .group_by(ContributionMonthRow.person_id, ContributionMonthRow.scheme, ContributionMonthRow.paid_region)
        ).all()
    counts = {(int(pid), scheme, region): int(n) for pid, scheme, region, n in months}
    records = []
    for pid in ids:
        p = people[pid]
        pension_total = sum(n for (who, scheme, _), n in counts.items() if who == pid and scheme == "pension")
        derived = {
            "person_id": p.id,
            "sex": p.sex,
            "birth_date": p.birth_date,
            "hukou_region": p.hukou_region,
            "residence_region": p.residence_region,
            "residence_since": p.residence_since,
            "residence_permit_since": p.residence_permit_since,
            "prior_region": p.prior_region,
            "prior_residence_months": p.prior_residence_months,
            "parent_id": parent_of.get(pid) if parent_of.get(pid) in people else None,
            "si_months_local": counts.get((pid, "pension", p.residence_region), 0),
            "si_months_total": pension_total,
            "medical_months_local": counts.get((pid, "medical", p.residence_region), 0),
            "prior_si_months": counts.get((pid, "pension", p.prior_region or ""), 0),
        }
        given = {c.name: p.attributes.get(c.name, c.default if c.optional else None) for c in PERSON_COLUMNS}
        records.append({**given, **derived})
    loose = {c.name: pl.String() if isinstance(c.dtype, pl.Enum) else c.dtype for c in PERSON_COLUMNS}
    return pl.DataFrame(records, schema=loose, orient="row")
