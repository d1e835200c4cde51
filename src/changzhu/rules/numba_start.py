"""numba's start-up for the rule kernels: a kernel found in the cache loads without numba's compiler registries.

`kernel` is numba.njit(nogil=True, cache=True) with one difference on a cache hit. numba refreshes its typing and
target contexts before every cache load (numba.core.caching.Cache.load_overload): it imports and installs every
registry of implementations (its NumPy support, typed containers, random numbers, cffi...), 0.1-0.15 s of CPU in a
fresh process, although a cached kernel runs machine code that needs none of it. Here a load only starts numba's
runtime (NRT: the machine code calls it) and reads the cache. A miss starts the registries as numba would (its
compiler refreshes both contexts before compiling), with its NumPy registry (numba.np.arraymath) imported first with
scipy.linalg.cython_blas marked absent: that module's BLAS check imports SciPy (0.2-0.3 s) for linear algebra no rule
kernel uses; the only effect is that numba's np.correlate / np.convolve use numba's own inner product. numba's
linear algebra (np.linalg, np.dot) still imports SciPy itself when a function using it is compiled.

The overloads a dispatcher holds are keyed by the argument types (numba.typeof of each argument), so a call whose
types match a loaded overload runs it with no typing: callers pass the same array types on every call (see
changzhu.rules.kernels: inputs read-only, outputs writable) so one overload per kernel is loaded.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

import numba
from numba.core.caching import FunctionCache
from numba.core.runtime import rtsys

_BLAS = "scipy.linalg.cython_blas"


def kernel(function: Callable[..., Any]) -> Any:
    """numba.njit(nogil=True, cache=True) of `function`, whose cache hits skip numba's compiler registries."""
    dispatcher = numba.njit(nogil=True)(function)
    dispatcher._cache = _Cache(function)  # type: ignore[attr-defined]  # what cache=True sets (enable_caching)
    return dispatcher


class _Cache(FunctionCache):
    """numba's cache of one function; a load starts only numba's runtime, a miss numba's registries (without SciPy)."""

    def load_overload(self, sig: Any, target_context: Any) -> Any:
        rtsys.initialize(target_context)  # numba's runtime, which the machine code calls (what a refresh starts first)
        with self._guard_against_spurious_io_errors():
            loaded = self._load_overload(sig, target_context)
            if loaded is not None:
                return loaded
        registries_without_scipy()  # numba compiles next, refreshing its contexts: import the NumPy registry first
        return None


def start() -> None:
    """numba's runtime started, as a kernel's first cache load starts it (changzhu evaluate runs this in a thread
    while it reads the file, so the kernels do not wait for it)."""
    from numba.core.registry import cpu_target

    rtsys.initialize(cpu_target.target_context)


def registries_without_scipy() -> None:
    """Import numba's NumPy registry with SciPy's BLAS marked absent (before numba's first compilation)."""
    if "numba.np.arraymath" in sys.modules:
        return
    absent = _BLAS not in sys.modules
    if absent:
        sys.modules[_BLAS] = None  # type: ignore[assignment]  # `import` of it raises ImportError
    try:
        import numba.np.arraymath  # noqa: F401
    finally:
        if absent:
            del sys.modules[_BLAS]
