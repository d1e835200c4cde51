"""The audit log for administrators: entries within their reach, and verification of the hash chains."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel
from sqlalchemy import ColumnElement, Engine, String, cast, func, literal, or_, select
from sqlalchemy.orm import Session

from changzhu.api.audit_names import RecordedSubject, actor_shown, name_subjects
from changzhu.api.auth.accounts import within_reach
from changzhu.api.auth.principal import Principal
from changzhu.api.auth.roles import Role
from changzhu.api.deps import EngineDep, LimitQuery, OffsetQuery, PrincipalDep
from changzhu.api.export import FILE_RESPONSES, ExportFormat, FormatQuery, records_file
from changzhu.api.pagination import Page
from changzhu.api.quota_reasons import told_rule
from changzhu.api.resident_search import scope_condition, scope_prefix
from changzhu.store import audit
from changzhu.store.audit_reasons import shown
from changzhu.store.audit_subjects import SubjectKind
from changzhu.store.auth_models import UserRow
from changzhu.store.db import session_scope
from changzhu.store.resident_models import AuditRow, PersonRow

router = APIRouter(prefix="/audit", tags=["audit"])
Text = Annotated[str | None, Query(min_length=1, max_length=160)]
QUOTA_RUN_PUBLISH = "quota_run_publish"  # its details hold the run's rule, "not ranked" reasons and all


class SubjectRegion(BaseModel):
    """One region a subject names: its code and names (000000: the whole country)."""

    code: str
    name_zh: str
    name_en: str


class SubjectVoucher(BaseModel):
    """A voucher subject: its number grouped for reading, its service as recorded (the office labels it; None: the
    voucher is not in this store) and the region that issued it."""

    number: str
    service: str | None
    issuer: SubjectRegion


class AuditEntry(BaseModel):
    """One record of the log: when, who, what, about whom, why, and its place in its hash chain. `reason` is the
    text the record holds; reason_zh and reason_en the reason in each language (one text typed by a person, or held
    by a record written before reasons had two languages, is shown in both); reason_as_written that the reason is a
    person's own words as they typed them (stored with the record, never guessed from its texts)."""

    id: int
    at: str
    actor: str
    action: str
    subject: str
    reason: str
    reason_zh: str
    reason_en: str
    reason_as_written: bool = False
    details: dict[str, Any]
    chain: int
    seq: int
    subject_name_zh: str | None = None  # a region subject's name(s) (region:440100,510100 → 广州市、成都市), an
    subject_name_en: str | None = None  # account's user name, a quota run's city, kind and year; None: as recorded
    subject_kind: str = "other"  # region, between, user, person, quota, voucher, table, dataset, approval, file,
    # ledger or other (api/audit_names.py)
    subject_regions: list[SubjectRegion] = []  # a region subject's regions (a clearing's payer and payee), named
    subject_voucher: SubjectVoucher | None = None  # a voucher subject's service, issuer and number
    subject_person_key: str | None = None  # a person subject's key, to open their record (an audited read)
    actor_kind: str = "system"  # user (an account), peer (another office), system (command line, test, simulation)
    actor_name: str = ""  # the account's user name, the office's name, or the actor as recorded
    redacted: bool = False  # about a person out of the reader's reach: subject, reason and details withheld


class AuditVerification(BaseModel):
    """Whether every chain still hashes as written (and matches the signed checkpoints), and the first problem."""

    ok: bool
    records: int
    problem: str | None


@dataclass(frozen=True)
class Reach:
    """What of the log a regional administrator sees: records about resources in their jurisdiction (people living
    in or moving to it, its accounts, its regions), and their own staff's records about anything else, a person
    out of reach redacted (docs/api.md, "Decisions of the security audit")."""

    scopes: tuple[str, ...]
    about: ColumnElement[bool]  # the record's subject lies in the jurisdiction
    by_staff: ColumnElement[bool]  # the record was written by an account in the jurisdiction
    residents_out: frozenset[str]  # the subjects (user:NAME) of resident accounts of people out of reach

    def people_in_reach(self, session: Session, subjects: list[RecordedSubject]) -> set[str]:
        """The texts of the person subjects among `subjects` who live in (or are moving to) the jurisdiction."""
        keys = {str(s.fields["person_key"]): s.text for s in subjects if "person_key" in s.fields}
        ids = {int(s.fields["person_id"]): s.text for s in subjects if "person_id" in s.fields}
        if not keys and not ids:
            return set()
        found = session.execute(
            select(PersonRow.person_key, PersonRow.id).where(
                or_(PersonRow.person_key.in_(keys), PersonRow.id.in_(ids)),
                or_(*[scope_condition(s) for s in self.scopes]),
            )
        )
        rows = found.all()
        return {keys[key] for key, _ in rows if key in keys} | {ids[pid] for _, pid in rows if pid in ids}


def _reach(engine: Engine, principal: Principal) -> Reach | None:
    """The administrator's reach over the log; None for a national administrator (everything)."""
    if principal.is_national:
        return None
    with session_scope(engine) as session:
        rows = list(session.scalars(select(UserRow)))
        session.expunge_all()
    in_reach = {f"user:{r.username}": within_reach(engine, principal, r) for r in rows}
    accounts = [subject for subject, reached in in_reach.items() if reached]
    residents_out = frozenset(
        f"user:{r.username}" for r in rows if r.person_id is not None and not in_reach[f"user:{r.username}"]
    )
    people = select(PersonRow.person_key).where(or_(*[scope_condition(s) for s in principal.scopes]))
    people_by_id = select(literal("person:") + cast(PersonRow.id, String)).where(
        or_(*[scope_condition(s) for s in principal.scopes])
    )
    regions = [AuditRow.subject.like(f"region:{scope_prefix(s)}%") for s in principal.scopes]
    about = or_(
        AuditRow.subject.in_(people), AuditRow.subject.in_(people_by_id), AuditRow.subject.in_(accounts), *regions
    )
    return Reach(principal.scopes, about, AuditRow.actor.in_(accounts), residents_out)


