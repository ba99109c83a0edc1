"""One submission: its findings with page evidence, its documents' pages, and the decisions on it.

The acting reviewer always comes from the session (``current_user``), never from the form, so
one reviewer cannot act in another's name. Page images are looked up by their stored id only.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import FileResponse, Response

from review.context import app_state, current_user, flash, redirect, render, require_admin
from review.correction import RecheckError, recheck_submission
from review.figures import build_figure, page_boxes
from review.labels import DOC_TYPE_LABELS, FINAL_LABELS, SEVERITY_LABELS, STATUS_LABELS, VERDICT_LABELS, code_label
from review.pages import PageUnavailableError, rendered_page
from review.presenters import audit_rows, document_rows, field_rows, submission_view
from review.progress import progress
from review.verdicts import acknowledged_ids, audit_summary, ids_text, open_errors, verdict_change
from store import ReviewError, Store, SubmissionDetail

router = APIRouter()
IMAGE_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".webp": "image/webp"}
Text = Annotated[str, Form(max_length=2000)]


def load_detail(store: Store, submission_id: int) -> SubmissionDetail:
    detail = store.submission_detail(submission_id)
    if detail is None:
        raise HTTPException(404, "申报不存在。")
    return detail


def reviewer_names(store: Store) -> dict[int, str]:
    return {r.id: r.display_name or r.username for r in store.list_reviewers()}


@router.get("/submissions/{submission_id}")
def submission_page(request: Request, submission_id: int) -> Response:
    return _submission_page(request, submission_id)


def _submission_page(
    request: Request, submission_id: int, *, confirm_approve: list[dict[str, Any]] | None = None, comment: str = ""
) -> Response:
    store = app_state(request).store
    detail = load_detail(store, submission_id)
    sub = submission_view(detail, reviewer_names(store), store.settings.home)
    context = {
        "sub": sub,
        "progress": progress(store, submission_id),
        "anchors": {"final", "findings", *(f"finding-{f['id']}" for g in sub["groups"] for f in g["findings"])},
        "audit": audit_rows(detail.audit),
        "verdict_labels": VERDICT_LABELS,
        "sev_labels": SEVERITY_LABELS,
        "change": verdict_change(store, detail),
        "confirm_approve": confirm_approve,
        "confirm_ids": ids_text(confirm_approve or []),
        "confirm_comment": comment,
    }
    return render(request, "submission.html", context, status_code=409 if confirm_approve else 200)


@router.get("/submissions/{submission_id}/files/{document_id}/pages/{page}")
def document_page(request: Request, submission_id: int, document_id: int, page: int) -> Response:
    """Any page of any document of the submission, with every extracted field's box on it."""
    detail = load_detail(app_state(request).store, submission_id)
    name = next((n for n, i in sorted(detail.document_ids.items()) if i == document_id), None)
    if name is None:
        raise HTTPException(404, "该申报中没有此文件。")
    doc = detail.documents.get(name)
    fields = [f for f in field_rows(doc, name, document_id) if f["page"] == page] if doc is not None else []
    boxes = page_boxes(doc, document_id, page) if doc is not None else []
    figure = build_figure(detail, name, page, boxes)
    if figure is None:
        raise HTTPException(404, "页面不存在。")
    figure["page_url"] = None  # already on the page
    lines = next((p.lines for p in doc.pages if p.number == page), []) if doc is not None else []
    row = next(r for r in document_rows(detail) if r["name"] == name)
    context = {
        "sub_id": submission_id,
        "doc": {**row, "type_label": DOC_TYPE_LABELS.get(doc.doc_type, "") if doc else row["type_label"]},
        "fig": figure,
        "fields": fields,
        "page_text": "\n".join(line.text for line in lines),
    }
    return render(request, "page.html", context)


@router.get("/page-images/{image_id}")
def page_image(request: Request, image_id: int) -> Response:
    """Serve a stored page image by id, and only if the stored path really lies under EVIDENCE_HOME."""
    state = app_state(request)
    info = state.store.page_image(image_id)
    if info is None:
        raise HTTPException(404, "页面图像不存在。")
    home = state.settings.home.resolve()
    path = Path(info.path).resolve()
    media = IMAGE_TYPES.get(path.suffix.lower())
    if media is None or not path.is_relative_to(home) or not path.is_file():
        raise HTTPException(404, "页面图像不存在。")
    return FileResponse(path, media_type=media or mimetypes.guess_type(path.name)[0])


