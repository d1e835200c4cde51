"""The ledger's contribution and transfer rates, read from the parameter tree by month of contribution
(`ledger.*` in changzhu/parameters/files/ledger.yaml: dated, each with its source), in per mille."""

from __future__ import annotations

from datetime import date
from functools import cache

from changzhu.domain.refusals import RefusalCode, refusal
from changzhu.parameters import ParameterError, parameter_tree


@cache
def _permille(key: str, period: int, none_before: bool = False) -> int:
    """The national value of `key` in force in month `period` (YYYYMM), in per mille.

    With none_before, a month before the parameter's first value carries 0 (the rule names its first month);
    otherwise such a month is an error naming the parameter (never a silent zero)."""
    year, month = divmod(period, 100)
    on = date(year, month, 1)
    param = parameter_tree().resolve().get(key)
    if param is None:
        raise ParameterError(key, refusal(RefusalCode.PARAMETER_UNKNOWN))
    dated = param.at(on)
    if dated is None:
        if none_before:
            return 0
        raise ParameterError(key, refusal(RefusalCode.PARAMETER_NOT_IN_FORCE_IN, month=f"{year}-{month:02d}"))
    return round(float(dated.value) * 1000)


def individual_rate_permille(period: int) -> int:
    """Share of the base credited to the pension individual account (11% before 2006, 8% after)."""
    return _permille("ledger.pension.individual_rate", period)


def employer_pooled_rate_permille(period: int) -> int:
    """Employer share going to the pooled fund (17% before 2006, 20% from 2006, 16% from 2019-05)."""
    return _permille("ledger.pension.employer_pooled_rate", period)


def pooled_transfer_permille(period: int) -> int:
    """Share of a month's base that moves with a transfer: 12% from 1998-01, none before (国办发〔2009〕66号 art. 4)."""
    return _permille("ledger.pension.pooled_transfer_rate", period, none_before=True)


def medical_fund_rate_permille(period: int) -> int:
    """Share of the base paid into the medical insurance fund (8%: 国发〔1998〕44号 reference rates)."""
    return _permille("ledger.medical.fund_rate", period)
