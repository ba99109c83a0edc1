"""Is a red blob a stamp? Fit its outline with an ellipse, and ask for a border ring along it.

A seal has a printed border: red ink lies along most of the fitted ellipse (broken only where
black text or faint ink hides it), while its inside is mostly paper. A red logo is filled; a run
of red handwriting has no ring. The five-pointed star of a 公章 is found as a compact blob at the
centre whose area is about half of its convex hull.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np

from extractors.seals.mask import Blob

MIN_RING_COVERAGE = 0.6
MAX_INK_SHARE = 0.6
_SAMPLES = 120


@dataclass(frozen=True, slots=True)
class Ellipse:
    """Centre, semi-axes (``a`` along ``angle`` degrees, ``b`` across it) in page pixels."""

    cx: float
    cy: float
    a: float
    b: float
    angle: float

    @property
    def round(self) -> bool:
        return min(self.a, self.b) >= 0.9 * max(self.a, self.b)


@dataclass(frozen=True, slots=True)
class Shape:
    ellipse: Ellipse
    ring: float
    """Share of directions in which the border ring has ink."""


def fit(blob: Blob, strength: np.ndarray) -> Shape | None:
    """The blob's ellipse when it has a border ring and is not filled in; else None."""
    hull = cv2.convexHull(blob.points.reshape(-1, 1, 2))
    if len(hull) < 5:
        return None
    (cx, cy), (w, h), angle = cv2.fitEllipse(hull)
    if min(w, h) < 0.45 * max(w, h) or min(w, h) <= 4:
        return None
    if w < h:  # keep ``a`` the major semi-axis, so a level oval has angle ≈ 0
        w, h, angle = h, w, angle + 90.0
    ellipse = Ellipse(float(cx), float(cy), float(w) / 2, float(h) / 2, float(angle) % 180.0)
    ring = ring_coverage(ellipse, strength)
    if ring < MIN_RING_COVERAGE or _ink_share(ellipse, strength) > MAX_INK_SHARE:
        return None
    return Shape(ellipse, ring)


def ring_coverage(ellipse: Ellipse, strength: np.ndarray) -> float:
    """Share of sampled directions with ink between 86 % and 102 % of the ellipse's radius."""
    height, width = strength.shape[:2]
    cos_a, sin_a = math.cos(math.radians(ellipse.angle)), math.sin(math.radians(ellipse.angle))
    hits = 0
    for step in range(_SAMPLES):
        t = 2 * math.pi * step / _SAMPLES
        for scale in (0.86, 0.9, 0.94, 0.97, 1.0, 1.02):
            u, v = ellipse.a * scale * math.cos(t), ellipse.b * scale * math.sin(t)
            x, y = int(ellipse.cx + u * cos_a - v * sin_a), int(ellipse.cy + u * sin_a + v * cos_a)
            if 0 <= x < width and 0 <= y < height and strength[y, x] > 0:
                hits += 1
                break
    return hits / _SAMPLES


def _ink_share(ellipse: Ellipse, strength: np.ndarray) -> float:
    mask = np.zeros(strength.shape[:2], dtype=np.uint8)
    centre = (round(ellipse.cx), round(ellipse.cy))
    cv2.ellipse(mask, centre, (round(ellipse.a), round(ellipse.b)), ellipse.angle, 0, 360, 255, -1)
    inside = mask > 0
    total = int(inside.sum())
    return float((strength[inside] > 0).sum()) / total if total else 1.0


def has_star(upright: np.ndarray, radius: float) -> bool:
    """A star at the centre of an upright, circle-normalised ink image of seal radius ``radius``."""
    height, width = upright.shape[:2]
    binary = (upright > 0).astype(np.uint8)
    count, labels, stats, centroids = cv2.connectedComponentsWithStats(binary, connectivity=8)
    for label in range(1, count):
        w, h, area = (int(v) for v in stats[label][2:])
        cx, cy = centroids[label]
        if math.hypot(cx - width / 2, cy - height / 2) > 0.3 * radius:
            continue
        if not (0.2 * radius <= max(w, h) <= 0.75 * radius and min(w, h) >= 0.7 * max(w, h)):
            continue
        points = np.column_stack(np.nonzero(labels == label)[::-1]).astype(np.int32)
        hull_area = cv2.contourArea(cv2.convexHull(points.reshape(-1, 1, 2)))
        if hull_area > 0 and 0.3 <= area / hull_area <= 0.7:
            return True
    return False
