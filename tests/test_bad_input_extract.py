"""Every bad input through ``evidence extract FILE --format json``, one subprocess per file.

Each run is bounded in time (PER_DOCUMENT_SECONDS, interpreter start included) and in peak memory
(MEMORY_CAP_MB); the exact outcome per kind is in ``tests/badinput/cases.py``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.badinput import tables
from tests.badinput.cases import ESCAPE_NAME, SECRET_TOKEN, Built
from tests.badinput.runner import MEMORY_CAP_MB, PER_DOCUMENT_SECONDS, CliRun, cli_env, record, run_cli
from tests.badinput.shared import CJK, corpus, display_name, kinds


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Built]:
    return corpus(tmp_path_factory)


def _extract(item: Built, home: Path) -> CliRun:
    return run_cli(
        ["extract", str(item.target), "--format", "json"], env=cli_env(home), timeout=PER_DOCUMENT_SECONDS
    )


def assert_bounded(run: CliRun) -> None:
    assert not run.timed_out, f"killed after {PER_DOCUMENT_SECONDS}s: {run.describe()}"
    assert run.max_rss_mb < MEMORY_CAP_MB, run.describe()
    assert "Traceback" not in run.stderr and "Traceback" not in run.stdout, run.describe()


def assert_unreadable(run: CliRun, item: Built) -> None:
    assert run.returncode == 2, run.describe()
    lines = run.stderr_lines()
    assert len(lines) == 1, f"expected one stderr line: {run.describe()}"
    assert display_name(item) in lines[0], run.describe()
    assert CJK.search(lines[0].split(display_name(item), 1)[-1]), f"no Chinese reason: {lines[0]}"


def assert_read(run: CliRun, item: Built) -> dict[str, object]:
    assert run.returncode == 0, run.describe()
    assert run.stdout_is_utf8, "stdout is not valid UTF-8"
    documents = json.loads(run.stdout)
    assert isinstance(documents, list) and len(documents) == 1, run.stdout[:500]
    document = documents[0]
    assert document["pages"] == item.case.pages, document
    assert len(document["sha256"]) == 64
    return dict(document)


@pytest.mark.parametrize("kind", kinds("extract"))
def test_extract_bad_input(kind: str, built: dict[str, Built], tmp_path: Path) -> None:
    item = built[kind]
    run = _extract(item, tmp_path)
    lines = run.stderr_lines()
    record(kind, "extract", run, item.case.extract or "", lines[-1].rsplit(": ", 1)[-1] if lines else "")
    assert_bounded(run)
    if item.case.extract == "unreadable":
        assert_unreadable(run, item)
    else:
        document = assert_read(run, item)
        _check_read_details(kind, document)
    _check_side_effects(kind, run, item)


def _check_read_details(kind: str, document: dict[str, object]) -> None:
    fields = document.get("fields")
    assert isinstance(fields, dict)
    if kind in ("broken_xref", "encrypted_owner_only"):
        assert document["text_source"] == "text_layer", document
    if kind in ("tiff_16bit", "tiff_cmyk"):
        assert document["text_source"] == "ocr", document
    if kind.startswith("name_") or kind == "symlink_outside":
        assert document["doc_type"] == "invoice", document
        assert document["text_source"] == "text_layer"
    if kind in ("xlsx_pathological", "csv_gbk"):
        assert document["doc_type"] == "detail_table", document
        rows = fields["rows"]["value"]
        invoices = [row.get("invoice_number") for row in rows]
        assert invoices == list(tables.VISIBLE_INVOICES), rows
        assert tables.HIDDEN_INVOICE not in json.dumps(document)
        assert rows[0]["amount"] == "106000.00", rows[0]  # a formula's cached value (xlsx) or plain text (csv)


def _check_side_effects(kind: str, run: CliRun, item: Built) -> None:
    if kind == "ofd_path_traversal":
        for escaped in (Path("/tmp") / ESCAPE_NAME, Path("/tmp") / f"abs-{ESCAPE_NAME}",
                        item.submission.parent.parent / ESCAPE_NAME, item.submission.parent / ESCAPE_NAME):
            assert not escaped.exists(), f"OFD member escaped to {escaped}"
    if kind == "ofd_xxe":
        assert SECRET_TOKEN not in run.stdout + run.stderr, "external entity was resolved"
