"""``evidence lists``: import a new version of a reference list, show lists and versions."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from evidence_cli.common import EvidenceCliError, format_option, one_line, print_json, print_table
from matchers.reference import (
    ListDiff,
    ListError,
    available_lists,
    diff_versions,
    import_list,
    list_versions,
    load_list,
)
from models.settings import Settings
from review.exports import to_csv, to_xlsx


def _home() -> Path:
    """EVIDENCE_HOME, where imported list versions live: read here, at the command's edge."""
    return Settings.from_env().home


@click.group("lists")
def lists() -> None:
    """参考名单（cloud_providers 云服务商名单、xinchuang_pilots 信创试点名单）及其版本。"""


@lists.command("import")
@click.argument("list_name", metavar="LIST")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--version", "version", default=None, help="新版本号（必填）；已有的版本不可覆盖")
@click.option("--source", default=None, help="来源说明（默认为文件路径）")
@format_option
def import_cmd(list_name: str, file: Path, version: str | None, source: str | None, output_format: str) -> None:
    """把 FILE（CSV 或 XLSX）导入为名单 LIST 的新版本（已有版本不会被覆盖）。"""
    if not version:  # not click's required=True: its help would say "[required]" in English
        raise click.UsageError("缺少选项 --version（新版本号）。")
    try:
        report = import_list(list_name, file, version, home=_home(), source=source)
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
                "diff": _import_diff(reference.name, str(reference.version)),
                "warnings": report.warnings,
                "recheck_triggered": recheck_triggered,
            }
        )
    else:
        click.echo(f"已导入 {reference.name} 第{reference.version}版：{len(reference.entries)} 条")
        previous = [v.version for v in list_versions(reference.name, home=_home()) if v.version != reference.version]
        if previous:
            _print_diff(diff_versions(reference.name, previous[-1], str(reference.version), home=_home()))
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
        versions = list_versions(name, home=_home())
        for info in versions:
            rows.append(
                {
                    "list": name,
                    "version": info.version,
                    "origin": info.origin,
                    "count": len(load_list(name, info.version, home=_home()).entries),
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


EXPORT_HEADER = ["类别", "序号", "企业名称"]  # the import reads these captions back (round trip)


def _load(name: str, version: str | None) -> Any:
    try:
        return load_list(name, version, home=_home())
    except ListError as exc:
        raise EvidenceCliError(str(exc)) from exc


@lists.command("export")
@click.argument("list_name", metavar="LIST")
@click.option("--version", "version", default=None, help="要导出的版本（默认当前版本）")
@click.option(
    "--out", "out", type=click.Path(path_type=Path), default=None, help="写入 .csv 或 .xlsx 文件（默认打印 CSV）"
)
def export_cmd(list_name: str, version: str | None, out: Path | None) -> None:
    """导出名单 LIST 的一个版本（CSV 或 XLSX；修改后可再导入为新版本）。"""
    reference = _load(list_name, version)
    extra = list(dict.fromkeys(k for e in reference.entries for k in e.extra))
    rows = [
        [e.section or "", e.seq if e.seq is not None else "", e.name, *(e.extra.get(k, "") for k in extra)]
        for e in reference.entries
    ]
    header = [*EXPORT_HEADER, *extra]
    if out is None:
        click.echo(to_csv(header, rows).decode("utf-8").removeprefix("\ufeff"), nl=False)
        return
    if out.suffix.lower() not in (".csv", ".xlsx"):
        raise EvidenceCliError(f"{out}: 只能导出为 .csv 或 .xlsx 文件")
    data = (
        to_xlsx(f"{reference.name} 第{reference.version}版", header, rows)
        if out.suffix.lower() == ".xlsx"
        else to_csv(header, rows)
    )
    out.write_bytes(data)
    click.echo(f"已导出 {reference.name} 第{reference.version}版：{len(rows)} 条 → {out}")


@lists.command("diff")
@click.argument("list_name", metavar="LIST")
@click.argument("old", metavar="V1")
@click.argument("new", metavar="V2")
@format_option
def diff_cmd(list_name: str, old: str, new: str, output_format: str) -> None:
    """比较名单 LIST 的两个版本：新增、移除和类别或序号变动的企业。"""
    _load(list_name, old)
    _load(list_name, new)
    diff = diff_versions(list_name, old, new, home=_home())
    if output_format == "json":
        print_json(diff.model_dump(mode="json"))
    else:
        _print_diff(diff)


def _import_diff(name: str, version: str) -> dict[str, Any] | None:
    previous = [v.version for v in list_versions(name, home=_home()) if v.version != version]
    return diff_versions(name, previous[-1], version, home=_home()).model_dump(mode="json") if previous else None


def _print_diff(diff: ListDiff) -> None:
    """``第1版 → 第2版：−1 / +1`` and one line per name, − removed, + added, ~ moved."""
    click.echo(
        f"{diff.name} 第{diff.old}版 → 第{diff.new}版：−{len(diff.removed)} / +{len(diff.added)}"
        + (f"，变动 {len(diff.moved)}" if diff.moved else "")
    )
    for sign, entries in (("−", diff.removed), ("+", diff.added), ("~", diff.moved)):
        for e in entries:
            place = "，".join(p for p in (e.section or "", f"序号 {e.seq}" if e.seq is not None else "") if p)
            click.echo(f"  {sign} {one_line(e.name)}" + (f"（{one_line(place)}）" if place else ""))
