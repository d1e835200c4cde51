"""The app factory: settings, database, error handling, limits, /api/v1 routers and the office."""

from __future__ import annotations

from fastapi import APIRouter, Depends, FastAPI
from sqlalchemy import Engine

from changzhu import __version__
from changzhu.api import docs_page
from changzhu.api.database import apply_timeouts, service_engine
from changzhu.api.error_handlers import install_error_handlers
from changzhu.api.limits import BodySizeLimit, LoginRateLimiter
from changzhu.api.routes import (
    applications,
    approvals,
    audit,
    auth,
    eligibility,
    fiscal,
    households,
    inputs,
    interregion,
    ledger,
    me,
    parameters,
    planning,
    quotas,
    regions,
    releases,
    resident_actions,
    residents,
    scenarios,
    siting,
    uploads,
    users,
)
from changzhu.api.scenario_runs import RunQueue
from changzhu.api.settings import ApiSettings
from changzhu.api.siting_runs import SitingQueue
from changzhu.api.text_guard import refuse_nul

API_PREFIX = "/api/v1"


def api_router() -> APIRouter:
    """Every /api/v1 route."""
    router = APIRouter(prefix=API_PREFIX, dependencies=[Depends(refuse_nul)])
    modules = (
        auth,
        regions,
        residents,
        resident_actions,
        households,
        me,
        eligibility,
        inputs,
        ledger,
        releases,
        approvals,
        planning,
        siting,
        fiscal,
        scenarios,
        parameters,
        users,
        audit,
        uploads,
        interregion,
        applications,
        quotas,
    )
    for module in modules:
        router.include_router(module.router)
    return router


def create_app(settings: ApiSettings | None = None, engine: Engine | None = None) -> FastAPI:
    """A ready app for `settings` (default: from the environment) on `engine` (default: settings' database)."""
    from changzhu.web.routes import install_web

    settings = settings or ApiSettings.from_env()
    app = FastAPI(
        title="changzhu 常住",
        version=__version__,
        description="Basic public services where people live (常住地), not where their hukou is registered. "
        "Authenticate with POST /api/v1/auth/login and send the token as 'Authorization: Bearer <token>'.",
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url=None,  # Swagger UI loads from a CDN; the service must work offline
        redoc_url=None,
    )
    attach(app, settings, engine)
    app.router.on_shutdown.append(lambda: app.state.scenario_runs.shutdown())  # the siting runs' worker too
    install_error_handlers(app)
    app.include_router(api_router())
    app.include_router(docs_page.router)
    install_web(app)
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes)
    return app


def attach(app: FastAPI, settings: ApiSettings, engine: Engine | None = None) -> None:
    """Give `app` its settings, its database (`engine`, default: settings' database), the scenario and siting run
    queues (one worker for both) and a login limiter: everything an app holds besides its routes. `create_app` calls
    it; the tests call it again to serve each test's database from one app built once (settings' body size limit is
    the app's from then on)."""
    app.state.settings = settings
    app.state.engine = apply_timeouts(engine, settings) if engine is not None else service_engine(settings)
    app.state.scenario_runs = RunQueue(app.state.engine)
    app.state.siting_runs = SitingQueue(app.state.engine, app.state.scenario_runs.pool)
    app.state.login_limiter = LoginRateLimiter(settings.login_attempts, settings.login_window_seconds)
