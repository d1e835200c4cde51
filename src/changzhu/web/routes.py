"""Dashboard pages and assets: every page is a template; data comes from /api/v1 with the user's token."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from changzhu.api.errors import NotFound

WEB_DIR = Path(__file__).parent
templates = Jinja2Templates(directory=str(WEB_DIR / "templates"))
router = APIRouter(include_in_schema=False)

# page name -> (template, roles that see the page in the menu)
PAGES: dict[str, str] = {
    "map": "map.html",
    "services": "services.html",
    "fiscal": "fiscal.html",
    "scenarios": "scenarios.html",
    "me": "me.html",
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
    """The dashboard starts at the login page."""
    return RedirectResponse("/login")


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
        raise NotFound(f"no dashboard page {page!r}")
    return templates.TemplateResponse(request, template, {"page": page}, headers={"Content-Security-Policy": CSP})


@router.get("/vendor/plotly.min.js")
def plotly_asset() -> Response:
    """The charting library, served from the installed plotly package."""
    return Response(plotly_js(), media_type="text/javascript", headers={"Cache-Control": "public, max-age=86400"})


def install_web(app: FastAPI) -> None:
    """Add the pages, the vendor script and the static assets to `app`."""
    app.include_router(router)
    app.mount("/static", StaticFiles(directory=str(WEB_DIR / "static")), name="static")
