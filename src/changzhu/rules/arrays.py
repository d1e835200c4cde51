"""Per-row intervals of days with three-valued truth, and the array helpers the interval engine shares."""

from __future__ import annotations

import contextlib
import functools
import mmap
from dataclasses import dataclass

import numpy as np

from changzhu.rules.dates import FOREVER, NEVER


@dataclass
class Interval:
    """Per row, the span [start, end] of days on which a condition holds, as far as the known inputs tell.

    unknown: the result depends on an unknown input, so the span (the earliest date) cannot be trusted;
    decided: the value on the evaluation date is certain all the same (e.g. an all_of with a known-false part).
    None means False for unknown and "wherever not unknown" for decided: the common case costs nothing.
    """

    start: np.ndarray
    end: np.ndarray
    unknown: np.ndarray | None = None
    decided: np.ndarray | None = None

    def decided_mask(self) -> np.ndarray | None:
        """Where the value on the date is certain (None: everywhere)."""
        if self.decided is not None:
            return self.decided
        return None if self.unknown is None else ~self.unknown

    def holds(self, on: int) -> np.ndarray:
        """Holds on the date as far as known (False where unknown)."""
        return (self.start <= on) & (on <= self.end)

    def take(self, rows: np.ndarray) -> Interval:
        """The interval of some positions."""
        return Interval(
            self.start[rows],
            self.end[rows],
            None if self.unknown is None else self.unknown[rows],
            None if self.decided is None else self.decided[rows],
        )


def unknown_leaf(start: np.ndarray, end: np.ndarray, known: np.ndarray | None) -> Interval:
    """A condition whose input is known only where `known` (None: everywhere)."""
    if known is None or bool(known.all()):
        return Interval(start, end)
    return Interval(np.where(known, start, NEVER), end, ~known, known)


def all_of(parts: list[Interval], on: int) -> Interval:
    """Every part holds: intervals intersect; false if a known part is false, unknown if a part is unknown."""
    start = fold(np.maximum, [p.start for p in parts])
    end = fold(np.minimum, [p.end for p in parts])
    if not endless(end):  # an endless end is FOREVER: only a start of NEVER is after it, and stays NEVER
        start = np.where(start > end, NEVER, start)
    if all(p.unknown is None for p in parts):
        return Interval(start, end)
    known_never = _any([_and(_not(p.unknown), p.start >= NEVER) for p in parts])
    unknown = _any([p.unknown for p in parts if p.unknown is not None]) & ~known_never
    known_false_now = _any([_certain(p) & ~p.holds(on) for p in parts])
    decided = _all([p.decided_mask() for p in parts]) | known_false_now
    return Interval(start, end, unknown, decided)


def any_of(parts: list[Interval], on: int) -> Interval:
    """One part is enough: the earliest start and latest end; true if a known part is true, else unknown if a part
    is unknown."""
    start = fold(np.minimum, [p.start for p in parts])
    if all(endless(p.end) for p in parts):  # every branch holds forever once it starts
        end = parts[0].end
    else:
        live = [p.start < NEVER for p in parts]
        end = fold(np.maximum, [np.where(ok, p.end, -1) for p, ok in zip(parts, live, strict=True)])
        end = np.where(start < NEVER, end, FOREVER)
    if all(p.unknown is None for p in parts):
        return Interval(start, end)
    known_for_good = _any([_and(_not(p.unknown), (p.start <= on) & (p.end >= FOREVER)) for p in parts])
    unknown = _any([p.unknown for p in parts if p.unknown is not None]) & ~known_for_good
    known_true_now = _any([_certain(p) & p.holds(on) for p in parts])
    decided = _all([p.decided_mask() for p in parts]) | known_true_now
    return Interval(start, end, unknown, decided)


# an all_of / any_of asks its later parts only for the rows still open once fewer than this share of them are
NARROW_BELOW = 0.6


def closes(got: Interval) -> np.ndarray:
    """Where a part of an all_of is known never to hold (and that is decided): there the all_of is never, known
    and decided whatever its other parts say, so the later parts need not be asked."""
    dead = got.start >= NEVER
    decided = got.decided_mask()
    if got.unknown is not None:
        dead = dead & ~got.unknown
    return dead if decided is None else dead & decided


def opens(got: Interval, on: int) -> np.ndarray:
    """Where a part of an any_of is known to hold from the date on for good (and that is decided): there the
    any_of holds from the date for good, known and decided, whatever its other parts say (no part starts before
    the date)."""
    good = (got.start <= on) & (got.end >= FOREVER)
    decided = got.decided_mask()
    if got.unknown is not None:
        good = good & ~got.unknown
    return good if decided is None else good & decided


def open_positions(closed: np.ndarray) -> np.ndarray | None:
    """The positions an all_of's later parts still decide; None (ask every row) while too few are closed to pay
    for gathering them."""
    if closed.shape[0] - np.count_nonzero(closed) >= NARROW_BELOW * closed.shape[0]:  # counted, not gathered
        return None
    return np.flatnonzero(~closed)


def widen(got: Interval, live: np.ndarray, m: int, settled_start: int) -> Interval:
    """A part asked for the positions `live` back on all m rows: elsewhere starting on `settled_start` (NEVER:
    never) for good, known and decided (the group is settled there by an earlier part)."""
    start = np.full(m, settled_start, dtype=got.start.dtype)
    start[live] = got.start
    if endless(got.end):
        end = np.broadcast_to(FOREVER, (m,))
    else:
        end = np.full(m, FOREVER, dtype=got.end.dtype)
        end[live] = got.end
    unknown = decided = None
    if got.unknown is not None:
        unknown = np.zeros(m, dtype=bool)
        unknown[live] = got.unknown
    if got.decided is not None:
        decided = np.ones(m, dtype=bool)
        decided[live] = got.decided
    return Interval(start, end, unknown, decided)


