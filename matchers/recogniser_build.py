"""Build the recogniser's confusion table (matchers/lists/config/recogniser_confusions.csv).

Why: the glyph table compares rendered shapes, and shape alone cannot tell an OCR slip from a
different character: 讯/迅 (correlation 0.77) are misread for each other, 德/博 (0.87) are not. The
installed recogniser can: every character of the glyph table's set is rendered in a text line,
degraded to the line heights of poor scans, and read by rapidocr's own recognition model; at the
time steps where the model reads the character, the classes it ranks next are the characters it
could have read instead. A character's alternatives are kept up to ``MAX_RANK`` (best rank over
the degradations); a pair counts in either direction. Only pairs of the glyph table are written:
the matcher asks the recogniser only whether a weaker shape pair is a real slip.

Run at build time only (never at query time): ``python -m matchers.recogniser_build``. Needs
onnxruntime, opencv (cv2), Pillow and the rapidocr wheel's models; a test checks the committed
file's header and that it agrees with the recogniser on a few pairs.
"""

from __future__ import annotations

import csv
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from matchers.glyphs_build import FONT, character_set
from matchers.names_config import CONFIG_DIR, generated_rows

OUTPUT = CONFIG_DIR / "recogniser_confusions.csv"
VERSION = "1"
MAX_RANK = 20
# line heights (pixels) a 56-pixel rendered line is reduced to before reading: a clean render, a
# 200 dpi scan of small print, and two worse ones; 0 = not reduced
DEGRADED_HEIGHTS = (0, 20, 16, 13)
_PER_LINE = 8
_FONT_PX, _LINE_PX, _MODEL_PX = 40, 56, 48


def _session() -> tuple[Any, list[str]]:
    """The rapidocr recognition model and its classes (index 0 is CTC's blank)."""
    import onnxruntime as ort
    import rapidocr

    models = Path(rapidocr.__file__).parent / "models"
    found = sorted(models.glob("*rec*.onnx"))
    session = ort.InferenceSession(str(found[0]), providers=["CPUExecutionProvider"])
    alphabet = session.get_modelmeta().custom_metadata_map.get("character", "").splitlines()
    return session, ["", *alphabet, " "]


def _line_image(text: str, height: int) -> np.ndarray:
    """``text`` rendered black on white, reduced to ``height`` pixels and back, as the model wants it."""
    import cv2
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype(str(FONT), _FONT_PX)
    image = Image.new("RGB", (_FONT_PX * len(text) + 20, _LINE_PX), "white")
    ImageDraw.Draw(image).text((10, 6), text, font=font, fill="black")
    pixels = np.asarray(image)
    if height:
        width = max(1, round(pixels.shape[1] * height / _LINE_PX))
        small = cv2.resize(pixels, (width, height), interpolation=cv2.INTER_AREA)
        pixels = cv2.resize(small, (pixels.shape[1], _LINE_PX), interpolation=cv2.INTER_LINEAR)
    width = round(pixels.shape[1] * _MODEL_PX / _LINE_PX)
    pixels = cv2.resize(pixels, (width, _MODEL_PX))
    scaled = (pixels.astype(np.float32) / 255.0 - 0.5) / 0.5
    return np.asarray(scaled.transpose(2, 0, 1))


def _runs(best: np.ndarray) -> list[np.ndarray]:
    """The time steps of each character CTC decodes (runs of one non-blank class)."""
    runs: list[list[int]] = []
    previous = 0
    for step, cls in enumerate(best.tolist()):
        if cls not in (0, previous):
            runs.append([step])
        elif cls != 0:
            runs[-1].append(step)
        previous = cls
    return [np.asarray(r) for r in runs]


def _alternatives(probs: np.ndarray, steps: np.ndarray, true_class: int) -> Iterator[tuple[int, int]]:
    """(class, rank) of the ``MAX_RANK`` classes the model ranks highest after the true one."""
    scores = probs[steps].max(axis=0)
    scores[0] = -1.0
    scores[true_class] = -1.0
    top = np.argpartition(-scores, MAX_RANK)[:MAX_RANK]
    for rank, cls in enumerate(top[np.argsort(-scores[top], kind="stable")], start=1):
        yield int(cls), rank


def _read_lines(session: Any, texts: Sequence[str], height: int) -> list[np.ndarray]:
    """Per-time-step class probabilities of each line (lines of equal length share a batch)."""
    batch = np.stack([_line_image(t, height) for t in texts])
    output: np.ndarray = session.run(None, {session.get_inputs()[0].name: batch})[0]
    return list(output)


def confusions(chars: list[str]) -> dict[tuple[str, str], int]:
    """Best rank of ``b`` among the recogniser's alternatives for ``a`` (or the reverse), a < b."""
    session, classes = _session()
    index = {c: i for i, c in enumerate(classes)}
    known = [c for c in chars if c in index]
    best: dict[tuple[str, str], int] = {}

    def note(a: str, cls: int, rank: int) -> None:
        b = classes[cls]
        if len(b) == 1 and b != a and "\u4e00" <= b <= "\u9fff":
            pair = (min(a, b), max(a, b))
            best[pair] = min(rank, best.get(pair, rank))

    lines = ["".join(known[i : i + _PER_LINE]) for i in range(0, len(known), _PER_LINE)]
    for height in DEGRADED_HEIGHTS:
        for start in range(0, len(lines), 32):
            chunk = [t for t in lines[start : start + 32] if len(t) == _PER_LINE]
            tail = [t for t in lines[start : start + 32] if len(t) != _PER_LINE]
            for group in (chunk, *([t] for t in tail)):
                if not group:
                    continue
                for text, probs in zip(group, _read_lines(session, group, height), strict=True):
                    runs = _runs(probs.argmax(axis=1))
                    if len(runs) != len(text):
                        continue  # a character merged or split: its alternatives cannot be placed
                    for ch, steps in zip(text, runs, strict=True):
                        for cls, rank in _alternatives(probs, steps, index[ch]):
                            note(ch, cls, rank)
    return best


def shape_pairs() -> set[tuple[str, str]]:
    """The glyph table's pairs: the only ones the matcher asks the recogniser about."""
    return {(min(a, b), max(a, b)) for a, b, _, _ in generated_rows("glyph_similar.csv")}


def write_table(path: Path = OUTPUT) -> int:
    chars = character_set()
    shapes = shape_pairs()
    pairs = {pair: rank for pair, rank in confusions(chars).items() if pair in shapes}
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write(
            f"# recogniser confusions v{VERSION}: python -m matchers.recogniser_build; font {FONT.name}; "
            f"{len(chars)} hanzi read in lines of {_PER_LINE} at heights {DEGRADED_HEIGHTS}; rank <= {MAX_RANK}; "
            "pairs of glyph_similar.csv only\n"
        )
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["a", "b", "rank"])
        for (a, b), rank in sorted(pairs.items()):
            writer.writerow([a, b, rank])
    return len(pairs)


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else OUTPUT
    print(f"{write_table(target)} pairs written to {target}")
