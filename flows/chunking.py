"""Files grouped into extraction tasks of several seconds of work each.

Why: Prefect's bookkeeping of a task run costs about 0.3 s of wall time and 0.4 CPU-s across
worker, driver and server (measured), on the cores that also read. With a task per file a batch
of born-digital PDFs (0.04 s each) spent ten times more on Prefect than on reading, and an OCR
batch lost 6-8 % of two cores to it. A chunk keeps the per-file cache and crash safety (each
file is stored as soon as it is read, a retried chunk skips what is stored).

Costs are guessed cheaply before reading: a page without a text layer is OCR (about 2.5 s on a
loaded core), any other page or file a few hundredths of a second. Chunks are balanced over the
workers (largest file first into the lightest chunk), their number a multiple of the workers.

The size trades Prefect's cost per task against the wait at the end, when one worker finishes
its last chunk while the others idle (half a chunk on average, the guesses being rough): for W
seconds of work that is 0.4 W / c + c / 2, least at c = sqrt(0.8 W) (about 10 s for two minutes
of OCR), kept between 2 and 30 s.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path

from flows.records import FilePlan

TASK_CPU_SECONDS = 0.4
MIN_CHUNK_SECONDS = 2.0
MAX_CHUNK_SECONDS = 30.0
OCR_PAGE_SECONDS = 2.5
TEXT_FILE_SECONDS = 0.05
_IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp", ".webp", ".gif"}
_MAX_PROBED_PAGES = 20


def estimated_seconds(file: FilePlan) -> float:
    """A rough cost of reading ``file``, from its name and, for a PDF, which pages carry text."""
    if file.problem is not None or not file.path:
        return 0.0
    path = Path(file.path)
    suffix = path.suffix.lower()
    if suffix in _IMAGE_SUFFIXES:
        return OCR_PAGE_SECONDS
    if suffix == ".pdf":
        return _pdf_seconds(path)
    return TEXT_FILE_SECONDS


def _pdf_seconds(path: Path) -> float:
    """Pages without characters in their text layer will be OCRed (the first pages probed)."""
    try:
        import pypdfium2 as pdfium

        pdf = pdfium.PdfDocument(str(path))
    except Exception:  # an unreadable file fails fast in its task
        return TEXT_FILE_SECONDS
    try:
        pages = len(pdf)
        probed = min(pages, _MAX_PROBED_PAGES)
        scanned = 0
        for index in range(probed):
            page = pdf[index]
            textpage = page.get_textpage()
            scanned += int(textpage.count_chars() < 10)
            textpage.close()
            page.close()
    except Exception:
        return TEXT_FILE_SECONDS
    finally:
        pdf.close()
    share = scanned / probed if probed else 0.0
    return TEXT_FILE_SECONDS + pages * share * OCR_PAGE_SECONDS


def chunk_seconds(total: float) -> float:
    """The chunk size with the least overhead plus end wait for ``total`` seconds of work."""
    return min(MAX_CHUNK_SECONDS, max(MIN_CHUNK_SECONDS, math.sqrt(2 * TASK_CPU_SECONDS * total)))


def chunk_files(files: Sequence[FilePlan], workers: int, target: float | None = None) -> list[list[FilePlan]]:
    """``files`` in balanced groups of about ``target`` seconds (``chunk_seconds`` by default), a
    multiple of ``workers`` of them (never more groups than files, never an empty one); each keeps
    its files' order."""
    if not files:
        return []
    costs = [estimated_seconds(f) for f in files]
    workers = max(1, workers)
    total = sum(costs)
    wanted = max(1, math.ceil(total / (target or chunk_seconds(total)) - 1e-9))
    count = min(len(files), workers * math.ceil(wanted / workers))
    loads = [0.0] * count
    members: list[list[int]] = [[] for _ in range(count)]
    for index in sorted(range(len(files)), key=lambda i: -costs[i]):
        lightest = min(range(count), key=lambda c: (loads[c], len(members[c])))
        loads[lightest] += costs[index]
        members[lightest].append(index)
    heaviest_first = sorted(range(count), key=lambda c: -loads[c])
    return [[files[i] for i in sorted(members[c])] for c in heaviest_first if members[c]]
