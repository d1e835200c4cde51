"""Maker–checker: an item above its threshold is held, and takes effect only when a different user with the
right role and jurisdiction approves it (docs/api.md, "Financial controls").

Held kinds and who may approve them:
- voucher.issue: caseworkers or administrators of the issuing region (whose budget pays);
- medical.settle: caseworkers or administrators of the insured region (whose fund pays);
- residence.move: staff of the region the person lives in now, or the person themself.
Never the user who made the request.
"""

from __future__ import annotations

import uuid
from datetime import date
from enum import StrEnum
from typing import Any

from sqlalchemy import Engine, select, update
from sqlalchemy.exc import IntegrityError

from changzhu.api.access import audit_listing
from changzhu.api.access import may_see as may_open_record
from changzhu.api.auth.principal import Principal
from changzhu.api.auth.roles import Role
from changzhu.api.controls import controls_for
from changzhu.api.errors import Conflict, Forbidden, NotFound
from changzhu.api.write_access import person_facts, told_of_move
from changzhu.domain.masking import mask
from changzhu.domain.refusals import RefusalCode, refusal
from changzhu.ledger.budgets import BudgetKind
from changzhu.ledger.medical import settle_bill
from changzhu.ledger.vouchers import issue_voucher
from changzhu.registry.contact import unseal
from changzhu.registry.identity import identity_keys
from changzhu.registry.region_names import region_names
from changzhu.registry.residents import ProofKind, record_move
from changzhu.rules.scenario import Scenario
from changzhu.store import audit, audit_subjects
from changzhu.store.approval_models import PendingApprovalRow
from changzhu.store.audit_reasons import because
from changzhu.store.db import session_scope
from changzhu.store.resident_models import AuditRow, PersonRow
from changzhu.store.txn import IdempotencyConflict, request_hash, write_session

CHECKERS = (Role.CASEWORKER, Role.ADMINISTRATOR)


class HeldKind(StrEnum):
    """What a held item does when approved."""

    VOUCHER = "voucher.issue"
    SETTLEMENT = "medical.settle"
    MOVE = "residence.move"


def view(row: PendingApprovalRow, replayed: bool = False) -> dict[str, Any]:
    """A held item as the API shows it."""
    return {
        "approval_id": row.id,
        "kind": row.kind,
        "status": row.status,
        "region": row.region,
        "amount_fen": row.amount_fen,
        "request": row.request,
        "maker": row.maker,
        "checker": row.checker,
        "note": row.note,
        "result": row.result,
        "created_at": row.created_at,
        "decided_at": row.decided_at,
        "replayed": replayed,
    }


def view_for(principal: Principal, row: PendingApprovalRow, replayed: bool = False) -> dict[str, Any]:
    """A held item as `principal` may see it: a move's region (where the person lives now) only to the person and
    staff covering it; its maker, where the person arrives, is not told where they come from."""
    shown = view(row, replayed)
    hidden = row.kind == HeldKind.MOVE and principal.person_id != row.person_id and not principal.covers(row.region)
    if hidden:
        shown["region"] = None
    return shown


def hold(
    engine: Engine,
    principal: Principal,
    kind: HeldKind,
    region: str,
    request: dict[str, Any],
    *,
    key: str | None,
    amount_fen: int | None = None,
    person_id: int | None = None,
) -> dict[str, Any]:
    """Store the item as pending (idempotent under `key`: a retry returns the same held item)."""
    request_key = f"{kind.value}:{key or uuid.uuid4().hex}"
    digest = request_hash(kind.value, request)
    for _attempt in range(2):
        try:
            with write_session(engine) as session:
                existing = session.scalar(
                    select(PendingApprovalRow).where(PendingApprovalRow.request_key == request_key)
                )
                if existing is not None:
                    if existing.request_hash != digest:
                        raise IdempotencyConflict(refusal(RefusalCode.IDEMPOTENCY_KEY_REUSED, key=str(key)))
                    return view_for(principal, existing, replayed=True)
                row = PendingApprovalRow(
                    kind=kind.value,
                    region=region,
                    person_id=person_id,
                    amount_fen=amount_fen,
                    request=request,
                    request_key=request_key,
                    request_hash=digest,
                    maker_id=principal.user_id,
                    maker=principal.username,
                    status="pending",
                    created_at=audit.now_iso(),
                )
                session.add(row)
                session.flush()
                audit.append(
                    session,
                    actor=f"user:{principal.username}",
                    action="approval.hold",
                    subject=audit_subjects.approval(row.id),
                    # a move's region is where the person lives, which the maker's own administrator may not see
                    details={
                        "kind": kind.value,
                        "region": None if kind == HeldKind.MOVE else region,
                        "amount_fen": amount_fen,
                    },
                    reason=because("held_for_checker"),
                )
                return view_for(principal, row)
        except IntegrityError:
            continue  # the same key was held concurrently: read it on the next pass
    raise Conflict(refusal(RefusalCode.IDEMPOTENCY_KEY_BUSY, key=str(key)))


