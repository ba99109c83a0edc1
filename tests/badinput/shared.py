"""Session-wide pieces the bad-input test modules share (built once per run, across xdist workers)."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from tests.badinput.cases import CASES, Built, build, case_by_kind
from tests.badinput.runner import shared_once

CJK = re.compile(r"[\u4e00-\u9fff]")


def shared_dir(factory: pytest.TempPathFactory) -> Path:
    """The temp directory every xdist worker of this run sees (the workers' common parent)."""
    base = factory.getbasetemp()
    return (base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base) / "badinput"


def corpus(factory: pytest.TempPathFactory) -> dict[str, Built]:
    """All bad-input submissions under ``<shared>/corpus/submissions``, built by the first worker."""
    root = shared_dir(factory) / "corpus"

    def produce() -> dict[str, list[str]]:
        return {kind: [str(b.submission), os.fsencode(b.target).hex()] for kind, b in build(root).items()}

    paths = shared_once(shared_dir(factory), "corpus", produce)
    return {
        kind: Built(case_by_kind(kind), Path(sub), Path(os.fsdecode(bytes.fromhex(target))))
        for kind, (sub, target) in paths.items()
    }


def corpus_root(factory: pytest.TempPathFactory) -> Path:
    return shared_dir(factory) / "corpus"


def kinds(command: str) -> list[str]:
    if command == "extract":
        return [c.kind for c in CASES if c.extract is not None]
    return [c.kind for c in CASES]


def display_name(built: Built) -> str:
    """The file's name as the product can print it (undecodable bytes replaced)."""
    return os.fsencode(built.target.name).decode("utf-8", errors="replace")
