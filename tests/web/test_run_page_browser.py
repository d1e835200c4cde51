"""A run's page as an analyst reads it, in Chromium, in Chinese and English: the export buttons give the view the
page shows (its year, service and measure; the whole country, the map's level and the grouping), a file a
spreadsheet opens, not the whole table (620,000 rows for a real run); a failed run says why in the reader's language,
never an exception's class or text."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import polars as pl
import pytest
from api_support import PASSWORD, serving, sqlite_copy
from office_support import DESKTOP, PHONE, Office, bearer, finished_run, small_run
from playwright.sync_api import expect
from sqlalchemy import create_engine

from changzhu.domain.refusals import RefusalCode, refusal
from changzhu.store.db import session_scope
from changzhu.store.scenario_models import ScenarioRunRow

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("run_page")


@pytest.fixture(scope="module")
def server(populated_sqlite: tuple[Path, dict[str, str]], folder: Path) -> Iterator[str]:
    """The office on a copy of the populated database kept in `folder` (the test writes failed runs into it)."""
    with serving(sqlite_copy(populated_sqlite[0], folder), folder, "r", "/office/login") as url:
        yield url


def _download(page: object, button: str) -> bytes:
    return _saved(page, button)[0]


def _saved(page: object, button: str) -> tuple[bytes, str]:
    """The file a button downloads and the name the browser saves it under."""
    with page.expect_download() as info:  # type: ignore[attr-defined]
        page.click(button)  # type: ignore[attr-defined]
    return Path(info.value.path()).read_bytes(), info.value.suggested_filename


# a run's file is named by its reform's title, the year and the run's start (minutes), never by the run's hex id
FILE_NAME = {
    "zh": r"随迁子女在流入地参加中考的居住年限降至一年_2027_\d{8}-\d{4}\.csv",
    "en": r"Entrance_exam_where_one_lives_after_one_year_2027_\d{8}-\d{4}\.xlsx",
}


def test_the_export_buttons_give_the_view_the_page_shows(office: Office) -> None:
    run_id = small_run(office.url)
    page = office.open(DESKTOP, "zh")
    office.login(page, "pl_nat")
    page.goto(f"{office.url}/office/runs/{run_id}")  # type: ignore[attr-defined]
    page.wait_for_selector("#group-table .el-table__body tr")  # type: ignore[attr-defined]
    page.click("#map-level >> text=按区县")  # type: ignore[attr-defined]
    page.wait_for_selector("#county-note")  # type: ignore[attr-defined]
    note = page.inner_text("#export-note")  # type: ignore[attr-defined]
    assert "2027 年" in note and "全国、区县、本地／外地户籍" in note, note
    payers = page.inner_text("#payers .el-table__header")  # type: ignore[attr-defined]
    assert "元/年" in payers, payers  # who pays what, in yuan a year (the column said only 估计值)
    data, name = _saved(page, "#export-csv")
    assert re.fullmatch(FILE_NAME["zh"], name) and run_id not in name, name
    table = pl.read_csv(io.BytesIO(data), schema_overrides={"行政区划代码": pl.String})
    # groups by their names; a region's division code kept, under a header that says so; no key (national, local)
    assert "组别代码" not in table.columns and "行政区划代码" in table.columns, table.columns
    assert not {"national", "local", "migrant"} & set(table["组别"]) and "全国" in set(table["组别"])
    codes = table.filter(pl.col("分组方式") == "区县")["行政区划代码"].drop_nulls()  # null: residents' county unknown
    assert codes.len() > 100 and codes.str.contains(r"^\d{6}$").all(), codes.head()
    assert table.filter(pl.col("分组方式") != "区县")["行政区划代码"].is_null().all()
    assert set(table["分组方式"]) == {"全国", "区县", "本地／外地户籍"}, set(table["分组方式"])
    assert set(table["年份"]) == {2027} and table["服务"].n_unique() == table["指标"].n_unique() == 1
    counties = table.filter(pl.col("分组方式") == "区县").height
    assert counties > 100 and table.height == 1 + counties + 2, table.height  # the view, not 620,000 rows
    assert "新增符合条件人数" in set(table["指标"])

    english = office.open(DESKTOP, "en")
    office.login(english, "pl_nat")
    english.goto(f"{office.url}/office/runs/{run_id}")  # type: ignore[attr-defined]
    english.wait_for_selector("#group-table .el-table__body tr")  # type: ignore[attr-defined]
    assert "national, province, local / migrant hukou" in english.inner_text("#export-note").lower()  # type: ignore[attr-defined]
    data, name = _saved(english, "#export-xlsx")
    assert re.fullmatch(FILE_NAME["en"], name) and run_id not in name, name
    sheet = pl.read_excel(io.BytesIO(data))
    assert "national" not in set(sheet["Group"]) and "the whole country" in set(sheet["Group"])
    assert sheet.columns[3:6] == ["Grouping", "Group", "Administrative division code"], sheet.columns
    assert set(sheet["Grouping"]) == {"the whole country", "province", "local / migrant hukou"}, set(sheet["Grouping"])
    assert set(sheet["Measure"]) == {"Newly eligible (people)"} and sheet.height < 100


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_unit_costs_say_their_unit_and_the_ages_each_is_for(office: Office, lang: str) -> None:
    """The budget's unit cost column read "11,949 / 17,319": no unit, and nothing said which child each was for."""
    run_id = small_run(office.url)
    page = office.open(DESKTOP, lang)
    office.login(page, "pl_nat")
    page.goto(f"{office.url}/office/runs/{run_id}")  # type: ignore[attr-defined]
    page.wait_for_selector("#budget .el-table__body tr")  # type: ignore[attr-defined]
    heading = page.inner_text("#budget .el-table__header")  # type: ignore[attr-defined]
    assert ("元/人·年" if lang == "zh" else "yuan per person a year") in heading, heading
    body = page.inner_text("#budget .el-table__body")  # type: ignore[attr-defined]
    bands = r"\d+–\d+ 岁 11,949 / \d+–\d+ 岁 17,319" if lang == "zh" else r"ages \d+–\d+: 11,949 / ages \d+–\d+: 17,319"
    assert re.search(bands, body), body
    # each cost says where it comes from on the screen, not in a tooltip (the 低保 one is an upper bound, twice the
    # official spending: a reader must see that)
    source = "2019 全国教育经费执行情况统计公告" if lang == "zh" else "Statistical communiqué on the execution of"
    assert body.count(source) == 2, body  # primary and junior secondary


