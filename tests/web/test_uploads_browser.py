"""The uploads page in Chromium (issue 15): a Guangdong planner loads Shenzhen's facility list, GBK with Chinese
headers, sees the first rows and the bad row, then stores the good rows; /planning/gaps then uses the list."""

from __future__ import annotations

import httpx
from api_support import PASSWORD
from office_support import DESKTOP, Office

FACILITIES = (
    "设施编号,名称,服务,所在地区,容量,经度,纬度\n"
    "SZ-H-001,深圳市人民医院,医疗卫生机构床位,440303,2800,114.12,22.55\n"
    "SZ-H-002,北京大学深圳医院,医疗卫生机构床位,福田区,1500,,\n"
    "SZ-H-003,某医院,医疗卫生机构床位,深圳,很多,,\n"
)


def _beds_of_shenzhen(url: str) -> tuple[float, str]:
    token = httpx.post(url + "/api/v1/auth/login", json={"username": "pl_gd", "password": PASSWORD}).json()
    items = httpx.get(
        url + "/api/v1/planning/gaps?level=prefecture&service=hospital_beds&basis=resident&province=440000&limit=100",
        headers={"Authorization": "Bearer " + token["access_token"]},
        timeout=120,
    ).json()["items"]
    (shenzhen,) = [i for i in items if i["region_code"] == "440300"]
    return shenzhen["supply"], shenzhen["supply_source"]


def test_planner_previews_then_stores_a_facility_list(office: Office) -> None:
    page = office.open(DESKTOP, "zh")
    office.login(page, "pl_gd")
    page.click(".shell-menu >> text=数据上传")
    page.wait_for_selector("#upload-dry-run")
    page.locator(".el-select").first.click()
    page.locator(".el-select-dropdown__item:visible", has_text="设施清单").first.click()
    page.set_input_files(
        ".el-upload__input",
        files=[{"name": "深圳设施.csv", "mimeType": "text/csv", "buffer": FACILITIES.encode("gbk")}],
    )
    page.click("#upload-dry-run")
    page.wait_for_selector("#upload-preview")
    errors = page.inner_text("#upload-errors")
    assert "4" in errors and "容量" in errors and "很多" in errors and "不是数字" in errors
    assert "深圳市" in errors  # did you mean 深圳市?
    preview = page.inner_text("#upload-preview")
    assert "SZ-H-001" in preview and "440304" in preview and "hospital_beds" in preview
    office.shot(page, "uploads_facility_check_zh_1366")
    before = _beds_of_shenzhen(office.url)
    assert before[1] != "facility list"
    page.locator(".el-checkbox", has_text="跳过有误的行").click()
    page.click("#upload-store")
    page.wait_for_selector("#upload-replaced")
    assert "440300" in page.inner_text("#upload-replaced") and "估计值" in page.inner_text("#upload-replaced")
    assert "已保存 2 行" in page.inner_text("#upload-result")
    office.shot(page, "uploads_facility_stored_zh_1366")
    assert _beds_of_shenzhen(office.url) == (4300, "facility list")
