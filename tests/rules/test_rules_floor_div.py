"""The kernels' float floor division (Writer.floor_div, a points indicator's units) gives exactly NumPy's
floor_divide (the engine's), sign of zero included, near every multiple of the size and at the edges: the exact
body on every value, the fast body on every value it does not note as needing the exact one."""

from __future__ import annotations

from datetime import date

import numba
import numpy as np
import pytest

from changzhu.rules.codegen import Shared, Writer


def _compiled(size: float, exact: bool):  # type: ignore[no-untyped-def]
    """A numba loop writing the kernels' expression for float(v[r]) // size (the exact body or the fast one) and
    whether the row needs the exact body."""
    writer = Writer(Shared(None, date(2026, 1, 1)), "floor_div")  # type: ignore[arg-type]  # no policy read
    got = writer.floor_div("v[r]", size)
    body = "\n".join(f"        {line}" for line in writer.body({"out": got}, exact=exact))
    slow = " | ".join(["False", *(f"({c})" for c in writer.slow)])
    text = f"def f(v, out, slow):\n    for r in range(v.shape[0]):\n{body}\n        slow[r] = {slow}\n"
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


def _fast(size: float) -> bool:
    """Whether the kernels divide by the size without fmod (below 2**52)."""
    return size.is_integer() and 1 <= size <= 2**31


@pytest.mark.parametrize("size", [1.0, 2.0, 7.0, 10.0, 12.0, 100_000.0, 2.0**31, 0.5, 2.5, 2.0**40])
def test_floor_div_equals_numpy(size: float) -> None:
    values = _values(size, np.random.default_rng(int(size * 8) % 2**32))
    with np.errstate(invalid="ignore", divide="ignore"):
        want = np.floor_divide(values, size)
    for exact in (True, False):
        out, slow = np.empty_like(values), np.zeros(values.shape, dtype=bool)
        _compiled(size, exact)(values, out, slow)
        if not exact:  # the fast body: NumPy's quotient on every row not noted as needing the exact body
            assert np.array_equal(slow, ~(np.abs(values) < 2.0**52) & ~np.isnan(values) & _fast(size))
            out, want = out[~slow], want[~slow]
        nan = np.isnan(want)
        assert np.array_equal(np.isnan(out), nan)
        assert np.array_equal(out[~nan], want[~nan])
        assert np.array_equal(np.signbit(out[~nan]), np.signbit(want[~nan]))  # -0.0 where NumPy gives it
