"""An admin resets a reviewer's password in the UI: the old one stops working, the reviewer's
sessions end, a short password is refused, and only admins may do it."""

from __future__ import annotations

from fastapi.testclient import TestClient

from review.app import create_app
from tests.test_review_auth import csrf_of, login
from tests.test_review_fixtures import PASSWORD, Seeded, seeded

__all__ = ["seeded"]
NEW = "a-new-password-9"


def test_admin_resets_a_password_and_ends_the_sessions(seeded: Seeded) -> None:
    app = create_app(seeded.settings)
    bob, root = TestClient(app), TestClient(app)
    login(bob, "bob")
    token = login(root, "root")
    bob_id = seeded.reviewers["bob"]
    assert "重设密码" in root.get("/admin/reviewers").text
    short = root.post(f"/admin/reviewers/{bob_id}/password", data={"password": "short", "csrf_token": token})
    assert "密码至少 8 位" in short.text
    done = root.post(f"/admin/reviewers/{bob_id}/password", data={"password": NEW, "csrf_token": token})
    assert "已重设审核员 bob 的密码" in done.text
    assert bob.get("/", follow_redirects=False).status_code == 303, "bob's session ended"
    fresh = TestClient(app)
    refused = fresh.post(
        "/login", data={"username": "bob", "password": PASSWORD, "csrf_token": csrf_of(fresh.get("/login").text)}
    )
    assert refused.status_code != 303 and "/login" in str(refused.url)
    login(fresh, "bob", NEW)
    entries = [e for e in seeded.store.audit_log(submission_id=None, limit=100) if e.action == "reviewer_updated"]
    assert entries and entries[-1].after is not None and entries[-1].after["password_changed"] is True


def test_only_admins_reset_passwords(seeded: Seeded) -> None:
    client = TestClient(create_app(seeded.settings))
    token = login(client, "alice")
    denied = client.post(
        f"/admin/reviewers/{seeded.reviewers['bob']}/password", data={"password": NEW, "csrf_token": token}
    )
    assert denied.status_code == 403
