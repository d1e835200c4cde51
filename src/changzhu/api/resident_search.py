"""Finding residents: by name, identity number, person key or phone through keyed hashes, paged and sorted.

`by=auto` reads the text: 18 characters of an identity number, 11 digits of a mobile number, 32 hex digits of a
person key, anything else a name. Names and numbers are matched through their keyed hash only (an exact match of
the normalised text), never by reading clear text. Names are shown to caseworkers and administrators, the roles
that may open personal records (api/access.py); each search that shows them is audited.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy import ColumnElement, Engine, Select, func, or_, select, true
from sqlalchemy.orm import InstrumentedAttribute

from changzhu.api.auth.principal import Principal
from changzhu.api.auth.roles import NATIONAL_SCOPE
from changzhu.api.errors import ApiError
from changzhu.domain.refusals import RefusalCode, refusal
from changzhu.registry.contact import contact_hash, normalise, unseal
from changzhu.registry.identity import identity_keys, parse_id_number
from changzhu.registry.region_names import region_names
from changzhu.store.db import session_scope
from changzhu.store.resident_models import PersonRow, TransferRow

MAX_NAME_SORT = 5000  # sorting by name decrypts every match: above this, narrow the search first
_ID = re.compile(r"^\d{17}[\dXx]$")
_PHONE = re.compile(r"^(\+?86)?1\d{10}$")
_KEY = re.compile(r"^[0-9a-f]{32}$")


class SearchBy(StrEnum):
    """What the search text is."""

    AUTO = "auto"
    NAME = "name"
    ID_NUMBER = "id_number"
    PERSON_KEY = "person_key"
    PHONE = "phone"


class SortBy(StrEnum):
    """Orders of the resident list."""

    PERSON_KEY = "person_key"
    NAME = "name"
    BIRTH_DATE = "birth_date"
    RESIDENCE_SINCE = "residence_since"


class TooManyToSort(ApiError):
    """Sorting by name would decrypt too many names: narrow the search."""

    http_status = 422
    kind = "invalid_request"


@dataclass(frozen=True)
class Search:
    """A search request: text and kind, region, order and page."""

    q: str | None
    by: SearchBy
    region: str | None
    sort: SortBy
    descending: bool
    offset: int
    limit: int


def detect(text: str) -> SearchBy:
    """The kind of a search text (identity number, phone, person key, else name)."""
    compact = re.sub(r"[\s\-]", "", text)
    if _ID.match(compact):
        return SearchBy.ID_NUMBER
    if _PHONE.match(compact):
        return SearchBy.PHONE
    if _KEY.match(compact.lower()):
        return SearchBy.PERSON_KEY
    return SearchBy.NAME


def match_condition(text: str, by: SearchBy) -> ColumnElement[bool]:
    """The WHERE condition of one search text, through the keyed hash where the value is secret."""
    kind = detect(text) if by == SearchBy.AUTO else by
    if kind == SearchBy.ID_NUMBER:
        return PersonRow.id_hash == identity_keys().lookup_hash(parse_id_number(text))
    if kind == SearchBy.PERSON_KEY:
        return PersonRow.person_key == text.strip().lower()
    if kind == SearchBy.PHONE:
        return PersonRow.phone_hash == contact_hash("phone", normalise("phone", text))
    return PersonRow.name_hash == contact_hash("name", normalise("name", text))


def scope_prefix(scope: str) -> str:
    """The leading digits every region code inside a jurisdiction shares (a province: 2, a prefecture: 4)."""
    return scope[:2] if scope.endswith("0000") else scope[:4] if scope.endswith("00") else scope


def region_within(column: InstrumentedAttribute[Any], scope: str) -> ColumnElement[bool]:
    """Rows whose region `column` lies in one jurisdiction (the whole country: every row)."""
    return true() if scope == NATIONAL_SCOPE else column.like(scope_prefix(scope) + "%")


def scope_condition(scope: str) -> ColumnElement[bool]:
    """People living in, or applying to move to, one jurisdiction."""
    if scope == NATIONAL_SCOPE:
        return PersonRow.id.is_not(None)
    prefix = scope_prefix(scope)
    moving_in = select(TransferRow.person_id).where(
        TransferRow.to_region.like(prefix + "%"), TransferRow.status == "applied"
    )
    return or_(PersonRow.residence_region.like(prefix + "%"), PersonRow.id.in_(moving_in))


def _filtered(principal: Principal, search: Search) -> Select[PersonRow]:
    query = select(PersonRow).where(or_(*[scope_condition(s) for s in principal.scopes]))
    if search.region is not None:
        query = query.where(PersonRow.residence_region.startswith(scope_prefix(search.region)))
    if search.q:
        query = query.where(match_condition(search.q, search.by))
    return query


_ORDER = {
    SortBy.PERSON_KEY: PersonRow.person_key,
    SortBy.BIRTH_DATE: PersonRow.birth_date,
    SortBy.RESIDENCE_SINCE: PersonRow.residence_since,
}


def person_item(person: PersonRow, names: dict[str, tuple[str, str | None]], show_name: bool) -> dict[str, Any]:
    """One resident as the list shows them (name only when the caller may see it)."""
    hukou, residence = names.get(person.hukou_region), names.get(person.residence_region)
    return {
        "person_key": person.person_key,
        "name": unseal(person.name_cipher, person.name_hash) if show_name else None,
        "sex": person.sex,
        "birth_date": person.birth_date,
        "hukou_region": person.hukou_region,
        "hukou_region_name": hukou[0] if hukou else None,
        "hukou_region_name_en": hukou[1] if hukou else None,
        "residence_region": person.residence_region,
        "residence_region_name": residence[0] if residence else None,
        "residence_region_name_en": residence[1] if residence else None,
        "residence_since": person.residence_since,
        "residence_permit_since": person.residence_permit_since,
        "moved_out": person.moved_out_by is not None,  # handed over to another province's instance: history here
    }


def search_residents(engine: Engine, principal: Principal, search: Search) -> tuple[list[dict[str, Any]], int]:
    """One page of matching residents in the caller's reach, and how many match in all."""
    query = _filtered(principal, search)
    with session_scope(engine) as session:
        total = int(session.scalar(select(func.count()).select_from(query.subquery())) or 0)
        if search.sort == SortBy.NAME:
            if total > MAX_NAME_SORT:
                raise TooManyToSort(refusal(RefusalCode.TOO_MANY_TO_SORT, limit=MAX_NAME_SORT, total=total))
            people = list(session.scalars(query.order_by(PersonRow.id)))
            people.sort(key=lambda p: unseal(p.name_cipher, p.name_hash) or "", reverse=search.descending)
            page = people[search.offset : search.offset + search.limit]
        else:
            column = _ORDER[search.sort]
            ordered = query.order_by(column.desc() if search.descending else column.asc(), PersonRow.id)
            page = list(session.scalars(ordered.offset(search.offset).limit(search.limit)))
        names = region_names(session, {c for p in page for c in (p.hukou_region, p.residence_region)})
        return [person_item(p, names, show_name=True) for p in page], total