def test_a_comparison_says_which_figures_a_run_did_not_compute(office: Office) -> None:
    """Run A (中考, 2027) beside run B (低保, 2026): A has no 2026 低保 row at all. Its cost read "no unit cost (left
    out of the total)", which says the service costs nothing, when 低保 has a unit cost and A simply did not compute
    it. In Chinese and English."""
    run_a = small_run(office.url)
    headers = bearer(office.url, "pl_nat")
    body = {"sample": 0.000002, "years": [2026]}
    started = httpx.post(
        office.url + "/api/v1/scenarios/dibao_permit_holders/runs", json=body, headers=headers, timeout=30
    )
    finished_run(office.url, headers, started, "the dibao run")
    for lang, size in (("zh", DESKTOP), ("en", DESKTOP), ("en", PHONE)):  # a phone: the figures under their names
        page = office.open(size, lang)
        office.login(page, "pl_nat")
        page.goto(f"{office.url}/office/runs/{run_a}")  # type: ignore[attr-defined]
        page.wait_for_selector("#group-table .el-table__body tr")  # type: ignore[attr-defined]
        page.click(".el-select:has(#compare-select) .el-select__wrapper")  # type: ignore[attr-defined]
        dibao = "低保" if lang == "zh" else "Dibao"
        option = page.locator(".el-select-dropdown__item:visible", has_text=dibao).first  # type: ignore[attr-defined]
        named_b = option.inner_text().strip()
        option.click()
        page.wait_for_selector("#comparison .el-table__body tr")  # type: ignore[attr-defined]
        # each run named as the run list names it (title · started · sample) beside its letter, not "A" and "B" alone
        title_a = httpx.get(f"{office.url}/api/v1/scenarios/runs/{run_a}", headers=headers, timeout=30).json()
        # (a phone names them once above the cards)
        said_a, said_b = (page.locator(f"[data-run-name={s}]:visible").first.inner_text() for s in "ab")  # type: ignore[attr-defined]
        assert title_a[f"title_{lang}"] in said_a and "·" in said_a, said_a
        assert named_b in " ".join(said_b.split()), (named_b, said_b)
        note = page.inner_text("#comparison-note")  # type: ignore[attr-defined]
        assert ("估算值" if lang == "zh" else "estimates") in note and "90%" in note, note  # the figures are estimates
        cost = "成本变化" if lang == "zh" else "Change in cost"
        rows = page.locator("#comparison .el-table__body tr", has_text="2026").filter(has_text=cost)  # type: ignore[attr-defined]
        rows = rows.filter(has_text="低保" if lang == "zh" else "dibao")
        absent = "该次运行未计算" if lang == "zh" else "not computed in that run"
        assert rows.count() == 1, rows.all_inner_texts()
        assert absent in rows.locator("[data-run=a]").inner_text(), rows.inner_text()
        assert re.search(r"\d", rows.locator("[data-run=b]").inner_text()), rows.inner_text()  # B computed it
        wide = page.evaluate("() => document.documentElement.scrollWidth")  # type: ignore[attr-defined]
        assert wide <= size[0], f"the comparison is {wide} px wide on a {size[0]} px screen"
        if size == PHONE:  # the service chosen, a long name in English, whole (it was cut: "Compulsory sch…")
            cut = "(s) => [...document.querySelectorAll(s)].filter((e) => e.scrollWidth > e.clientWidth).length"
            chosen = ".el-select:has(#service-select) .el-select__placeholder"
            assert page.evaluate(cut, chosen) == 0, page.inner_text(chosen)  # type: ignore[attr-defined]
        if size == PHONE:  # every figure shown, none scrolled out of the table's view to the right
            box, table = rows.locator("[data-run=b]").bounding_box(), page.locator("#comparison").bounding_box()  # type: ignore[attr-defined]
            assert box and table and box["x"] + box["width"] <= table["x"] + table["width"], (box, table)


