"""Cross-province direct settlement (跨省异地就医直接结算, 医保发〔2022〕22号) as a pure function: what is
covered follows the treatment place's catalogue (就医地目录); deductible, rate and cap follow the insured
place's policy (参保地政策); temporary or unfiled treatment gets a lower rate."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CatalogueItem:
    """Class A (甲类) fully covered, class B (乙类) covered after a self-pay share, class C (丙类) not covered."""

    item_code: str
    category: str
    self_pay_permille: int


@dataclass(frozen=True)
class Policy:
    """The insured place's policy for treatment elsewhere, amounts in fen, rates in permille."""

    deductible_fen: int
    rate_permille: int
    cap_fen: int
    temporary_cut_permille: int
    unfiled_cut_permille: int


@dataclass(frozen=True)
class Settlement:
    """Split of a bill: eligible amount, what the fund pays, what the patient pays, the rate used."""

    total_fen: int
    eligible_fen: int
    fund_fen: int
    self_fen: int
    rate_permille: int


def settle(
    bill: list[tuple[str, int]],
    catalogue: dict[str, CatalogueItem],
    policy: Policy,
    filing: str | None,
    fund_paid_this_year_fen: int,
) -> Settlement:
    """Settle a bill of (item_code, amount_fen); filing is 'long_term', 'temporary' or None (not filed)."""
    total = sum(amount for _, amount in bill)
    eligible = 0
    for code, amount in bill:
        item = catalogue.get(code)
        if item is None or item.category == "C":
            continue
        self_share = item.self_pay_permille if item.category == "B" else 0
        eligible += amount - (amount * self_share + 500) // 1000
    cut = {"long_term": 0, "temporary": policy.temporary_cut_permille}.get(filing or "", policy.unfiled_cut_permille)
    rate = max(policy.rate_permille - cut, 0)
    payable = (max(eligible - policy.deductible_fen, 0) * rate + 500) // 1000
    fund = max(min(payable, policy.cap_fen - fund_paid_this_year_fen), 0)
    return Settlement(total, eligible, fund, total - fund, rate)
