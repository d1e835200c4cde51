"""Reform analysis in Chromium: build a reform (中考 3 → 1 years, 低保 800), run it, read the map, groups with
intervals, the budget line and who pays; the run reloads from a second server on the same database; transfers."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from api_support import SCENARIOS
from office_support import DESKTOP, PHONE, ROOT, Office, settle, small_run
from playwright.sync_api import expect

from changzhu.api.settings import TOKEN_TTL_ENV

pytestmark = pytest.mark.browser
SHOTS = ROOT / "docs" / "images" / "reform"
REFORM = "exam_1y_dibao_800"
TITLE = "中考居住年限降至一年，低保标准提高到每月 800 元"  # the analyst's title, in Chinese only
CHANGES = (  # (parameter key, new value, effective date)
    ("entrance_exam.child_residence_months", "12", "2027-01-01"),
    ("entrance_exam.parent_si_months", "12", "2027-01-01"),
    ("minimum_living_allowance.standard_yuan_month", "800", "2026-01-01"),
)
RUN_SECONDS = 1800  # a small sample on a busy 2-core machine; a run that fails still fails at once
OTHER_TITLE = "随迁子女在流入地参加中考的居住年限降至一年"  # small_run's shipped reform, as the compare list names it
RAW = re.compile(r"\b(newly_eligible|delta_cost_yuan|minimum_living_allowance|local_entrance_exam|party_\w+)\b")


def _serve(database: Path, home: Path) -> tuple[subprocess.Popen[bytes], str]:
    """`changzhu serve` on a free loopback port over `database`; returns the process and its URL once it answers."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {
        **os.environ,
        "CHANGZHU_DATABASE_URL": f"sqlite:///{database}",
        "CHANGZHU_HOME": str(home),
        "CHANGZHU_JWT_SECRET": "c" * 40,
        "CHANGZHU_SCENARIOS_DIR": str(SCENARIOS),
        TOKEN_TTL_ENV: str(2 * RUN_SECONDS),  # the page polls the run with the login's token: it must outlive the run
    }
    process = subprocess.Popen([sys.executable, "-m", "changzhu.cli.main", "serve", "--port", str(port)], env=env)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 180  # a loaded 2-core machine starts the process slowly
    while True:
        try:
            if httpx.get(url + "/office/login", timeout=1).status_code == 200:
                return process, url
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline or process.poll() is not None:
            process.terminate()
            pytest.fail("changzhu serve did not start")
        time.sleep(0.2)


@pytest.fixture(scope="module")
def database(populated_sqlite: tuple[Path, dict[str, str]], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the populated database shared by the two servers of the test."""
    folder = tmp_path_factory.mktemp("reform")
    shutil.copy(populated_sqlite[0], folder / "changzhu.sqlite3")
    return folder / "changzhu.sqlite3"


@pytest.fixture(scope="module")
def server(database: Path) -> Iterator[str]:
    """The first server (the `office` fixture opens pages on it)."""
    process, url = _serve(database, database.parent)
    yield url
    process.terminate()
    process.wait(timeout=15)


def _shot(page: object, name: str) -> None:
    """A full-page screenshot under docs/images/reform/ once the page is quiet."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    settle(page)  # the charts draw without animation (animation: false), transitions are off in the test browser
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)  # type: ignore[attr-defined]


def _no_raw_names(page: object) -> None:
    shown = page.inner_text("main") if page.locator("main").count() else page.inner_text("body")  # type: ignore[attr-defined]
    assert not RAW.search(shown), RAW.search(shown)


