"""Each row's place among known codes, read from a text column's Arrow string views by a numba lookup.

polars casts text to an Enum at ≈20–35 ns a row (a region column of 1M rows: 21–67 ms of CPU on the shared machine);
a text of up to 12 bytes is held whole in its 16-byte string view (its length, then its bytes), so two 64-bit words
are the text itself, looked up in an open-addressed table of the known codes' views. A longer text's view holds its
length and first 4 bytes (one word), then where its bytes are: it is compared with the known codes of that length and
prefix, byte by byte in the chunk's data buffers. Each view placed is kept, and each row looks there first: a column
of 1M rows and a few distinct views takes 2–4 ms (docs/performance-history.md, sixteenth pass). A column whose text
is not among the codes is not placed here (None): the caller's polars path places it and names the problem, as it
always has.
"""

from __future__ import annotations

from functools import lru_cache
from typing import NamedTuple

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
SEEN = 1024  # slots of the views already placed (a power of 2; 20 KiB, in the first-level cache)
_NO_DATA = read_only(np.zeros(0, dtype=np.uint8))  # (a chunk of short texts only has no data buffer)


@kernel_without_runtime
def view_places(
    views: np.ndarray,
    valid: np.ndarray,
    has_valid: int,
    first: int,
    keys: np.ndarray,
    codes: np.ndarray,
    mask: int,
    data: np.ndarray,
    data_starts: np.ndarray,
    long_keys: np.ndarray,
    long_starts: np.ndarray,
    long_bytes: np.ndarray,
    seen: np.ndarray,
    seen_places: np.ndarray,
    out: np.ndarray,
) -> int:
    """out[i]: the place of row i's text (its view, two words) among the codes, -1 where null (bit first + i of
    `valid` clear, if `has_valid`: `first` is an Arrow array's offset). A text longer than INLINE is compared with the
    long codes (`long_keys`: each one's first view word, its length and first 4 bytes; its bytes from `long_starts[k]`
    in `long_bytes`, its place k) in `data`, the chunk's data buffers one after another (buffer j from
    `data_starts[j]` to `data_starts[j + 1]`). Every view placed, short or long, is kept in `seen` (its two words)
    and `seen_places` (its place, -1 where the slot is empty), slots by the same mix of the words, and each row looks
    there first: the views of a Parquet dictionary's long texts point at the same bytes, so each is compared once,
    and a column of few codes, short and long mixed, takes the same one branch on every row (a branch on the text's
    length, taken at random, cost as much as the lookup itself). Returns -1 when every row is placed, else the first
    row whose text is not among the codes (the rest of `out` is then not written)."""
    for i in range(views.shape[0]):
        bit = first + i
        if has_valid != 0 and (valid[bit >> 3] >> (bit & 7)) & 1 == 0:
            out[i] = -1
            continue
        a = views[i, 0]
        b = views[i, 1]
        slot = ((a * np.uint64(_MIX_A)) ^ (b * np.uint64(_MIX_B))) >> np.uint64(_SHIFT)
        kept = slot & np.uint64(seen.shape[0] - 1)
        if seen_places[kept] >= 0 and seen[kept, 0] == a and seen[kept, 1] == b:
            out[i] = seen_places[kept]
            continue
        size = np.int64(a & np.uint64(0xFFFFFFFF))
        found = -1
        if size > INLINE:
            buffer = np.int64(b & np.uint64(0xFFFFFFFF))
            if buffer + 1 >= data_starts.shape[0]:
                return i
            start = data_starts[buffer] + np.int64(b >> np.uint64(32))
            if start + size > data_starts[buffer + 1]:
                return i
            for k in range(long_keys.shape[0]):
                if long_keys[k] != a:
                    continue
                at = long_starts[k]
                same = True
                for j in range(size):
                    if data[start + j] != long_bytes[at + j]:
                        same = False
                        break
                if same:
                    found = k
                    break
        else:
            slot &= np.uint64(mask)
            while True:
                code = codes[slot]
                if code < 0:
                    break
                if keys[slot, 0] == a and keys[slot, 1] == b:
                    found = code
                    break
                slot = (slot + np.uint64(1)) & np.uint64(mask)
        if found < 0:
            return i
        seen[kept, 0] = a
        seen[kept, 1] = b
        seen_places[kept] = found
        out[i] = found
    return -1


class _Table(NamedTuple):
    """The known codes for view_places: the short ones' views in an open-addressed table (keys, each slot's place,
    -1 empty, and the slot mask), and per place the first view word of the long ones (0 for a short one: no view of
    a long text has it) and their bytes (where each starts among them)."""

    keys: np.ndarray
    places: np.ndarray
    mask: int
    long_keys: np.ndarray
    long_starts: np.ndarray
    long_bytes: np.ndarray


