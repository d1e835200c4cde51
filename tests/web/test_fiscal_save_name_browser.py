"""Saving the transfer page's parameters as a reform: the page says the rule of a reform's name before the fiscal
official types one (it said nothing, and a name in words, 我的方案 or "my fiscal reform", was refused only after),
the rule as the server holds it (the reform builder said letters, digits and underscores: capitals were refused),
and a refusal quotes the name typographically, never as Python's 'my fiscal reform'."""

from __future__ import annotations

import pytest
from office_support import DESKTOP, Office
from playwright.sync_api import expect

pytestmark = pytest.mark.browser
RULE = {
    "zh": "方案名称：只能用小写字母、数字、下划线（_）或连字符（-），以字母或数字开头，最多 80 个",
    "en": "Scenario name: Lower-case letters, digits, underscores (_) or hyphens (-) only, starting with a letter",
}
REFUSED = {
    "zh": "情景名称 “my fiscal reform”：只能用小写字母",
    "en": "scenario name “my fiscal reform”: use lower-case",
}
SAVED = {"zh": "已保存为方案 fund_2000_", "en": "fund_2000_"}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_transfer_page_says_the_rule_of_a_reforms_name(office: Office, lang: str) -> None:
    page = office.open(DESKTOP, lang)
    office.login(page, "fo_nat")
    page.goto(office.url + "/office/fiscal")
    page.wait_for_selector("#winners .el-table__body tr")
    expect(page.locator("#save-name-rule")).to_contain_text(RULE[lang])
    page.locator("[data-field=fund] input").fill("2000")
    page.locator(".save-name input").fill("my fiscal reform")
    page.click("#save-reform")
    refused = page.locator(".el-alert--error")
    expect(refused).to_contain_text(REFUSED[lang])
    assert "'my fiscal reform'" not in refused.inner_text(), refused.inner_text()
    page.locator(".save-name input").fill(f"fund_2000_{lang}")
    page.click("#save-reform")
    expect(page.locator(".el-alert--success")).to_contain_text(SAVED[lang])