def may_decide(principal: Principal, row: PendingApprovalRow) -> None:
    """Raise Forbidden unless the caller may approve or reject this item."""
    if principal.user_id == row.maker_id:
        raise Forbidden(refusal(RefusalCode.MAKER_CANNOT_CHECK))
    if row.kind == HeldKind.MOVE and principal.role == Role.RESIDENT and principal.person_id == row.person_id:
        return
    principal.require_role(*CHECKERS)
    principal.require_region(row.region)


CONTROLLING_ACTIONS = ("account.create", "account.password_reset")  # whoever did these knows the password


def accounts_controlled_by(engine: Engine, username: str) -> set[str]:
    """The accounts whose password `username` set (created them, or reset their password), and in turn those
    accounts' own, as the audit log records it: a maker holds the keys of each."""
    with session_scope(engine) as session:
        edges = session.execute(
            select(AuditRow.actor, AuditRow.subject).where(
                AuditRow.action.in_(CONTROLLING_ACTIONS), AuditRow.subject.like("user:%")
            )
        ).all()
    made: dict[str, set[str]] = {}
    for actor, subject in edges:
        made.setdefault(str(actor), set()).add(str(subject).removeprefix("user:"))
    controlled: set[str] = set()
    todo = [username]
    while todo:
        for account in made.get(f"user:{todo.pop()}", set()) - controlled:
            controlled.add(account)
            todo.append(account)
    return controlled


def may_see(principal: Principal, row: PendingApprovalRow) -> bool:
    """The maker, the possible checkers, and for a move the person concerned."""
    if principal.user_id == row.maker_id:
        return True
    if principal.role == Role.RESIDENT:
        return row.kind == HeldKind.MOVE and principal.person_id == row.person_id
    return principal.role in CHECKERS and principal.covers(row.region)


def listing(engine: Engine, principal: Principal, status: str | None) -> list[dict[str, Any]]:
    """Held items the caller may see, oldest first, each with whom it concerns as other lists show them (name,
    masked identity number), whether the caller may open the person's record (`record_open`: a checker of the
    insured place often may not) and its places' names (the office's screen 待复核 says what each item is in words)."""
    query = select(PendingApprovalRow).order_by(PendingApprovalRow.id)
    if status is not None:
        query = query.where(PendingApprovalRow.status == status)
    keys = identity_keys()
    with session_scope(engine) as session:
        shown = [view_for(principal, r) for r in session.scalars(query) if may_see(principal, r)]
        people = {
            p.person_key: p
            for p in session.scalars(select(PersonRow).where(PersonRow.person_key.in_({_person_key(s) for s in shown})))
        }
        codes = {c for s in shown for c in (s["region"], s["request"].get("to_region")) if c}
        names = region_names(session, codes)
        for item in shown:
            person = people.get(_person_key(item))
            item["person_key"] = _person_key(item)
            item["name"] = unseal(person.name_cipher, person.name_hash) if person else None
            item["id_number_masked"] = mask(keys.decrypt(person.id_cipher, person.id_hash)) if person else None
            # whether the caller may open the person's page (the office links the name only then)
            item["record_open"] = person is not None and may_open_record(session, principal, person)
            item["region_name"], item["region_name_en"] = names.get(item["region"], (None, None))
            to = item["request"].get("to_region")
            item["to_region_name"], item["to_region_name_en"] = names.get(to, (None, None)) if to else (None, None)
    if shown:
        audit_listing(engine, principal, None, len(shown), reason="held_for_approval")  # names, masked numbers
    return shown


def _person_key(item: dict[str, Any]) -> str:
    """Whom a held item concerns: the voucher's holder, the bill's patient, the person moving."""
    request = item["request"]
    return str(request.get("holder_key") or request.get("person_key"))


