"""Run every benchmark in one go and write ``bench/RESULTS.md``.

Run: ``.venv/bin/python -m bench.run_all [--quick]``. Each benchmark runs in its own process (its
peak memory is its own); the machine, the versions and each benchmark's figures go into the file.
The accuracy report runs in the same command, so a speed-up that costs accuracy shows at once.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.metadata
import json
import os
import platform
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "RESULTS.md"
CORPUS = ROOT / "sample_docs" / "corpus"
PACKAGES = ("rapidocr", "onnxruntime", "opencv-python-headless", "pypdfium2", "rapidfuzz", "prefect", "dask",
            "sqlalchemy", "pydantic", "spacy")


@dataclass(frozen=True)
class Bench:
    title: str
    args: list[str]
    quick_args: list[str]


BENCHES = [
    Bench("Born-digital and scan paths end to end (bench.e2e)", ["bench.e2e", "--repeat", "5"],
          ["bench.e2e", "--repeat", "2"]),
    Bench("Reading: seconds per page and peak memory per path (bench.reading)", ["bench.reading"],
          ["bench.reading", "--repeat", "2", "--ocr-repeat", "1"]),
    Bench("Name matching (bench.matching)", ["bench.matching"], ["bench.matching", "--size", "2000"]),
    Bench("Batch overhead, recheck throughput and Dask scaling (bench.batch)", ["bench.batch", "all", "--copies", "8"],
          ["bench.batch", "overhead"]),
    Bench("Accuracy on the sample corpus (bench.accuracy)", ["bench.accuracy"], ["bench.accuracy"]),
]

_MEMORY_PROBE = """
import resource, sys, time
from pathlib import Path
from extractors.process import process_file
from models.settings import Settings
start = time.perf_counter()
doc = process_file(Path(sys.argv[1]), settings=Settings.from_env())
print(len(doc.pages), round(time.perf_counter() - start, 2), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)
"""


def machine() -> list[str]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem_gib = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    versions = []
    for name in PACKAGES:
        try:
            versions.append(f"{name} {importlib.metadata.version(name)}")
        except importlib.metadata.PackageNotFoundError:
            versions.append(f"{name} (absent)")
    poppler = subprocess.run(["pdftotext", "-v"], capture_output=True, text=True, check=False).stderr.splitlines()
    return [
        f"- date: {dt.datetime.now(dt.UTC).strftime('%Y-%m-%d %H:%M UTC')}",
        f"- machine: {platform.machine()}, {os.cpu_count()} cores ({cpu}), {mem_gib:.1f} GiB",
        f"- Python {platform.python_version()} on {platform.platform()}",
        f"- {'; '.join(versions)}; {poppler[0] if poppler else 'pdftotext absent'}",
    ]


def run(bench: Bench, quick: bool) -> tuple[str, float, int]:
    args = bench.quick_args if quick else bench.args
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True, check=False)
    output = proc.stdout.strip()
    if proc.returncode != 0:
        output += "\n" + proc.stderr.strip()[-3000:]
    return output, time.perf_counter() - start, proc.returncode


def memory_rows(limit: int = 4) -> list[str]:
    """Peak RSS of a fresh worker process reading each of the largest sample documents."""
    docs = sorted(
        (p for p in CORPUS.glob("*/*") if p.suffix.lower() in {".pdf", ".jpg", ".png", ".ofd", ".xlsx"}),
        key=lambda p: p.stat().st_size,
        reverse=True,
    )[:limit]
    rows = ["| document | size (KB) | pages | seconds | peak RSS (MB) |", "|---|---|---|---|---|"]
    for doc in docs:
        proc = subprocess.run([sys.executable, "-c", _MEMORY_PROBE, str(doc)], cwd=ROOT, capture_output=True,
                              text=True, check=False)
        parts = proc.stdout.split()
        if proc.returncode != 0 or len(parts) != 3:
            rows.append(f"| {doc.relative_to(CORPUS)} | {doc.stat().st_size // 1024} | error | | |")
            continue
        pages, seconds, rss_mb = parts
        rows.append(f"| {doc.relative_to(CORPUS)} | {doc.stat().st_size // 1024} | {pages} | {seconds} | {rss_mb} |")
    return rows


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats, for a smoke run")
    parser.add_argument("--only", action="append", help="run only benchmarks whose module name contains this")
    args = parser.parse_args(argv)
    os.environ.setdefault("EVIDENCE_HOME", str(ROOT / "bench" / "out" / "home"))
    os.environ["PREFECT_SERVER_ANALYTICS_ENABLED"] = "false"
    lines = ["# Benchmark results", "", "Produced by `.venv/bin/python -m bench.run_all`"
             + (" --quick" if args.quick else "") + ". Medians; ratios measured side by side in one run.", ""]
    lines += ["## Machine and versions", "", *machine(), ""]
    for bench in BENCHES:
        if args.only and not any(word in bench.args[0] for word in args.only):
            continue
        print(f"running {bench.args[0]} …", file=sys.stderr, flush=True)
        output, seconds, code = run(bench, args.quick)
        status = "" if code == 0 else f" (exit status {code})"
        lines += [f"## {bench.title}", "", f"Took {seconds:.0f} s{status}.", "", "```", output, "```", ""]
    print("measuring memory …", file=sys.stderr, flush=True)
    lines += ["## Peak memory per worker on the largest sample documents", "", *memory_rows(), ""]
    RESULTS.write_text("\n".join(lines), encoding="utf-8")
    print(json.dumps({"written": str(RESULTS.relative_to(ROOT))}))


if __name__ == "__main__":
    main()
