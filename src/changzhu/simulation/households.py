"""Household links: each child (under 18) gets a parent of the same hukou status living in the same city."""

from __future__ import annotations

import numpy as np

from changzhu.simulation.ipf import BoolArray, FloatArray, IntArray

CHILD_MAX_AGE = 18.0
PARENT_AGE = (20.0, 50.0)


def link_parents(
    age: FloatArray, status: IntArray, urban: IntArray, rng: np.random.Generator
) -> tuple[IntArray, BoolArray]:
    """Row index of each child's parent (−1 for none) and the mask of linked children.

    A parent is drawn uniformly among the adults aged 20–49 of the same hukou status and urban/rural cell,
    falling back to the same status only; a child with no such adult in the city keeps no parent.
    """
    n = age.size
    parent = np.full(n, -1, dtype=np.int64)
    child = age < CHILD_MAX_AGE
    adult = (age >= PARENT_AGE[0]) & (age < PARENT_AGE[1])
    for s in np.unique(status[child]):
        for u in (0, 1):
            kids = np.flatnonzero(child & (status == s) & (urban == u))
            if kids.size == 0:
                continue
            pool = np.flatnonzero(adult & (status == s) & (urban == u))
            if pool.size == 0:
                pool = np.flatnonzero(adult & (status == s))
            if pool.size == 0:
                continue
            parent[kids] = pool[rng.integers(0, pool.size, kids.size)]
    return parent, parent >= 0