def _build_reform(office: Office) -> object:
    page = office.open(DESKTOP, "zh")
    office.login_through_form(page, "pl_nat")
    page.goto(office.url + "/office/reforms/new")  # type: ignore[attr-defined]
    page.wait_for_selector("#parameter-tree .tree-node")  # type: ignore[attr-defined]
    for key, value, since in CHANGES:
        page.fill("#parameter-filter", key)  # type: ignore[attr-defined]
        page.locator(f'#parameter-tree [data-key="{key}"]').first.click()  # type: ignore[attr-defined]
        page.wait_for_selector("#current-value")  # type: ignore[attr-defined]
        page.fill("#new-value", value)  # type: ignore[attr-defined]
        page.fill("#effective-date", since)  # type: ignore[attr-defined]
        page.keyboard.press("Enter")  # type: ignore[attr-defined]
        page.click("#add-change")  # type: ignore[attr-defined]
    rows = page.locator("#changes .el-table__body tr")  # type: ignore[attr-defined]
    assert rows.count() == 3
    assert "随迁子女中考：子女居住（就读）月数" in page.inner_text("#changes")  # type: ignore[attr-defined]  # its zh name
    assert "2027-01-01" in page.inner_text("#changes") and "800" in page.inner_text("#changes")  # type: ignore[attr-defined]
    page.fill("#scenario-name", REFORM)  # type: ignore[attr-defined]
    page.fill("#scenario-description", "中考 3 → 1 year from 2027; 低保 800 yuan/month from 2026")  # type: ignore[attr-defined]
    page.click("#save-scenario")  # type: ignore[attr-defined]
    expect(page.locator("[data-field=title_zh]")).to_contain_text("请填写方案标题")  # no title: refused at the field
    page.fill("#scenario-title-zh", TITLE)  # type: ignore[attr-defined]
    page.click("#save-scenario")  # type: ignore[attr-defined]
    page.wait_for_url(f"**/office/reforms/{REFORM}")  # type: ignore[attr-defined]
    page.wait_for_selector("#start-run")  # type: ignore[attr-defined]
    return page


def _yaml_round_trip(page: object, folder: Path) -> None:
    """下载 YAML gives the saved file; 上传 YAML of it under another name saves a copy with the same changes."""
    with page.expect_download() as info:  # type: ignore[attr-defined]
        page.click("#download-yaml")  # type: ignore[attr-defined]
    text = Path(info.value.path()).read_text(encoding="utf-8")
    assert f"name: {REFORM}" in text and "entrance_exam.child_residence_months" in text, text
    copy = folder / "copy.yaml"
    copy.write_text(text.replace(f"name: {REFORM}", f"name: {REFORM}_copy"), encoding="utf-8")
    page.set_input_files("input[type=file]", str(copy))  # type: ignore[attr-defined]
    page.wait_for_url(f"**/office/reforms/{REFORM}_copy")  # type: ignore[attr-defined]
    page.locator("#changes .el-table__body tr").nth(2).wait_for()  # type: ignore[attr-defined]
    assert page.locator("#changes .el-table__body tr").count() == 3  # type: ignore[attr-defined]
    page.goto(page.url.replace(f"{REFORM}_copy", REFORM))  # type: ignore[attr-defined]
    page.wait_for_selector("#start-run")  # type: ignore[attr-defined]


def _open_select(page: object, element: str) -> None:
    """Open the Element Plus select whose input (or root) has id `element`."""
    wrapper = f"#{element} .el-select__wrapper, .el-select:has(#{element}) .el-select__wrapper"
    page.locator(wrapper).first.click()  # type: ignore[attr-defined]


def _bands_counties_hukou_and_compare(page: object) -> None:
    """Households that gain and lose (chart, legend, table), the county map, hukou type, and a comparison."""
    page.wait_for_selector("#band-chart canvas")  # type: ignore[attr-defined]
    bands = page.inner_text("#band-table")  # type: ignore[attr-defined]
    assert "增加 5% 以上" in bands and "没有变化" in bands and "%" in bands, bands
    page.click('#band-unit >> text="人"')  # type: ignore[attr-defined]
    page.locator("#band-table", has_text="人数估计值（90% 区间）").wait_for()  # type: ignore[attr-defined]
    _open_select(page, "dimension-select")
    page.locator(".el-select-dropdown__item:visible", has_text="农业／非农业户口").click()  # type: ignore[attr-defined]
    page.locator("#group-table", has_text="非农业户口").wait_for()  # type: ignore[attr-defined]
    page.click("#map-level >> text=按区县")  # type: ignore[attr-defined]
    page.wait_for_selector("#county-note")  # type: ignore[attr-defined]
    page.wait_for_selector("#province-map .province-map[data-drawn=county]", timeout=120_000)  # type: ignore[attr-defined]
    page.wait_for_load_state("networkidle")  # type: ignore[attr-defined]
    _open_select(page, "compare-select")
    # the other run by its reform's title, start and sample (its id only in the URL)
    page.locator(".el-select-dropdown__item:visible", has_text=OTHER_TITLE).click()  # type: ignore[attr-defined]
    page.wait_for_selector("#comparison .el-table__body tr")  # type: ignore[attr-defined]
    compared = page.inner_text("#comparison")  # type: ignore[attr-defined]
    assert "随迁子女流入地中考" in compared and "新增符合条件人数" in compared, compared


