"""A resident on a phone and an administrator in the office (Chromium), in Chinese and English."""

from __future__ import annotations

import re

import httpx
import pytest
from api_support import PASSWORD
from office_support import DESKTOP, PHONE, Office, bearer, pick_option, region_offers, staff_account
from playwright.sync_api import expect

from changzhu.registry.identity import check_char

pytestmark = pytest.mark.browser


def test_a_newcomer_reads_what_each_service_still_needs_once(office: Office) -> None:
    """A resident registered without the facts Guangzhou's points read sees each service once, with the facts it
    needs in one line, not the service's name again above every fact."""
    staff = bearer(office.url, "cw_gz")
    first17 = "44010619850607002"
    person = {
        "id_number": first17 + check_char(first17),
        "hukou_region": "510100",
        "residence_region": "440100",
        "residence_since": "2021-03-01",
        "proof_kind": "employment",
        "proof_ref": "劳动合同-2021-001",
        "name": "李娟",
    }
    made = httpx.post(office.url + "/api/v1/residents", json=person, headers=staff, timeout=60)
    assert made.status_code == 201, made.text
    login = httpx.post(
        office.url + f"/api/v1/residents/{made.json()['person_key']}/login",
        json={"username": "res_newcomer"},
        headers=staff,
        timeout=60,
    ).json()
    own = {"old_password": login["one_time_password"], "new_password": PASSWORD}
    first = bearer(office.url, "res_newcomer", login["one_time_password"])
    assert httpx.post(office.url + "/api/v1/auth/password", json=own, headers=first, timeout=60).status_code == 200
    page = office.open(PHONE, "zh")
    office.login(page, "res_newcomer")
    page.wait_for_selector("#me-missing .missing-item")
    blocks = page.locator("#me-missing .missing-item").evaluate_all("items => items.map(i => i.dataset.service)")
    assert blocks and len(blocks) == len(set(blocks)), blocks
    text = page.inner_text("#me-missing")
    assert text.count("需要提供：") == len(blocks) and "在穗缴存住房公积金月数；" in text, text


