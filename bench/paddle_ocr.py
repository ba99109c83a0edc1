"""PaddleOCR beside rapidocr on the same generated scans, run inside bench/.paddle-venv.

``bash bench/paddle_venv.sh`` builds that venv (PaddleOCR pulls opencv-contrib-python, which
cannot share .venv with opencv-python-headless) and runs this module there. PaddleOCR gets local
model directories only, made here from the ONNX files in the rapidocr wheel plus the
``inference.yml`` PaddleX reads, so nothing is downloaded.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

_DET_YML = """Global:
  model_name: PP-OCRv5_mobile_det
PreProcess:
  transform_ops:
  - DecodeImage: {channel_first: false, img_mode: BGR}
  - DetLabelEncode: null
  - DetResizeForTest: {resize_long: 960}
  - NormalizeImage: {mean: [0.5, 0.5, 0.5], order: hwc, scale: 1./255., std: [0.5, 0.5, 0.5]}
  - ToCHWImage: null
  - KeepKeys: {keep_keys: [image, shape, polys, ignore_tags]}
PostProcess: {name: DBPostProcess, thresh: 0.3, box_thresh: 0.5, max_candidates: 1000, unclip_ratio: 1.6}
"""


def build_model_dirs(root: Path) -> tuple[Path, Path]:
    """det/ and rec/ with ``inference.onnx`` + ``inference.yml``; the rec dictionary is the model's own."""
    import onnxruntime as ort
    import rapidocr
    import yaml

    models = Path(rapidocr.__file__).parent / "models"
    det, rec = root / "det", root / "rec"
    det.mkdir(parents=True, exist_ok=True)
    rec.mkdir(parents=True, exist_ok=True)
    shutil.copy(models / "PP-OCRv6_det_small.onnx", det / "inference.onnx")
    (det / "inference.yml").write_text(_DET_YML, encoding="utf-8")
    shutil.copy(models / "PP-OCRv6_rec_small.onnx", rec / "inference.onnx")
    session = ort.InferenceSession(str(rec / "inference.onnx"), providers=["CPUExecutionProvider"])
    characters = session.get_modelmeta().custom_metadata_map["character"].splitlines()
    rec_spec = {
        "Global": {"model_name": "PP-OCRv5_mobile_rec"},
        "PreProcess": {
            "transform_ops": [
                {"DecodeImage": {"channel_first": False, "img_mode": "BGR"}},
                {"MultiLabelEncode": {"gtc_encode": "NRTRLabelEncode"}},
                {"RecResizeImg": {"image_shape": [3, 48, 320]}},
                {"KeepKeys": {"keep_keys": ["image", "label_ctc", "label_gtc", "length", "valid_ratio"]}},
            ]
        },
        "PostProcess": {"name": "CTCLabelDecode", "character_dict": characters},
    }
    (rec / "inference.yml").write_text(yaml.safe_dump(rec_spec, allow_unicode=True), encoding="utf-8")
    return det, rec


def main() -> None:
    import numpy as np

    from bench.reading import ocr_accuracy
    from tests.test_read_helpers import add_scan_noise, make_text_pdf, rasterise

    work = Path(tempfile.mkdtemp(prefix="paddle-bench-"))
    det, rec = build_model_dirs(work / "models")
    os.environ.update({"EVIDENCE_PADDLE_DET_DIR": str(det), "EVIDENCE_PADDLE_REC_DIR": str(rec)})
    os.environ.setdefault("EVIDENCE_PADDLE_ENGINE", "onnxruntime")
    from extractors.ocr import get_engine

    image = np.asarray(add_scan_noise(rasterise(make_text_pdf(work / "invoice.pdf"), 200)[0]))
    report: dict[str, dict[str, Any]] = {}
    for name in ("rapidocr", "paddleocr"):
        try:
            engine = get_engine(name)
        except Exception as exc:  # report why the engine could not start, then go on
            report[name] = {"error": str(exc)[:500]}
            continue
        engine.recognize(image)
        times = []
        for _ in range(3):
            start = time.perf_counter()
            lines = engine.recognize(image)
            times.append(time.perf_counter() - start)
        report[name] = {"version": engine.version, "median_s": round(statistics.median(times), 2),
                        "accuracy": ocr_accuracy([line.text for line in lines])}
    print(json.dumps(report, ensure_ascii=False, indent=2))
    sys.exit(0 if "error" not in report.get("paddleocr", {}) else 1)


if __name__ == "__main__":
    main()
