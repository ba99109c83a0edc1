"""Build the glyph look-alike table (matchers/lists/config/glyph_similar.csv) from rendered shapes.

A hand-written table of OCR look-alikes is always incomplete, so the pairs are derived from the
glyphs themselves: every GB 2312 hanzi, plus the GBK hanzi the installed recogniser can output, is
rendered with the install's CJK font (fonts-wqy-microhei, scripts/install.sh), reduced to grey
images at 8, 16 and 32 pixels (blurred, so a stroke one pixel off still overlaps) and compared by
correlation. A pair is kept when it is among the closest shapes of either character and similar
enough in absolute terms: rank keeps dense characters from pairing with everything dense.

Run at build time only (never at query time): ``python -m matchers.glyphs_build``. Needs the
optional build dependencies opencv (cv2) and Pillow; a test checks the committed file's header.
"""

from __future__ import annotations

import csv
import sys
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from matchers.name_normalize import normalize_name
from matchers.names_config import CONFIG_DIR

OUTPUT = CONFIG_DIR / "glyph_similar.csv"
VERSION = "1"
FONT = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
# (size in pixels, Gaussian sigma) of each reduced image; each scale weighs the same
SCALES = ((8, 0.0), (16, 0.7), (32, 1.0))
MAX_RANK = 15  # the pair is among the 15 closest shapes of one of its two characters
MIN_SCORE = 0.74  # and correlates at least this much
_CANVAS, _FONT_PX, _OFFSET = 72, 64, 4
_BLOCK = 1000


def gb2312_hanzi() -> list[str]:
    """The 6,763 hanzi of GB 2312 (rows 0xB0-0xF7), in code order."""
    out: list[str] = []
    for high in range(0xB0, 0xF8):
        for low in range(0xA1, 0xFF):
            try:
                out.append(bytes([high, low]).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return out


def _gbk_hanzi() -> Iterator[str]:
    for high in range(0x81, 0xFF):
        for low in range(0x40, 0xFF):
            if low == 0x7F:
                continue
            try:
                ch = bytes([high, low]).decode("gbk")
            except UnicodeDecodeError:
                continue
            if "\u4e00" <= ch <= "\u9fff":
                yield ch


def recogniser_alphabet() -> frozenset[str]:
    """The characters the installed rapidocr recogniser can output (its model's metadata)."""
    import onnxruntime as ort  # build-time only
    import rapidocr

    models = Path(rapidocr.__file__).parent / "models"
    found = sorted(models.glob("*rec*.onnx"))
    if not found:
        return frozenset()
    session = ort.InferenceSession(str(found[0]), providers=["CPUExecutionProvider"])
    return frozenset(session.get_modelmeta().custom_metadata_map.get("character", "").splitlines())


def character_set() -> list[str]:
    """GB 2312, then the 'common GBK' hanzi: those outside GB 2312 that OCR can actually produce.

    Characters that normalisation rewrites (traditional forms: 東 → 东) never reach the comparison,
    so they are left out.
    """
    base = [ch for ch in gb2312_hanzi() if normalize_name(ch) == ch]
    known = set(base)
    alphabet = recogniser_alphabet()
    return base + [ch for ch in _gbk_hanzi() if ch not in known and ch in alphabet and normalize_name(ch) == ch]


def _features(chars: list[str]) -> np.ndarray:
    """One unit vector per character: its mean-centred grey images at every scale, concatenated."""
    import cv2
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype(str(FONT), _FONT_PX)
    rows = []
    for ch in chars:
        image = Image.new("L", (_CANVAS, _CANVAS), 0)
        ImageDraw.Draw(image).text((_OFFSET, _OFFSET), ch, font=font, fill=255)
        grey = np.asarray(image, np.float32) / 255.0
        parts = []
        for size, sigma in SCALES:
            small = cv2.resize(grey, (size, size), interpolation=cv2.INTER_AREA)
            if sigma > 0:
                small = cv2.GaussianBlur(small, (0, 0), sigma)
            vector = small.ravel() - small.mean()
            norm = float(np.linalg.norm(vector))
            parts.append(vector / norm if norm else vector)
        joined = np.concatenate(parts)
        rows.append(joined / max(float(np.linalg.norm(joined)), 1e-9))
    return np.stack(rows).astype(np.float32)


def _neighbours(features: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Each character's ``k`` closest shapes (indexes and correlations), best first."""
    count = features.shape[0]
    top_i = np.zeros((count, k), np.int32)
    top_v = np.zeros((count, k), np.float32)
    for start in range(0, count, _BLOCK):
        end = min(count, start + _BLOCK)
        sim = features[start:end] @ features.T
        sim[np.arange(end - start), np.arange(start, end)] = -1.0
        idx = np.argpartition(-sim, k, axis=1)[:, :k]
        val = np.take_along_axis(sim, idx, 1)
        order = np.argsort(-val, axis=1, kind="stable")
        top_i[start:end] = np.take_along_axis(idx, order, 1)
        top_v[start:end] = np.take_along_axis(val, order, 1)
    return top_i, top_v


def similar_pairs(chars: list[str]) -> list[tuple[str, str, float, int]]:
    """(a, b, correlation, best rank) with a < b, for every kept pair."""
    top_i, top_v = _neighbours(_features(chars), MAX_RANK)
    kept: dict[tuple[str, str], tuple[float, int]] = {}
    for row in range(len(chars)):
        for rank in range(MAX_RANK):
            score = float(top_v[row, rank])
            if score < MIN_SCORE:
                break
            a, b = sorted((chars[row], chars[int(top_i[row, rank])]))
            previous = kept.get((a, b))
            kept[(a, b)] = (round(score, 3), min(rank + 1, previous[1]) if previous else rank + 1)
    return sorted((a, b, s, r) for (a, b), (s, r) in kept.items())


def write_table(path: Path = OUTPUT) -> int:
    chars = character_set()
    pairs = similar_pairs(chars)
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write(
            f"# glyph look-alikes v{VERSION}: python -m matchers.glyphs_build; font {FONT.name}; "
            f"{len(chars)} hanzi (GB 2312 + GBK in the OCR alphabet); scales {SCALES}; "
            f"rank <= {MAX_RANK}, score >= {MIN_SCORE}\n"
        )
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["a", "b", "score", "rank"])
        for a, b, score, rank in pairs:
            writer.writerow([a, b, f"{score:.3f}", rank])
    return len(pairs)


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else OUTPUT
    print(f"{write_table(target)} pairs written to {target}")
