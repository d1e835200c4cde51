"""The checks every registry and ledger write makes: the region exists, the person exists (and is locked)."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from sqlalchemy import Select, bindparam, event, exists, select
from sqlalchemy.orm import Session, SessionTransaction

from changzhu.domain.refusals import CodedError, Refusal, RefusalCode, refusal
from changzhu.domain.regions import validate_code
from changzhu.errors import ChangzhuError
from changzhu.store.models import RegionRow
from changzhu.store.resident_models import PersonRow

_log = logging.getLogger(__name__)

_KNOWN_KEY = "changzhu.regions_known"  # codes found in this transaction (session.info; forgotten when it ends)


class RegistryError(CodedError, ValueError):
    """A registry or ledger operation that cannot be done as asked (the message says why). Given a Refusal, the
    message is its English and `refusal` keeps it for the import's report and the API in both languages."""


class UnknownPerson(RegistryError):
    """No registered person has this key or identity number."""


class PersonMovedOut(RegistryError):
    """The person was handed over to another province's instance (跨省通办): their record here is history.

    Its message names where she went and since when: written for a caller who may see her. `person_key` says whom
    it is about, so that the API tells any other caller less (api/write_access.py, `told_of_move`). `told` says
    that this answer was decided for the caller it goes to; the API answers one that was not (a write that reached
    the lock outside `told_of_move`) as for a key no one has (api/error_handlers.py), never with her new city."""

    http_status = 409

    def __init__(self, reason: str | Refusal, person_key: str | None = None, *, told: bool = False) -> None:
        super().__init__(reason)
        self.person_key = person_key
        self.told = told


def refuse_moved_out(person: PersonRow, *, told: bool = False) -> None:
    """PersonMovedOut for a person handed over to another province's instance (0016): their record here is history
    and takes no writes (docs/ledger.md, "跨省通办 transfers that conserve"). `told`: the caller was found to be one
    who may see her (else the API decides what to tell, `told_of_move`)."""
    if person.moved_out_by is not None:
        on = person.residence_since.isoformat()
        reason = refusal(RefusalCode.PERSON_MOVED_OUT, on=on, region=person.residence_region)
        raise PersonMovedOut(reason, person.person_key, told=told)


def unknown_person(person_key: str) -> UnknownPerson:
    """The error for a person key no one has: its message, which people read, names no key (a 32-hex key says
    nothing to them); the key is written to the server log for whoever follows the request up."""
    _log.info("no registered person with key %s", person_key)
    return UnknownPerson(refusal(RefusalCode.NO_PERSON_WITH_KEY))


@event.listens_for(Session, "after_transaction_end")
def _forget_known(session: Session, _transaction: SessionTransaction) -> None:
    session.info.pop(_KNOWN_KEY, None)


def _region_columns(n: int) -> list:
    """Whether any prefecture is loaded, then whether each of n codes (bound as region_0 ...) is one."""
    prefecture = RegionRow.level == "prefecture"
    codes = [exists().where(prefecture, RegionRow.code == bindparam(f"region_{i}")) for i in range(n)]
    return [exists().where(prefecture), *codes]


# Built once per number of codes: the SQL is compiled once per engine and reused.
_REGIONS: dict[int, Select] = {}
_PERSON_AND_REGIONS: dict[tuple[int, Any], Select] = {}


def _regions_query(n: int) -> Select:
    query = _REGIONS.get(n)
    if query is None:
        query = _REGIONS.setdefault(n, select(*_region_columns(n)))
    return query


def _person_query(n: int, joined: Any = None) -> Select:
    query = _PERSON_AND_REGIONS.get((n, joined))
    if query is None:
        entities = [PersonRow] if joined is None else [PersonRow, joined]
        built = select(*entities, *_region_columns(n))
        if joined is not None:
            built = built.outerjoin(joined, joined.person_id == PersonRow.id)
        built = built.where(PersonRow.person_key == bindparam("person_key")).with_for_update(of=PersonRow)
        query = _PERSON_AND_REGIONS.setdefault((n, joined), built)
    return query


def _well_formed(codes: Mapping[str, str]) -> list[str]:
    """The distinct codes to look up (each checked well-formed first), in a stable order."""
    for field, code in codes.items():
        try:
            validate_code(code)
        except ChangzhuError as exc:
            raise RegistryError(refusal(RefusalCode.REGION_CODE_FORM_OF, field=field, code=repr(code))) from exc
    return sorted(set(codes.values()))


def _judge(session: Session, codes: Mapping[str, str], distinct: list[str], found: tuple[bool, ...]) -> None:
    """Raise for the first code that is not a known prefecture (when any is loaded); remember the known ones."""
    if found[0]:
        known = dict(zip(distinct, found[1:], strict=True))
        for field, code in codes.items():
            if not known[code]:
                raise RegistryError(refusal(RefusalCode.NOT_A_PREFECTURE, field=field, code=code))
    session.info.setdefault(_KNOWN_KEY, set()).update(distinct)


def check_regions(session: Session, codes: Mapping[str, str]) -> None:
    """Each code (by field name) a well-formed prefecture-level code, known if the regions table is loaded.

    One query (whether any prefecture is loaded, and whether each code is one), none for codes already found
    in this transaction.
    """
    distinct = _well_formed(codes)
    if set(distinct) <= session.info.get(_KNOWN_KEY, set()):
        return
    row = session.execute(_regions_query(len(distinct)), {f"region_{i}": c for i, c in enumerate(distinct)}).one()
    _judge(session, codes, distinct, tuple(row))


def check_region(session: Session, code: str, field: str) -> str:
    """A well-formed prefecture-level code, known if the regions table is loaded."""
    check_regions(session, {field: code})
    return code


def lock_person(session: Session, person_key: str, regions: Mapping[str, str] | None = None) -> PersonRow:
    """The person's row, locked for the rest of the transaction (FOR UPDATE on PostgreSQL); with `regions`, each
    code is also checked as by check_regions, in the same statement (an unknown person is reported first)."""
    person, _joined = lock_person_with(session, person_key, regions)
    return person


def lock_person_with(
    session: Session, person_key: str, regions: Mapping[str, str] | None = None, joined: Any = None
) -> tuple[PersonRow, Any]:
    """As lock_person, also loading in the same statement the person's row of `joined` (a mapped class keyed by
    person_id; None if the person has none): (person, that row)."""
    codes = regions or {}
    distinct = sorted(set(codes.values()))
    params = {"person_key": person_key, **{f"region_{i}": c for i, c in enumerate(distinct)}}
    row = session.execute(_person_query(len(distinct), joined), params).first()
    if row is None:
        raise unknown_person(person_key)
    refuse_moved_out(row[0])
    found = 1 if joined is None else 2
    if codes:
        _well_formed(codes)
        _judge(session, codes, distinct, tuple(row[found:]))
    return row[0], (row[1] if joined is not None else None)
