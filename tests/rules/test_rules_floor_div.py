"""The kernels' float floor division (Writer.floor_div, a points indicator's units) gives exactly NumPy's
floor_divide (the engine's), sign of zero included, near every multiple of the size and at the edges."""

from __future__ import annotations

from datetime import date

import numba
import numpy as np
import pytest

from changzhu.rules.codegen import Shared, Writer


def _compiled(size: float):  # type: ignore[no-untyped-def]
    """A numba loop writing the kernels' expression for float(v[i]) // size."""
    writer = Writer(Shared(None, date(2026, 1, 1)), "floor_div")  # type: ignore[arg-type]  # no policy read
    got = writer.floor_div("v[i]", size)
    body = "\n".join(f"        {line}" for line in writer.lines)
    text = f"def f(v, out):\n    for i in range(v.shape[0]):\n{body}\n        out[i] = {got}\n"
    namespace: dict[str, object] = {"np": np}
    exec(text, namespace)
    return numba.njit(namespace["f"])


def _values(size: float, rng: np.random.Generator) -> np.ndarray:
    edges = [0.0, -0.0, 5e-324, -5e-324, 1e-300, -1e-300, 2.0**52 - 0.5, -(2.0**52 - 0.5), 2.0**52, 2.0**53]
    edges += [1e300, -1e300, np.inf, -np.inf, np.nan, -np.nan]
    parts = [np.array(edges)]
    for scale in (1e2, 1e6, 1e12, 4e15):
        whole = rng.integers(-int(scale / size) - 2, int(scale / size) + 2, 20_000).astype(np.float64) * size
        parts += [rng.uniform(-scale, scale, 20_000), whole, whole - 1, whole + 1]
        parts += [np.nextafter(whole, -np.inf), np.nextafter(whole, np.inf)]
    parts.append(np.arange(-4000, 4000) / 8)
    return np.concatenate(parts)


@pytest.mark.parametrize("size", [1.0, 2.0, 7.0, 10.0, 12.0, 100_000.0, 2.0**31, 0.5, 2.5, 2.0**40])
def test_floor_div_equals_numpy(size: float) -> None:
    values = _values(size, np.random.default_rng(int(size * 8) % 2**32))
    out = np.empty_like(values)
    _compiled(size)(values, out)
    with np.errstate(invalid="ignore", divide="ignore"):
        want = np.floor_divide(values, size)
    nan = np.isnan(want)
    assert np.array_equal(np.isnan(out), nan)
    assert np.array_equal(out[~nan], want[~nan])
    assert np.array_equal(np.signbit(out[~nan]), np.signbit(want[~nan]))  # -0.0 where NumPy gives it
