"""End-to-end document benchmarks against the engines a back office would otherwise run.

Run: ``.venv/bin/python -m bench.e2e [--repeat N] [--json FILE]``.

* Born-digital path: documents per second for text-layer PDF and OFD invoices, read → classify →
  extract → checks, against ``pdftotext`` + regular expressions in the style of invoice2data on the
  same files; fields right against the corpus truth for both.
* Scan path: seconds per scanned page end to end, against the OCR engine alone on the full page at
  the same resolution (rapidocr defaults); field accuracy of ours on the same pages.

A and B alternate within each round (A B A B …) and medians of ``--repeat`` rounds are reported.
Figures only: nothing here passes or fails on time.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "sample_docs" / "corpus"


@dataclass(frozen=True)
class Sample:
    """A corpus document with its submission folder and the fields its truth expects."""

    submission: Path
    path: Path
    fmt: str
    pages: int
    fields: dict[str, Any]


def corpus_samples(doc_type: str, formats: set[str], renders: set[str] | None = None) -> list[Sample]:
    out: list[Sample] = []
    for truth_file in sorted(CORPUS.glob("*/truth.json")):
        truth = json.loads(truth_file.read_text(encoding="utf-8"))
        for doc in truth["documents"]:
            if doc["doc_type"] != doc_type or doc["format"] not in formats:
                continue
            if renders is not None and doc["render"] not in renders:
                continue
            out.append(
                Sample(
                    submission=truth_file.parent,
                    path=truth_file.parent / doc["path"],
                    fmt=doc["format"],
                    pages=int(doc.get("pages") or 1),
                    fields={k: v for k, v in doc["fields"].items() if k not in doc.get("unscored_fields", [])},
                )
            )
    return out


def _same(expected: Any, got: Any) -> bool:
    if isinstance(expected, list):
        return isinstance(got, list) and json.dumps(expected, sort_keys=True) == json.dumps(got, sort_keys=True)
    return str(expected).replace(" ", "") == str(got).replace(" ", "")


def field_score(samples: list[Sample], predicted: list[dict[str, Any]]) -> tuple[int, int, int]:
    """(fields right, fields expected, fields reported) summed over the samples."""
    right = expected = reported = 0
    for sample, got in zip(samples, predicted, strict=True):
        expected += len(sample.fields)
        reported += len(got)
        right += sum(1 for name, value in sample.fields.items() if name in got and _same(value, got[name]))
    return right, expected, reported


# --- ours --------------------------------------------------------------------------------------


def ours_end_to_end(sample: Sample) -> dict[str, Any]:
    """Read, classify, extract, then run the submission's checks on this one document."""
    from checks.policy import load_policy
    from extractors.process import process_file
    from models.settings import Settings
    from pipeline.submission import evaluate_read, load_application

    doc = process_file(sample.path, settings=Settings.from_env()).model_copy(update={"path": sample.path.name})
    application = load_application(sample.submission)
    policy = load_policy(application.policy)
    evaluate_read(application, [doc], [], lists=_lists(policy), policy=policy)
    return {name: f.value for name, f in doc.fields.items()}


_LIST_CACHE: dict[str, Any] = {}


def _lists(policy: Any) -> Any:
    from models.settings import Settings
    from pipeline.submission import load_lists

    key = policy.name if hasattr(policy, "name") else str(id(policy))
    if key not in _LIST_CACHE:
        _LIST_CACHE[key] = load_lists(policy, home=Settings.from_env().home)
    return _LIST_CACHE[key]


# --- baseline: pdftotext + regular expressions (invoice2data style) ------------------------------

_BASELINE_PATTERNS: dict[str, str] = {
    "invoice_code": r"发票代码[:：\s]*(\d{10,12})",
    "invoice_number": r"发票号码[:：\s]*(\d{8,20})",
    "issue_date": r"开票日期[:：\s]*(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日",
    "check_code": r"校\s*验\s*码[:：\s]*([\d\s]{20,30})",
    "total_incl_tax": r"[（(]小写[)）]\s*[¥￥]?\s*([\d,]+\.\d{2})",
    "buyer_tax_id": r"(?:纳税人识别号|统一社会信用代码/纳税人识别号)[:：\s]*([0-9A-Z]{15,20})",
}


