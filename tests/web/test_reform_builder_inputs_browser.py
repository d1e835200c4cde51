"""The reform builder reads what an analyst types: a share typed "5%" or "0,05", an amount with its unit, an empty
field or a date the form cannot read is refused at its field with how to write it, and nothing is added; a date typed
2025/1/1 and a yes/no switch reach the API as 2025-01-01 and true; values show their units (zh and en, 1366 and 390)."""

from __future__ import annotations

import httpx
import pytest
from api_support import PASSWORD
from office_support import DESKTOP, PHONE, Office
from playwright.sync_api import expect

pytestmark = pytest.mark.browser
SHARE = "fiscal.cost_sharing.default.central"  # a share (ratio), 0.3 now
DIBAO = "minimum_living_allowance.standard_yuan_month"  # yuan, 753 now
PERMIT_DIBAO = "minimum_living_allowance.open_to_permit_holders"  # yes/no, no now
MISTAKES = {  # (parameter, value typed, date typed) -> the message at the field, in zh and en
    (SHARE, "5%", ""): ("应填 0.05，不要写百分号", "type 0.05, not a percentage"),
    (SHARE, "0,05", ""): ("应填 0.05，不是 0,05", "0.05, not 0,05"),
    (SHARE, "5", ""): ("5% 应填 0.05", "5% is 0.05"),
    (DIBAO, "", ""): ("请填写新值", "Enter the new value"),
    (DIBAO, "800元", ""): ("单位（元）已在输入框旁注明", "the unit (yuan) is given"),
    (DIBAO, "850", "2025/13/1"): ("没有这一天", "no such day"),
    (DIBAO, "850", "1.1.2025"): ("不是日期", "is not a date"),
}


def _choose(page: object, key: str) -> None:
    page.fill("#parameter-filter", key)  # type: ignore[attr-defined]
    page.locator(f'#parameter-tree [data-key="{key}"]').first.click()  # type: ignore[attr-defined]
    page.wait_for_selector("#current-value")  # type: ignore[attr-defined]


@pytest.mark.parametrize(("lang", "size"), [("zh", DESKTOP), ("en", PHONE)])
def test_mistakes_are_refused_at_their_field_and_dates_and_switches_are_saved_as_meant(
    office: Office, lang: str, size: tuple[int, int]
) -> None:
    page = office.open(size, lang)
    office.login(page, "pl_nat")
    page.goto(office.url + "/office/reforms/new")  # type: ignore[attr-defined]
    page.wait_for_selector("#parameter-tree .tree-node")  # type: ignore[attr-defined]
    rows = page.locator("#changes .el-table__body tr")  # type: ignore[attr-defined]
    for (key, value, since), words in MISTAKES.items():
        _choose(page, key)
        page.fill("#new-value", value)  # type: ignore[attr-defined]
        page.fill("#effective-date", since)  # type: ignore[attr-defined]
        page.click("#add-change")  # type: ignore[attr-defined]
        expect(page.locator(".change-form .el-form-item__error")).to_contain_text(words[lang == "en"])  # type: ignore[attr-defined]
        assert rows.count() == 0, (key, value, since)
    assert page.locator(".error-box").count() == 0  # type: ignore[attr-defined]  # no "request failed": none was made
    expect(page.locator("#current-value")).to_have_text("753 元" if lang == "zh" else "753 yuan")  # type: ignore[attr-defined]
    page.fill("#new-value", "850")  # type: ignore[attr-defined]
    page.fill("#effective-date", "2025/1/1")  # type: ignore[attr-defined]
    page.click("#add-change")  # type: ignore[attr-defined]
    _choose(page, PERMIT_DIBAO)
    page.click("[data-field=value] .el-switch")  # type: ignore[attr-defined]
    page.fill("#effective-date", "2026年1月1日")  # type: ignore[attr-defined]
    page.click("#add-change")  # type: ignore[attr-defined]
    _choose(page, SHARE)
    expect(page.locator("#current-value")).to_have_text("0.3（30%）" if lang == "zh" else "0.3 (30%)")  # type: ignore[attr-defined]
    page.fill("#new-value", "0.05")  # type: ignore[attr-defined]
    page.click("#add-change")  # type: ignore[attr-defined]
    expect(rows).to_have_count(3)
    changes = page.inner_text("#changes")  # type: ignore[attr-defined]
    assert ("850 元" in changes and "是" in changes) if lang == "zh" else ("850 yuan" in changes and "Yes" in changes)
    name = f"inputs_{lang}"
    page.fill("#scenario-name", name)  # type: ignore[attr-defined]
    page.fill("#scenario-title-zh" if lang == "zh" else "#scenario-title-en", f"inputs {lang}")  # type: ignore[attr-defined]
    page.click("#save-scenario")  # type: ignore[attr-defined]
    page.wait_for_url(f"**/office/reforms/{name}")  # type: ignore[attr-defined]
    login = httpx.post(office.url + "/api/v1/auth/login", json={"username": "pl_nat", "password": PASSWORD})
    headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
    saved = httpx.get(f"{office.url}/api/v1/scenarios/{name}", headers=headers).json()["overrides"]
    got = {(o["parameter"], o["value"], o["since"]) for o in saved}
    assert got == {(DIBAO, 850, "2025-01-01"), (PERMIT_DIBAO, True, "2026-01-01"), (SHARE, 0.05, None)}, got


@pytest.mark.parametrize(("lang", "size", "group"), [("zh", DESKTOP, "东莞市规则"), ("en", PHONE, "Dongguan's rules")])
def test_a_city_whose_keys_no_locale_names_is_grouped_under_its_name(
    office: Office, lang: str, size: tuple[int, int], group: str
) -> None:
    # 东莞（441900） was added in YAML alone: its parameters were grouped under the raw word "dongguan"
    page = office.open(size, lang)
    office.login(page, "pl_nat")
    page.goto(office.url + "/office/reforms/new")  # type: ignore[attr-defined]
    page.wait_for_selector("#parameter-tree .tree-node")  # type: ignore[attr-defined]
    page.fill("#parameter-filter", "dongguan.points")  # type: ignore[attr-defined]
    tree = page.locator("#parameter-tree")  # type: ignore[attr-defined]
    expect(tree.locator('[data-key="dongguan.points.line"]')).to_be_visible()
    labels = tree.locator(".tree-label:visible").all_inner_texts()
    assert group in labels and "dongguan" not in labels, labels
