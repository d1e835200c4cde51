"""Households (家庭关系): link a parent and a child, and list a person's linked parents and children.

A link is written by staff covering where both people live (audited as `household.link`); a person's household
is read by the person themself or by staff who may see them (audited). A resident is shown the names of their
linked minor children, whom they act for as guardian (docs/api-office.md, "Households").
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Path
from pydantic import BaseModel, Field
from sqlalchemy import Engine

from changzhu.api.access import may_see, open_person
from changzhu.api.auth.principal import Principal
from changzhu.api.auth.roles import Role
from changzhu.api.client_keys import OptionalClientKey
from changzhu.api.deps import EngineDep, PrincipalDep
from changzhu.api.guardians import acts_for
from changzhu.api.resident_search import person_item
from changzhu.api.write_access import staff_over_resident, told_of_move
from changzhu.domain import field_sizes as sizes
from changzhu.registry.households import household, is_minor
from changzhu.registry.region_names import region_names
from changzhu.registry.residents import link_household
from changzhu.store import audit, audit_subjects
from changzhu.store.audit_reasons import because
from changzhu.store.resident_models import PersonRow
from changzhu.store.txn import write_session

router = APIRouter(tags=["households"])
PersonKey = Annotated[str, Field(min_length=1, max_length=sizes.PERSON_KEY)]


class NewLink(BaseModel):
    """A parent and their child, both registered; a retry with the same idempotency key is a no-op."""

    parent_key: PersonKey
    child_key: PersonKey
    idempotency_key: OptionalClientKey = None


@router.post("/households/links", status_code=201, responses={401: {}, 403: {}, 404: {}, 409: {}})
def link(body: NewLink, engine: EngineDep, principal: PrincipalDep) -> dict[str, object]:
    """Link a parent and a child (caseworkers, administrators covering where each of them lives); a child has at
    most two parents, and a parent is born before the child (messages in Chinese and English)."""
    staff_over_resident(engine, principal, body.parent_key)
    staff_over_resident(engine, principal, body.child_key)
    with told_of_move(engine, principal):
        return link_household(
            engine, body.parent_key, body.child_key, actor=f"user:{principal.username}", key=body.idempotency_key
        )


def _members(
    engine: Engine, principal: Principal, of: str, people: list[PersonRow], guarded: set[int], on: date
) -> list[dict[str, Any]]:
    """Each linked person as a list row, named only for staff who may see them or for their guardian (each name
    shown is audited under that person's key); `name_shown` says whether the name was given to the caller."""
    with write_session(engine) as session:
        names = region_names(session, {c for p in people for c in (p.hukou_region, p.residence_region)})
        rows = []
        for p in people:
            show = p.id in guarded or (principal.role != Role.RESIDENT and may_see(session, principal, p))
            rows.append(
                {
                    **person_item(p, names, show_name=show),
                    "name_shown": show,  # a name of None shown is none on file, not one withheld
                    "minor": is_minor(p, on),
                    "guardian": p.id in guarded,
                }
            )
            if show:
                audit.append(
                    session,
                    actor=f"user:{principal.username}",
                    action="read_personal_data",
                    subject=audit_subjects.person(p.person_key),
                    details={"purpose": "household member", "of": of, "role": principal.role.value},
                    reason=because("household_member"),
                )
    return rows


@router.get("/residents/{person_key}/household", responses={401: {}, 403: {}, 404: {}})
def members(
    person_key: Annotated[str, Path(max_length=sizes.PERSON_KEY)], engine: EngineDep, principal: PrincipalDep
) -> dict[str, Any]:
    """The person's linked parents and children, each with `minor` (today) and `guardian` (the calling resident
    acts for them: apply for a school place); the person themself or staff who may see them; audited."""
    person = open_person(engine, principal, person_key, because("view_household"))
    found, today = household(engine, person.id), date.today()
    guarded = set(acts_for(engine, principal)) - {person.id} if principal.person_id == person.id else set()
    return {
        "person_key": person.person_key,
        "parents": _members(engine, principal, person.person_key, found.parents, set(), today),
        "children": _members(engine, principal, person.person_key, found.children, guarded, today),
    }
