"""What reading in the limited child costs: ``python -m tests.badinput.overhead`` (not a test).

Reads a few corpus files three times each in this process's warm reading child and in this
process, both with the review-image sink ``flows.work`` uses, and prints the best time of each.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from extractors.process import process_file
from flows.isolation import close_reader, read_isolated
from flows.page_encoding import OcrPages
from models.settings import Settings

CORPUS = Path(__file__).resolve().parents[2] / "sample_docs" / "corpus"
FILES = [
    "s02_cloud_clean_scanned/发票_01.pdf",
    "s02_cloud_clean_scanned/发票_02.pdf",
    "s22_investment_contract_faults/发票_02.jpg",
    "s01_cloud_clean_digital/发票_01.pdf",
    "s08_investment_clean/发票_01.pdf",
]


def _best(work: Callable[[], object], repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    settings = Settings.from_env()
    paths = [CORPUS / name for name in FILES]
    read_isolated(paths[0], settings)  # warm both: child start, imports, OCR models
    process_file(paths[0], settings=settings)
    for path in paths:
        child = _best(lambda path=path: read_isolated(path, settings))  # type: ignore[misc]
        here = _best(lambda path=path: process_file(path, settings=settings, keep_page=OcrPages().keep))  # type: ignore[misc]
        print(f"{path.parent.name}/{path.name}: child {child:.3f} s, in-process {here:.3f} s, +{child - here:.3f} s")
    close_reader()


if __name__ == "__main__":
    main()
