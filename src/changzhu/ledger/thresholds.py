"""The ledger's ages and periods, read from the parameter tree on the date they apply (`ledger.*` in
changzhu/parameters/files/ledger.yaml: dated, each with its source; national values)."""

from __future__ import annotations

from datetime import date

from changzhu.parameters import parameter_tree

_TEMPORARY_ACCOUNT_AGE = {
    "M": "ledger.pension.temporary_account_age.men",
    "F": "ledger.pension.temporary_account_age.women",
}


def _whole(key: str, on: date) -> int:
    """The national value of `key` in force on `on`, a whole number; ParameterError naming the key if none."""
    return int(parameter_tree().number(key, on))


def temporary_account_age(sex: str, on: date) -> int:
    """Age in years from which a new place opens a temporary account (国办发〔2009〕66号 art. 5: men 50, women 40)."""
    return _whole(_TEMPORARY_ACCOUNT_AGE[sex], on)


def drawing_place_min_months(on: date) -> int:
    """Months paid at a place for the pension to be drawn there (art. 6: 10 cumulative years)."""
    return 12 * _whole("ledger.pension.drawing_place_min_years", on)


def temporary_filing_months(on: date) -> int:
    """Months a temporary filing for treatment in another province stays valid (医保发〔2022〕22号: six)."""
    return _whole("ledger.medical.temporary_filing_months", on)


def long_term_filing_lock_months(on: date) -> int:
    """Months after a long-term filing during which it cannot be changed (医保发〔2022〕22号: six at most)."""
    return _whole("ledger.medical.long_term_filing_lock_months", on)
