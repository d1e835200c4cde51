"""The office (the built Vue front-end under /office/), the one UI; the older addresses redirect to its views."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, FastAPI, HTTPException
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.types import Scope

WEB_DIR = Path(__file__).parent
OFFICE_DIST = WEB_DIR / "dist"  # `make install` builds frontend/ into it (npm ci && npm run build)
router = APIRouter(include_in_schema=False)

# the older dashboard pages (/app/<page>, removed 2026-12-02) -> the office view that does what each did, so a
# bookmark still lands where its work is done now
MOVED: dict[str, str] = {
    "map": "/office/map",
    "services": "/office/services",
    "fiscal": "/office/fiscal",
    "scenarios": "/office/reforms/new",
    "caseload": "/office/residents",
}
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
    "connect-src 'self'; font-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
)


@router.get("/")
def root() -> RedirectResponse:
    """Everything starts at the office."""
    return RedirectResponse("/office/")


@router.get("/office", response_class=HTMLResponse)
@router.get("/office/{path:path}", response_class=HTMLResponse)
def office(path: str = "") -> Response:
    """The office's single page for every view path (the browser's router picks the view)."""
    index = OFFICE_DIST / "index.html"
    if not index.is_file():
        message = (
            "<!doctype html><meta charset='utf-8'><title>changzhu</title>"
            "<p>办事大厅前端尚未构建：请运行 <code>make install</code>。</p>"
            "<p>The office front-end is not built: run <code>make install</code>.</p>"
        )
        return HTMLResponse(message, status_code=503, headers={"Content-Security-Policy": CSP})
    headers = {"Content-Security-Policy": CSP, "Cache-Control": "no-cache"}
    return HTMLResponse(index.read_text(encoding="utf-8"), headers=headers)


@router.get("/login")
def login_moved() -> RedirectResponse:
    """The older login page's address: the office's login."""
    return RedirectResponse("/office/login", status_code=301)


@router.get("/app/{page}")
def page_moved(page: str) -> RedirectResponse:
    """An older dashboard page's address: the office view that replaced it (404 for a page that never was)."""
    target = MOVED.get(page)
    if target is None:
        raise HTTPException(status_code=404, detail=f"no page {page!r}")
    return RedirectResponse(target, status_code=301)


class OfficeAssets(StaticFiles):
    """The built front-end's hashed files: cached for a year, under the page's CSP, 404 when absent."""

    async def get_response(self, path: str, scope: Scope) -> Response:
        """The file, with long caching (names carry a content hash) and the CSP header."""
        response = await super().get_response(path, scope)
        response.headers["Content-Security-Policy"] = CSP
        if response.status_code == 200:
            response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
        return response


def install_web(app: FastAPI) -> None:
    """Add the office, its assets and the older addresses' redirects to `app`."""
    # the assets mount comes before the office's catch-all route, which would otherwise answer for them
    app.mount("/office/assets", OfficeAssets(directory=str(OFFICE_DIST / "assets"), check_dir=False), name="office")
    app.include_router(router)
