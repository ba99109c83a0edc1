"""The committed corpus is exactly what its seed generates (so a changed generator is noticed)."""

from __future__ import annotations

import filecmp
from pathlib import Path

import pytest

from sample_docs.generate import DEFAULT_OUT, DEFAULT_SEED, build_name, generate

# One of each render path: born-digital PDF, photo JPEG with EXIF + OFD, scanned PDF + XLSX.
SAMPLES = [0, 2, 7]


@pytest.mark.parametrize("index", SAMPLES)
def test_submission_regenerates_byte_for_byte(index: int, tmp_path: Path) -> None:
    generate(DEFAULT_SEED, tmp_path, only=[index])
    name = build_name(index)
    fresh, committed = tmp_path / name, DEFAULT_OUT / name
    fresh_files = sorted(p.name for p in fresh.iterdir())
    assert fresh_files == sorted(p.name for p in committed.iterdir())
    _, mismatch, errors = filecmp.cmpfiles(fresh, committed, fresh_files, shallow=False)
    assert not mismatch and not errors, f"{name}: regenerated files differ: {mismatch + errors}"
