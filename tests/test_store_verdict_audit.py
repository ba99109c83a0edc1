"""A verdict changed by a run (batch, verify, recheck) is written to the audit log with what it was."""

from __future__ import annotations

from models.findings import FindingCode
from store import Store
from store.records import AuditEntry
from tests.test_store import make_result
from tests.test_store_fixtures import store, store_settings

__all__ = ["store", "store_settings"]

APP = {"applicant": {"name": "山西示例科技有限公司"}, "clauses": ["cloud"], "application_date": "2024-05-20"}


def _changes(store: Store) -> list[AuditEntry]:
    return [e for e in store.audit_log() if e.action == "verdict_changed"]


def test_a_recheck_that_changes_the_verdict_is_audited_with_its_cause(store: Store) -> None:
    first = store.start_run("batch", "/data")
    store.record_result(first.id, "/data/s1", make_result("/data/s1", status="pass", codes=()), {}, application=APP)
    store.record_result(first.id, "/data/s2", make_result("/data/s2"), {}, application=APP)
    assert _changes(store) == [], "a first verdict changes nothing"
    recheck = store.start_run("recheck", None)
    ids = store.record_results(
        recheck.id,
        [
            ("/data/s1", make_result("/data/s1", version="3"), None, None),
            ("/data/s2", make_result("/data/s2", version="3"), None, None),  # same verdict: no line
        ],
    )
    (entry,) = store.audit_log()
    sid = store.submission_id("/data/s1")
    assert entry.action == "verdict_changed" and entry.submission_id == sid and entry.actor == "system"
    assert entry.target == f"result:{ids[0]}"
    assert entry.before == {"status": "pass", "policy_version": "1", "list_versions": {"cloud_providers": "2"}}
    assert entry.after is not None
    assert entry.after["status"] == "flagged" and entry.after["run"] == "recheck"
    assert entry.after["list_versions"] == {"cloud_providers": "3"}
    assert entry.after["findings_added"] == [str(FindingCode.PROVIDER_NOT_ON_LIST)]
    assert entry.after["findings_removed"] == []


def test_a_single_result_that_changes_the_verdict_is_audited(store: Store) -> None:
    first = store.start_run("batch", "/data")
    store.record_result(first.id, "/data/s1", make_result("/data/s1"), {}, application=APP)
    again = store.start_run("verify", None)
    store.record_result(again.id, "/data/s1", make_result("/data/s1", status="pass", codes=()), {}, application=APP)
    (entry,) = _changes(store)
    assert entry.after is not None and entry.after["run"] == "verify" and entry.after["status"] == "pass"
    assert entry.after["findings_removed"] == [str(FindingCode.PROVIDER_NOT_ON_LIST)]
    assert entry.before is not None and entry.before["status"] == "flagged"


def test_a_reviewers_correction_is_not_audited_twice(store: Store) -> None:
    first = store.start_run("batch", "/data")
    store.record_result(first.id, "/data/s1", make_result("/data/s1"), {}, application=APP)
    review = store.start_run("review", None, resume=False)
    store.record_result(review.id, "/data/s1", make_result("/data/s1", status="pass", codes=()), {}, application=APP)
    assert _changes(store) == [], "review.correction writes the reviewer's own recheck line"
