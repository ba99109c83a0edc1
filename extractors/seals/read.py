"""OCR of a stamp's unrolled arc and its centre lines with the project's engine (``extractors.ocr``).

The lines are cut here (the arc strip is one line; the centre is split at blank rows) and handed
to the engine's recogniser alone: its detector scales every image to ≥ 736 px on the short side,
which made a 700×70 strip cost as much as ten pages. An engine without ``recognize_crops`` is
asked through ``recognize`` instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, runtime_checkable

import numpy as np

from extractors.ocr import OcrEngine
from extractors.seals import memo
from extractors.seals.bureau import has_bureau_words
from extractors.seals.parse import names_in
from extractors.seals.unwarp import Layout

ARC_BRIDGE_SHARE = 0.35
"""Gaps in the arc up to this share of the strip's height are within the name (measured on the real
invoices' stamps: wider bridges join the caption and the code digits to it)."""
RING_ROW_SHARE = 0.45
"""A strip row inked across more than this share of its columns is the border ring; text rows of
the real stamps reach 0.22."""
CENTRE_BRIDGE_SHARE = 0.5
"""A centre line is its widest inked run with gaps up to this share of its height bridged: the
arc's glyph ends that the centre's level band takes in beside a credit code stay out of it."""
SQUEEZED_GAP_SHARE = 0.1
"""Blank gaps in an arc strip are cut to this share of its height before recognition."""
_INK_LEVEL = 80


@runtime_checkable
class LineReader(Protocol):
    def recognize_crops(self, crops: list[np.ndarray]) -> list[tuple[str, float]]: ...


@dataclass(frozen=True, slots=True)
class Reading:
    """What the engine read on one stamp: the arc (in its better direction) and the centre lines."""

    arc: str
    arc_confidence: float
    centre: str
    centre_confidence: float


def read(layout: Layout, engine: OcrEngine) -> Reading:
    """The arc's best reading (``_read_arc``); the centre's lines top to bottom, recognised apart
    from the arc, so they are not padded to the arc's length."""
    arc, arc_conf = _read_arc(layout.arc, engine)
    centre = [(text, conf) for text, conf in _recognise(engine, _centre_lines(layout.centre)) if text.strip()]
    weight = sum(len(text) for text, _ in centre) or 1
    centre_conf = sum(conf * len(text) for text, conf in centre) / weight
    return Reading(
        arc=arc,
        arc_confidence=arc_conf,
        centre="\n".join(text.strip() for text, _ in centre),
        centre_confidence=centre_conf,
    )


def _read_arc(arc_strip: np.ndarray, engine: OcrEngine) -> tuple[str, float]:
    """The arc's best reading, trying strips in turn until one names a company or is the tax
    bureau's 监制章 (which names none; an upright stamp so costs one reading): the longest inked
    run (the name without the caption's ends and code digits), then the whole strip (a stamp whose
    characters stand so far apart that no run holds two of them: 江 苏 省 国 家 税 务 局 on a
    certificate), each as unrolled and then turned. Blank columns are squeezed to a fixed gap first:
    the recogniser reads printed lines, and arc text spread round a circle misreads (汇苏省 for 江苏省)
    or loses its end characters (海必胜客有限公 for 上海必胜客有限公司) when read spread out."""
    ringless = _without_ring(arc_strip)
    strips = [_trim(_longest_run(ringless, bridge_share=ARC_BRIDGE_SHARE)), _trim(ringless)]
    best = ("", 0.0)
    for strip in (s for upright in strips for s in (upright, np.ascontiguousarray(np.rot90(upright, 2)))):
        text, conf = _recognise(engine, [_squeezed(strip)])[0]
        if _score(text, conf) > _score(*best):
            best = (text, conf)
        if names_in(text) or has_bureau_words(text):
            break
    return best


def _squeezed(paper: np.ndarray) -> np.ndarray:
    """``paper`` with every run of blank columns cut to a tenth of its height."""
    keep = max(2, round(paper.shape[0] * SQUEEZED_GAP_SHARE))
    ink = (255 - paper[:, :, 0].astype(np.int32)).mean(axis=0) > 4.0
    columns: list[int] = []
    blank = 0
    for column, inked in enumerate(ink.tolist()):
        blank = 0 if inked else blank + 1
        if blank <= keep:
            columns.append(column)
    return np.ascontiguousarray(paper[:, columns])


