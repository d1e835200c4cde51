"""Households: who is linked to whom as parent and child (家庭关系), and which linked children are minors.

Links are written by `residents.link_household` (audited); a parent is the guardian (监护人) of a linked child
until the child reaches the age of majority (`registry.guardianship.adult_age_years`, 《民法典》第十七条、第二十七条).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Engine, select

from changzhu.parameters import parameter_tree
from changzhu.registry.residents import years_after
from changzhu.store.db import session_scope
from changzhu.store.resident_models import HouseholdLinkRow, PersonRow

ADULT_AGE = "registry.guardianship.adult_age_years"


@dataclass(frozen=True)
class Household:
    """A person's linked parents and children (detached rows, oldest first)."""

    parents: list[PersonRow]
    children: list[PersonRow]


def household(engine: Engine, person_id: int) -> Household:
    """The parents and children linked to the person."""
    parents = select(PersonRow).join(HouseholdLinkRow, HouseholdLinkRow.parent_id == PersonRow.id)
    children = select(PersonRow).join(HouseholdLinkRow, HouseholdLinkRow.child_id == PersonRow.id)
    order = (PersonRow.birth_date, PersonRow.id)
    with session_scope(engine) as session:
        found = Household(
            list(session.scalars(parents.where(HouseholdLinkRow.child_id == person_id).order_by(*order))),
            list(session.scalars(children.where(HouseholdLinkRow.parent_id == person_id).order_by(*order))),
        )
        session.expunge_all()
    return found


def is_minor(person: PersonRow, on: date) -> bool:
    """Whether the person is under the age of majority on `on` (by the parameter in force where they live)."""
    adult = int(parameter_tree().number(ADULT_AGE, on, region=person.residence_region))
    return on < years_after(person.birth_date, adult)


def minor_children(engine: Engine, parent_id: int, on: date) -> list[PersonRow]:
    """The parent's linked children who are minors on `on`: those the parent may act for."""
    return [child for child in household(engine, parent_id).children if is_minor(child, on)]