def _runs_fit_a_phone(phone: object, url: str, run_id: str, lang: str) -> None:
    """At 390 px the builder's runs list shows each run whole: its link (the reform's title, in Chinese on the English
    page too: the only one given), status, sample and date inside the screen (four columns side by side were cut off
    at the date)."""
    phone.goto(f"{url}/office/reforms/{REFORM}")  # type: ignore[attr-defined]
    link = phone.locator(f'a[href$="/runs/{run_id}"]')  # type: ignore[attr-defined]  # the id only in the URL
    row = phone.locator("#runs .el-table__body tr", has=link).first  # type: ignore[attr-defined]
    row.wait_for()
    assert link.inner_text() == TITLE, link.inner_text()
    assert ("已完成" if lang == "zh" else "Done") in row.inner_text() and re.search(r"\d{1,2}:\d{2}", row.inner_text())
    assert run_id not in row.inner_text()  # the run by its reform, never its id (only in the link)
    width = phone.viewport_size["width"]  # type: ignore[attr-defined]
    for cell in row.locator("td").all():
        box = cell.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width + 1, (box, cell.inner_text())
    _shot(phone, f"builder-{lang}-390")


def test_build_run_and_reload_a_reform(office: Office, database: Path) -> None:
    page = _build_reform(office)
    saved = httpx.get(office.url + "/api/v1/openapi.json", timeout=30)  # the server is up; the YAML is stored
    assert saved.status_code == 200
    _yaml_round_trip(page, database.parent)
    small_run(office.url)  # the run to compare with
    page.fill("#sample", "0.001")  # type: ignore[attr-defined]
    page.fill("#target", "")  # type: ignore[attr-defined]
    _shot(page, "builder-zh-1366")
    page.click("#start-run")  # type: ignore[attr-defined]
    page.wait_for_url("**/office/runs/*")  # type: ignore[attr-defined]
    run_id = page.url.rsplit("/", 1)[1]  # type: ignore[attr-defined]
    page.wait_for_selector("#run-status")  # type: ignore[attr-defined]
    finished = page.locator("#run-status", has_text=re.compile("已完成|失败"))  # type: ignore[attr-defined]
    finished.wait_for(timeout=RUN_SECONDS * 1000)
    assert page.inner_text("#run-status") == "已完成"  # type: ignore[attr-defined]
    assert TITLE in page.inner_text("#run-title") and REFORM not in page.inner_text("#run-title")  # type: ignore[attr-defined]
    page.wait_for_selector("#province-map canvas")  # type: ignore[attr-defined]
    page.wait_for_selector("#group-table .el-table__body tr")  # type: ignore[attr-defined]
    groups = page.inner_text("#group-table")  # type: ignore[attr-defined]
    assert "外地户籍" in groups and re.search(r"\d[\d,]* – \d", groups), groups  # rows with their 90% interval
    budget = page.inner_text("#budget")  # type: ignore[attr-defined]
    assert "低保" in budget and "随迁子女流入地中考" in budget, budget
    assert "无单位成本" in budget, budget  # 中考 has no unit cost: said so, never 0
    assert "中央" in page.inner_text("#payers")  # type: ignore[attr-defined]
    _no_raw_names(page)
    _shot(page, "run-zh-1366")
    _bands_counties_hukou_and_compare(page)
    _no_raw_names(page)
    _shot(page, "run-county-compare-zh-1366")

    english = office.open(DESKTOP, "en")
    office.login(english, "pl_nat")
    english.goto(f"{office.url}/office/runs/{run_id}")  # type: ignore[attr-defined]
    english.wait_for_selector("#group-table .el-table__body tr")  # type: ignore[attr-defined]
    assert "no unit cost" in english.inner_text("#budget")  # type: ignore[attr-defined]
    english.wait_for_selector("#band-chart canvas")  # type: ignore[attr-defined]
    assert "Gains more than 5%" in english.inner_text("#band-table")  # type: ignore[attr-defined]
    assert TITLE in english.inner_text("#run-scenario")  # type: ignore[attr-defined]  # given in Chinese: shown in both
    _no_raw_names(english)
    _shot(english, "run-en-1366")
    english.goto(f"{office.url}/office/reforms/{REFORM}")  # type: ignore[attr-defined]
    english.wait_for_selector("#changes .el-table__body tr")  # type: ignore[attr-defined]
    assert "Minimum living allowance standard per head per month" in english.inner_text("#changes")  # type: ignore[attr-defined]
    _shot(english, "builder-en-1366")
    for lang in ("zh", "en"):
        phone = office.open(PHONE, lang)
        office.login(phone, "pl_nat")
        phone.goto(f"{office.url}/office/runs/{run_id}")  # type: ignore[attr-defined]
        phone.wait_for_selector("#group-table .el-table__body tr")  # type: ignore[attr-defined]
        phone.wait_for_selector("#band-chart canvas")  # type: ignore[attr-defined]
        _shot(phone, f"run-{lang}-390")
        _runs_fit_a_phone(phone, office.url, run_id, lang)

    # a second server on the same database shows the stored run (as after a restart)
    second, url = _serve(database, database.parent)
    try:
        again = office.open(DESKTOP, "zh")
        office.url = url
        office.login(again, "pl_nat")
        again.goto(f"{url}/office/runs/{run_id}")  # type: ignore[attr-defined]
        again.wait_for_selector("#group-table .el-table__body tr")  # type: ignore[attr-defined]
        assert again.inner_text("#run-status") == "已完成"  # type: ignore[attr-defined]
        assert again.inner_text("#sampled-persons") == page.inner_text("#sampled-persons")  # type: ignore[attr-defined]
    finally:
        second.terminate()
        second.wait(timeout=15)


