"""One Chromium per test session (per xdist worker), shared by every browser test of the suite.

Playwright's sync API runs one event loop per thread: while one `sync_playwright()` is open (the session's browser
below), a second one in the same process fails ("using Playwright Sync API inside the asyncio loop"). So no test
starts its own; each opens its own contexts (storage apart) in this browser and closes them.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"  # Debian's chromium (tools/system_deps.sh); `playwright install` cannot download here
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]


@pytest.fixture(scope="session")
def chromium() -> Iterator[object]:
    """The session's Chromium: starting one costs about 1 s of CPU and 2 s of wall time, a new context 0.01 s."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium is required at {CHROMIUM}: `make test` installs it (tools/system_deps.sh)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


# what a settled section is: every Plotly chart in it drawn, and its box the same over SETTLE_CHECKS checks
SETTLE_CHECKS = 3
SETTLE_GAP_MS = 250
SETTLE_LIMIT_MS = 60_000
_BOX = """el => { const r = el.getBoundingClientRect();
  const drawn = [...el.querySelectorAll('.js-plotly-plot')].every(p => p.querySelector('.main-svg'));
  return {x: r.left + window.scrollX, y: r.top + window.scrollY, width: r.width, height: r.height, drawn}; }"""


def section_screenshot(page: object, selector: str, path: Path) -> None:
    """Screenshot a section of a page once it has settled (charts drawn, box unchanged), cut from the whole page.

    Not `locator.screenshot()`: its wait for a stable element counts animation frames, and one CI run on 2 busy
    cores waited 180 s on a report section whose box did not move when measured. A section that keeps moving
    for a minute is a defect of the page, and the failure says how its box changed.
    """
    locator = page.locator(selector)  # type: ignore[attr-defined]
    seen: list[dict[str, float]] = []
    for _ in range(SETTLE_LIMIT_MS // SETTLE_GAP_MS):
        seen.append(locator.evaluate(_BOX))
        last = seen[-SETTLE_CHECKS:]
        if len(last) == SETTLE_CHECKS and last[0]["drawn"] and all(box == last[0] for box in last):
            break
        page.wait_for_timeout(SETTLE_GAP_MS)  # type: ignore[attr-defined]
    else:
        pytest.fail(f"{selector} did not settle in {SETTLE_LIMIT_MS / 1000:.0f} s; its last boxes: {seen[-5:]}")
    box = {k: seen[-1][k] for k in ("x", "y", "width", "height")}
    page.screenshot(path=str(path), full_page=True, clip=box)  # type: ignore[attr-defined]
