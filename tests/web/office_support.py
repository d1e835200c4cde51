"""The office in Chromium: a server on a copy of the populated database, a page per test, logging in, screenshots."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote
from weakref import WeakKeyDictionary

import httpx
import pytest
from api_support import PASSWORD, fresh_postgres, populated_postgres, serving, sqlite_copy
from playwright.sync_api import expect

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "docs" / "images" / "office"
DESKTOP, PHONE = (1366, 900), (390, 844)
# The test browser's pages: no CSS transitions or animations, so a dropdown, dialog or message is in its final state
# as soon as it is drawn (adopted, not a <style> element: it holds from the document's first script whatever the page
# does to <head>); and a count of the page's fetches still unanswered, so a screenshot waits for the answers the page
# asked for, not for a fixed time.
STILL = """(() => {
const still = new CSSStyleSheet();
still.replaceSync("*, *::before, *::after { transition: none !important; animation: none !important; }");
document.adoptedStyleSheets = [...document.adoptedStyleSheets, still];
window.czFetching = 0;
const fetchOnce = window.fetch;
window.fetch = (...args) => {
  window.czFetching += 1;
  return fetchOnce(...args).finally(() => { window.czFetching -= 1; });
};
})();"""
# A screenshot's wait inside the page (not `wait_for_function`, whose polling evaluates a string the office's CSP
# refuses): every fetch answered, the fonts loaded, then two frames drawn.
QUIET = """() => new Promise((done) => {
  const drawn = () => requestAnimationFrame(() => requestAnimationFrame(done));
  const poll = () => (window.czFetching > 0 ? setTimeout(poll, 20) : document.fonts.ready.then(drawn));
  poll();
})"""
# A time of day on the screen without its zone ("2026-12-02 17:43:37"): the office shows every time with it,
# "2026-12-02 17:43:37 (UTC+8)" (format.js: dateTime), and a screenshot holding one would picture an old screen.
BARE_TIME = re.compile(r"\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(?::\d{2})?(?![\d:])(?! \(UTC)")
# Each page's requests not answered yet, by page (Office.open; read by settle).
_UNANSWERED: WeakKeyDictionary[object, set[object]] = WeakKeyDictionary()


@pytest.fixture(scope="module")
def server(populated_sqlite: tuple[Path, dict[str, str]], tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`changzhu serve` on a free loopback port, on a copy of the populated database."""
    with served("sqlite", populated_sqlite, tmp_path_factory.mktemp("office")) as url:
        yield url


@contextmanager
def served(database: str, populated_sqlite: tuple[Path, dict[str, str]], folder: Path) -> Iterator[str]:
    """The office on the populated database: a copy of the SQLite template or of the PostgreSQL one (`database` is
    "sqlite" or "postgresql")."""
    assert (ROOT / "src" / "changzhu" / "web" / "dist" / "index.html").is_file(), "run make install (builds the office)"
    if database == "sqlite":
        with serving(sqlite_copy(populated_sqlite[0], folder), folder, "c", "/office/login") as url:
            yield url
        return
    with fresh_postgres("changzhu_office") as database_url:
        populated_postgres(database_url)
        with serving(database_url, folder, "c", "/office/login") as url:
            yield url


