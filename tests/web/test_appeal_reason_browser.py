"""A resident appeals a refusal from her phone (Chromium): the reason box says it is needed and what to write, and an
empty appeal is asked for under the box before anything is sent. It went to the server, which refused it in a red
box after the form as "输入有误：申请复核须说明理由" (复核, where her button reads 申请复议)."""

from __future__ import annotations

import re

import httpx
import pytest
from office_support import DESKTOP, PHONE, QUIET, Office, bearer
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def _refused_application(url: str, people: dict[str, str], kind: str) -> int:
    """Her application of this kind, refused by a Guangzhou caseworker with the drafted reason (over the API). She may
    have one application of a kind open at a time and an appealed one stays open: each test that appeals takes its
    own kind."""
    asked = {"person_key": people["gz"], "kind": kind}
    made = httpx.post(url + "/api/v1/applications", json=asked, headers=bearer(url, "res_gz"), timeout=60)
    assert made.status_code == 201, made.text
    number = int(made.json()["id"])
    for action in ("review", "reject"):
        step = httpx.post(
            f"{url}/api/v1/applications/{number}/transition",
            json={"action": action},
            headers=bearer(url, "cw_gz"),
            timeout=60,
        )
        assert step.status_code == 200, step.text
    return number


@pytest.mark.parametrize(
    ("lang", "needed", "hint", "status", "kind"),
    [
        ("zh", "请写明申请复议的理由：您认为决定哪里有误", "您认为决定哪里有误？", "复议中", "dibao"),
        ("en", "Write the reason for your appeal", "What do you think the decision got wrong?", "Appealed", "hukou"),
    ],
)
def test_an_empty_appeal_is_asked_for_under_the_box(
    office: Office,
    populated_sqlite: tuple[object, dict[str, str]],
    lang: str,
    needed: str,
    hint: str,
    status: str,
    kind: str,
) -> None:
    number = _refused_application(office.url, populated_sqlite[1], kind)
    page = office.open(PHONE, lang)
    office.login(page, "res_gz")
    sent: list[str] = []
    page.on("request", lambda r: sent.append(r.url) if r.method == "POST" and "/transition" in r.url else None)
    page.goto(f"{office.url}/office/applications/{number}")
    page.click("#transition-appeal")
    box = page.locator(".el-dialog:visible .el-form-item").filter(has=page.locator("#transition-reason"))
    expect(box).to_have_class(re.compile(r"\bis-required\b"))  # the red star: the reason is needed
    expect(page.locator("#transition-reason")).to_have_attribute("placeholder", re.compile(hint))
    page.click("#transition-confirm")
    expect(box.locator(".el-form-item__error")).to_contain_text(needed)
    assert page.locator(".el-dialog:visible .error-box").count() == 0  # asked under the box, not refused after it
    assert sent == []  # nothing was sent
    page.fill("#transition-reason", "我已在本市连续缴纳社保 36 个月" if lang == "zh" else "I have paid 36 months here")
    page.click("#transition-confirm")
    expect(page.locator("#application-status")).to_have_text(status)
    assert len(sent) == 1


# each label of the application's record (the page's one el-descriptions) laid out on more than one line (申请事/项)
WRAPPED_LABELS = """() => [...document.querySelectorAll('main .el-descriptions__label')].filter((cell) => {
  const range = document.createRange();
  range.selectNodeContents(cell);
  return new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size > 1;
}).map((cell) => cell.innerText)"""


@pytest.mark.parametrize(("user", "lang"), [("res_gz", "zh"), ("cw_gz", "zh")])
def test_a_decided_application_keeps_its_labels_on_one_line(
    office: Office, populated_sqlite: tuple[object, dict[str, str]], user: str, lang: str
) -> None:
    """At 1366 px the drafted reason of a refusal (two columns wide) squeezed the label cells: 申请事项, 提交时间 and
    状态 each broke over two lines on the resident's page."""
    number = _refused_application(office.url, populated_sqlite[1], "public_rental")
    page = office.open(DESKTOP, lang)
    office.login(page, user)
    page.goto(f"{office.url}/office/applications/{number}")
    expect(page.locator("#application-reason")).to_be_visible()
    page.evaluate(QUIET)
    assert page.locator("main .el-descriptions__label").count() >= 4  # kind, status, submitted, reason
    assert page.evaluate(WRAPPED_LABELS) == []
