"""Ledger accounts and postings: balanced legs appended, balances derived by summing entries, never edited.

Account codes (unit in brackets):
  P:<person>:pension_individual:<region>        individual account 个人账户 [fen]
  P:<person>:pension_individual_temp:<region>   temporary account 临时缴费账户 [fen]
  P:<person>:<scheme>_months[_temp]:<region>     contribution months held at a region [month]
  P:<person>:school_years:<region>               school years of the 学籍 held at a region [year]
  F:pension_pooled:<region>, F:medical:<region>, F:services:<region>   regional funds [fen]
  X:...                                          the outside world: contributions paid in, self payments [fen/month]
  B:vouchers:<region>                            a funding authority's voucher budget [fen]
  V:outstanding:<region>                         vouchers issued and not yet redeemed [fen]
  C:<what>:<debtor>><creditor>                   clearing: owed by one region's fund to another's [fen]
  H:<provider>                                   a service provider or hospital [fen]
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass
from typing import cast

import polars as pl
from sqlalchemy import Engine, Table, bindparam, func, insert, select, text
from sqlalchemy.orm import Session

from changzhu.store import audit
from changzhu.store.db import session_scope
from changzhu.store.resident_models import LedgerAccountRow, LedgerEntryRow, PersonRow
from changzhu.store.txn import insert_ignoring

UNITS = ("fen", "month", "year")
_ACCOUNTS = cast(Table, LedgerAccountRow.__table__)
_POSTED_KEY = "changzhu.ledger_posted"


class UnbalancedPosting(AssertionError):
    """A posting whose legs do not sum to zero per unit: a bug, never user input."""


@dataclass(frozen=True)
class Leg:
    """One side of a posting: account code, signed amount, unit."""

    account: str
    amount: int
    unit: str


def person_account(person_key: str, kind: str, region: str) -> str:
    """Code of a person's account of `kind` held at `region`."""
    return f"P:{person_key}:{kind}:{region}"


def _parse(code: str) -> tuple[str, str | None, str | None]:
    """(kind, person_key, region) of an account code."""
    parts = code.split(":")
    if parts[0] == "P":
        return parts[2], parts[1], parts[3]
    if parts[0] == "H":  # a provider's or hospital's own account: its name may be as long as the code allows
        return "H", None, None
    region = parts[-1] if len(parts) > 2 and parts[-1].isdigit() and len(parts[-1]) == 6 else None
    return f"{parts[0]}:{parts[1]}", None, region


def account_ids(session: Session, legs: list[Leg]) -> dict[str, int]:
    """Ids of the legs' accounts, creating missing ones (safe under concurrent creation)."""
    codes = sorted({leg.account for leg in legs})
    found = dict(
        session.execute(
            select(LedgerAccountRow.code, LedgerAccountRow.id).where(LedgerAccountRow.code.in_(codes))
        ).all()
    )
    missing = [c for c in codes if c not in found]
    if missing:
        units = {leg.account: leg.unit for leg in legs}
        rows: list[dict[str, object]] = []
        for code in missing:
            kind, key, region = _parse(code)
            owner = select(PersonRow.id).where(PersonRow.person_key == key).scalar_subquery() if key else None
            rows.append({"code": code, "person_id": owner, "region": region, "kind": kind, "unit": units[code]})
        created = session.execute(
            insert_ignoring(session, _ACCOUNTS, ["code"]).values(rows).returning(_ACCOUNTS.c.code, _ACCOUNTS.c.id)
        ).all()
        found.update((code, id_) for code, id_ in created)
        if len(found) < len(codes):  # created meanwhile by a concurrent transaction
            found.update(
                session.execute(
                    select(LedgerAccountRow.code, LedgerAccountRow.id).where(
                        LedgerAccountRow.code.in_([c for c in codes if c not in found])
                    )
                ).all()
            )
    return found


_POST_IN_ONE = text("""
WITH legs AS (
  SELECT * FROM unnest(CAST(:codes AS text[]), CAST(:amounts AS bigint[]), CAST(:units AS text[]))
    AS l(code, amount, unit)
), wanted AS (
  SELECT * FROM unnest(CAST(:new_codes AS text[]), CAST(:new_owners AS text[]), CAST(:new_regions AS text[]),
                       CAST(:new_kinds AS text[]), CAST(:new_units AS text[])) AS w(code, owner, region, kind, unit)
), created AS (
  INSERT INTO ledger_accounts (code, person_id, region, kind, unit)
  SELECT w.code, (SELECT p.id FROM persons p WHERE p.person_key = w.owner), w.region, w.kind, w.unit
  FROM wanted w WHERE NOT EXISTS (SELECT 1 FROM ledger_accounts a WHERE a.code = w.code)
  ON CONFLICT (code) DO NOTHING RETURNING code, id
), known AS (
  SELECT code, id FROM created UNION ALL SELECT a.code, a.id FROM ledger_accounts a JOIN wanted w ON a.code = w.code
)
INSERT INTO ledger_entries (transaction_id, account_id, amount, unit)
SELECT :transaction_id, known.id, legs.amount, legs.unit FROM legs JOIN known ON known.code = legs.code
WHERE (SELECT count(*) FROM legs JOIN known ON known.code = legs.code) = :n
""")


