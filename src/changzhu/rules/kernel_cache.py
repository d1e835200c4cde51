"""The kernel cache: generated kernel modules written to the private cache directory, imported once per process.

What runs is always the text generated in this process: the file is checked against it before import, numba keeps
the machine code beside it (changzhu.rules.numba_start), and the module's bytecode is kept beside it too (_code).
Used by the compiled rules of one date (changzhu.rules.kernels), the points schemes' kernels
(changzhu.rules.points_kernels) and the compiled interval trees (changzhu.rules.interval_kernels); run_checked is
how the first two call a kernel that has an exact twin.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import importlib.util
import marshal
import os
import stat
import sys
import tempfile
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from types import CodeType, ModuleType
from typing import Any

from changzhu.config import CACHE_DIR_ENV, cache_dir
from changzhu.errors import ChangzhuError
from changzhu.rules.codegen import EXACT, source_digest

# a kernel call's arguments (one part of the rows), and how calls are spread: a thread pool's map, or map
Call = tuple[Any, ...]
Spread = Callable[[Callable[[Call], bool], Sequence[Call]], Iterable[bool]]

MODULES_KEPT = 64  # kernel modules kept loaded per process (one per chain structure and table values)
_modules: OrderedDict[str, ModuleType] = OrderedDict()


def kernel_functions(module: ModuleType, name: str, exact: bool) -> tuple[Any, Any, Any, Any]:
    """A loaded kernel's fast functions over listed rows and over a run of rows, and their exact twins (None, None
    where the kernel has none: every row's fast answer is exact)."""
    twin = name + EXACT
    twins = (getattr(module, twin), getattr(module, f"{twin}_span")) if exact else (None, None)
    return getattr(module, name), getattr(module, f"{name}_span"), *twins


def run_checked(fast: Any, exact: Any, calls: Sequence[Call], module_file: str, spread: Spread = map) -> None:
    """Each call (a kernel's arguments over one part of the rows) run by the fast kernel, the calls spread by
    `spread` (a thread pool's map: the kernels release the GIL; map: one after another), then the exact twin over
    each call whose part had a row the fast kernel does not divide exactly (it returned True: a number beyond 2**52
    or infinite, never in real data); `exact` is None where the kernel has no twin (it never returns True).

    A kernel not loaded yet in this process (no overload) is compiled or loaded under the module's lock (one
    process compiles a module, the others wait and load it): the fast kernel's first call, and every call of the
    twin, which is compiled when first needed. A caller that has loaded the fast kernel (CompiledRules.compile)
    pays no lock.
    Callers: CompiledRules._call (a chain's parts over threads), SchemeTotals.totals (one call, `[call]`)."""
    rest = list(calls)
    flagged: list[bool] = []
    if rest and not fast.overloads:
        with compiling(module_file):
            flagged.append(bool(fast(*rest[0])))
        rest = rest[1:]
    flagged += spread(lambda call: bool(fast(*call)), rest)
    for call, again in zip(calls, flagged, strict=True):
        if again:
            with compiling(module_file):
                exact(*call)


def load_module(text: str) -> ModuleType:
    """The module of this text (kernels), written to the cache directory once and imported once per process.

    What runs is always the text generated here: the cached file is read back and compared with it before import
    (an edited or damaged file is rewritten, never run), and the text is compiled from memory under the file's name
    so numba's cache beside it still applies (its bytecode kept beside it: _code)."""
    name = f"changzhu_rules_{source_digest(text)}"
    module = _modules.get(name)
    if module is not None:
        _modules.move_to_end(name)
        sys.modules[name] = module  # numba's cache imports it by name when it loads a kernel: keep it findable
        return module
    path = _write(text, f"{name}.py")
    module = ModuleType(name)
    module.__file__ = str(path)
    sys.modules[name] = module  # numba's cache finds the kernels' globals through the module's name
    exec(_code(text, path), module.__dict__)
    _modules[name] = module
    while len(_modules) > MODULES_KEPT:  # a long-lived process running many reforms: drop the oldest
        dropped, _ = _modules.popitem(last=False)
        sys.modules.pop(dropped, None)
    return module


@contextmanager
def compiling(module_file: str) -> Iterator[None]:
    """An exclusive lock on the module's lock file while its kernels are compiled or loaded (released by the
    system if the process dies); without a writable lock file, no lock."""
    try:
        handle = open(f"{module_file}.lock", "a")  # noqa: SIM115 (held for the block)
    except OSError:
        yield
        return
    with handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield


def _private_directory(directory: Path) -> Path:
    """`directory`, created 0700 if missing; refused if another user owns it or others may write to it (numba's
    cache beside the kernels is loaded as code)."""
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    status = directory.stat()
    if status.st_uid != os.getuid() or status.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        raise ChangzhuError(
            f"kernel cache {directory} is writable by other users (mode {stat.filemode(status.st_mode)}, owner uid "
            f"{status.st_uid}): run `chmod 700 {directory}` or set {CACHE_DIR_ENV} to a private directory"
        )
    return directory


def _write(text: str, name: str) -> Path:
    """The file holding exactly `text` (written atomically if missing or different) in the private cache directory;
    a private temporary directory if the cache cannot be created."""
    try:
        directory = _private_directory(cache_dir() / "kernels")
    except OSError:
        directory = Path(tempfile.mkdtemp(prefix="changzhu-kernels-"))
    path = directory / name
    try:
        current = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        current = None
    if current != text:
        _replace(path, text.encode("utf-8"))
    return path


def _code(text: str, path: Path) -> CodeType:
    """The module's bytecode, compiled from `text` under the file's name: read from the file beside it when that was
    compiled from this very text at this path by this Python (a header of Python's magic number and the SHA-256 of
    both), else compiled and written there. Compiling costs 5-15 ms of CPU a chain, reading it 0.1-0.2 ms; the file
    is trusted as numba's machine code beside it is (the directory is private, _private_directory)."""
    header = importlib.util.MAGIC_NUMBER + hashlib.sha256(f"{path}\n{text}".encode()).digest()
    kept = path.with_suffix(".code")
    try:
        data = kept.read_bytes()
        if data.startswith(header):
            code = marshal.loads(data[len(header) :])
            if isinstance(code, CodeType):
                return code
    except (OSError, EOFError, ValueError, TypeError):
        pass
    code = compile(text, str(path), "exec")
    with contextlib.suppress(OSError):  # a read-only cache: compiled again next time
        _replace(kept, header + marshal.dumps(code))
    return code


def _replace(path: Path, data: bytes) -> None:
    """Write `data` to `path` atomically (a temporary file in the same directory, renamed over it)."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    with os.fdopen(handle, "wb") as f:
        f.write(data)
    os.replace(temporary, path)
