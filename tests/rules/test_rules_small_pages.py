"""The large arrays an evaluation writes once and keeps are in memory asked for in small pages
(arrays.small_pages_zeros): no huge pages, whose fresh faults cost this project's machine several times the system time
(docs/performance-history.md, seventh pass)."""

import mmap
import sys

import numpy as np
import polars as pl
import pytest

from changzhu.rules.arrays import HUGE, _huge_pages_only_when_asked, small_pages_full, small_pages_zeros
from changzhu.rules.engine import PointsResult
from changzhu.rules.evaluate import _names_column, _TotalBuffers
from changzhu.rules.interval_kernels import _outputs

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux") or not hasattr(mmap, "MADV_NOHUGEPAGE"), reason="Linux's madvise"
)


def _mapping(address: int) -> dict[str, str]:
    """The fields of the mapping holding `address` in /proc/self/smaps (Rss in kB, VmFlags, ...)."""
    inside = False
    fields: dict[str, str] = {}
    with open("/proc/self/smaps") as smaps:
        for line in smaps:
            head = line.split()[0]
            if "-" in head and not head.endswith(":"):
                low, high = (int(x, 16) for x in head.split("-"))
                inside = low <= address < high
                fields = {"size": str((high - low) // 1024)}
            elif inside:
                fields[head.removesuffix(":")] = " ".join(line.split()[1:])
                if head == "VmFlags:":
                    return fields
    raise AssertionError(f"no mapping holds {address:#x}")


def _no_huge_pages(address: int) -> bool:
    """Whether the mapping holding `address` is advised against huge pages (VmFlags nh in /proc/self/smaps)."""
    return "nh" in _mapping(address)["VmFlags"].split()


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


def test_a_names_columns_offsets_are_in_small_pages() -> None:
    """The offsets, 8 bytes a row; the names are codes polars copies to its own (4 bytes a name listed)."""
    n = HUGE // 8
    rows = np.arange(0, n, 2, dtype=np.int64)
    column = _names_column("needs_x", n, {"a_name_longer_than_twelve": rows, "b": rows})
    buffers = column.to_arrow(compat_level=pl.CompatLevel.newest()).buffers()  # validity, offsets, (child) ...
    assert _no_huge_pages(buffers[1].address)
    assert column[0].to_list() == ["a_name_longer_than_twelve", "b"] and column[1] is None


def test_points_spread_over_rows_are_in_small_pages() -> None:
    n = HUGE // 8
    rows = np.arange(0, n, 3, dtype=np.int64)
    values = np.full(rows.shape[0], 5.0)
    got = _TotalBuffers(n).spread([PointsResult(rows, values, values, values)], 0)
    assert _no_huge_pages(got.buffers()[1].address)
    assert got[0].as_py() == 5.0 and got[1].as_py() is None


@pytest.mark.skipif(not _huge_pages_only_when_asked(), reason="THP always: pages come on first write")
def test_small_pages_zeros_are_given_every_page_at_once() -> None:
    """Populated when made (MAP_POPULATE): every page is resident before anything is written, so the kernels writing
    it take no fault per page (docs/performance-history.md, thirteenth pass)."""
    big = small_pages_zeros(HUGE // 8, np.float64)
    found = _mapping(big.ctypes.data)
    assert found["Rss"] == f"{big.nbytes // 1024} kB" and _no_huge_pages(big.ctypes.data)
    assert not big.any()


def test_small_pages_full_holds_the_value_in_small_pages() -> None:
    made = small_pages_full((HUGE // 8, 1), np.nan, np.float64)
    assert made.shape == (HUGE // 8, 1) and made.dtype == np.float64 and bool(np.isnan(made).all())
    assert _no_huge_pages(made.ctypes.data)
    assert small_pages_full((3,), -1, np.int32).tolist() == [-1, -1, -1]


def test_a_column_holding_no_value_is_read_from_small_pages() -> None:
    """The one array of a column the table leaves empty (Frame._blank), written once, is in small pages."""
    from rules_support import ON, random_people

    from changzhu.rules.evaluate import prepare

    n = HUGE // 8
    people = random_people(n, 5).with_columns(pl.lit(None, dtype=pl.Float64).alias("admin_detentions"))
    blank = prepare(people, ON).statics["admin_detentions"]
    assert blank.shape == (n,) and bool(np.isnan(blank).all()) and not blank.flags.writeable
    assert _no_huge_pages(blank.ctypes.data)


class _RefusingAdvice(mmap.mmap):
    """A mapping on a kernel built without transparent huge pages: madvise(MADV_NOHUGEPAGE) answers EINVAL."""

    def madvise(self, *args: int) -> None:
        raise OSError(22, "Invalid argument")


def test_small_pages_zeros_where_the_system_refuses_the_advice(monkeypatch: pytest.MonkeyPatch) -> None:
    """The advice only saves time: where madvise fails, the zeros (and a full array) are made all the same
    (fails on 374c4d5: the OSError ended the evaluation)."""
    import changzhu.rules.arrays as arrays

    monkeypatch.setattr(arrays.mmap, "mmap", _RefusingAdvice)
    big = small_pages_zeros(HUGE // 4 + 3, np.int32)
    assert big.shape == (HUGE // 4 + 3,) and big.flags.writeable and not big.any()
    big[-1] = 7
    assert small_pages_full((HUGE // 8,), -1, np.float64).min() == -1.0
