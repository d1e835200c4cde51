"""Per-region annual budgets of vouchers and medical direct settlement, checked inside the posting transaction.

What a region has used is read from the ledger's own rows (vouchers issued by the region, fund payments of
claims insured there) in the same transaction that adds the new item, after taking a per-region lock: two
concurrent items cannot both pass a budget that holds only one. The budget figures come from the parameter
tree (controls.*.annual_budget_yuan, docs/api.md "Financial controls").
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from changzhu.domain.refusals import RefusalCode, refusal
from changzhu.store.checks import RegistryError
from changzhu.store.resident_models import MedicalClaimRow, VoucherRow


class BudgetKind(StrEnum):
    """What a budget limits: vouchers issued by a region, or its medical fund's cross-province payments."""

    VOUCHERS = "vouchers"
    MEDICAL = "medical"


class BudgetExceeded(RegistryError):
    """An item that would take a region past its annual budget (nothing was written)."""

    http_status = 409


@dataclass(frozen=True)
class Budget:
    """A region's budget of one kind for one calendar year, in fen, with the parameter's source in Chinese and in
    English (a Chinese document's citation is the same in both)."""

    kind: BudgetKind
    region: str
    year: int
    limit_fen: int
    source: str
    source_en: str


def _lock(session: Session, budget: Budget) -> None:
    """Serialise items charged to one budget (PostgreSQL advisory lock; SQLite writers are serialised already)."""
    if session.get_bind().dialect.name != "postgresql":
        return
    digest = hashlib.sha256(f"budget\x1f{budget.kind}\x1f{budget.region}\x1f{budget.year}".encode()).digest()
    session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": int.from_bytes(digest[:8], "big", signed=True)})


def used_fen(session: Session, budget: Budget) -> int:
    """What the region has already committed this year against the budget."""
    first, last = date(budget.year, 1, 1), date(budget.year, 12, 31)
    if budget.kind == BudgetKind.VOUCHERS:
        query = select(func.coalesce(func.sum(VoucherRow.value_fen), 0)).where(
            VoucherRow.issuer_region == budget.region, VoucherRow.issued_on.between(first, last)
        )
    else:
        query = select(func.coalesce(func.sum(MedicalClaimRow.fund_fen), 0)).where(
            MedicalClaimRow.insured_region == budget.region, MedicalClaimRow.treated_on.between(first, last)
        )
    return int(session.scalar(query) or 0)


def charge(session: Session, budget: Budget, amount_fen: int) -> None:
    """Refuse `amount_fen` if it takes the region past its budget; call before the item's row is added."""
    _lock(session, budget)
    used = used_fen(session, budget)
    if used + amount_fen > budget.limit_fen:
        left = max(budget.limit_fen - used, 0)
        raise BudgetExceeded(
            refusal(
                RefusalCode.OVER_BUDGET,
                region=budget.region,
                kind=budget.kind.value,
                year=budget.year,
                limit=f"{budget.limit_fen / 100:,.2f}",
                source_zh=budget.source,
                source_en=budget.source_en,
                used=f"{used / 100:,.2f}",
                left=f"{left / 100:,.2f}",
                needed=f"{amount_fen / 100:,.2f}",
            )
        )
