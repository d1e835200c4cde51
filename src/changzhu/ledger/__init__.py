"""The portable lifelong account (终身福利账户): an append-only double-entry ledger that follows the person."""
