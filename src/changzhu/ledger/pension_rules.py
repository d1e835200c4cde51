"""Enterprise pension transfer rules of 国办发〔2009〕66号 as pure functions (no I/O).

Contribution rates are the national reference rates; provinces differed in the past (see docs/ledger.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

POOLED_TRANSFER_RATE_PERMILLE = 120  # art. 4(2): 12% of the actual contribution base, each year from 1998
POOLED_TRANSFER_FROM = 199801
TEMP_ACCOUNT_AGE = {"M": 50, "F": 40}  # art. 5
DRAWING_MONTHS = 120  # art. 6: 10 cumulative contribution years at a place


def individual_rate_permille(period: int) -> int:
    """Share of the base credited to the individual account: 11% before 2006, 8% after (国发〔2005〕38号)."""
    return 110 if period < 200601 else 80


def employer_pooled_rate_permille(period: int) -> int:
    """Employer share going to the pooled fund: 20% less the 3 points credited to the individual account before
    2006 (17%), 20% from 2006, 16% from 2019-05 (国办发〔2019〕13号)."""
    if period < 200601:
        return 170
    return 200 if period < 201905 else 160


def share(base_fen: int, permille: int) -> int:
    """permille of an amount in fen, rounded half up to the fen."""
    return (base_fen * permille + 500) // 1000


def pooled_transfer(bases: list[tuple[int, int]]) -> int:
    """Pooled-fund part moved with a transfer: 12% of the sum of monthly bases from 1998-01 (art. 4(2))."""
    return share(sum(base for period, base in bases if period >= POOLED_TRANSFER_FROM), POOLED_TRANSFER_RATE_PERMILLE)


def age_on(birth: date, on: date) -> int:
    """Age in whole years on a date."""
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def needs_temporary_account(sex: str, birth: date, on: date, new_region: str, hukou_region: str) -> bool:
    """Art. 5: men 50+ and women 40+ starting to contribute away from their hukou place get a temporary account."""
    return new_region != hukou_region and age_on(birth, on) >= TEMP_ACCOUNT_AGE[sex]


@dataclass(frozen=True)
class DrawingPlace:
    """Where the pension is drawn (art. 6), which clause decided it, and why in words."""

    region: str
    clause: int
    reason: str


def drawing_place(
    hukou_region: str, relation_region: str, months_paid: dict[str, int], last_paid: dict[str, int]
) -> DrawingPlace:
    """Art. 6: hukou place if the relationship is there; else the relationship place with 10 years; else the
    most recent earlier place with 10 years; else the hukou place."""
    if relation_region == hukou_region:
        return DrawingPlace(hukou_region, 1, "the pension relationship is at the hukou place")
    here = months_paid.get(relation_region, 0)
    if here >= DRAWING_MONTHS:
        return DrawingPlace(relation_region, 2, f"{here} months paid at {relation_region}, 10 years or more")
    earlier = sorted(
        (r for r, m in months_paid.items() if r != relation_region and m >= DRAWING_MONTHS),
        key=lambda r: last_paid.get(r, 0),
        reverse=True,
    )
    if earlier:
        region = earlier[0]
        return DrawingPlace(
            region,
            3,
            f"{here} months at {relation_region}; back to {region}, the last place "
            f"with 10 years ({months_paid[region]} months)",
        )
    return DrawingPlace(hukou_region, 4, "under 10 years at every place: consolidated at the hukou place")
