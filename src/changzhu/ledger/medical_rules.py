"""Cross-province direct settlement (跨省异地就医直接结算, 医保发〔2022〕22号) as a pure function: what is
covered follows the treatment place's catalogue (就医地目录); deductible, rate and cap follow the insured
place's policy (参保地政策); temporary or unfiled treatment gets a lower rate."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


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


class FundLimit(StrEnum):
    """Why the fund pays nothing, or less than the rate of the eligible amount above the deductible."""

    NOT_COVERED = "not_covered"  # no item of the bill is in the treatment place's catalogue as class A or B
    DEDUCTIBLE = "deductible"  # the eligible amount is not above the deductible (起付线)
    NO_RATE = "no_rate"  # the rate left after the cut for a temporary or missing filing is 0
    CAP = "cap"  # this year's cap (年度最高支付限额) is reached: the fund pays what is left of it, perhaps nothing


@dataclass(frozen=True)
class Settlement:
    """Split of a bill: eligible amount, what the fund pays, what the patient pays, the rate used; and the numbers
    that say why the fund pays what it pays: the deductible, the year's cap and what was left of it before this bill,
    and what limited the fund's part (None: the rate of the eligible amount above the deductible, in full)."""

    total_fen: int
    eligible_fen: int
    fund_fen: int
    self_fen: int
    rate_permille: int
    deductible_fen: int
    cap_fen: int
    cap_left_fen: int
    fund_limited_by: FundLimit | None


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
    cap_left = max(policy.cap_fen - fund_paid_this_year_fen, 0)
    fund = min(payable, cap_left)
    limit = _limit(eligible, policy.deductible_fen, rate, payable > cap_left)
    return Settlement(total, eligible, fund, total - fund, rate, policy.deductible_fen, policy.cap_fen, cap_left, limit)


def _limit(eligible: int, deductible: int, rate: int, over_cap: bool) -> FundLimit | None:
    """What limited the fund's part, the first that applies: nothing covered, the deductible, no rate, the cap."""
    if eligible == 0:
        return FundLimit.NOT_COVERED
    if eligible <= deductible:
        return FundLimit.DEDUCTIBLE
    if rate == 0:
        return FundLimit.NO_RATE
    return FundLimit.CAP if over_cap else None
