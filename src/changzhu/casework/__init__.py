"""Casework that spans the registry and the ledger: bulk import of residents with their contribution histories, and
the worked example of a worker moving between three cities."""

from changzhu import lazy_exports

_EXPORTS = {
    "ImportRejected": "bulk_import",
    "import_residents": "bulk_import",
    "import_contributions": "bulk_import",
    "example_id": "worked_example",
}
__all__ = sorted(_EXPORTS)
__getattr__ = lazy_exports(__name__, _EXPORTS)
