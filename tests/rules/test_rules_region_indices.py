"""The frame's region indices: each prefecture code's place among the lookup's codes, -1 for anything else."""

from __future__ import annotations

import polars as pl

from changzhu.rules.catalog import region_lookup
from changzhu.rules.frame import _region_indices


def test_each_prefecture_code_is_its_place_and_anything_else_is_minus_one() -> None:
    regions = region_lookup()
    codes = list(regions.codes)
    others = [None, "999999", "31010", "+31010", " 310100", "3101000", "310101", "110000", ""]
    people = pl.DataFrame(
        {
            "residence_region": codes + [None] * len(others),
            "hukou_region": list(reversed(codes)) + others,
            "prior_region": pl.Series([None] * (len(codes) + len(others)), dtype=pl.String),
        }
    )
    columns = ("residence_region", "hukou_region", "prior_region")
    residence, hukou, prior = _region_indices(people, columns, regions)
    assert residence.tolist() == list(range(len(codes))) + [-1] * len(others)
    assert hukou.tolist() == list(reversed(range(len(codes)))) + [-1] * len(others)
    assert prior.tolist() == [-1] * people.height
    assert residence.dtype == hukou.dtype == prior.dtype == "int32"
