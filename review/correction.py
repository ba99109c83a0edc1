"""Re-run the checks on one stored submission after a reviewer corrected a field.

No rule lives here: the stored extractions (with the reviewers' corrections applied by the store)
go through the checks engineer's pure ``pipeline.submission.evaluate_read``, and the new result is
stored as a run of kind ``review`` so the queue, history and recheck all see it.
"""

from __future__ import annotations

from models import Application, Document, Result
from models.errors import EvidenceError
from store import Store


class RecheckError(EvidenceError):
    """The submission cannot be re-evaluated (e.g. its application.yaml was never readable)."""


def other_invoices(store: Store, path: str, documents: list[Document]) -> dict[str, str]:
    """Other stored submissions holding these documents' invoices, looked up as batch and recheck do."""
    from flows.work import holders, invoice_index, others_for
    from matchers.reconcile import reuse_key_of

    index = invoice_index(row for row in store.reuse_keys() if row[0] != path)
    own = [key for key in (reuse_key_of(d) for d in documents) if key is not None]
    return others_for(holders(index), path, own)


def evaluate_documents(
    application: Application,
    documents: list[Document],
    unreadable: list[tuple[str, str]],
    *,
    submission: str,
    store: Store,
    list_versions: dict[str, str] | None = None,
) -> Result:
    """The checks' verdict on these documents, against the given list versions (current if None)."""
    from checks.policy import PolicyError, load_policy
    from pipeline.submission import evaluate_read, load_lists

    try:
        policy = load_policy(application.policy)
        lists = load_lists(policy, list_versions, home=store.settings.home)
    except (PolicyError, LookupError, OSError, ValueError) as exc:
        raise RecheckError(f"无法加载政策或名单：{exc}") from exc
    return evaluate_read(
        application,
        documents,
        unreadable,
        lists=lists,
        policy=policy,
        other_invoices=other_invoices(store, submission, documents),
        submission=submission,
    )


def recheck_submission(store: Store, submission_id: int, reviewer_id: int) -> Result:
    """Evaluate the corrected documents, store the result and audit the change of verdict."""
    current = store.stored_submission(submission_id)
    if current is None:
        raise RecheckError("申报不存在")
    if current.application is None:
        raise RecheckError(f"申报材料 application.yaml 无法读取，不能重新核验：{current.application_error or ''}")
    application = Application.model_validate(current.application)
    corrected = store.corrected_documents(submission_id)
    documents = [corrected[name] for name in sorted(corrected)]
    unreadable = [(name, c.read_error or "无法读取") for name, c in sorted(current.files.items()) if c.document is None]
    # same list versions as the result being corrected: the change shown is the correction's alone
    pinned = dict(current.last_result.list_versions) if current.last_result is not None else None
    result = evaluate_documents(
        application, documents, unreadable, submission=current.path, store=store, list_versions=pinned
    )
    run = store.start_run("review", None, resume=False)
    files = {name: cached.id for name, cached in current.files.items()}
    result_id = store.record_result(run.id, current.path, result, files, application=current.application)
    store.finish_run(run.id, {"submissions": 1, result.status: 1})
    before = current.last_result
    store.append_audit(
        "recheck",
        reviewer_id=reviewer_id,
        submission_id=submission_id,
        target=f"result:{result_id}",
        before=_summary(before) if before is not None else None,
        after=_summary(result),
    )
    return result


def _summary(result: Result) -> dict[str, object]:
    return {
        "status": result.status,
        "findings": [f.code.value for f in result.findings],
        "award_wan": result.award.amount_wan if result.award is not None else None,
    }
