"""``evidence lists``: import a new version of a reference list, show lists and versions."""

from __future__ import annotations

from pathlib import Path

import click

from evidence_cli.common import EvidenceCliError, format_option, print_json, print_table
from matchers.reference import ListError, available_lists, import_list, list_versions, load_list


@click.group("lists")
def lists() -> None:
    """参考名单（cloud_providers 云服务商名单、xinchuang_pilots 信创试点名单）及其版本。"""


@lists.command("import")
@click.argument("list_name", metavar="LIST")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--version", "version", required=True, help="新版本号；已有的版本不可覆盖")
@click.option("--source", default=None, help="来源说明（默认为文件路径）")
@format_option
def import_cmd(list_name: str, file: Path, version: str, source: str | None, output_format: str) -> None:
    """把 FILE（CSV 或 XLSX）导入为名单 LIST 的新版本（已有版本不会被覆盖）。"""
    try:
        report = import_list(list_name, file, version, source=source)
    except ListError as exc:
        raise EvidenceCliError(str(exc)) from exc
    for warning in report.warnings:
        click.echo(f"evidence: warning: {warning}", err=True)
    reference = report.reference
    recheck_triggered = _notify_recheck(reference.name, str(reference.version))
    if output_format == "json":
        print_json(
            {
                "list": reference.name,
                "version": reference.version,
                "count": len(reference.entries),
                "warnings": report.warnings,
                "recheck_triggered": recheck_triggered,
            }
        )
    else:
        click.echo(f"已导入 {reference.name} 第{reference.version}版：{len(reference.entries)} 条")
        if recheck_triggered:
            click.echo("已通知 Prefect：recheck-on-list-import 部署将重新核验已存结果")


def _notify_recheck(name: str, version: str) -> bool:
    """Tell the on-import recheck deployment (if a Prefect server is configured) that a list changed."""
    from flows.deploy import notify_list_imported

    try:
        return notify_list_imported(name, version)
    except Exception as exc:  # the import itself succeeded; a server hiccup must not undo that message
        click.echo(f"evidence: warning: 未能通知 Prefect 服务器重新核验：{type(exc).__name__}", err=True)
        return False


def _rows(names: list[str]) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    for name in names:
        versions = list_versions(name)
        for info in versions:
            rows.append(
                {
                    "list": name,
                    "version": info.version,
                    "origin": info.origin,
                    "count": len(load_list(name, info.version).entries),
                    "current": info is versions[-1],
                    "date": info.date,
                    "source": info.source,
                }
            )
    return rows


@lists.command("show")
@click.argument("list_name", metavar="[LIST]", required=False)
@format_option
def show(list_name: str | None, output_format: str) -> None:
    """列出各名单（或指定的 LIST）的版本、条目数和当前使用的版本。"""
    try:
        rows = _rows([list_name] if list_name else available_lists())
    except ListError as exc:
        raise EvidenceCliError(str(exc)) from exc
    if output_format == "json":
        print_json(rows)
        return
    print_table(
        "参考名单",
        ["名单", "版本", "来源类型", "条数", "当前", "日期", "来源"],
        [
            (r["list"], r["version"], r["origin"], r["count"], "✓" if r["current"] else "", r["date"], r["source"])
            for r in rows
        ],
    )
