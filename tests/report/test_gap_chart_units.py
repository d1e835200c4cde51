"""The planning section's gap charts say what the gap counts: the y axis read "缺口 = 需求 − 供给" / "gap = demand −
supply" with no unit until 2026-12-04, under a title that gives none for the school places (各省小学学位缺口，两种口径);
now the axis says 张 / beds and 个 / primary-school places, the words the siting part uses (report/siting.py, WORDS)."""

from __future__ import annotations

import polars as pl
import pytest

from changzhu.report import planning
from changzhu.report.lang import Lang

SIDE = pl.DataFrame(
    {
        "region_code": ["440000", "410000"] * 2,
        "region_name_zh": ["广东省", "河南省"] * 2,
        "service": ["hospital_beds"] * 2 + ["primary_school_places"] * 2,
        "gap_resident": [210_000.0, -150_000.0, 250_000.0, -3_100_000.0],
        "gap_local_hukou_resident": [30_000.0, -120_000.0, 100_000.0, -2_900_000.0],
    }
)


@pytest.mark.parametrize(
    ("service", "lang", "axis"),
    [
        ("hospital_beds", Lang.ZH, "缺口 = 需求 − 供给（张）"),
        ("primary_school_places", Lang.ZH, "缺口 = 需求 − 供给（个）"),
        ("hospital_beds", Lang.EN, "gap = demand − supply (beds)"),
        ("primary_school_places", Lang.EN, "gap = demand − supply (primary-school places)"),
    ],
)
def test_a_gap_chart_says_its_unit(service: str, lang: Lang, axis: str) -> None:
    figure = planning._gap_bars(SIDE, service, "title", lang)
    assert figure.layout.yaxis.title.text == axis


@pytest.mark.parametrize(
    ("service", "lang", "cell"),
    [
        ("hospital_beds", Lang.ZH, "医院床位（张）"),
        ("primary_school_places", Lang.ZH, "小学学位（个）"),
        ("hospital_beds", Lang.EN, "(number of beds)"),
        ("primary_school_places", Lang.EN, "(number of primary-school places)"),
    ],
)
def test_the_gap_tables_service_says_what_its_figures_count(service: str, lang: Lang, cell: str) -> None:
    """The gap table's supply, demand and gap (54.5万) said neither beds nor places until 2026-12-04: the service
    cell now gives the unit."""
    assert cell in planning._service(service, lang)
