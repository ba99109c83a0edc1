"""``evidence batch``, ``evidence recheck`` and ``evidence deploy``: the flows behind a quiet CLI.

Prefect's and Dask's own logging goes to ``$EVIDENCE_HOME/logs/evidence-flows.log``; the terminal
shows a progress bar (on stderr) and the summary (on stdout).
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from evidence_cli.batch_view import change_rows, summary_rows
from evidence_cli.common import EvidenceCliError, format_option, print_json, print_table
from evidence_cli.progress_bar import BarProgress
from models.settings import Settings


def _settings() -> Settings:
    settings = Settings.from_env()
    settings.ensure_home()
    return settings


@contextmanager
def _failures_as_errors(settings: Settings) -> Iterator[None]:
    """A run that fails as a whole (database gone, cluster unreachable) ends in one line, not a traceback;
    every result stored before the failure is kept and the next run resumes."""
    try:
        yield
    except Exception as exc:
        log = settings.home / "logs" / "evidence-flows.log"
        logging.getLogger("flows").exception("batch failed")
        raise EvidenceCliError(
            f"批次中断：{type(exc).__name__}: {str(exc)[:200]}（已保存的结果不会丢失；详见 {log}）"
        ) from exc


@click.command("batch")
@click.argument("root", type=click.Path(path_type=Path))
@click.option("--workers", type=click.IntRange(1, 256), default=None, help="启动 N 个进程的本地 Dask 集群")
@click.option("--dask-address", default=None, help="连接已有的 Dask 调度器，例如 tcp://10.0.0.5:8786")
@format_option
def batch(root: Path, workers: int | None, dask_address: str | None, output_format: str) -> None:
    """核验 ROOT 下的每个申报文件夹，保存结果并打印汇总（有问题时退出码为 1）。"""
    from flows.verify import run
    from flows.work import discover

    if not root.is_dir():
        raise EvidenceCliError(f"{root}: 不是文件夹")
    directories = discover(root)
    if not directories:
        raise EvidenceCliError(f"{root}: 没有找到申报文件夹（含 application.yaml 的文件夹）")
    settings = _settings()
    console = Console(stderr=True)
    with BarProgress(console) as bar, _failures_as_errors(settings):
        report = run(
            directories,
            kind="batch",
            root=str(root.resolve()),
            settings=settings,
            workers=workers,
            dask_address=dask_address,
            progress=bar,
            use_prefect=None,
        )
    results = report.results
    if output_format == "json":
        print_json(
            {"run_id": report.run_id, "counts": report.counts, "results": [r.model_dump(mode="json") for r in results]}
        )
    else:
        print_table(
            f"批次 #{report.run_id}",
            ["申报材料", "申报单位", "状态", "奖励（万元）", "问题"],
            summary_rows(results, root),
        )
        c = report.counts
        click.echo(
            f"共 {c['submissions']} 份：通过 {c['pass']}，有问题 {c['flagged']}，无法处理 {c['error']}；"
            f"本次识别 {c['extracted']} 个文件，复用 {c['reused']} 个；用时 {report.seconds:.1f} 秒"
        )
    if any(r.status != "pass" for r in results):
        sys.exit(1)


@click.command("recheck")
@click.option("--since", "since", default=None, help="只重新核验依据此名单版本或更早版本得出的结果")
@format_option
def recheck(since: str | None, output_format: str) -> None:
    """按当前名单和政策，对已存储的识别结果重新核验（不重新识别），列出结论变化的申报。"""
    from flows import runtime

    settings = _settings()
    runtime.prepare(settings)
    runtime.quiet_logging()
    if runtime.has_api() or runtime.wants_prefect(0):
        from flows.deploy import recheck_flow

        report: dict[str, Any] = recheck_flow()(since)
    else:
        from flows.recheck import recheck as run_recheck

        with Progress(TextColumn("重新核验"), BarColumn(), MofNCompleteColumn(), console=Console(stderr=True)) as bar:
            task = bar.add_task("recheck", total=None)
            done = run_recheck(settings, since=since, progress=lambda n, t: bar.update(task, completed=n, total=t))
        report = done.as_dict()
    if output_format == "json":
        print_json(report)
        return
    from store import open_store

    store = open_store(settings)
    try:
        rows = change_rows(report, store.result_history)
    finally:
        store.close()
    print_table(
        f"重新核验 #{report['run_id']}：结论变化的申报", ["申报材料", "原状态", "新状态", "问题变化", "原因"], rows
    )
    reused = report.get("reused", 0)
    click.echo(
        f"共重新核验 {report['checked']} 份（其中 {reused} 份所依据的材料与名单答复均未变化，沿用原结论），"
        f"{len(report['changed'])} 份结论变化"
    )


@click.command("deploy")
@click.option("--serve", "mode", flag_value="serve", default=True, help="在本进程中运行这两个部署，直到按 Ctrl+C")
@click.option("--register", "mode", flag_value="register", help="把部署注册到 Prefect 工作池，由 worker 运行")
@click.option("--pool", default="evidence", help="--register 使用的工作池（默认 evidence）")
@click.option("--cron", default="0 2 * * *", help="每晚重新核验的时间（cron 格式，默认 0 2 * * *）")
def deploy(mode: str, pool: str, cron: str) -> None:
    """部署定时重新核验（每晚）和导入新名单后的重新核验（需要 Prefect 服务器：PREFECT_API_URL）。"""
    from flows import runtime

    settings = _settings()
    runtime.prepare(settings)
    if not runtime.has_api():
        raise EvidenceCliError("未设置 PREFECT_API_URL：请先运行 prefect server start 并设置 PREFECT_API_URL")
    from flows import deploy as deployments

    if mode == "register":
        ids = deployments.register(pool, cron)
        click.echo(
            f"已注册 {deployments.NIGHTLY} 与 {deployments.ON_IMPORT}（{', '.join(ids)}）；"
            f"运行：prefect worker start --pool {pool}"
        )
        return
    click.echo(f"正在提供 {deployments.NIGHTLY}（{cron}）与 {deployments.ON_IMPORT}，Ctrl+C 停止", err=True)
    deployments.serve(cron)