def _recognise(engine: OcrEngine, crops: list[np.ndarray]) -> list[tuple[str, float]]:
    if not crops:
        return []
    return memo.recognised(engine, crops, lambda: _recognise_now(engine, crops))


def _recognise_now(engine: OcrEngine, crops: list[np.ndarray]) -> list[tuple[str, float]]:
    if isinstance(engine, LineReader):
        return engine.recognize_crops(crops)
    out: list[tuple[str, float]] = []
    for crop in crops:
        lines = sorted(engine.recognize(crop), key=lambda line: line.bbox.x0)
        text = "".join(line.text for line in lines)
        conf = min((line.confidence for line in lines), default=0.0)
        out.append((text, conf))
    return out


def _ink_span(profile: np.ndarray, floor: float) -> tuple[int, int]:
    inked = np.nonzero(profile > floor)[0]
    return (int(inked[0]), int(inked[-1]) + 1) if inked.size else (0, profile.size)


def _trim(paper: np.ndarray) -> np.ndarray:
    """The strip cut to its ink, with a margin of a tenth of its height."""
    ink = 255 - paper[:, :, 0].astype(np.int32)
    y0, y1 = _ink_span(ink.mean(axis=1), 8.0)
    x0, x1 = _ink_span(ink.mean(axis=0), 4.0)
    pad = max(4, (y1 - y0) // 10)
    height, width = paper.shape[:2]
    rows = slice(max(0, y0 - pad), min(height, y1 + pad))
    return np.ascontiguousarray(paper[rows, max(0, x0 - pad) : min(width, x1 + pad)])


def _without_ring(paper: np.ndarray) -> np.ndarray:
    """The strip without the stamp's border: unrolled, the ring is a row inked across most columns.

    Left in, it inks every column, so no gap parts the name from the caption and the code's end
    digits, and the reader, given the whole circle at a third of the scale, drops or misreads the
    name's first and last characters (华为, 郑州, 上海 … 公司 on the real invoices)."""
    inked = (255 - paper[:, :, 0].astype(np.int32)) > _INK_LEVEL
    out = paper.copy()
    out[inked.mean(axis=1) > RING_ROW_SHARE] = 255
    return out


def _longest_run(paper: np.ndarray, bridge_share: float) -> np.ndarray:
    """The widest stretch of columns with ink, gaps up to ``bridge_share`` of the strip's height
    bridged: the name, without the caption's ends and the code's digits the unroll brings in on
    either side of it."""
    ink = (255 - paper[:, :, 0].astype(np.int32)).mean(axis=0) > 4.0
    bridge = max(4, int(paper.shape[0] * bridge_share))
    runs: list[tuple[int, int]] = []
    start, last = -1, -bridge - 1
    for column in np.nonzero(ink)[0].tolist():
        if column - last > bridge:
            if start >= 0:
                runs.append((start, last + 1))
            start = column
        last = column
    if start >= 0:
        runs.append((start, last + 1))
    if not runs:
        return paper
    a, b = max(runs, key=lambda run: run[1] - run[0])
    return np.ascontiguousarray(paper[:, max(0, a - 6) : b + 6])


def _centre_lines(paper: np.ndarray) -> list[np.ndarray]:
    """Bands of rows with ink, each cut to its ink; bands thinner than 6 % of the centre are noise."""
    ink = (255 - paper[:, :, 0].astype(np.int32)).mean(axis=1) > 6.0
    height = paper.shape[0]
    bands: list[tuple[int, int]] = []
    start: int | None = None
    for row, on in enumerate([*ink.tolist(), False]):
        if on and start is None:
            start = row
        elif not on and start is not None:
            if row - start >= 0.06 * height:
                bands.append((start, row))
            start = None
    lines = [np.ascontiguousarray(paper[max(0, a - 3) : min(height, b + 3)]) for a, b in bands]
    return [_trim(_longest_run(line, bridge_share=CENTRE_BRIDGE_SHARE)) for line in lines]


def _score(text: str, confidence: float) -> float:
    """A reading's worth: confident CJK characters, with a bonus when it yields a name."""
    cjk = sum(1 for ch in text if "\u3400" <= ch <= "\u9fff")
    return confidence * cjk + (5.0 if names_in(text) else 0.0)
