"""Red ink as a soft mask, and the blobs of it big and round enough to be a stamp.

Stamp ink is red on both ends of the hue circle (OpenCV H ≤ 10 or ≥ 160). The brown-red that
old-style invoices print their labels and rules in sits at H ≈ 14-16 and stays out; black text
stamped over has no saturation and stays out too, so the seal is read without it.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

RED_LOW_HUE = 10
RED_HIGH_HUE = 160
MIN_SATURATION = 45
MIN_VALUE = 70
# A stamp is at least this share of the page's short side across (a 40 mm seal on A4 is ~0.19),
# and at most this share (a stamp filling the page is a red picture, not a seal).
MIN_SIDE_SHARE = 0.045
MAX_SIDE_SHARE = 0.65
MIN_SIDE_PX = 36


@dataclass(frozen=True, slots=True)
class Blob:
    """A connected region of red ink: its box on the page and the ink pixels' coordinates."""

    x0: int
    y0: int
    x1: int
    y1: int
    points: np.ndarray  # (N, 2) int32 x, y of the ink's outline after closing


def ink(image: np.ndarray) -> np.ndarray:
    """Red-ink strength 0-255 per pixel of an RGB image (0 where the pixel is not stamp red)."""
    hsv = cv2.cvtColor(image, cv2.COLOR_RGB2HSV)
    hue, sat, val = hsv[:, :, 0], hsv[:, :, 1].astype(np.int16), hsv[:, :, 2]
    red = ((hue <= RED_LOW_HUE) | (hue >= RED_HIGH_HUE)) & (val >= MIN_VALUE)
    strength = np.clip((sat - MIN_SATURATION + 20) * 3, 0, 255).astype(np.uint8)
    return np.where(red & (sat >= MIN_SATURATION), strength, 0).astype(np.uint8)


def blobs(strength: np.ndarray, rules_found: np.ndarray, short_side: int | None = None) -> list[Blob]:
    """Regions of red ink whose size and proportions fit a stamp, largest first; ``rules_found``
    is :func:`rules` of the ink (table rules would join a stamp to the whole form).

    ``short_side`` is the page's short side in pixels when ``strength`` is only a region of it.
    """
    height, width = strength.shape[:2]
    short = short_side or min(height, width)
    binary = np.asarray((strength > 0) & (rules_found == 0), dtype=np.uint8)
    size = max(3, short // 120) | 1
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (size, size))
    closed = cv2.morphologyEx(binary, cv2.MORPH_CLOSE, kernel, iterations=2)
    contours, _ = cv2.findContours(closed, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    low, high = max(MIN_SIDE_PX, MIN_SIDE_SHARE * short), MAX_SIDE_SHARE * short
    found: list[Blob] = []
    for contour in contours:
        x, y, w, h = cv2.boundingRect(contour)
        if not (low <= max(w, h) <= high and min(w, h) >= 0.45 * max(w, h)):
            continue
        found.append(Blob(x, y, x + w, y + h, contour.reshape(-1, 2).astype(np.int32)))
    return sorted(found, key=lambda b: (b.x1 - b.x0) * (b.y1 - b.y0), reverse=True)


def rules(strength: np.ndarray, short_side: int | None = None) -> np.ndarray:
    """The long straight lines of the ink (a form's rules) as a 0/1 mask, widened by a pixel each
    side: lines longer than a tenth of the page's short side."""
    binary = (strength > 0).astype(np.uint8)
    length = max(25, (short_side or min(strength.shape[:2])) // 10)
    across = cv2.morphologyEx(binary, cv2.MORPH_OPEN, np.ones((1, length), np.uint8))
    down = cv2.morphologyEx(binary, cv2.MORPH_OPEN, np.ones((length, 1), np.uint8))
    return np.asarray(cv2.dilate(np.maximum(across, down), np.ones((3, 3), np.uint8)), dtype=np.uint8)


def without_rules(strength: np.ndarray, rules_found: np.ndarray, stamps: list[Blob]) -> np.ndarray:
    """``strength`` with the rules running through each stamp painted over from the ink beside them.

    A form's red rule crossing a stamp cuts through its characters (the 9s at both ends of a
    seller's code read as 0 under a 销售方 border, 尔玛 dropped from its arc); erased, it would
    leave a white gap through them instead, so the strokes are filled in across it. Only the
    stamps' boxes are painted: the rest of the page is never read as a stamp.
    """
    boxes = [(slice(b.y0, b.y1), slice(b.x0, b.x1)) for b in stamps]
    crossed = [box for box in boxes if rules_found[box].any()]
    if not crossed:
        return strength
    out = strength.copy()
    for box in crossed:
        out[box] = cv2.inpaint(np.ascontiguousarray(strength[box]), rules_found[box] * 255, 3, cv2.INPAINT_TELEA)
    return out
