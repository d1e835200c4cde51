"""Who and what an audit record is about, as a reader of the log sees it: accounts by user name, regions by name,
quota runs by their city, kind and year; a person by no name (docs/api-office.md, "The audit log")."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from changzhu.api.auth.roles import NATIONAL_SCOPE
from changzhu.api.resident_search import region_names
from changzhu.casework.applications import KIND_LABELS, ApplicationKind
from changzhu.store.resident_models import PersonRow

USER, PEER, REGION, PERSON, QUOTA = "user:", "peer:", "region:", "person:", "quota:"
NATIONWIDE = ("全国", "nationwide")
_KEY = re.compile(r"^[0-9a-f]{32}$")
_CODE = re.compile(r"^\d{6}$")


@dataclass(frozen=True)
class Named:
    """A subject as shown: its kind, its name in each language (None: shown as recorded), a person's key."""

    kind: str  # region, user, person, quota, other
    zh: str | None = None
    en: str | None = None
    person_key: str | None = None
    regions: tuple[tuple[str, str, str], ...] = ()  # a region subject's (code, Chinese name, English name)


def actor_shown(actor: str) -> tuple[str, str]:
    """(kind, name) of an actor: an account by its user name, another office by its name, else a system process
    (the command line, a test or simulation run) as recorded."""
    for prefix, kind in ((USER, "user"), (PEER, "peer")):
        if actor.startswith(prefix):
            return kind, actor.removeprefix(prefix)
    return "system", actor


def _region_codes(subject: str) -> list[str] | None:
    """The region codes a region subject names (region:440100, region:440100,510100, a bare 440100); else None."""
    body = subject.removeprefix(REGION)
    codes = body.split(",")
    if (subject.startswith(REGION) or len(codes) == 1) and all(_CODE.match(c) for c in codes):
        return codes
    return None


def _quota(subject: str) -> tuple[str, str, str] | None:
    """(region, kind, year) of a quota run's subject quota:440100:points:2026."""
    parts = subject.removeprefix(QUOTA).split(":")
    if subject.startswith(QUOTA) and len(parts) == 3 and _CODE.match(parts[0]):
        return parts[0], parts[1], parts[2]
    return None


def name_subjects(session: Session, subjects: set[str]) -> dict[str, Named]:
    """Each subject named for the log's reader (one query for the regions, one for people recorded by number)."""
    codes = {c for s in subjects for c in (_region_codes(s) or [])}
    codes |= {q[0] for s in subjects if (q := _quota(s))}
    names = region_names(session, codes - {NATIONAL_SCOPE})
    names[NATIONAL_SCOPE] = NATIONWIDE
    ids = {int(s.removeprefix(PERSON)) for s in subjects if s.startswith(PERSON) and s[len(PERSON) :].isdigit()}
    rows = session.execute(select(PersonRow.id, PersonRow.person_key).where(PersonRow.id.in_(ids))).all()
    keys = {int(person_id): str(key) for person_id, key in rows}
    out = {}
    for subject in subjects:
        out[subject] = _named(subject, names, keys)
    return out


def _named(subject: str, names: dict[str, tuple[str, str | None]], keys: dict[int, str]) -> Named:
    if _KEY.match(subject):
        return Named("person", person_key=subject)
    if subject.startswith(PERSON) and subject[len(PERSON) :].isdigit():
        return Named("person", person_key=keys.get(int(subject[len(PERSON) :])))
    if subject.startswith(USER):
        return Named("user", subject.removeprefix(USER), subject.removeprefix(USER))
    if (codes := _region_codes(subject)) and all(c in names for c in codes):
        regions = tuple((c, names[c][0], names[c][1] or names[c][0]) for c in codes)
        zh, en = "、".join(r[1] for r in regions), ", ".join(r[2] for r in regions)
        return Named("region", zh, en, regions=regions)
    quota = _quota(subject)
    if quota and quota[0] in names and quota[1] in set(ApplicationKind):
        (region_zh, region_en), (kind_zh, kind_en) = names[quota[0]], KIND_LABELS[ApplicationKind(quota[1])]
        zh = f"{region_zh} {kind_zh} {quota[2]}年排名"
        en = f"{region_en or region_zh}, {kind_en}, ranking of {quota[2]}"
        return Named("quota", zh, en)
    return Named("other")
