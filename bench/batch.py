"""Batch benchmarks: orchestration overhead, recheck at scale, scaling over Dask workers.

    .venv/bin/python -m bench.batch overhead [--n 50]      # cached batch: local driver and Prefect flow
    .venv/bin/python -m bench.batch recheck [--n 10000]    # recheck of N stored submissions after a list update
    .venv/bin/python -m bench.batch scaling [--copies 4] [--rounds 3]  # cold OCR batch on 1 vs 2 Dask workers

Prefect runs go to the server named by PREFECT_API_URL; without one, this starts a local
``prefect server start`` for the duration (as the README's production set-up does) so that the
figures are the flows' overhead, not a temporary server's start-up. Figures only; nothing here
passes or fails on time.
"""

from __future__ import annotations

import argparse
import csv
import multiprocessing
import os
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "sample_docs" / "corpus"
DIGITAL = "s01_cloud_clean_digital"
SCANNED = "s02_cloud_clean_scanned"


def _documents(folder: Path) -> list[Path]:
    """A submission folder's document files (everything but its ``application.yaml``)."""
    return sorted(p for p in folder.iterdir() if p.name != "application.yaml")


def _copies(dest: Path, source: str, n: int, *, distinct: bool) -> list[Path]:
    """``n`` copies of a corpus submission; ``distinct`` makes every file's bytes differ (no sharing)."""
    out = []
    for i in range(n):
        target = dest / f"{source}_{i:05d}"
        shutil.copytree(CORPUS / source, target, ignore=shutil.ignore_patterns("truth.json"))
        if distinct:  # bytes after a file's end change its sha256, not what readers see
            for document in _documents(target):
                with document.open("ab") as handle:
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
    t, cpu = time.perf_counter(), _cpu()
    flow = run(dirs, kind="batch", root=str(work / "root"), settings=settings, use_prefect=True)
    whole = time.perf_counter() - t
    print(
        f"{n} cached submissions, Prefect flow: {whole:.2f} s end to end, {flow.seconds:.2f} s inside the flow, "
        f"{_cpu() - cpu:.2f} s CPU in this process"
    )
    shutil.rmtree(work, ignore_errors=True)


# The near-miss provider of the corpus's PROVIDER_NOT_ON_LIST scenario: listing it changes the
# verdict of every clone of that submission and of no other.
NEW_PROVIDER = "山西天地数据科技有限公司"


def _describe(label: str, report: Any, cpu: float) -> None:
    print(
        f"{label}: {report.checked} submissions in {report.seconds:.2f} s wall, {cpu:.2f} s CPU in this process "
        f"(pool workers not counted); {report.reused} re-confirmed unchanged, "
        f"{report.checked - report.reused} evaluated, {len(report.changes)} changed; "
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
    )
    kinds: dict[str, int] = {}
    for c in report.changes:
        key = f"{c.old_status} -> {c.new_status} +{c.added} -{c.removed}"
        kinds[key] = kinds.get(key, 0) + 1
    for key, count in sorted(kinds.items()):
        print(f"  {count:6d} x {key}")
    if report.changes:
        print("  e.g.", report.changes[0].submission, "; ".join(report.changes[0].reasons))


def _import_providers(work: Path, home: Path, version: str, base: Any, extra: list[str]) -> None:
    from matchers.reference import import_list

    path = work / f"providers_{version}.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["section", "seq", "name"])
        for entry in base.entries:
            writer.writerow([entry.section or "", entry.seq or "", entry.name])
        for seq, name in enumerate(extra, start=900):
            writer.writerow(["云平台服务商", str(seq), name])
    import_list("cloud_providers", path, version, home=home)


