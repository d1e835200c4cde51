"""numba's start-up for the rule kernels: a kernel found in the cache loads without numba's compiler registries.

`kernel` is numba.njit(nogil=True, cache=True) with one difference on a cache hit. numba refreshes its typing and
target contexts before every cache load (numba.core.caching.Cache.load_overload): it imports and installs every
registry of implementations (its NumPy support, typed containers, random numbers, cffi...), 0.1-0.15 s of CPU in a
fresh process, although a cached kernel runs machine code that needs none of it. Here a load only starts numba's
runtime (NRT: the machine code calls it), where the kernel uses it, and reads the cache. A miss starts the
registries as numba would (its compiler refreshes both contexts before compiling), with its NumPy registry
(numba.np.arraymath) imported first with scipy.linalg.cython_blas marked absent: that module's BLAS check imports
SciPy (0.2-0.3 s) for linear algebra no rule kernel uses; the only effect is that numba's np.correlate /
np.convolve use numba's own inner product. numba's linear algebra (np.linalg, np.dot) still imports SciPy itself
when a function using it is compiled.

The overloads a dispatcher holds are keyed by the argument types (numba.typeof of each argument): callers pass the
same array types on every call (see changzhu.rules.kernels: inputs read-only, outputs writable) so one overload per
kernel is loaded.

A cache hit also skips two parts of numba's rebuild (_Impl): the bitcode numba keeps beside the machine code for
linking the function into another is parsed only when one links it (a kernel called from Python: never), and of its
symbols only the entry point is recorded (numba listed every one of them through LLVM); about 2.5 ms of CPU a kernel.

The generated rule modules (kernel_without_runtime) go further: each kernel is made on its first call (each chain's
kernel has a function over given rows and one over a span, and a run calls one of them; an exact twin runs only for
a row that needs it), is compiled without numba's runtime (it makes no array), so its load starts no runtime (numba
compiles NRT's functions with LLVM in every process that starts it, 0.02-0.03 s of CPU), and its calls select the
overload from NumPy facts of the arguments (_OnCall) rather than through numba's typing, which types every read-only
array in Python at every call and imports numpy.ma and numba's extensions at the first (0.015-0.02 s).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any, cast

import numba
import numpy as np
from llvmlite import binding as ll
from numba.core import entrypoints
from numba.core.caching import CompileResultCacheImpl, FunctionCache
from numba.core.codegen import JITCodeLibrary
from numba.core.compiler import CompileResult
from numba.core.runtime import rtsys

_BLAS = "scipy.linalg.cython_blas"


def kernel(function: Callable[..., Any], runtime: bool = True) -> Any:
    """numba.njit(nogil=True, cache=True) of `function`, whose cache hits skip numba's compiler registries; compiled
    without numba's runtime (NRT) when `runtime` is False, for a function making no array (numba refuses to compile
    one that does), whose load from the cache then starts no runtime either."""
    dispatcher: Any = cast(Any, numba.njit)(nogil=True, _nrt=runtime)(function)  # _nrt: numba's runtime option
    dispatcher._cache = _Cache(function, runtime)  # what cache=True sets (enable_caching)
    return dispatcher


def kernel_without_runtime(function: Callable[..., Any]) -> Any:
    """`kernel(function, runtime=False)`, made when first called or inspected: for the generated rule kernels, which
    make no array (tables are module constants, outputs are arguments). A module's kernels that a run does not call
    (a chain's function over given rows or over a span, of which a run calls one; an exact twin no row needs) cost
    no dispatcher and no cache lookup; a call runs the overload its arguments' types select, found without numba's
    typing (_OnCall).
    Only for kernels called from Python (numba cannot call this wrapper from a kernel)."""
    return _OnCall(function)


class _OnCall:
    """A kernel made at its first use (kernel_without_runtime), each call running the overload of its arguments' types.

    numba's dispatcher types every read-only array argument in Python at every call (its C fast path takes writable
    arrays only, and the kernels' inputs are read-only), and its first call imports numpy.ma and numba's extensions.
    Here a call's types are a key of NumPy facts (an array's dtype, dimensions, layout and writability; an int), the
    overload of a new key is loaded from the cache (or compiled) by the dispatcher's compile with the signature
    numba's typeof gives for those facts, and calls with a known key run its entry point directly. A call with an
    argument of any other kind goes through the dispatcher, as numba would run it."""

    __slots__ = ("_dispatcher", "_entries", "_function")

    def __init__(self, function: Callable[..., Any]) -> None:
        self._function = function
        self._dispatcher: Any = None
        self._entries: dict[tuple[Any, ...], Any] = {}

    def _made(self) -> Any:
        if self._dispatcher is None:
            self._dispatcher = kernel(self._function, runtime=False)
        return self._dispatcher

    def __call__(self, *args: Any) -> Any:
        key = tuple(map(_type_key, args))
        entry = self._entries.get(key)
        if entry is None:
            entry = self._entry(key)
        return entry(*args)

    def _entry(self, key: tuple[Any, ...]) -> Any:
        """What runs calls of these argument types: the overload's entry point (loaded or compiled now), or the
        dispatcher itself where an argument's numba type is not told by its key."""
        entry = self._made()
        if None not in key:
            entry = entry.compile(tuple(_numba_type(k) for k in key))
        self._entries[key] = entry
        return entry

    def __getattr__(self, name: str) -> Any:
        return getattr(self._made(), name)


