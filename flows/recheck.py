"""Recheck: stored extractions against the current lists and policies, no file reading, no OCR.

Every submission gets a new result beside its old one (a run of kind ``recheck``); the report
names the submissions whose status or findings changed and why, e.g. 「某云公司」已加入云服务商名单
（第3版）, found with ``matchers.reference.diff_versions``.

A verdict whose inputs are unchanged and whose list answers are all the same under the current
list versions is re-confirmed without evaluating it again (``flows.dependencies``); only the rest
load their extractions and go through the checks.
"""

from __future__ import annotations

import functools
import logging
import multiprocessing
import os
import time
from collections import Counter
from collections.abc import Callable, Mapping
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flows.dependencies import Revalidator, inputs_key
from flows.explain import explain
from flows.memo import PolicyKit, policy_kit
from flows.work import Evaluation, evaluate_recorded, holders, invoice_index, others_for, store_for
from models import Document, Result
from models.settings import Settings
from store import RecheckItem, Store, result_fingerprint
from store.review_queries import apply_correction

log = logging.getLogger(__name__)


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
    reused: int = 0
    changes: list[Change] = field(default_factory=list)
    list_versions: dict[str, dict[str, str]] = field(default_factory=dict)
    seconds: float = 0.0
    statuses: Counter[str] = field(default_factory=Counter)

    def as_dict(self) -> dict[str, Any]:
        """What ``evidence recheck --format json`` prints and the recheck flow returns."""
        return {
            "run_id": self.run_id,
            "checked": self.checked,
            "skipped": self.skipped,
            "reused": self.reused,
            "list_versions": self.list_versions,
            "seconds": round(self.seconds, 3),
            "changed": [c.as_dict() for c in self.changes],
        }

    @property
    def counts(self) -> dict[str, int]:
        out = {"submissions": self.checked, "changed": len(self.changes), "skipped": self.skipped}
        out["reused"] = self.reused
        out.update(self.statuses)
        return out


def _older_or_equal(used: Mapping[str, str], since: str) -> bool:
    from matchers.reference import version_key

    return any(version_key(str(v)) <= version_key(since) for v in used.values())


Job = tuple[str, dict[str, Any], list[Document], list[tuple[str, str]], dict[str, str]]
PARALLEL_MIN = 1500
CHUNK = 500
SLICE = 5000


def evaluate_chunk(home: Path, jobs: list[Job]) -> list[Evaluation]:
    """Evaluate submissions against ``home``'s lists (runs in pool workers too)."""
    return [evaluate_recorded(*job, home=home) for job in jobs]


def _evaluate_all(
    home: Path, jobs: list[Job], progress: Callable[[int, int], None] | None, done: int, total: int
) -> list[Evaluation]:
    """In this process for small rechecks; across one process per core for large ones (the checks
    are CPU-bound Python, so threads would not help)."""
    workers = min(os.cpu_count() or 1, 8)
    chunks = [jobs[i : i + CHUNK] for i in range(0, len(jobs), CHUNK)]
    results: list[Evaluation] = []
    if len(jobs) < PARALLEL_MIN or workers < 2:
        for chunk in chunks:
            results += evaluate_chunk(home, chunk)
            if progress is not None:
                progress(done + len(results), total)
        return results
    context = multiprocessing.get_context("forkserver")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        for part in pool.map(functools.partial(evaluate_chunk, home), chunks):
            results += part
            if progress is not None:
                progress(done + len(results), total)
    return results


class _Kits:
    """Policy kits and revalidators, built once per policy for the whole recheck."""

    def __init__(self, home: Path) -> None:
        self._home = home
        self._kits: dict[str, PolicyKit | None] = {}
        self._revalidators: dict[str, Revalidator] = {}

    def get(self, policy: str) -> PolicyKit | None:
        if policy not in self._kits:
            try:
                self._kits[policy] = policy_kit(policy, self._home)
            except Exception:  # an unknown or broken policy: the evaluation reports it per submission
                log.exception("policy %s cannot be loaded", policy)
                self._kits[policy] = None
        return self._kits[policy]

    def revalidator(self, policy: str, kit: PolicyKit) -> Revalidator:
        if policy not in self._revalidators:
            self._revalidators[policy] = Revalidator(kit.matching)
        return self._revalidators[policy]

    def versions(self) -> dict[str, dict[str, str]]:
        return {name: dict(kit.matching.versions) for name, kit in sorted(self._kits.items()) if kit is not None}


