"""The office (the built Vue front-end under /office/) and the older dashboard pages; data comes from /api/v1."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from fastapi import APIRouter, FastAPI, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.types import Scope

WEB_DIR = Path(__file__).parent
OFFICE_DIST = WEB_DIR / "dist"  # `make install` builds frontend/ into it (npm ci && npm run build)
templates = Jinja2Templates(directory=str(WEB_DIR / "templates"))
router = APIRouter(include_in_schema=False)

# page name -> (template, roles that see the page in the menu)
PAGES: dict[str, str] = {
    "map": "map.html",
    "services": "services.html",
    "fiscal": "fiscal.html",
    "scenarios": "scenarios.html",
    "caseload": "caseload.html",
}
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
    "connect-src 'self'; font-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
)


@cache
def plotly_js() -> bytes:
    """plotly.js as shipped inside the plotly Python package (no network)."""
    from plotly.offline import get_plotlyjs

    return str(get_plotlyjs()).encode()


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


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request) -> Response:
    """The login form."""
    headers = {"Content-Security-Policy": CSP}
    return templates.TemplateResponse(request, "login.html", {"page": "login"}, headers=headers)


@router.get("/app/{page}", response_class=HTMLResponse)
def app_page(request: Request, page: str) -> Response:
    """A dashboard page; what it shows depends on the role the API grants the user's token."""
    template = PAGES.get(page)
    if template is None:
        raise HTTPException(status_code=404, detail=f"no dashboard page {page!r}")
    return templates.TemplateResponse(request, template, {"page": page}, headers={"Content-Security-Policy": CSP})


@router.get("/vendor/plotly.min.js")
def plotly_asset() -> Response:
    """The charting library, served from the installed plotly package."""
    return Response(plotly_js(), media_type="text/javascript", headers={"Cache-Control": "public, max-age=86400"})


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
    """Add the office, the pages, the vendor script and the static assets to `app`."""
    # the assets mount comes before the office's catch-all route, which would otherwise answer for them
    app.mount("/office/assets", OfficeAssets(directory=str(OFFICE_DIST / "assets"), check_dir=False), name="office")
    app.include_router(router)
    app.mount("/static", StaticFiles(directory=str(WEB_DIR / "static")), name="static")
