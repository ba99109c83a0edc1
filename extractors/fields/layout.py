"""Finding a label on a page and its value beside or below it, by geometry rather than by flat text.

Scans break a printed row into several boxes and OCR merges a label with its value; both readers
(text layer and OCR) give the same thing, positioned lines, so extraction works on *rows*: lines
that share a vertical band, read left to right, with each character traced back to its line.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import insort
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property

from rapidfuzz import fuzz

from extractors.fields.canonical import CAPTION_SLIPS, clean
from models import BBox, Document, TextLine


@dataclass(frozen=True)
class Placed:
    """A text line with its page number and its comparison form."""

    page: int
    line: TextLine
    text: str
    #: x-extent of each character of ``text`` as the reader placed it; None where it did not
    spans: tuple[tuple[float, float], ...] | None = None

    @property
    def bbox(self) -> BBox:
        return self.line.bbox

    @property
    def ink_box(self) -> BBox:
        """The line's box as evidence: its ink's rows where the reader's box has a margin, grown to
        the type's body (see :func:`body_rows`) so a value is boxed alike on a scan and on a text layer."""
        box, ink = self.line.bbox, self.line.ink_y
        if ink is None:
            return box
        top, bottom = body_rows(ink, has_wide(self.text))
        return BBox(x0=box.x0, y0=max(top, box.y0), x1=box.x1, y1=min(bottom, box.y1))


# Ink against the type's body (the em a text layer's loose boxes span): CJK characters leave about a
# tenth of the em free above and below; figures and Latin capitals rise only to about 0.7 em over the
# baseline, so the body reaches a quarter of their height above them.
_BODY_PAD_WIDE = (0.12, 0.12)
_BODY_PAD_NARROW = (0.25, 0.12)


def body_rows(ink: tuple[float, float], wide: bool) -> tuple[float, float]:
    """The rows of the type's body around a line's ink: the evidence box a text layer would give."""
    top, bottom = ink
    above, below = _BODY_PAD_WIDE if wide else _BODY_PAD_NARROW
    height = bottom - top
    return top - above * height, bottom + below * height


def has_wide(text: str) -> bool:
    return any(unicodedata.east_asian_width(c) in ("W", "F") for c in text)


def enclose(boxes: Iterable[BBox]) -> BBox:
    """``BBox.enclosing`` building one box instead of one per union (each BBox is validated)."""
    items = list(boxes)
    if not items:
        raise ValueError("no boxes to enclose")
    return BBox(
        x0=min(b.x0 for b in items),
        y0=min(b.y0 for b in items),
        x1=max(b.x1 for b in items),
        y1=max(b.y1 for b in items),
    )


@dataclass
class Row:
    """Lines sharing a vertical band on one page, left to right, with their character offsets.

    A row is not changed once built, so its text, box and offsets are computed once: every label
    search reads them again.
    """

    page: int
    items: list[Placed] = field(default_factory=list)

    @cached_property
    def text(self) -> str:
        return "".join(p.text for p in self.items)

    @cached_property
    def bbox(self) -> BBox:
        return enclose(p.bbox for p in self.items)

    def offsets(self) -> list[tuple[int, int, Placed]]:
        return self._offsets

    @cached_property
    def _offsets(self) -> list[tuple[int, int, Placed]]:
        out: list[tuple[int, int, Placed]] = []
        pos = 0
        for p in self.items:
            out.append((pos, pos + len(p.text), p))
            pos += len(p.text)
        return out


@dataclass(frozen=True)
class Hit:
    """A value found on a page: the value, the lines it came from, and how it was found."""

    value: str
    page: int
    bbox: BBox
    confidence: float
    how: str  # "same_line", "right", "below", "text"


def placed_lines(doc: Document) -> list[Placed]:
    """Every line of the document in reading order (page, then top to bottom, then left to right)."""
    out = [
        Placed(page.number, ln, text, _clean_spans(ln, text))
        for page in doc.pages
        for ln in page.lines
        if (text := clean(ln.text))
    ]
    out.sort(key=lambda p: (p.page, p.bbox.center[1], p.bbox.x0))
    return out