def test_a_failed_run_says_why_in_the_readers_language(office: Office, folder: Path) -> None:
    """A run interrupted by a restart, and one stored before reasons were coded ("KeyError: ..."): each page says
    what happened in the page's language; no class name, no exception text."""
    engine = create_engine(f"sqlite:///{folder / 'changzhu.sqlite3'}")
    rows = {
        "interrupted1": (None, refusal(RefusalCode.RUN_INTERRUPTED).as_json()),
        "oldfailure01": ("KeyError: 'internal_column_x'", None),
    }
    with session_scope(engine) as session:
        for run_id, (message, note) in rows.items():
            session.add(
                ScenarioRunRow(
                    id=run_id, scenario_id=None, scenario_name="entrance_exam_residence_1y", scenario_yaml="",
                    settings={"sample": 0.00001, "years": [2027], "seed": 1}, status="failed", progress=0.3,
                    message=message, note=note, data_version="d", code_version="c", created_by="pl_nat",
                    created_at="2026-12-01T00:00:00+00:00",
                )
            )  # fmt: skip
    engine.dispose()
    expected = {
        ("zh", "interrupted1"): "服务在测算完成前重启，测算已中断：请重新开始",
        ("en", "interrupted1"): "interrupted by a service restart before it finished: start it again",
        ("zh", "oldfailure01"): "测算意外失败（详情已记入服务器日志）",
        ("en", "oldfailure01"): "the run failed unexpectedly (the details are in the server log)",
    }
    for lang in ("zh", "en"):
        page = office.open(DESKTOP, lang)
        office.login(page, "pl_nat")
        for run_id in rows:
            page.goto(f"{office.url}/office/runs/{run_id}")  # type: ignore[attr-defined]
            alert = page.locator(".el-alert--error")  # type: ignore[attr-defined]
            alert.wait_for()
            shown = alert.inner_text()
            assert expected[(lang, run_id)] in shown, shown
            assert "KeyError" not in shown and "internal_column_x" not in shown


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_gains_and_losses_fit_a_phone(office: Office, lang: str) -> None:
    """At 390 px every column of the gains-and-losses table is on the screen: the number of households (the third
    column, with its interval) was cut off at the right edge."""
    run_id = small_run(office.url)
    phone = office.open(PHONE, lang)
    office.login(phone, "pl_nat")
    phone.goto(f"{office.url}/office/runs/{run_id}")  # type: ignore[attr-defined]
    phone.wait_for_selector("#band-table .el-table__body tr")  # type: ignore[attr-defined]
    # the page is titled by its reform, not by the run's hex number (that stays in the link to share)
    title = phone.inner_text("#run-title")  # type: ignore[attr-defined]
    reform = "随迁子女在流入地参加中考的居住年限降至一年" if lang == "zh" else "Entrance exam"
    assert run_id not in title and reform.lower() in title.lower(), title
    width = phone.viewport_size["width"]  # type: ignore[attr-defined]
    cells = phone.locator("#band-table th, #band-table .el-table__body tr:first-child td").all()  # type: ignore[attr-defined]
    assert len(cells) == 6
    for cell in cells:
        box = cell.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width + 1, (box, cell.inner_text())


