"""What the last review left open on the resident's and the caseworker's pages (Chromium, zh and en, 1366 and 390 px):
a points total with an unknown bound, the facts dialog's recorded values and its way back to unknown, a person's own
words labelled as written, and the upload problems on a phone."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import httpx
from api_support import PASSWORD
from office_support import DESKTOP, PHONE, Office
from playwright.sync_api import expect

WORKER_ID = "510104199001011230"  # lives in Guangzhou, scored under Guangzhou's points scheme


def _token(office: Office, username: str) -> dict[str, str]:
    answer = httpx.post(f"{office.url}/api/v1/auth/login", json={"username": username, "password": PASSWORD})
    return {"Authorization": "Bearer " + answer.json()["access_token"]}


def _rewrite(page: Any, pattern: str, change: Callable[[dict[str, Any]], None]) -> None:
    """The page's answers from `pattern` as the API gave them, changed by `change` (what another record would hold)."""

    def handle(route: Any) -> None:
        response = route.fetch()
        body = response.json()
        change(body)
        route.fulfill(response=response, json=body)

    page.route(pattern, handle)


def _bounds(low: float | None, high: float | None) -> Callable[[list[dict[str, Any]]], None]:
    def change(schemes: list[dict[str, Any]]) -> None:
        assert schemes, "the record has a points scheme"
        for scheme in schemes:
            scheme["low"], scheme["high"] = low, high

    return change


def _open_worker(office: Office, page: Any) -> str:
    """The Guangzhou worker's page as cw_gz sees it; returns his person key."""
    office.login(page, "cw_gz")
    page.wait_for_url("**/office/residents")
    page.fill("#resident-search", WORKER_ID)
    page.click("#resident-search-button")
    expect(page.locator("#resident-table .el-table__row")).to_have_count(1)
    page.locator("#resident-table .el-table__row").first.click()
    page.wait_for_url(re.compile(r".*/office/residents/[0-9a-f]{32}$"))
    page.wait_for_selector("[data-service='medical_insurance']")
    return str(page.url.rsplit("/", 1)[1])


def test_a_points_total_with_an_unknown_low_end_reads_at_most(office: Office) -> None:
    """An unknown lower bound (facts missing that could take points away) is unknown, not 0 nor the partial sum:
    "至多 80" / "at most 80", with the facts needed; an unknown upper bound reads "at least"."""
    for lang, size, at_most in (("zh", PHONE, "总分至多 80"), ("en", DESKTOP, "Total at most 80")):
        page = office.open(size, lang)
        _rewrite(page, "**/api/v1/me/overview*", lambda body: _bounds(None, 80)(body["points"]))
        office.login(page, "res_gz")
        page.wait_for_selector("#me-points .points-scheme")
        text = page.inner_text("#me-points")
        assert at_most in text and "null" not in text and "0–80" not in text, text
        office.shot(page, f"me_points_at_most_{lang}_{size[0]}")
    page = office.open(DESKTOP, "en")
    _rewrite(page, "**/api/v1/residents/*/overview*", lambda body: _bounds(None, 80)(body["entitlements"]["points"]))
    _open_worker(office, page)
    line = page.locator(".points-scheme p").first
    expect(line).to_contain_text("Total at most 80")
    assert "null" not in line.inner_text()
    page = office.open(DESKTOP, "zh")
    _rewrite(page, "**/api/v1/residents/*/overview*", lambda body: _bounds(12, None)(body["entitlements"]["points"]))
    _open_worker(office, page)
    expect(page.locator(".points-scheme p").first).to_contain_text("总分至少 12")
    page = office.open(DESKTOP, "zh")
    _rewrite(page, "**/api/v1/residents/*/overview*", lambda body: _bounds(None, None)(body["entitlements"]["points"]))
    _open_worker(office, page)
    expect(page.locator(".points-scheme p").first).to_contain_text("总分未知")
    assert "null" not in page.inner_text(".points-scheme p >> nth=0")


