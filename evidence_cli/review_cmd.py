"""``evidence review`` serves the reviewers' web UI; ``evidence reviewer`` manages their accounts."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click

from evidence_cli.common import EvidenceCliError
from models.settings import Settings

MIN_PASSWORD = 8
ROLE_TEXT = {"admin": "管理员", "reviewer": "审核员"}


@click.command("review")
@click.option("--host", default="127.0.0.1", help="监听地址（默认 127.0.0.1）")
@click.option("--port", default=8000, type=click.IntRange(1, 65535), help="监听端口（默认 8000）")
def review(host: str, port: int) -> None:
    """启动审核员使用的网页审核界面。"""
    import uvicorn

    from review.app import create_app
    from store import StoreError

    try:
        app = create_app()
    except StoreError as exc:
        raise EvidenceCliError(str(exc)) from exc
    if not port_free(host, port):
        raise EvidenceCliError(f"端口 {host}:{port} 已被占用，请用 --port 指定其他端口")
    click.echo(f"审核界面：http://{host}:{port}/  (Ctrl+C 结束)", err=True)
    uvicorn.run(app, host=host, port=port, log_level="warning", proxy_headers=False)


def port_free(host: str, port: int) -> bool:
    """Whether the address can be bound now, asked before saying "serving" (uvicorn says it after)."""
    import socket

    try:
        with socket.create_server((host, port), reuse_port=False):
            return True
    except OSError:
        return False


@click.group("reviewer")
def reviewer() -> None:
    """管理审核员账户。"""


@reviewer.command("add")
@click.argument("name")
@click.option("--admin", is_flag=True, help="管理员：可以管理其他审核员")
@click.option("--display-name", default=None, help="界面和审核日志中显示的姓名")
@click.password_option("--password", prompt="密码", confirmation_prompt="再次输入密码", help="不指定时提示输入")
def add(name: str, admin: bool, display_name: str | None, password: str) -> None:
    """新增审核员 NAME；密码以 argon2 散列保存。"""
    from review.routes_admin import valid_username
    from review.security import hash_password
    from store import ReviewError, StoreError, open_store

    if not valid_username(name):
        raise EvidenceCliError(f"审核员用户名无效：{name!r}（只可使用字母、数字、_ . -）")
    if len(password) < MIN_PASSWORD:
        raise EvidenceCliError(f"密码太短：至少 {MIN_PASSWORD} 个字符")
    try:
        store = open_store(Settings.from_env())
        try:
            info = store.create_reviewer(
                name, hash_password(password), role="admin" if admin else "reviewer", display_name=display_name
            )
        finally:
            store.close()
    except (ReviewError, StoreError) as exc:
        raise EvidenceCliError(str(exc)) from exc
    role = "管理员" if info.role == "admin" else "审核员"
    click.echo(f"已新增{role} {info.username}（编号 {info.id}）")


@reviewer.command("list")
def list_reviewers() -> None:
    """列出审核员账户。"""
    from evidence_cli.common import print_table
    from store import open_store

    store = open_store(Settings.from_env())
    try:
        rows = [
            (r.id, r.username, r.display_name or "", ROLE_TEXT.get(r.role, r.role), "启用" if r.active else "停用")
            for r in store.list_reviewers()
        ]
    finally:
        store.close()
    print_table("审核员", ["编号", "用户名", "姓名", "角色", "状态"], rows)


def _account(name: str, change: Callable[[Any, int], str]) -> None:
    """Find reviewer NAME and apply ``change(store, id)``; its message is printed (audited as 系统)."""
    from store import ReviewError, StoreError, open_store

    try:
        store = open_store(Settings.from_env())
        try:
            found = store.get_reviewer(username=name)
            if found is None:
                raise EvidenceCliError(f"没有审核员 {name}（evidence reviewer list 列出全部）")
            click.echo(change(store, found.id))
        finally:
            store.close()
    except (ReviewError, StoreError) as exc:
        raise EvidenceCliError(str(exc)) from exc


@reviewer.command("passwd")
@click.argument("name")
@click.password_option("--password", prompt="新密码", confirmation_prompt="再次输入新密码", help="不指定时提示输入")
def passwd(name: str, password: str) -> None:
    """重设审核员 NAME 的密码（已登录的会话保持到退出或过期；要立即结束，请先停用该账户）。"""
    from review.security import hash_password

    if len(password) < MIN_PASSWORD:
        raise EvidenceCliError(f"密码太短：至少 {MIN_PASSWORD} 个字符")

    def change(store: Any, reviewer_id: int) -> str:
        store.update_reviewer(reviewer_id, by=0, password_hash=hash_password(password))
        return f"已重设审核员 {name} 的密码"

    _account(name, change)


def _set_active(name: str, active: bool) -> None:
    def change(store: Any, reviewer_id: int) -> str:
        store.update_reviewer(reviewer_id, by=0, active=active)
        return f"已{'启用' if active else '停用'}审核员 {name}"

    _account(name, change)


@reviewer.command("disable")
@click.argument("name")
def disable(name: str) -> None:
    """停用审核员 NAME：不能再登录，已登录的会话在下一次操作时失效。"""
    _set_active(name, active=False)


@reviewer.command("enable")
@click.argument("name")
def enable(name: str) -> None:
    """重新启用审核员 NAME。"""
    _set_active(name, active=True)
