"""The steps of a verification run as plain functions (no Prefect): plan, extract, evaluate, persist.

Why here and not in the core: these steps are about caching and persistence (the store), which
the core must not know. They hold no rules: reading is ``extractors.process.process_file``,
verdicts are ``pipeline.submission.evaluate_matched``'s.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flows.extraction import read_claimed
from flows.keys import document_key, refused_key
from flows.records import DocOutcome, FilePlan, SubmissionPlan, outcome
from matchers.reconcile import CERTIFICATE_KEY_PREFIX
from models import Application, Document, Result
from models.file_names import distinct_utf8
from models.settings import Settings
from store import CachedDocument, DocumentKey, Store, open_store

log = logging.getLogger(__name__)
APPLICATION_FILE = "application.yaml"


_stores: dict[str, Store] = {}


def store_for(settings: Settings) -> Store:
    """One store per process and database (Dask workers open theirs on first use)."""
    ident = settings.db_url or str(settings.home)
    found = _stores.get(ident)
    if found is None:
        found = _stores[ident] = open_store(settings)
    return found


def close_stores() -> None:
    """Dispose of this process's store connections (tests, and before a database is dropped)."""
    while _stores:
        _stores.popitem()[1].close()


def discover(root: Path) -> list[Path]:
    """Submission folders under ``root``: ``root`` itself if it holds an application.yaml, else every
    folder below that does, plus direct sub-folders without one (they become error results)."""
    root = Path(root)
    if (root / APPLICATION_FILE).is_file():
        return [root]
    found = {p.parent for p in root.rglob(APPLICATION_FILE) if p.is_file() and not _hidden(p, root)}
    for child in root.iterdir():
        if child.is_dir() and not child.name.startswith(".") and not any(_inside(f, child) for f in found):
            found.add(child)
    return sorted(found)


def _hidden(path: Path, root: Path) -> bool:
    return any(part.startswith(".") for part in path.relative_to(root).parts)


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def plan_submission(directory: Path, settings: Settings) -> SubmissionPlan:
    """Load application.yaml and hash every document file (hashing is cheap; reading is not)."""
    from pipeline.submission import ApplicationError, load_application, relative_name, scan_folder

    directory = Path(directory)
    application: dict[str, Any] | None = None
    error: str | None = None
    try:
        application = load_application(directory).model_dump(mode="json")
    except ApplicationError as exc:
        error = shown_path(str(exc))
    where = shown_path(str(directory))
    if not directory.is_dir():
        return SubmissionPlan(where, None, error or f"{where}: 申报文件夹不存在或不是目录")
    paths, refused = scan_folder(directory)
    files: list[FilePlan] = []
    for path in paths:
        name = relative_name(path, directory)
        try:
            files.append(FilePlan(name, str(path), document_key(path, settings)))
        except OSError as exc:
            reason = "没有读取该文件的权限" if isinstance(exc, PermissionError) else "文件无法打开"
            files.append(FilePlan(name, str(path), None, reason))
    files += [FilePlan(name, "", refused_key(name, reason), reason) for name, reason in refused]
    return SubmissionPlan(where, application, error, files)


def shown_path(text: str) -> str:
    """A path as stored and shown: bytes that are not UTF-8 (a GBK folder name) written as ``\\xb7``,
    so the store can hold it and two such folders stay distinct; UTF-8 paths are unchanged."""
    return distinct_utf8(text)


def extract(settings: Settings, file: FilePlan) -> DocOutcome:
    """Read and extract one file unless the store already has it; store what was computed at once,
    so a crash after this point never costs the extraction again. The reading itself is claimed
    (no other process reads it meanwhile) and isolated in a limited child (``flows.extraction``)."""
    store = store_for(settings)
    assert file.key is not None
    cached = store.get_document(file.key)
    if cached is not None:
        return outcome(file.name, cached, computed=False)
    if file.problem is not None:  # refused by the scan: nothing to read
        return outcome(file.name, store.put_document(file.key, None, read_error=file.problem), computed=True)
    return read_claimed(settings, store, file)


