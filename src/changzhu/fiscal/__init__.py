"""Money and land follow people (人地钱挂钩): transfers, cost sharing, compensation, budget allocation, clearing."""

from changzhu import lazy_exports

_EXPORTS = {
    "FiscalParameters": "parameters",
    "fiscal_parameters": "parameters",
    "scheme_by_id": "parameters",
    "FiscalResults": "run",
    "compute_fiscal": "run",
    "write_tables": "run",
    "clear_vouchers": "clearing",
    "FiscalError": "errors",
}
__all__ = sorted(_EXPORTS)
__getattr__ = lazy_exports(__name__, _EXPORTS)
