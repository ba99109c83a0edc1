"""Engine output (quadrilaterals, text, score) → TextLine, shared by every engine."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

from extractors.readers.text import normalize_text, normalized_spans
from models import BBox, TextLine

Result = (
    tuple[Sequence[Sequence[float]], str, float]
    | tuple[Sequence[Sequence[float]], str, float, Sequence[float]]
    | tuple[Sequence[Sequence[float]], str, float, Sequence[float], tuple[float, float] | None]
)


def to_text_lines(results: Iterable[Result], width: int, height: int) -> list[TextLine]:
    """Clip each polygon to the image, drop empty text, and sort in reading order (top to bottom).

    A result may carry each raw character's centre as a share of the line's width (the
    recogniser's decoder columns) and the rows its ink spans: the line then knows where its
    characters are.
    """
    lines: list[TextLine] = []
    for polygon, raw, score, *rest in results:
        text = normalize_text(raw)
        if not text:
            continue
        xs = [min(max(float(p[0]), 0.0), float(width)) for p in polygon]
        ys = [min(max(float(p[1]), 0.0), float(height)) for p in polygon]
        box = BBox(x0=min(xs), y0=min(ys), x1=max(xs), y1=max(ys))
        confidence = min(max(float(score), 0.0), 1.0)
        extra: list[Any] = list(rest)
        centres = [float(c) for c in extra[0]] if extra else []
        char_x = _char_extents(raw, text, box, centres) if len(centres) == len(raw) else None
        ink = extra[1] if len(extra) > 1 else None
        ink_y = (max(ink[0], box.y0), min(ink[1], box.y1)) if ink is not None and ink[1] > ink[0] else None
        lines.append(
            TextLine(text=text, raw_text=raw, bbox=box, confidence=confidence, source="ocr", char_x=char_x, ink_y=ink_y)
        )
    return sort_reading_order(lines)


def _char_extents(raw: str, text: str, box: BBox, centres: list[float]) -> list[tuple[float, float]] | None:
    """Each character's extent from its centre: halfway to its neighbours, and at the ends as far
    out as the nearest pitch (clipped to the line's box)."""
    xs = [box.x0 + c * box.width for c in centres]
    if len(xs) == 1:
        return normalized_spans(raw, [(box.x0, box.x1)], text)
    pitches = [b - a for a, b in itertools.pairwise(xs)]
    edges = [max(box.x0, xs[0] - pitches[0] / 2)]
    edges += [(a + b) / 2 for a, b in itertools.pairwise(xs)]
    edges.append(min(box.x1, xs[-1] + pitches[-1] / 2))
    spans = [(edges[i], max(edges[i + 1], edges[i] + 1.0)) for i in range(len(xs))]
    return normalized_spans(raw, spans, text)


def ink_rows(grey: np.ndarray, polygon: Sequence[Sequence[float]]) -> tuple[float, float] | None:
    """The top and bottom of the ink inside the detector's quadrilateral, or None.

    Why: the detector grows every text region by a margin (its unclip ratio), so a line's box is a
    third taller than its characters; an evidence box drawn from it would cover the rows above and
    below. The line keeps the detected box for layout; evidence boxes use the ink's rows.
    """
    xs, ys = [p[0] for p in polygon], [p[1] for p in polygon]
    x0, x1 = max(int(min(xs)), 0), min(int(np.ceil(max(xs))), grey.shape[1])
    y0, y1 = max(int(min(ys)), 0), min(int(np.ceil(max(ys))), grey.shape[0])
    if x1 - x0 < 2 or y1 - y0 < 4 or max(ys) - min(ys) > 0.5 * (max(xs) - min(xs)) + 64:
        return None  # tiny, or not a horizontal line
    crop = grey[y0:y1, x0:x1]
    low, high = float(crop.min()), float(crop.max())
    if high - low < _MIN_CONTRAST:
        return None
    counts = (crop < (low + high) / 2).sum(axis=1)
    # a cell's vertical rule or a seal's stroke crossing the box darkens a few pixels of every row:
    # a row is ink where it holds a share of the densest row's dark pixels
    inked = np.flatnonzero(counts >= max(1, crop.shape[1] // 200, _INK_SHARE * int(counts.max())))
    if inked.size == 0:
        return None
    return float(y0 + int(inked[0])), float(y0 + int(inked[-1]) + 1)


_MIN_CONTRAST = 40.0
_INK_SHARE = 0.05


def sort_reading_order(lines: list[TextLine]) -> list[TextLine]:
    """Rows by vertical overlap, left to right within a row, so OCR and text-layer output read alike."""
    ordered = sorted(lines, key=lambda line: (line.bbox.center[1], line.bbox.x0))
    rows: list[list[TextLine]] = []
    for line in ordered:
        if rows and rows[-1][0].bbox.vertical_overlap(line.bbox) >= 0.5:
            rows[-1].append(line)
        else:
            rows.append([line])
    return [line for row in rows for line in sorted(row, key=lambda item: item.bbox.x0)]