def test_the_builder_cites_a_project_remark_in_the_readers_language(office: Office) -> None:
    """The project's own remark as a parameter's source reads in the office's language; a Chinese document's
    citation is shown as it is (its title) on the English page too."""
    citation = "《居住证暂行条例》（国务院令第663号）第二条"
    for lang, remark in (("en", "changzhu's own setting, not a regulation"), ("zh", "本项目设定，非法规规定")):
        page = office.open(DESKTOP, lang)
        office.login(page, "pl_nat")
        page.goto(office.url + "/office/reforms/new")  # type: ignore[attr-defined]
        page.wait_for_selector("#parameter-tree .tree-node")  # type: ignore[attr-defined]
        for key, shown in (("fiscal.fund_yuan", remark), ("residence_permit.min_residence_months", citation)):
            page.fill("#parameter-filter", key)  # type: ignore[attr-defined]
            page.locator(f'#parameter-tree [data-key="{key}"]').first.click()  # type: ignore[attr-defined]
            page.locator(".parameter-facts", has_text=key).wait_for()  # type: ignore[attr-defined]
            facts = page.inner_text(".parameter-facts")  # type: ignore[attr-defined]
            assert shown in facts and ("本项目" in facts) == (lang == "zh" and key == "fiscal.fund_yuan"), facts
        page.close()  # type: ignore[attr-defined]


def test_fiscal_view_follows_the_scheme_and_the_fund(office: Office) -> None:
    page = office.open(DESKTOP, "zh")
    office.login_through_form(page, "fo_nat")
    page.goto(office.url + "/office/fiscal")  # type: ignore[attr-defined]
    page.wait_for_selector("#winners .el-table__body tr")  # type: ignore[attr-defined]
    page.wait_for_selector("#fiscal-map canvas")  # type: ignore[attr-defined]
    first = page.inner_text("#winners")  # type: ignore[attr-defined]
    assert "广东省" in first and "+11.84" in first, first  # out-migrants fitted to the figures found (docs/fiscal.md)
    assert "变化（估算，亿元）" in first and "变化（估算，%）" in first, first  # from the estimated registered basis
    assert "基尼系数（常住）" in page.inner_text("#equity")  # type: ignore[attr-defined]
    _shot(page, "fiscal-zh-1366")
    page.fill("#fund", str(2 * float(page.input_value("#fund"))))  # type: ignore[attr-defined]
    page.click("#recompute")  # type: ignore[attr-defined]
    page.locator("#winners", has_text="+23.67").wait_for()  # type: ignore[attr-defined]
    english = office.open(DESKTOP, "en")
    office.login(english, "fo_nat")
    english.goto(office.url + "/office/fiscal")  # type: ignore[attr-defined]
    english.wait_for_selector("#winners .el-table__body tr")  # type: ignore[attr-defined]
    assert "Gini, per resident" in english.inner_text("#equity")  # type: ignore[attr-defined]
    assert "100 million yuan" in english.inner_text("body")  # type: ignore[attr-defined]
    assert "亿" not in english.inner_text("body"), "a Chinese unit left on the English screen"  # type: ignore[attr-defined]
    highest = english.locator("#equity tr", has_text="highest per registered head").first  # type: ignore[attr-defined]
    amounts = highest.locator("td").all_inner_texts()[1:-1]  # the allocations' values, between name and meaning
    assert amounts and all(len(a.partition(".")[2]) == 3 for a in amounts), amounts  # one precision per measure
    _shot(english, "fiscal-en-1366")
    phone = office.open(PHONE, "zh")
    office.login(phone, "fo_nat")
    phone.goto(office.url + "/office/fiscal")  # type: ignore[attr-defined]
    phone.wait_for_selector("#winners .el-table__body tr")  # type: ignore[attr-defined]
    _shot(phone, "fiscal-zh-390")


