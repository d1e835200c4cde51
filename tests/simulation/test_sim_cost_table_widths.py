"""`changzhu simulate` prints its cost table without breaking a name: each scenario's title a heading line of its
own, a service's name on one line (a Chinese name, which has no spaces, whole), at 160 columns as one row per
service and at 80 as one line per measure; in Chinese and English.

Before: the scenario was the table's first column, and at a 160-column terminal its Chinese title broke anywhere
("居住证持有人在居" / "住地申请低保"), as did service names ("随迁子女流入地中" / "考"); at 80 columns every word
and figure was folded ("175,2" / "30,00" / "0")."""

from __future__ import annotations

import polars as pl
import pytest

from changzhu.cli import simulate
from changzhu.domain.lang import Lang
from changzhu.output import console
from changzhu.report.simulation import COST_COLUMNS, YUAN_COLUMNS, costs_in

TITLES = {
    Lang.ZH: {"exam": "随迁子女在流入地参加中考的居住年限降至一年", "dibao": "居住证持有人在居住地申请低保"},
    Lang.EN: {"exam": "Entrance exam where one lives after one year", "dibao": "Dibao for residence-permit holders"},
}
SERVICES = (
    "compulsory_schooling",
    "compulsory_schooling_any_hukou",
    "entrance_exam_local",
    "minimum_living_allowance",
    "residence_permit",
)


def _costs() -> pl.DataFrame:
    """A cost table as `cost_table` returns it: the baseline and two reforms, two years, four services."""
    rows = [
        (scenario, year, service, 175_230_000.0, 155_000.0, 1_595_000.0, 175_230_000.0, 1_595_000.0, 2.4749e12, None)
        for scenario in ("baseline", "exam", "dibao")
        for year in (2025, 2026)
        for service in SERVICES
    ]
    return pl.DataFrame(rows, schema=[c.key for c in COST_COLUMNS], orient="row")


@pytest.mark.parametrize("width", [160, 80])
@pytest.mark.parametrize("lang", [Lang.ZH, Lang.EN])
def test_no_name_is_broken_at_any_width(monkeypatch: pytest.MonkeyPatch, lang: Lang, width: int) -> None:
    monkeypatch.setattr(console, "width", width)
    table = costs_in(_costs(), lang, TITLES[lang])
    places = {next(c.zh if lang == Lang.ZH else c.en for c in COST_COLUMNS if c.key == k): 2 for k in YUAN_COLUMNS}
    with console.capture() as captured:
        simulate._print_costs(table, "title", places, lang)
    lines = captured.get().splitlines()
    assert max(len(line) for line in lines) <= width
    for title in TITLES[lang].values():
        assert title in lines, title  # a heading line of its own, whole
    cells = [cell.strip() for line in lines for cell in line.split("│")]
    names = set(table[table.columns[2]].to_list())
    if lang == Lang.ZH:  # English wraps at its spaces (a word whole); a Chinese name has none: whole in its cell
        assert names <= set(cells), (names - set(cells), lines)
    assert "175,230,000" in cells and "24,749.00" in cells  # figures whole too
    words = {word for cell in cells for word in cell.split()}
    assert all(set(name.split()) <= words for name in names), (names, lines)  # every word of a name whole
