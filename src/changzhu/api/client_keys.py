"""Idempotency keys sent by clients: one namespace with the keys the service derives itself, so those are refused.

The ledger's operations share one table of idempotency keys (store/txn.py). Some keys are derived by the service,
not chosen by a client: a held item's execution (`approval-<id>`, the ids count up), a transfer's two steps
(`<transfer_no>:apply`, `<transfer_no>:complete`; transfer numbers are shown to both places), a file import
(`import-…`) and the 跨省通办 hand-over, receipt and reversal (`interregion…`). A client sending such a key with a
write of its own would take it first, and the service's later operation would be refused as a reused key for ever
(a held voucher never issued, a release never made, a refused message's months never given back). A client key of
that form is 422 before anything is stored (docs/api.md, "Who may do what"). A transfer number is checked alike
(`TransferNo`; the CLI's `--transfer-no` by the same `client_key`): the keys of its two steps derive from it. Its
length and letters are one rule for both (`TRANSFER_NO_MIN`, `TRANSFER_NO_PATTERN`, `transfer_no`): a longer number
would overflow the ledger's key (`<transfer_no>:complete` in 160 characters).
"""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator, Field

from changzhu.domain import field_sizes as sizes

RESERVED_PREFIXES = ("approval-", "import-", "interregion")
RESERVED_SUFFIXES = (":apply", ":complete")
TRANSFER_NO_MIN = sizes.TRANSFER_NO_MIN  # a transfer number: TRANSFER_NO_MIN to sizes.TRANSFER_NO characters of these
TRANSFER_NO_PATTERN = r"^[A-Za-z0-9_.:-]+$"


def client_key(key: str | None) -> str | None:
    """The key, unless it has the form of a key the service derives itself (ValueError: 422 naming the field)."""
    if key is not None and (key.startswith(RESERVED_PREFIXES) or key.endswith(RESERVED_SUFFIXES)):
        raise ValueError(
            "此幂等键或转移编号的形式为系统保留（approval-、import-、interregion 开头或以 :apply、:complete 结尾），"
            "请另选 / this idempotency key or transfer number has a form the service keeps for itself (starting"
            " approval-, import-, interregion or ending :apply, :complete): choose another"
        )
    return key


def transfer_no(number: str) -> str:
    """The transfer number as the API's `TransferNo` takes it (its length and letters, then `client_key`), else
    ValueError saying what to write, "中文 / English" (the command line's `--transfer-no`)."""
    if not TRANSFER_NO_MIN <= len(number) <= sizes.TRANSFER_NO or not re.fullmatch(TRANSFER_NO_PATTERN, number):
        raise ValueError(
            f"转移编号须为 {TRANSFER_NO_MIN} 至 {sizes.TRANSFER_NO} 个字符，只用英文字母、数字和 _ . : -"
            f"（此编号有 {len(number)} 个字符） / a transfer number is {TRANSFER_NO_MIN} to {sizes.TRANSFER_NO}"
            f" characters of letters A-Z, a-z, digits and _ . : - (this one has {len(number)})"
        )
    client_key(number)
    return number


ClientKey = Annotated[
    str,
    Field(min_length=8, max_length=sizes.IDEMPOTENCY_KEY, description="idempotency key: a retry sends the same"),
    AfterValidator(client_key),
]
TransferNo = Annotated[
    str,
    Field(min_length=TRANSFER_NO_MIN, max_length=sizes.TRANSFER_NO, pattern=TRANSFER_NO_PATTERN),
    AfterValidator(client_key),
]
OptionalClientKey = Annotated[
    str | None,
    Field(default=None, min_length=8, max_length=sizes.IDEMPOTENCY_KEY, description="idempotency key (optional)"),
    AfterValidator(client_key),
]
