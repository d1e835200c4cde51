"""Applications in the database: submit with a pre-check, take a step of the state machine, read them back.

Every submission and every step is one transaction with its audit record, which names the policy version and
the parameter values the decision used.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import Any

from sqlalchemy import Engine, func, or_, select
from sqlalchemy.orm import Session

from changzhu.casework.applications import (
    ACTION_LABELS,
    APPEAL_DECISIONS,
    DECISIONS,
    KIND_LABELS,
    OPEN,
    STATUS_LABELS,
    Action,
    ApplicationKind,
    IllegalTransition,
    Status,
    next_status,
)
from changzhu.casework.precheck import DECISION_WORDS, precheck
from changzhu.domain.refusals import CodedError, RefusalCode, refusal
from changzhu.domain.regions import region_prefix
from changzhu.registry.region_names import region_labels
from changzhu.store import audit, audit_subjects
from changzhu.store.application_models import ApplicationEventRow, ApplicationRow
from changzhu.store.audit import now_iso
from changzhu.store.audit_reasons import Reason, because
from changzhu.store.db import session_scope
from changzhu.store.resident_models import PersonRow
from changzhu.store.txn import write_session


class ApplicationNotFound(CodedError):
    """No application has this number."""

    http_status = 404


class OwnDecisionAppealed(CodedError):
    """An appeal is decided by someone other than whoever made the decision appealed."""

    http_status = 403


class ReasonRequired(CodedError):
    """An appeal names its grounds; a decision the rules' drafted reason does not support names its own."""

    http_status = 422


class AlreadyOpen(CodedError):
    """A person has at most one open application of a kind: a second one (or an appeal while another is open) is
    refused, naming the open one."""

    http_status = 409


CHINA_TIME = timezone(timedelta(hours=8), "UTC+8")  # China Standard Time, the one legal time of the whole country


def _day(at: str) -> str:
    """The day, in China's time, of a stored UTC time (now_iso): submitted at 2026-12-04T23:30Z, "2026-12-05"."""
    return datetime.fromisoformat(at).astimezone(CHINA_TIME).date().isoformat()


def refuse_second_open(session: Session, person_id: int, kind: str, *, appealing: int | None = None) -> None:
    """AlreadyOpen (409) if the person has an open application (submitted, in review, appealed) of `kind` other than
    `appealing` (the application being appealed): its number, when it was submitted and its state, in both languages.
    The caller holds the lock on the person's row (on SQLite the write lock), so two requests at once cannot both
    pass."""
    query = select(ApplicationRow).where(
        ApplicationRow.person_id == person_id,
        ApplicationRow.kind == kind,
        ApplicationRow.status.in_([s.value for s in OPEN]),
    )
    if appealing is not None:
        query = query.where(ApplicationRow.id != appealing)
    found = session.scalars(query.order_by(ApplicationRow.id).limit(1)).first()
    if found is None:
        return
    status = Status(found.status)
    code = RefusalCode.APPLICATION_ALREADY_OPEN if appealing is None else RefusalCode.APPEAL_WHILE_ANOTHER_OPEN
    raise AlreadyOpen(
        refusal(
            code,
            application_id=found.id,
            submitted=_day(found.submitted_at),
            status_zh=STATUS_LABELS[status][0],
            status_en=STATUS_LABELS[status][1],
            kind_zh=KIND_LABELS[ApplicationKind(kind)][0],
            kind_en=KIND_LABELS[ApplicationKind(kind)][1],
        )
    )


@dataclass(frozen=True)
class Filter:
    """Which applications to list."""

    status: str | None = None
    kind: str | None = None
    region: str | None = None
    person_id: int | None = None
    person_ids: tuple[int, ...] | None = None  # any of these applicants (a resident and their minor children)


def _event(row: ApplicationEventRow) -> dict[str, Any]:
    return {
        "action": row.action,
        "from_status": row.from_status,
        "to_status": row.to_status,
        "actor": row.actor,
        "reason_zh": row.reason_zh,
        "reason_en": row.reason_en,
        "reason_as_written": row.reason_as_written,
        "policy_version": row.policy_version,
        "parameters": row.parameters,
        "at": row.at,
    }