def test_the_source_line_of_a_service_takes_the_full_width_colon(office: Office) -> None:
    page = office.open(DESKTOP, "zh")
    _open_worker(office, page)
    page.locator("[data-service='medical_insurance'] .el-collapse-item__header").click()
    source = page.locator("[data-service='medical_insurance'] .source")
    expect(source).to_contain_text("依据：")
    assert "依据:" not in source.inner_text()
    basis = " ".join(page.locator(".el-table__body .points-basis .cell").all_inner_texts())
    assert "：" in basis and ": " not in basis, basis  # "职业资格/职称：无", as the resident's page has it


def test_the_facts_dialog_shows_what_is_on_record_and_sets_a_fact_back_to_unknown(office: Office) -> None:
    """A wrongly entered education: the dialog shows it as recorded and clears it, the API receiving null."""
    for lang, size, recorded, unknown, tick in (
        ("zh", DESKTOP, "已登记：", "已登记：未知（未提供）", "改为未知"),
        ("en", PHONE, "On record: ", "On record: unknown (not given)", "Set to unknown"),
    ):
        page = office.open(size, lang)
        key = _open_worker(office, page)
        path = f"{office.url}/api/v1/residents/{key}/facts"
        headers = _token(office, "cw_gz")
        assert httpx.patch(path, json={"facts": {"education": "bachelor"}}, headers=headers).status_code == 200
        page.reload()
        page.wait_for_selector("[data-service='medical_insurance']")
        page.click("#action-facts")
        dialog = page.locator(".el-dialog:visible")
        education = dialog.locator("[data-field=education]")
        expect(education.locator(".field-recorded")).to_contain_text(recorded)
        assert unknown not in education.inner_text()
        others = dialog.locator(".field-recorded", has_text=unknown)
        assert others.count() >= 1  # a fact not on record reads unknown
        office.shot(page, f"facts_recorded_{lang}_{size[0]}")
        education.locator(".set-unknown", has_text=tick).click()
        with page.expect_request(lambda r: r.method == "PATCH" and r.url.endswith("/facts")) as sent:
            dialog.locator(".confirm").click()
        assert sent.value.post_data_json["facts"] == {"education": None}
        expect(page.locator(".el-dialog:visible")).to_have_count(0)
        overview = httpx.get(f"{office.url}/api/v1/residents/{key}/overview", headers=headers).json()
        assert "education" not in overview["record"]["facts"]
        # the clearing is audited like any change of facts: the newest facts.update is cw_gz's, naming education
        query = {"action": "facts.update", "limit": 1}
        audit = httpx.get(f"{office.url}/api/v1/audit", params=query, headers=_token(office, "ad_gd")).json()
        assert audit["items"][0]["actor"] == "user:cw_gz" and "education" in str(audit["items"][0]), audit


def test_a_caseworker_s_own_words_are_labelled_as_written(office: Office) -> None:
    """A rejection reason a caseworker wrote in Chinese is shown on the English page as theirs, as written; a
    drafted reason reads in the reader's language without the label, and so does a drafted reason whose two
    languages happen to hold the same text: the label follows the stored reason_as_written, not a comparison."""

    def reasons(body: dict[str, Any]) -> None:
        key = body["record"]["person_key"]
        own = {"id": 900001, "kind": "points", "status": "rejected", "person_key": key, "reason_as_written": True}
        drafted = {"id": 900002, "kind": "points", "status": "approved", "person_key": key, "reason_as_written": False}
        same = {**drafted, "id": 900003, "reason_zh": "积分 120 ≥ 100（穗府规〔2021〕7号）"}
        body["applications"] = [
            {**own, "reason_zh": "社保缴费记录与单位证明不一致", "reason_en": "社保缴费记录与单位证明不一致"},
            {**drafted, "reason_zh": "经审核，符合条件。", "reason_en": "Reviewed: eligible."},
            {**same, "reason_en": same["reason_zh"]},
        ]

    labels = (("en", DESKTOP, "Caseworker's note (as written):"), ("zh", PHONE, "经办人说明（原文）："))
    for lang, size, label in labels:
        page = office.open(size, lang)
        _rewrite(page, "**/api/v1/me/overview*", reasons)
        office.login(page, "res_gz")
        items = page.locator("#me-applications .application-item")
        expect(items).to_have_count(3)
        own = items.nth(0).locator(".application-reason")
        expect(own).to_contain_text(label)
        expect(own).to_contain_text("社保缴费记录与单位证明不一致")
        assert label not in items.nth(1).inner_text()
        expect(items.nth(1)).to_contain_text("Reviewed: eligible." if lang == "en" else "经审核，符合条件。")
        expect(items.nth(2)).to_contain_text("积分 120 ≥ 100（穗府规〔2021〕7号）")
        expect(items.nth(2).locator(".reason-as-written")).to_have_count(0)
        assert label not in items.nth(2).inner_text()
        office.shot(page, f"me_reason_as_written_{lang}_{size[0]}")


