"""Registry writes under the API's authorization, shared by the API routes and the operator CLI
(`changzhu resident|import ... --as USER`): registrations, permits, moves, household links, settlement and bulk
imports are made by a named principal whose role and jurisdictions are checked against the person's residence
(and, for a move, both of its ends) before anything is stored (docs/api.md, "Who may change what")."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, select

from changzhu.api import approvals
from changzhu.api.access import person_not_in_reach
from changzhu.api.approvals import HeldKind
from changzhu.api.auth.principal import Principal
from changzhu.api.errors import Conflict, Forbidden, NotFound
from changzhu.api.ledger_writes import actor_of
from changzhu.api.upload_tables import ROLES, UploadKind, read_upload, require_rows_inside, rows_in_file
from changzhu.api.write_access import (
    handed_over,
    named_person,
    require_staff,
    shows_identity,
    staff_over_resident,
    told_of_move,
)
from changzhu.casework.bulk_import import Reach, import_contributions, import_residents
from changzhu.domain.refusals import RefusalCode, refusal
from changzhu.registry.identity import parse_id_number
from changzhu.registry.residents import (
    ProofKind,
    Registration,
    find_person,
    issue_permit,
    link_household,
    record_move,
    refuse_after_today,
    register_resident,
    renew_permit,
    settle_hukou,
)
from changzhu.store.checks import UnknownPerson
from changzhu.store.db import session_scope
from changzhu.store.resident_models import PersonRow, ResidencePermitRow
from changzhu.tables import TableRead
from changzhu.tables.formats import FileUnreadable


def register_as(engine: Engine, principal: Principal, reg: Registration, *, key: str | None) -> dict[str, object]:
    """Register a person living in the caller's jurisdiction (caseworkers and administrators)."""
    require_staff(principal)
    principal.require_region(reg.residence_region)
    return register_resident(engine, reg, actor=actor_of(principal), key=key)


def permit_as(
    engine: Engine, principal: Principal, person_key: str, issued_on: date, *, key: str | None
) -> dict[str, object]:
    """Issue the 居住证, by staff of the place where the person lives."""
    staff_over_resident(engine, principal, person_key)
    with told_of_move(engine, principal):
        return issue_permit(engine, person_key, issued_on, actor=actor_of(principal), key=key, today=date.today())


def renew_as(
    engine: Engine, principal: Principal, permit_no: str, renewed_on: date, *, key: str | None
) -> dict[str, object]:
    """Renew (签注) a permit, by staff of the region that issued it, where the holder still lives."""
    with session_scope(engine) as session:
        found = session.execute(
            select(ResidencePermitRow.region, PersonRow.person_key)
            .join(PersonRow, PersonRow.id == ResidencePermitRow.person_id)
            .where(ResidencePermitRow.permit_no == permit_no)
        ).first()
    if found is None:
        raise NotFound(refusal(RefusalCode.NO_PERMIT, permit_no=permit_no))
    require_staff(principal)
    principal.require_region(str(found[0]))
    staff_over_resident(engine, principal, str(found[1]))
    with told_of_move(engine, principal):
        return renew_permit(engine, permit_no, renewed_on, actor=actor_of(principal), key=key, today=date.today())


def move_as(
    engine: Engine,
    principal: Principal,
    person_key: str,
    to_region: str,
    moved_on: date,
    proof_kind: ProofKind,
    proof_ref: str,
    *,
    key: str | None,
    id_number: str | None = None,
) -> tuple[bool, dict[str, Any]]:
    """A move into the caller's jurisdiction (both ends checked: the destination must be theirs). Recorded (False,
    the move) when the person lives there too. Else it is an arrival started where the person arrives (跨省通办):
    only with the identity number the person shows at the counter (`id_number`, matched by keyed hash), held
    (True, the held item) until staff of the old place, or the person themself, confirm it; without a matching
    number the person is out of reach, answered as a key no one has (404). Nothing opens the record to the caller
    before the move takes effect, and the held item does not say where the person lives. A person handed over to
    another province's instance (跨省通办) is refused with a matching number (409 `arrival_after_hand_over`, naming
    no place): her arrival would wait for a checker of the place she lives in now, which no one here is; she comes
    back when that place's instance hands her over."""
    require_staff(principal)
    if not principal.covers(to_region):  # recorded where she arrives: say so, not only that it is not yours
        scopes = tuple(principal.scopes)
        raise Forbidden(refusal(RefusalCode.MOVE_RECORDED_WHERE_ARRIVED, region=to_region, scopes=scopes))
    refuse_after_today(moved_on, date.today(), RefusalCode.MOVE_IN_FUTURE)  # held or not: the page reads today
    # a malformed number is refused (400) before the key is looked up, alike for a key no one has and a person
    # out of reach: after it, the refusal would tell that someone has the key
    shown = None if id_number is None else parse_id_number(id_number)
    person = named_person(engine, person_key)
    if not principal.covers(person.residence_region):
        if shown is None or not shows_identity(engine, person, shown):
            raise person_not_in_reach(person_key)
        if handed_over(engine, person):  # no one here could approve it: she comes back by her new place's hand-over
            raise Conflict(refusal(RefusalCode.ARRIVAL_AFTER_HAND_OVER))
        request = {
            "person_key": person_key,
            "to_region": to_region,
            "moved_on": moved_on.isoformat(),
            "proof_kind": proof_kind.value,
            "proof_ref": proof_ref,
        }
        held = approvals.hold(
            engine, principal, HeldKind.MOVE, person.residence_region, request, key=key, person_id=person.id
        )
        return True, held
    with told_of_move(engine, principal):
        moved = record_move(
            engine,
            person_key,
            to_region,
            moved_on,
            proof_kind,
            proof_ref,
            actor=actor_of(principal),
            key=key,
            today=date.today(),
        )
    return False, moved


