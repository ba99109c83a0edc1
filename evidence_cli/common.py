"""What every subcommand shares: the ``--format`` option and the way errors end a command."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import click
from rich.console import Console
from rich.table import Table

F = TypeVar("F", bound=Callable[..., Any])


class EvidenceCliError(Exception):
    """A user-facing error: printed on one line, exit status ``exit_code`` (2 by default)."""

    def __init__(self, message: str, exit_code: int = 2) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def format_option(func: F) -> F:
    """``--format json|table`` (table by default), as CONTRACT.md §1 asks of every command."""
    return click.option(
        "--format",
        "output_format",
        type=click.Choice(["json", "table"]),
        default="table",
        show_default=True,
        help="json for scripts, table for people",
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
