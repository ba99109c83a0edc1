"""Access control of the review UI: sessions everywhere, CSRF, fixation, throttling, roles."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from review.app import create_app
from review.security import SESSION_COOKIE
from tests.test_review_fixtures import PASSWORD, Seeded, seeded

__all__ = ["seeded"]
CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_of(html: str) -> str:
    found = CSRF_RE.search(html)
    assert found, "page has no CSRF token"
    return found.group(1)


def login(client: TestClient, username: str, password: str = PASSWORD) -> str:
    """Log in through the form; returns the CSRF token of the logged-in session."""
    token = csrf_of(client.get("/login").text)
    response = client.post("/login", data={"username": username, "password": password, "csrf_token": token},
                           follow_redirects=False)
    assert response.status_code == 303, response.text
    return csrf_of(client.get("/").text)


@pytest.fixture
def client(seeded: Seeded) -> TestClient:
    return TestClient(create_app(seeded.settings))


def api_routes(client: TestClient) -> list[APIRoute]:
    """Every endpoint, including those of included routers (nested lazily by recent FastAPI)."""
    app = client.app
    assert isinstance(app, FastAPI)
    found: list[APIRoute] = []
    pending: list[Any] = list(app.routes)
    while pending:
        route = pending.pop()
        if isinstance(route, APIRoute):
            found.append(route)
        elif hasattr(route, "original_router"):
            pending.extend(route.original_router.routes)
    return found


def _concrete(path: str) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: {"fmt": "csv", "action": "disable"}.get(m.group(1), "1"), path)


def test_every_route_but_login_needs_a_session(client: TestClient) -> None:
    routes = api_routes(client)
    assert len(routes) >= 12
    for route in routes:
        path = _concrete(route.path)
        for method in route.methods or set():
            response = client.request(method, path, follow_redirects=False)
            if route.path == "/login":
                assert response.status_code in (200, 403), (method, path)
                continue
            if method == "GET":
                assert response.status_code == 303 and response.headers["location"] == "/login", (method, path)
            else:
                assert response.status_code == 401, (method, path, response.status_code)
    assert client.get("/static/review.css").status_code == 200
    assert client.get("/docs").status_code == 404
    assert client.get("/openapi.json").status_code == 404


def test_no_route_can_edit_or_delete(client: TestClient) -> None:
    """The audit log is append-only through the app: nothing but GET and POST exists."""
    methods = {m for r in api_routes(client) for m in r.methods or set()}
    assert methods <= {"GET", "POST"}
    assert not any("audit" in r.path for r in api_routes(client))


def test_login_rotates_session_and_sets_safe_cookie(client: TestClient, seeded: Seeded) -> None:
    page = client.get("/login")
    before = client.cookies.get(SESSION_COOKIE)
    cookie_header = page.headers["set-cookie"].lower()
    assert "httponly" in cookie_header and "samesite=lax" in cookie_header
    response = client.post("/login", data={"username": "alice", "password": PASSWORD, "csrf_token": csrf_of(page.text)},
                           follow_redirects=False)
    assert response.status_code == 303
    after = client.cookies.get(SESSION_COOKIE)
    assert before and after and before != after
    # the pre-login id planted by an attacker is dead: it reaches nothing
    attacker = TestClient(client.app)
    attacker.cookies.set(SESSION_COOKIE, before)
    assert attacker.get("/", follow_redirects=False).status_code == 303
    assert client.get("/").status_code == 200
    audit = seeded.store.audit_log()
    assert any(e.action == "login" and e.actor == "alice" for e in audit)


def test_wrong_password_and_unknown_user_are_refused(client: TestClient) -> None:
    token = csrf_of(client.get("/login").text)
    for name, password in (("alice", "wrong-password"), ("nobody", PASSWORD)):
        response = client.post("/login", data={"username": name, "password": password, "csrf_token": token})
        assert response.status_code == 401
        assert "用户名或密码错误" in response.text
    assert client.get("/", follow_redirects=False).status_code == 303


def test_login_is_throttled_after_repeated_failures(client: TestClient) -> None:
    token = csrf_of(client.get("/login").text)
    for _ in range(5):
        client.post("/login", data={"username": "bob", "password": "guess-guess", "csrf_token": token})
    response = client.post("/login", data={"username": "bob", "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 429
    assert "次数过多" in response.text


def test_csrf_token_required_on_every_post(client: TestClient, seeded: Seeded) -> None:
    page = client.get("/login")
    assert client.post("/login", data={"username": "alice", "password": PASSWORD}).status_code == 403
    bad = {"username": "alice", "password": PASSWORD, "csrf_token": "forged"}
    assert client.post("/login", data=bad).status_code == 403
    token = login(client, "alice")
    assert token != csrf_of(page.text), "the CSRF token must change with the session"
    sid = seeded.submission_id
    finding = seeded.store.submission_detail(sid).findings[0].id  # type: ignore[union-attr]
    url = f"/submissions/{sid}/findings/{finding}/dismiss"
    assert client.post(url, data={"reason": "x"}).status_code == 403
    assert client.post(url, data={"reason": "x", "csrf_token": "nope"}).status_code == 403
    assert client.post("/submissions/1/final", data={"kind": "approve", "csrf_token": token},
                       headers={"origin": "http://evil.example"}).status_code == 403
    assert not seeded.store.decisions(sid)
    assert client.post(url, data={"reason": "原件核对无误", "csrf_token": token},
                       follow_redirects=False).status_code == 303
    assert [d.kind for d in seeded.store.decisions(sid)] == ["dismiss"]
    assert client.post("/logout", data={}).status_code == 403


def test_logout_ends_the_session(client: TestClient) -> None:
    token = login(client, "alice")
    old = client.cookies.get(SESSION_COOKIE)
    assert client.post("/logout", data={"csrf_token": token}, follow_redirects=False).status_code == 303
    replay = TestClient(client.app)
    replay.cookies.set(SESSION_COOKIE, old or "")
    assert replay.get("/", follow_redirects=False).status_code == 303


def test_only_admins_manage_reviewers(client: TestClient, seeded: Seeded) -> None:
    token = login(client, "alice")
    assert client.get("/admin/reviewers").status_code == 403
    denied = client.post("/admin/reviewers", data={"username": "mallory", "password": "12345678x", "admin": "1",
                                                   "csrf_token": token})
    assert denied.status_code == 403
    assert seeded.store.get_reviewer(username="mallory") is None


def test_admin_adds_and_disables_a_reviewer(client: TestClient, seeded: Seeded) -> None:
    bob = TestClient(client.app)
    login(bob, "bob")
    token = login(client, "root")
    page = client.get("/admin/reviewers")
    assert page.status_code == 200 and "李审核" in page.text
    client.post("/admin/reviewers", data={"username": "carol", "password": "long enough pw", "display_name": "王审核",
                                          "csrf_token": token})
    carol = seeded.store.get_reviewer(username="carol")
    assert carol is not None and carol.role == "reviewer" and carol.password_hash.startswith("$argon2")
    client.post(f"/admin/reviewers/{seeded.reviewers['bob']}/disable", data={"csrf_token": token})
    assert seeded.store.get_reviewer(username="bob").active is False  # type: ignore[union-attr]
    # bob's open session ends at once, and he cannot log in again
    assert bob.get("/", follow_redirects=False).status_code == 303
    token_b = csrf_of(bob.get("/login").text)
    assert bob.post("/login", data={"username": "bob", "password": PASSWORD, "csrf_token": token_b}).status_code == 401
    actions = [e.action for e in seeded.store.audit_log()]
    assert "reviewer_created" in actions and "reviewer_updated" in actions


def test_security_headers(client: TestClient) -> None:
    """CSP forbids inline script (an escaped-away payload could not run anyway); pages are not cached."""
    login(client, "alice")
    response = client.get("/")
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["cache-control"] == "no-store"


def test_invalid_forms_do_not_echo_what_was_sent(client: TestClient) -> None:
    token = csrf_of(client.get("/login").text)
    secret = "p" * 2000
    response = client.post("/login", data={"username": "alice", "password": secret, "csrf_token": token})
    assert response.status_code == 400 and secret not in response.text and "过长" in response.text


def test_throttling_slows_with_a_cap_and_never_locks_out() -> None:
    """Issue 18 row 8: per-account slowing, capped; another address is not slowed by a guesser."""
    from review.security import LoginThrottle

    now = [1000.0]
    throttle = LoginThrottle(free=3, base=1.0, cap=30.0, clock=lambda: now[0])
    waits = []
    for _ in range(12):
        throttle.failed("admin", "10.0.0.9")
        waits.append(throttle.wait_seconds("admin", "10.0.0.9"))
    assert waits[:2] == [0.0, 0.0] and waits[2:6] == [1.0, 2.0, 4.0, 8.0]
    assert max(waits) == 30.0, "never longer than the cap"
    assert throttle.wait_seconds("admin", "10.0.0.1") == 0.0, "the real admin elsewhere logs in at once"
    now[0] += 30.0
    assert throttle.wait_seconds("admin", "10.0.0.9") == 0.0, "after the cap the guesser may try again"
    throttle.succeeded("admin", "10.0.0.9")
    assert throttle.wait_seconds("admin", "10.0.0.9") == 0.0


def test_throttled_attempts_are_audited(client: TestClient, seeded: Seeded) -> None:
    token = csrf_of(client.get("/login").text)
    for _ in range(4):
        client.post("/login", data={"username": "bob", "password": "guess-guess", "csrf_token": token})
    actions = [e.action for e in seeded.store.audit_log()]
    assert actions.count("login_failed") == 3 and actions.count("login_throttled") == 1
    entry = next(e for e in seeded.store.audit_log() if e.action == "login_throttled")
    assert entry.after is not None and entry.after["wait_seconds"] > 0


def test_anonymous_sessions_are_capped_and_logged_in_ones_kept() -> None:
    from review.security import SessionStore

    sessions = SessionStore(max_anonymous=3)
    reviewer = sessions.login(None, reviewer_id=7)
    made = [sessions.new() for _ in range(10)]
    assert sessions.get(reviewer.sid) is not None, "a reviewer's session is never pushed out"
    assert [sessions.get(s.sid) is not None for s in made] == [False] * 7 + [True] * 3


@pytest.mark.parametrize("path", ["/static", "/login/", "/login/?next=x", "/"])
def test_redirects_never_follow_the_host_header(client: TestClient, path: str) -> None:
    """Trailing-slash redirects are built from ``Host`` by Starlette: the app sends them relative."""
    response = client.get(path, headers={"host": "evil.example"}, follow_redirects=False)
    assert response.status_code in (303, 307)
    location = response.headers["location"]
    assert location.startswith("/") and not location.startswith(("//", "/\\")) and "evil" not in location


def test_relative_location_keeps_path_and_query_and_drops_any_host() -> None:
    from review.redirects import relative_location

    assert relative_location("http://evil.example/login?next=%2F#top") == "/login?next=%2F#top"
    assert relative_location("//evil.example/x") == "/x"
    assert relative_location("/\\evil.example") == "/evil.example"
    assert relative_location("/submissions/3#finding-2") == "/submissions/3#finding-2"
