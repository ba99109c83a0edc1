"""QR codes on a page image: the 数电票 QR carries number, date and amount for cross-checking.

Measured on rendered and noisy invoice pages (bench/reading.py): decoding the whole page is
unreliable at any single scale (module edges alias) and slow at full resolution (up to 7 s with
the plain detector). Finding the codes with ``QRCodeDetectorAruco`` on a page shrunk to ≤1800 px,
then decoding each cropped code resampled to a few fixed sizes, found every code in ≤0.2 s.
"""

from __future__ import annotations

import threading

import cv2
import numpy as np

from extractors.qr_grid import decode_modules

_local = threading.local()
_DETECT_SIDE = 1800
_CROP_SIZES = (300, 400, 200, 520)
_MAX_CANDIDATES = 6


def _detectors() -> tuple[cv2.QRCodeDetectorAruco, cv2.QRCodeDetector]:
    found = getattr(_local, "detectors", None)
    if found is None:
        found = (cv2.QRCodeDetectorAruco(), cv2.QRCodeDetector())
        _local.detectors = found
    return found


def decode_qr(image: np.ndarray, *, clean: bool = False) -> list[str]:
    """Raw payloads of every QR code on an RGB or grey page image, top to bottom, without repeats.

    ``clean`` is for rendered born-digital pages: square ink blobs are found by morphology (~3 ms)
    instead of the detector pass (~40 ms on A4 at 100 dpi), and only those are decoded.
    """
    gray = cv2.cvtColor(image, cv2.COLOR_RGB2GRAY) if image.ndim == 3 else image
    quads = _square_blobs(gray) if clean else _find_codes(gray)
    payloads: list[str] = []
    for quad in sorted(quads, key=lambda q: float(q[:, 1].min())):
        text = _decode_crop(gray, quad)
        if text and text not in payloads:
            payloads.append(text)
    return payloads


def decode_code_image(image: np.ndarray) -> list[str]:
    """Payloads of an image that is itself a QR code (an image object embedded in a born-digital PDF).

    Such codes are pixel-perfect: their modules are sampled on a grid and decoded directly (~0.3 ms,
    cv2 on a redraw if they do not check out); a code that is not (anti-aliased, rotated) goes
    through one ``detectAndDecode`` pass
    (~8 ms), then the page search of ``decode_qr`` (~18 ms: detector, then crops).
    """
    gray = cv2.cvtColor(image, cv2.COLOR_RGB2GRAY) if image.ndim == 3 else image
    text = _decode_module_grid(gray)
    if not text:
        aruco, _ = _detectors()
        try:
            text = str(aruco.detectAndDecode(gray)[0])
        except cv2.error:
            text = ""
    return [text] if text else decode_qr(gray)


def _decode_module_grid(gray: np.ndarray) -> str:
    """Read an axis-aligned, unblurred code by sampling each module's centre, then decode the modules
    (or, when they do not check out, let cv2 error-correct a clean redraw)."""
    ink = gray < 128
    rows, cols = np.flatnonzero(ink.any(axis=1)), np.flatnonzero(ink.any(axis=0))
    if rows.size == 0:
        return ""
    y0, y1, x0, x1 = int(rows[0]), int(rows[-1]) + 1, int(cols[0]), int(cols[-1]) + 1
    top = ink[y0, x0:x1]
    finder = int(np.argmin(top)) if not top.all() else top.size  # the top-left finder is 7 modules wide
    modules = round(7 * (x1 - x0) / finder) if finder else 0
    if modules < 21 or modules > 177 or (modules - 17) % 4:
        return ""
    centres = (np.arange(modules) + 0.5) / modules
    bits = ink[np.ix_((y0 + centres * (y1 - y0)).astype(int), (x0 + centres * (x1 - x0)).astype(int))]
    text = decode_modules(bits)
    if text:
        return text
    scale, quiet = 3, 12
    pixels = np.repeat(np.repeat(np.where(bits, 0, 255).astype(np.uint8), scale, axis=0), scale, axis=1)
    redrawn = np.pad(pixels, quiet, constant_values=255).astype(np.uint8)
    side = float(quiet + modules * scale)
    corners = np.array([[[quiet, quiet], [side, quiet], [side, side], [quiet, side]]], dtype=np.float32)
    _, plain = _detectors()
    try:
        return str(plain.decode(redrawn, corners)[0] or "")
    except cv2.error:
        return ""


def _find_codes(gray: np.ndarray) -> list[np.ndarray]:
    aruco, _ = _detectors()
    first = min(1.0, _DETECT_SIDE / max(gray.shape[:2]))
    for scale in (first, first * 0.5):
        small = gray if scale >= 1.0 else cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
        try:
            ok, points = aruco.detectMulti(small)
        except cv2.error:
            continue
        if ok and points is not None and len(points):
            return _distinct([np.asarray(quad, dtype=np.float32) / scale for quad in points])
    return []


def _square_blobs(gray: np.ndarray) -> list[np.ndarray]:
    """Dense, roughly square ink regions: where a QR code can be on a clean page."""
    ink = cv2.threshold(gray, 128, 255, cv2.THRESH_BINARY_INV)[1]
    merged = cv2.morphologyEx(ink, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (5, 5)))
    contours, _ = cv2.findContours(merged, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    limit = 0.45 * min(gray.shape[:2])
    quads: list[np.ndarray] = []
    for contour in contours:
        x, y, w, h = cv2.boundingRect(contour)
        if not (min(w, h) >= 30 and max(w, h) <= limit and max(w, h) <= 1.25 * min(w, h)):
            continue
        box = ink[y : y + h, x : x + w]
        density = float(np.count_nonzero(box)) / (w * h)
        # Finder patterns fill three corners of a QR code; a large glyph leaves its corners blank.
        corner = max(2, min(w, h) // 20)
        corners = (box[:corner, :corner], box[:corner, -corner:], box[-corner:, :corner])
        if 0.25 <= density <= 0.8 and all(float(c.mean()) > 127 for c in corners):
            quads.append(np.array([[x, y], [x + w, y], [x + w, y + h], [x, y + h]], dtype=np.float32))
    return quads[:_MAX_CANDIDATES]


def _distinct(quads: list[np.ndarray]) -> list[np.ndarray]:
    kept: list[np.ndarray] = []
    for quad in quads:
        centre = quad.mean(axis=0)
        side = float(np.ptp(quad[:, 0]))
        if all(np.linalg.norm(centre - other.mean(axis=0)) > 0.5 * side for other in kept):
            kept.append(quad)
    return kept


def _decode_crop(gray: np.ndarray, quad: np.ndarray) -> str | None:
    aruco, plain = _detectors()
    x0, y0 = quad.min(axis=0)
    x1, y1 = quad.max(axis=0)
    margin = 0.15 * max(x1 - x0, y1 - y0)
    top, left = int(max(0, y0 - margin)), int(max(0, x0 - margin))
    crop = gray[top : int(min(gray.shape[0], y1 + margin)), left : int(min(gray.shape[1], x1 + margin))]
    if crop.size == 0 or min(crop.shape) < 10:
        return None
    for size in _CROP_SIZES:
        factor = size / crop.shape[0]
        interpolation = cv2.INTER_CUBIC if factor > 1 else cv2.INTER_AREA
        resized = cv2.resize(crop, None, fx=factor, fy=factor, interpolation=interpolation)
        try:
            text, _, _ = plain.detectAndDecode(resized)
            if text:
                return str(text)
            ok, texts, _, _ = aruco.detectAndDecodeMulti(resized)
        except cv2.error:
            continue
        if ok and texts and texts[0]:
            return str(texts[0])
    return None
