"""The compiled interval trees take one type per argument whatever the table's size: each numba compiles once."""

from __future__ import annotations

from collections import OrderedDict

import polars as pl
import pytest
from rules_support import ON, random_people

from changzhu.rules import engine, interval_kernels, kernel_cache
from changzhu.rules.evaluate import evaluate

NATIONAL_ONLY = "320500"  # a city without a policy file: the national rules, the smallest chain to compile


def test_an_interval_kernel_is_compiled_once_for_one_person_and_for_many(monkeypatch: pytest.MonkeyPatch) -> None:
    """A one-person evaluation (the office's resident page) calls each interval kernel with the argument types of a
    larger table's: a value the same for every row (a clock's start, its value before it starts) is a broadcast
    array, contiguous to NumPy on one row but not on more, so the kernel was compiled for both layouts."""
    monkeypatch.setattr(engine, "COMPILED_MIN_ROWS", 0)  # the kernels run on small tables too
    monkeypatch.setattr(kernel_cache, "_modules", OrderedDict())  # this test's own dispatchers: its calls alone
    monkeypatch.setattr(interval_kernels, "_chains", OrderedDict())
    people = random_people(30, 5).with_columns(residence_region=pl.lit(NATIONAL_ONLY))
    evaluate(people.head(1), ON)
    evaluate(people, ON)
    kernels = [c.function for _, _, _, found in interval_kernels._chains.values() for c in found.values()]
    assert kernels and {k.__name__: len(k.signatures) for k in kernels} == {k.__name__: 1 for k in kernels}