def _execute(row: PendingApprovalRow, engine: Engine, checker: str, scenario: Scenario | None) -> dict[str, object]:
    """Do what the held item asks, under the controls in force now (limit and budget are checked again)."""
    r: dict[str, Any] = dict(row.request)
    actor, ids = f"user:{checker}", {"maker": row.maker, "approval": row.id}
    if row.kind == HeldKind.VOUCHER:
        issued_on = date.fromisoformat(str(r["issued_on"]))
        controls = controls_for(BudgetKind.VOUCHERS, str(r["issuer_region"]), issued_on, scenario)
        controls.check_limit(int(r["value_fen"]), "voucher")
        return issue_voucher(
            engine,
            str(r["holder_key"]),
            str(r["issuer_region"]),
            str(r["service"]),
            int(r["value_fen"]),
            issued_on,
            date.fromisoformat(str(r["expires_on"])),
            actor=actor,
            reason=because("voucher_issue_checked", **ids),
            key=f"approval-{row.id}",
            budget=controls.budget,
        )
    if row.kind == HeldKind.SETTLEMENT:
        treated_on = date.fromisoformat(str(r["treated_on"]))
        controls = controls_for(BudgetKind.MEDICAL, str(r["insured_region"]), treated_on, scenario)
        items = [(str(code), int(amount)) for code, amount in r["items"]]
        controls.check_limit(sum(a for _, a in items), "hospital_bill")
        return settle_bill(
            engine,
            str(r["person_key"]),
            str(r["insured_region"]),
            str(r["treatment_region"]),
            str(r["hospital"]),
            treated_on,
            items,
            actor=actor,
            key=str(r["idempotency_key"]),
            budget=controls.budget,
        )
    if person_facts(engine, str(r["person_key"])).residence_region != row.region:
        raise Conflict(refusal(RefusalCode.HELD_MOVE_STALE, region=row.region))
    return record_move(
        engine,
        str(r["person_key"]),
        str(r["to_region"]),
        date.fromisoformat(str(r["moved_on"])),
        ProofKind(str(r["proof_kind"])),
        str(r["proof_ref"]),
        actor=actor,
        reason=because("move_checked", **ids),
        key=f"approval-{row.id}",
    )


def decide(
    engine: Engine, principal: Principal, approval_id: int, approve: bool, note: str | None, scenario: Scenario | None
) -> dict[str, Any]:
    """Approve (the item takes effect now) or reject a held item; only once, only by an allowed checker."""
    with session_scope(engine) as session:
        row = session.get(PendingApprovalRow, approval_id)
    if row is None:
        raise NotFound(refusal(RefusalCode.NO_HELD_ITEM, approval_id=str(approval_id)))
    may_decide(principal, row)
    if principal.username in accounts_controlled_by(engine, row.maker):
        raise Forbidden(refusal(RefusalCode.MAKER_CONTROLS_CHECKER, maker=row.maker))
    if row.status != "pending":
        raise Conflict(
            refusal(
                RefusalCode.HELD_ITEM_DECIDED,
                approval_id=str(approval_id),
                status=str(row.status),
                checker=str(row.checker),
            )
        )
    # the operation is idempotent under a key derived from the item: approving twice, or after a crash, is safe
    with told_of_move(engine, principal):  # a checker of the issuer or the insured place may not see where she lives
        result = _execute(row, engine, principal.username, scenario) if approve else None
    status = "approved" if approve else "rejected"
    with write_session(engine) as session:
        flipped = session.execute(
            update(PendingApprovalRow)
            .where(PendingApprovalRow.id == approval_id, PendingApprovalRow.status == "pending")
            .values(status=status, checker=principal.username, note=note, result=result, decided_at=audit.now_iso())
            .execution_options(synchronize_session=False)
        )
        if flipped.rowcount != 1:  # type: ignore[attr-defined]
            raise Conflict(refusal(RefusalCode.HELD_ITEM_RACE, approval_id=str(approval_id)))
        audit.append(
            session,
            actor=f"user:{principal.username}",
            action=f"approval.{'approve' if approve else 'reject'}",
            subject=audit_subjects.approval(approval_id),
            details={"kind": row.kind, "maker": row.maker, "region": row.region},
            reason=note or because("checker_approved" if approve else "checker_rejected"),
        )
        decided = session.get(PendingApprovalRow, approval_id)
        assert decided is not None
        session.refresh(decided)
        return view(decided)
