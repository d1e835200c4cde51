"""待复核 in Chromium: a Chengdu caseworker issues a voucher above the second-approver threshold (held, over the
API); another Chengdu caseworker finds it in the office's list of items awaiting approval (what it is in words,
whom, how much in yuan, the region by name, who asked and when with the time's zone), approves it, and the voucher
is then on the resident's 服务券 tab; the maker sees their item without buttons; returning one needs a reason."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from office_support import DESKTOP, PHONE, Office, approval_items, bearer, open_approvals, staff_account
from playwright.sync_api import expect

pytestmark = pytest.mark.browser
CHECKER = "cw_cd2"  # a second caseworker of Chengdu, opened by the national administrator (not by the maker)
WORDS = {
    "zh": {"menu": "待复核", "kind": "发放服务券", "service": "职业技能培训", "noName": "（未登记姓名）",
           "region": "成都市（510100）", "own": "由您提交，须另一位人员复核", "approve": "批准", "reject": "退回",
           "required": "请填写退回理由", "yuan": " 元"},
    "en": {"menu": "Awaiting approval", "kind": "Issue a service voucher", "service": "Vocational training",
           "noName": "(no name recorded)", "region": "Chengdu (510100)",
           "own": "Submitted by you: another person must approve it", "approve": "Approve", "reject": "Return",
           "required": "Please give a reason for returning it", "yuan": " yuan"},
}  # fmt: skip


def _held_voucher(url: str, holder_key: str, value_fen: int, key: str) -> dict[str, Any]:
    """A voucher Chengdu's caseworker cw_cd issues above the threshold (10,000 yuan in Chengdu): held, answered 202."""
    body = {"holder_key": holder_key, "issuer_region": "510100", "service": "vocational_training",
            "value_fen": value_fen, "issued_on": "2026-11-01", "expires_on": "2027-11-01",
            "idempotency_key": key}  # fmt: skip
    answer = httpx.post(url + "/api/v1/vouchers", json=body, headers=bearer(url, "cw_cd"), timeout=60)
    assert answer.status_code == 202 and answer.json()["status"] == "pending", answer.text
    return dict(answer.json())


def _approval(url: str, approval_id: int, status: str) -> dict[str, Any] | None:
    return next((a for a in approval_items(url, status, CHECKER) if a["approval_id"] == approval_id), None)


@pytest.mark.parametrize(("size", "lang"), [(DESKTOP, "zh"), (PHONE, "en")])
def test_another_caseworker_approves_a_held_voucher(
    office: Office, populated_sqlite: tuple[Any, dict[str, str]], size: tuple[int, int], lang: str
) -> None:
    people = populated_sqlite[1]
    staff_account(office.url, CHECKER, "caseworker", ["510100"])
    value_fen = 2_000_000 + (100 if lang == "zh" else 200) * 100  # 20,100 or 20,200 yuan: this case's row
    amount = f"{value_fen / 100:,.2f}"
    held = _held_voucher(office.url, people["cd"], value_fen, f"approvals-browser-{lang}-{size[0]}")
    words = WORDS[lang]

    maker = open_approvals(office, "cw_cd", size, lang)
    own = maker.locator("#approval-table .el-table__row", has_text=amount)
    expect(own).to_contain_text(words["own"])
    expect(own.locator(".approve-item, .reject-item")).to_have_count(0)  # never the maker's to decide

    page = open_approvals(office, CHECKER, size, lang)
    row = page.locator("#approval-table .el-table__row", has_text=amount)
    expect(row).to_have_count(1)
    for said in (words["kind"], words["service"], words["noName"], "51**", amount + words["yuan"], words["region"]):
        expect(row).to_contain_text(said)
    expect(row).to_contain_text("cw_cd")
    expect(row).to_contain_text("(UTC")  # the time it was asked, with its zone
    expect(row).not_to_contain_text("voucher.issue")
    expect(row).not_to_contain_text(words["own"])
    expect(row.locator(".approve-item")).to_be_in_viewport(ratio=1)  # on a phone too: no sideways scroll
    office.shot(page, f"approvals_{lang}_{size[0]}")

    row.locator(".approve-item").click()
    dialog = page.locator(".el-dialog:visible")
    expect(dialog).to_contain_text(words["kind"])
    expect(dialog).to_contain_text(amount)
    office.shot(page, f"approvals_approve_{lang}_{size[0]}")
    dialog.locator("#decision-submit").click()  # a note is not needed to approve
    expect(page.locator(".el-dialog:visible")).to_have_count(0)
    expect(page.locator("#approval-table .el-table__row", has_text=amount)).to_have_count(0)

    decided = _approval(office.url, held["approval_id"], "approved")
    assert decided is not None and decided["checker"] == CHECKER, decided
    page.goto(f"{office.url}/office/residents/{people['cd']}")
    page.wait_for_selector(".record")
    page.click("#tab-vouchers")
    vouchers = page.locator("#pane-vouchers")
    expect(vouchers).to_contain_text(amount)  # the voucher now exists
    expect(vouchers.locator(".el-table__row", has_text=amount)).to_contain_text(words["service"])


