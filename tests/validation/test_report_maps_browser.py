"""The report's maps and validation table in Chromium, in Chinese and English, at 1366 px and on a phone (390 px).

The report is built from its sections (population with maps at province, prefecture and county level; the
validation table) and opened from disk: no network. Screenshots go to tests/artifacts/.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from changzhu.data.census import census_2020
from changzhu.data.geo import province_geojson
from changzhu.report.lang import Lang
from changzhu.report.population import population_section
from changzhu.report.render import render_report
from changzhu.report.sections import write_section
from changzhu.validation.checks import Check
from changzhu.validation.section import validation_section
from chromium_support import section_screenshot

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
SAMPLE = 2e-4  # tests/conftest.py's VALIDATION_SAMPLE: the figures are the session's shared ones

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def reports(
    tmp_path_factory: pytest.TempPathFactory, validation_figures: tuple[list[Check], pl.DataFrame]
) -> dict[Lang, Path]:
    provinces = census_2020().provinces.with_columns(
        (pl.col("interprov_in_migrants_2020") / pl.col("pop_resident_2020")).alias("interprov_in_migrants_share"),
        (pl.col("renhu_fenli_2020") / pl.col("pop_resident_2020")).alias("renhu_fenli_share"),
    )
    checks, fit = validation_figures
    out = {}
    for lang in Lang:
        folder = tmp_path_factory.mktemp(f"report_{lang.value}")
        write_section(folder, population_section(provinces, province_geojson(), lang))
        write_section(folder, validation_section(checks, fit, SAMPLE, lang))
        out[lang] = render_report(folder, lang=lang)
    return out


def test_report_maps_in_both_languages_on_a_laptop_and_a_phone(reports: dict[Lang, Path], chromium: object) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    # each page is the session's browser's (tests/chromium_support.py), in a context of its own
    for lang, path in reports.items():
        for width in (1366, 390):
            page = chromium.new_page(  # type: ignore[attr-defined]
                viewport={"width": width, "height": 900}
            )
            outside: list[str] = []
            page.on("request", lambda r, seen=outside: None if r.url.startswith("file:") else seen.append(r.url))
            page.set_default_timeout(180_000)  # a busy 2-core machine draws 3,000 polygons slowly
            page.goto(path.as_uri(), wait_until="domcontentloaded")
            page.wait_for_selector("#population .js-plotly-plot")
            maps = page.locator("#population .js-plotly-plot")
            assert maps.count() == 4  # provinces, prefectures, one province's counties, the ranking
            for i in range(4):
                maps.nth(i).locator(".main-svg").first.wait_for()
            text = page.inner_text("#population")
            assert ("示意图" if lang == Lang.ZH else "Sketch map") in text and "南海诸岛" in text
            assert page.locator("#population .colorbar").count() == 3  # each map has its legend
            # the 南海诸岛 label inside the inset's frame or under it, never across its edge (the English name in the
            # frame ran out of it on a phone)
            first = maps.nth(0)
            frame = first.locator(".shapelayer path").first.bounding_box()
            label = first.locator("g.annotation", has_text="南海诸岛").first.bounding_box()
            assert frame and label, (frame, label)
            inside = label["x"] >= frame["x"] - 1 and label["y"] + label["height"] <= frame["y"] + frame["height"] + 1
            below = label["y"] >= frame["y"] + frame["height"] - 3  # the annotation box has a little padding
            assert inside or below, (lang, width, frame, label)
            # nothing runs off the page: wide tables scroll inside their own box
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 1, f"{lang} at {width}px is {overflow}px wider than the window"
            heading = "数字核对" if lang == Lang.ZH else "Validation against official figures"
            assert heading in page.inner_text("#validation")
            page.screenshot(path=str(ARTIFACTS / f"report_maps_{lang.value}_{width}.png"))
            section_screenshot(page, "#validation", ARTIFACTS / f"report_validation_{lang.value}_{width}.png")
            assert outside == []
            page.close()