def _certain(p: Interval) -> np.ndarray:
    """Where a part's value on the date is certain."""
    decided = p.decided_mask()
    return np.ones(p.start.shape, dtype=bool) if decided is None else decided


def _not(mask: np.ndarray | None) -> np.ndarray | bool:
    return True if mask is None else ~mask


def _and(a: np.ndarray | bool, b: np.ndarray) -> np.ndarray:
    return b if a is True else np.asarray(a) & b


def _any(masks: list[np.ndarray]) -> np.ndarray:
    return functools.reduce(np.logical_or, masks)


def _all(masks: list[np.ndarray | None]) -> np.ndarray:
    present = [m for m in masks if m is not None]
    if not present:
        raise ValueError("no masks")
    return functools.reduce(np.logical_and, present)


def endless(end: np.ndarray) -> bool:
    """An interval end that is FOREVER for every row, kept as a broadcast view (no memory per row)."""
    return end.ndim == 1 and end.strides == (0,) and (end.size == 0 or end[0] == FOREVER)


def fold(ufunc: np.ufunc, arrays: list[np.ndarray]) -> np.ndarray:
    """ufunc applied pairwise over the arrays, left to right (ufunc.reduce on a list would first copy them into one
    2-D array). The first result is the accumulator: the later ones are folded into it in place where that keeps
    its type and shape, so k arrays cost one new array, not k - 1 (each a fresh allocation, page faults included)."""
    if len(arrays) > 1 and all(a.ndim == 1 and a.strides == (0,) and a.size for a in arrays):
        return np.broadcast_to(functools.reduce(ufunc, [a[:1] for a in arrays])[0], arrays[0].shape)
    if len(arrays) < 2:
        return functools.reduce(ufunc, arrays)
    acc = ufunc(arrays[0], arrays[1])  # a new array, never one of the inputs
    for a in arrays[2:]:
        if np.result_type(acc, a) == acc.dtype and np.broadcast_shapes(acc.shape, a.shape) == acc.shape:
            ufunc(acc, a, out=acc)
        else:
            acc = ufunc(acc, a)
    return acc


def category_table(categories: tuple[str, ...], wanted: list[str]) -> np.ndarray:
    """Indexed by category code: whether it is among `wanted`; code -1 (unknown) indexes the last entry, False."""
    table = np.zeros(len(categories) + 1, dtype=bool)
    table[[categories.index(w) for w in wanted]] = True
    return table


HUGE = 1 << 22  # NumPy asks the system for huge pages for a block of at least this many bytes
THP_MODE = "/sys/kernel/mm/transparent_hugepage/enabled"


def small_pages_zeros(size: int, dtype: type) -> np.ndarray:
    """A new array of `size` zeros of `dtype`, in memory the system gives in 4 KiB pages rather than 2 MiB ones, its
    pages given at once.

    For the large arrays an evaluation writes once and keeps (kernels' outputs, the result's names columns and
    totals): on this project's machine (a Firecracker guest that hands free memory back to its host in blocks of
    2 MiB), a fresh huge page is often one handed back, and faulting one in cost up to ≈1.7 ms of system time per
    MiB against ≈0.3–0.4 ms in 4 KiB pages (docs/performance-history.md, seventh pass). NumPy asks for huge pages
    from 4 MiB on; this asks the system not to (an anonymous mapping of its own, zeroed by the system). Every page is
    written, so the mapping is populated when made (MAP_POPULATE): one call giving every page costs about two thirds
    of the system time of a fault per page on first write (docs/performance-history.md, thirteenth pass). Where the
    system gives huge pages to every mapping unasked (THP "always"), pages populated before the advice would be huge
    ones: there the pages come on first write, as before. A system refusing the advice (a kernel built without
    transparent huge pages answers EINVAL: it gives no huge page anyway) still gets its zeros: the advice only
    saves time, the mapping is the same."""
    nbytes = size * np.dtype(dtype).itemsize
    if nbytes < HUGE or not hasattr(mmap, "MADV_NOHUGEPAGE"):
        return np.zeros(size, dtype=dtype)
    flags = mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS | (_POPULATE if _huge_pages_only_when_asked() else 0)
    memory = mmap.mmap(-1, nbytes, flags=flags)
    with contextlib.suppress(OSError):
        memory.madvise(mmap.MADV_NOHUGEPAGE)
    return np.frombuffer(memory, dtype=dtype)


ROWS_BLOCK = 1 << 18  # rows counted at a time where a pass over all at once would make an int64 array of every row


def small_pages_full(shape: tuple[int, ...], value: object, dtype: type) -> np.ndarray:
    """A new array of `shape` holding `value` everywhere, in the memory small_pages_zeros gives (for the arrays of
    one value an evaluation writes once and reads: a column holding no value, a service known everywhere)."""
    made = small_pages_zeros(int(np.prod(shape)), dtype).reshape(shape)
    made.fill(value)
    return made


_POPULATE = getattr(mmap, "MAP_POPULATE", 0)


@functools.cache
def _huge_pages_only_when_asked() -> bool:
    """Whether the system gives a mapping huge pages only where asked (THP "madvise" or "never"), read once."""
    try:
        with open(THP_MODE) as mode:
            return "[always]" not in mode.read()
    except OSError:
        return False
