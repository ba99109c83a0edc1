"""Reviewer management, for the ``admin`` role only."""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import Response

from review.context import app_state, flash, redirect, render, require_admin
from review.presenters import audit_rows
from review.security import hash_password
from store import ReviewError

router = APIRouter()
USERNAME = re.compile(r"[A-Za-z0-9_.\-]{1,64}")
MIN_PASSWORD = 8
ACCOUNT_ACTIONS = ("reviewer_created", "reviewer_updated", "login", "login_failed", "logout")


def valid_username(name: str) -> bool:
    return USERNAME.fullmatch(name) is not None


@router.get("/admin/reviewers")
def reviewers_page(request: Request) -> Response:
    require_admin(request)
    store = app_state(request).store
    reviewers = [
        {"id": r.id, "username": r.username, "display_name": r.display_name, "role": r.role, "active": r.active}
        for r in store.list_reviewers()
    ]
    audit = [e for e in store.audit_log(submission_id=None, limit=100_000) if e.action in ACCOUNT_ACTIONS][-200:]
    return render(request, "reviewers.html", {"reviewers": reviewers, "audit": audit_rows(audit)})


@router.post("/admin/reviewers")
def add_reviewer(
    request: Request,
    username: Annotated[str, Form(max_length=64)],
    password: Annotated[str, Form(max_length=1024)],
    display_name: Annotated[str, Form(max_length=100)] = "",
    admin: Annotated[str, Form(max_length=8)] = "",
) -> Response:
    user = require_admin(request)
    name = username.strip()
    if not valid_username(name):
        flash(request, "error", "用户名只能包含字母、数字、下划线、点和连字符。")
    elif len(password) < MIN_PASSWORD:
        flash(request, "error", f"密码至少 {MIN_PASSWORD} 位。")
    else:
        try:
            app_state(request).store.create_reviewer(
                name,
                hash_password(password),
                role="admin" if admin else "reviewer",
                display_name=display_name.strip() or None,
                created_by=user.id,
            )
            flash(request, "ok", f"已添加审核员 {name}。")
        except ReviewError as exc:
            flash(request, "error", str(exc))
    return redirect("/admin/reviewers")


@router.post("/admin/reviewers/{reviewer_id}/password")
def reset_password(
    request: Request, reviewer_id: int, password: Annotated[str, Form(max_length=1024)] = ""
) -> Response:
    """An admin sets a new password; the reviewer's other sessions end (audited as reviewer_updated)."""
    user = require_admin(request)
    state = app_state(request)
    target = state.store.get_reviewer(reviewer_id=reviewer_id)
    if target is None:
        raise HTTPException(404, "审核员不存在。")
    if len(password) < MIN_PASSWORD:
        flash(request, "error", f"密码至少 {MIN_PASSWORD} 位。")
        return redirect("/admin/reviewers")
    state.store.update_reviewer(reviewer_id, by=user.id, password_hash=hash_password(password))
    if target.id != user.id:
        state.sessions.drop_reviewer(reviewer_id)
    flash(request, "ok", f"已重设审核员 {target.username} 的密码。")
    return redirect("/admin/reviewers")


@router.post("/admin/reviewers/{reviewer_id}/{action}")
def toggle_reviewer(request: Request, reviewer_id: int, action: str) -> Response:
    user = require_admin(request)
    if action not in ("disable", "enable"):
        raise HTTPException(404)
    state = app_state(request)
    target = state.store.get_reviewer(reviewer_id=reviewer_id)
    if target is None:
        raise HTTPException(404, "审核员不存在。")
    if target.id == user.id:
        flash(request, "error", "不能停用自己的账户。")
        return redirect("/admin/reviewers")
    state.store.update_reviewer(reviewer_id, by=user.id, active=action == "enable")
    if action == "disable":
        state.sessions.drop_reviewer(reviewer_id)
    flash(request, "ok", f"已{'启用' if action == 'enable' else '停用'}审核员 {target.username}。")
    return redirect("/admin/reviewers")
