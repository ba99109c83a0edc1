"""``evidence review`` serves the reviewers' web UI; ``evidence reviewer`` manages their accounts."""

from __future__ import annotations

import click

from evidence_cli.common import EvidenceCliError

MIN_PASSWORD = 8


@click.command("review")
@click.option("--host", default="127.0.0.1", show_default=True, help="address to listen on")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535), help="port to listen on")
def review(host: str, port: int) -> None:
    """Serve the reviewers' web interface (审核界面)."""
    import uvicorn

    from review.app import create_app
    from store import StoreError

    try:
        app = create_app()
    except StoreError as exc:
        raise EvidenceCliError(str(exc)) from exc
    click.echo(f"审核界面：http://{host}:{port}/  (Ctrl+C 结束)", err=True)
    uvicorn.run(app, host=host, port=port, log_level="warning", proxy_headers=False)


@click.group("reviewer")
def reviewer() -> None:
    """Manage reviewer accounts (审核员账户)."""


@reviewer.command("add")
@click.argument("name")
@click.option("--admin", is_flag=True, help="may manage other reviewers")
@click.option("--display-name", default=None, help="name shown in the UI and the audit log")
@click.password_option("--password", prompt="密码 (password)", confirmation_prompt=True, help="prompted if omitted")
def add(name: str, admin: bool, display_name: str | None, password: str) -> None:
    """Create reviewer NAME; the password is prompted and stored as an argon2 hash."""
    from review.routes_admin import valid_username
    from review.security import hash_password
    from store import ReviewError, StoreError, open_store

    if not valid_username(name):
        raise EvidenceCliError(f"invalid reviewer name {name!r}: use letters, digits, '_', '.', '-'")
    if len(password) < MIN_PASSWORD:
        raise EvidenceCliError(f"password too short: at least {MIN_PASSWORD} characters")
    try:
        store = open_store()
        try:
            info = store.create_reviewer(name, hash_password(password), role="admin" if admin else "reviewer",
                                         display_name=display_name)
        finally:
            store.close()
    except (ReviewError, StoreError) as exc:
        raise EvidenceCliError(str(exc)) from exc
    click.echo(f"added {info.role} {info.username} (id {info.id})")


@reviewer.command("list")
def list_reviewers() -> None:
    """Show reviewer accounts."""
    from evidence_cli.common import print_table
    from store import open_store

    store = open_store()
    try:
        rows = [
            (r.id, r.username, r.display_name or "", r.role, "yes" if r.active else "no")
            for r in store.list_reviewers()
        ]
    finally:
        store.close()
    print_table("reviewers", ["id", "name", "display name", "role", "active"], rows)