@router.get("/submissions/{submission_id}/files/{document_id}/pages/{page}/image")
def rendered_page_image(request: Request, submission_id: int, document_id: int, page: int) -> Response:
    """A page the store kept no image of, rendered from the original file found through the store."""
    state = app_state(request)
    detail = load_detail(state.store, submission_id)
    name = next((n for n, i in sorted(detail.document_ids.items()) if i == document_id), None)
    doc = detail.documents.get(name) if name is not None else None
    if name is None or doc is None:
        raise HTTPException(404, "该申报中没有此文件。")
    kept = next((i for i in detail.pages.get(name, []) if i.page == page), None)
    if kept is not None:
        return page_image(request, kept.id)
    try:
        path = rendered_page(state.settings, detail.path, name, doc, page)
    except PageUnavailableError as exc:
        raise HTTPException(404, str(exc)) from exc
    return FileResponse(path, media_type="image/png")


@router.post("/submissions/{submission_id}/findings/{finding_id}/confirm")
def confirm_finding(request: Request, submission_id: int, finding_id: int, comment: Text = "") -> Response:
    return _decide(request, submission_id, "confirm", finding_id=finding_id, comment=comment, ok="已确认该问题。")


@router.post("/submissions/{submission_id}/findings/{finding_id}/dismiss")
def dismiss_finding(request: Request, submission_id: int, finding_id: int, reason: Text = "") -> Response:
    if not reason.strip():
        flash(request, "error", "排除问题必须填写理由。", at=f"finding-{finding_id}")
        return redirect(f"/submissions/{submission_id}#finding-{finding_id}")
    return _decide(request, submission_id, "dismiss", finding_id=finding_id, comment=reason, ok="已排除该问题。")


@router.post("/submissions/{submission_id}/final")
def final_decision(
    request: Request, submission_id: int, kind: Text = "", comment: Text = "", acknowledged: Text = ""
) -> Response:
    if kind not in FINAL_LABELS:
        flash(request, "error", "请选择审核结论。")
        return redirect(f"/submissions/{submission_id}")
    if kind in ("reject", "return") and not comment.strip():
        flash(request, "error", "驳回或退回时必须填写审核意见。")
        return redirect(f"/submissions/{submission_id}")
    if kind == "approve":
        store = app_state(request).store
        errors = open_errors(load_detail(store, submission_id), reviewer_names(store))
        if errors and acknowledged_ids(acknowledged) != {e["id"] for e in errors}:
            return _submission_page(request, submission_id, confirm_approve=errors, comment=comment)
        if errors:
            user = current_user(request)
            store.append_audit(
                "approve_over_errors",
                reviewer_id=user.id,
                submission_id=submission_id,
                target=f"submission:{submission_id}",
                after=audit_summary(errors),
            )
    if not _record(request, submission_id, kind, None, comment, at="final"):
        return redirect(f"/submissions/{submission_id}#final")
    return _go_on(request, submission_id, f"已提交结论：{FINAL_LABELS[kind]}。")


@router.post("/submissions/{submission_id}/archive")
def archive_submission(request: Request, submission_id: int, reason: Text = "") -> Response:
    """An admin takes a mistaken entry (not a real submission, stored twice) out of the queue; audited."""
    require_admin(request)
    if not reason.strip():
        flash(request, "error", "归档必须填写理由。", at="final")
        return redirect(f"/submissions/{submission_id}#final")
    if not _record(request, submission_id, "archive", None, reason, at="final"):
        return redirect(f"/submissions/{submission_id}#final")
    return _go_on(request, submission_id, "已归档该申报。")


def _go_on(request: Request, submission_id: int, done: str) -> Response:
    """After a final decision the next pending submission opens, saying what was done and what is left."""
    after = progress(app_state(request).store, submission_id)
    if after.next_id is None:
        flash(request, "ok", f"{done}待审队列已全部处理完毕。")
        return redirect("/")
    flash(request, "ok", f"{done}已转到下一份待审申报（还剩 {after.pending} 份）。")
    return redirect(f"/submissions/{after.next_id}")