@pytest.mark.parametrize(("size", "lang"), [(DESKTOP, "en"), (PHONE, "zh")])
def test_returning_a_held_voucher_needs_a_reason_and_issues_nothing(
    office: Office, populated_sqlite: tuple[Any, dict[str, str]], size: tuple[int, int], lang: str
) -> None:
    people = populated_sqlite[1]
    staff_account(office.url, CHECKER, "caseworker", ["510100"])
    value_fen = 2_000_000 + (300 if lang == "zh" else 400) * 100
    amount = f"{value_fen / 100:,.2f}"
    held = _held_voucher(office.url, people["cd"], value_fen, f"approvals-return-{lang}-{size[0]}")
    words = WORDS[lang]

    page = open_approvals(office, CHECKER, size, lang)
    row = page.locator("#approval-table .el-table__row", has_text=amount)
    expect(row).to_contain_text(words["kind"])
    office.shot(page, f"approvals_{lang}_{size[0]}")
    row.locator(".reject-item").click()
    dialog = page.locator(".el-dialog:visible")
    dialog.locator("#decision-submit").click()
    expect(dialog.locator(".el-form-item__error")).to_have_text(words["required"])  # a reason is required
    reason = "金额与培训合同不符" if lang == "zh" else "Amount does not match the contract"
    dialog.locator("#decision-note").fill(reason)
    office.shot(page, f"approvals_return_{lang}_{size[0]}")
    dialog.locator("#decision-submit").click()
    expect(page.locator(".el-dialog:visible")).to_have_count(0)
    expect(page.locator("#approval-table .el-table__row", has_text=amount)).to_have_count(0)

    returned = _approval(office.url, held["approval_id"], "rejected")
    assert returned is not None and returned["checker"] == CHECKER and returned["note"] == reason, returned
    page.goto(f"{office.url}/office/residents/{people['cd']}")
    page.wait_for_selector(".record")
    page.click("#tab-vouchers")
    expect(page.locator("#pane-vouchers .el-table")).to_be_visible()
    expect(page.locator("#pane-vouchers")).not_to_contain_text(amount)  # nothing issued


def test_an_item_decided_meanwhile_is_refused_in_the_pages_language(
    office: Office, populated_sqlite: tuple[Any, dict[str, str]]
) -> None:
    """The list was open when the national administrator approved the item elsewhere: approving it again in the
    office shows the server's refusal, in Chinese, in the dialog (the item is not decided twice)."""
    people = populated_sqlite[1]
    staff_account(office.url, CHECKER, "caseworker", ["510100"])
    value_fen = 2_050_000
    amount = f"{value_fen / 100:,.2f}"
    held = _held_voucher(office.url, people["cd"], value_fen, "approvals-decided-meanwhile")
    page = open_approvals(office, CHECKER, DESKTOP, "zh")
    row = page.locator("#approval-table .el-table__row", has_text=amount)
    expect(row).to_have_count(1)
    path = f"{office.url}/api/v1/approvals/{held['approval_id']}/approve"
    assert httpx.post(path, json={}, headers=bearer(office.url, "ad_nat"), timeout=60).status_code == 200
    row.locator(".approve-item").click()
    dialog = page.locator(".el-dialog:visible")
    dialog.locator("#decision-submit").click()
    expect(dialog.locator(".error-box")).to_contain_text("已由 ad_nat 处理")
    decided = _approval(office.url, held["approval_id"], "approved")
    assert decided is not None and decided["checker"] == "ad_nat", decided
