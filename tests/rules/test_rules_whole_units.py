"""PerUnit's whole units: integers divided as integers give exactly the float division's quotient."""

import numpy as np
import pytest

from changzhu.rules.indicators import _whole_units


def _by_floats(value: np.ndarray, size: float) -> np.ndarray:
    """The quotient as every value was divided before: as floats (fmod), NaN counting 0, never below 0."""
    with np.errstate(invalid="ignore"):
        return np.maximum(np.floor_divide(np.nan_to_num(value).astype(np.float64), size), 0)


@pytest.mark.parametrize("dtype", [np.int8, np.int16, np.int32, np.uint8, np.uint32, np.int64, np.float64])
@pytest.mark.parametrize("size", [1.0, 12.0, 5.0, 0.5, 2.5, 10_000.0])
def test_whole_units_are_the_float_quotient(dtype: type, size: float) -> None:
    info = np.iinfo(dtype) if np.issubdtype(dtype, np.integer) else np.iinfo(np.int32)
    rng = np.random.default_rng(int(size * 10))
    edges = np.array([info.min, info.min + 1, -13, -12, -1, 0, 1, 11, 12, 13, 23, 24, info.max - 1, info.max])
    value = np.concatenate([edges, rng.integers(max(info.min, -500), min(info.max, 500), 2_000)]).astype(dtype)
    got = _whole_units(value, size)
    assert got.dtype == np.float64
    assert np.array_equal(got, _by_floats(value, size))


def test_whole_units_of_unknown_numbers_count_zero() -> None:
    value = np.array([np.nan, 23.5, -3.0, 36.0])
    assert np.array_equal(_whole_units(value, 12.0), [0.0, 1.0, 0.0, 3.0])
