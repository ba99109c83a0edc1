"""Files grouped into extraction tasks: each file once, balanced over the workers, born-digital
files together, scans spread (``flows.chunking``). Costs are guessed from the files themselves."""

from __future__ import annotations

from pathlib import Path

import pytest

from flows.chunking import OCR_PAGE_SECONDS, TEXT_FILE_SECONDS, chunk_files, estimated_seconds
from flows.records import FilePlan
from tests.test_read_helpers import make_scanned_pdf, make_small_pdf, small_scan


def _plan(path: Path) -> FilePlan:
    return FilePlan(path.name, str(path), None)


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    tmp = tmp_path_factory.mktemp("chunks")
    scan = small_scan(tmp)
    image = tmp / "photo.png"
    scan.save(image)
    return {
        "text": make_small_pdf(tmp / "text.pdf"),
        "scan": make_scanned_pdf(tmp / "scan.pdf", [scan, scan]),
        "image": image,
    }


def test_costs_tell_ocr_from_a_text_layer(files: dict[str, Path]) -> None:
    assert estimated_seconds(_plan(files["text"])) == TEXT_FILE_SECONDS
    assert estimated_seconds(_plan(files["scan"])) == pytest.approx(TEXT_FILE_SECONDS + 2 * OCR_PAGE_SECONDS)
    assert estimated_seconds(_plan(files["image"])) == OCR_PAGE_SECONDS
    assert estimated_seconds(FilePlan("refused", "", None, "符号链接")) == 0.0


def test_born_digital_files_share_one_task_per_worker(files: dict[str, Path]) -> None:
    plans = [FilePlan(f"f{i}.pdf", str(files["text"]), None) for i in range(40)]
    assert [len(c) for c in chunk_files(plans, 1)] == [40]
    chunks = chunk_files(plans, 2)
    assert sorted(len(c) for c in chunks) == [20, 20]


def test_scans_are_spread_evenly_and_every_file_is_read_once(files: dict[str, Path]) -> None:
    plans = [FilePlan(f"s{i}.pdf", str(files["scan"]), None) for i in range(11)]
    plans += [FilePlan(f"t{i}.pdf", str(files["text"]), None) for i in range(5)]
    chunks = chunk_files(plans, 2, target=10.0)
    assert sorted(f.name for c in chunks for f in c) == sorted(f.name for f in plans)
    assert len(chunks) % 2 == 0
    loads = [sum(estimated_seconds(f) for f in c) for c in chunks]
    assert max(loads) - min(loads) <= 2 * OCR_PAGE_SECONDS + TEXT_FILE_SECONDS * 5
    assert loads == sorted(loads, reverse=True)  # heaviest first: no long chunk left for the end


def test_never_more_tasks_than_files(files: dict[str, Path]) -> None:
    one = [_plan(files["scan"])]
    assert chunk_files(one, 4, target=0.1) == [one]
    assert chunk_files([], 2) == []


def test_chunks_grow_with_the_batch_but_stay_seconds_long() -> None:
    from flows.chunking import MAX_CHUNK_SECONDS, MIN_CHUNK_SECONDS, chunk_seconds

    assert chunk_seconds(1.0) == MIN_CHUNK_SECONDS
    assert chunk_seconds(30.0) < chunk_seconds(120.0) < chunk_seconds(600.0)
    assert chunk_seconds(1e6) == MAX_CHUNK_SECONDS
