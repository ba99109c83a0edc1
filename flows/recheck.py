"""Recheck: stored extractions against the current lists and policies, no file reading, no OCR.

Every submission gets a new result beside its old one (a run of kind ``recheck``); the report
names the submissions whose status or findings changed and why, e.g. "「某云公司」 was added to
cloud_providers v3", found with ``matchers.reference.diff_versions``.
"""

from __future__ import annotations

import multiprocessing
import os
import time
from collections.abc import Callable, Mapping
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from flows.explain import explain
from flows.memo import policy_kit
from flows.work import holders, invoice_index, others_for, store_for
from models import Application, Document, Result
from models.settings import Settings
from store import Store, StoredSubmission, result_fingerprint
from store.review_queries import apply_correction


@dataclass(frozen=True)
class Change:
    submission: str
    old_status: str | None
    new_status: str
    added: list[str]
    removed: list[str]
    reasons: list[str]
    result_id: int

    def as_dict(self) -> dict[str, Any]:
        return {
            "submission": self.submission,
            "old_status": self.old_status,
            "new_status": self.new_status,
            "findings_added": self.added,
            "findings_removed": self.removed,
            "reasons": self.reasons,
        }


@dataclass
class RecheckReport:
    run_id: int
    checked: int = 0
    skipped: int = 0
    changes: list[Change] = field(default_factory=list)
    list_versions: dict[str, dict[str, str]] = field(default_factory=dict)
    seconds: float = 0.0
    results: list[Result] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """What ``evidence recheck --format json`` prints and the recheck flow returns."""
        return {
            "run_id": self.run_id,
            "checked": self.checked,
            "skipped": self.skipped,
            "list_versions": self.list_versions,
            "seconds": round(self.seconds, 3),
            "changed": [c.as_dict() for c in self.changes],
        }

    @property
    def counts(self) -> dict[str, int]:
        out = {"submissions": self.checked, "changed": len(self.changes), "skipped": self.skipped}
        for result in self.results:
            out[result.status] = out.get(result.status, 0) + 1
        return out


def _older_or_equal(used: Mapping[str, str], since: str) -> bool:
    from matchers.reference import version_key

    return any(version_key(str(v)) <= version_key(since) for v in used.values())


Job = tuple[str, dict[str, Any], list[Document], list[tuple[str, str]], dict[str, str]]
PARALLEL_MIN = 1500
CHUNK = 500


def evaluate_chunk(jobs: list[Job]) -> list[Result]:
    """Evaluate submissions with this process's memoised policy kits (runs in pool workers too)."""
    from checks.evaluate import evaluate_submission

    out = []
    for path, application_data, documents, unreadable, other_invoices in jobs:
        application = Application.model_validate(application_data)
        kit = policy_kit(application.policy)
        out.append(
            evaluate_submission(
                application,
                documents,
                unreadable,
                policy=kit.policy,
                matching=kit.matching,
                other_invoices=other_invoices,
                submission=path,
            )
        )
    return out


def _evaluate_all(jobs: list[Job], progress: Callable[[int, int], None] | None) -> list[Result]:
    """In this process for small rechecks; across one process per core for large ones (the checks
    are CPU-bound Python, so threads would not help)."""
    workers = min(os.cpu_count() or 1, 8)
    chunks = [jobs[i : i + CHUNK] for i in range(0, len(jobs), CHUNK)] or [[]]
    results: list[Result] = []
    if len(jobs) < PARALLEL_MIN or workers < 2:
        for chunk in chunks:
            results += evaluate_chunk(chunk)
            if progress is not None:
                progress(len(results), len(jobs))
        return results
    context = multiprocessing.get_context("forkserver")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        for part in pool.map(evaluate_chunk, chunks):
            results += part
            if progress is not None:
                progress(len(results), len(jobs))
    return results


def recheck(
    settings: Settings | None = None,
    *,
    since: str | None = None,
    progress: Callable[[int, int], None] | None = None,
    store: Store | None = None,
) -> RecheckReport:
    """Re-evaluate stored submissions (those last checked against list version ``since`` or older,
    when given) and store every new result in one recheck run."""
    started = time.perf_counter()
    settings = settings or Settings.from_env()
    store = store or store_for(settings)
    stored = store.stored_submissions()
    corrections = store.all_corrections()
    index = invoice_index(
        (sub.path, name, c.document) for sub in stored for name, c in sub.files.items() if c.document is not None
    )
    held = holders(index)
    run = store.start_run("recheck", None, resume=False)
    report = RecheckReport(run.id)
    selected = [
        s
        for s in stored
        if since is None or (s.last_result is not None and _older_or_equal(s.last_result.list_versions, since))
    ]
    chosen: list[StoredSubmission] = []
    jobs: list[Job] = []
    for sub in selected:
        if sub.application is None:
            report.skipped += 1
            continue
        documents, unreadable = _documents(sub, corrections.get(sub.id, []))
        chosen.append(sub)
        jobs.append(
            (sub.path, sub.application, documents, unreadable, others_for(held, sub.path, index.get(sub.path, {})))
        )
    batch = list(zip(chosen, _evaluate_all(jobs, progress), strict=True))
    kits = {
        a: policy_kit(a)
        for a in sorted(
            {str(sub.application["policy"]) for sub in chosen if sub.application and sub.application.get("policy")}
        )
    }
    report.list_versions = {name: dict(kit.matching.versions) for name, kit in kits.items()}
    ids = store.record_results(
        run.id, [(sub.path, result, {n: c.id for n, c in sub.files.items()}) for sub, result in batch]
    )
    for (sub, result), result_id in zip(batch, ids, strict=True):
        report.checked += 1
        report.results.append(result)
        if sub.last_fingerprint == result_fingerprint(result):
            continue
        report.changes.append(_change(sub, result, result_id, sub.files))
    report.seconds = time.perf_counter() - started
    store.finish_run(run.id, report.counts)
    return report


def _documents(sub: StoredSubmission, corrections: list[Any]) -> tuple[list[Document], list[tuple[str, str]]]:
    docs: dict[str, Document] = {}
    unreadable: list[tuple[str, str]] = []
    for name, cached in sorted(sub.files.items()):
        if cached.document is None:
            unreadable.append((name, cached.read_error or "无法读取"))
        else:
            docs[name] = cached.document.model_copy(update={"path": name})
    for corr in corrections:
        apply_correction(docs, corr.file_name, corr.field, corr.new_value)
    return list(docs.values()), unreadable


def _change(sub: StoredSubmission, result: Result, result_id: int, files: Mapping[str, Any]) -> Change:
    old = sub.last_result
    old_codes = sorted(str(f.code) for f in old.findings) if old else []
    new_codes = sorted(str(f.code) for f in result.findings)
    added = [c for c in new_codes if c not in old_codes]
    removed = [c for c in old_codes if c not in new_codes]
    docs = {n: c.document for n, c in files.items() if c.document is not None}
    return Change(
        sub.path, old.status if old else None, result.status, added, removed, explain(old, result, docs), result_id
    )
