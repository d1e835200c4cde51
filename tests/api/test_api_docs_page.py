"""The interactive documentation at /api/v1/docs works offline: log in on the page, call an endpoint, see it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from api_support import PASSWORD, serving, sqlite_copy

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(populated_sqlite: tuple[Path, dict[str, str]], tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`changzhu serve` on a free loopback port, on a copy of the populated database."""
    folder = tmp_path_factory.mktemp("docs_page")
    with serving(sqlite_copy(populated_sqlite[0], folder), folder, "d", "/api/v1/docs") as url:
        yield url


@pytest.fixture
def page(server: str, chromium: object) -> Iterator[object]:
    """A fresh page in a context of its own that fails the test on any request leaving the loopback address (the
    documentation works offline) or any script error."""
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")  # type: ignore[attr-defined]
    outside: list[str] = []
    context.on("request", lambda r: outside.append(r.url) if not r.url.startswith(server) else None)
    page = context.new_page()
    page.set_default_timeout(120_000)  # generous: a busy 2-core CI machine; a real failure still fails
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    yield page
    context.close()
    assert outside == [], f"requests left the machine: {outside}"
    assert errors == [], f"script errors: {errors}"


def test_docs_page_calls_the_parameters_listing(page, server: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(server + "/api/v1/docs")
    page.fill("#user", "pl_nat")
    page.fill("#pass", PASSWORD)
    page.click("#login")
    page.wait_for_selector("#who:has-text('pl_nat')")
    operation = page.locator("details", has_text="/api/v1/parameters").first
    operation.locator("summary").click()
    operation.locator("label", has_text="limit").locator("input").fill("2")
    operation.locator("button").click()
    answer = operation.locator("pre")
    answer.filter(has_text="200").wait_for()
    assert "simulation.cost" in answer.inner_text() or '"total"' in answer.inner_text()
