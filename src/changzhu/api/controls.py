"""Financial controls read from the parameter tree: per-item limit, second-approver threshold, annual budget.

The figures are dated parameters (controls.voucher.*, controls.medical.*) of the national policy file, replaced by
a province or city file and overridable by the scenario named in CHANGZHU_CONTROLS_SCENARIO (docs/api.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from changzhu.domain.lang import Lang
from changzhu.domain.refusals import CodedError, RefusalCode, refusal
from changzhu.ledger.budgets import Budget, BudgetKind
from changzhu.rules.catalog import policies_in_use, resolve_region
from changzhu.rules.scenario import Scenario


class OverLimit(CodedError):
    """One item larger than its per-item limit: refused outright (no approval can take it)."""

    http_status = 422


@dataclass(frozen=True)
class Controls:
    """The controls in force for one region, kind and date (amounts in fen)."""

    kind: BudgetKind
    region: str
    on: date
    max_fen: int
    approval_above_fen: int
    budget: Budget
    sources: dict[str, tuple[str, str]]  # each control's parameter, date and source, in Chinese and in English

    def check_limit(self, amount_fen: int, what: str) -> None:
        """Refuse an item above the per-item limit, naming the limit and its source (`what`: voucher or
        hospital_bill, a term of refusals.TERMS)."""
        if amount_fen > self.max_fen:
            reason = refusal(
                RefusalCode.OVER_LIMIT,
                what=what,
                amount=f"{amount_fen / 100:,.2f}",
                limit=f"{self.max_fen / 100:,.2f}",
                region=self.region,
                source_zh=self.sources["max"][0],
                source_en=self.sources["max"][1],
            )
            raise OverLimit(reason)

    def needs_approval(self, amount_fen: int) -> bool:
        """Whether the item needs a second approver before it takes effect."""
        return amount_fen > self.approval_above_fen


_PREFIX = {BudgetKind.VOUCHERS: "controls.voucher", BudgetKind.MEDICAL: "controls.medical"}
_MAX = {BudgetKind.VOUCHERS: "max_value_yuan", BudgetKind.MEDICAL: "max_bill_yuan"}


def controls_for(kind: BudgetKind, region: str, on: date, scenario: Scenario | None) -> Controls:
    """The controls of `region` on `on` (national → province → city, then the scenario's overrides), resolved as
    the rules engine resolves a region: an override for a province or city without a policy file applies too."""
    policy = resolve_region(policies_in_use(), region, scenario)
    prefix = _PREFIX[kind]

    def fen(name: str) -> tuple[int, tuple[str, str]]:
        _param, dated = policy.value(f"{prefix}.{name}", on)
        key = f"{prefix}.{name}"
        zh = f"{key} 自 {dated.since} 起：{dated.cited(Lang.ZH)}"
        return round(float(dated.value) * 100), (zh, f"{key} since {dated.since}: {dated.cited(Lang.EN)}")

    (max_fen, max_src), (above_fen, above_src), (budget_fen, budget_src) = (
        fen(_MAX[kind]),
        fen("approval_above_yuan"),
        fen("annual_budget_yuan"),
    )
    return Controls(
        kind,
        region,
        on,
        max_fen,
        above_fen,
        Budget(kind, region, on.year, budget_fen, *budget_src),
        {"max": max_src, "approval": above_src, "budget": budget_src},
    )
