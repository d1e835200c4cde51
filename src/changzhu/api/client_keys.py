"""Idempotency keys sent by clients: one namespace with the keys the service derives itself, so those are refused.

The ledger's operations share one table of idempotency keys (store/txn.py). Some keys are derived by the service,
not chosen by a client: a held item's execution (`approval-<id>`, the ids count up), a transfer's two steps
(`<transfer_no>:apply`, `<transfer_no>:complete`; transfer numbers are shown to both places), a file import
(`import-…`) and the 跨省通办 hand-over, receipt and reversal (`interregion…`). A client sending such a key with a
write of its own would take it first, and the service's later operation would be refused as a reused key for ever
(a held voucher never issued, a release never made, a refused message's months never given back). A client key of
that form is 422 before anything is stored (docs/api.md, "Who may do what"). A transfer number is checked alike
(`TransferNo`; the CLI's `--transfer-no` by the same `client_key`): the keys of its two steps derive from it.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, Field

from changzhu.domain import field_sizes as sizes

RESERVED_PREFIXES = ("approval-", "import-", "interregion")
RESERVED_SUFFIXES = (":apply", ":complete")


def client_key(key: str | None) -> str | None:
    """The key, unless it has the form of a key the service derives itself (ValueError: 422 naming the field)."""
    if key is not None and (key.startswith(RESERVED_PREFIXES) or key.endswith(RESERVED_SUFFIXES)):
        raise ValueError(
            "此幂等键或转移编号的形式为系统保留（approval-、import-、interregion 开头或以 :apply、:complete 结尾），"
            "请另选 / this idempotency key or transfer number has a form the service keeps for itself (starting"
            " approval-, import-, interregion or ending :apply, :complete): choose another"
        )
    return key


ClientKey = Annotated[
    str,
    Field(min_length=8, max_length=sizes.IDEMPOTENCY_KEY, description="idempotency key: a retry sends the same"),
    AfterValidator(client_key),
]
TransferNo = Annotated[
    str,
    Field(min_length=4, max_length=sizes.TRANSFER_NO, pattern=r"^[A-Za-z0-9_.:-]+$"),
    AfterValidator(client_key),
]
OptionalClientKey = Annotated[
    str | None,
    Field(default=None, min_length=8, max_length=sizes.IDEMPOTENCY_KEY, description="idempotency key (optional)"),
    AfterValidator(client_key),
]
