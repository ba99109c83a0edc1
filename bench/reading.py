"""Reading benchmarks: seconds per page, peak memory, and what each clean-up step buys OCR.

Run: ``.venv/bin/python -m bench.reading [--repeat N] [--quick]``. Every scenario runs in a fresh
subprocess so its peak RSS is its own. Figures only; nothing here passes or fails on time.
Inputs are generated (tests/test_read_helpers.py), plus the committed sample corpus if present.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from models.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "sample_docs" / "corpus"


def _timed(func: Callable[[], Any], repeat: int) -> dict[str, float]:
    walls, cpus = [], []
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        func()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return {"median_s": statistics.median(walls), "median_cpu_s": statistics.median(cpus), "runs": repeat}


def _expected_lines() -> list[str]:
    from tests.test_read_helpers import INVOICE_LINES

    return [text.replace(" ", "") for _, _, text, _ in INVOICE_LINES]


def ocr_accuracy(lines: list[str]) -> dict[str, float]:
    """Exact-line recall and mean best-match character similarity against the generated invoice."""
    from rapidfuzz import fuzz

    found = [line.replace(" ", "") for line in lines]
    joined = "".join(found)
    expected = _expected_lines()
    exact = sum(1 for text in expected if text in joined)
    similarity = [max((fuzz.ratio(text, line) for line in found), default=0.0) / 100 for text in expected]
    score = round(statistics.mean(similarity), 4)
    return {"lines_exact": exact, "lines_total": len(expected), "char_similarity": score}


# --- scenarios (each runs in its own process) ---------------------------------------------


def scenario_text_layer(work: Path, repeat: int) -> dict[str, Any]:
    from extractors.readers import pdf as pdf_reader
    from extractors.readers.pdf_pages import _born_digital_qr
    from extractors.reading import read_document
    from models.settings import Settings
    from tests.test_read_helpers import make_text_pdf

    path = make_text_pdf(work / "invoice.pdf")
    settings = Settings(home=work / "home")
    read_document(path, settings=settings)
    out: dict[str, Any] = {"read_document": _timed(lambda: read_document(path, settings=settings), repeat)}

    def text_only() -> None:
        with pdf_reader.open_pdf(path) as document, pdf_reader.load_page(path, document, 0) as page:
            pdf_reader.read_text_layer(page, 200)

    def qr_only() -> None:
        with pdf_reader.open_pdf(path) as document, pdf_reader.load_page(path, document, 0) as page:
            _born_digital_qr(page, first_page=True)

    out["text_layer_only"] = _timed(text_only, repeat)
    out["qr_render_100dpi"] = _timed(qr_only, repeat)
    out["pdftotext_bbox_layout"] = _timed(lambda: _pdftotext_words(path), repeat)
    out["box_agreement_px"] = _box_agreement(path, settings)
    corpus = sorted(p for p in CORPUS.rglob("*.pdf") if "digital" in p.parent.name)[:6] if CORPUS.exists() else []
    if corpus:
        per_page = []
        for file in corpus:
            doc = read_document(file, settings=settings)
            if doc.text_source != "text_layer":
                continue
            timing = _timed(partial(read_document, file, settings=settings), repeat)
            per_page.append(timing["median_s"] / max(1, len(doc.pages)))
        if per_page:
            out["corpus_text_layer_median_s_per_page"] = statistics.median(per_page)
    return out


def _pdftotext_words(path: Path) -> list[tuple[str, float, float]]:
    import re

    html = subprocess.run(
        ["pdftotext", "-bbox-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    pattern = r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="[\d.]+" yMax="[\d.]+">([^<]*)</word>'
    return [(m.group(3), float(m.group(1)), float(m.group(2))) for m in re.finditer(pattern, html)]


def _box_agreement(path: Path, settings: Settings) -> dict[str, Any]:
    """Where pdftotext and pdfium put the invoice number (px at 200 dpi): they should agree."""
    from extractors.reading import read_document
    from tests.test_read_helpers import INVOICE_NUMBER

    doc = read_document(path, settings=settings)
    ours = next(line for line in doc.pages[0].lines if INVOICE_NUMBER in line.text)
    theirs = next((w for w in _pdftotext_words(path) if INVOICE_NUMBER in w[0]), None)
    if theirs is None:
        return {"pdftotext_found": False}
    scale = 200 / 72
    return {
        "pdftotext_word": theirs[0][:40],
        "pdftotext_x0_y0_px": [round(theirs[1] * scale, 1), round(theirs[2] * scale, 1)],
        "pdfium_line_x0_y0_px": [round(ours.bbox.x0, 1), round(ours.bbox.y0, 1)],
    }


def scenario_ofd(work: Path, repeat: int) -> dict[str, Any]:
    from extractors.reading import read_document
    from models.settings import Settings
    from tests.test_read_helpers import make_ofd

    path = make_ofd(work / "invoice.ofd")
    settings = Settings(home=work / "home")
    read_document(path, settings=settings)
    out: dict[str, Any] = {"read_document": _timed(lambda: read_document(path, settings=settings), repeat)}
    corpus = sorted(CORPUS.rglob("*.ofd")) if CORPUS.exists() else []
    if corpus:
        out["corpus_files"] = len(corpus)
        out["corpus_median_s"] = statistics.median(
            _timed(partial(read_document, file, settings=settings), repeat)["median_s"] for file in corpus
        )
    return out


def scenario_ocr(work: Path, repeat: int, dpi: int) -> dict[str, Any]:
    from extractors.reading import read_document
    from models.settings import Settings
    from tests.test_read_helpers import add_scan_noise, make_scanned_pdf, make_text_pdf, rasterise

    source = make_text_pdf(work / "src.pdf")
    scan = make_scanned_pdf(work / f"scan{dpi}.pdf", [add_scan_noise(rasterise(source, dpi)[0])], dpi=dpi)
    settings = Settings(home=work / "home", raster_dpi=dpi)
    doc = read_document(scan, settings=settings)  # loads the models once
    out: dict[str, Any] = {"dpi": dpi, "read_document": _timed(lambda: read_document(scan, settings=settings), repeat)}
    out["accuracy"] = ocr_accuracy([line.text for line in doc.pages[0].lines])
    out["qr_found"] = bool(doc.pages[0].qr_payloads)
    return out


def scenario_orientation(work: Path, repeat: int) -> dict[str, Any]:
    """Rotation/skew detection accuracy and cost, and OCR accuracy without / with each correction."""
    import numpy as np
    from PIL import Image

    from extractors import imaging
    from extractors.ocr import get_engine
    from tests.test_read_helpers import add_scan_noise, make_text_pdf, rasterise

    engine = get_engine()
    upright = add_scan_noise(rasterise(make_text_pdf(work / "src.pdf"), 200)[0])
    cases = [(rot, tilt) for rot in (0, 90, 180, 270) for tilt in (0.0, 3.0, -6.0)]
    right, costs, skew_errors = 0, [], []
    ocr: dict[str, list[float]] = {"none": [], "rotation_only": [], "rotation_and_deskew": []}
    heights: dict[str, list[float]] = {}
    for rot, tilt in cases:
        image = upright.rotate(tilt, fillcolor="white", resample=Image.Resampling.BILINEAR).rotate(-rot, expand=True)
        array = np.asarray(image)
        start = time.perf_counter()
        geometry = imaging.analyse(array, engine)
        costs.append(time.perf_counter() - start)
        right += geometry.rotation == (360 - rot) % 360
        skew_errors.append(abs(geometry.skew + tilt))
        if rot in (0, 180) and tilt in (0.0, -6.0):
            variants = {
                "none": array,
                "rotation_only": imaging.rotate(array, geometry.rotation),
                "rotation_and_deskew": imaging.apply(array, geometry),
            }
            for name, candidate in variants.items():
                found = engine.recognize(candidate)
                ocr[name].append(ocr_accuracy([line.text for line in found])["char_similarity"])
                # Tilted lines get tall axis-aligned boxes that overlap the rows above and below.
                key = f"{name}_tilt{tilt:g}"
                heights.setdefault(key, []).append(statistics.median(b.bbox.height for b in found) if found else 0.0)
    return {
        "cases": len(cases),
        "rotation_correct": right,
        "median_skew_error_deg": round(statistics.median(skew_errors), 2),
        "median_analyse_s": round(statistics.median(costs), 3),
        "ocr_char_similarity_mean": {name: round(statistics.mean(v), 4) for name, v in ocr.items() if v},
        "median_line_box_height_px": {name: round(statistics.mean(v), 1) for name, v in heights.items() if v},
    }


def _corpus_ocr_pages(limit: int) -> list[tuple[Path, list[str]]]:
    """Single-page OCR documents of the sample corpus with the field values their truth.json states."""
    import re

    found: list[tuple[Path, list[str]]] = []
    for truth_file in sorted(CORPUS.glob("*/truth.json")) if CORPUS.exists() else []:
        truth = json.loads(truth_file.read_text(encoding="utf-8"))
        for entry in truth.get("documents", []):
            path = truth_file.parent / entry.get("path", "")
            if entry.get("format") == "ocr" and entry.get("pages", 1) == 1 and path.is_file():
                values = [re.sub(r"\s", "", v) for v in entry.get("fields", {}).values() if isinstance(v, str)]
                found.append((path, [v for v in values if len(v) >= 4]))
    return found[:limit]


def scenario_det_sides(work: Path, repeat: int) -> dict[str, Any]:
    """Detection image size against field values found verbatim in the OCR text, and CPU per page."""
    import re

    from extractors.ocr import get_engine
    from extractors.reading import read_document
    from models.settings import Settings

    engine = get_engine("rapidocr")
    pages = _corpus_ocr_pages(6)
    settings = Settings(home=work / "home")
    out: dict[str, Any] = {"pages": len(pages)}
    for side in (960, 1280, 1600, 2000):
        engine.det_side = side  # type: ignore[attr-defined]
        hits = total = 0
        cpu = 0.0
        for path, values in pages:
            start = time.process_time()
            text = re.sub(r"\s", "", read_document(path, engine=engine, settings=settings).all_text())
            cpu += time.process_time() - start
            hits += sum(1 for value in values if value in text)
            total += len(values)
        out[str(side)] = {"values_found": f"{hits}/{total}", "cpu_s_per_page": round(cpu / max(1, len(pages)), 2)}
    return out


SCENARIOS: dict[str, Callable[[Path, int], dict[str, Any]]] = {
    "text_layer": scenario_text_layer,
    "ofd": scenario_ofd,
    "ocr_200dpi": lambda work, repeat: scenario_ocr(work, repeat, 200),
    "ocr_300dpi": lambda work, repeat: scenario_ocr(work, repeat, 300),
    "orientation": scenario_orientation,
    "det_sides": scenario_det_sides,
}


def _run_one(name: str, repeat: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        result = SCENARIOS[name](Path(tmp), repeat)
    result["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--ocr-repeat", type=int, default=3)
    parser.add_argument("--only", choices=sorted(SCENARIOS), action="append")
    parser.add_argument("--scenario", choices=sorted(SCENARIOS), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.scenario:
        repeat = args.ocr_repeat if args.scenario.startswith("ocr") or args.scenario == "orientation" else args.repeat
        print(json.dumps(_run_one(args.scenario, repeat), ensure_ascii=False))
        return
    print(f"# bench.reading on {platform.platform()}, {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}")
    for name in args.only or list(SCENARIOS):
        command = [sys.executable, "-m", "bench.reading", "--scenario", name,
                   "--repeat", str(args.repeat), "--ocr-repeat", str(args.ocr_repeat)]
        done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, check=False)
        if done.returncode != 0:
            print(f"{name}: failed\n{done.stderr[-2000:]}")
            continue
        print(f"{name}: {done.stdout.strip()}", flush=True)


if __name__ == "__main__":
    main()
