"""``evidence verify SUBMISSION_DIR...``: verify submissions, print CONTRACT §5 results, write reports."""

from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Protocol

import click

from evidence_cli.common import format_option, print_json, print_table
from models.result import Result


class Verifier(Protocol):
    def __call__(self, directory: Path, *, other_invoices: Mapping[str, str] | None = None) -> Result: ...


def run_verify(
    directories: Sequence[Path],
    *,
    verifier: Verifier | None = None,
    out_dir: Path | None = None,
    known_invoices: Mapping[str, str] | None = None,
) -> list[Result]:
    """The command's core: one Result per folder, in order; reports written if asked.

    By default the folders go through the ``verify-batch`` flow (``flows.verify.run_verify``:
    Prefect when a server is configured, the same steps in-process otherwise; duplicates are
    checked against the store). A ``verifier`` runs folder by folder instead, with invoices of
    earlier folders (and ``known_invoices``, key → submission) counting as another submission.
    """
    if verifier is None:
        from flows.verify import run_verify as run_flow

        results = run_flow([Path(d) for d in directories])
    else:
        results = _each(directories, verifier, known_invoices or {})
    if out_dir is not None:
        from pipeline.report import write_reports

        write_reports(results, out_dir)
    return results


def _each(directories: Sequence[Path], verifier: Verifier, known: Mapping[str, str]) -> list[Result]:
    from matchers.reconcile import invoice_key

    seen: dict[str, str] = dict(known)
    results = []
    for directory in directories:
        result = verifier(Path(directory), other_invoices=dict(seen))
        results.append(result)
        for doc in result.documents:
            key = invoice_key(doc) if doc.doc_type == "invoice" else None
            if key is not None:
                seen.setdefault(str(key), result.submission)
    return results


def exit_code(results: Sequence[Result]) -> int:
    """2 when a submission could not be processed (bad input), 1 when something was flagged, else 0."""
    if any(r.status == "error" for r in results):
        return 2
    return 1 if any(r.status == "flagged" for r in results) else 0


def print_results(results: Sequence[Result], output_format: str) -> None:
    if output_format == "json":
        print_json([r.model_dump(mode="json") for r in results])
        return
    from pipeline.report import STATUS_LABELS, award_text

    print_table(
        "核验结果",
        ["申报材料", "申报单位", "状态", "奖励（万元）", "问题数"],
        [
            [
                r.submission,
                r.applicant.name if r.applicant else "",
                STATUS_LABELS.get(r.status, r.status),
                award_text(r),
                len(r.findings),
            ]
            for r in results
        ],
    )
    rows = [[r.submission, f.severity, f.code.value, f.message] for r in results for f in r.findings]
    if rows:
        print_table("问题", ["申报材料", "级别", "代码", "说明"], rows)


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
    help="write results.json, results.xlsx and one HTML report per submission here",
)
@click.option("--no-cache", "no_cache", is_flag=True, help="read every file afresh instead of reusing a stored reading")
def verify(submission_dirs: tuple[Path, ...], output_format: str, out_dir: Path | None, no_cache: bool) -> None:
    """核验申报材料：每个 SUBMISSION_DIR 含 application.yaml 和发票、合同、证书、投资明细表。

    Exit status: 0 all passed, 1 something was flagged, 2 bad usage or an unusable application.yaml.
    Files already read (by any command) are taken from the store unless ``--no-cache``.
    """
    if no_cache:
        from flows.reuse import refresh_folder
        from models.settings import Settings

        settings = Settings.from_env()
        for directory in submission_dirs:
            refresh_folder(directory, settings)
    results = run_verify(submission_dirs, out_dir=out_dir)
    print_results(results, output_format)
    for r in results:
        if r.status == "error":
            click.echo(f"evidence: error: {r.error}", err=True)
    sys.exit(exit_code(results))