@dataclass
class Office:
    """A browser on the office: opens pages at a size and language, logs in, saves screenshots."""

    url: str
    browser: object
    outside: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    logins: int = 0

    def open(self, size: tuple[int, int] = DESKTOP, lang: str = "zh") -> object:
        """A fresh page (own storage) at `size`, the office in `lang` ("zh" or "en")."""
        context = self.browser.new_context(  # type: ignore[attr-defined]
            viewport={"width": size[0], "height": size[1]}, locale="zh-CN" if lang == "zh" else "en-US"
        )
        context.add_init_script(f"localStorage.getItem('cz.lang') || localStorage.setItem('cz.lang', '{lang}')")
        context.add_init_script(STILL)
        context.on("request", lambda r: self.outside.append(r.url) if not r.url.startswith(self.url) else None)
        page = context.new_page()
        page.set_default_timeout(60_000)  # generous: a busy 2-core machine; a real failure still fails
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        unanswered: set[object] = set()  # every request of the page not finished or failed yet (settle)
        page.on("request", lambda r: unanswered.add(r))  # (Playwright calls Python functions, not built-ins)
        page.on("requestfinished", lambda r: unanswered.discard(r))
        page.on("requestfailed", lambda r: unanswered.discard(r))
        _UNANSWERED[page] = unanswered
        return page

    def login(self, page: object, username: str) -> None:
        """Log in as the office's own login would leave the page (its token and role in the tab's sessionStorage,
        from POST /auth/login) and open the role's home: the login form's page load is spared. The form itself is
        `login_through_form`, which tests of each role still use."""
        answer = httpx.post(f"{self.url}/api/v1/auth/login", json={"username": username, "password": PASSWORD})
        answer.raise_for_status()
        token, role = answer.json()["access_token"], answer.json()["role"]
        self.logins += 1  # each login's script stores its token once, so a later logout or login on the page holds
        mark = f"cz.test-login-{self.logins}"
        page.add_init_script(  # type: ignore[attr-defined]
            f"if (!sessionStorage.getItem('{mark}')) {{ sessionStorage.setItem('{mark}', '1');"
            f" sessionStorage.setItem('cz.token', '{token}'); sessionStorage.setItem('cz.role', '{role}'); }}"
        )
        page.goto(self.url + "/office/")  # type: ignore[attr-defined]  # the router sends the role to its home
        page.wait_for_selector("#logout")  # type: ignore[attr-defined]
        # the shell shows before the first navigation (its lazy page) lands; the route's change then closes a
        # drawer opened in between (CI on a56a3e8: the phone's menu item stayed hidden). Wait for the home's URL
        home = self.url + "/office/"
        page.wait_for_url(lambda url: url.split("?")[0].rstrip("/") != home.rstrip("/"))  # type: ignore[attr-defined]

    def login_through_form(self, page: object, username: str) -> None:
        """Log in through the form and wait for the shell."""
        page.goto(self.url + "/office/login")  # type: ignore[attr-defined]
        page.fill("#username", username)  # type: ignore[attr-defined]
        page.fill("#password", PASSWORD)  # type: ignore[attr-defined]
        page.click("#login-button")  # type: ignore[attr-defined]
        page.wait_for_selector("#logout")  # type: ignore[attr-defined]

    @staticmethod
    def shot(page: object, name: str) -> Path:
        """Save a screenshot under docs/images/office/, once every time it shows has its zone: the whole page, or the
        window alone while a dialog is open (its mask covers the window, not a whole-page picture's lower part)."""
        SHOTS.mkdir(parents=True, exist_ok=True)
        path = SHOTS / f"{name}.png"
        settle(page)
        bare = BARE_TIME.findall(page.inner_text("body"))  # type: ignore[attr-defined]
        assert not bare, f"{name}: times without their zone on the screen: {bare}"
        dialog_open = page.locator(".el-overlay:visible").count() > 0  # type: ignore[attr-defined]
        page.screenshot(path=str(path), full_page=not dialog_open)  # type: ignore[attr-defined]
        return path


def settle(page: object) -> None:
    """Wait until the page is ready for a screenshot: loaded, no request of its own unanswered (its data, and the
    route modules and fonts it loads lazily, which no fetch counter sees), its fonts loaded, and two frames drawn
    since (transitions are off in the test browser, STILL, so what is drawn is final). Checked again after the
    frames, so a request a drawn answer started is waited for too. Was `networkidle` (500 ms without a request, so
    at least half a second a screenshot); a page not opened by `Office.open` still waits for it."""
    unanswered = _UNANSWERED.get(page)
    if unanswered is None:
        page.wait_for_load_state("networkidle")  # type: ignore[attr-defined]
        page.evaluate(QUIET)  # type: ignore[attr-defined]
        return
    page.wait_for_load_state("load")  # type: ignore[attr-defined]
    deadline = time.monotonic() + 60  # as the pages' own timeout (Office.open)
    while True:
        page.evaluate(QUIET)  # type: ignore[attr-defined]  # its events are delivered while Playwright waits
        if not unanswered:
            return
        assert time.monotonic() < deadline, f"requests unanswered after 60 s: {[r.url for r in unanswered]}"  # type: ignore[attr-defined]
        page.wait_for_timeout(20)  # type: ignore[attr-defined]  # the requests' answers arrive meanwhile


