"""A city's planner in the office (Chromium): the service page opens on the planner's own city, its level said,
with its counties in the chart (a Chengdu planner saw Sichuan's totals); the facility upload's counts are whole
numbers with their unit (981,509 个学位, not 981,509.49), and a list of 高德 (GCJ-02) coordinates says it was read
as such and converted to WGS-84; in Chinese and English, on a desktop and a phone."""

from __future__ import annotations

import re

import httpx
import pytest
from api_support import PASSWORD
from office_support import DESKTOP, PHONE, Office
from playwright.sync_api import expect

pytestmark = pytest.mark.browser
SCHOOLS = (
    "学校名称,学段,所在区县,学位数,经度,纬度,坐标系\n"
    "成都市龙江路小学,小学,武侯区,2160,104.0612,30.6389,高德\n"
    "成都市泡桐树小学,小学,成都市青羊区,1890,104.0556,30.6712,高德\n"
    "成都七中育才学校,初中,成都市锦江区,2400,104.0837,30.6551,高德\n"
)
WORDS = {  # the scope line, a county of the chart, the unit of places, the conversion note
    "zh": (
        "范围：成都市（地级）",
        "锦江区",
        "个学位",
        "3 行坐标按文件注明的 GCJ-02（火星坐标：高德、腾讯）读取，已转换为 WGS-84（第 2、3、4 行）",
    ),
    "en": ("Jurisdiction: Chengdu (prefecture)", "Jinjiang", "places", "3 rows read as GCJ-02 (Gaode, Tencent)"),
}


def _token(url: str, username: str, password: str = PASSWORD) -> dict[str, str]:
    answer = httpx.post(url + "/api/v1/auth/login", json={"username": username, "password": password}, timeout=60)
    answer.raise_for_status()
    return {"Authorization": "Bearer " + answer.json()["access_token"]}


def chengdu_planner(url: str) -> str:
    """A planner for 成都市（510100）, made by the national administrator once per server, its password set."""
    account = {"username": "pl_cd", "role": "planner", "jurisdictions": ["510100"]}
    made = httpx.post(url + "/api/v1/users", json=account, headers=_token(url, "ad_nat"), timeout=60)
    if made.status_code == 201:
        change = {"old_password": made.json()["one_time_password"], "new_password": PASSWORD}
        first = _token(url, "pl_cd", change["old_password"])
        assert httpx.post(url + "/api/v1/auth/password", json=change, headers=first, timeout=60).status_code == 200
    else:
        assert made.status_code == 409, made.text  # made by an earlier test on this server
    return "pl_cd"


@pytest.mark.parametrize(("lang", "size"), [("zh", DESKTOP), ("en", DESKTOP), ("zh", PHONE), ("en", PHONE)])
def test_a_city_planner_opens_the_services_on_the_city(office: Office, lang: str, size: tuple[int, int]) -> None:
    scope, county, _unit, _note = WORDS[lang]
    page = office.open(size, lang)
    office.login(page, chengdu_planner(office.url))
    page.goto(office.url + "/office/services")
    expect(page.locator("#services-scope")).to_contain_text(scope)
    expect(page.locator("#services-scope")).to_have_attribute("data-level", "prefecture")
    chart = page.locator("#service-chart")
    expect(chart).to_have_attribute("aria-label", re.compile(county))
    described = chart.get_attribute("aria-label") or ""
    assert not re.search("四川省|Sichuan|广东省|Guangdong", described), described  # no province, no other city
    # a city's supply is the province's apportioned, an estimate: so are the shortage and idle capacity computed from
    # it (they were shown as plain figures beside a supply tagged 估算)
    estimate = "估算" if lang == "zh" else "estimate"
    for figure in ("supply", "shortage", "idle"):
        shown = page.locator(f"#services-table [data-figure={figure}]")
        expect(shown.first).to_be_visible()
        assert shown.count() == 7 and shown.locator(".el-tag", has_text=estimate).count() == 7, shown.all_inner_texts()
    office.shot(page, f"services_chengdu_{lang}_{size[0]}")


@pytest.mark.parametrize(("lang", "size"), [("zh", DESKTOP), ("en", DESKTOP), ("zh", PHONE), ("en", PHONE)])
def test_a_school_list_reads_in_whole_places_and_says_its_coordinates_were_converted(
    office: Office, lang: str, size: tuple[int, int]
) -> None:
    _scope, _county, unit, note = WORDS[lang]
    page = office.open(size, lang)
    office.login(page, chengdu_planner(office.url))
    page.goto(office.url + "/office/admin/uploads")
    page.wait_for_selector("#upload-dry-run")
    page.locator(".el-select").first.click()
    kind = "设施清单" if lang == "zh" else "Facility list"
    page.locator(".el-select-dropdown__item:visible", has_text=kind).first.click()
    page.set_input_files(
        ".el-upload__input", files=[{"name": "学校.csv", "mimeType": "text/csv", "buffer": SCHOOLS.encode("gbk")}]
    )
    page.click("#upload-dry-run")
    page.wait_for_selector("#upload-replaced")
    expect(page.locator("#upload-preview")).to_contain_text(note)
    expect(page.locator("#upload-preview")).to_contain_text(f"2,160 {unit}")
    # a table at 1366 px, one card a row on a phone
    replaced = page.inner_text("#upload-replaced " + (".el-table" if size == DESKTOP else ".upload-cards"))
    assert f"4,050 {unit}" in replaced, replaced  # the list's places (2,160 + 1,890)
    assert not re.search(r"\d\.\d", re.sub(r"[\d.]+%", "", replaced)), replaced  # no count with decimals
    office.shot(page, f"upload_schools_chengdu_{lang}_{size[0]}")


def test_a_city_planner_finds_the_gap_measures_on_the_map(office: Office) -> None:
    """The map learns which services have gaps from the first level with rows inside the jurisdiction: a city's
    planner reads no province's rows since GET /planning/gaps keeps regions inside it."""
    page = office.open(DESKTOP, "zh")
    office.login(page, chengdu_planner(office.url))
    page.goto(office.url + "/office/map")
    page.locator(".el-select:has(#measure-select) .el-select__wrapper").click()
    expect(page.locator(".el-select-dropdown__item:visible", has_text="医院床位")).to_have_count(1)
