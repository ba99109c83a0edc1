"""Progress on stderr for the long commands: files read, submissions checked, time left.

``batch`` always shows it; ``verify`` and ``extract`` only on a terminal, so a script reading their
stderr still gets nothing but its error lines.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from evidence_cli.common import one_line
from models import Result

NOTE_WIDTH = 40


def _bar(console: Console) -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(bar_width=20),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("剩余"),
        TimeRemainingColumn(),
        TextColumn("{task.fields[note]}"),
        console=console,
        transient=False,
    )


def _short(name: str) -> str:
    text = one_line(Path(name).name)
    return text if len(text) <= NOTE_WIDTH else "…" + text[-(NOTE_WIDTH - 1) :]


class BarProgress:
    """A batch's progress (``flows.batch.Progress``): documents read, then submissions with their verdicts."""

    def __init__(self, console: Console) -> None:
        self._bar = _bar(console)
        self._docs: Any = None
        self._subs: Any = None
        self._counts = {"pass": 0, "flagged": 0, "error": 0}

    def __enter__(self) -> BarProgress:
        self._bar.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._bar.stop()

    def begin(self, submissions: int, documents: int, reused: int) -> None:
        self._docs = self._bar.add_task("识别文件", total=documents, completed=reused, note=f"复用缓存 {reused}")
        self._subs = self._bar.add_task("核验申报", total=submissions, note="")

    def document_done(self, done: Any) -> None:
        self._bar.update(self._docs, advance=1, note=f"已读 {_short(str(getattr(done, 'name', '')))}")

    def submission_done(self, result: Result) -> None:
        self._counts[result.status] = self._counts.get(result.status, 0) + 1
        c = self._counts
        self._bar.update(
            self._subs, advance=1, note=f"通过 {c['pass']} · 有问题 {c['flagged']} · 无法处理 {c['error']}"
        )


class NoProgress:
    """The same calls, drawing nothing (stderr is not a terminal)."""

    def __enter__(self) -> NoProgress:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def begin(self, submissions: int, documents: int, reused: int) -> None:
        return None

    def document_done(self, done: Any) -> None:
        return None

    def submission_done(self, result: Result) -> None:
        return None


def for_terminal(console: Console) -> BarProgress | NoProgress:
    return BarProgress(console) if console.is_terminal else NoProgress()


@contextmanager
def reading(files: Sequence[Path], console: Console) -> Iterator[Iterator[Path]]:
    """Iterate ``files`` while a bar names the one being read, with counts and time left."""
    if not console.is_terminal:
        yield iter(files)
        return
    with _bar(console) as bar:
        task = bar.add_task("读取文件", total=len(files), note="")

        def each() -> Iterator[Path]:
            for path in files:
                bar.update(task, note=f"正在读取 {_short(str(path))}")
                yield path
                bar.advance(task)
            bar.update(task, note="完成")

        yield each()