def arrival_as(
    engine: Engine,
    principal: Principal,
    id_number: str,
    to_region: str,
    moved_on: date,
    proof_kind: ProofKind,
    proof_ref: str,
    *,
    key: str | None,
) -> tuple[bool, dict[str, Any]]:
    """A move into the caller's jurisdiction of the person who shows `id_number` at the counter (迁入登记), as
    `move_as` with the person found by the number (keyed hash): the arrival place has the card, never the key.
    The caller's role and the destination are checked, and the number parsed, before anyone is looked up; a number
    no one is registered under is answered as a person out of reach (404 `no_person_in_reach`)."""
    require_staff(principal)
    if not principal.covers(to_region):
        scopes = tuple(principal.scopes)
        raise Forbidden(refusal(RefusalCode.MOVE_RECORDED_WHERE_ARRIVED, region=to_region, scopes=scopes))
    shown = parse_id_number(id_number)  # a malformed number: 400, saying what is wrong with it
    try:
        person_key = find_person(engine, shown.value)
    except UnknownPerson:
        raise person_not_in_reach("(arrival by identity number)") from None
    held, result = move_as(
        engine, principal, person_key, to_region, moved_on, proof_kind, proof_ref, key=key, id_number=id_number
    )
    return held, result if held else {**result, "person_key": person_key}  # recorded: the page to open next


def link_as(
    engine: Engine, principal: Principal, parent_key: str, child_key: str, *, key: str | None
) -> dict[str, object]:
    """Link a parent and a child: staff of the place where each of them lives (both in the caller's reach)."""
    for person_key in (parent_key, child_key):
        staff_over_resident(engine, principal, person_key)
    with told_of_move(engine, principal):
        return link_household(engine, parent_key, child_key, actor=actor_of(principal), key=key)


def settle_as(
    engine: Engine, principal: Principal, person_key: str, settled_on: date, *, key: str | None
) -> dict[str, object]:
    """Settle the hukou at the place of residence (落户), by staff of that place."""
    staff_over_resident(engine, principal, person_key)
    with told_of_move(engine, principal):
        return settle_hukou(engine, person_key, settled_on, actor=actor_of(principal), key=key)


def import_as(
    engine: Engine,
    principal: Principal,
    kind: UploadKind,
    path: Path,
    *,
    sheet: str | None = None,
    skip_bad_rows: bool = False,
    dry_run: bool = False,
    read: TableRead | None = None,
) -> dict[str, object]:
    """Residents or contribution histories from a file, as `POST /uploads/{kind}` takes them: caseworkers and
    administrators, and every row's region (where the resident lives, where the months were paid) in their
    jurisdiction, else the whole file is refused and nothing is stored; months only of people living in the
    caller's jurisdiction (as POST /residents/{key}/contributions), a row of anyone else refused as one of a person
    no one registered. `read`: the file as already read by the caller."""
    principal.require_role(*ROLES[kind])
    read = read or read_upload(path, kind, sheet=sheet)
    if not rows_in_file(read):  # the empty template sent back: said so, not "0 stored"
        raise FileUnreadable(refusal(RefusalCode.FILE_NO_ROWS))
    require_rows_inside(read, kind, principal)
    actor = actor_of(principal)
    if kind == UploadKind.RESIDENT:
        return import_residents(engine, path, actor=actor, sheet=sheet, skip_bad_rows=skip_bad_rows, dry_run=dry_run)
    reach = Reach(principal.scopes, principal.covers)
    return import_contributions(
        engine, path, actor=actor, sheet=sheet, skip_bad_rows=skip_bad_rows, dry_run=dry_run, reach=reach
    )