def _clean_spans(line: TextLine, text: str) -> tuple[tuple[float, float], ...] | None:
    """The reader's character extents carried through :func:`clean`, one per character of ``text``."""
    if line.char_x is None or len(line.char_x) != len(line.text):
        return None
    spans = tuple(span for char, span in zip(line.text, line.char_x, strict=True) for _ in clean(char))
    return spans if len(spans) == len(text) else None


def _vertical_captions(lines: Sequence[Placed]) -> set[int]:
    """Ids of lines set vertically (购买方 / 销售方 written top to bottom): much taller than wide and
    than a normal line, they span several rows and must not take part in row grouping."""
    heights = sorted(p.bbox.height for p in lines)
    if not heights:
        return set()
    median = heights[len(heights) // 2]
    return {id(p) for p in lines if p.bbox.height > 1.8 * median and p.bbox.height > 1.2 * p.bbox.width}


def group_rows(lines: Sequence[Placed], min_overlap: float = 0.5) -> list[Row]:
    """Group lines into rows: a line joins the row whose band it overlaps most (≥ ``min_overlap``).

    A row's band is its typical vertical extent (median top and bottom), so a line sitting between
    two rows joins at most one of them instead of chaining them together; it is kept as sorted tops
    and bottoms while lines join, not rebuilt as a BBox for every line and candidate row.
    """
    rows: list[list[Placed]] = []
    tops: list[list[float]] = []  # per row, sorted
    bottoms: list[list[float]] = []
    has_vertical: list[bool] = []
    vertical = _vertical_captions(lines)
    for p in sorted(lines, key=lambda q: (q.page, q.bbox.y0, q.bbox.x0)):
        box = p.bbox
        is_vertical = id(p) in vertical
        best = -1
        best_overlap = min_overlap
        for index in range(max(0, len(rows) - 8), len(rows)) if not is_vertical else ():
            if rows[index][0].page != p.page or has_vertical[index]:
                continue
            mid = len(tops[index]) // 2
            top = tops[index][mid]
            bottom = max(bottoms[index][mid], top + 1)
            if bottom <= box.y0:  # the band ends above the line (most of the window): nothing shared
                continue
            overlap = _band_overlap(top, bottom, box)
            if overlap >= best_overlap:
                best, best_overlap = index, overlap
        if best < 0:
            rows.append([p])
            tops.append([box.y0])
            bottoms.append([box.y1])
            has_vertical.append(is_vertical)
        else:
            rows[best].append(p)
            insort(tops[best], box.y0)
            insort(bottoms[best], box.y1)
    out = [Row(items[0].page, sorted(items, key=lambda q: q.bbox.x0)) for items in rows]
    out.sort(key=lambda r: (r.page, r.bbox.center[1]))
    return out


def _band_overlap(y0: float, y1: float, box: BBox) -> float:
    """Shared height over the shorter of band and box, but 0 when one is much taller (a vertical
    caption such as 购买方 spans several rows and must not glue them together)."""
    shared = min(y1, box.y1) - max(y0, box.y0)
    band_height, box_height = y1 - y0, box.y1 - box.y0
    tallest = max(band_height, box_height)
    if tallest <= 0 or shared / tallest < 0.5:
        return 0.0
    shortest = min(band_height, box_height)
    return max(0.0, shared) / shortest if shortest > 0 else 0.0


NARROW = 0.55  # width of a Latin letter, digit or ASCII sign against a CJK character, in most fonts


def char_width(ch: str) -> float:
    """A character's width in CJK ems, for estimating where it sits when the reader did not say."""
    if ch.isspace():
        return 1.0 if ch == "\u3000" else 0.5
    return 1.0 if unicodedata.east_asian_width(ch) in ("W", "F") else NARROW


def sub_bbox(p: Placed, start: int, end: int) -> BBox:
    """The part of a line's box covering characters ``start:end``: the reader's own character
    extents where it has them (text layer, OFD, OCR positions), else CJK characters counted full
    width and the rest narrow (an even split puts a value's box a character or two off)."""
    box = p.ink_box
    start, end = max(start, 0), min(end, len(p.text))
    if p.spans is not None and start < end:
        x0, x1 = p.spans[start][0], p.spans[end - 1][1]
        return BBox(x0=x0, y0=box.y0, x1=max(x1, x0 + 1), y1=box.y1)
    widths = [char_width(c) for c in p.text] or [1.0]
    total = sum(widths)
    x0 = box.x0 + box.width * sum(widths[:start]) / total
    x1 = box.x0 + box.width * sum(widths[:end]) / total
    return BBox(x0=x0, y0=box.y0, x1=max(x1, x0 + 1), y1=box.y1)


@dataclass(frozen=True)
class LabelHit:
    """Where a label was found: its row, the character span in the row text, and its box."""

    row: Row
    start: int
    end: int
    bbox: BBox
    score: float


def span_bbox(row: Row, start: int, end: int) -> BBox:
    """The box of characters ``start:end`` of a row's text, over the lines they lie on."""
    boxes = [sub_bbox(p, max(start - s, 0), min(end, e) - s) for s, e, p in row.offsets() if s < end and start < e]
    return enclose(boxes) if boxes else row.bbox


def find_label(
    rows: Iterable[Row],
    variants: Sequence[str],
    *,
    not_after: Sequence[str] = (),
    fuzzy_min_len: int | None = None,
) -> list[LabelHit]:
    """Rows containing one of ``variants`` (exact after :func:`clean`; fuzzy only if asked).

    Fuzzy matching is off by default: similar captions (发票代码/发票号码, 代开企业纳税人识别号/
    销售方纳税人识别号) are different fields, so a near miss is more often wrong than helpful.

    ``not_after`` rejects a hit preceded by one of these strings (e.g. 合计 inside 价税合计).
    """
    hits: list[LabelHit] = []
    rows = list(rows)
    # first-listed variant first among equal lengths: a set here made boxes depend on PYTHONHASHSEED
    targets = sorted(dict.fromkeys(clean(v) for v in variants), key=len, reverse=True)
    blocked = [clean(n) for n in not_after]
    for row in rows:
        text = row.text.translate(CAPTION_SLIPS)  # one character for one: offsets stay the row's
        spans: list[tuple[int, int]] = []
        for target in targets:
            start = text.find(target)
            while start >= 0:
                end = start + len(target)
                free = all(end <= s or start >= e for s, e in spans)
                if free and not any(text[:start].endswith(n) for n in blocked):
                    spans.append((start, end))
                start = text.find(target, start + 1)
        for start, label_end in sorted(spans):
            end = _past_translation(text, label_end)
            hits.append(LabelHit(row, start, end, span_bbox(row, start, end), 1.0))
    if hits or fuzzy_min_len is None:
        return hits
    # only when asked, and only when no row has the label exactly: an OCR slip in a long caption (统一社会信用代玛)
    for row in rows:
        text = row.text.translate(CAPTION_SLIPS)
        for target in targets:
            if len(target) < fuzzy_min_len or len(text) < len(target) - 1:
                continue
            align = fuzz.partial_ratio_alignment(target, text, score_cutoff=85)
            if align is not None:
                start, end = align.dest_start, align.dest_end
                if any(text[:start].endswith(n) for n in blocked):
                    continue
                hits.append(LabelHit(row, start, end, span_bbox(row, start, end), align.score / 100))
                break
    return hits


# A bilingual caption prints its English after the Chinese (单位名称Organization:, 证书编号No.:):
# the English words up to the colon are caption, not value.
_TRANSLATION = re.compile(r"[A-Za-z][A-Za-z.'&()/-]{0,40}[:：]")


def _past_translation(text: str, end: int) -> int:
    """Where a label's value starts once an English caption after it (ending in a colon) is skipped."""
    m = _TRANSLATION.match(text, end)
    return m.end() if m else end
