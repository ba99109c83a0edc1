"""``evidence verify SUBMISSION_DIR...``: verify submissions, print docs/REFERENCE.md §5 results, write reports."""

from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Protocol

import click

from evidence_cli.common import format_option, print_json, print_table
from evidence_cli.progress_bar import BarProgress, NoProgress, for_terminal
from models.result import Result


class Verifier(Protocol):
    def __call__(self, directory: Path, *, other_invoices: Mapping[str, str] | None = None) -> Result: ...


def run_verify(
    directories: Sequence[Path],
    *,
    verifier: Verifier | None = None,
    out_dir: Path | None = None,
    known_invoices: Mapping[str, str] | None = None,
    progress: BarProgress | NoProgress | None = None,
) -> list[Result]:
    """The command's core: one Result per folder, in order; reports written if asked.

    By default the folders go through the ``verify-batch`` flow (``flows.verify.run_verify``:
    Prefect when a server is configured, the same steps in-process otherwise; duplicates are
    checked against the store). A ``verifier`` runs folder by folder instead, with invoices of
    earlier folders (and ``known_invoices``, key → submission) counting as another submission.
    """
    if verifier is None:
        from flows.verify import run_verify as run_flow
        from models.settings import Settings

        results = run_flow([Path(d) for d in directories], settings=Settings.from_env(), progress=progress)
    else:
        results = _each(directories, verifier, known_invoices or {})
    if out_dir is not None:
        from pipeline.report import write_reports

        write_reports(results, out_dir)
    return results


def _each(directories: Sequence[Path], verifier: Verifier, known: Mapping[str, str]) -> list[Result]:
    from matchers.reconcile import reuse_key_of

    seen: dict[str, str] = dict(known)
    results = []
    for directory in directories:
        result = verifier(Path(directory), other_invoices=dict(seen))
        results.append(result)
        for doc in result.documents:
            key = reuse_key_of(doc)
            if key is not None:
                seen.setdefault(key, result.submission)
    return results


def not_submissions(directories: Sequence[Path]) -> list[Path]:
    """Folders that hold no application.yaml: a mistaken path, refused before anything is stored."""
    return [d for d in directories if not (Path(d) / "application.yaml").exists()]


def exit_code(results: Sequence[Result]) -> int:
    """2 when a submission could not be processed (bad input), 1 when something was flagged, else 0."""
    if any(r.status == "error" for r in results):
        return 2
    return 1 if any(r.status == "flagged" for r in results) else 0


def print_results(results: Sequence[Result], output_format: str) -> None:
    """JSON as the contract says, or two tables in Chinese with every text cleaned for a terminal."""
    if output_format == "json":
        print_json([r.model_dump(mode="json") for r in results])
        return
    from pipeline.report import award_text
    from review.exports import clean_text
    from review.labels import SEVERITY_LABELS, code_label, status_label

    print_table(
        "核验结果",
        ["申报材料", "申报单位", "状态", "奖励（万元）", "问题数"],
        [
            [
                clean_text(r.submission),
                clean_text(r.applicant.name if r.applicant else ""),
                status_label(r.status),
                award_text(r),
                len(r.findings),
            ]
            for r in results
        ],
    )
    rows = [
        [
            clean_text(r.submission),
            SEVERITY_LABELS.get(f.severity, f.severity),
            code_label(f.code.value),
            clean_text(f.message),
        ]
        for r in results
        for f in r.findings
    ]
    if rows:
        print_table("问题", ["申报材料", "级别", "问题", "说明"], rows)


@click.command("verify")
@click.argument(
    "submission_dirs", nargs=-1, required=True, type=click.Path(exists=True, file_okay=False, path_type=Path)
)
@format_option
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="在此目录写出 results.json、results.xlsx 和每个申报一份 HTML 报告",
)
@click.option("--no-cache", "no_cache", is_flag=True, help="重新读取每个文件，不沿用已入库的读取结果")
def verify(submission_dirs: tuple[Path, ...], output_format: str, out_dir: Path | None, no_cache: bool) -> None:
    """核验申报材料：每个 SUBMISSION_DIR 含 application.yaml 和发票、合同、证书、投资明细表。

    退出码：0 全部通过，1 有问题，2 用法错误或 application.yaml 无法使用。
    没有 application.yaml 的目录不是申报材料，整条命令拒绝执行，不入库任何内容。
    已读取过的文件（任何命令读取的）从库中取用，除非指定 --no-cache。
    """
    refused = not_submissions(submission_dirs)
    if refused:
        from review.exports import clean_text

        names = "、".join(clean_text(str(d)) for d in refused)
        click.echo(f"evidence: error: 不是申报材料目录（没有 application.yaml），未做任何处理：{names}", err=True)
        sys.exit(2)
    if no_cache:
        from flows.reuse import refresh_folder
        from models.settings import Settings

        settings = Settings.from_env()
        for directory in submission_dirs:
            refresh_folder(directory, settings)
    from rich.console import Console

    with for_terminal(Console(stderr=True)) as bar:
        results = run_verify(submission_dirs, out_dir=out_dir, progress=bar)
    print_results(results, output_format)
    for r in results:
        if r.status == "error":
            from review.exports import clean_text

            click.echo(f"evidence: error: {clean_text(str(r.error)).replace(chr(10), ' ')}", err=True)
    sys.exit(exit_code(results))
