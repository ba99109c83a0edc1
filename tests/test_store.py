"""The store on SQLite and PostgreSQL: migrations, the extraction cache, results, transactions."""

from __future__ import annotations

import json
import stat

import pytest
from sqlalchemy import inspect, select, text
from sqlalchemy.exc import IntegrityError

from models import BBox, Document, ExtractedField, Finding, Page, Result, TextLine
from models.application import Applicant
from models.findings import FindingCode
from models.settings import Settings
from store import DocumentKey, Store, StoreError, open_store, result_fingerprint
from store.db import current_revision, make_engine, upgrade
from store.schema import FindingRow, ResultRow
from tests.test_store_fixtures import store, store_settings

__all__ = ["store", "store_settings"]

HEAD = "0004"


def make_document(name: str = "invoice_01.pdf", number: str = "24112000000012345678") -> Document:
    line = TextLine(
        text="发票号码", raw_text="发票号码", bbox=BBox.model_validate([1, 2, 3, 4]), confidence=0.9, source="ocr"
    )
    return Document(
        path=name,
        sha256="a" * 64,
        doc_type="invoice",
        text_source="ocr",
        pages=[Page(number=1, width=1654, height=2339, dpi=200, lines=[line], text_source="ocr")],
        fields={
            "invoice_number": ExtractedField(
                value=number, confidence=0.97, page=1, bbox=BBox.model_validate([812, 64, 1190, 98])
            )
        },
    )


def make_result(
    path: str,
    status: str = "flagged",
    codes: tuple[FindingCode, ...] = (FindingCode.PROVIDER_NOT_ON_LIST,),
    version: str = "2",
) -> Result:
    findings = [
        Finding(code=c, severity="error", message=f"问题 {c}", documents=["invoice_01.pdf"], fields=["seller_name"])
        for c in codes
    ]
    return Result(
        submission=path,
        applicant=Applicant(name="山西示例科技有限公司"),
        policy="yangquan-2024",
        status=status,  # type: ignore[arg-type]
        findings=findings,
        list_versions={"cloud_providers": version},
        policy_version="1",
    )


def test_open_migrates_to_head_and_is_idempotent(store: Store, store_settings: Settings) -> None:
    assert current_revision(store.engine) == HEAD
    tables = set(inspect(store.engine).get_table_names())
    assert {
        "batches",
        "submissions",
        "documents",
        "results",
        "findings",
        "page_images",
        "list_versions",
        "reviewers",
        "decisions",
        "audit_log",
        "field_corrections",
    } <= tables
    again = open_store(store_settings)
    assert current_revision(again.engine) == HEAD
    again.close()


def test_sqlite_file_is_owner_only_and_uses_wal(tmp_path) -> None:
    opened = open_store(Settings(home=tmp_path / "h"))
    db = tmp_path / "h" / "evidence.db"
    assert stat.S_IMODE(db.stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "h").stat().st_mode) == 0o700
    with opened.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert int(conn.exec_driver_sql("PRAGMA busy_timeout").scalar() or 0) >= 10_000
    opened.close()


def test_document_cache_round_trips_full_extraction_and_is_written_once(store: Store) -> None:
    key = DocumentKey("a" * 64, "rapidocr-3.10.0", "x1")
    assert store.get_document(key) is None
    doc = make_document()
    first = store.put_document(key, doc, seconds=1.5)
    second = store.put_document(key, doc, seconds=9.9)
    assert first.id == second.id
    cached = store.get_document(key)
    assert cached is not None and cached.document == doc
    assert cached.document.pages[0].lines[0].text == "发票号码"
    assert store.get_document(DocumentKey("a" * 64, "rapidocr-3.10.0", "x2")) is None
    assert store.count_documents() == 1


def test_unreadable_document_is_cached_with_its_reason(store: Store) -> None:
    key = DocumentKey("b" * 64, "e", "x")
    store.put_document(key, None, read_error="文件已损坏")
    cached = store.get_document(key)
    assert cached is not None and cached.document is None and cached.read_error == "文件已损坏"


def test_results_are_stored_per_run_with_findings_rows_and_once_per_run(store: Store) -> None:
    run = store.start_run("batch", "/data")
    doc = store.put_document(DocumentKey("a" * 64, "e", "x"), make_document())
    result = make_result("/data/s1")
    app = {"applicant": {"name": "山西示例科技有限公司"}, "clauses": ["cloud"], "application_date": "2024-05-20"}
    rid = store.record_result(run.id, "/data/s1", result, {"invoice_01.pdf": doc.id}, application=app)
    again = store.record_result(run.id, "/data/s1", result, {"invoice_01.pdf": doc.id}, application=app)
    assert rid == again
    assert store.completed_submissions(run.id) == {"/data/s1": result}
    counts = store.table_counts()
    assert counts["results"] == 1 and counts["findings"] == 1 and counts["submission_files"] == 1
    with store.session() as s:
        row = s.scalars(select(FindingRow)).one()
        assert row.code == "PROVIDER_NOT_ON_LIST" and row.severity == "error"
    [item] = store.recheck_items()
    stored = store.stored_submission(item.id)
    assert stored is not None and stored.application == app and item.application == app
    assert item.files == {"invoice_01.pdf": doc.id} and item.last_result_id == rid
    compact = stored.files["invoice_01.pdf"].document
    assert compact is not None and compact.fields == make_document().fields
    assert compact.pages[0].lines == [] and compact.pages[0].width == 1654
    assert stored.last_fingerprint == item.last_fingerprint == result_fingerprint(result)
    assert store.stored_submission(item.id + 1) is None


