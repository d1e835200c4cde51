"""A person's parent as the rules read it: linked (the parent's row in the table decides), known to live elsewhere
(no parent in the table and parent_lives_here false: a condition on the parent never holds), or not known (no
parent in the table and parent_lives_here true or null: a condition on the parent is undetermined, and the facts
that would settle it are PARENT_FACTS: link the parent's record, or say whether a parent lives here)."""

from __future__ import annotations

import numpy as np
import polars as pl

NO_PARENT = -1  # parent_idx of a person whose parent is known not to live here
UNLINKED = -2  # parent_idx of a person with no parent in the table who may have one living here (unknown)
PARENT_FACTS = ("parent_id", "parent_lives_here")  # the facts an unknown parent needs (person columns)


def lives_here(people: pl.DataFrame) -> np.ndarray:
    """parent_lives_here per row as int8: 1 true, 0 false, -1 null or no such column (unknown); read once per table
    (with_unlinked and same_region take it)."""
    if "parent_lives_here" not in people.columns:
        return np.full(people.height, -1, dtype=np.int8)
    return people["parent_lives_here"].cast(pl.Int8).fill_null(-1).to_numpy().astype(np.int8, copy=False)


def with_unlinked(parent_rows: np.ndarray, says: np.ndarray) -> np.ndarray:
    """The parents' rows (NO_PARENT where none is in the table) with UNLINKED where the table does not say that no
    parent lives here (`says`: lives_here)."""
    unknown = (parent_rows < 0) & (says != 0)
    return np.where(unknown, UNLINKED, parent_rows).astype(np.int32, copy=False) if unknown.any() else parent_rows


def same_region(parent_rows: np.ndarray, region_rows: np.ndarray, says: np.ndarray) -> np.ndarray:
    """parent_same_region as int8 (1 true, 0 false, -1 unknown): a linked parent lives in the person's region; without
    one, what parent_lives_here says (`says`: lives_here)."""
    out = says.astype(np.int8)  # (a copy: `says` is read elsewhere)
    linked = np.flatnonzero(parent_rows >= 0)  # compared on the rows with a parent in the table only
    out[linked] = region_rows[parent_rows[linked]] == region_rows[linked]
    return out
