"""Resident self-service: my page (what I get here, what is missing and from when, my points) and my statement."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query
from sqlalchemy import Engine, select

from changzhu.api.access import open_person
from changzhu.api.auth.principal import Principal
from changzhu.api.auth.roles import Role
from changzhu.api.deps import EngineDep, PrincipalDep, SettingsDep
from changzhu.api.errors import NotFound
from changzhu.api.guardians import acts_for
from changzhu.api.overview import statement_of
from changzhu.api.people import person_table
from changzhu.api.routes.eligibility import EARLIEST, LATEST, person_explanation
from changzhu.api.routes.resident_actions import overview_of
from changzhu.api.self_service import missing_items, points_items
from changzhu.domain.lang import Lang
from changzhu.domain.refusals import RefusalCode, refusal
from changzhu.store.audit_reasons import because
from changzhu.store.db import session_scope
from changzhu.store.resident_models import PersonRow

router = APIRouter(prefix="/me", tags=["self-service"])
OnQuery = Annotated[date | None, Query(ge=EARLIEST, le=LATEST, description="date (default today)")]


def _own_key(engine: Engine, principal: Principal) -> str:
    principal.require_role(Role.RESIDENT)
    with session_scope(engine) as session:
        key = session.scalar(select(PersonRow.person_key).where(PersonRow.id == principal.person_id))
    if key is None:
        raise NotFound(refusal(RefusalCode.LOGIN_HAS_NO_PERSON))
    return str(key)


@router.get("/overview", responses={401: {}, 403: {}, 404: {}, 409: {}})
def my_overview(
    engine: EngineDep,
    settings: SettingsDep,
    principal: PrincipalDep,
    on: OnQuery = None,
    lang: Annotated[Lang, Query(description="language of the entitlement labels")] = Lang.ZH,
) -> dict[str, Any]:
    """My page (resident role): as the office's overview, plus what is missing (facts to give, conditions met
    later with the day) and my points in my city's scheme, each item in Chinese and English. The applications are
    mine and my linked minor children's (I act for them as guardian). Someone handed over to another province's
    instance (`record.moved_out`: where to, from when) has both null: they are decided where they live now, not
    here, which is no "nothing missing" and no "no points scheme"."""
    person = open_person(engine, principal, _own_key(engine, principal), because("self_service"))
    day = on or date.today()
    mine = tuple(acts_for(engine, principal))
    zh, en = (person_explanation(engine, settings, person, day, None, x) for x in (Lang.ZH, Lang.EN))
    page = overview_of(engine, person, zh if lang == Lang.ZH else en, mine)
    if person.moved_out_by is not None:
        return {**page, "missing": None, "points": None}
    return {
        **page,
        "missing": missing_items(person_table(engine, person.id), person.id, day, zh, en),
        "points": points_items(zh, en),
    }


@router.get("/statement", responses={401: {}, 403: {}, 404: {}})
def my_statement(engine: EngineDep, principal: PrincipalDep, on: OnQuery = None) -> dict[str, Any]:
    """My account statement as data (the page prints it): balances, months by scheme and place, school years,
    vouchers and transfers."""
    person = open_person(engine, principal, _own_key(engine, principal), because("own_statement"))
    return statement_of(engine, person, on or date.today())
