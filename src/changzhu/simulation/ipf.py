"""Iterative proportional fitting (IPF, Deming & Stephan 1940) of a seed table to grouped marginals."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from changzhu.errors import ChangzhuError

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]


class IpfError(ChangzhuError, ValueError):
    """Marginals that cannot be fitted (negative, inconsistent shape, or a seed that is zero everywhere)."""


@dataclass(frozen=True)
class Margin:
    """A target total over groups of cells: `groups[axis]` maps each index of that axis to a group id.

    An axis missing from `groups` is summed out. `target` has one dimension per grouped axis, in axis order.
    """

    name: str
    groups: dict[int, IntArray]
    target: FloatArray


@dataclass(frozen=True)
class IpfResult:
    """The fitted table, the number of sweeps run and the worst relative error left on any margin."""

    table: FloatArray
    iterations: int
    max_relative_error: float


def _one_hot(groups: IntArray, n_groups: int) -> FloatArray:
    matrix = np.zeros((groups.size, n_groups))
    matrix[np.arange(groups.size), groups] = 1.0
    return matrix


def _operators(shape: tuple[int, ...], margin: Margin) -> list[FloatArray]:
    """One matrix per axis: one-hot group membership, or a column of ones for a summed-out axis."""
    mats: list[FloatArray] = []
    for axis, size in enumerate(shape):
        groups = margin.groups.get(axis)
        if groups is None:
            mats.append(np.ones((size, 1)))
            continue
        if groups.shape != (size,):
            raise IpfError(f"margin {margin.name!r}: axis {axis} has {size} cells but {groups.size} group ids")
        mats.append(_one_hot(groups, int(groups.max()) + 1))
    return mats


def _project(table: FloatArray, mats: list[FloatArray]) -> FloatArray:
    out = table
    for axis, mat in enumerate(mats):
        out = np.moveaxis(np.tensordot(out, mat, axes=([axis], [0])), -1, axis)
    return out


def _expand(values: FloatArray, mats: list[FloatArray]) -> FloatArray:
    out = values
    for axis, mat in enumerate(mats):
        out = np.moveaxis(np.tensordot(out, mat.T, axes=([axis], [0])), -1, axis)
    return out


def margin_totals(table: FloatArray, margin: Margin) -> FloatArray:
    """The table summed to the shape of `margin.target`."""
    mats = _operators(table.shape, margin)
    projected = _project(table, mats)
    kept = tuple(sorted(margin.groups))
    return projected.reshape([projected.shape[a] for a in kept]) if kept else projected.reshape(())


def relative_errors(table: FloatArray, margins: list[Margin]) -> dict[str, float]:
    """Worst |fitted − target| / target per margin (targets of zero count by absolute difference)."""
    errors = {}
    for margin in margins:
        got = margin_totals(table, margin)
        denom = np.where(margin.target > 0, margin.target, 1.0)
        errors[margin.name] = float(np.max(np.abs(got - margin.target) / denom)) if got.size else 0.0
    return errors


def ipf(seed: FloatArray, margins: list[Margin], *, tolerance: float = 1e-9, max_iterations: int = 500) -> IpfResult:
    """Scale `seed` until every margin matches its target; zero cells of the seed stay zero."""
    if np.any(seed < 0):
        raise IpfError("the seed table has negative cells")
    prepared = []
    for margin in margins:
        if np.any(margin.target < 0) or not np.all(np.isfinite(margin.target)):
            raise IpfError(f"margin {margin.name!r} has negative or missing targets")
        mats = _operators(seed.shape, margin)
        expected = tuple(m.shape[1] for a, m in enumerate(mats) if a in margin.groups)
        if margin.target.shape != expected:
            raise IpfError(f"margin {margin.name!r}: target shape {margin.target.shape}, expected {expected}")
        prepared.append((margin, mats))
    table = seed.astype(np.float64, copy=True)
    worst = np.inf
    iterations = 0
    for iterations in range(1, max_iterations + 1):  # noqa: B007 - the count is reported
        for margin, mats in prepared:
            current = _project(table, mats)
            target = margin.target.reshape(current.shape)
            factor = np.divide(target, current, out=np.zeros_like(current), where=current > 0)
            table *= _expand(factor, mats)
        worst = max(relative_errors(table, [m for m, _ in prepared]).values(), default=0.0)
        if worst <= tolerance:
            break
    return IpfResult(table=table, iterations=iterations, max_relative_error=worst)