def baseline_extract(path: Path) -> dict[str, Any]:
    """What a template tool gets from the flat text: the first match of each pattern, no provenance."""
    text = subprocess.run(
        ["pdftotext", "-layout", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=False, timeout=60
    ).stdout.decode("utf-8", "replace")
    out: dict[str, Any] = {}
    for name, pattern in _BASELINE_PATTERNS.items():
        match = re.search(pattern, text)
        if not match:
            continue
        if name == "issue_date":
            year, month, day = match.groups()
            out[name] = f"{year}-{int(month):02d}-{int(day):02d}"
        elif name == "check_code":
            out[name] = re.sub(r"\s", "", match.group(1))
        elif name == "total_incl_tax":
            out[name] = match.group(1).replace(",", "")
        else:
            out[name] = match.group(1)
    return out


# --- naive OCR: the engine alone on the full page ----------------------------------------------


def naive_full_page_ocr(sample: Sample, dpi: int) -> int:
    """Rasterise every page at ``dpi`` and run rapidocr with its defaults; returns lines found."""
    import pypdfium2 as pdfium
    from rapidocr import RapidOCR

    engine = _naive_engine(RapidOCR)
    lines = 0
    pdf = pdfium.PdfDocument(str(sample.path))
    try:
        for index in range(len(pdf)):
            image = pdf[index].render(scale=dpi / 72).to_numpy()
            result = engine(image)
            lines += len(result.txts or ())
    finally:
        pdf.close()
    return lines


_NAIVE: list[Any] = []


def _naive_engine(factory: Callable[[], Any]) -> Any:
    if not _NAIVE:
        _NAIVE.append(factory())
    return _NAIVE[0]


# --- measurement ------------------------------------------------------------------------------


def _time_all(samples: list[Sample], func: Callable[[Sample], Any]) -> tuple[float, list[Any]]:
    start = time.perf_counter()
    outputs = [func(s) for s in samples]
    return time.perf_counter() - start, outputs


def alternate(
    samples: list[Sample], a: Callable[[Sample], Any], b: Callable[[Sample], Any], repeat: int
) -> tuple[list[float], list[float], list[Any], list[Any]]:
    """Run A then B over all samples, ``repeat`` rounds; returns both timings and the last outputs."""
    a_times: list[float] = []
    b_times: list[float] = []
    a_out: list[Any] = []
    b_out: list[Any] = []
    for _ in range(repeat):
        elapsed, a_out = _time_all(samples, a)
        a_times.append(elapsed)
        elapsed, b_out = _time_all(samples, b)
        b_times.append(elapsed)
    return a_times, b_times, a_out, b_out


def born_digital(repeat: int) -> dict[str, Any]:
    pdfs = corpus_samples("invoice", {"text_layer"})
    ofds = corpus_samples("invoice", {"ofd"})
    for warm in (pdfs[:1], ofds[:1]):
        for sample in warm:
            ours_end_to_end(sample)
    ours_t, base_t, ours_out, base_out = alternate(pdfs, ours_end_to_end, lambda s: baseline_extract(s.path), repeat)
    ofd_times = [_time_all(ofds, ours_end_to_end)[0] for _ in range(repeat)] if ofds else []
    ofd_out = [ours_end_to_end(s) for s in ofds]
    ours_med, base_med = statistics.median(ours_t), statistics.median(base_t)
    return {
        "pdf_documents": len(pdfs),
        "ours_docs_per_s": round(len(pdfs) / ours_med, 1),
        "baseline_docs_per_s": round(len(pdfs) / base_med, 1),
        "speed_ratio_ours_over_baseline": round(base_med / ours_med, 2),
        "ours_fields": field_score(pdfs, ours_out),
        "baseline_fields": field_score(pdfs, base_out),
        "ofd_documents": len(ofds),
        "ofd_docs_per_s": round(len(ofds) / statistics.median(ofd_times), 1) if ofd_times else None,
        "ofd_fields": field_score(ofds, ofd_out) if ofds else None,
    }


def scan_path(repeat: int, dpi: int) -> dict[str, Any]:
    scans = corpus_samples("invoice", {"ocr"}, {"scan"}) + corpus_samples("certificate", {"ocr"}, {"scan"})
    pages = sum(s.pages for s in scans)
    ours_end_to_end(scans[0])
    naive_full_page_ocr(scans[0], dpi)
    ours_t, naive_t, ours_out, _ = alternate(scans, ours_end_to_end, lambda s: naive_full_page_ocr(s, dpi), repeat)
    ours_med, naive_med = statistics.median(ours_t), statistics.median(naive_t)
    return {
        "scanned_documents": len(scans),
        "pages": pages,
        "dpi": dpi,
        "ours_s_per_page": round(ours_med / pages, 3),
        "naive_ocr_s_per_page": round(naive_med / pages, 3),
        "ratio_ours_over_naive": round(ours_med / naive_med, 2),
        "ours_fields": field_score(scans, ours_out),
    }


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument("--skip-scan", action="store_true")
    args = parser.parse_args(argv)
    from models.settings import Settings

    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    report: dict[str, Any] = {"born_digital": born_digital(args.repeat)}
    if not args.skip_scan:
        report["scan"] = scan_path(args.repeat, Settings.from_env().raster_dpi)
    text = json.dumps(report, ensure_ascii=False, indent=2)
    print(text)
    if args.json:
        args.json.write_text(text, encoding="utf-8")
    return report


if __name__ == "__main__":
    main()
