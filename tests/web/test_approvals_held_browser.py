"""Held medical bills and moves in Chromium, made through the office's screens as a caseworker would: a Guangzhou
caseworker settles a large bill of a worker insured in Chengdu (held for Chengdu's fund) and registers the arrival
of a Chengdu resident who shows her identity card at the counter (登记外地迁入, held for Chengdu or the person).
A second caseworker of Chengdu approves the bill in 待复核 (the worker's page is not hers to open, so his name is
shown without a link) and returns the move with a reason; the results are where the person's page shows them."""

from __future__ import annotations

from typing import Any

import pytest
from office_support import (
    DESKTOP,
    PHONE,
    Office,
    approval_items,
    open_approvals,
    open_resident,
    pick_option,
    staff_account,
)
from playwright.sync_api import expect

pytestmark = pytest.mark.browser
CHECKER = "cw_cd2"  # a second caseworker of Chengdu, opened by the national administrator (not by the maker)
WORKER_ID = "510104199001011230"  # lives in Guangzhou, insured for medical care in Chengdu
CHENGDU_ID = "510104198505054328"  # lives in Chengdu
WORDS = {
    "zh": {"menu": "待复核", "held": "已提交，等待另一位人员复核", "bill": "医疗费用结算", "move": "迁入登记",
           "chengdu": "成都市（510100）", "guangzhou": "广州市（440100）", "noName": "（未登记姓名）", "yuan": " 元",
           "required": "请填写退回理由", "proof": "合法稳定住所", "medical": "医疗结算", "arrival": "登记外地迁入"},
    "en": {"menu": "Awaiting approval", "held": "Submitted; waiting for a second person to approve",
           "bill": "Medical bill settlement", "move": "Move registration", "chengdu": "Chengdu (510100)",
           "guangzhou": "Guangzhou (440100)", "noName": "(no name recorded)", "yuan": " yuan",
           "required": "Please give a reason for returning it", "proof": "Legal stable housing",
           "medical": "Medical bills", "arrival": "Register an arrival from elsewhere"},
}  # fmt: skip


def _approval(url: str, status: str, kind: str) -> list[dict[str, Any]]:
    return [a for a in approval_items(url, status, CHECKER) if a["kind"] == kind]


def _type_date(dialog: Any, field: str, day: str) -> None:
    box = dialog.locator(f"[data-field={field}] input")
    box.fill("")
    box.type(day)
    dialog.locator(".el-dialog__title").click()  # the field is left, as a caseworker moves on
    expect(box).to_have_value(day)


@pytest.mark.parametrize(("size", "lang"), [(DESKTOP, "zh"), (PHONE, "en")])
def test_a_held_bill_settled_in_the_office_is_approved_by_the_insured_place(
    office: Office, size: tuple[int, int], lang: str
) -> None:
    staff_account(office.url, CHECKER, "caseworker", ["510100"])
    words = WORDS[lang]
    yuan = 250_100 if lang == "zh" else 250_200  # above the 200,000 yuan threshold: held
    amount = f"{yuan:,.2f}"
    hospital = "中山大学附属第一医院" if lang == "zh" else "First Affiliated Hospital, Sun Yat-sen University"

    maker = office.open(size, lang)
    office.login(maker, "cw_gz")
    maker.wait_for_url("**/office/residents")
    open_resident(maker, WORKER_ID)
    maker.click("#action-settlement")
    dialog = maker.locator(".el-dialog:visible")
    pick_option(maker, "insured_region", "成都" if lang == "zh" else "Chengdu", words["chengdu"])
    expect(dialog.locator("[data-field=treatment_region]")).to_contain_text(words["guangzhou"])
    dialog.locator("[data-field=hospital] input").fill(hospital)
    _type_date(dialog, "treated_on", "2026-07-01")
    dialog.locator("[data-field=items] textarea").fill(f"A001 {yuan}")
    dialog.locator(".confirm").click()
    expect(maker.locator(".el-message")).to_contain_text(words["held"])
    expect(maker.locator(".el-dialog:visible")).to_have_count(0)

    page = open_approvals(office, CHECKER, size, lang)
    row = page.locator("#approval-table .el-table__row", has_text=amount)
    expect(row).to_have_count(1)
    for said in (words["bill"], hospital, words["noName"], "51**", amount + words["yuan"], words["chengdu"], "cw_gz"):
        expect(row).to_contain_text(said)
    # the worker lives in Guangzhou: Chengdu's checker may not open his page, so his name is no link to a closed page
    expect(row.locator(".person-name")).to_have_text(words["noName"])
    expect(row.locator("a")).to_have_count(0)
    expect(row.locator(".approve-item")).to_be_in_viewport(ratio=1)
    office.shot(page, f"approvals_medical_{lang}_{size[0]}")
    row.locator(".approve-item").click()
    dialog = page.locator(".el-dialog:visible")
    expect(dialog).to_contain_text(words["bill"])
    dialog.locator("#decision-submit").click()
    expect(page.locator(".el-dialog:visible")).to_have_count(0)
    expect(page.locator("#approval-table .el-table__row", has_text=amount)).to_have_count(0)
    decided = [a for a in _approval(office.url, "approved", "medical.settle") if a["amount_fen"] == yuan * 100]
    assert len(decided) == 1 and decided[0]["checker"] == CHECKER, decided

    # the settled bill on the worker's page, where Guangzhou's caseworker (the place he lives) reads it
    maker.goto(f"{office.url}/office/residents/{decided[0]['person_key']}")
    maker.wait_for_selector(".record")
    maker.locator(".el-tabs__item", has_text=words["medical"]).click()
    bills = maker.locator("#pane-medical .el-table__row", has_text=hospital)
    expect(bills).to_have_count(1)
    expect(bills).to_contain_text(amount)
    expect(bills).to_contain_text(words["chengdu"].split("（")[0].split(" (")[0])
    office.shot(maker, f"resident_medical_{lang}_{size[0]}")


