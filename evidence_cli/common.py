"""What every subcommand shares: the ``--format`` option and the way errors end a command."""

from __future__ import annotations

import json
import logging
import os
import sys
import tempfile
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import click
from rich.console import Console
from rich.table import Table

from models.errors import EvidenceError
from models.file_names import distinct_utf8

F = TypeVar("F", bound=Callable[..., Any])


class EvidenceCliError(EvidenceError):
    """A user-facing error: printed on one line, exit status ``exit_code`` (2 by default)."""

    def __init__(self, message: str, exit_code: int = 2) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def format_option(func: F) -> F:
    """``--format json|table`` (table by default), as docs/REFERENCE.md §1 says of every command."""
    return click.option(
        "--format",
        "output_format",
        type=click.Choice(["json", "table"]),
        default="table",
        help="json 供程序读取，table 供人阅读（默认 table）",
    )(func)


def print_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


def print_table(title: str | None, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    table = Table(title=title, show_lines=False)
    for column in columns:
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(*("" if cell is None else str(cell) for cell in row))
    Console(soft_wrap=False).print(table)


def shown_path(path: str, base: Path | None = None) -> str:
    """``path`` relative to ``base`` (the working folder by default) when it lies under it, else as given."""
    try:
        relative = Path(path).resolve().relative_to((base or Path.cwd()).resolve())
    except (ValueError, OSError):
        return one_line(path)
    return one_line(relative.as_posix() or ".")


def one_line(text: object) -> str:
    """``text`` fit for one terminal line: control characters (newline, ESC, BEL …) and bytes that
    are not UTF-8 written as escapes, so a hostile file name can neither split the line nor drive
    the terminal."""
    raw = distinct_utf8(str(text))
    return "".join(ch if ch.isprintable() or ch == " " else ascii(ch)[1:-1] for ch in raw)


def unwritable_home(exc: BaseException) -> str | None:
    """A one-line reason naming EVIDENCE_HOME when ``exc`` came from it not being writable, else None."""
    from store import StoreError

    if not isinstance(exc, OSError | StoreError):
        return None
    from models.settings import Settings

    home = Settings.from_env().home
    if _writable(home):
        return None
    return f"EVIDENCE_HOME 目录不可写：{one_line(home)}（请检查权限或设置 EVIDENCE_HOME 为可写目录）"


def _writable(home: Path) -> bool:
    """Whether a file can be created in ``home`` (or ``home`` created) and what is already there
    (database, log folder and file) can be written: tried, not guessed from modes."""
    target = home
    while not target.exists() and target != target.parent:
        target = target.parent
    try:
        with tempfile.TemporaryFile(dir=target):
            pass
        logs = home / "logs"
        if logs.is_dir():
            with tempfile.TemporaryFile(dir=logs):
                pass
    except OSError:
        return False
    existing = [p for p in (home / "evidence.db", logs / "evidence-flows.log") if p.is_file()]
    return all(_opens_for_write(path) for path in existing)


def home_preflight(command: str | None) -> str | None:
    """For a command that writes under EVIDENCE_HOME: the one-line reason it cannot, else None."""
    if command not in HOME_COMMANDS:
        return None
    from models.settings import Settings

    settings = Settings.from_env()
    if settings.db_url or _writable(settings.home):
        return None
    return f"EVIDENCE_HOME 目录不可写：{one_line(settings.home)}（请检查权限或设置 EVIDENCE_HOME 为可写目录）"


HOME_COMMANDS = frozenset({"batch", "verify", "recheck", "review", "reviewer", "deploy"})


def unexpected_error(exc: BaseException) -> str:
    """The one line for a bug that reached the CLI edge; its traceback goes to the log file (the
    batch's, under EVIDENCE_HOME), or to stderr when that cannot be written, so it is never lost."""
    logged = _log_traceback(exc)
    where = f"详细信息已记录到 {one_line(logged)}" if logged else "详细信息见上方"
    return f"内部错误（{type(exc).__name__}: {one_line(str(exc)[:200])}），{where}"


def _log_traceback(exc: BaseException) -> Path | None:
    from flows.runtime import LOG_NAME
    from models.settings import Settings

    path = Settings.from_env().home / "logs" / LOG_NAME
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY | os.O_APPEND, 0o600))
        handler = logging.FileHandler(path, encoding="utf-8")
    except OSError:
        traceback.print_exception(exc, file=sys.stderr)
        return None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    log = logging.getLogger("evidence_cli.unexpected")
    log.propagate = False  # the root logger may write to the same file (a batch's quiet_logging)
    log.addHandler(handler)
    try:
        log.error("unexpected error in %s", " ".join(sys.argv[1:2]) or "evidence", exc_info=exc)
    finally:
        log.removeHandler(handler)
        handler.close()
    return path


def _opens_for_write(path: Path) -> bool:
    try:
        os.close(os.open(path, os.O_WRONLY))
    except OSError:
        return False
    return True