def test_the_fiscal_view_saves_a_change_in_words_and_drops_refused_figures(office: Office) -> None:
    """Saving the scheme's own values as a reform is not offered (it changed nothing); a saved reform is described by
    the scheme's title, not its id, in the list of reforms; a fund the floors cannot fit is refused and the figures
    of the values before it are no longer shown under it."""
    words = (("zh", "人地钱挂钩", "对转移支付方案"), ("en", "Money follows people", "Changes to"))
    for lang, title, scheme_words in words:
        page = office.open(DESKTOP, lang)
        office.login(page, "fo_nat")
        page.goto(office.url + "/office/fiscal")  # type: ignore[attr-defined]
        page.wait_for_selector("#winners .el-table__body tr")  # type: ignore[attr-defined]
        page.fill(".save-name input", f"floor_20_{lang}")  # type: ignore[attr-defined]
        assert page.is_disabled("#save-reform")  # type: ignore[attr-defined]  # nothing changed yet
        assert page.inner_text("#save-hint")  # type: ignore[attr-defined]  # ... and the page says why
        page.fill("[data-field=floor] input", "20")  # type: ignore[attr-defined]
        page.click("#recompute")  # type: ignore[attr-defined]
        page.locator("#save-hint").wait_for(state="detached")  # type: ignore[attr-defined]
        page.click("#save-reform")  # type: ignore[attr-defined]
        page.wait_for_selector(".el-alert--success")  # type: ignore[attr-defined]
        page.goto(office.url + "/office/reforms")  # type: ignore[attr-defined]  # was "no such page"
        link = page.locator(f'a[href$="/reforms/floor_20_{lang}"]')  # type: ignore[attr-defined]  # the key in the URL
        row = page.locator("#reform-list tr", has=link).first  # type: ignore[attr-defined]
        row.wait_for()
        shown = row.inner_text()
        assert scheme_words in row.locator("a").inner_text() and f"floor_20_{lang}" not in shown, shown  # titled
        described = row.inner_text()
        assert scheme_words in described and title in described, described
        assert "renqian_guagou_2021" not in described, described  # the scheme's id is no description
        page.goto(office.url + "/office/fiscal")  # type: ignore[attr-defined]
        page.wait_for_selector("#winners .el-table__body tr")  # type: ignore[attr-defined]
        page.fill("[data-field=fund] input", "1")  # type: ignore[attr-defined]  # 1 亿: less than the floors
        page.click("#recompute")  # type: ignore[attr-defined]
        page.wait_for_selector(".error-box")  # type: ignore[attr-defined]
        settle(page)
        assert page.locator("#winners .el-table__body tr").count() == 0  # type: ignore[attr-defined]
        assert page.locator("#equity .el-table__body tr").count() == 0  # type: ignore[attr-defined]


@pytest.mark.parametrize(("lang", "words"), [("zh", "在参数树中点选一个参数"), ("en", "Pick a parameter in the tree")])
def test_the_parameter_card_says_what_to_do_until_a_parameter_is_chosen(office: Office, lang: str, words: str) -> None:
    """The parameter card was empty under its header until a parameter was chosen: it says what choosing one gives,
    and gives way to the parameter's facts once one is chosen."""
    page = office.open(DESKTOP, lang)
    office.login(page, "pl_nat")
    page.goto(office.url + "/office/reforms/new")  # type: ignore[attr-defined]
    page.wait_for_selector("#parameter-tree .tree-node")  # type: ignore[attr-defined]
    expect(page.locator("#parameter-editor #parameter-prompt")).to_contain_text(words)
    page.fill("#parameter-filter", "fiscal.fund_yuan")  # type: ignore[attr-defined]
    page.locator('#parameter-tree [data-key="fiscal.fund_yuan"]').first.click()  # type: ignore[attr-defined]
    page.locator(".parameter-facts", has_text="fiscal.fund_yuan").wait_for()  # type: ignore[attr-defined]
    expect(page.locator("#parameter-prompt")).to_have_count(0)
