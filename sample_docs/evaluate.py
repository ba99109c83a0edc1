"""Run the product over a corpus and pair each submission's output with its truth.

The product is reached only through its public interfaces: ``extractors.process.process_file`` per
document and ``pipeline.submission.verify_directory`` per submission (fed the same documents, so
nothing is OCRed twice).
"""

from __future__ import annotations

import importlib
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sample_docs.identity import identity_verdicts
from sample_docs.scoring import DocPrediction, PredictedField, SubmissionPrediction
from sample_docs.truth import SubmissionTruth, load_corpus


class ProductUnavailableError(RuntimeError):
    """The pipeline modules the report needs are not importable (not built yet, or broken)."""


@dataclass(frozen=True)
class Product:
    process_file: Callable[..., Any]
    verify_directory: Callable[..., Any]
    read_error: type[Exception]
    lists: Callable[[], Any]
    """The reference lists findings are scored against: the bundled versions (the truth's)."""


def load_product() -> Product:
    try:
        pipeline = importlib.import_module("extractors.process")
        submission = importlib.import_module("pipeline.submission")
        errors = importlib.import_module("extractors.errors")
        return Product(
            pipeline.process_file, submission.verify_directory, errors.DocumentReadError, submission.bundled_lists
        )
    except (ImportError, AttributeError) as exc:
        raise ProductUnavailableError(
            f"the product pipeline is not available ({exc}); evidence eval needs extractors.process.process_file "
            "and pipeline.submission.verify_directory"
        ) from exc


def to_doc_prediction(path: str, doc: Any) -> DocPrediction:
    fields = {
        name: PredictedField(f.value, float(f.confidence), f.page, _box(f.bbox)) for name, f in doc.fields.items()
    }
    return DocPrediction(path, str(doc.doc_type), str(doc.text_source), fields)


def _box(bbox: Any) -> tuple[float, float, float, float] | None:
    return (bbox.x0, bbox.y0, bbox.x1, bbox.y1) if bbox is not None else None


def to_prediction(name: str, docs: dict[str, DocPrediction], result: Any) -> SubmissionPrediction:
    findings = [(str(getattr(f.code, "value", f.code)), str(f.severity)) for f in result.findings]
    award = result.award.amount_wan if result.award is not None else None
    asked = [
        (str(getattr(f.code, "value", f.code)), str(getattr(f.suspected, "value", f.suspected)))
        for f in result.findings
        if getattr(f, "suspected", None)
    ]
    identity = identity_verdicts(result)
    return SubmissionPrediction(name, docs, findings, award, str(result.status), result.error, asked, identity)


Reader = Callable[[Path], Any]


def run_submission(
    truth: SubmissionTruth,
    product: Product,
    *,
    engine: Any = None,
    settings: Any = None,
    reader: Reader | None = None,
) -> tuple[SubmissionPrediction, float]:
    """Process each document once, then verify the folder with those same documents.

    ``reader`` replaces ``process_file`` (``evidence eval`` passes the store's extraction cache, the
    one ``batch`` uses, so a file stored by a batch is not read again).
    """
    started = time.perf_counter()

    def process(path: Path) -> Any:
        return reader(path) if reader is not None else product.process_file(path, engine=engine, settings=settings)

    cache: dict[Path, Any] = {}
    docs: dict[str, DocPrediction] = {}
    for doc in truth.documents:
        path = truth.directory / doc.path
        try:
            cache[path.resolve()] = process(path)
            docs[doc.path] = to_doc_prediction(doc.path, cache[path.resolve()])
        except product.read_error as exc:
            cache[path.resolve()] = exc
            docs[doc.path] = DocPrediction(doc.path, error=str(getattr(exc, "reason", exc)))

    def cached(path: Path) -> Any:
        key = Path(path).resolve()
        if key not in cache:
            cache[key] = process(path)
        hit = cache[key]
        if isinstance(hit, Exception):
            raise hit
        return hit

    result = product.verify_directory(
        truth.directory, engine=engine, settings=settings, process=cached, lists=product.lists()
    )
    return to_prediction(truth.name, docs, result), time.perf_counter() - started


def run_corpus(
    root: Path,
    *,
    only: list[str] | None = None,
    engine: Any = None,
    settings: Any = None,
    progress: Callable[[str, float], None] | None = None,
    reader: Reader | None = None,
) -> list[tuple[SubmissionTruth, SubmissionPrediction]]:
    truths = load_corpus(root)
    if not truths:
        raise FileNotFoundError(f"{root}: no submission with a truth.json")
    if only:
        truths = [t for t in truths if any(o in t.name for o in only)]
    product = load_product()
    pairs = []
    for truth in truths:
        pred, seconds = run_submission(truth, product, engine=engine, settings=settings, reader=reader)
        if progress:
            progress(truth.name, seconds)
        pairs.append((truth, pred))
    return pairs
