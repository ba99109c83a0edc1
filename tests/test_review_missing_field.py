"""A value the reader missed (MISSING_FIELD) is entered by the reviewer with the page it stands on;
the checks re-run at once and the entry is audited with its page."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from review.app import create_app
from tests.test_review_auth import login
from tests.test_review_fixtures import (
    Seeded,
    application,
    contract_document,
    invoice_document,
    seeded,
    store_submission,
)

__all__ = ["seeded"]
LISTED = "山西清众科技股份有限公司"
CONTRACT = "服务期缺失合同.pdf"


@pytest.fixture
def missing(seeded: Seeded, tmp_path: Path) -> int:
    render = tmp_path / "render-missing"
    render.mkdir()
    contract = contract_document(render, CONTRACT, LISTED, "HT-2023-009", "612000.00")
    fields = {k: v for k, v in contract.fields.items() if k != "service_end"}
    docs = [
        invoice_document(render, "发票_09.pdf", LISTED, "24112000000099990000", "612000.00"),
        contract.model_copy(update={"fields": fields}),
    ]
    return store_submission(seeded.store, seeded.settings, str(tmp_path / "in" / "缺字段"), application(), docs)


def _codes(seeded: Seeded, sid: int) -> list[str]:
    detail = seeded.store.submission_detail(sid)
    assert detail is not None
    return [f.code for f in detail.findings if CONTRACT in f.documents]


def test_the_reviewer_enters_a_missing_value_with_its_page(seeded: Seeded, missing: int) -> None:
    client = TestClient(create_app(seeded.settings))
    token = login(client, "alice")
    assert "MISSING_FIELD" in _codes(seeded, missing)
    page = client.get(f"/submissions/{missing}").text
    assert f"录入 {CONTRACT} 的“服务期止”" in page and '<option value="2">第2页</option>' in page
    form = {"file_name": CONTRACT, "field": "service_end", "value": "2024-05-31", "csrf_token": token}
    no_page = client.post(f"/submissions/{missing}/corrections", data={**form, "reason": "人工录入", "page": "0"})
    assert "请选择该值所在的页" in no_page.text and "MISSING_FIELD" in _codes(seeded, missing)
    assert "请选择该值所在的页" in no_page.text.split('id="findings"', 1)[1], "the refusal is said by the findings"
    done = client.post(f"/submissions/{missing}/corrections", data={**form, "reason": "按合同第2页录入", "page": "2"})
    assert "已更正并重新核验" in done.text
    assert "MISSING_FIELD" not in _codes(seeded, missing)
    entered = seeded.store.corrected_documents(missing)[CONTRACT].fields["service_end"]
    assert (entered.value, entered.page, entered.extractor) == ("2024-05-31", 2, "reviewer")
    audit = next(e for e in seeded.store.audit_log(missing) if e.action == "field_corrected")
    assert audit.after is not None and audit.after["page"] == 2
    # a field that is neither extracted nor reported missing cannot be invented
    other = client.post(f"/submissions/{missing}/corrections", data={**form, "field": "subject_x", "reason": "x"})
    assert other.status_code == 404