def test_resident_on_a_phone(office: Office) -> None:
    page = office.open(PHONE, "zh")
    office.login(page, "res_gz")
    page.wait_for_url("**/office/me")
    page.wait_for_selector("#me-entitled li[data-service='medical_insurance']")
    assert "常住地基本医疗保险" in page.inner_text("#me-entitled")
    assert "积分落户" in page.inner_text("#me-missing") and "起满足" in page.inner_text("#me-missing")
    assert "广州市来穗人员积分" in page.inner_text("#me-points") and "总分" in page.inner_text("#me-points")
    # her 技术能力 0 says why: the title recorded as 无 (none), a recorded value, not an unknown counted as 0
    expect(page.locator("#me-points")).to_contain_text("依据：职业资格/职称：无")
    expect(page.locator("#me-children")).to_contain_text("您的子女（未登记姓名）")  # her son has no name on record
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE[0], f"the page is {width} px wide on a {PHONE[0]} px phone"
    table = page.locator("#me-points .el-table").first  # its last column (分值) on the screen, not cut off
    table.evaluate("t => window.scrollTo(0, t.getBoundingClientRect().top + window.scrollY - 80)")
    expect(table.locator("th").last).to_be_in_viewport(ratio=1)
    office.shot(page, "me_zh_390")
    page.click("#lang-switch")
    page.wait_for_selector("#me-entitled >> text=/basic medical insurance/i")  # labels fetched again in English
    assert "What I am entitled to here" in page.inner_text("#me-entitled")  # was "What I get here"
    missing = page.inner_text("#me-missing")  # was "What is missing, and from when"
    assert "What is still missing, and when it will be met" in missing and "from when" not in missing
    # never "resident" for her son; his card's title starts with a capital (it read "your child …")
    assert "Your child (no name recorded)" in page.inner_text("#me-children .child-item strong")
    expect(page.locator("#me-points")).to_contain_text(
        "On record: vocational qualification or professional title: none"
    )
    # the day she came is one piece of the sentence, never broken at its hyphens ("2021-03-" / "01" on a phone)
    since = page.locator("#me-lives-in .one-line")
    expect(since).to_have_text("2021-03-01")
    assert since.evaluate("e => e.getClientRects().length") == 1
    office.shot(page, "me_en_390")
    page.goto(office.url + "/office/me/statement")
    page.wait_for_selector("#print-statement")
    statement = page.inner_text("main")
    assert "Pension" in statement
    assert "Guangzhou" in statement and "Chengdu" in statement  # places by name in her language, never bare codes
    assert "440100" not in statement and "510100" not in statement
    # the ledger's words from the generated messages (locales/terms.*.json, from refusals.TERMS), in each language
    for word in ("Pension individual account (yuan)", "36 months", "Vocational training", "Issued"):
        assert word in statement, word
    office.shot(page, "statement_en_390")
    page.click("#lang-switch")
    expect(page.locator("main")).to_contain_text("养老保险个人账户（元）")
    statement = page.inner_text("main")
    for word in ("医疗保险缴费月数", "36 个月", "职业技能培训", "已发放"):
        assert word in statement, word
    office.shot(page, "statement_zh_390")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_administrator_manages_users(office: Office, lang: str) -> None:
    page = office.open(DESKTOP, lang)
    office.login_through_form(page, "ad_gd")
    page.goto(office.url + "/office/admin/users")
    page.wait_for_selector("#user-table .el-table__row")
    table = page.inner_text("#user-table")
    assert "cw_gz" in table and "pl_nat" not in table  # accounts within Guangdong only
    page.click("#create-user")
    page.fill("[data-field=username] input", f"cw_tianhe_{lang}")
    pick_option(page, "role", "", "经办人员" if lang == "zh" else "Caseworker")
    # the jurisdictions picked by name inside the administrator's own: Chengdu is not offered to Guangdong's
    assert region_offers(page, "jurisdictions", "成都" if lang == "zh" else "Chengdu") == []
    tianhe = "广东省广州市天河区（440106）" if lang == "zh" else "Tianhe District, Guangzhou, Guangdong (440106)"
    pick_option(page, "jurisdictions", "天河" if lang == "zh" else "Tianhe", tianhe)
    page.locator(".el-dialog:visible .el-dialog__title").click()  # the list of several closed, as a person does
    page.locator(".el-dialog:visible .confirm").click()
    page.wait_for_selector("#new-user-password")  # a one-time password, shown this once, that the owner replaces
    assert len(page.inner_text("#new-user-password").strip()) == 16
    page.keyboard.press("Escape")
    page.wait_for_selector(f"#user-table >> text=cw_tianhe_{lang}")
    table = page.inner_text("#user-table")  # jurisdictions by name and code, not the code alone
    assert ("广东省（440000）" if lang == "zh" else "Guangdong (440000)") in table and "440106" in table
    office.shot(page, f"users_{lang}_1366")
    page.goto(office.url + "/office/admin/audit")
    page.wait_for_selector("#audit-verification")
    page.wait_for_selector(".audit-reason")
    reasons = [r.strip() for r in page.locator(".audit-reason").all_inner_texts() if r.strip()]
    # the account just created was audited with a reason stored in both languages: the page shows the one chosen
    assert ("账户管理" if lang == "zh" else "account administration") in reasons, reasons
    if lang == "zh":  # every reason the system wrote shows in Chinese
        assert all(re.search(r"[\u4e00-\u9fff]", r) for r in reasons), reasons
    else:
        assert "账户管理" not in reasons
    log = page.inner_text("#audit-table")  # the caseload listing on logging in: its region by name, not region:440000
    assert ("广东省（440000）" if lang == "zh" else "Guangdong (440000)") in log and "region:" not in log
    office.shot(page, f"audit_{lang}_1366")


def _every_region(route: object) -> None:
    """A region search answered as if the office listed every region, not only those inside the caller's reach: the
    server's own answer to the search without `mine`."""
    url = route.request.url.replace("mine=true&", "").replace("&mine=true", "")  # type: ignore[attr-defined]
    route.fulfill(response=route.fetch(url=url))  # type: ignore[attr-defined]


