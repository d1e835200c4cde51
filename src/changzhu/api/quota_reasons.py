"""What the reader of a published quota run is told of an applicant left out because she moved to another province.

A run keeps each "not ranked" reason as it was made when the run was published: its code and parameters and its text
in each language. For a person handed over to another province's instance (跨省通办) that reason is
`person_moved_out`, naming her new city and the day she moved, when the publishing city's staff could see her, and
runs published before readers were told apart kept it for everyone. The reason shown is decided again for whoever
reads the run, from the code and the person's row (docs/api.md, "Who may change what"): a reader who may not see her
now (`access.may_see`) gets `person_moved_out_elsewhere` (moved to another province, no place, no date) instead,
whatever the stored text says. Nothing stored is rewritten: the run and its audit record stay as published.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from changzhu.api.access import may_see
from changzhu.api.auth.principal import Principal
from changzhu.casework.quota_runs import moved_elsewhere_reason
from changzhu.domain.refusals import RefusalCode
from changzhu.store.resident_models import PersonRow

NAMES_THE_PLACE = RefusalCode.PERSON_MOVED_OUT.value


def _names_the_place(entry: Mapping[str, Any]) -> bool:
    reason = entry.get("reason")
    return isinstance(reason, Mapping) and reason.get("code") == NAMES_THE_PLACE


def told_not_ranked(session: Session, principal: Principal, entries: Iterable[Mapping[str, Any]]) -> list[Any]:
    """The "not ranked" entries of a run as `principal` may read them: a reason naming where a moved-out person
    went is kept only for a reader who may see her; anyone else (or a person no longer on file) reads that she
    moved to another province. Other entries are returned as they are."""
    listed = list(entries)
    keys = {str(e.get("person_key")) for e in listed if _names_the_place(e)}
    if not keys:
        return listed
    rows = session.scalars(select(PersonRow).where(PersonRow.person_key.in_(keys)))
    seen = {row.person_key for row in rows if may_see(session, principal, row)}
    elsewhere = moved_elsewhere_reason()
    return [
        {**e, "reason": elsewhere} if _names_the_place(e) and str(e.get("person_key")) not in seen else e
        for e in listed
    ]


def told_rule(session: Session, principal: Principal, rule: Mapping[str, Any] | None) -> Any:
    """A run's `rule` (as stored, or as its audit record holds it) with its "not ranked" reasons told to
    `principal` (`told_not_ranked`); a rule without them as it is."""
    if not isinstance(rule, Mapping) or not isinstance(rule.get("not_ranked"), list):
        return rule
    return {**rule, "not_ranked": told_not_ranked(session, principal, rule["not_ranked"])}