_INT64_RANGE = range(1 - 2**63, 2**63)  # ints numba types int64 (at most 63 bits: numba.typeof, _typeof_int)


def _type_key(value: Any) -> Any:
    """What numba's typeof reads of an argument that is exactly a NumPy array or a Python int in int64's range; None
    for anything else (the dispatcher types it)."""
    kind = type(value)
    if kind is np.ndarray:
        flags = value.flags
        layout = "C" if flags.c_contiguous else "F" if flags.f_contiguous else "A"
        return (value.dtype, value.ndim, layout, flags.writeable)
    if kind is int and value in _INT64_RANGE:
        return "int64"
    return None


def _numba_type(key: Any) -> Any:
    """The numba type of a _type_key, as numba.typeof gives it (numba.core.typing.typeof: _typeof_ndarray and
    numpy_support.map_layout, _typeof_int)."""
    if key == "int64":
        return numba.types.int64
    dtype, ndim, layout, writeable = key
    return numba.types.Array(numba.from_dtype(dtype), ndim, layout, readonly=not writeable)


class _Library(JITCodeLibrary):
    """A kernel's machine code loaded from numba's cache; the bitcode numba keeps beside it for linking the kernel
    into another function is parsed only if one does (a kernel is called from Python: never)."""

    def __init__(self, codegen: Any, name: str, linking: bytes) -> None:
        super().__init__(codegen, name)
        self._linking = linking

    def _get_module_for_linking(self) -> Any:
        if self._shared_module is None:
            self._shared_module = ll.parse_bitcode(self._linking)
        return self._shared_module


class _Impl(CompileResultCacheImpl):
    """numba's rebuild of a cached kernel (numba.core.compiler.CompileResult._rebuild) without parsing the bitcode
    kept for linking and listing all its symbols: only the entry point's name is recorded as defined."""

    def rebuild(self, target_context: Any, payload: Any) -> Any:
        libdata, fndesc, env, signature, objectmode, lifted, typeann, reload_init, referenced_envs = payload
        name, kind, data = libdata
        if kind != "object" or reload_init or objectmode or lifted:
            return super().rebuild(target_context, payload)
        object_code, linking = data
        codegen = target_context.codegen()
        library = _Library(codegen, name, linking)
        library.enable_object_caching()
        library._set_compiled_object(object_code)
        library._finalize_final_module()  # the machine code loaded into the JIT (object cache hook)
        codegen._engine._defined_symbols.add(fndesc.llvm_cpython_wrapper_name)
        cres = cast(Any, CompileResult)(  # a namedtuple subclass mypy does not see through
            target_context=target_context,
            typing_context=target_context.typing_context,
            library=library,
            environment=env,
            entry_point=target_context.get_executable(library, fndesc, env),
            fndesc=fndesc,
            type_annotation=typeann,
            signature=signature,
            objectmode=objectmode,
            lifted=lifted,
            typing_error=None,
            call_helper=None,
            metadata=None,
            reload_init=reload_init,
            referenced_envs=referenced_envs,
        )
        for referenced in referenced_envs:
            codegen.set_env(referenced.env_name, referenced)
        return cres


class _Cache(FunctionCache):
    """numba's cache of one function; a load starts only numba's runtime, a miss numba's registries (without SciPy)."""

    _impl_class = _Impl

    def __init__(self, function: Callable[..., Any], runtime: bool) -> None:
        super().__init__(function)
        self._runtime = runtime

    def load_overload(self, sig: Any, target_context: Any) -> Any:
        if self._runtime:  # numba's runtime, which the machine code calls (what a refresh starts first)
            rtsys.initialize(target_context)
        with self._guard_against_spurious_io_errors():
            loaded = self._load_overload(sig, target_context)
            if loaded is not None:
                return loaded
        registries_without_scipy()  # numba compiles next, refreshing its contexts: import the NumPy registry first
        entrypoints.init_all()  # numba's extensions, which a dispatcher's call loads first (_OnCall compiles directly)
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
