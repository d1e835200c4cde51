"""Approving on an undetermined decision in Chromium: Chengdu's caseworker opens the approve dialog of a residence
permit application by a resident whose record lacks employment and housing; the dialog warns that the rules have
not decided and names the missing facts (zh and en), instead of offering "No decision yet: … missing" as a reason
without a word. A decided application's dialog carries no warning."""

from __future__ import annotations

from typing import Any

from office_support import DESKTOP, PHONE, Office, application_in_review
from playwright.sync_api import expect


def test_approving_an_undetermined_application_warns_and_names_the_missing_facts(
    office: Office, populated_sqlite: tuple[Any, dict[str, str]]
) -> None:
    mover = populated_sqlite[1]["mover"]  # lives in Chengdu; no employment or housing on file
    page = office.open(DESKTOP, "en")
    office.login(page, "cw_cd")
    application = application_in_review(office, page, mover, "residence_permit")
    page.goto(application)
    page.click("#transition-approve")
    warning = page.locator("#transition-undetermined")
    expect(warning).to_contain_text("The rules have not decided yet")
    expect(warning).to_contain_text("Missing: ")
    for fact in ("legal, stable employment", "housing tenure"):
        expect(warning).to_contain_text(fact)
    office.shot(page, "approve_undetermined_en_1366")

    phone = office.open(PHONE, "zh")  # the same application, still in review (the dialog above was not confirmed)
    office.login(phone, "cw_cd")
    phone.goto(application)
    phone.click("#transition-approve")
    expect(phone.locator("#transition-undetermined")).to_contain_text("规则尚未作出判断")
    expect(phone.locator("#transition-undetermined")).to_contain_text("缺少：")

    # the mover's dibao: decided (not eligible), so no warning
    page.goto(application_in_review(office, page, mover, "dibao"))
    page.click("#transition-reject")
    expect(page.locator(".el-dialog:visible #transition-reason")).not_to_have_value("")
    expect(page.locator("#transition-undetermined")).to_have_count(0)
