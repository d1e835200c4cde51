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
