"""What an audit record is about, as its writer knows it: the subject's text (what the log filters on and chains
by) with its kind and the fields a reader of the log needs to name it (changzhu.api.audit_names).

Every writer names its subject with one of the functions below, so the text and the fields cannot disagree. Records
written before kinds were kept got theirs from their text once, in migration 0012.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Literal


class SubjectKind(StrEnum):
    """The kinds of thing an audit record can be about (the fields each kind carries in its comment)."""

    PERSON = "person"  # person_key, or person_id (a record that names the person by their row: person:<id>)
    USER = "user"  # username
    REGION = "region"  # regions: [code, ...]
    BETWEEN = "between"  # regions: [payer, payee] (a clearing between two regions)
    QUOTA = "quota"  # region, kind (an application kind), year: a quota run
    VOUCHER = "voucher"  # issuer (region code), serial (the number's digits after the issuer)
    TABLE = "table"  # how (posted, uploaded), people: a table of people decided and not stored
    DATASET = "dataset"  # dataset: a planning dataset's kind
    APPROVAL = "approval"  # approval: a maker–checker item's number
    FILE = "file"  # file: a bulk import's file name
    LEDGER = "ledger"  # the ledger as a whole
    OTHER = "other"  # none of the above: shown as recorded


@dataclass(frozen=True)
class AuditSubject:
    """A subject as recorded: its text, its kind and the kind's fields."""

    text: str
    kind: SubjectKind
    fields: Mapping[str, object] = field(default_factory=dict)


def person(person_key: str) -> AuditSubject:
    """A resident by their key."""
    return AuditSubject(person_key, SubjectKind.PERSON, {"person_key": person_key})


def person_by_id(person_id: int) -> AuditSubject:
    """A resident by their row (a message between offices that names no key)."""
    return AuditSubject(f"person:{person_id}", SubjectKind.PERSON, {"person_id": person_id})


def user(username: str) -> AuditSubject:
    """An account."""
    return AuditSubject(f"user:{username}", SubjectKind.USER, {"username": username})


def regions(codes: Sequence[str]) -> AuditSubject:
    """One or more regions (a listing over an administrator's scopes)."""
    return AuditSubject(f"region:{','.join(codes)}", SubjectKind.REGION, {"regions": list(codes)})


def region(code: str) -> AuditSubject:
    """One region's own record (its medical policy or catalogue), recorded by its bare code."""
    return AuditSubject(code, SubjectKind.REGION, {"regions": [code]})


def between(payer: str, payee: str) -> AuditSubject:
    """A clearing between two regions."""
    return AuditSubject(f"{payer}>{payee}", SubjectKind.BETWEEN, {"regions": [payer, payee]})


def quota(region_code: str, kind: str, year: int) -> AuditSubject:
    """A quota run: a city's ranking of one application kind for one year."""
    return AuditSubject(
        f"quota:{region_code}:{kind}:{year}", SubjectKind.QUOTA, {"region": region_code, "kind": kind, "year": year}
    )


def voucher(number: str, issuer: str, serial: str) -> AuditSubject:
    """A voucher by its number, the region that issued it and the number's serial digits."""
    return AuditSubject(number, SubjectKind.VOUCHER, {"issuer": issuer, "serial": serial})


def table(how: Literal["posted", "uploaded"], people: int) -> AuditSubject:
    """A table of people decided and not stored: posted to the API or uploaded as a file."""
    return AuditSubject(f"{how} table of {people} people", SubjectKind.TABLE, {"how": how, "people": people})


def dataset(kind: str) -> AuditSubject:
    """An uploaded planning dataset (facility, supply, standard, population)."""
    return AuditSubject(f"planning dataset {kind}", SubjectKind.DATASET, {"dataset": kind})


def approval(number: int) -> AuditSubject:
    """A maker–checker item."""
    return AuditSubject(f"approval:{number}", SubjectKind.APPROVAL, {"approval": number})


def file(name: str) -> AuditSubject:
    """A bulk import's file, by its name."""
    return AuditSubject(name, SubjectKind.FILE, {"file": name})


def other(text: str) -> AuditSubject:
    """A subject of none of the kinds above, shown as recorded."""
    return AuditSubject(text, SubjectKind.OTHER)


LEDGER = AuditSubject("ledger", SubjectKind.LEDGER)