def recheck_bench(n: int, repeat: int) -> None:
    """Seeded store → a first recheck (evaluates everything, as the first recheck after an upgrade
    does) → ``repeat`` times: a new cloud_providers version that lists, then unlists again, one
    near-miss provider → the recheck measured; the median is the figure."""
    from bench.seed import corpus_store, seed
    from flows.recheck import recheck
    from matchers.reference import available_lists, load_list

    work = Path(tempfile.mkdtemp(prefix="bench-recheck-"))
    t = time.perf_counter()
    corpus_db = corpus_store(CORPUS, ROOT / "bench" / "out" / "corpus-home")
    print(f"corpus store (cached extractions): {time.perf_counter() - t:.1f} s")
    settings = _env(work / "home")
    listed = {entry.name for name in available_lists() for entry in load_list(name, home=settings.home).entries}
    t = time.perf_counter()
    seed(settings.home, corpus_db, n, listed)
    print(
        f"seeded {n} distinct stored submissions (own applicants, documents, invoice numbers) in "
        f"{time.perf_counter() - t:.1f} s"
    )
    cpu = _cpu()
    _describe("first recheck (no recorded basis: evaluates all)", recheck(settings), _cpu() - cpu)
    walls = []
    base = load_list("cloud_providers", home=settings.home)
    for round_ in range(1, repeat + 1):
        version = f"{base.version}.{round_}"
        _import_providers(work, settings.home, version, base, [NEW_PROVIDER] if round_ % 2 else [])
        cpu = _cpu()
        report = recheck(settings)
        walls.append(report.seconds)
        change = "lists" if round_ % 2 else "unlists"
        _describe(
            f"recheck {round_} against cloud_providers v{version} ({change} {NEW_PROVIDER})", report, _cpu() - cpu
        )
    print(f"recheck of {n} submissions after a list update: median {statistics.median(walls):.2f} s over {repeat} runs")
    shutil.rmtree(work, ignore_errors=True)


def _set_env(env: dict[str, str]) -> None:
    os.environ.update(env)


def _extract_alone(dirs: list[Path]) -> float:
    from extractors.ocr import get_engine
    from extractors.process import process_file
    from models.settings import Settings

    settings = Settings.from_env()
    get_engine(settings.ocr_engine)
    total = 0.0
    for document in (d for folder in dirs for d in _documents(folder)):
        started = time.perf_counter()
        process_file(document, settings=settings)
        total += time.perf_counter() - started
    return total


def _raw_extraction(dirs: list[Path]) -> float:
    """Σ of each document's extraction alone, as one worker core does it (one OCR thread, models
    loaded, no store, no orchestration), in a fresh process: the denominator the targets mean."""
    from flows.runtime import WORKER_ENV

    spawn = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(1, mp_context=spawn, initializer=_set_env, initargs=(WORKER_ENV,)) as pool:
        return pool.submit(_extract_alone, dirs).result()


@dataclass(frozen=True)
class BatchTiming:
    wall: float
    in_task: float  # Σ of the documents' extraction times inside their tasks


def _batch_on_dask(copies: int, workers: int, raw: float, *, standing: bool) -> BatchTiming:
    """One cold batch (nothing extracted yet) on ``workers`` local Dask workers, timed.

    ``standing``: the cluster is started and its workers warmed up before the clock starts, as a
    back office's long-lived cluster would be (``--dask-address``); otherwise ``--workers`` starts
    one for the batch and its start-up is timed too."""
    from distributed import Client

    from flows.runtime import local_cluster, prepare
    from flows.verify import run

    work = Path(tempfile.mkdtemp(prefix=f"bench-scale{workers}-"))
    settings = _env(work / "home")
    prepare(settings)  # a standing cluster's workers inherit this batch's log path, not the last one's
    dirs = _copies(work / "root", SCANNED, copies, distinct=True)
    cluster = local_cluster(workers) if standing else None
    try:
        if cluster is not None:
            with Client(cluster) as client:
                client.wait_for_workers(workers, timeout=300)
        address = cluster.scheduler_address if cluster is not None else None
        t = time.perf_counter()
        report = run(
            dirs,
            kind="batch",
            root=str(work / "root"),
            settings=settings,
            workers=None if standing else workers,
            dask_address=address,
        )
        wall = time.perf_counter() - t
    finally:
        if cluster is not None:
            cluster.close()
    ideal = report.extract_seconds / workers
    label = "standing cluster, warmed up" if standing else "cluster started for the batch"
    print(
        f"{workers} Dask worker(s), {label}: {report.extracted} documents (OCR) in {wall:.1f} s wall; "
        f"sum of in-task extraction times {report.extract_seconds:.1f} s, /workers = {ideal:.1f} s, "
        f"wall/ideal = {wall / ideal:.2f}; wall/(raw/workers) = {wall / (raw / workers):.2f}; "
        f"processes used {len(report.workers)}; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
    )
    shutil.rmtree(work, ignore_errors=True)
    return BatchTiming(wall, report.extract_seconds)


