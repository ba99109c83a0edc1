"""What the limited reading child (``flows.reader_child``) costs in CPU seconds, not wall time.

Run: ``.venv/bin/python -m bench.reader_child [--rounds 3]``.

* imports: a fresh interpreter importing what the child's first read imports, median CPU-s over
  ``--rounds`` × 3 processes (``RUSAGE_CHILDREN``; the machine is shared, wall time is noise).
* batch: one fresh child reading the corpus's born-digital invoices, CPU-s per document, median
  over rounds. The child stays up between files, so its imports are paid once per batch.

Figures only: nothing here passes or fails on time.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
from collections.abc import Callable

from bench.e2e import corpus_samples

CHILD_IMPORTS = (
    "import flows.reader_child, extractors.errors, extractors.ocr, extractors.process, flows.page_encoding"
)


def _children_cpu(work: Callable[[], object]) -> float:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    work()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime


def _read_batch() -> int:
    from flows.isolation import close_reader, read_isolated
    from models.settings import Settings

    settings = Settings.from_env()
    paths = [s.path for s in corpus_samples("invoice", {"text_layer", "ofd"})]
    for path in paths:
        read_isolated(path, settings)
    close_reader()
    return len(paths)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    rounds = parser.parse_args().rounds
    imports = [
        _children_cpu(lambda: subprocess.run([sys.executable, "-c", CHILD_IMPORTS], check=True))
        for _ in range(rounds * 3)
    ]
    print(f"child imports before reading: {statistics.median(imports):.3f} CPU-s (median of {len(imports)})")
    counts: list[int] = []
    batch = [_children_cpu(lambda: counts.append(_read_batch())) for _ in range(rounds)]
    total = statistics.median(batch)
    print(f"child over {counts[0]} born-digital invoices: {total:.3f} CPU-s, {total / counts[0] * 1000:.1f} ms/doc")


if __name__ == "__main__":
    main()