REDACTED_ZH, REDACTED_EN = "辖区外的居民", "a resident outside your jurisdiction"


def _redact(item: AuditEntry) -> None:
    """Keep who did what, when and in which chain; drop whom it was about and what was recorded of them."""
    item.subject, item.reason, item.reason_zh, item.reason_en, item.details = "", "", "", "", {}
    item.reason_as_written = False
    item.subject_person_key, item.redacted = None, True
    item.subject_name_zh, item.subject_name_en = REDACTED_ZH, REDACTED_EN


def _details(text: str) -> dict[str, Any]:
    try:
        parsed = json.loads(text)
    except ValueError:
        return {"text": text}
    return parsed if isinstance(parsed, dict) else {"value": parsed}


def _entry(r: AuditRow) -> AuditEntry:
    details = _details(r.details)
    said = shown(r.reason, details)
    actor_kind, actor_name = actor_shown(r.actor)
    return AuditEntry(
        id=r.id,
        at=r.at,
        actor=r.actor,
        action=r.action,
        subject=r.subject,
        reason=r.reason,
        reason_zh=said.zh,
        reason_en=said.en,
        reason_as_written=r.reason_as_written,
        details=details,
        chain=r.chain,
        seq=r.seq,
        actor_kind=actor_kind,
        actor_name=actor_name,
    )


@router.get("", response_model=Page[AuditEntry], responses={401: {}, 403: {}, **FILE_RESPONSES})
def audit_log(
    engine: EngineDep,
    principal: PrincipalDep,
    actor: Text = None,
    subject: Text = None,
    action: Annotated[str | None, Query(min_length=1, max_length=40)] = None,
    limit: LimitQuery = 50,
    offset: OffsetQuery = 0,
    fmt: FormatQuery = ExportFormat.JSON,
) -> Page[AuditEntry] | Response:
    """Audit records in the administrator's reach, newest first, filtered by actor, subject or action."""
    principal.require_role(Role.ADMINISTRATOR)
    query = select(AuditRow)
    reach = _reach(engine, principal)
    if reach is not None:  # a subject asked for by name is one in reach: no filter finds who is registered elsewhere
        query = query.where(reach.about if subject is not None else or_(reach.about, reach.by_staff))
    if actor is not None:  # an account by its user name as the log shows it (cw_gz), or as recorded (user:cw_gz)
        query = query.where(AuditRow.actor.in_([actor, f"user:{actor}"]))
    for column, value in ((AuditRow.subject, subject), (AuditRow.action, action)):
        if value is not None:
            query = query.where(column == value)
    with session_scope(engine) as session:
        total = int(session.scalar(select(func.count()).select_from(query.subquery())) or 0)
        rows = session.scalars(query.order_by(AuditRow.at.desc(), AuditRow.id.desc()).offset(offset).limit(limit))
        recorded = [(_entry(r), RecordedSubject.of(r.subject, r.subject_kind, r.subject_fields)) for r in rows]
        items = [item for item, _subject in recorded]
        names = name_subjects(session, (subject for _item, subject in recorded))
        people = [s for _item, s in recorded if s.kind == SubjectKind.PERSON]
        hidden = set() if reach is None else {s.text for s in people} - reach.people_in_reach(session, people)
        for item in items:  # a published run's record holds its "not ranked" reasons as the run kept them
            if item.action == QUOTA_RUN_PUBLISH and "rule" in item.details:
                item.details = {**item.details, "rule": told_rule(session, principal, item.details["rule"])}
    if reach is not None:  # a resident's account names the person (its default user name is their key's start)
        hidden |= {item.subject for item in items if item.subject in reach.residents_out}
    for item in items:
        named = names[item.subject]
        item.subject_kind, item.subject_person_key = named.kind, named.person_key
        item.subject_name_zh, item.subject_name_en = named.zh, named.en
        item.subject_regions = [SubjectRegion(code=c, name_zh=zh, name_en=en) for c, zh, en in named.regions]
        if (voucher := named.voucher) is not None:
            code, zh, en = voucher.issuer
            issuer = SubjectRegion(code=code, name_zh=zh, name_en=en)
            item.subject_voucher = SubjectVoucher(number=voucher.number, service=voucher.service, issuer=issuer)
        if item.subject in hidden:
            _redact(item)
    if fmt != ExportFormat.JSON:
        return records_file([i.model_dump(mode="json") for i in items], fmt, "audit")
    return Page[AuditEntry](items=items, total=total, limit=limit, offset=offset)


@router.get("/verify", response_model=AuditVerification, responses={401: {}, 403: {}})
def verify(engine: EngineDep, principal: PrincipalDep) -> AuditVerification:
    """Recompute every hash chain of the log and check the signed checkpoints (administrators)."""
    principal.require_role(Role.ADMINISTRATOR)
    report = audit.verify(engine)
    return AuditVerification(ok=report.ok, records=report.length, problem=report.problem)
