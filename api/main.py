"""create_app: the FastAPI application, with the engine and the Temporal client opened in its lifespan."""

from __future__ import annotations

import asyncio
import contextlib
import html
import logging
from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import quote

from fastapi import Depends, FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from swagger_ui_bundle import swagger_ui_path
from temporalio.client import Client

from api.errors import install_error_handlers
from api.language import install_request_language
from api.openapi_errors import install_openapi
from api.routes import (
    applicants,
    auth,
    case_close,
    catalogue,
    complaints,
    health,
    inbox,
    offices,
    recommendations,
    reports,
    sales,
    tariffs,
)
from api.security_headers import install_security_headers
from api.services.recovery import start_unstarted_forever
from api.ui import (
    account,
    admin,
    case_page,
    complaint_desk,
    login,
    pages,
    portal,
    public,
    register,
    sale_request,
    visits,
)
from api.ui import downloads as download_pages
from api.ui import inbox as inbox_pages
from api.ui import reports as report_pages
from api.ui.error_pages import error_page, wants_page
from api.ui.session import LoginRequired, remember_viewer
from core.db import create_engine, create_session_factory
from core.settings import Settings, get_settings

log = logging.getLogger("pst.api")

_STATIC = Path(__file__).resolve().parent / "ui" / "static"
_SWAGGER_PAGE = """<!doctype html>
<html lang="id">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<link rel="stylesheet" href="/static/swagger/swagger-ui.css">
<link rel="icon" href="/static/swagger/favicon-32x32.png">
</head>
<body>
<div id="swagger-ui" data-url="/openapi.json"></div>
<script src="/static/swagger/swagger-ui-bundle.js"></script>
<script src="/static/swagger-init.js"></script>
</body>
</html>
"""


@contextlib.asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    settings: Settings = app.state.settings
    engine = create_engine(settings.database_url)
    app.state.session_factory = create_session_factory(engine)
    app.state.temporal = await Client.connect(
        settings.temporal_address, namespace=settings.temporal_namespace, lazy=True
    )
    resumer = asyncio.create_task(
        start_unstarted_forever(
            session_factory=app.state.session_factory, temporal=app.state.temporal, settings=settings
        )
    )
    try:
        yield
    finally:
        resumer.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await resumer
        await engine.dispose()


def create_app(settings: Settings | None = None) -> FastAPI:
    """The PST Flow application for ``settings`` (default: from the environment)."""
    app = FastAPI(
        title="PST Flow API",
        version="0.1.0",
        description="Layanan PST BPS sebagai alur kerja Temporal. JSON API di /api/v1; "
        "skrip masuk sekali di POST /api/v1/auth/token (email dan kata sandi) untuk token Bearer berumur pendek; "
        "tombol Authorize di halaman ini melakukannya.",
        lifespan=_lifespan,
        docs_url=None,
    )
    app.state.settings = settings or get_settings()
    install_error_handlers(app, page=error_page, wants_page=wants_page)
    install_security_headers(app)
    install_request_language(app)
    install_openapi(app)

    @app.exception_handler(LoginRequired)
    async def _to_login(_request: Request, required: LoginRequired) -> RedirectResponse:
        return RedirectResponse(f"/login?next={quote(required.next_path)}", status_code=303)

    app.include_router(health.router)
    app.include_router(auth.router)
    app.include_router(sales.router)
    app.include_router(offices.router)
    app.include_router(catalogue.router)
    app.include_router(recommendations.router)
    app.include_router(complaints.router)
    app.include_router(reports.router)
    app.include_router(tariffs.router)
    app.include_router(applicants.router)
    app.include_router(inbox.router)
    app.include_router(case_close.router)
    for page_router in (
        pages.router,
        login.router,
        report_pages.router,
        inbox_pages.router,
        case_page.router,
        portal.router,
        sale_request.router,
        register.router,
        admin.router,
        visits.router,
        public.router,
        account.router,
        complaint_desk.router,
        download_pages.router,
    ):
        app.include_router(page_router, dependencies=[Depends(remember_viewer)])
    app.mount("/static/swagger", StaticFiles(directory=swagger_ui_path), name="swagger")
    app.mount("/static", StaticFiles(directory=_STATIC), name="static")

    @app.get("/docs", include_in_schema=False)
    async def docs() -> HTMLResponse:
        """Swagger UI from local files (offices may have no internet), started by a script file: no inline script."""
        return HTMLResponse(_SWAGGER_PAGE.format(title=html.escape(f"{app.title} · dokumentasi")))

    return app
