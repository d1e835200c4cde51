"""A digest baseline for ledger transactions written before entry digests existed (`changzhu ledger baseline`).

Since digests were introduced, every posting's digest goes into its audit record; older transactions have none,
so `ledger check` reports them as vouched for by no audit record. The baseline appends audit records (action
`ledger.digest_baseline`, chained and checkpointed like every other) holding the digests of exactly those legacy
transactions: the ones older than the first transaction an audit record vouches for. From then on an edit to
them shows. What happened to them before the baseline cannot be proven; the record says so and names who took
it. A transaction newer than the first vouched one without a digest is never baselined: that is a problem
(an entry added behind the service's back), and `ledger check` keeps reporting it.

No schema change: the digests live where every other digest lives, in the audit log's details.
"""

from __future__ import annotations

from sqlalchemy import Engine

from changzhu.ledger.accounts import entries_digest
from changzhu.ledger.checks import posted_entries, recorded_digests
from changzhu.store import audit, audit_subjects
from changzhu.store.audit_reasons import because
from changzhu.store.txn import write_session

BATCH = 2_000  # transactions per audit record (keeps each record's details a few hundred kilobytes at most)
ACTION = "ledger.digest_baseline"


def take_baseline(engine: Engine, actor: str) -> dict[str, object]:
    """Vouch for the legacy transactions' current entries in the audit log; a second run finds none left."""
    with write_session(engine) as session:
        entries, recorded = posted_entries(session), recorded_digests(session)
        first_vouched = min(recorded, default=None)
        unvouched = set(entries) - set(recorded)
        legacy = sorted(t for t in unvouched if first_vouched is None or t < first_vouched)
        for start in range(0, len(legacy), BATCH):
            batch = legacy[start : start + BATCH]
            audit.append(
                session,
                actor=actor,
                action=ACTION,
                subject=audit_subjects.LEDGER,
                details={
                    "postings": {str(t): entries_digest(t, entries[t]) for t in batch},
                    "before": first_vouched,
                },
                reason=because("digest_baseline"),
            )
    return {
        "baselined": len(legacy),
        "first_vouched_transaction": first_vouched,
        "left_unvouched": len(unvouched) - len(legacy),  # newer than the first digest: `ledger check` reports them
    }
