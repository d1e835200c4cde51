"""numba's start-up without SciPy: imported before any kernel is compiled or loaded.

numba registers its NumPy implementations (numba.np.arraymath) the first time a kernel is compiled or loaded from
the cache, and that module's import checks for a BLAS by importing scipy.linalg.cython_blas: 0.2–0.3 s of CPU, most
of a cached kernel's load, for linear algebra no rule kernel uses. Importing it here with that SciPy module marked
absent skips the check; the only effect is that numba's np.correlate / np.convolve use numba's own inner product.
numba's linear algebra (np.linalg, np.dot) still imports SciPy itself when a function using it is compiled, since the
mark is removed once the import is done.
"""

from __future__ import annotations

import sys

_BLAS = "scipy.linalg.cython_blas"

if "numba.np.arraymath" not in sys.modules:
    _absent = _BLAS not in sys.modules
    if _absent:
        sys.modules[_BLAS] = None  # type: ignore[assignment]  # `import` of it raises ImportError
    try:
        import numba.np.arraymath  # noqa: F401
    finally:
        if _absent:
            del sys.modules[_BLAS]
