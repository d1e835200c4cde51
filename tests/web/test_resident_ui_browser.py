"""What the last review left open on the resident's and the caseworker's pages (Chromium, zh and en, 1366 and 390 px):
a points total with an unknown bound, the facts dialog's recorded values and its way back to unknown, a person's own
words labelled as written, and the upload problems on a phone."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
from office_support import DESKTOP, PHONE, Office, bearer, choose_file, open_resident, uploads_page
from playwright.sync_api import expect

WORKER_ID = "510104199001011230"  # lives in Guangzhou, scored under Guangzhou's points scheme


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
    open_resident(page, WORKER_ID)
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
        headers = bearer(office.url, "cw_gz")
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
        if lang == "en":  # each field's name starts with a capital, as the dialog's own fields do ("Housing tenure")
            names = dialog.locator(".el-form-item__label").all_inner_texts()
            assert "Highest education completed" in names and not [n for n in names if n[:1].islower()], names
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
        audit = httpx.get(f"{office.url}/api/v1/audit", params=query, headers=bearer(office.url, "ad_gd")).json()
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


TYPED_REASONS = ("社保缴费记录与单位证明不一致", "材料齐全，核准。")


def _typed_decision(office: Office) -> tuple[int, str]:
    """cw_gz decides a new points application of the Guangzhou worker with a reason of his own: (its id, the reason)."""
    headers = bearer(office.url, "cw_gz")
    found = httpx.get(f"{office.url}/api/v1/residents", params={"q": WORKER_ID}, headers=headers).json()
    key = found["items"][0]["person_key"]
    made = httpx.post(f"{office.url}/api/v1/applications", json={"person_key": key, "kind": "points"}, headers=headers)
    assert made.status_code == 201, made.text
    path = f"{office.url}/api/v1/applications/{made.json()['id']}/transition"
    assert httpx.post(path, json={"action": "review"}, headers=headers).status_code == 200
    said = {"action": "reject", "reason": TYPED_REASONS[0]}
    rejected = httpx.post(path, json=said, headers=headers, timeout=60)
    if rejected.status_code != 200:  # a reason that contradicts today's pre-check is refused: approve instead
        said = {"action": "approve", "reason": TYPED_REASONS[1]}
        assert httpx.post(path, json=said, headers=headers, timeout=60).status_code == 200
    return int(made.json()["id"]), said["reason"]


def test_an_own_reason_on_the_office_s_application_page(office: Office) -> None:
    number, reason = _typed_decision(office)
    said = {"reason": reason}
    page = office.open(DESKTOP, "en")
    office.login(page, "cw_gz")
    page.goto(f"{office.url}/office/applications/{number}")
    reason = page.locator("#application-reason")
    expect(reason).to_contain_text("Caseworker's note (as written):")
    expect(reason).to_contain_text(said["reason"])
    expect(page.locator(".event-reason").last).to_contain_text("Caseworker's note (as written):")
    office.shot(page, "application_reason_as_written_en_1366")


def test_the_audit_page_labels_a_typed_reason_as_written(office: Office) -> None:
    """The administrator's audit log labels the caseworker's own reason as the actor's words, as written, in both
    languages; the reasons the system wrote (the review step, logins, reads) carry no label."""
    _number, reason = _typed_decision(office)
    zh, en = "操作人原文：", "Actor's words, as written:"
    for lang, size, label in (("zh", DESKTOP, zh), ("zh", PHONE, zh), ("en", DESKTOP, en), ("en", PHONE, en)):
        page = office.open(size, lang)
        office.login(page, "ad_gd")
        page.goto(office.url + "/office/admin/audit")
        page.wait_for_selector("#audit-table .el-table__row .audit-reason")
        typed = page.locator("#audit-table .el-table__row", has_text=reason).first
        expect(typed.locator(".audit-reason .reason-as-written")).to_contain_text(label)
        expect(typed.locator(".audit-reason")).to_contain_text(reason)
        step = page.locator("#audit-table .el-table__row", has_text="受理审核" if lang == "zh" else "take into review")
        expect(step.first.locator(".reason-as-written")).to_have_count(0)
        labelled = page.locator("#audit-table .audit-reason .reason-as-written").all_inner_texts()
        assert labelled and all(any(t in text for t in TYPED_REASONS) for text in labelled), labelled
        typed.locator(".audit-reason").scroll_into_view_if_needed()  # on a phone the table scrolls sideways
        office.shot(page, f"audit_reason_as_written_{lang}_{size[0]}")


BAD_DATES = "公民身份号码,户籍地,常住地,居住起始日期,证明类型,证明编号\n" + "".join(
    f"51010419880512{n:03d}0,510100,440100,2023-13-0{n % 9 + 1},就业,contract-{n}\n" for n in range(12)
)


def test_on_a_phone_the_upload_problems_flow_in_the_page(office: Office) -> None:
    """Twelve refused rows at 390 px: every one in the page's own scroll, not two at a time in a 360 px box."""
    for lang in ("zh", "en"):
        page = uploads_page(office, "cw_gz", (360, 780), lang)
        choose_file(page, "登记.csv", BAD_DATES.encode())
        page.click("#upload-dry-run")
        page.wait_for_selector("#upload-result")
        expect(page.locator("#upload-errors .el-table__row")).to_have_count(12)
        inner = page.locator("#upload-errors .el-scrollbar__wrap").first.evaluate(
            "e => [e.scrollHeight, e.clientHeight]"
        )
        assert inner[0] <= inner[1] + 1, inner  # nothing hidden inside the box
        office.shot(page, f"uploads_errors_flow_{lang}_360")


