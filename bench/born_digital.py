"""Born-digital reading against ``pdftotext -layout`` in one run: issue 20's ratio, fields beside it.

Run: ``.venv/bin/python -m bench.born_digital [--rounds 5] [--json FILE] [--no-real] [--without-seals]``.

* Files: the text-layer PDF and OFD invoices of the corpus (``truth.json``) and, where
  ``../shared/real`` is present, its text-layer PDF and OFD invoices (``truth/*.json``), read in
  place (never copied).
* A, ours: ``extractors.process.process_file`` (text layer, classification, fields with boxes,
  QR, seals) over every PDF in this one warm process, plus the checks of its submission for the
  corpus documents (the real ones have no ``application.yaml``).
* B, the baseline: ``pdftotext -layout FILE -`` over the same PDFs, one process per file, as a
  text dump is run. It extracts no field; our fields right against the truth stand beside the ratio.
* Rounds alternate A B A B; the figures are medians over rounds. Each round of A gets an OCR engine
  of its own, so no stamp is recognised from an earlier round's memory (``extractors.seals.memo``);
  within a round identical stamps on different invoices are read once, as in a batch.
* OFD invoices are timed for A only (pdftotext reads no OFD).
* ``--without-seals`` times A with the text-layer seal search left out (what that search costs;
  the product always runs it).

Figures only: nothing here passes or fails on time.
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import shutil
import statistics
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.e2e import corpus_samples

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Item:
    """One born-digital file, the fields its truth expects, and the submission it belongs to (corpus)."""

    path: Path
    set_name: str  # corpus | real
    expected: dict[str, Any]
    submission: Path | None


def corpus_items() -> list[Item]:
    samples = corpus_samples("invoice", {"text_layer", "ofd"})
    return [Item(s.path, "corpus", s.fields, s.submission) for s in samples]


def real_items() -> list[Item]:
    """The real set's text-layer PDF and OFD invoices; empty when ``../shared/real`` is absent."""
    from sample_docs.real_set import load_real

    return [
        Item(d.path, "real", d.expected, None)
        for d in load_real()
        if d.kind == "invoice_digital" and d.path.suffix.lower() in {".pdf", ".ofd"}
    ]


class Ours:
    """Our reader with a fresh OCR engine per round, and the checks of the document's submission."""

    def __init__(self) -> None:
        from models.settings import Settings

        self.settings = Settings.from_env()
        self.engine: Any = None
        self._checks: dict[Path, Callable[[Any], None]] = {}

    def new_round(self) -> None:
        from extractors.ocr import get_engine

        self.engine = type(get_engine(self.settings.ocr_engine))()

    def __call__(self, item: Item) -> dict[str, Any]:
        from extractors.process import process_file

        doc = process_file(item.path, engine=self.engine, settings=self.settings)
        if item.submission is not None:
            self._checker(item.submission)(doc.model_copy(update={"path": item.path.name}))
        return {name: f.value for name, f in doc.fields.items()}

    def _checker(self, submission: Path) -> Callable[[Any], None]:
        if submission not in self._checks:
            from checks.policy import load_policy
            from pipeline.submission import evaluate_read, load_application, load_lists

            application = load_application(submission)
            policy = load_policy(application.policy)
            lists = load_lists(policy, home=self.settings.home)

            def check(doc: Any) -> None:
                evaluate_read(application, [doc], [], lists=lists, policy=policy)

            self._checks[submission] = check
        return self._checks[submission]


def pdftotext(item: Item) -> int:
    """Characters of the plain-text dump (stderr dropped: poppler warns on every CJK font)."""
    done = subprocess.run(
        ["pdftotext", "-layout", "-enc", "UTF-8", str(item.path), "-"],
        capture_output=True,
        check=False,
        timeout=120,
    )
    return len(done.stdout)


def score(items: list[Item], outputs: list[dict[str, Any]]) -> dict[str, list[int]]:
    """[right, expected] per set, values compared through the scorer's normalisation."""
    from sample_docs.scoring import normalise

    out: dict[str, list[int]] = {}
    for item, got in zip(items, outputs, strict=True):
        tally = out.setdefault(item.set_name, [0, 0])
        for name, expected in item.expected.items():
            tally[1] += 1
            tally[0] += int(normalise(name, got.get(name)) == normalise(name, expected))
    return out


def _timed(
    items: list[Item], func: Callable[[Item], Any], each: dict[str, list[float]] | None = None
) -> tuple[float, list[Any]]:
    start = time.perf_counter()
    outputs: list[Any] = []
    for item in items:
        began = time.perf_counter()
        outputs.append(func(item))
        if each is not None:
            each.setdefault(f"{item.set_name}/{item.path.parent.name}/{item.path.name}", []).append(
                time.perf_counter() - began
            )
    return time.perf_counter() - start, outputs


