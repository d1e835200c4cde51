"""Approving against the rules' decision in Chromium: Guangzhou's caseworker opens the approve dialog of a points
application the rules refuse (the worker is 28 points below the line). The dialog said nothing and offered the
drafted refusal (经审核，申请人暂不符合「积分落户」的条件…) as the approval's reason, which the server then refused
(规则的判断为「暂不符合条件」，草拟的理由不能作为「批准」的理由). It now says so before anything is sent and leaves
the reason to the caseworker; a refusal of the same application keeps the draft and no warning."""

from __future__ import annotations

import re
from typing import Any

import pytest
from office_support import DESKTOP, PHONE, Office, application_in_review
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(
    ("lang", "size", "said"),
    [("zh", DESKTOP, "规则的判断为「暂不符合条件」"), ("en", PHONE, "The rules' decision is “not eligible”")],
    ids=["zh-1366", "en-390"],
)
def test_approving_what_the_rules_refuse_asks_for_a_reason_of_ones_own(
    office: Office, populated_sqlite: tuple[Any, dict[str, str]], lang: str, size: tuple[int, int], said: str
) -> None:
    worker = populated_sqlite[1]["gz"]  # Guangzhou's points: 72 of 100
    page = office.open(size, lang)
    office.login(page, "cw_gz")
    page.goto(application_in_review(office, page, worker, "points"))
    page.click("#transition-approve")
    warning = page.locator("#transition-contradicts")
    expect(warning).to_contain_text(said)
    expect(page.locator(".el-dialog:visible #transition-reason")).to_have_value("")  # no refusal offered as reason
    office.shot(page, f"approve_against_rules_{lang}_{size[0]}")
    page.fill(".el-dialog:visible #transition-reason", "经复核，申请人补交了居住证，予以批准。")
    page.click("#transition-confirm")
    expect(page.locator("#application-status")).to_have_text("已批准" if lang == "zh" else "Approved")


def test_refusing_what_the_rules_refuse_keeps_the_draft(
    office: Office, populated_sqlite: tuple[Any, dict[str, str]]
) -> None:
    page = office.open(DESKTOP, "zh")
    office.login(page, "cw_gz")
    page.goto(application_in_review(office, page, populated_sqlite[1]["gz"], "points"))
    page.click("#transition-reject")
    drafted = re.compile("^经审核，申请人暂不符合「积分落户」")
    expect(page.locator(".el-dialog:visible #transition-reason")).to_have_value(drafted)
    expect(page.locator("#transition-contradicts")).to_have_count(0)
