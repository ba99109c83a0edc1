"""``evidence eval [CORPUS_DIR]``: run the product over a sample corpus and print the accuracy report."""

from __future__ import annotations

import json
from pathlib import Path

import click

from evidence_cli.common import EvidenceCliError, format_option

DEFAULT_CORPUS = Path(__file__).resolve().parent.parent / "sample_docs" / "corpus"


@click.command("eval")
@click.argument("corpus_dir", required=False, type=click.Path(path_type=Path))
@click.option("--only", multiple=True, help="only submissions whose name contains this (repeatable)")
@click.option("--max-misses", default=200, show_default=True, help="how many misses to list")
@format_option
def eval_corpus(corpus_dir: Path | None, only: tuple[str, ...], max_misses: int, output_format: str) -> None:
    """Score extraction, findings and awards against the corpus truth (truth.json per submission)."""
    from sample_docs.evaluate import ProductUnavailableError, run_corpus
    from sample_docs.report import as_dict, print_report
    from sample_docs.scoring import score

    root = corpus_dir or DEFAULT_CORPUS
    if not root.is_dir():
        raise EvidenceCliError(f"{root}: 样本目录不存在")

    def progress(name: str, seconds: float) -> None:
        click.echo(f"{name}: {seconds:.1f} s", err=True)

    try:
        pairs = run_corpus(root, only=list(only) or None, progress=progress)
    except ProductUnavailableError as exc:
        raise EvidenceCliError(str(exc)) from exc
    except FileNotFoundError as exc:
        raise EvidenceCliError(f"{root}: 没有带 truth.json 的申报样本 ({exc})") from exc
    report = score(pairs)
    if output_format == "json":
        click.echo(json.dumps(as_dict(report), ensure_ascii=False, indent=2))
    else:
        print_report(report, max_misses=max_misses)
