"""Lengths of stored text fields, defined once: the database columns and the API's length limits both use these.

A value the API accepts always fits its column, on SQLite (which ignores lengths) and on PostgreSQL (which
refuses an over-long value); tests/api/test_api_hygiene.py checks every limit against the column it fills.
"""

from __future__ import annotations

PERSON_KEY = 32  # a registered person's random key (uuid4 hex)
REGION_CODE = 6  # GB/T 2260 code
PROOF_REF = 120  # reference of a proof of residence (contract, lease, school number)
VOUCHER_NO = 160
VOUCHER_SERVICE = 40  # the service a voucher pays for
PROVIDER = 80  # a provider that redeems a voucher
HOSPITAL = 80
ITEM_CODE = 40  # a medical catalogue item code
ITEM_NAME = 120
POLICY_SOURCE = 400  # document and date of a medical policy
IDEMPOTENCY_KEY = 120  # as sent by a client; derived keys (prefix + key) fit the 160 of ledger_transactions
TRANSFER_NO_MIN = 4  # the shortest transfer number a client may send (api.client_keys.TransferNo, --transfer-no)
TRANSFER_NO = 60  # as sent by a client; the ledger keys f"{transfer_no}:complete" fit in 160
USERNAME = 64
DISPLAY_NAME = 100
APPROVAL_NOTE = 400  # a checker's reason for approving or rejecting a held item
APPLICATION_KIND = 20  # an application's kind (residence_permit, points, ...)
APPLICATION_STATUS = 12  # submitted, in_review, approved, rejected, appealed, upheld, overturned, closed
APPLICATION_NOTE = 400  # the applicant's or caseworker's note
APPLICATION_REASON = 2000  # a decision's reason (drafted from the explanation, or the caseworker's own)
AUDIT_REASON = APPLICATION_REASON  # an audit record's reason: a typed one is kept whole (the longest typed reason)
