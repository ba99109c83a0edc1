"""Engine output (quadrilaterals, text, score) → TextLine, shared by every engine."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from extractors.readers.text import normalize_text
from models import BBox, TextLine


def to_text_lines(
    results: Iterable[tuple[Sequence[Sequence[float]], str, float]], width: int, height: int
) -> list[TextLine]:
    """Clip each polygon to the image, drop empty text, and sort in reading order (top to bottom)."""
    lines: list[TextLine] = []
    for polygon, raw, score in results:
        text = normalize_text(raw)
        if not text:
            continue
        xs = [min(max(float(p[0]), 0.0), float(width)) for p in polygon]
        ys = [min(max(float(p[1]), 0.0), float(height)) for p in polygon]
        box = BBox(x0=min(xs), y0=min(ys), x1=max(xs), y1=max(ys))
        confidence = min(max(float(score), 0.0), 1.0)
        lines.append(TextLine(text=text, raw_text=raw, bbox=box, confidence=confidence, source="ocr"))
    return sort_reading_order(lines)


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
