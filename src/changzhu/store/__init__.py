"""The database under the registry and the ledger: engine and sessions, every table, idempotent audited write
transactions, and the checks every write makes (the region exists, the person exists)."""

from changzhu import lazy_exports

_EXPORTS = {
    "DatabaseUnavailable": "db",
    "make_engine": "db",
    "session_scope": "db",
    "metadata": "schema",
    "RegistryError": "checks",
    "UnknownPerson": "checks",
    "IdempotencyConflict": "txn",
    "AuditReport": "audit",
    "verify": "audit",
}
__all__ = sorted(_EXPORTS)
__getattr__ = lazy_exports(__name__, _EXPORTS)
