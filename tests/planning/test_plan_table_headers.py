"""The where-to-build table `changzhu plan` prints, in a terminal of 80 and of 120 columns, in Chinese and English:
a figure stays on its line with the unit it counts ("50公里内…", "within 50 km"), never "50" alone on a line of
the header; the files keep the header as written, and the report's HTML header binds the two with a non-breaking
space."""

from __future__ import annotations

import re

import pytest
from rich.console import Console

import changzhu.output as output
from changzhu.output import OutputFormat, emit_table
from changzhu.planning.siting import plan_sites
from changzhu.report.lang import Lang
from changzhu.report.plan_tables import sites_in
from changzhu.report.siting import result_columns
from changzhu.report.tables import unbroken


@pytest.fixture(scope="module")
def guangdong():
    return plan_sites("440000", 10_000.0, 30_000.0, p=3, time_limit=20)


@pytest.mark.parametrize("width", [80, 120])
@pytest.mark.parametrize(("lang", "bound"), [(Lang.ZH, "50公里"), (Lang.EN, "50 km")])
def test_the_radius_stays_with_its_unit_in_the_printed_header(
    guangdong, lang: Lang, bound: str, width: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    terminal = Console(width=width, record=True, force_terminal=False)
    monkeypatch.setattr(output, "console", terminal)
    sites = sites_in(guangdong, lang)
    assert any("50 " in c for c in sites.columns)  # the file's header as written, "50 公里内…" / "within 50 km…"
    emit_table(sites, OutputFormat.TABLE, "where to build")
    printed = terminal.export_text()
    lines = [line.strip(" ┃│") for line in printed.splitlines()]
    cells = [cell.strip() for line in lines for cell in re.split(r"[┃│]", line)]
    assert "50" not in cells, printed  # the radius alone on a line
    assert bound in printed, printed


def test_the_report_header_binds_the_radius_to_its_unit(guangdong) -> None:
    headers = [unbroken(c.zh) for c in result_columns(guangdong, Lang.ZH)]
    assert "50&nbsp;公里内常住人口占比（前）" in headers, headers
    assert "Within 50&nbsp;km before" in [unbroken(c.en) for c in result_columns(guangdong, Lang.EN)]
