"""Progress for the long commands: on a terminal it names the file being read, counts and says the
time left; off a terminal (pipes, scripts) ``verify`` and ``extract`` draw nothing on stderr."""

from __future__ import annotations

import io
from pathlib import Path
from types import SimpleNamespace

from rich.console import Console

from evidence_cli.progress_bar import BarProgress, for_terminal, reading
from models import Result


def _console(terminal: bool) -> tuple[Console, io.StringIO]:
    out = io.StringIO()
    return Console(file=out, force_terminal=terminal, width=140, color_system=None), out


def test_reading_names_each_file_and_counts_on_a_terminal() -> None:
    console, out = _console(terminal=True)
    files = [Path("a/发票_01.pdf"), Path("a/上云服务合同.pdf")]
    seen = []
    with reading(files, console) as todo:
        for path in todo:
            seen.append(path)
    assert seen == files
    text = out.getvalue()
    assert "读取文件" in text and "2/2" in text and "剩余" in text and "完成" in text


def test_batch_bar_shows_the_last_file_read_and_the_verdicts() -> None:
    console, out = _console(terminal=True)
    with BarProgress(console) as bar:
        bar.begin(submissions=1, documents=2, reused=1)
        bar.document_done(SimpleNamespace(name="/data/sub/发票_01.pdf"))
        bar.submission_done(Result.model_validate({"submission": "sub", "status": "flagged"}))
    text = out.getvalue()
    assert "已读 发票_01.pdf" in text and "2/2" in text and "有问题 1" in text


def test_off_a_terminal_nothing_is_drawn() -> None:
    console, out = _console(terminal=False)
    with reading([Path("x.pdf")], console) as todo:
        assert list(todo) == [Path("x.pdf")]
    with for_terminal(console) as bar:
        bar.begin(submissions=1, documents=1, reused=0)
        bar.document_done(SimpleNamespace(name="x.pdf"))
    assert out.getvalue() == ""
