"""Words a caseworker and a resident met on their journeys through the office (office44), in Chromium.

A unit in a fact's name in Chinese brackets (家庭人均月收入（元/月）, was "(元/月)"); a rule's refusal headed "cannot be
done" (was "request failed", as if the server had broken); an application's kind 积分落户 (was 积分, "Points"); the
release question with the scheme inside the sentence ("Release the pension insurance record", was "the Pension
insurance record"); the resident's materials list (the documents to bring, planner44) and pre-check lines starting
with a capital in English ("Hukou booklet", "For the fact: …", "✓ Hukou is elsewhere", were lower case).
"""

from __future__ import annotations

from typing import Any

from office_support import DESKTOP, PHONE, Office, pick_option
from playwright.sync_api import expect


def _resident(office: Office, username: str, key: str, lang: str) -> Any:
    page = office.open(DESKTOP, lang)
    office.login(page, username)
    page.goto(f"{office.url}/office/residents/{key}")
    page.wait_for_selector(".record")
    return page


def test_a_unit_in_chinese_brackets_and_a_refusal_that_says_it_cannot_be_done(
    office: Office, populated_sqlite: tuple[Any, dict[str, str]]
) -> None:
    people = populated_sqlite[1]
    page = _resident(office, "cw_gz", people["gz"], "zh")
    page.click("#action-facts")
    income = page.locator(".el-dialog:visible .el-form-item__label", has_text="家庭人均月收入")
    expect(income).to_have_text("家庭人均月收入（元/月）")
    page.locator(".el-dialog:visible .el-dialog__headerbtn").click()

    page.click("#action-transfer")
    pick_option(page, "scheme", "", "失业保险")  # she paid none in Chengdu
    page.locator(".el-dialog:visible .confirm").click()
    expect(page.locator(".el-dialog:visible")).to_contain_text("不能办理：成都市（510100）没有此人的失业保险记录")
    expect(page.locator(".el-dialog:visible")).not_to_contain_text("请求失败")
    page.locator(".el-dialog:visible .el-dialog__headerbtn").click()

    # an application's kind by its name: 积分落户 (was 积分, "Points" in English, which says nothing of settlement)
    page.goto(f"{office.url}/office/applications")
    page.locator(".el-select").first.click()
    expect(page.locator(".el-select-dropdown__item:visible", has_text="积分")).to_have_text("积分落户")


def test_the_release_question_and_the_residents_materials_read_as_sentences(
    office: Office, populated_sqlite: tuple[Any, dict[str, str]]
) -> None:
    people = populated_sqlite[1]
    page = _resident(office, "cw_gz", people["gz"], "en")
    page.click("#action-transfer")
    pick_option(page, "scheme", "", "Pension insurance")
    page.locator(".el-dialog:visible .confirm").click()
    expect(page.locator(".el-dialog:visible")).to_have_count(0)

    chengdu = office.open(DESKTOP, "en")
    office.login(chengdu, "cw_cd")
    chengdu.goto(f"{office.url}/office/releases")
    chengdu.locator("main button", has_text="Release and complete").click()
    question = "Release the pension insurance record held in Chengdu (510100) and receive it in Guangzhou (440100)?"
    expect(chengdu.locator(".el-message-box")).to_contain_text(question)
    chengdu.locator(".el-message-box button", has_text="Cancel").click()

    me = office.open(PHONE, "en")
    office.login(me, "res_gz")
    me.goto(f"{office.url}/office/me")
    me.click("#me-apply")
    me.locator(".el-dialog:visible .el-select__wrapper").first.click()
    me.locator(".el-select-dropdown__item:visible", has_text="Residence permit").first.click()
    first = me.locator(".el-dialog:visible .materials li").first
    # the document to bring, with the fact it proves under it, each line starting with a capital
    expect(first.locator(".document")).to_have_text("Hukou booklet")
    expect(first.locator(".proves")).to_have_text("For the fact: hukou (registered) place")
    me.click("#application-submit")
    expect(me.locator(".el-dialog:visible .precheck")).to_contain_text("✓ Hukou is elsewhere")