def scaling(copies: int, rounds: int) -> None:
    """A cold OCR-bound batch (every file's bytes distinct) on 1 then 2 local Dask workers, timed
    from the CLI's entry point, on a cluster started for it and on a standing one.

    ``rounds`` times, each with its own raw measure, and the medians of each round's ratios: this
    shared machine's speed drifts by 10-20 % over minutes (measured: the same 2-worker batch took
    62-87 s in one morning), so a ratio is only fair between runs minutes apart."""
    ratios: dict[str, list[float]] = {}
    for round_ in range(1, rounds + 1):
        probe = Path(tempfile.mkdtemp(prefix="bench-raw-"))
        raw = _raw_extraction(_copies(probe, SCANNED, copies, distinct=True))
        shutil.rmtree(probe, ignore_errors=True)
        print(f"round {round_}: raw extraction of the batch's documents, one by one on one OCR thread: {raw:.1f} s")
        for label in ("started", "standing"):
            one = _batch_on_dask(copies, 1, raw, standing=label == "standing")
            two = _batch_on_dask(copies, 2, raw, standing=label == "standing")
            print(f"round {round_}: speed-up from 1 to 2 Dask workers ({label}): {one.wall / two.wall:.2f}x")
            for workers, timing in ((1, one), (2, two)):
                ratios.setdefault(f"{label}, {workers} worker(s): wall / (Σ raw / workers)", []).append(
                    timing.wall / (raw / workers)
                )
                ratios.setdefault(f"{label}, {workers} worker(s): wall / (Σ in-task / workers)", []).append(
                    timing.wall / (timing.in_task / workers)
                )
            ratios.setdefault(f"{label}: speed-up from 1 to 2 workers", []).append(one.wall / two.wall)
    for name, values in ratios.items():
        listed = ", ".join(f"{v:.2f}" for v in values)
        print(f"median over {rounds} round(s), {name}: {statistics.median(values):.2f} ({listed})")


@contextmanager
def prefect_server() -> Iterator[None]:
    """A Prefect server on a free local port (own PREFECT_HOME) unless PREFECT_API_URL names one."""
    if os.environ.get("PREFECT_API_URL"):
        yield
        return
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    home = Path(tempfile.mkdtemp(prefix="bench-prefect-"))
    env = {**os.environ, "PREFECT_HOME": str(home), "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
    prefect = Path(sys.executable).parent / "prefect"
    started = time.perf_counter()
    server = subprocess.Popen(
        [str(prefect), "server", "start", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/api"
    try:
        while time.perf_counter() - started < 180:
            try:
                with urllib.request.urlopen(f"{url}/health", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                time.sleep(0.5)
        else:
            raise RuntimeError("the Prefect server did not come up within 180 s")
        print(f"Prefect server started for the benchmark in {time.perf_counter() - started:.1f} s ({url})")
        os.environ["PREFECT_API_URL"] = url
        yield
    finally:
        try:
            if "prefect.logging.handlers" in sys.modules:  # send the runs' last logs before the server goes
                sys.modules["prefect.logging.handlers"].APILogWorker.drain_all(timeout=30)
        finally:
            os.environ.pop("PREFECT_API_URL", None)
            server.terminate()
            server.wait(timeout=30)
            shutil.rmtree(home, ignore_errors=True)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("what", choices=["overhead", "recheck", "scaling", "all"])
    parser.add_argument("--n", type=int, default=None)
    parser.add_argument("--copies", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=3, help="scaling rounds (medians of their ratios reported)")
    parser.add_argument("--repeat", type=int, default=5, help="measured rechecks (median reported)")
    args = parser.parse_args(argv)
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    sys.path.insert(0, str(ROOT))
    if args.what in ("recheck", "all"):
        recheck_bench(args.n or 10_000, args.repeat)
    if args.what in ("overhead", "scaling", "all"):
        with prefect_server():
            if args.what in ("overhead", "all"):
                overhead(args.n or 50)
            if args.what in ("scaling", "all"):
                scaling(args.copies, args.rounds)


if __name__ == "__main__":
    main()