@lru_cache(maxsize=16)
def _table(known: tuple[str, ...]) -> _Table | None:
    """The codes' table (a quarter full at most); None if a code is repeated."""
    if len(set(known)) != len(known):
        return None
    size = 1
    while size < 4 * max(len(known), 1):
        size *= 2
    keys = np.zeros((size, 2), dtype=np.uint64)
    places = np.full(size, -1, dtype=np.int32)
    views = np.frombuffer(pa.array(known, type=pa.string_view()).buffers()[1], dtype=np.uint64).reshape(-1, 2)
    encoded = [code.encode() for code in known]
    long_keys = np.zeros(len(known), dtype=np.uint64)
    long_starts = np.zeros(len(known), dtype=np.int64)
    for k, ((a, b), raw) in enumerate(zip(views.tolist(), encoded, strict=True)):
        long_starts[k] = sum(len(r) for r in encoded[:k])
        if len(raw) > INLINE:
            long_keys[k] = a
            continue
        slot = (((a * _MIX_A) ^ (b * _MIX_B)) & _WORD) >> _SHIFT & (size - 1)
        while places[slot] >= 0:
            slot = (slot + 1) & (size - 1)
        keys[slot] = (a, b)
        places[slot] = k
    long_bytes = np.frombuffer(b"".join(encoded) or b"\0", dtype=np.uint8)
    return _Table(
        read_only(keys),
        read_only(places),
        size - 1,
        read_only(long_keys),
        read_only(long_starts),
        read_only(long_bytes),
    )


def text_places(column: pl.Series, known: tuple[str, ...], dtype: type = np.int32) -> np.ndarray | None:
    """Each row's place among `known` (of `dtype`, -1 where null), as a cast of the text to an Enum of `known` gives
    it; None where this lookup cannot place the column (not text, a text not among `known`). Each of the column's
    chunks is read where it is: to_arrow of a column in chunks would first copy their views into one array (16 bytes
    a row, ≈3–10 ms at 1M, as much as the lookup)."""
    table = _table(known)
    if table is None or column.dtype != pl.String or len(known) > np.iinfo(dtype).max:
        return None
    out: np.ndarray = np.empty(len(column), dtype=dtype)
    at = 0
    for part in column.get_chunks():
        got = part.to_arrow(compat_level=pl.CompatLevel.newest())
        for chunk in got.chunks if isinstance(got, pa.ChunkedArray) else [got]:
            if not _placed(chunk, table, out[at : at + len(chunk)]):
                return None
            at += len(chunk)
    return out if at == out.shape[0] else None


def _placed(chunk: pa.Array, table: _Table, out: np.ndarray) -> bool:
    """view_places over one Arrow array of string views, into `out`: whether every row is placed."""
    if chunk.type != pa.string_view():
        return False
    if len(chunk) == 0:
        return True
    buffers = chunk.buffers()
    bits, views_buffer = buffers[:2]
    if views_buffer is None:
        return False
    words = np.frombuffer(views_buffer, dtype=np.uint64, count=2 * (chunk.offset + len(chunk)))
    views = read_only(words.reshape(-1, 2)[chunk.offset :])
    valid = read_only(np.frombuffer(bits, dtype=np.uint8) if bits is not None else np.zeros(1, dtype=np.uint8))
    data, data_starts = _data(buffers[2:])
    placed = view_places(
        views, valid, int(bits is not None), chunk.offset, table.keys, table.places, table.mask, data, data_starts,
        table.long_keys, table.long_starts, table.long_bytes, np.zeros((SEEN, 2), dtype=np.uint64),
        np.full(SEEN, -1, dtype=np.int32), out,
    )  # fmt: skip
    return bool(placed == -1)


def _data(buffers: list[pa.Buffer | None]) -> tuple[np.ndarray, np.ndarray]:
    """A chunk's data buffers as one array (the only one itself; more copied one after another: a Parquet dictionary's
    texts are in one, a column built row by row has a few) and where each starts, the end after them."""
    found = [np.frombuffer(buffer, dtype=np.uint8) if buffer is not None else _NO_DATA for buffer in buffers]
    starts = np.zeros(len(found) + 1, dtype=np.int64)
    np.cumsum([part.shape[0] for part in found], out=starts[1:])
    if not found:
        return _NO_DATA, starts
    return read_only(found[0] if len(found) == 1 else np.concatenate(found)), read_only(starts)
