"""What the reading commands (`resident show|find`, `ledger balances`, `voucher list`, `applications list|show`) do
before they print: act as the user named by `--as`, and read only what the API lets that user read, audited as the
API audits it.

One person's record, account or vouchers: `api.access.open_person` (the person themself, or staff of the place she
lives in, moves to, or was handed over from; the read appended to the audit log with its purpose, as
GET /residents/{key}, /account, /vouchers do). A key no one has and a person out of reach get the one answer, so the
command tells nothing of who lives elsewhere; `resident find` answers an identity number so too. The whole ledger or
every voucher (no person given): only the rows of people the user may see and the funds of their jurisdiction,
audited as a listing (`api.access.audit_listing`, without names). Applications (`applications list|show`): the
API's own read of them, `api.application_reads` (a resident's own, staff of their jurisdiction; audited likewise).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import polars as pl
    from sqlalchemy import Engine

    from changzhu.api.auth.principal import Principal


def open_as(engine: Engine, principal: Principal, person_key: str, purpose: str) -> None:
    """Refuse unless `principal` may read the person's data (the API's rule); audit the read for `purpose` (a code
    of store.audit_reasons.REASONS)."""
    from changzhu.api.access import open_person
    from changzhu.store.audit_reasons import because

    open_person(engine, principal, person_key, because(purpose))


def find_as(engine: Engine, principal: Principal, id_number: str) -> str:
    """The person key of an identity number if `principal` may read her record (the read audited as a resident
    search); an unregistered number and one registered out of reach are refused alike (to a resident: one not her
    own), and a role that reads no one's record (a planner) is refused by its role before the number is looked up."""
    from changzhu.api.access import STAFF_WITH_PERSONAL_ACCESS
    from changzhu.api.auth.roles import Role
    from changzhu.api.errors import Forbidden, NotFound
    from changzhu.domain.refusals import CodedError, RefusalCode, refusal
    from changzhu.registry.residents import UnknownPerson, find_person

    if principal.role not in (Role.RESIDENT, *STAFF_WITH_PERSONAL_ACCESS):  # as open_person, the number unread
        raise Forbidden(refusal(RefusalCode.AGGREGATES_ONLY, role=principal.role.value))
    try:
        key = find_person(engine, id_number)
        open_as(engine, principal, key, "resident_search")
    except (UnknownPerson, NotFound, Forbidden) as exc:
        raise CodedError(refusal(RefusalCode.CLI_NO_ID_IN_REACH, option="--as")) from exc
    return key


def in_reach(engine: Engine, principal: Principal, frame: pl.DataFrame, person: str, region: str) -> pl.DataFrame:
    """The rows of `frame` that `principal` may read: a row of a person (her key in column `person`, else null) if
    the API lets them see her, any other row if its `region` is in their jurisdiction; the listing audited."""
    import polars as pl
    from sqlalchemy import select

    from changzhu.api.access import STAFF_WITH_PERSONAL_ACCESS, audit_listing, may_see
    from changzhu.api.errors import Forbidden
    from changzhu.domain.refusals import RefusalCode, refusal
    from changzhu.store.db import session_scope
    from changzhu.store.resident_models import PersonRow

    if principal.role not in STAFF_WITH_PERSONAL_ACCESS:  # as GET /residents, the API's listing
        raise Forbidden(refusal(RefusalCode.ROLE_MAY_NOT_RECORDS, role=principal.role.value))
    keys = {k for k in frame[person].drop_nulls().unique()}
    with session_scope(engine) as session:
        people = session.scalars(select(PersonRow).where(PersonRow.person_key.in_(keys))).all() if keys else []
        seen = [p.person_key for p in people if may_see(session, principal, p)]
    covered = [r for r in frame[region].drop_nulls().unique() if principal.covers(r)]
    shown = frame.filter(
        pl.when(pl.col(person).is_null()).then(pl.col(region).is_in(covered)).otherwise(pl.col(person).is_in(seen))
    )
    audit_listing(engine, principal, None, shown.height, names_shown=False)
    return shown