@pytest.mark.parametrize(("size", "lang"), [(DESKTOP, "en"), (PHONE, "zh")])
def test_an_arrival_registered_at_the_counter_is_returned_by_the_old_place(
    office: Office, size: tuple[int, int], lang: str
) -> None:
    staff_account(office.url, CHECKER, "caseworker", ["510100"])
    words = WORDS[lang]
    proof = f"lease-{lang}-{size[0]}"

    maker = office.open(size, lang)
    office.login(maker, "cw_gz")
    maker.wait_for_url("**/office/residents")
    maker.click("#arrival-button")
    dialog = maker.locator(".el-dialog:visible")
    expect(dialog).to_contain_text(words["arrival"])
    dialog.locator("[data-field=id_number] input").fill(CHENGDU_ID)
    expect(dialog.locator("[data-field=to_region]")).to_contain_text(words["guangzhou"])  # the office's own city
    pick_option(maker, "proof_kind", "", words["proof"])
    dialog.locator("[data-field=proof_ref] input").fill(proof)
    dialog.locator(".el-dialog__title").click()
    office.shot(maker, f"arrival_dialog_{lang}_{size[0]}")
    dialog.locator(".confirm").click()
    expect(maker.locator(".el-message")).to_contain_text(words["held"])
    expect(maker.locator(".el-dialog:visible")).to_have_count(0)
    [held] = [a for a in _approval(office.url, "pending", "residence.move") if a["request"]["proof_ref"] == proof]
    assert "id_number" not in held["request"]  # the number shown at the counter is not kept with the move

    page = open_approvals(office, CHECKER, size, lang)
    row = page.locator("#approval-table .el-table__row", has_text=words["move"])
    expect(row).to_have_count(1)
    for said in (words["guangzhou"], words["chengdu"], words["noName"], "51**", "cw_gz"):
        expect(row).to_contain_text(said)
    expect(row.locator("a", has_text=words["noName"])).to_have_count(1)  # she lives in Chengdu: her page opens
    row.locator(".reject-item").click()
    dialog = page.locator(".el-dialog:visible")
    dialog.locator("#decision-submit").click()
    expect(dialog.locator(".el-form-item__error")).to_have_text(words["required"])  # a reason is required
    reason = "本人未到场，租约无法核实" if lang == "zh" else "The lease could not be checked"
    dialog.locator("#decision-note").fill(reason)
    office.shot(page, f"approvals_move_return_{lang}_{size[0]}")
    dialog.locator("#decision-submit").click()
    expect(page.locator(".el-dialog:visible")).to_have_count(0)
    expect(page.locator("#approval-table .el-table__row", has_text=words["move"])).to_have_count(0)
    [returned] = [
        a for a in _approval(office.url, "rejected", "residence.move") if a["approval_id"] == held["approval_id"]
    ]
    assert returned["checker"] == CHECKER and returned["note"] == reason, returned

    # returned: she still lives in Chengdu, as her page (Chengdu's to open) shows, with no move in her history
    page.goto(f"{office.url}/office/residents")
    open_resident(page, CHENGDU_ID)
    expect(page.locator(".record")).to_contain_text(words["chengdu"])
    expect(page.locator(".record")).not_to_contain_text(words["guangzhou"])
