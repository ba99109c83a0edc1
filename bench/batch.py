"""Batch benchmarks: orchestration overhead, recheck at scale, scaling over Dask workers.

    .venv/bin/python -m bench.batch overhead [--n 50]      # cached batch: local driver and Prefect flow
    .venv/bin/python -m bench.batch recheck [--n 10000]    # recheck of N stored submissions after a list update
    .venv/bin/python -m bench.batch scaling [--copies 4]   # OCR-bound cold batch on 1 vs 2 Dask workers

Prefect runs need a server: set PREFECT_API_URL (``prefect server start``), otherwise the figures
include Prefect's temporary server start-up, which is printed separately. Figures only; nothing
here passes or fails on time.
"""

from __future__ import annotations

import argparse
import csv
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "sample_docs" / "corpus"
DIGITAL = "s01_cloud_clean_digital"
SCANNED = "s02_cloud_clean_scanned"


def _copies(dest: Path, source: str, n: int, *, distinct: bool) -> list[Path]:
    """``n`` copies of a corpus submission; ``distinct`` makes every file's bytes differ (no sharing)."""
    out = []
    for i in range(n):
        target = dest / f"{source}_{i:05d}"
        shutil.copytree(CORPUS / source, target, ignore=shutil.ignore_patterns("truth.json"))
        if distinct:
            for pdf in target.glob("*.pdf"):
                with pdf.open("ab") as handle:
                    handle.write(f"\n% copy {i}\n".encode())
        out.append(target)
    return out


def _cpu() -> float:
    """CPU seconds of this process and its finished children: on a shared, busy machine this is a
    better guide than wall time to what an idle machine would take."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def _env(home: Path) -> Any:
    os.environ["EVIDENCE_HOME"] = str(home)
    os.environ.pop("EVIDENCE_DB_URL", None)
    from models.settings import Settings

    return Settings.from_env()


def overhead(n: int) -> None:
    from flows.verify import run

    work = Path(tempfile.mkdtemp(prefix="bench-overhead-"))
    settings = _env(work / "home")
    dirs = _copies(work / "root", DIGITAL, n, distinct=False)
    t = time.perf_counter()
    warm = run(dirs, kind="batch", root=str(work / "root"), settings=settings, use_prefect=False)
    print(f"warm-up (extracts {warm.extracted} distinct files once): {time.perf_counter() - t:.1f} s")
    t, cpu = time.perf_counter(), _cpu()
    local = run(dirs, kind="batch", root=str(work / "root"), settings=settings, use_prefect=False)
    print(
        f"{n} cached submissions, no Prefect: {time.perf_counter() - t:.2f} s wall, {_cpu() - cpu:.2f} s CPU "
        f"(distinct files reused {local.reused}, extracted {local.extracted})"
    )
    if not os.environ.get("PREFECT_API_URL"):
        print("PREFECT_API_URL not set: the Prefect figure includes the temporary server's start-up")
    t, cpu = time.perf_counter(), _cpu()
    flow = run(dirs, kind="batch", root=str(work / "root"), settings=settings, use_prefect=True)
    whole = time.perf_counter() - t
    print(
        f"{n} cached submissions, Prefect flow: {whole:.2f} s end to end, {flow.seconds:.2f} s inside the flow, "
        f"{_cpu() - cpu:.2f} s CPU in this process"
    )
    shutil.rmtree(work, ignore_errors=True)


def _seed(settings: Any, n: int, source_dirs: list[Path]) -> None:
    """``n`` stored submissions sharing the extractions of ``source_dirs`` (bulk inserts)."""
    from sqlalchemy import insert

    from flows.verify import run
    from store.results import _result_values
    from store.schema import SubmissionFileRow, SubmissionRow

    first = run(source_dirs, kind="batch", root=None, settings=settings, use_prefect=False)
    from flows.work import store_for

    store = store_for(settings)
    [template] = store.stored_submissions()
    result = first.results[0]
    run_info = store.start_run("batch", "bench-seed", resume=False)
    with store.session() as s:
        rows = [
            {
                "path": f"/bench/sub{i:05d}",
                "applicant_name": template.application["applicant"]["name"] if template.application else None,
                "policy": result.policy,
                "clauses": ["cloud"],
                "application": template.application,
            }
            for i in range(n)
        ]
        ids = s.scalars(insert(SubmissionRow).returning(SubmissionRow.id, sort_by_parameter_order=True), rows).all()
        s.execute(
            insert(SubmissionFileRow),
            [
                {"submission_id": sid, "name": name, "document_id": cached.id}
                for sid in ids
                for name, cached in template.files.items()
            ],
        )
        from store.schema import ResultRow

        values = []
        for sid, row in zip(ids, rows, strict=True):
            values.append(_result_values(run_info.id, sid, result.model_copy(update={"submission": row["path"]})))
        s.execute(insert(ResultRow), values)
    store.finish_run(run_info.id, {"submissions": n})


def recheck_bench(n: int) -> None:
    from flows.recheck import recheck
    from matchers.reference import import_list, load_list

    work = Path(tempfile.mkdtemp(prefix="bench-recheck-"))
    settings = _env(work / "home")
    t = time.perf_counter()
    _seed(settings, n, _copies(work / "root", DIGITAL, 1, distinct=False))
    print(f"seeded {n} stored submissions in {time.perf_counter() - t:.1f} s")
    current = load_list("cloud_providers")
    path = work / "providers.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["section", "seq", "name"])
        for entry in current.entries[1:]:
            writer.writerow([entry.section or "", entry.seq or "", entry.name])
        writer.writerow(["云平台服务商", "999", "山西示例新增云服务有限公司"])
    import_list("cloud_providers", path, f"{current.version}1")
    cpu = _cpu()
    report = recheck(settings)
    print(
        f"recheck of {report.checked} stored submissions against cloud_providers v{current.version}1: "
        f"{report.seconds:.2f} s wall, {_cpu() - cpu:.2f} s CPU over all processes ({len(report.changes)} changed); "
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
    )
    shutil.rmtree(work, ignore_errors=True)


def scaling(copies: int) -> None:
    from flows.verify import run

    for workers in (1, 2):
        work = Path(tempfile.mkdtemp(prefix=f"bench-scale{workers}-"))
        settings = _env(work / "home")
        dirs = _copies(work / "root", SCANNED, copies, distinct=True)
        t = time.perf_counter()
        report = run(dirs, kind="batch", root=str(work / "root"), settings=settings, workers=workers)
        wall = time.perf_counter() - t
        print(f"load average during the run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
        ideal = report.extract_seconds / workers
        print(
            f"{workers} Dask worker(s): {report.extracted} documents (OCR) in {wall:.1f} s wall; "
            f"sum of extraction times {report.extract_seconds:.1f} s, /workers = {ideal:.1f} s, "
            f"wall/ideal = {wall / ideal if ideal else float('nan'):.2f}; processes used {len(report.workers)}"
        )
        shutil.rmtree(work, ignore_errors=True)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("what", choices=["overhead", "recheck", "scaling", "all"])
    parser.add_argument("--n", type=int, default=None)
    parser.add_argument("--copies", type=int, default=4)
    args = parser.parse_args(argv)
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    sys.path.insert(0, str(ROOT))
    if args.what in ("overhead", "all"):
        overhead(args.n or 50)
    if args.what in ("recheck", "all"):
        recheck_bench(args.n or 10_000)
    if args.what in ("scaling", "all"):
        scaling(args.copies)


if __name__ == "__main__":
    main()