def _post_in_one(session: Session, transaction_id: int, legs: list[Leg]) -> bool:
    """PostgreSQL: create missing accounts and insert every entry in one statement; all entries or none.

    False (nothing inserted) when an account was created meanwhile by a transaction this statement cannot see.
    """
    codes = sorted({leg.account for leg in legs})
    units = {leg.account: leg.unit for leg in legs}
    parsed = [_parse(code) for code in codes]
    inserted = session.execute(
        _POST_IN_ONE,
        {
            "codes": [leg.account for leg in legs],
            "amounts": [leg.amount for leg in legs],
            "units": [leg.unit for leg in legs],
            "new_codes": codes,
            "new_owners": [key for _kind, key, _region in parsed],
            "new_regions": [region for _kind, _key, region in parsed],
            "new_kinds": [kind for kind, _key, _region in parsed],
            "new_units": [units[code] for code in codes],
            "transaction_id": transaction_id,
            "n": len(legs),
        },
    )
    return bool(inserted.rowcount == len(legs))  # type: ignore[attr-defined]


def entries_digest(transaction_id: int, entries: list[tuple[str, int, str]]) -> str:
    """Digest of a transaction's entries (account code, amount, unit), independent of their order."""
    lines = [f"{transaction_id}"] + [f"{code}\x1f{amount}\x1f{unit}" for code, amount, unit in sorted(entries)]
    return hashlib.sha256("\x1e".join(lines).encode()).hexdigest()


def post(session: Session, transaction_id: int, legs: list[Leg]) -> None:
    """Append balanced legs to the ledger under one transaction id; their digest goes into the audit record.

    The digest covers every entry the transaction has posted in this session (changzhu.ledger.checks compares).
    """
    totals: dict[str, int] = defaultdict(int)
    for leg in legs:
        if leg.unit not in UNITS:
            raise UnbalancedPosting(f"unknown unit {leg.unit!r}")
        totals[leg.unit] += leg.amount
    if any(totals.values()):
        raise UnbalancedPosting(f"legs do not balance: {dict(totals)}")
    legs = [leg for leg in legs if leg.amount]
    if not legs:
        return
    posted = session.info.setdefault(_POSTED_KEY, defaultdict(list))[transaction_id]
    posted += [(leg.account, leg.amount, leg.unit) for leg in legs]
    audit.note_posting(session, transaction_id, entries_digest(transaction_id, posted))
    if session.get_bind().dialect.name == "postgresql" and _post_in_one(session, transaction_id, legs):
        return
    ids = account_ids(session, legs)
    session.execute(
        insert(cast(Table, LedgerEntryRow.__table__)),
        [
            {"transaction_id": transaction_id, "account_id": ids[leg.account], "amount": leg.amount, "unit": leg.unit}
            for leg in legs
        ],
    )


_BALANCES = (  # built once: the SQL is compiled once per engine and reused
    select(LedgerAccountRow.code, func.sum(LedgerEntryRow.amount))
    .join(LedgerEntryRow, LedgerEntryRow.account_id == LedgerAccountRow.id)
    .where(LedgerAccountRow.code.in_(bindparam("codes", expanding=True)))
    .group_by(LedgerAccountRow.code)
)


def balance(session: Session, code: str) -> int:
    """Balance of one account: the sum of its entries (0 if it has none)."""
    return balances(session, [code])[code]


def balances(session: Session, codes: list[str]) -> dict[str, int]:
    """Balances of several accounts in one query (0 for an account with no entries or not yet created)."""
    if not codes:
        return {}
    rows = session.execute(_BALANCES, {"codes": sorted(set(codes))}).all()
    found = {code: int(total or 0) for code, total in rows}
    return {code: found.get(code, 0) for code in codes}


def balances_frame(engine: Engine, *, person_key: str | None = None, prefix: str | None = None) -> pl.DataFrame:
    """Every account with its derived balance (account, kind, region, unit, balance), filtered optionally."""
    query = (
        select(
            LedgerAccountRow.code,
            LedgerAccountRow.kind,
            LedgerAccountRow.region,
            LedgerAccountRow.unit,
            func.coalesce(func.sum(LedgerEntryRow.amount), 0),
        )
        .outerjoin(LedgerEntryRow, LedgerEntryRow.account_id == LedgerAccountRow.id)
        .group_by(
            LedgerAccountRow.id,
            LedgerAccountRow.code,
            LedgerAccountRow.kind,
            LedgerAccountRow.region,
            LedgerAccountRow.unit,
        )
        .order_by(LedgerAccountRow.code)
    )
    if person_key is not None:
        query = query.where(LedgerAccountRow.code.startswith(f"P:{person_key}:"))
    if prefix is not None:
        query = query.where(LedgerAccountRow.code.startswith(prefix))
    with session_scope(engine) as session:
        rows = session.execute(query).all()
    schema = {"account": pl.String, "kind": pl.String, "region": pl.String, "unit": pl.String, "balance": pl.Int64}
    return pl.DataFrame([tuple(r) for r in rows], schema=schema, orient="row")


def totals_by_unit(engine: Engine) -> dict[str, int]:
    """Sum of all entries per unit: zero for every unit in a consistent ledger."""
    with session_scope(engine) as session:
        rows = session.execute(
            select(LedgerEntryRow.unit, func.sum(LedgerEntryRow.amount)).group_by(LedgerEntryRow.unit)
        ).all()
    return {unit: int(total) for unit, total in rows}
