"""A stamp's ink laid out for reading: the arc text unrolled into a straight strip, the centre upright.

The ellipse is first mapped to a circle of radius ``R`` (rotate its major axis level, stretch the
minor). In polar coordinates the arc text is then a band of radii; its angular gap (where the
text ends and begins, at the stamp's foot) tells the stamp's rotation, and the strip starts there.
Clockwise text (tops outwards, the usual top arc) reads left to right in the strip as unrolled;
anticlockwise text (tops inwards, a foot arc) reads in the strip turned 180°.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np

from extractors.seals.shape import Ellipse

WORK_RADIUS = 160
TEXT_BAND = (0.5, 0.96)
_GAP_BAND = (0.62, 0.88)


@dataclass(frozen=True, slots=True)
class Layout:
    """The stamp's pieces as dark ink on white, ready for the OCR engine."""

    arc: np.ndarray
    """Clockwise reading strip (RGB); ``np.rot90(arc, 2)`` is the anticlockwise one."""
    centre: np.ndarray
    """The inside of the stamp, upright and unstretched (RGB)."""
    upright: np.ndarray
    """Circle-normalised upright ink strength (for the star test)."""
    rotation: float
    """Degrees the stamp is turned clockwise from upright."""
    round: bool
    """Round (a caption may sit in the arc's gap) rather than oval."""


def layout(strength: np.ndarray, ellipse: Ellipse) -> Layout:
    radius = float(max(WORK_RADIUS, ellipse.a, ellipse.b))
    circle = _normalise(strength, ellipse, radius, stretch=True)
    bins = max(64, round(2 * math.pi * 0.72 * radius))
    polar = cv2.warpPolar(
        circle, (round(radius), bins), (radius * 1.1, radius * 1.1), radius, cv2.INTER_LINEAR | cv2.WARP_POLAR_LINEAR
    )
    gap, gap_width = _gap_angle(polar)
    turned = gap - 90.0
    if not ellipse.round:  # an oval is level or upside down; the fit already knows its axis
        turned = 0.0 if abs(((turned + 180) % 360) - 180) < 90 else 180.0
    start = round(gap / 360 * bins) % bins
    rolled = np.roll(polar, -start, axis=0)
    r0, r1 = (round(f * radius) for f in TEXT_BAND)
    strip = np.ascontiguousarray(rolled[:, r0:r1].T[::-1])
    centre = _normalise(strength, ellipse, 0.0, stretch=False, extra=turned)
    upright = _rotate_square(circle, turned)
    inner = _inner(centre, ellipse, gap_width)
    return Layout(arc=_paper(strip), centre=_paper(inner), upright=upright, rotation=turned, round=ellipse.round)


def _normalise(
    strength: np.ndarray, ellipse: Ellipse, radius: float, *, stretch: bool, extra: float = 0.0
) -> np.ndarray:
    """The stamp's neighbourhood rotated level (plus ``extra`` degrees) and, with ``stretch``, made a circle."""
    if stretch:
        sx, sy = radius / ellipse.a, radius / ellipse.b
        half_w = half_h = radius * 1.1
    else:
        sx = sy = 1.0
        half_w, half_h = ellipse.a * 1.05, ellipse.b * 1.05
    theta = math.radians(ellipse.angle + extra)
    cos_t, sin_t = math.cos(theta), math.sin(theta)
    rotate = np.array([[cos_t, sin_t], [-sin_t, cos_t]])
    linear = np.diag([sx, sy]) @ rotate
    offset = np.array([half_w, half_h]) - linear @ np.array([ellipse.cx, ellipse.cy])
    matrix = np.hstack([linear, offset[:, None]])
    size = (max(1, round(2 * half_w)), max(1, round(2 * half_h)))
    return cv2.warpAffine(strength, matrix, size, flags=cv2.INTER_LINEAR, borderValue=0)


def _gap_angle(polar: np.ndarray) -> tuple[float, float]:
    """Centre (degrees, clockwise from +x) and width (degrees) of the longest run without arc text."""
    bins, radial = polar.shape[:2]
    band = polar[:, round(_GAP_BAND[0] * radial) : round(_GAP_BAND[1] * radial)]
    profile = band.mean(axis=1).astype(np.float64)
    kernel = max(3, bins // 90)
    profile = np.convolve(np.concatenate([profile[-kernel:], profile, profile[:kernel]]), np.ones(kernel) / kernel)
    profile = profile[kernel + kernel // 2 : kernel + kernel // 2 + bins]
    empty = profile <= 0.12 * float(profile.max() or 1.0)
    if empty.all() or not empty.any():
        return 90.0, 0.0
    best_len, best_mid, run_start = 0, 0.0, None
    doubled = np.concatenate([empty, empty])
    for index, value in enumerate(doubled):
        if value and run_start is None:
            run_start = index
        if (not value or index == len(doubled) - 1) and run_start is not None:
            length = index - run_start
            if length > best_len and length <= bins:
                best_len, best_mid = length, (run_start + length / 2) % bins
            run_start = None
    return float(best_mid / bins * 360.0), float(best_len / bins * 360.0)


def _inner(centre: np.ndarray, ellipse: Ellipse, gap_width: float) -> np.ndarray:
    """The centre lines alone: inside 55 % of the radius, plus the foot (the arc's gap, where a
    caption sits) and, on an oval, the level band a credit code runs across, out to 85 %."""
    height, width = centre.shape[:2]
    ys, xs = np.mgrid[0:height, 0:width].astype(np.float32)
    u, v = (xs - width / 2) / ellipse.a, (ys - height / 2) / ellipse.b
    radius = np.sqrt(u * u + v * v)
    foot = np.abs(np.degrees(np.arctan2(v, u)) - 90.0) < max(35.0, gap_width / 2)
    keep = (radius < 0.55) | ((radius < 0.85) & foot)
    if not ellipse.round:
        keep |= (np.abs(v) < 0.13) & (radius < 0.8)
    return np.where(keep, centre, 0).astype(np.uint8)


def _rotate_square(image: np.ndarray, degrees: float) -> np.ndarray:
    height, width = image.shape[:2]
    matrix = cv2.getRotationMatrix2D((width / 2, height / 2), degrees, 1.0)
    return cv2.warpAffine(image, matrix, (width, height), flags=cv2.INTER_LINEAR, borderValue=0)


def _paper(strength: np.ndarray) -> np.ndarray:
    """Ink strength → dark ink on white RGB, with a margin so the detector sees whole glyphs."""
    grey = 255 - strength
    grey = cv2.copyMakeBorder(grey, 12, 12, 12, 12, cv2.BORDER_CONSTANT, value=255)
    return cv2.cvtColor(grey, cv2.COLOR_GRAY2RGB)