@pytest.fixture
def office(server: str, chromium: object) -> Iterator[Office]:
    """A Chromium on the office (the module's browser, the test's own contexts); fails the test on any request
    leaving the loopback address or any script error."""
    expect.set_options(timeout=60_000)  # as the pages' own timeout: a busy 2-core machine; a real failure still fails
    office = Office(server, chromium)
    yield office
    for context in chromium.contexts:  # type: ignore[attr-defined]  # the test's pages, whatever state they are in
        context.close()
    assert office.outside == [], f"requests left the machine: {office.outside}"
    assert office.errors == [], f"script errors: {office.errors}"


def open_resident(page: Any, id_number: str) -> None:
    """From the residents list, the page of the one person with `id_number`: searched for, the list's answer awaited
    (one row, not the list as it was), that row opened."""
    page.fill("#resident-search", id_number)
    page.click("#resident-search-button")
    rows = page.locator("#resident-table .el-table__row")
    expect(rows).to_have_count(1)
    rows.first.click()
    page.wait_for_url(re.compile(r".*/office/residents/[0-9a-f]{32}$"))


def pick_option(page: object, field: str, typed: str, option: str) -> None:
    """Choose `option` in the Element Plus select of form field `field`, typing `typed` first (remote search)."""
    page.click(f"[data-field={field}] .el-select__wrapper")  # type: ignore[attr-defined]
    if typed:
        page.keyboard.type(typed)  # type: ignore[attr-defined]
    page.locator(".el-select-dropdown__item:visible", has_text=option).first.click()  # type: ignore[attr-defined]
    shown = page.locator(f"[data-field={field}] .el-select__wrapper")  # type: ignore[attr-defined]
    try:  # the choice is on the form, as the caseworker sees it before confirming
        expect(shown).to_contain_text(option, timeout=10_000)
    except AssertionError:  # a click lost while a slow page was still opening the list: chosen again, as a person would
        print(f"pick_option: {field} did not show {option!r} after the first click; choosing it again")
        page.click(f"[data-field={field}] .el-select__wrapper")  # type: ignore[attr-defined]
        page.locator(".el-select-dropdown__item:visible", has_text=option).first.click()  # type: ignore[attr-defined]
        expect(shown).to_contain_text(option)


def region_offers(page: object, field: str, typed: str) -> list[str]:
    """The options the region box of form field `field` offers for `typed` (typed into it, then deleted again: the
    box, and a dialog holding it, stay open for the next choice)."""
    page.click(f"[data-field={field}] .el-select__wrapper")  # type: ignore[attr-defined]
    searched = f"name={quote(typed, safe='')}"  # the box's search for the whole text (GET /regions?name=...)
    with page.expect_response(lambda r: "/api/v1/regions?" in r.url and searched in r.url) as answer:  # type: ignore[attr-defined]
        page.keyboard.type(typed)  # type: ignore[attr-defined]
    answer.value.finished()
    settle(page)  # the list drawn with the answer
    offered = page.locator(".el-select-dropdown__item:visible").all_inner_texts()  # type: ignore[attr-defined]
    for _ in typed:
        page.keyboard.press("Backspace")  # type: ignore[attr-defined]
    return offered


def uploads_page(office: Office, username: str, size: tuple[int, int] = DESKTOP, lang: str = "zh") -> Any:
    """The uploads page of `username`'s office, ready for a file."""
    page: Any = office.open(size, lang)
    office.login(page, username)
    page.goto(office.url + "/office/admin/uploads")
    page.wait_for_selector("#upload-dry-run")
    return page


def choose_file(page: Any, name: str, content: bytes, kind: str = "") -> None:
    """Choose the file kind labelled `kind` (the page's first kind when none is named) and the CSV file `name`."""
    if kind:
        page.locator(".el-select").first.click()
        page.locator(".el-select-dropdown__item:visible", has_text=kind).first.click()
    page.set_input_files(".el-upload__input", files=[{"name": name, "mimeType": "text/csv", "buffer": content}])


