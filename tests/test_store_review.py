"""The review repository: reviewers, queue filters, decisions, corrections, append-only audit log."""

from __future__ import annotations

import stat
from functools import partial
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from models.findings import FindingCode
from store import DocumentKey, QueueFilter, ReviewError, Store, StoreError
from tests.test_store import make_document, make_result
from tests.test_store_fixtures import store, store_settings

__all__ = ["store", "store_settings"]

APP = {"applicant": {"name": "山西示例科技有限公司"}, "clauses": ["cloud"], "application_date": "2024-05-20"}


def _fill(store: Store) -> tuple[int, int]:
    run = store.start_run("batch", "/data")
    doc = store.put_document(DocumentKey("a" * 64, "e", "x"), make_document())
    store.record_result(run.id, "/data/s1", make_result("/data/s1"), {"invoice_01.pdf": doc.id}, application=APP)
    store.record_result(
        run.id,
        "/data/s2",
        make_result("/data/s2", status="pass", codes=()),
        {},
        application={**APP, "clauses": ["cert"]},
    )
    store.record_result(
        run.id,
        "/data/s3",
        make_result("/data/s3", codes=(FindingCode.CERT_EXPIRED,)),
        {},
        application={**APP, "clauses": ["cert"]},
    )
    reviewer = store.create_reviewer("wang", "argon2-hash", display_name="王审核")
    return run.id, reviewer.id


def test_reviewers_are_unique_and_audited(store: Store) -> None:
    _, rid = _fill(store)
    with pytest.raises(ReviewError):
        store.create_reviewer("wang", "h2")
    found = store.get_reviewer(username="wang")
    assert found is not None and found.id == rid and found.password_hash == "argon2-hash"
    assert [e.action for e in store.audit_log()] == ["reviewer_created"]
    store.update_reviewer(rid, by=rid, active=False)
    with pytest.raises(ReviewError):
        store.record_decision(rid, 1, "approve", comment="ok")


def test_queue_sorts_by_severity_and_filters(store: Store) -> None:
    run_id, _ = _fill(store)
    page = store.list_queue()
    assert [i.path for i in page.items] == ["/data/s1", "/data/s3", "/data/s2"]
    assert page.counts == {"flagged": 2, "pass": 1} and page.total == 3
    assert [i.path for i in store.list_queue(QueueFilter(finding_code="CERT_EXPIRED")).items] == ["/data/s3"]
    assert [i.path for i in store.list_queue(QueueFilter(clause="cert", status="flagged")).items] == ["/data/s3"]
    assert store.list_queue(QueueFilter(batch_id=run_id + 1)).total == 0
    second = store.list_queue(page=2, page_size=2)
    assert [i.path for i in second.items] == ["/data/s2"] and second.total == 3


def test_decisions_are_validated_persisted_and_audited(store: Store) -> None:
    _, rid = _fill(store)
    sid = store.submission_id("/data/s1")
    assert sid is not None
    detail = store.submission_detail(sid)
    assert detail is not None and len(detail.findings) == 1
    finding = detail.findings[0]
    with pytest.raises(ReviewError):
        store.record_decision(rid, sid, "dismiss", finding_id=finding.id, comment=" ")
    other = store.submission_id("/data/s3")
    assert other is not None
    with pytest.raises(ReviewError):
        store.record_decision(rid, other, "confirm", finding_id=finding.id)
    store.record_decision(rid, sid, "dismiss", finding_id=finding.id, comment="供应商已在名单中")
    store.record_decision(rid, sid, "approve", comment="同意")
    detail = store.submission_detail(sid)
    assert detail is not None
    assert [d.kind for d in detail.decisions] == ["dismiss", "approve"]
    assert [a.action for a in detail.audit] == ["decision_dismiss", "decision_approve"]
    assert detail.audit[0].before == {"code": "PROVIDER_NOT_ON_LIST", "severity": "error", "message": finding.message}
    assert detail.audit[0].actor == "wang"
    assert "/data/s1" not in [i.path for i in store.list_queue().items]
    assert "/data/s1" in [i.path for i in store.list_queue(QueueFilter(undecided_only=False, reviewer_id=rid)).items]


def test_field_correction_is_applied_and_audited(store: Store) -> None:
    _, rid = _fill(store)
    sid = store.submission_id("/data/s1")
    assert sid is not None
    with pytest.raises(ReviewError):
        store.correct_field(rid, sid, "nope.pdf", "invoice_number", "1")
    store.correct_field(rid, sid, "invoice_01.pdf", "invoice_number", "24112000000099999999", reason="OCR 误读")
    docs = store.corrected_documents(sid)
    field = docs["invoice_01.pdf"].fields["invoice_number"]
    assert field.value == "24112000000099999999" and field.confidence == 1.0 and field.extractor == "reviewer"
    assert field.bbox is not None
    detail = store.submission_detail(sid)
    assert detail is not None and detail.corrections[0].old_value == "24112000000012345678"
    assert detail.audit[-1].before == {"value": "24112000000012345678"}
    stored = store.stored_submission(sid)
    assert stored is not None and stored.files["invoice_01.pdf"].document is not None


def _execute(sql: str, session: Session) -> None:
    session.execute(text(sql))


def test_audit_log_cannot_be_altered(store: Store) -> None:
    _, rid = _fill(store)
    entry = store.append_audit("login", reviewer_id=rid)
    for statement in (
        f"UPDATE audit_log SET action='x' WHERE id={entry.id}",
        f"DELETE FROM audit_log WHERE id={entry.id}",
    ):
        with pytest.raises((DBAPIError, StoreError)):
            store.write(partial(_execute, statement), attempts=1)
    assert [e.action for e in store.audit_log()][-1] == "login"


def test_page_images_are_found_by_id_only(store: Store, tmp_path) -> None:
    from store.pages import keep_page_images

    image = tmp_path / "render.png"
    image.write_bytes(b"\x89PNG fake but bytes")
    doc = make_document()
    doc.pages[0].image_path = str(image)
    key = DocumentKey("c" * 64, "e", "x")
    rows = keep_page_images(store.settings.home, key, doc)
    cached = store.put_document(key, doc, page_images=rows)
    run = store.start_run("batch", "/d")
    store.record_result(run.id, "/d/s", make_result("/d/s"), {"invoice_01.pdf": cached.id}, application=APP)
    sid = store.submission_id("/d/s")
    assert sid is not None
    detail = store.submission_detail(sid)
    assert detail is not None
    [info] = detail.pages["invoice_01.pdf"]
    fetched = store.page_image(info.id)
    assert fetched is not None and fetched.path.startswith(str(store.settings.home / "pages"))
    assert Path(fetched.path).read_bytes() == image.read_bytes()
    assert stat.S_IMODE(Path(fetched.path).stat().st_mode) == 0o600
    assert store.page_image(info.id + 100) is None
