"""Every ``--help`` a back-office user reads is Chinese: the summaries, the options' help and click's
own ``--help``/``--version`` lines (option names, metavars and named identifiers stay as typed); so
are click's usage errors, each one line naming the help to read."""

from __future__ import annotations

import re
from collections.abc import Iterator

import click
import pytest
from click.testing import CliRunner

from evidence_cli.main import cli, main

# words a user types or reads on a file as they are: formats, engines, tools, lists, variables
AS_TYPED = {
    "evidence", "json", "table", "application", "yaml", "results", "xlsx", "HTML", "Dask", "Prefect",
    "worker", "cron", "Ctrl", "rapidocr", "paddleocr", "argon2", "cloud_providers", "xinchuang_pilots",
    "corpus", "real", "heldout", "EVIDENCE_OCR_ENGINE", "PREFECT_API_URL", "SUBMISSION_DIR",
}  # fmt: skip
CLICK_FRAME = re.compile(
    r"^(Usage|Options|Commands):.*$|^  [a-z-]+(?=\s{2})|\[[^\]]*\]|--?[\w-]+|\b[A-Z][A-Z_]+\b", re.M
)
WORD = re.compile(r"[A-Za-z][A-Za-z0-9_]{3,}")


def _commands(group: click.Group, ctx: click.Context, path: list[str]) -> Iterator[list[str]]:
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        assert command is not None, name
        yield [*path, name]
        if isinstance(command, click.Group):
            yield from _commands(command, ctx, [*path, name])


def test_every_help_page_is_chinese() -> None:
    runner = CliRunner()
    ctx = click.Context(cli, help_option_names=["-h", "--help"])
    pages = [[], *_commands(cli, ctx, [])]
    assert len(pages) > 10
    for path in pages:
        result = runner.invoke(cli, [*path, "--help"])
        assert result.exit_code == 0, (path, result.output)
        assert "显示此帮助并退出" in result.output, path
        assert "default:" not in result.output and "required]" not in result.output, (path, result.output)
        english = [w for w in WORD.findall(CLICK_FRAME.sub(" ", result.output)) if w not in AS_TYPED]
        assert not english, (path, english)


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (["nosuch"], "没有命令 nosuch。（用法见 evidence --help）"),
        (["verify", "--bogus"], "没有选项 --bogus，是否想用 --out。（用法见 evidence verify --help）"),
        (["lists", "import"], "缺少参数 LIST。（用法见 evidence lists import --help）"),
        (["match", "--top", "x", "y"], "--top 的值无效：「x」不是整数。（用法见 evidence match --help）"),
        (["match", "--top", "500", "y"], "--top 的值无效：500 不在允许范围 1<=x<=100 内。"),
        (["extract", "--ocr-engine", "foo", "x"], "--ocr-engine 的值无效：「foo」不是可选值"),
        (["lists", "show", "--format"], "选项 --format 需要一个值。"),
    ],
)
def test_click_usage_errors_are_one_chinese_line(
    args: list[str], line: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("sys.argv", ["evidence", *args])
    with pytest.raises(SystemExit) as exit_:
        main()
    err = capsys.readouterr().err
    assert exit_.value.code == 2 and err.count("\n") == 1, err
    assert err.startswith("evidence: error: " + line), err
