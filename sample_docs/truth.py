"""Loading the corpus truth (truth.json per submission) into typed objects the scorer and tests share."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

TRUTH_FILE = "truth.json"


@dataclass(frozen=True)
class DocTruth:
    path: str
    doc_type: str
    format: str
    render: str
    fields: dict[str, Any]
    unscored: frozenset[str] = frozenset()
    faults: tuple[str, ...] = ()
    extras: dict[str, Any] = field(default_factory=dict)
    #: field → [page, x0, y0, x1, y1] where its value is drawn, and the other places it is drawn
    boxes: dict[str, list[float]] = field(default_factory=dict)
    box_alternatives: dict[str, list[list[float]]] = field(default_factory=dict)


@dataclass(frozen=True)
class ExpectedFinding:
    code: str
    documents: tuple[str, ...] = ()
    alternatives: tuple[str, ...] = ()
    note: str = ""

    @property
    def accepted(self) -> frozenset[str]:
        return frozenset((self.code, *self.alternatives))


@dataclass(frozen=True)
class SubmissionTruth:
    name: str
    directory: Path
    scenario: str
    description: str
    application: dict[str, Any]
    documents: tuple[DocTruth, ...]
    expected: tuple[ExpectedFinding, ...]
    allowed: frozenset[str]
    forbidden: frozenset[str]
    status: str
    award_wan: float | None

    def document(self, path: str) -> DocTruth | None:
        return next((d for d in self.documents if d.path == path), None)


def load_submission(directory: Path) -> SubmissionTruth:
    raw = json.loads((directory / TRUTH_FILE).read_text(encoding="utf-8"))
    docs = tuple(
        DocTruth(
            d["path"],
            d["doc_type"],
            d["format"],
            d["render"],
            d["fields"],
            frozenset(d.get("unscored_fields", [])),
            tuple(d.get("faults", [])),
            d.get("extras", {}),
            d.get("boxes") or {},
            d.get("box_alternatives") or {},
        )
        for d in raw["documents"]
    )
    expected = tuple(
        ExpectedFinding(e["code"], tuple(e.get("documents", [])), tuple(e.get("alternatives", [])), e.get("note", ""))
        for e in raw["findings"]["expected"]
    )
    return SubmissionTruth(
        name=raw["submission"],
        directory=directory,
        scenario=raw["scenario"],
        description=raw.get("description", ""),
        application=raw["application"],
        documents=docs,
        expected=expected,
        allowed=frozenset(raw["findings"].get("allowed", [])),
        forbidden=frozenset(raw["findings"].get("forbidden", [])),
        status=raw.get("status", ""),
        award_wan=raw["award"].get("expected_wan"),
    )


def load_corpus(root: Path) -> list[SubmissionTruth]:
    """Every submission folder under ``root`` that has a truth.json, in name order."""
    return [load_submission(p.parent) for p in sorted(root.glob(f"*/{TRUTH_FILE}"))]


def parse_qr(payload: str) -> dict[str, str]:
    """Split an invoice QR payload positionally; empty fields stay empty (they mean something)."""
    parts = payload.split(",")
    keys = ("version", "type", "code", "number", "amount", "date", "check", "crc")
    return {k: parts[i] if i < len(parts) else "" for i, k in enumerate(keys)}