def _figures(text: str) -> list[int]:
    return [int(n.replace(",", "")) for n in re.findall(r"\d[\d,]*", text)]


@pytest.mark.parametrize(("lang", "size"), [("zh", DESKTOP), ("en", DESKTOP), ("zh", PHONE), ("en", PHONE)])
def test_households_are_households_and_the_census_is_beside_them(office: Office, lang: str, size: object) -> None:
    """The gains and losses count households of a parent and linked children; everyone else is a person not linked
    to a household, counted apart (each was a household of one: 1.1 billion households for 1.41 billion people),
    and the census's 494 million family households are given beside the estimate."""
    run_id = small_run(office.url)
    page = office.open(size, lang)
    office.login(page, "pl_nat")
    page.goto(f"{office.url}/office/runs/{run_id}")  # type: ignore[attr-defined]
    line = page.locator("#band-households")  # type: ignore[attr-defined]
    line.wait_for()
    text = line.inner_text()
    households, low, high, members, unlinked = _figures(text.replace("90%", "").split("2020")[0])[:5]
    assert low <= households <= high and members >= 2 * households > 0 and unlinked > members / 2, text
    assert ("49,416 万户" if lang == "zh" else "494.16 million family households") in text, text
    assert ("估算" if lang == "zh" else "Estimate") in text, text
    buttons = page.locator("#band-unit label").all_inner_texts()  # type: ignore[attr-defined]
    unlinked_button = "未关联到家庭的人" if lang == "zh" else "People not linked to a household"
    assert len(buttons) == 3 and unlinked_button in buttons, buttons
    page.click(f'#band-unit >> text="{unlinked_button}"')  # type: ignore[attr-defined]
    header = "未关联到家庭的人数估计值" if lang == "zh" else "People not linked to a household, estimate"
    page.locator("#band-table", has_text=header).wait_for()  # type: ignore[attr-defined]
    width = page.viewport_size["width"]  # type: ignore[attr-defined]
    box = line.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width + 1, box


@pytest.fixture(scope="module")
def points_line_run(server: str) -> str:
    """A small finished run of a reform that lowers Guangzhou's points line (100 → 80) and changes nothing else,
    saved and started over the API as a national planner."""
    url = server
    login = httpx.post(url + "/api/v1/auth/login", json={"username": "pl_nat", "password": PASSWORD}, timeout=30)
    headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
    change = {"parameter": "guangzhou.points.line", "value": 80, "since": "2027-01-01", "jurisdiction": "440100"}
    saved = httpx.post(
        url + "/api/v1/scenarios",
        json={"name": "gz_points_line_80", "title": {"zh": "广州积分落户分值线降至 80 分"}, "overrides": [change]},
        headers=headers,
        timeout=30,
    )
    assert saved.status_code == 201, saved.text
    body = {"sample": 0.000002, "years": [2027]}
    started = httpx.post(url + "/api/v1/scenarios/gz_points_line_80/runs", json=body, headers=headers, timeout=30)
    return finished_run(url, headers, started, "the points-line run")


@pytest.mark.parametrize(("lang", "size"), [("zh", DESKTOP), ("en", PHONE)])
def test_a_reform_whose_people_are_undetermined_says_so_not_zero(
    office: Office, points_line_run: str, lang: str, size: object
) -> None:
    """Lowering Guangzhou's points line decides no one in the synthetic population, which lacks the facts of
    Guangzhou's points table: the page showed "newly eligible 0" for compulsory schooling (a service the reform does
    not touch) and nothing on points settlement. It now opens on points settlement and shows how many it leaves
    undetermined, saying that their outcome is unknown, not zero."""
    run_id = points_line_run
    page = office.open(size, lang)
    office.login(page, "pl_nat")
    page.goto(f"{office.url}/office/runs/{run_id}")  # type: ignore[attr-defined]
    note = page.locator("#undetermined-note")  # type: ignore[attr-defined]
    note.wait_for()
    assert ("不是 0" if lang == "zh" else "not zero") in note.inner_text(), note.inner_text()
    headline = page.inner_text("#headline").lower()  # type: ignore[attr-defined]
    service, measure = (
        ("积分落户", "改革后待定人数") if lang == "zh" else ("points-based hukou", "undetermined, reform")
    )
    assert service in headline and measure in headline, headline
    assert "compulsory" not in headline and "义务教育" not in headline, headline
    undetermined = [n for n in _figures(headline.split(measure)[1].split("%")[0]) if n > 0]
    assert undetermined, headline  # a count of people, not 0
    width = page.viewport_size["width"]  # type: ignore[attr-defined]
    box = note.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width + 1, box
    office.shot(page, f"run_undetermined_{lang}_{size[0]}")  # type: ignore[index]


