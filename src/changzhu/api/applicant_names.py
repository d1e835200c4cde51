"""Applicants' names on lists of applications and quota-run entries, for staff who may see names (audited)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, select

from changzhu.api.access import STAFF_WITH_PERSONAL_ACCESS
from changzhu.api.auth.principal import Principal
from changzhu.registry.contact import unseal
from changzhu.store import audit, audit_subjects
from changzhu.store.audit_reasons import Reason
from changzhu.store.resident_models import PersonRow
from changzhu.store.txn import write_session


def with_names(engine: Engine, principal: Principal, entries: list[dict[str, Any]], purpose: Reason | None) -> None:
    """Add `name` to each entry (by its `person_key`) when the caller is staff who may see names; None otherwise.
    `name_shown` says which: a name of None shown is none on file, not one withheld from the caller.

    The entries must already be limited to the caller's jurisdiction. Showing names is appended to the audit log
    (how many, for what `purpose`), like a resident search; purpose None: the caller has audited this read."""
    if principal.role not in STAFF_WITH_PERSONAL_ACCESS:
        for entry in entries:
            entry["name"], entry["name_shown"] = None, False
        return
    keys = {str(e["person_key"]) for e in entries if e.get("person_key")}
    with write_session(engine) as session:
        rows = session.execute(
            select(PersonRow.person_key, PersonRow.name_cipher, PersonRow.name_hash).where(
                PersonRow.person_key.in_(keys)
            )
        ).all()
        names = {key: unseal(cipher, lookup) for key, cipher, lookup in rows}
        for entry in entries:
            key = str(entry.get("person_key"))
            entry["name"], entry["name_shown"] = names.get(key), key in names
        if keys and purpose is not None:
            audit.append(
                session,
                actor=f"user:{principal.username}",
                action="list_personal_data",
                subject=audit_subjects.regions(principal.scopes),
                details={"rows": len(keys), "names_shown": True, "purpose": purpose.en},
                reason=purpose,
            )