def _by_set(items: list[Item], each: dict[str, list[float]], name: str) -> float:
    """Median seconds of one round over the files of one set."""
    keys = [f"{i.set_name}/{i.path.parent.name}/{i.path.name}" for i in items if i.set_name == name]
    return sum(statistics.median(each[k]) for k in keys)


def run(items: list[Item], rounds: int) -> dict[str, Any]:
    pdfs = [i for i in items if i.path.suffix.lower() == ".pdf"]
    ofds = [i for i in items if i.path.suffix.lower() == ".ofd"]
    ours = Ours()
    ours.new_round()
    for warm in (pdfs[:1], ofds[:1]):  # imports, models, the lists: paid once by any long-lived process
        _timed(warm, ours)
    ours_s: list[float] = []
    text_s: list[float] = []
    ours_each: dict[str, list[float]] = {}
    text_each: dict[str, list[float]] = {}
    ofd_s: list[float] = []
    pdf_out: list[Any] = []
    ofd_out: list[Any] = []
    for _ in range(rounds):
        ours.new_round()
        elapsed, pdf_out = _timed(pdfs, ours, ours_each)
        ours_s.append(elapsed)
        text_s.append(_timed(pdfs, pdftotext, text_each)[0])
        elapsed, ofd_out = _timed(ofds, ours)
        ofd_s.append(elapsed)
    ours_med, text_med = statistics.median(ours_s), statistics.median(text_s)
    return {
        "pdf_files": {name: sum(1 for i in pdfs if i.set_name == name) for name in ("corpus", "real")},
        "pdf_pages": _pages(pdfs),
        "ours_pdf_s": round(ours_med, 3),
        "pdftotext_pdf_s": round(text_med, 3),
        "ratio_ours_over_pdftotext": round(ours_med / text_med, 2),
        "ratio_per_round": [round(a / b, 2) for a, b in zip(ours_s, text_s, strict=True)],
        "ratio_by_set": {
            name: round(_by_set(pdfs, ours_each, name) / _by_set(pdfs, text_each, name), 2)
            for name in ("corpus", "real")
            if any(i.set_name == name for i in pdfs)
        },
        "slowest_ours_ms": dict(
            sorted(((k, round(1000 * statistics.median(v), 1)) for k, v in ours_each.items()), key=lambda kv: -kv[1])[
                :6
            ]
        ),
        "ours_ms_per_pdf": round(1000 * ours_med / max(1, len(pdfs)), 1),
        "pdftotext_ms_per_pdf": round(1000 * text_med / max(1, len(pdfs)), 1),
        "pdf_fields_right_expected": score(pdfs, pdf_out),
        "ofd_files": len(ofds),
        "ours_ms_per_ofd": round(1000 * statistics.median(ofd_s) / len(ofds), 1) if ofds else None,
        "ofd_fields_right_expected": score(ofds, ofd_out),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }


def _pages(items: list[Item]) -> int:
    import pypdfium2 as pdfium

    total = 0
    for item in items:
        document = pdfium.PdfDocument(str(item.path))
        try:
            total += len(document)
        finally:
            document.close()
    return total


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument("--no-real", action="store_true", help="the corpus only")
    parser.add_argument("--without-seals", action="store_true", help="leave the text-layer seal search out")
    args = parser.parse_args(argv)
    if args.without_seals:
        _leave_out_text_layer_seals()
    if shutil.which("pdftotext") is None:
        raise SystemExit("pdftotext is missing: bash scripts/install.sh installs poppler-utils")
    items = corpus_items() + ([] if args.no_real else real_items())
    if not any(i.path.suffix.lower() == ".pdf" for i in items):
        raise SystemExit("no text-layer PDF invoice found (sample_docs/corpus, ../shared/real)")
    version = subprocess.run(["pdftotext", "-v"], capture_output=True, text=True, check=False).stderr.splitlines()
    report = {
        "machine": f"{platform.processor() or platform.machine()}, load average {_load()}",
        "pdftotext": version[0] if version else "",
        "rounds": args.rounds,
        "text_layer_seal_search": not args.without_seals,
        **run(items, args.rounds),
    }
    text = json.dumps(report, ensure_ascii=False, indent=2)
    print(text)
    if args.json:
        args.json.write_text(text, encoding="utf-8")
    return report


def _leave_out_text_layer_seals() -> None:
    from extractors.seals.hook import SealCollector

    def no_search(self: SealCollector, path: Path, pages: dict[int, int]) -> list[Any]:
        return []

    SealCollector._text_layer_seals = no_search  # type: ignore[method-assign]


def _load() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text(encoding="utf-8").split()[:3])
    except OSError:
        return "unknown"


if __name__ == "__main__":
    main()