def view(row: ApplicationRow, person_key: str, events: list[ApplicationEventRow] | None = None) -> dict[str, Any]:
    """An application as the API shows it (with its events when given)."""
    out: dict[str, Any] = {
        "id": row.id,
        "person_key": person_key,
        "kind": row.kind,
        "region": row.region,
        "status": row.status,
        "note": row.note,
        "precheck": row.precheck,
        "points": row.points,
        "reason_zh": row.reason_zh,
        "reason_en": row.reason_en,
        "reason_as_written": row.reason_as_written,
        "submitted_by": row.submitted_by,
        "submitted_at": row.submitted_at,
        "updated_at": row.updated_at,
    }
    if events is not None:
        out["events"] = [_event(e) for e in events]
    return out


def _audit(
    session: Any,
    actor: str,
    action: str,
    person_key: str,
    row: ApplicationRow,
    check: Mapping[str, Any],
    said: Reason | str,
) -> None:
    """The audit record of a submission or step; `check` the pre-check it rests on (Precheck.to_dict)."""
    audit.append(
        session,
        actor=f"user:{actor}",
        action=f"application_{action}",
        subject=audit_subjects.person(person_key),
        details={
            "application_id": row.id,
            "kind": row.kind,
            "status": row.status,
            "policy_version": check["policy_version"],
            "parameters": check["parameters"],
            "decision": check["decision"],
        },
        reason=said,
    )


def _step_reason(step: tuple[str, str], zh: str | None, en: str | None, as_written: bool) -> Reason | str:
    """The audit reason of a step: a typed reason as typed (one text), a drafted one in both languages (even where
    its two texts are the same), or the step's name."""
    if zh and as_written:
        return zh
    if zh and en:
        return Reason(zh, en)
    return because("application_step", zh=step[0], en=step[1])


def submit(engine: Engine, person: PersonRow, kind: ApplicationKind, note: str | None, actor: str) -> dict[str, Any]:
    """A new application, pre-checked today, stored as submitted with its first event and audit record; AlreadyOpen
    (409) while the person has an open application of the same kind (checked under the lock on the person's row)."""
    check = precheck(engine, person.id, kind, date.today())
    bounds = (check.points["low"], check.points["high"]) if check.points else (None, None)
    points = check.points["total"] if check.points and bounds[0] is not None and bounds[0] == bounds[1] else None
    with write_session(engine) as session:
        session.get(PersonRow, person.id, with_for_update=True)  # a second submission for her waits here
        refuse_second_open(session, person.id, kind.value)
        at = now_iso()
        row = ApplicationRow(
            person_id=person.id,
            kind=kind.value,
            region=person.residence_region,
            status=Status.SUBMITTED.value,
            note=note,
            precheck=check.to_dict(),
            points=points,
            submitted_by=actor,
            submitted_at=at,
            updated_at=at,
        )
        session.add(row)
        session.flush()
        event = ApplicationEventRow(
            application_id=row.id,
            action="submit",
            from_status=None,
            to_status=row.status,
            actor=actor,
            policy_version=check.policy_version,
            parameters=check.parameters,
            at=at,
        )
        session.add(event)
        said = _step_reason(("提交", "submitted"), None, None, False)
        _audit(session, actor, "submit", person.person_key, row, check.to_dict(), said)
        return view(row, person.person_key, [event])


def load(engine: Engine, application_id: int) -> tuple[ApplicationRow, PersonRow]:
    """The application and its applicant; ApplicationNotFound if there is none."""
    with session_scope(engine) as session:
        found = session.execute(
            select(ApplicationRow, PersonRow)
            .join(PersonRow, PersonRow.id == ApplicationRow.person_id)
            .where(ApplicationRow.id == application_id)
        ).first()
        if found is None:
            raise ApplicationNotFound(refusal(RefusalCode.NO_APPLICATION, application_id=str(application_id)))
        session.expunge_all()
        return found[0], found[1]


def events_of(engine: Engine, application_id: int) -> list[ApplicationEventRow]:
    """The application's events, oldest first."""
    with session_scope(engine) as session:
        rows = session.scalars(
            select(ApplicationEventRow)
            .where(ApplicationEventRow.application_id == application_id)
            .order_by(ApplicationEventRow.id)
        ).all()
        session.expunge_all()
        return list(rows)


def require_other_decider(engine: Engine, application_id: int, actor: str) -> None:
    """Refuse an appeal's decision by whoever made the decision appealed (the last rejection): a colleague or an
    administrator of the region decides it instead."""
    with session_scope(engine) as session:
        rejected_by = session.scalar(
            select(ApplicationEventRow.actor)
            .where(
                ApplicationEventRow.application_id == application_id,
                ApplicationEventRow.action == Action.REJECT.value,
            )
            .order_by(ApplicationEventRow.id.desc())
            .limit(1)
        )
    if rejected_by == actor:
        raise OwnDecisionAppealed(refusal(RefusalCode.APPEAL_DECIDED_BY_OTHER, username=actor))