def test_crashed_run_is_resumed_and_finished_run_is_not(store: Store) -> None:
    first = store.start_run("batch", "/data")
    assert store.start_run("batch", "/data").id == first.id
    store.finish_run(first.id, {"done": 3})
    fresh = store.start_run("batch", "/data")
    assert fresh.id != first.id
    info = store.get_run(first.id)
    assert info is not None and info.status == "finished" and info.counts == {"done": 3}


def test_a_failing_write_leaves_the_previous_state(store: Store) -> None:
    run = store.start_run("batch", "/data")
    store.record_result(run.id, "/data/s1", make_result("/data/s1"), {})
    other = store.start_run("recheck", None)
    before = store.table_counts()

    def half_then_fail(s) -> None:
        s.add(ResultRow(batch_id=other.id, submission_id=1, status="pass", fingerprint="f", result={}))
        s.flush()
        raise RuntimeError("crash mid-write")

    with pytest.raises(RuntimeError):
        store.write(half_then_fail)
    assert store.table_counts() == before


def test_integrity_violation_is_not_retried_as_transient(store: Store) -> None:
    run = store.start_run("batch", "/data")
    store.record_result(run.id, "/data/s1", make_result("/data/s1"), {})

    def duplicate(s) -> None:
        s.execute(
            text(
                "INSERT INTO submissions (path, clauses, created_at, updated_at) "
                "VALUES ('/data/s1', '[]', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
            )
        )

    with pytest.raises(IntegrityError):
        store.write(duplicate, attempts=2)
    with pytest.raises(StoreError):
        store.write(lambda s: s.execute(text("SELECT * FROM no_such_table")), attempts=2)


def test_stored_submission_reports_the_latest_result(store: Store) -> None:
    first = store.start_run("batch", "/data")
    store.record_result(first.id, "/data/s1", make_result("/data/s1", version="2"), {})
    store.finish_run(first.id, {})
    second = store.start_run("recheck", None)
    newer = make_result("/data/s1", status="pass", codes=(), version="3")
    store.record_result(second.id, "/data/s1", newer, {})
    [item] = store.recheck_items()
    only = store.stored_submission(item.id)
    assert only is not None and only.last_result == newer
    assert item.last_status == "pass" and item.last_list_versions == {"cloud_providers": "3"}
    assert [r.status for _, r in store.result_history("/data/s1")] == ["flagged", "pass"]


def test_upgrade_from_first_migration_fills_the_check_view_and_invoice_keys(tmp_path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    upgrade(engine, "0001")
    full = make_document().model_dump(mode="json", context={"full": True})
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO documents (sha256, engine, extractor_version, doc_type, page_count, extraction, "
                "created_at) VALUES ('a', 'e', 'x', 'invoice', 1, :data, CURRENT_TIMESTAMP)"
            ),
            {"data": json.dumps(full)},
        )
    engine.dispose()
    opened = open_store(Settings(home=tmp_path / "h", db_url=f"sqlite:///{tmp_path / 'old.db'}"))
    assert current_revision(opened.engine) == HEAD
    cached = opened.get_document(DocumentKey("a", "e", "x"))
    assert cached is not None and cached.document == make_document()
    with opened.engine.connect() as conn:
        checkable = json.loads(conn.execute(text("SELECT checkable FROM documents")).scalar_one())
        invoice_key = conn.execute(text("SELECT invoice_key FROM documents")).scalar_one()
    assert checkable["pages"][0]["lines"] == [] and checkable["fields"] == full["fields"]
    assert invoice_key == "24112000000012345678"
    opened.close()


def test_results_with_documents_load_back(store: Store) -> None:
    run = store.start_run("verify", None)
    result = make_result("/data/s9").model_copy(update={"documents": [make_document()]})
    store.record_result(run.id, "/data/s9", result, {})
    [loaded] = store.completed_submissions(run.id).values()
    assert loaded.documents[0].fields == make_document().fields
    assert loaded.documents[0].pages[0].lines == []
    assert loaded.model_dump(mode="json")["documents"][0]["pages"] == 1
