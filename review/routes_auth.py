"""Login and logout. The session id is replaced at login, so an id planted before it is worthless."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from review.context import app_state, current_session, current_user, redirect, render
from review.security import SESSION_COOKIE, Session, verify_password

router = APIRouter()
BAD_LOGIN = "用户名或密码错误。"
THROTTLED = "登录失败次数过多，请 {seconds} 秒后再试。"


def set_session_cookie(request: Request, response: Response, session: Session) -> None:
    response.set_cookie(
        SESSION_COOKIE,
        session.sid,
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
        path="/",
    )


@router.get("/login")
def login_page(request: Request) -> Response:
    if request.state.user is not None:
        return redirect("/")
    session = request.state.session or app_state(request).sessions.new()
    request.state.session = session
    response = render(request, "login.html", {})
    set_session_cookie(request, response, session)
    return response


@router.post("/login")
def login(
    request: Request, username: Annotated[str, Form(max_length=64)], password: Annotated[str, Form(max_length=1024)]
) -> Response:
    state = app_state(request)
    name = username.strip()
    client = request.client.host if request.client else "unknown"
    account = name.lower()
    wait = state.throttle.wait_seconds(account, client)
    if wait > 0:
        state.store.append_audit(
            "login_throttled", target=f"username:{name}", after={"client": client, "wait_seconds": round(wait, 1)}
        )
        error = THROTTLED.format(seconds=max(1, round(wait)))
        return render(request, "login.html", {"error": error, "username": name}, status_code=429)
    reviewer = state.store.get_reviewer(username=name)
    usable = reviewer if reviewer is not None and reviewer.active else None
    if not verify_password(usable.password_hash if usable else None, password) or usable is None:
        state.throttle.failed(account, client)
        state.store.append_audit("login_failed", target=f"username:{name}", after={"client": client})
        return render(request, "login.html", {"error": BAD_LOGIN, "username": name}, status_code=401)
    state.throttle.succeeded(account, client)
    old = request.state.session
    session = state.sessions.login(old.sid if old else None, usable.id)
    state.store.append_audit("login", reviewer_id=usable.id, target=f"reviewer:{usable.id}", after={"client": client})
    response = redirect("/")
    set_session_cookie(request, response, session)
    return response


@router.post("/logout")
def logout(request: Request) -> Response:
    user = current_user(request)
    state = app_state(request)
    state.sessions.drop(current_session(request).sid)
    state.store.append_audit("logout", reviewer_id=user.id, target=f"reviewer:{user.id}")
    response = redirect("/login")
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response