def test_the_projected_settlement_date_says_what_it_assumes(office: Office) -> None:
    """The Guangzhou worker holds no residence permit: his projected settlement date counts permit years from the
    first day one can be had. His page says so beside the date, as an estimate and not a promise, in zh and en; the
    words come from the explanation the API returns (assumes_zh, assumes_en), not from the page."""
    headers = bearer(office.url, "cw_gz")
    found = httpx.get(f"{office.url}/api/v1/residents", params={"q": WORKER_ID}, headers=headers).json()
    path = f"{office.url}/api/v1/residents/{found['items'][0]['person_key']}/facts"
    restored = httpx.patch(path, json={"facts": {"education": "bachelor"}}, headers=headers)  # as registered: a test
    assert restored.status_code == 200  # above sets it back to unknown
    for lang, size, estimate in (
        ("zh", PHONE, "这是估算，不是承诺：此日期假定自"),
        ("zh", DESKTOP, "这是估算，不是承诺：此日期假定自"),
        ("en", DESKTOP, "An estimate, not a promise: this date assumes a residence permit held from"),
        ("en", PHONE, "An estimate, not a promise: this date assumes a residence permit held from"),
    ):
        page = office.open(size, lang)
        with page.expect_response(lambda r: "/api/v1/me/overview" in r.url) as answer:
            office.login(page, "res_gz")
        missing = answer.value.json()["missing"]
        settlement = next(m for m in missing if m["service"] == "points_settlement" and m["from_date"])
        assumed = settlement["assumes_zh" if lang == "zh" else "assumes_en"]
        assert len(assumed) == 1, settlement
        block = page.locator("#me-missing [data-service='points_settlement']")
        expect(block).to_contain_text("按现行规定，自" if lang == "zh" else "Met from")  # the projected date
        note = block.locator(".assumption")
        expect(note).to_have_count(1)
        expect(note).to_contain_text(estimate)
        expect(note).to_contain_text(assumed[0])
        office.shot(page, f"me_settlement_assumes_{lang}_{size[0]}")
    page = office.open(DESKTOP, "en")  # the caseworker's view of him says the same under the service
    _open_worker(office, page)
    page.locator("[data-service='points_settlement'] .el-collapse-item__header").click()
    expect(page.locator("[data-service='points_settlement'] .assumption")).to_contain_text("An estimate, not a promise")


def test_the_region_picker_says_a_new_area_is_no_region_and_lists_its_counties(office: Office) -> None:
    """A Chengdu caseworker types 天府新区 in the residents' region box: the list says it is not an administrative
    region, what it is and every county it spans, above the Chengdu counties it offers (the API's new_area, not words
    of the page); a search for a real name says nothing of the kind."""
    zh = ("「四川天府新区」不是行政区划", "四川省成都市双流区（510116）")
    en = ("Sichuan Tianfu New Area is not an administrative region", "Shuangliu District, Chengdu, Sichuan (510116)")
    for lang, size, (said, county) in (("zh", DESKTOP, zh), ("zh", PHONE, zh), ("en", DESKTOP, en), ("en", PHONE, en)):
        page = office.open(size, lang)
        office.login(page, "cw_cd")
        page.wait_for_selector("#resident-table")
        page.click("[data-field=resident-region] .el-select__wrapper")
        with page.expect_response(lambda r: "/api/v1/regions?" in r.url and "name=" in r.url) as answer:
            page.keyboard.type("天府新区")
        counties = answer.value.json()["new_area"]["counties"]
        note = page.locator(".new-area-note:visible")
        expect(note).to_contain_text(said)
        for c in counties:  # all six, the Meishan ones too, though the box offers Chengdu's only
            expect(note).to_contain_text(
                f"{c['name_zh']}（{c['code']}）" if lang == "zh" else f"{c['name_en']} ({c['code']})"
            )
        expect(page.locator(".el-select-dropdown__item:visible", has_text=county)).to_have_count(1)
        office.shot(page, f"region_new_area_{lang}_{size[0]}")
        page.keyboard.press("Escape")
        page.click("[data-field=resident-region] .el-select__wrapper")
        page.keyboard.press("Control+A")
        with page.expect_response(lambda r: "/api/v1/regions?" in r.url and "name=%E5%8F%8C%E6%B5%81" in r.url):
            page.keyboard.type("双流")
        expect(page.locator(".el-select-dropdown__item:visible", has_text="510116")).to_have_count(1)
        expect(page.locator(".new-area-note:visible")).to_have_count(0)