def draft_reason(engine: Engine, application_id: int) -> dict[str, Any]:
    """The reason drafted from today's explanation of the application (zh/en), the decision it rests on, and the
    facts an undetermined decision still needs (`{input, label_zh, label_en}` each)."""
    row, person = load(engine, application_id)
    check = precheck(engine, person.id, ApplicationKind(row.kind), date.today())
    reasons = {"reason_zh": check.reason_zh, "reason_en": check.reason_en}
    return {**reasons, "decision": check.decision, "needs": check.needs}


# the rules' decision whose drafted reason is the reason of a decision taken without one of its own: granting (approve,
# overturn) rests on "eligible", refusing (reject, uphold) on "not eligible"; "no decision yet" is the reason of neither
_DRAFT_SUPPORTS = {
    Action.APPROVE: "eligible",
    Action.OVERTURN: "eligible",
    Action.REJECT: "not_eligible",
    Action.UPHOLD: "not_eligible",
}


def _draft_supports(action: Action, decision: str) -> None:
    """Refused (422) when the reason drafted from the rules' decision would contradict the step: an approval recorded
    with "the applicant does not meet the conditions" as its reason."""
    if _DRAFT_SUPPORTS[action] == decision:
        return
    zh, en = DECISION_WORDS[decision]
    raise ReasonRequired(
        refusal(
            RefusalCode.DRAFT_CONTRADICTS_DECISION,
            decision_zh=zh,
            decision_en=en,
            action_zh=ACTION_LABELS[action][0],
            action_en=action.value,
        )
    )


def next_step(person: PersonRow, status: Status, action: Action, *, name_place: bool = True) -> Status:
    """The state after `action` on an application of `person` (IllegalTransition, 409, if not allowed). An applicant
    handed over to another province's instance (跨省通办) is decided there, not here: every step is refused naming
    the move (where to and since when only if `name_place`: the caller may see her), but an open application is
    closed as moved out; no one else's application is closed that way."""
    moved = person.moved_out_by is not None
    if moved and action != Action.CLOSE:
        if not name_place:
            raise IllegalTransition(refusal(RefusalCode.APPLICANT_MOVED_OUT_ELSEWHERE))
        on = person.residence_since.isoformat()
        raise IllegalTransition(refusal(RefusalCode.APPLICANT_MOVED_OUT, on=on, region=person.residence_region))
    if not moved and action == Action.CLOSE:
        raise IllegalTransition(refusal(RefusalCode.CLOSE_ONLY_MOVED_OUT, region=person.residence_region))
    return next_status(status, action, moved_out=moved)


def _locked(session: Session, application_id: int, person_id: int) -> tuple[ApplicationRow, PersonRow]:
    """The application and its applicant, both locked for the step (a concurrent step or hand-over waits)."""
    person = session.get(PersonRow, person_id, with_for_update=True)
    stored = session.get(ApplicationRow, application_id, with_for_update=True)
    assert person is not None and stored is not None
    return stored, person


def _record_step(
    session: Session,
    stored: ApplicationRow,
    person_key: str,
    action: Action,
    new: Status,
    actor: str,
    reason: tuple[str | None, str | None, bool],
    check: Mapping[str, Any],
) -> dict[str, Any]:
    """Move the locked application to `new`, with its event (the reason zh, en and whether it is as written; the
    pre-check the step rests on) and audit record; the application as the API shows it."""
    reason_zh, reason_en, as_written = reason
    at = now_iso()
    before = stored.status
    stored.status = new.value
    stored.updated_at = at
    session.add(
        ApplicationEventRow(
            application_id=stored.id,
            action=action.value,
            from_status=before,
            to_status=new.value,
            actor=actor,
            reason_zh=reason_zh,
            reason_en=reason_en,
            reason_as_written=as_written,
            policy_version=check["policy_version"],
            parameters=check["parameters"],
            at=at,
        )
    )
    said = _step_reason(ACTION_LABELS[action], reason_zh, reason_en, as_written)
    _audit(session, actor, action.value, person_key, stored, check, said)
    session.flush()
    return view(stored, person_key)