def test_an_own_reason_on_the_office_s_application_page(office: Office) -> None:
    headers = _token(office, "cw_gz")
    found = httpx.get(f"{office.url}/api/v1/residents", params={"q": WORKER_ID}, headers=headers).json()
    key = found["items"][0]["person_key"]
    made = httpx.post(f"{office.url}/api/v1/applications", json={"person_key": key, "kind": "points"}, headers=headers)
    assert made.status_code == 201, made.text
    path = f"{office.url}/api/v1/applications/{made.json()['id']}/transition"
    assert httpx.post(path, json={"action": "review"}, headers=headers).status_code == 200
    said = {"action": "reject", "reason": "社保缴费记录与单位证明不一致"}
    rejected = httpx.post(path, json=said, headers=headers, timeout=60)
    if rejected.status_code != 200:  # a reason that contradicts today's pre-check is refused: approve instead
        said = {"action": "approve", "reason": "材料齐全，核准。"}
        assert httpx.post(path, json=said, headers=headers, timeout=60).status_code == 200
    page = office.open(DESKTOP, "en")
    office.login(page, "cw_gz")
    page.goto(f"{office.url}/office/applications/{made.json()['id']}")
    reason = page.locator("#application-reason")
    expect(reason).to_contain_text("Caseworker's note (as written):")
    expect(reason).to_contain_text(said["reason"])
    expect(page.locator(".event-reason").last).to_contain_text("Caseworker's note (as written):")
    office.shot(page, "application_reason_as_written_en_1366")


BAD_DATES = "公民身份号码,户籍地,常住地,居住起始日期,证明类型,证明编号\n" + "".join(
    f"51010419880512{n:03d}0,510100,440100,2023-13-0{n % 9 + 1},就业,contract-{n}\n" for n in range(12)
)


def test_on_a_phone_the_upload_problems_flow_in_the_page(office: Office) -> None:
    """Twelve refused rows at 390 px: every one in the page's own scroll, not two at a time in a 360 px box."""
    for lang in ("zh", "en"):
        page = office.open((360, 780), lang)
        office.login(page, "cw_gz")
        page.goto(office.url + "/office/admin/uploads")
        page.wait_for_selector("#upload-dry-run")
        page.set_input_files(
            ".el-upload__input", files=[{"name": "登记.csv", "mimeType": "text/csv", "buffer": BAD_DATES.encode()}]
        )
        page.click("#upload-dry-run")
        page.wait_for_selector("#upload-result")
        expect(page.locator("#upload-errors .el-table__row")).to_have_count(12)
        inner = page.locator("#upload-errors .el-scrollbar__wrap").first.evaluate(
            "e => [e.scrollHeight, e.clientHeight]"
        )
        assert inner[0] <= inner[1] + 1, inner  # nothing hidden inside the box
        office.shot(page, f"uploads_errors_flow_{lang}_360")
