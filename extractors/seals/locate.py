"""Where on a text-layer PDF page a stamp can be: red ink found on a small render of the page.

The stamp search (red mask, rule removal, closing, ellipse fits) over a whole page at the reading
dpi cost more than reading the page's text layer; a red mask of a render at ``LOCATE_DPI`` costs
a fraction of that, and the search then runs only on the regions it points to. It is looser than the
search itself (paler ink, only a form's longest rules left out, no test of shape), so every stamp
the search would find on the whole page lies inside one of its regions, with a margin.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np
import pypdfium2 as pdfium

from extractors.readers import pdf
from extractors.seals import mask

LOCATE_DPI = 72
# Looser than the stamp search itself (mask.ink): a thin ring drawn at 72 dpi is blended with the
# paper around it, so its pixels are paler than the same ink at the reading dpi.
_MIN_SATURATION = 25
_MIN_VALUE = 70
# Only lines longer than this share of the short side are taken for a form's rules: at 72 dpi the
# flat top of a ring is thick enough, relative to its length, to pass for a short rule.
_RULE_SHARE = 0.2
_MIN_SIDE_SHARE = 0.03
_MARGIN_SHARE = 0.12
_MARGIN_PX = 12


@dataclass(frozen=True, slots=True)
class Region:
    """A box in pixels at the reading dpi (top-left origin), clipped to the page."""

    x0: int
    y0: int
    x1: int
    y1: int


def small_render(page: pdfium.PdfPage) -> np.ndarray:
    """The page in colour at ``LOCATE_DPI``."""
    return pdf.render(page, LOCATE_DPI)


def render_size(page: pdfium.PdfPage, dpi: int) -> tuple[int, int]:
    """(width, height) in pixels of the whole page rendered at ``dpi``, as pdfium sizes it."""
    scale = dpi / 72
    return math.ceil(page.get_width() * scale), math.ceil(page.get_height() * scale)


def stamp_regions(small: np.ndarray, dpi: int, size: tuple[int, int]) -> list[Region]:
    """Regions at ``dpi`` (page ``size`` = width, height in px) around every patch of red ink in
    ``small`` big enough to be part of a stamp, the form's long rules left out."""
    short = min(small.shape[:2])
    red = _red(small, short)
    count, _, stats, _ = cv2.connectedComponentsWithStats(red, connectivity=8)
    scale = dpi / LOCATE_DPI
    width, height = size
    boxes: list[Region] = []
    for label in range(1, count):
        x, y, w, h = (int(v) for v in stats[label][:4])
        if max(w, h) < _MIN_SIDE_SHARE * short:
            continue
        margin = _MARGIN_PX + _MARGIN_SHARE * max(w, h) * scale
        boxes.append(
            Region(
                max(0, int(x * scale - margin)),
                max(0, int(y * scale - margin)),
                min(width, math.ceil((x + w) * scale + margin)),
                min(height, math.ceil((y + h) * scale + margin)),
            )
        )
    return _merged(boxes)


def _red(small: np.ndarray, short: int) -> np.ndarray:
    """Stamp-red pixels of the small render without the long rules, dilated so a ring's pieces join."""
    hsv = cv2.cvtColor(small, cv2.COLOR_RGB2HSV)
    hue, sat, val = hsv[:, :, 0], hsv[:, :, 1], hsv[:, :, 2]
    red = ((hue <= mask.RED_LOW_HUE) | (hue >= mask.RED_HIGH_HUE)) & (sat >= _MIN_SATURATION) & (val >= _MIN_VALUE)
    binary = red.astype(np.uint8)
    length = max(25, int(_RULE_SHARE * short))
    rows = cv2.morphologyEx(binary, cv2.MORPH_OPEN, np.ones((1, length), np.uint8))
    columns = cv2.morphologyEx(binary, cv2.MORPH_OPEN, np.ones((length, 1), np.uint8))
    rules = cv2.dilate(cv2.bitwise_or(rows, columns), np.ones((3, 3), np.uint8))
    kept = cv2.bitwise_and(binary, cv2.bitwise_not(rules * 255))
    return np.asarray(cv2.dilate(kept, np.ones((5, 5), np.uint8)), dtype=np.uint8)


def _merged(boxes: list[Region]) -> list[Region]:
    """Overlapping regions joined, so a stamp is never cut in two nor searched twice."""
    out: list[Region] = []
    for box in boxes:
        current = box
        overlapping = [o for o in out if _overlap(current, o)]
        while overlapping:
            for other in overlapping:
                out.remove(other)
                current = _union(current, other)
            overlapping = [o for o in out if _overlap(current, o)]
        out.append(current)
    return out


def _union(a: Region, b: Region) -> Region:
    return Region(min(a.x0, b.x0), min(a.y0, b.y0), max(a.x1, b.x1), max(a.y1, b.y1))


def _overlap(a: Region, b: Region) -> bool:
    return a.x0 < b.x1 and b.x0 < a.x1 and a.y0 < b.y1 and b.y0 < a.y1