def _record(request: Request, submission_id: int, kind: str, finding_id: int | None, comment: str, *, at: str) -> bool:
    """Store one decision; a refusal is flashed beside ``at`` and reported as False."""
    store = app_state(request).store
    load_detail(store, submission_id)
    try:
        store.record_decision(
            current_user(request).id, submission_id, kind, finding_id=finding_id, comment=comment.strip() or None
        )
    except ReviewError as exc:
        flash(request, "error", str(exc), at=at)
        return False
    return True


def _decide(request: Request, submission_id: int, kind: str, *, finding_id: int, comment: str, ok: str) -> Response:
    at = f"finding-{finding_id}"
    if _record(request, submission_id, kind, finding_id, comment, at=at):
        flash(request, "ok", ok, at=at)
    return redirect(f"/submissions/{submission_id}#{at}")


@router.post("/submissions/{submission_id}/findings/bulk")
def decide_repeated(
    request: Request, submission_id: int, *, kind: Text = "", code: Text = "", ids: Text = "", reason: Text = ""
) -> Response:
    """One decision for every open finding of a code repeated on several documents (each audited)."""
    detail = load_detail(app_state(request).store, submission_id)
    wanted = acknowledged_ids(ids)
    targets = [f.id for f in detail.findings if f.code == code and f.id in wanted]
    if kind not in ("confirm", "dismiss") or not targets or len(targets) != len(wanted):
        raise HTTPException(400, "批量处理的问题已变化，请刷新页面后重试。")
    if kind == "dismiss" and not reason.strip():
        flash(request, "error", "排除问题必须填写理由。", at="findings")
        return redirect(f"/submissions/{submission_id}#findings")
    done = [fid for fid in targets if _record(request, submission_id, kind, fid, reason, at="findings")]
    verb = "确认" if kind == "confirm" else "排除"
    if done:
        flash(request, "ok", f"已一并{verb} {len(done)} 个「{code_label(code)}」问题。", at="findings")
    return redirect(f"/submissions/{submission_id}#findings")


@router.post("/submissions/{submission_id}/corrections")
def correct_field(
    request: Request,
    submission_id: int,
    *,
    file_name: Annotated[str, Form(max_length=500)],
    field: Annotated[str, Form(max_length=64)],
    value: Annotated[str, Form(max_length=500)],
    reason: Text = "",
    page: Annotated[int, Form(ge=0, le=100_000)] = 0,
) -> Response:
    """Store the corrected (or missing) value, re-run the checks on the corrected documents, show the new result."""
    state = app_state(request)
    user = current_user(request)
    detail = load_detail(state.store, submission_id)
    doc = detail.documents.get(file_name)
    missing = detail.result is not None and any(
        f.code.value == "MISSING_FIELD" and file_name in f.documents and field in f.fields
        for f in detail.result.findings
    )
    if doc is None or (field not in doc.fields and not missing):
        raise HTTPException(404, "该申报中没有此文件或字段。")
    if missing and not 1 <= page <= max(len(doc.pages), 1):
        return _after_correction(request, submission_id, "error", "请选择该值所在的页。")
    if not reason.strip():
        return _after_correction(request, submission_id, "error", "更正字段必须填写理由。")
    new_value: Any = value.strip()
    try:
        state.store.correct_field(
            user.id, submission_id, file_name, field, new_value, reason=reason.strip(), page=page if missing else None
        )
        before = detail.result
        after = recheck_submission(state.store, submission_id, user.id)
    except (ReviewError, RecheckError) as exc:
        return _after_correction(request, submission_id, "error", str(exc))
    was = STATUS_LABELS.get(before.status, before.status) if before is not None else "—"
    now = STATUS_LABELS.get(after.status, after.status)
    return _after_correction(
        request, submission_id, "ok", f"已更正并重新核验：{was} → {now}，现有 {len(after.findings)} 个问题。"
    )


def _after_correction(request: Request, submission_id: int, kind: str, message: str) -> Response:
    """A correction re-checks the submission and its findings are new: the page opens at the
    findings, with the outcome (or the refusal) said above them, where the reviewer was working."""
    flash(request, kind, message, at="findings")
    return redirect(f"/submissions/{submission_id}#findings")