def transition(
    engine: Engine,
    application_id: int,
    action: Action,
    reason: str | None,
    actor: str,
    *,
    name_place: bool = True,
) -> dict[str, Any]:
    """Take one step; a decision without a reason gets the reason drafted from today's explanation. `name_place`:
    whether the caller may be told where an applicant who moved to another province lives now (a refusal, and the
    reason a close drafts, name no place otherwise)."""
    row, person = load(engine, application_id)
    next_step(person, Status(row.status), action, name_place=name_place)  # refused before the pre-check runs
    reason = reason.strip() if reason and reason.strip() else None  # blanks are no reason: a decision's is drafted
    if action == Action.CLOSE:
        return _close(engine, application_id, person.id, reason, actor, name_place=name_place)
    if action == Action.APPEAL and not (reason and reason.strip()):
        raise ReasonRequired(refusal(RefusalCode.APPEAL_NEEDS_REASON))
    if action in APPEAL_DECISIONS:
        require_other_decider(engine, application_id, actor)
    check = precheck(engine, person.id, ApplicationKind(row.kind), date.today())
    reason_zh, reason_en = (reason, reason) if reason else (None, None)
    as_written = reason is not None  # typed once, kept in both fields; a drafted reason is not
    if reason is None and action in DECISIONS:
        _draft_supports(action, check.decision)
        reason_zh, reason_en = check.reason_zh, check.reason_en
    with write_session(engine) as session:
        stored, applicant = _locked(session, application_id, person.id)
        # again under the locks: a concurrent step, or the applicant's hand-over, may have come first
        new = next_step(applicant, Status(stored.status), action, name_place=name_place)
        if action == Action.APPEAL:  # reopened: not while a new application of the kind is open
            refuse_second_open(session, applicant.id, stored.kind, appealing=stored.id)
        stored.precheck = check.to_dict()
        if action in DECISIONS:
            stored.reason_zh, stored.reason_en, stored.reason_as_written = reason_zh, reason_en, as_written
        result = _record_step(
            session, stored, person.person_key, action, new, actor, (reason_zh, reason_en, as_written), stored.precheck
        )
    return {**result, "events": [_event(e) for e in events_of(engine, application_id)]}


def _close(
    engine: Engine, application_id: int, person_id: int, reason: str | None, actor: str, *, name_place: bool
) -> dict[str, Any]:
    """Close an open application of an applicant who moved to another province: its reason the move (where to and
    from when, by name, if `name_place`; else that she moved to another province) or the caseworker's own words;
    the pre-check on file stays, as the close decides nothing under the rules of a place the applicant no longer
    lives in."""
    with write_session(engine) as session:
        stored, applicant = _locked(session, application_id, person_id)
        new = next_step(applicant, Status(stored.status), Action.CLOSE, name_place=name_place)
        if reason is None and not name_place:
            drafted = because("application_moved_out_elsewhere")
            said = (drafted.zh, drafted.en, False)
        elif reason is None:
            place = region_labels(session, {applicant.residence_region}).get(applicant.residence_region)
            zh, en = place or (applicant.residence_region, applicant.residence_region)
            drafted = because(
                "application_moved_out", on=applicant.residence_since.isoformat(), place_zh=zh, place_en=en
            )
            said = (drafted.zh, drafted.en, False)
        else:
            said = (reason, reason, True)
        stored.reason_zh, stored.reason_en, stored.reason_as_written = said
        result = _record_step(session, stored, applicant.person_key, Action.CLOSE, new, actor, said, stored.precheck)
    return {**result, "events": [_event(e) for e in events_of(engine, application_id)]}


def listing(engine: Engine, where: Filter, regions: list[str] | None, offset: int, limit: int) -> dict[str, Any]:
    """A page of applications matching `where`; `regions` (region-code prefixes) limits staff to their reach."""
    query = select(ApplicationRow, PersonRow.person_key).join(PersonRow, PersonRow.id == ApplicationRow.person_id)
    if where.status:
        query = query.where(ApplicationRow.status == where.status)
    if where.kind:
        query = query.where(ApplicationRow.kind == where.kind)
    if where.region:
        query = query.where(ApplicationRow.region.startswith(region_prefix(where.region)))
    if where.person_id is not None:
        query = query.where(ApplicationRow.person_id == where.person_id)
    if where.person_ids is not None:
        query = query.where(ApplicationRow.person_id.in_(where.person_ids))
    if regions is not None:
        query = query.where(or_(*[ApplicationRow.region.startswith(p) for p in regions]))
    with session_scope(engine) as session:
        total = int(session.scalar(select(func.count()).select_from(query.subquery())) or 0)
        rows = session.execute(query.order_by(ApplicationRow.id).offset(offset).limit(limit)).all()
        items = [view(r, str(key)) for r, key in rows]
    return {"items": items, "total": total, "offset": offset, "limit": limit}