def test_a_finished_run_says_it_is_loading_until_its_results_are_read(office: Office, points_line_run: str) -> None:
    """While a finished run's results were still being read the page drew empty selects, an export note with the
    year left blank, "no gain and loss bands (it ran before they were added); run it again" and the cost-sharing
    scheme's raw id: it now says it is loading, and draws the results once they are all read."""
    page = office.open(DESKTOP, "en")
    office.login(page, "pl_nat")
    held: list[object] = []
    page.route("**/api/v1/fiscal/schemes*", lambda route: held.append(route))  # type: ignore[attr-defined]
    page.goto(f"{office.url}/office/runs/{points_line_run}")  # type: ignore[attr-defined]
    page.wait_for_selector("#results-loading")  # type: ignore[attr-defined]
    shown = page.inner_text("main")  # type: ignore[attr-defined]
    assert "run it again" not in shown, shown
    assert page.locator("#export-csv, #export-note, #bands-card").count() == 0  # type: ignore[attr-defined]
    while not held:
        page.wait_for_timeout(50)  # type: ignore[attr-defined]
    held[0].continue_()  # type: ignore[attr-defined]
    page.unroute("**/api/v1/fiscal/schemes*")  # type: ignore[attr-defined]
    page.wait_for_selector("#export-note")  # type: ignore[attr-defined]
    note = page.inner_text("#export-note")  # type: ignore[attr-defined]
    assert "2027" in note, note
    assert page.locator("#results-loading").count() == 0  # type: ignore[attr-defined]
    assert "renqian_guagou_2021" not in page.inner_text("main")  # type: ignore[attr-defined]  # the scheme by its title


@pytest.mark.parametrize(("lang", "words"), [("zh", "2020 年全国人口普查"), ("en", "The 2020 national census")])
def test_the_data_version_is_in_words_and_its_digest_is_for_support(
    office: Office, points_line_run: str, lang: str, words: str
) -> None:
    """The run's data version was shown as it is stored (census2020+parameters:5e05…), a hex digest in front of an
    analyst: the page says it in words, the full value behind a tooltip labelled for support."""
    page = office.open(DESKTOP, lang)
    office.login(page, "pl_nat")
    page.goto(f"{office.url}/office/runs/{points_line_run}")  # type: ignore[attr-defined]
    expect(page.locator("#data-version")).to_have_text(re.compile("^" + re.escape(words)))  # a cell starts a capital
    assert not re.search(r"[0-9a-f]{8}", page.inner_text("#data-version")), page.inner_text("#data-version")  # type: ignore[attr-defined]
    assert "census2020" not in page.inner_text("main")  # type: ignore[attr-defined]
    page.hover("#data-version-support")  # type: ignore[attr-defined]
    expect(page.locator(".el-popper", has_text="census2020+parameters:")).to_be_visible()


@pytest.mark.parametrize(
    ("lang", "words", "label"),
    [("zh", "常住系统 0.1.0 版", "程序版本"), ("en", "changzhu release 0.1.0", "Software version")],
)
def test_the_code_version_is_a_release_in_words_and_its_stored_value_is_for_support(
    office: Office, points_line_run: str, lang: str, words: str, label: str
) -> None:
    """The run page said 代码版本 with the value as stored beside the time; it says which release of the system
    computed the run in words (程序版本: 常住系统 0.1.0 版) and when, the stored value behind a tooltip for support."""
    page = office.open(DESKTOP, lang)
    office.login(page, "pl_nat")
    page.goto(f"{office.url}/office/runs/{points_line_run}")  # type: ignore[attr-defined]
    expect(page.locator("#code-version")).to_have_text(words)
    expect(page.locator("#computed-on")).to_contain_text("计算完成于" if lang == "zh" else "computed on")
    assert label in page.inner_text("main") and "代码版本" not in page.inner_text("main")  # type: ignore[attr-defined]
    page.hover("#code-version-support")  # type: ignore[attr-defined]
    expect(page.locator(".el-popper", has_text="changzhu 0.1.0")).to_be_visible()
