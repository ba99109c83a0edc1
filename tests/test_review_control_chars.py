"""Issue 18 row 3: a control character in an applicant name or a reviewer's comment is stored and
shown escaped; the exports (XLSX, CSV) keep answering for everyone while such a row exists."""

from __future__ import annotations

from io import BytesIO

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from review.app import create_app
from tests.test_review_auth import login
from tests.test_review_fixtures import Seeded, application, invoice_document, seeded, store_submission

__all__ = ["seeded"]
HOSTILE_NAME = "山西\x07响铃\x1b[2J科技\x00有限公司"
HOSTILE_REASON = "原件\x0b核对\x1b]0;标题\x07无误"


@pytest.fixture
def alice(seeded: Seeded) -> tuple[TestClient, str]:
    client = TestClient(create_app(seeded.settings))
    return client, login(client, "alice")


def test_control_characters_never_break_the_exports(alice: tuple[TestClient, str], seeded: Seeded) -> None:
    client, token = alice
    folder = seeded.settings.home.parent / "render2"
    folder.mkdir()
    doc = invoice_document(folder, "发票\x07.pdf", "某某云计算有限公司", "24112000000011112222", "612000.00")
    named = application().model_copy(
        update={"applicant": application().applicant.model_copy(update={"name": HOSTILE_NAME})}
    )
    sid = store_submission(seeded.store, seeded.settings, str(folder / "控制字符"), named, [doc])
    detail = seeded.store.submission_detail(sid)
    assert detail is not None and detail.findings
    finding = detail.findings[0].id
    dismissed = client.post(
        f"/submissions/{sid}/findings/{finding}/dismiss", data={"reason": HOSTILE_REASON, "csrf_token": token}
    )
    assert dismissed.status_code == 200
    page = client.get(f"/submissions/{sid}").text
    assert "\x07" not in page and "\x1b" not in page and "\x00" not in page
    for fmt in ("xlsx", "csv"):
        for kind in ("queue", "decisions"):
            response = client.get(f"/export/{kind}.{fmt}")
            assert response.status_code == 200, (kind, fmt)
            if fmt == "csv":
                text = response.content.decode("utf-8-sig")
                assert not any(c in text for c in "\x07\x1b\x00\x0b"), (kind, text)
            else:
                cells = [str(v) for row in load_workbook(BytesIO(response.content)).active.values for v in row]
                assert not any(c in cell for cell in cells for c in "\x07\x1b\x00\x0b"), kind
    queue = load_workbook(BytesIO(client.get("/export/queue.xlsx").content)).active.values
    assert any("山西" in str(v) and "响铃" in str(v) for row in queue for v in row), "the name is kept, escaped"
