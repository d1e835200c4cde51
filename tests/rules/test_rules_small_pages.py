"""The large arrays an evaluation writes once and keeps are in memory asked for in small pages
(arrays.small_pages_zeros): no huge pages, whose fresh faults cost this project's machine several times the system time
(docs/performance-history.md, seventh pass)."""

import mmap
import sys

import numpy as np
import polars as pl
import pytest

from changzhu.rules.arrays import HUGE, small_pages_zeros
from changzhu.rules.engine import PointsResult
from changzhu.rules.evaluate import _names_column, _TotalBuffers
from changzhu.rules.interval_kernels import _outputs

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux") or not hasattr(mmap, "MADV_NOHUGEPAGE"), reason="Linux's madvise"
)


def _no_huge_pages(address: int) -> bool:
    """Whether the mapping holding `address` is advised against huge pages (VmFlags nh in /proc/self/smaps)."""
    inside = False
    with open("/proc/self/smaps") as smaps:
        for line in smaps:
            head = line.split()[0]
            if "-" in head and not head.endswith(":"):
                low, high = (int(x, 16) for x in head.split("-"))
                inside = low <= address < high
            elif inside and head == "VmFlags:":
                return "nh" in line.split()[1:]
    raise AssertionError(f"no mapping holds {address:#x}")


def test_small_pages_zeros_are_zeros_of_the_type_in_small_pages() -> None:
    big = small_pages_zeros(HUGE // 4 + 3, np.int32)
    assert big.dtype == np.int32 and big.shape == (HUGE // 4 + 3,) and big.flags.writeable and big.flags.c_contiguous
    assert not big.any()
    big[-1] = 7  # (writable: the kernels write it)
    assert _no_huge_pages(big.ctypes.data)
    small = small_pages_zeros(10, np.float64)  # below NumPy's huge-page size: an ordinary array
    assert small.dtype == np.float64 and not small.any()


def test_a_stage_kernels_outputs_are_in_small_pages() -> None:
    start, end, unknown, decided = _outputs(HUGE // 4, ends=True, unknowns=True)
    assert end is not None and unknown is not None and decided is not None
    assert _no_huge_pages(start.ctypes.data) and _no_huge_pages(end.ctypes.data)
    assert _no_huge_pages(unknown.ctypes.data) and _no_huge_pages(decided.ctypes.data)


def test_a_names_columns_offsets_and_names_are_in_small_pages() -> None:
    n = HUGE // 8
    rows = np.arange(0, n, 2, dtype=np.int64)
    column = _names_column("needs_x", n, {"a_name_longer_than_twelve": rows, "b": rows})
    buffers = column.to_arrow(compat_level=pl.CompatLevel.newest()).buffers()  # validity, offsets, (child) -, views
    assert _no_huge_pages(buffers[1].address) and _no_huge_pages(buffers[3].address)
    assert column[0].to_list() == ["a_name_longer_than_twelve", "b"] and column[1] is None


def test_points_spread_over_rows_are_in_small_pages() -> None:
    n = HUGE // 8
    rows = np.arange(0, n, 3, dtype=np.int64)
    values = np.full(rows.shape[0], 5.0)
    got = _TotalBuffers(n).spread([PointsResult(rows, values, values, values)], 0)
    assert _no_huge_pages(got.buffers()[1].address)
    assert got[0].as_py() == 5.0 and got[1].as_py() is None