def application_in_review(office: Office, page: Any, person_key: str, kind: str) -> str:
    """An application of `kind`, submitted and taken into review through the API as the logged-in caseworker; the
    path of its page."""
    headers = {"Authorization": "Bearer " + page.evaluate("sessionStorage.getItem('cz.token')")}
    body = {"person_key": person_key, "kind": kind}
    created = page.request.post(f"{office.url}/api/v1/applications", data=body, headers=headers)
    assert created.status == 201, created.text()
    number = created.json()["id"]
    step = {"action": "review"}
    review = page.request.post(f"{office.url}/api/v1/applications/{number}/transition", data=step, headers=headers)
    assert review.ok, review.text()
    return f"{office.url}/office/applications/{number}"


def bearer(url: str, username: str, password: str = PASSWORD) -> dict[str, str]:
    """The Authorization header of `username` logged in over the API of the office at `url`."""
    answer = httpx.post(url + "/api/v1/auth/login", json={"username": username, "password": password}, timeout=60)
    answer.raise_for_status()
    return {"Authorization": "Bearer " + answer.json()["access_token"]}


def staff_account(url: str, username: str, role: str, jurisdictions: list[str]) -> None:
    """An account the national administrator opens; its first login replaces the one-time password with the test
    accounts' (once per server: a 409 is the account another test's run opened)."""
    with httpx.Client(base_url=url + "/api/v1", timeout=60) as client:
        asked = {"username": username, "role": role, "jurisdictions": jurisdictions}
        made = client.post("/users", json=asked, headers=bearer(url, "ad_nat"))
        assert made.status_code in (201, 409), made.text
        if made.status_code == 201:
            one_time = made.json()["one_time_password"]
            own = {"old_password": one_time, "new_password": PASSWORD}
            changed = client.post("/auth/password", json=own, headers=bearer(url, username, one_time))
            assert changed.status_code == 200, changed.text


SMALL_RUN_SECONDS = 1800  # a small sample on a busy 2-core machine; a run that fails still fails at once


def small_run(url: str) -> str:
    """A small finished run of the shipped 中考 reform (one year), started over the API as a national planner."""
    headers = bearer(url, "pl_nat")
    body = {"sample": 0.000002, "years": [2027]}
    started = httpx.post(
        url + "/api/v1/scenarios/entrance_exam_residence_1y/runs", json=body, headers=headers, timeout=30
    )
    return finished_run(url, headers, started, "the small run")


def finished_run(url: str, headers: dict[str, str], started: httpx.Response, what: str) -> str:
    """The id of the run `started` answered, once it is done (it failing, or not ending in time, fails the test)."""
    assert started.status_code == 202, started.text
    run_id = str(started.json()["run_id"])
    deadline = time.monotonic() + SMALL_RUN_SECONDS
    while time.monotonic() < deadline:
        status = httpx.get(f"{url}/api/v1/scenarios/runs/{run_id}", headers=headers, timeout=30).json()["status"]
        if status in ("done", "failed"):
            assert status == "done"
            return run_id
        time.sleep(1)
    pytest.fail(f"{what} did not finish")


APPROVALS_MENU = {"zh": "待复核", "en": "Awaiting approval"}


def approval_items(url: str, status: str, checker: str) -> list[dict[str, Any]]:
    """The held items (待复核) in `status` that `checker` may see, as the API lists them."""
    answer = httpx.get(url + "/api/v1/approvals", params={"status": status}, headers=bearer(url, checker), timeout=60)
    answer.raise_for_status()
    return list(answer.json()["items"])


def open_approvals(office: Office, username: str, size: tuple[int, int], lang: str) -> Any:
    """The list of items awaiting approval, opened from the menu (the phone's drawer, or the bar at 1366 px)."""
    page = office.open(size, lang)
    office.login(page, username)
    if size == PHONE:
        page.click("#menu-button")
        page.locator(".drawer-menu .el-menu-item", has_text=APPROVALS_MENU[lang]).click()
    else:
        page.locator(".shell-menu .el-menu-item", has_text=APPROVALS_MENU[lang]).click()
    page.wait_for_url("**/office/approvals")
    expect(page.locator("#approval-table .el-table__body")).to_be_visible()
    return page
