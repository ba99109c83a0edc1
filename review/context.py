"""Per-request plumbing shared by the routes: the app's state, the access guard and rendering."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from fastapi import HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates
from starlette.concurrency import run_in_threadpool

from models.errors import EvidenceError
from models.settings import Settings
from review.security import SESSION_COOKIE, LoginThrottle, Session, SessionStore, tokens_equal
from store import ReviewerInfo, Store

PUBLIC_PATHS = frozenset({"/login"})
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
CSRF_FAILED = "表单已失效或来源不可信（CSRF 校验失败），请刷新页面后重试。"


class NotAuthenticatedError(EvidenceError):
    """Raised by the guard; turned into a redirect to the login page."""

    def __init__(self, reason: str = "请先登录") -> None:
        super().__init__(reason)


@dataclass
class AppState:
    settings: Settings
    store: Store
    sessions: SessionStore
    throttle: LoginThrottle
    templates: Jinja2Templates


def app_state(request: Request) -> AppState:
    state = request.app.state.review
    assert isinstance(state, AppState)
    return state


async def guard(request: Request) -> None:
    """Attach the session and reviewer to the request; refuse anonymous access and forged posts."""
    state = app_state(request)
    session = state.sessions.get(request.cookies.get(SESSION_COOKIE))
    user: ReviewerInfo | None = None
    if session is not None and session.reviewer_id is not None:
        # the store call blocks (SQLite may wait on a writer): keep it off the event loop
        user = await run_in_threadpool(state.store.get_reviewer, reviewer_id=session.reviewer_id)
        if user is None or not user.active:
            state.sessions.drop(session.sid)
            session, user = None, None
    request.state.session = session
    request.state.user = user
    if user is None and request.url.path not in PUBLIC_PATHS:
        raise NotAuthenticatedError()
    if request.method not in SAFE_METHODS:
        await _check_csrf(request, session)


async def _check_csrf(request: Request, session: Session | None) -> None:
    origin = request.headers.get("origin")
    if origin and origin != "null" and urlsplit(origin).netloc != request.headers.get("host"):
        raise HTTPException(403, CSRF_FAILED)
    token = request.headers.get("x-csrf-token")
    if token is None:
        value = (await request.form()).get("csrf_token")
        token = value if isinstance(value, str) else None
    if session is None or not tokens_equal(token, session.csrf):
        raise HTTPException(403, CSRF_FAILED)


def current_user(request: Request) -> ReviewerInfo:
    """The logged-in reviewer, as the guard found them: the only source of "who acts"."""
    user = request.state.user
    if not isinstance(user, ReviewerInfo):
        raise NotAuthenticatedError()
    return user


def current_session(request: Request) -> Session:
    session = request.state.session
    if not isinstance(session, Session):
        raise NotAuthenticatedError()
    return session


def require_admin(request: Request) -> ReviewerInfo:
    user = current_user(request)
    if user.role != "admin":
        raise HTTPException(403, "只有管理员可以管理审核员。")
    return user


def flash(request: Request, kind: str, message: str, *, at: str = "") -> None:
    """A message for the next page; ``at`` names the element it is shown beside, where the reviewer looks."""
    session = request.state.session
    if isinstance(session, Session):
        session.flash = (kind, message)
        session.flash_at = at


def redirect(url: str) -> RedirectResponse:
    """POST → redirect → GET, so a reload never repeats a decision."""
    return RedirectResponse(url, status_code=303)


def render(request: Request, name: str, context: dict[str, Any], status_code: int = 200) -> HTMLResponse:
    session = request.state.session
    message = session.take_flash() if isinstance(session, Session) else None
    message_at = session.flash_at if isinstance(session, Session) and message else ""
    full = {
        "user": request.state.user,
        "csrf_token": session.csrf if isinstance(session, Session) else "",
        "message_kind": message[0] if message else None,
        "message": message[1] if message else None,
        "message_at": message_at,
        **context,
    }
    return app_state(request).templates.TemplateResponse(request, name, full, status_code=status_code)
