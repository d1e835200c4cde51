"""Numba kernels of the interval engine's static comparisons: one pass over the rows per condition.

A condition on a number, bool, category or set of categories holds from the date for good or never; each kernel
reads the rows' values in place (row i, or rows[i] unless `every`), and writes the start (the date where it holds
and is known, else NEVER) and, for a nullable input, where the value is known: what
changzhu.rules.conditions.VariableCondition defines, without gathering the values or building whole-array
temporaries for the comparison, the known mask and the start.
"""

from __future__ import annotations

import numpy as np

from changzhu.rules.numba_start import kernel

# operators of number comparisons, by code
ORDER_CODES = {">=": 0, ">": 1, "<": 2, "<=": 3, "==": 4, "!=": 5}
BIT_CODES = 63  # categories with at most this many codes are compared as bits of one integer


@kernel
def number(
    values: np.ndarray,
    rows: np.ndarray,
    every: bool,
    op: int,
    t: float,
    nullable: bool,
    on: int,
    never: int,
    start: np.ndarray,
    known: np.ndarray,
) -> None:
    """A number compared with t (op: ORDER_CODES); unknown where NaN (nullable)."""
    for i in range(start.shape[0]):
        v = np.float64(values[i if every else rows[i]])
        if op == 0:
            holds = v >= t
        elif op == 1:
            holds = v > t
        elif op == 2:
            holds = v < t
        elif op == 3:
            holds = v <= t
        elif op == 4:
            holds = v == t
        else:
            holds = v != t
        if nullable:
            k = v == v
            known[i] = k
            holds = holds and k
        start[i] = on if holds else never


@kernel
def truth(
    values: np.ndarray,
    rows: np.ndarray,
    every: bool,
    coded: bool,
    want: bool,
    nullable: bool,
    on: int,
    never: int,
    start: np.ndarray,
    known: np.ndarray,
) -> None:
    """A bool equal to `want`: coded (int8: 1 true, 0 false, -1 unknown) or a plain truth value."""
    for i in range(start.shape[0]):
        v = values[i if every else rows[i]]
        holds = (v == 1 if coded else v != 0) == want
        if nullable:
            k = v >= 0
            known[i] = k
            holds = holds and k
        start[i] = on if holds else never


@kernel
def category(
    values: np.ndarray,
    rows: np.ndarray,
    every: bool,
    wanted: int,
    negate: bool,
    nullable: bool,
    on: int,
    never: int,
    start: np.ndarray,
    known: np.ndarray,
) -> None:
    """A category code among the wanted (bit `code` of `wanted`, at most 63 codes; code -1, unknown, reads bit 63,
    never set), or not (`negate`). Bits, not a table: a table read per row stops the loop vectorizing (20x)."""
    bits = np.uint64(wanted)
    for i in range(start.shape[0]):
        v = values[i if every else rows[i]]
        holds = ((bits >> np.uint64(v & 63)) & np.uint64(1)) != 0
        holds = holds != negate
        if nullable:
            k = v >= 0
            known[i] = k
            holds = holds and k
        start[i] = on if holds else never


@kernel
def category_table(
    values: np.ndarray,
    rows: np.ndarray,
    every: bool,
    inside: np.ndarray,
    negate: bool,
    nullable: bool,
    on: int,
    never: int,
    start: np.ndarray,
    known: np.ndarray,
) -> None:
    """`category` for more than 63 codes: inside by code, code -1 reading the last entry (False)."""
    last = np.uint64(inside.shape[0] - 1)
    for i in range(start.shape[0]):
        v = values[i if every else rows[i]]
        holds = inside[min(np.uint64(v), last)] != negate  # unsigned: -1 reads the last entry
        if nullable:
            k = v >= 0
            known[i] = k
            holds = holds and k
        start[i] = on if holds else never


@kernel
def codes(
    values: np.ndarray,
    rows: np.ndarray,
    every: bool,
    mask: int,
    negate: bool,
    nullable: bool,
    on: int,
    never: int,
    start: np.ndarray,
    known: np.ndarray,
) -> None:
    """A set of category codes (bits) holding any of `mask`, or none of them (`negate`)."""
    for i in range(start.shape[0]):
        v = values[i if every else rows[i]]
        holds = ((v & mask) != 0) != negate
        if nullable:
            k = v >= 0
            known[i] = k
            holds = holds and k
        start[i] = on if holds else never
