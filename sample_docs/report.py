"""The accuracy report as tables for people and as a JSON object for scripts."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table

from sample_docs.identity import as_nested
from sample_docs.scoring import HIGH_CONFIDENCE, Report, Tally


def _pct(t: Tally) -> str:
    return f"{100 * t.rate:.1f}% ({t.correct}/{t.total})"


def _rates(tallies: dict[str, Tally]) -> dict[str, dict[str, float | int]]:
    return {k: {"accuracy": v.rate, "correct": v.correct, "total": v.total} for k, v in tallies.items()}


def as_dict(report: Report) -> dict[str, Any]:
    wrong, high = report.calibration
    totals = report.finding_totals()
    return {
        "field_accuracy": report.field_accuracy.rate,
        "fields": {"correct": report.field_accuracy.correct, "total": report.field_accuracy.total},
        "by_doc_type": _rates(report.tally_by("doc_type")),
        "by_source": _rates(report.tally_by("source")),
        "by_render": _rates(report.tally_by("render")),
        "by_doc_type_render": _rates(report.tally_by("doc_type_render")),
        "invoice_key_fields": _rates(report.key_invoice_fields()),
        "by_field": _rates(report.tally_by("field")),
        "classification": {"doc_type": report.doc_type.rate, "text_source": report.text_source.rate},
        "findings": {
            code: {"tp": s.tp, "fp": s.fp, "fn": s.fn, "precision": s.precision, "recall": s.recall}
            for code, s in sorted(report.codes.items())
        },
        "finding_precision": totals.precision,
        "finding_recall": totals.recall,
        "found_as_question": report.found_as_question,
        "false_errors_on_clean": report.false_errors_on_clean,
        "clean_submissions": report.clean_submissions,
        "identity_verdicts": as_nested(report.identity),
        "award_accuracy": report.award.rate,
        "award": {"correct": report.award.correct, "total": report.award.total},
        "status_accuracy": report.status.rate,
        "boxes": {"pure": report.boxes.correct, "judged": report.boxes.total, "misses": report.box_misses},
        "calibration": {
            "threshold": HIGH_CONFIDENCE,
            "wrong": wrong,
            "high_confidence_fields": high,
            "wrong_share": wrong / high if high else 0.0,
        },
        "misses": report.misses,
    }


def _table(console: Console, title: str, columns: list[str], rows: list[list[str]]) -> None:
    table = Table(title=title, title_justify="left")
    for c in columns:
        table.add_column(c, overflow="fold")
    for r in rows:
        table.add_row(*r)
    console.print(table)


def print_report(report: Report, console: Console | None = None, max_misses: int = 200) -> None:
    console = console or Console(soft_wrap=False)
    _table(console, "总体 (overall)", ["measure", "value"], _overall_rows(report))
    for title, column, tallies in _tallies(report):
        _table(console, title, [column, "accuracy"], [[k, _pct(v)] for k, v in tallies.items()])
    _table(
        console,
        "核查发现 (findings per code)",
        ["code", "tp", "fp", "fn", "precision", "recall"],
        [
            [code, str(s.tp), str(s.fp), str(s.fn), f"{100 * s.precision:.0f}%", f"{100 * s.recall:.0f}%"]
            for code, s in sorted(report.codes.items())
        ],
    )
    console.print(f"[bold]未命中 (misses): {len(report.misses)}[/bold]")
    for line in report.misses[:max_misses]:
        console.print("  " + line, markup=False, soft_wrap=True)
    if len(report.misses) > max_misses:
        console.print(f"  … {len(report.misses) - max_misses} more")


def _overall_rows(report: Report) -> list[list[str]]:
    wrong, high = report.calibration
    totals = report.finding_totals()
    return [
        ["field accuracy", _pct(report.field_accuracy)],
        ["doc_type classification", _pct(report.doc_type)],
        ["text_source", _pct(report.text_source)],
        ["finding precision", f"{100 * totals.precision:.1f}% (tp {totals.tp}, fp {totals.fp})"],
        ["finding recall", f"{100 * totals.recall:.1f}% (tp {totals.tp}, fn {totals.fn})"],
        ["of which asked, not accused", str(report.found_as_question)],
        ["false errors on clean submissions", f"{report.false_errors_on_clean} in {report.clean_submissions}"],
        ["award exact", _pct(report.award)],
        ["status", _pct(report.status)],
        [
            f"calibration: wrong among confidence ≥ {HIGH_CONFIDENCE}",
            f"{wrong}/{high}" + (f" ({100 * wrong / high:.2f}%)" if high else ""),
        ],
    ]


def _tallies(report: Report) -> list[tuple[str, str, dict[str, Tally]]]:
    """The accuracy tables after the overall one: title, first column, and the tallies, in print order."""
    return [
        ("按文档类型 (per doc_type)", "doc_type", report.tally_by("doc_type")),
        ("按文本来源 (per text source)", "source", report.tally_by("source")),
        ("按文档类型与形态 (per doc_type and form)", "doc_type / form", report.tally_by("doc_type_render")),
        ("发票关键要素 (invoice key elements per form)", "form", report.key_invoice_fields()),
        ("按字段 (per field)", "field", report.tally_by("field")),
    ]