def cached_outcomes(store: Store, plans: Iterable[SubmissionPlan]) -> dict[DocumentKey, CachedDocument]:
    """One query for every file of the batch that is already extracted."""
    keys = {f.key for p in plans for f in p.files if f.key is not None}
    return store.find_documents(keys)


@dataclass(frozen=True)
class Evaluation:
    """A verdict and the list answers it depended on (``flows.dependencies``; None: never reuse it)."""

    result: Result
    dependencies: dict[str, Any] | None


def evaluate_planned(
    settings: Settings,
    plan: SubmissionPlan,
    files: Mapping[str, int],
    unreadable: list[tuple[str, str]],
    other_invoices: Mapping[str, str],
) -> Evaluation:
    """The checks' verdict on a planned submission, from its stored extractions (check view)."""
    from pipeline.submission import error_result

    if plan.application is None:
        return Evaluation(error_result(Path(plan.path), plan.application_error or "application.yaml 无法读取"), None)
    store = store_for(settings)
    docs = store.load_documents(files.values())
    documents = [docs[doc_id].model_copy(update={"path": name}) for name, doc_id in files.items() if doc_id in docs]
    return evaluate_recorded(plan.path, plan.application, documents, unreadable, other_invoices, home=settings.home)


def evaluate_recorded(
    path: str,
    application_data: Mapping[str, Any],
    documents: list[Document],
    unreadable: list[tuple[str, str]],
    other_invoices: Mapping[str, str],
    *,
    home: Path,
) -> Evaluation:
    """The verdict with the list answers it used, against this process's memoised policy kit for
    ``home``'s lists (batch tasks and recheck pool workers alike); a rule that fails on one
    submission gives that one an error verdict, never the rest of the run."""
    from checks.evaluate import Evidence
    from flows.dependencies import recording
    from flows.memo import policy_kit
    from pipeline.submission import error_result, evaluate_matched

    try:
        application = Application.model_validate(application_data)
        kit = policy_kit(application.policy, home)
        matching = recording(kit.matching)
        evidence = Evidence(application, documents, unreadable, other_invoices, path)
        result = evaluate_matched(evidence, policy=kit.policy, matching=matching)
        return Evaluation(result, matching.recorder.as_json())
    except Exception as exc:  # a bug in a rule must not sink the other submissions of the run
        log.exception("checks failed on a submission")
        reason = f"核验时发生内部错误（{type(exc).__name__}），已记录日志，请联系管理员"
        return Evaluation(error_result(Path(path), reason), None)


def invoice_index(keys: Iterable[tuple[str, str, str]]) -> dict[str, dict[str, str]]:
    """``submission → {invoice key → file}`` from (submission, file, key) rows, for the
    cross-submission duplicate check."""
    index: dict[str, dict[str, str]] = {}
    for path, name, key in keys:
        index.setdefault(path, {})[key] = name
    return index


def holders(index: Mapping[str, Mapping[str, str]]) -> dict[str, list[str]]:
    """``invoice key → submissions holding it`` (sorted), built once per run."""
    out: dict[str, list[str]] = {}
    for path in sorted(index):
        for key in index[path]:
            out.setdefault(key, []).append(path)
    return out


def others_for(holder_map: Mapping[str, list[str]], path: str, own: Iterable[str]) -> dict[str, str]:
    """The ``other_invoices`` the duplicate check looks up for this submission's own invoice keys
    (an invoice's full key and bare number, a certificate's key): the first other submission holding each."""
    out: dict[str, str] = {}
    for key in own:
        bare = () if key.startswith(CERTIFICATE_KEY_PREFIX) else (key.rsplit("-", 1)[-1],)
        for probe in (key, *bare):
            holder = next((h for h in holder_map.get(probe, ()) if h != path), None)
            if holder is not None:
                out.setdefault(probe, holder)
    return out
