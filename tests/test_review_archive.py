"""An admin archives a mistaken entry: it leaves the pending queue, the archive is audited with its
reason, and a reviewer who is not an admin cannot do it."""

from __future__ import annotations

from fastapi.testclient import TestClient

from review.app import create_app
from tests.test_review_auth import login
from tests.test_review_fixtures import Seeded, seeded

__all__ = ["seeded"]


def test_an_admin_archives_a_submission(seeded: Seeded) -> None:
    app = create_app(seeded.settings)
    alice, root = TestClient(app), TestClient(app)
    alice_token, root_token = login(alice, "alice"), login(root, "root")
    sid = seeded.submission_id
    assert "归档（管理员" not in alice.get(f"/submissions/{sid}").text
    denied = alice.post(f"/submissions/{sid}/archive", data={"reason": "误入库", "csrf_token": alice_token})
    assert denied.status_code == 403 and seeded.store.decisions(sid) == []
    assert "归档（管理员" in root.get(f"/submissions/{sid}").text
    empty = root.post(f"/submissions/{sid}/archive", data={"reason": " ", "csrf_token": root_token})
    assert "归档必须填写理由" in empty.text and seeded.store.decisions(sid) == []
    done = root.post(f"/submissions/{sid}/archive", data={"reason": "误把空目录当申报", "csrf_token": root_token})
    assert "已归档该申报。已转到下一份待审申报（还剩 1 份）" in done.text
    assert f'href="/submissions/{sid}"' not in root.get("/").text, "no longer pending"
    assert f'href="/submissions/{sid}"' in root.get("/", params={"decision": "archive"}).text
    entry = next(e for e in seeded.store.audit_log(sid) if e.action == "decision_archive")
    assert entry.actor == "root" and entry.after is not None and entry.after["comment"] == "误把空目录当申报"
    page = root.get(f"/submissions/{sid}").text
    assert "当前结论：" in page and "已归档" in page and "归档申报" in page.split("审核日志")[1]
