"""Entry point of the ``evidence`` console script.

Subcommands live in their own modules and are imported only when used, so ``evidence match``
does not pay for loading OCR models or Prefect.
"""

from __future__ import annotations

import importlib
import sys

import click

from evidence_cli.click_errors import usage_message
from evidence_cli.common import EvidenceCliError, home_preflight, one_line, unexpected_error, unwritable_home
from models.errors import EvidenceError

_COMMANDS: dict[str, tuple[str, str]] = {
    "extract": ("evidence_cli.extract_cmd", "extract"),
    "match": ("evidence_cli.match_cmd", "match"),
    "lists": ("evidence_cli.lists_cmd", "lists"),
    "verify": ("evidence_cli.verify_cmd", "verify"),
    "batch": ("evidence_cli.batch_cmd", "batch"),
    "recheck": ("evidence_cli.batch_cmd", "recheck"),
    "deploy": ("evidence_cli.batch_cmd", "deploy"),
    "eval": ("evidence_cli.eval_cmd", "eval_corpus"),
    "review": ("evidence_cli.review_cmd", "review"),
    "reviewer": ("evidence_cli.review_cmd", "reviewer"),
}


HELP_TEXT = "显示此帮助并退出。"


def chinese_help(command: click.Command, ctx: click.Context) -> None:
    """click's own ``--help`` option describes itself in English; ours, and our subcommands', in Chinese."""
    option = command.get_help_option(ctx)
    if option is not None:
        option.help = HELP_TEXT
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            chinese_help(sub, ctx)


class LazyGroup(click.Group):
    """A click group whose subcommands are imported on first use."""

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = HELP_TEXT
        return option

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(_COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = _COMMANDS.get(cmd_name)
        if target is None:
            return None
        module_name, attr = target
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name == module_name:
                return None
            raise
        command = getattr(module, attr)
        assert isinstance(command, click.Command)
        chinese_help(command, ctx)
        return command


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="evidence", help="显示版本号并退出。")
def cli() -> None:
    """evidence：数字经济奖补申报材料核验。"""


def main() -> None:
    """Run the CLI; every error becomes a one-line message and exit status 2, never a traceback on the terminal."""
    blocked = home_preflight(next((a for a in sys.argv[1:] if not a.startswith("-")), None))
    if blocked is not None:
        click.echo(f"evidence: error: {blocked}", err=True)
        sys.exit(2)
    try:
        code = cli.main(standalone_mode=False)
    except EvidenceError as exc:  # expected: its reason, or why EVIDENCE_HOME cannot be written
        click.echo(f"evidence: error: {unwritable_home(exc) or one_line(exc)}", err=True)
        sys.exit(exc.exit_code if isinstance(exc, EvidenceCliError) else 2)
    except click.exceptions.Abort:
        click.echo("evidence: aborted", err=True)
        sys.exit(2)
    except click.ClickException as exc:  # usage errors too: one line, not click's three
        click.echo(f"evidence: error: {one_line(usage_message(exc))}{_help_hint(exc)}", err=True)
        sys.exit(2)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as exc:  # a bug: one line here, the traceback in the log file
        click.echo(f"evidence: error: {unwritable_home(exc) or unexpected_error(exc)}", err=True)
        sys.exit(2)
    sys.exit(code if isinstance(code, int) else 0)


def _help_hint(exc: click.ClickException) -> str:
    if not isinstance(exc, click.UsageError) or exc.ctx is None:
        return ""
    names: list[str] = []
    ctx: click.Context | None = exc.ctx
    while ctx is not None and ctx.parent is not None:  # the root's name is however Python was started
        names.insert(0, ctx.info_name or "")
        ctx = ctx.parent
    return f"（用法见 {' '.join(['evidence', *names])} --help）"


if __name__ == "__main__":
    main()