def recheck(
    settings: Settings,
    *,
    since: str | None = None,
    progress: Callable[[int, int], None] | None = None,
    store: Store | None = None,
) -> RecheckReport:
    """Re-evaluate stored submissions (those last checked against list version ``since`` or older,
    when given) and store every new result in one recheck run."""
    started = time.perf_counter()
    store = store or store_for(settings)
    items = store.recheck_items()
    corrections = store.all_corrections()
    index = invoice_index(store.reuse_keys())
    held = holders(index)
    run = store.start_run("recheck", None, resume=False)
    report = RecheckReport(run.id)
    kits = _Kits(settings.home)
    reuse: list[tuple[RecheckItem, dict[str, str]]] = []
    redo: list[tuple[RecheckItem, str, dict[str, str]]] = []
    for item in items:
        if since is not None and (item.last_result_id is None or not _older_or_equal(item.last_list_versions, since)):
            continue
        if item.application is None:
            report.skipped += 1
            continue
        policy = str(item.application.get("policy") or "")
        others = others_for(held, item.path, index.get(item.path, {}))
        applied = [c.id for c in corrections.get(item.id, [])]
        key = inputs_key(item.application, item.files, item.unreadable, others, applied)
        kit = kits.get(policy)
        if (
            kit is not None
            and item.last_inputs_key == key
            and kits.revalidator(policy, kit).unchanged(item.last_dependencies, item.last_list_versions)
        ):
            reuse.append((item, dict(kit.matching.versions)))
        else:
            redo.append((item, key, others))
    total = len(reuse) + len(redo)
    store.reuse_results(run.id, [(item.id, item.last_result_id or 0, versions) for item, versions in reuse])
    for item, _ in reuse:
        report.statuses[item.last_status or ""] += 1
    report.reused = report.checked = len(reuse)
    if progress is not None:
        progress(len(reuse), total)
    _redo(
        store,
        run.id,
        settings.home,
        redo=redo,
        corrections=corrections,
        report=report,
        progress=progress,
        total=total,
    )
    report.list_versions = kits.versions()
    report.seconds = time.perf_counter() - started
    store.finish_run(run.id, report.counts)
    return report


def _redo(
    store: Store,
    run_id: int,
    home: Path,
    *,
    redo: list[tuple[RecheckItem, str, dict[str, str]]],
    corrections: Mapping[int, list[Any]],
    report: RecheckReport,
    progress: Callable[[int, int], None] | None,
    total: int,
) -> None:
    """Evaluate (and store) the submissions whose verdict could have changed, in slices so that
    memory holds one slice's extractions at a time."""
    for start in range(0, len(redo), SLICE):
        part = redo[start : start + SLICE]
        docs = store.load_documents(doc_id for item, _, _ in part for doc_id in item.files.values())
        jobs: list[Job] = [
            (
                item.path,
                item.application or {},
                _documents(item, docs, corrections.get(item.id, [])),
                item.unreadable,
                o,
            )
            for item, _, o in part
        ]
        evaluations = _evaluate_all(home, jobs, progress, report.checked, total)
        ids = store.record_results(
            run_id,
            [
                (item.path, ev.result, key if ev.dependencies is not None else None, ev.dependencies)
                for (item, key, _), ev in zip(part, evaluations, strict=True)
            ],
        )
        old = store.light_results(item.last_result_id for item, _, _ in part if item.last_result_id is not None)
        for (item, _, _), ev, result_id in zip(part, evaluations, ids, strict=True):
            report.checked += 1
            report.statuses[ev.result.status] += 1
            if item.last_fingerprint == result_fingerprint(ev.result):
                continue
            previous = old.get(item.last_result_id) if item.last_result_id is not None else None
            named = {name: docs[doc_id] for name, doc_id in item.files.items() if doc_id in docs}
            report.changes.append(_change(item.path, previous, ev.result, result_id, named, home=home))


def _documents(item: RecheckItem, docs: Mapping[int, Document], corrections: list[Any]) -> list[Document]:
    named = {
        name: docs[doc_id].model_copy(update={"path": name})
        for name, doc_id in sorted(item.files.items())
        if doc_id in docs
    }
    for corr in corrections:
        apply_correction(named, corr.file_name, corr.field, corr.new_value)
    return list(named.values())


def _change(
    path: str, old: Result | None, result: Result, result_id: int, docs: Mapping[str, Document], *, home: Path
) -> Change:
    old_codes = sorted(str(f.code) for f in old.findings) if old else []
    new_codes = sorted(str(f.code) for f in result.findings)
    added = [c for c in new_codes if c not in old_codes]
    removed = [c for c in old_codes if c not in new_codes]
    reasons = explain(old, result, docs, home=home)
    return Change(path, old.status if old else None, result.status, added, removed, reasons, result_id)