@pytest.mark.parametrize(("size", "lang"), [(DESKTOP, "zh"), (PHONE, "en")], ids=["zh-1366", "en-390"])
def test_a_chengdu_administrator_grants_a_jurisdiction_picked_by_name(
    office: Office, size: tuple[int, int], lang: str
) -> None:
    """The new-user dialog takes jurisdictions by name (成都, Chengdu), stores the code, and offers nothing beyond the
    administrator's own; a grant beyond it that reaches the server anyway (310100, picked by name from a list of
    every region) is refused there, in the dialog."""
    staff_account(office.url, "ad_cd", "administrator", ["510100"])  # administers Chengdu
    page = office.open(size, lang)
    office.login(page, "ad_cd")
    page.goto(office.url + "/office/admin/users")
    page.wait_for_selector("#user-table .el-table__row")
    page.click("#create-user")
    page.fill("[data-field=username] input", f"cw_chenghua_{lang}")
    pick_option(page, "role", "", "经办人员" if lang == "zh" else "Caseworker")
    assert region_offers(page, "jurisdictions", "上海" if lang == "zh" else "Shanghai") == []  # beyond Chengdu
    chengdu = "四川省成都市（510100）" if lang == "zh" else "Chengdu, Sichuan (510100)"
    pick_option(page, "jurisdictions", "成都" if lang == "zh" else "Chengdu", chengdu)
    page.locator(".el-dialog:visible .el-dialog__title").click()  # the list of several closed, as a person does
    page.locator(".el-dialog:visible .confirm").click()
    page.wait_for_selector("#new-user-password")
    page.keyboard.press("Escape")
    row = page.locator("#user-table .el-table__row", has_text=f"cw_chenghua_{lang}")
    expect(row).to_contain_text("成都市（510100）" if lang == "zh" else "Chengdu (510100)")  # the code stored, named
    page.route("**/api/v1/regions?*", _every_region)
    page.click("#create-user")
    page.fill("[data-field=username] input", f"cw_shanghai_{lang}")
    pick_option(page, "jurisdictions", "上海" if lang == "zh" else "Shanghai", "310100")
    page.locator(".el-dialog:visible .el-dialog__title").click()
    page.locator(".el-dialog:visible .confirm").click()
    refused = page.locator(".el-dialog:visible .error-box")
    expect(refused).to_contain_text("310100")
    expect(refused).to_contain_text("不在您的辖区" if lang == "zh" else "is not inside yours")
    # said once: the head before the server's words no longer says "outside your role or jurisdiction" again
    said = refused.inner_text()
    assert said.count("辖区" if lang == "zh" else "jurisdiction") == 1, said
    listed = httpx.get(office.url + "/api/v1/users", headers=bearer(office.url, "ad_nat"), timeout=60).json()
    assert f"cw_shanghai_{lang}" not in {u["username"] for u in listed["items"]}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_an_administrator_s_accounts_and_their_actions_fit_a_phone(office: Office, lang: str) -> None:
    """On a phone each account shows its role, jurisdictions and state with its actions under them, on the screen: the
    six desktop columns put the jurisdictions, the state and every action (change, disable, reset) beyond its edge."""
    page = office.open(PHONE, lang)
    office.login(page, "ad_gd")
    page.goto(office.url + "/office/admin/users")
    row = page.locator("#user-table .el-table__row", has_text="cw_gz")
    expect(row).to_contain_text("广州市（440100）" if lang == "zh" else "Guangzhou (440100)")
    expect(row).to_contain_text("正常" if lang == "zh" else "Active")
    for action in ("修改", "停用", "重置密码") if lang == "zh" else ("Change", "Disable", "Reset password"):
        button = row.get_by_role("button", name=action)
        box = button.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE[0], (action, box)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE[0]


def test_a_resident_registered_where_her_hukou_is_reads_the_place_once(office: Office) -> None:
    """The Chengdu worker's hukou is in Chengdu, where she registered: her history says 登记常住地：成都市,
    not 成都市 → 成都市, a move from a place to itself (a resident's pages name places without their codes)."""
    page = office.open(PHONE, "zh")
    office.login(page, "res_cd")
    page.wait_for_url("**/office/me")
    history = page.locator("#me-history")
    expect(history).to_contain_text("登记常住地：成都市")
    assert "510100" not in history.inner_text(), history.inner_text()
    assert "→" not in history.inner_text(), history.inner_text()
