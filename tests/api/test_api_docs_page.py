"""The interactive documentation at /api/v1/docs works offline: log in on the page, call an endpoint, see it."""

from __future__ import annotations

import pytest
from api_support import PASSWORD
from test_api_browser import page, server  # noqa: F401  (the browser fixtures, reused)

pytestmark = pytest.mark.browser


def test_docs_page_calls_the_parameters_listing(page, server: str) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
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
