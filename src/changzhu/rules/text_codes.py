"""Each row's place among known codes, read from a text column's Arrow string views by a numba lookup.

polars casts text to an Enum at ≈20–35 ns a row (a region column of 1M rows: 21–67 ms of CPU on the shared machine);
a text of up to 12 bytes is held whole in its 16-byte string view (its length, then its bytes), so two 64-bit words
are the text itself, and a lookup of them in an open-addressed table of the known codes' views takes 4–11 ms. A column
with a text longer than 12 bytes or one not among the codes is not placed here (None): the caller's polars path
places it and names the problem, as it always has.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import polars as pl
import pyarrow as pa

from changzhu.rules.codegen import read_only
from changzhu.rules.numba_start import kernel_without_runtime

INLINE = 12  # texts of up to this many bytes are held whole in their view
_MIX_A = 0x9E3779B97F4A7C15  # (odd constants: the two words mixed into a slot)
_MIX_B = 0xC2B2AE3D27D4EB4F
_SHIFT = 40
_WORD = 2**64 - 1


@kernel_without_runtime
def view_places(
    views: np.ndarray,
    valid: np.ndarray,
    has_valid: int,
    first: int,
    keys: np.ndarray,
    codes: np.ndarray,
    mask: int,
    out: np.ndarray,
) -> int:
    """out[i]: the place of row i's text (its view, two words) among the codes, -1 where null (bit first + i of
    `valid` clear, if `has_valid`: `first` is an Arrow array's offset). Returns -1 when every row is placed, else the
    first row whose text is longer than INLINE or not among the codes (the rest of `out` is then not written)."""
    for i in range(views.shape[0]):
        bit = first + i
        if has_valid != 0 and (valid[bit >> 3] >> (bit & 7)) & 1 == 0:
            out[i] = -1
            continue
        a = views[i, 0]
        b = views[i, 1]
        if (a & np.uint64(0xFFFFFFFF)) > INLINE:
            return i
        slot = ((a * np.uint64(_MIX_A)) ^ (b * np.uint64(_MIX_B))) >> np.uint64(_SHIFT) & np.uint64(mask)
        while True:
            code = codes[slot]
            if code < 0:
                return i
            if keys[slot, 0] == a and keys[slot, 1] == b:
                out[i] = code
                break
            slot = (slot + np.uint64(1)) & np.uint64(mask)
    return -1


@lru_cache(maxsize=8)
def _table(known: tuple[str, ...]) -> tuple[np.ndarray, np.ndarray, int] | None:
    """The codes' views in an open-addressed table (a quarter full at most): keys, each slot's place (-1 empty) and
    the slot mask; None if a code is longer than INLINE or repeated."""
    if len(set(known)) != len(known) or any(len(code.encode()) > INLINE for code in known):
        return None
    size = 1
    while size < 4 * max(len(known), 1):
        size *= 2
    keys = np.zeros((size, 2), dtype=np.uint64)
    places = np.full(size, -1, dtype=np.int32)
    views = np.frombuffer(pa.array(known, type=pa.string_view()).buffers()[1], dtype=np.uint64).reshape(-1, 2)
    for k, (a, b) in enumerate(views.tolist()):
        slot = (((a * _MIX_A) ^ (b * _MIX_B)) & _WORD) >> _SHIFT & (size - 1)
        while places[slot] >= 0:
            slot = (slot + 1) & (size - 1)
        keys[slot] = (a, b)
        places[slot] = k
    return read_only(keys), read_only(places), size - 1


def text_places(column: pl.Series, known: tuple[str, ...]) -> np.ndarray | None:
    """Each row's place among `known` (int32, -1 where null), as a cast of the text to an Enum of `known` gives it;
    None where this lookup cannot place the column (not text, a text longer than INLINE or not among `known`). Each
    of the column's chunks is read where it is: to_arrow of a column in chunks would first copy their views into
    one array (16 bytes a row, ≈3–10 ms at 1M, as much as the lookup)."""
    table = _table(known)
    if table is None or column.dtype != pl.String:
        return None
    out = np.empty(len(column), dtype=np.int32)
    at = 0
    for part in column.get_chunks():
        got = part.to_arrow(compat_level=pl.CompatLevel.newest())
        for chunk in got.chunks if isinstance(got, pa.ChunkedArray) else [got]:
            if not _placed(chunk, table, out[at : at + len(chunk)]):
                return None
            at += len(chunk)
    return out if at == out.shape[0] else None


def _placed(chunk: pa.Array, table: tuple[np.ndarray, np.ndarray, int], out: np.ndarray) -> bool:
    """view_places over one Arrow array of string views, into `out`: whether every row is placed."""
    if chunk.type != pa.string_view():
        return False
    if len(chunk) == 0:
        return True
    bits, views_buffer = chunk.buffers()[:2]
    if views_buffer is None:
        return False
    words = np.frombuffer(views_buffer, dtype=np.uint64, count=2 * (chunk.offset + len(chunk)))
    views = read_only(words.reshape(-1, 2)[chunk.offset :])
    valid = read_only(np.frombuffer(bits, dtype=np.uint8) if bits is not None else np.zeros(1, dtype=np.uint8))
    keys, places, mask = table
    return bool(view_places(views, valid, int(bits is not None), chunk.offset, keys, places, mask, out) == -1)
