"""Markdown and table summaries of a run, for the Prefect UI's artifacts page (pure builders)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from models import Result

MAX_ROWS = 500


def summary_markdown(title: str, counts: Mapping[str, int], seconds: float) -> str:
    lines = [f"# {title}", "", "| 项目 | 数量 |", "|---|---|"]
    labels = {
        "submissions": "申报总数",
        "pass": "通过",
        "flagged": "有问题",
        "error": "无法处理",
        "extracted": "本次识别的文件",
        "reused": "复用缓存的文件",
        "resumed": "中断后续跑沿用的结果",
        "changed": "结论变化",
    }
    for key, label in labels.items():
        if key in counts:
            lines.append(f"| {label} | {counts[key]} |")
    lines += ["", f"用时 {seconds:.1f} 秒。"]
    return "\n".join(lines)


def flagged_table(results: Iterable[Result]) -> list[dict[str, Any]]:
    """One row per flagged or failed submission: codes only, never field values (they may be tax ids)."""
    rows: list[dict[str, Any]] = []
    for result in results:
        if result.status == "pass":
            continue
        codes = sorted({str(f.code) for f in result.findings if f.severity in ("error", "warning")})
        rows.append(
            {
                "submission": result.submission,
                "status": result.status,
                "errors": sum(1 for f in result.findings if f.severity == "error"),
                "warnings": sum(1 for f in result.findings if f.severity == "warning"),
                "codes": ", ".join(codes) or (result.error or "")[:120],
            }
        )
        if len(rows) >= MAX_ROWS:
            break
    return rows


def publish(prefix: str, title: str, counts: Mapping[str, int], seconds: float, results: Iterable[Result]) -> None:
    """Create the run's artifacts; only called from inside a Prefect flow."""
    from prefect.artifacts import create_markdown_artifact, create_table_artifact

    create_markdown_artifact(summary_markdown(title, counts, seconds), key=f"{prefix}-summary", description=title)
    rows = flagged_table(results)
    if rows:
        create_table_artifact(rows, key=f"{prefix}-flagged", description="有问题的申报")
