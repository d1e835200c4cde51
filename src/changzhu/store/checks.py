"""The checks every registry and ledger write makes: the region exists, the person exists (and is locked)."""

from __future__ import annotations

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from changzhu.domain.regions import validate_code
from changzhu.errors import ChangzhuError
from changzhu.store.models import RegionRow
from changzhu.store.resident_models import PersonRow


class RegistryError(ChangzhuError, ValueError):
    """A registry or ledger operation that cannot be done as asked (the message says why)."""


class UnknownPerson(RegistryError):
    """No registered person has this key or identity number."""


def check_regions(session: Session, codes: dict[str, str]) -> None:
    """Each code (by field name) a well-formed prefecture-level code, known if the regions table is loaded.

    One query: whether any prefecture is loaded, and whether each code is one.
    """
    for field, code in codes.items():
        try:
            validate_code(code)
        except ChangzhuError as exc:
            raise RegistryError(f"{field}: {exc}") from exc
    prefecture = RegionRow.level == "prefecture"
    distinct = sorted(set(codes.values()))
    row = session.execute(
        select(exists().where(prefecture), *(exists().where(prefecture, RegionRow.code == c) for c in distinct))
    ).one()
    if row[0]:
        known = dict(zip(distinct, row[1:], strict=True))
        for field, code in codes.items():
            if not known[code]:
                raise RegistryError(f"{field}: {code} is not a known prefecture-level region")


def check_region(session: Session, code: str, field: str) -> str:
    """A well-formed prefecture-level code, known if the regions table is loaded."""
    check_regions(session, {field: code})
    return code


def lock_person(session: Session, person_key: str) -> PersonRow:
    """The person's row, locked for the rest of the transaction (FOR UPDATE on PostgreSQL)."""
    row = session.execute(select(PersonRow).where(PersonRow.person_key == person_key).with_for_update()).scalar()
    if row is None:
        raise UnknownPerson(f"no registered person with key {person_key!r}")
    return row
