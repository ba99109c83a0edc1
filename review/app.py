"""The review web application: ``create_app`` wires the store, sessions and routes together.

Routes are plain (sync) functions so FastAPI runs them in its thread pool: the store and argon2
block, and must not stall the event loop. Access control is one app-wide dependency rather than a
decorator per route, so a route added later cannot forget it: every request except ``/login``
needs a live session of an active reviewer, and every state-changing request needs that
session's CSRF token.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader
from starlette.exceptions import HTTPException as StarletteHTTPException

from models.settings import Settings
from review.context import AppState, NotAuthenticatedError, guard
from review.html_text import visible
from review.response_headers import ResponseHeaders, relative_redirects, secure
from review.security import LoginThrottle, SessionStore
from store import open_store

HERE = Path(__file__).parent
def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the app over the store at ``settings`` (``Settings.from_env()`` by default)."""
    state = _state(settings or Settings.from_env())

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        state.store.close()

    app = FastAPI(
        title="evidence review",
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
        dependencies=[Depends(guard)],
    )
    app.state.review = state
    app.add_middleware(ResponseHeaders, rewrite=secure)
    app.add_middleware(ResponseHeaders, rewrite=relative_redirects)
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    _include_routes(app)
    _add_error_pages(app, state.templates)
    return app


def _state(settings: Settings) -> AppState:
    # autoescape for every template, whatever its suffix: OCR text and file names are hostile input
    env = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=True, finalize=visible)
    return AppState(
        settings=settings,
        store=open_store(settings),
        sessions=SessionStore(),
        throttle=LoginThrottle(),
        templates=Jinja2Templates(env=env),
    )


def _include_routes(app: FastAPI) -> None:
    from review.routes_admin import router as admin_router
    from review.routes_auth import router as auth_router
    from review.routes_export import router as export_router
    from review.routes_queue import router as queue_router
    from review.routes_submission import router as submission_router

    for router in (auth_router, queue_router, submission_router, export_router, admin_router):
        app.include_router(router)


def _add_error_pages(app: FastAPI, templates: Jinja2Templates) -> None:
    """Chinese error pages; a missing session on a page sends the browser to the login."""

    @app.exception_handler(NotAuthenticatedError)
    async def to_login(request: Request, exc: NotAuthenticatedError) -> Response:
        if request.method == "GET":
            return RedirectResponse("/login", status_code=303)
        return HTMLResponse("需要登录", status_code=401)

    @app.exception_handler(RequestValidationError)
    async def bad_form(request: Request, exc: RequestValidationError) -> Response:
        # never echo the submitted values (FastAPI's default does, passwords included)
        return await error_page(request, StarletteHTTPException(400, "提交的内容不完整或过长，请返回重试。"))

    @app.exception_handler(StarletteHTTPException)
    async def error_page(request: Request, exc: StarletteHTTPException) -> Response:
        context: dict[str, Any] = {"status_code": exc.status_code, "detail": _detail_text(exc)}
        context["user"] = getattr(request.state, "user", None)
        session = getattr(request.state, "session", None)
        context["csrf_token"] = session.csrf if session is not None else ""
        response: Response = templates.TemplateResponse(request, "error.html", context, status_code=exc.status_code)
        return response


def _detail_text(exc: StarletteHTTPException) -> str:
    defaults = {
        403: "没有权限执行此操作。",
        404: "页面或对象不存在。",
        405: "不支持的请求方式。",
        429: "尝试次数过多，请稍后再试。",
    }
    if isinstance(exc.detail, str) and exc.detail and exc.detail not in ("Not Found", "Method Not Allowed"):
        return exc.detail
    return defaults.get(exc.status_code, "请求无法处理。")
