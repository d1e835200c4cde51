"""The portable lifelong account (终身福利账户): an append-only double-entry ledger that follows the person."""

from changzhu import lazy_exports

_EXPORTS = {
    "MonthPaid": "contributions",
    "Scheme": "contributions",
    "record_contributions": "contributions",
    "record_school_year": "contributions",
    "TransferScheme": "transfers",
    "apply_transfer": "transfers",
    "complete_transfer": "transfers",
    "transfer": "transfers",
    "balances": "accounts",
    "balances_frame": "accounts",
    "issue_voucher": "vouchers",
    "redeem_voucher": "vouchers",
    "clear_vouchers": "vouchers",
    "ledger_problems": "checks",
    "drawing_place": "pension_rules",
}
__all__ = sorted(_EXPORTS)
__getattr__ = lazy_exports(__name__, _EXPORTS)
