"""Glyphs with boxes → text lines: the shared geometry step of the PDF and OFD readers."""

from __future__ import annotations

import itertools
import re
import unicodedata
from operator import attrgetter
from typing import NamedTuple

from models import BBox, TextLine
from models.document import LineSource

# Kangxi radicals, CJK radicals supplement and compatibility ideographs: PDFs often map ordinary
# characters to these look-alikes (⼈ for 人), which would defeat every keyword search.
_COMPAT_RANGES = ((0x2E80, 0x2FDF), (0xF900, 0xFAFF), (0x2F800, 0x2FA1F))
_CJK = r"\u3000-\u303f\u3400-\u9fff\uff00-\uffef"
_SPACE_BETWEEN_CJK = re.compile(rf"(?<=[{_CJK}])\s+(?=[{_CJK}])")
_SPACES = re.compile(r"\s+")
_COMPAT = re.compile("[" + "".join(f"{chr(lo)}-{chr(hi)}" for lo, hi in _COMPAT_RANGES) + "]")
_ROW_WINDOW = 8
_X0 = attrgetter("x0")


class Glyph(NamedTuple):
    """One character with its box in page pixels (top-left origin).

    A named tuple rather than a frozen dataclass: a page makes hundreds and it builds 4x faster.
    """

    char: str
    x0: float
    y0: float
    x1: float
    y1: float
    space_before: bool = False

    @property
    def height(self) -> float:
        return self.y1 - self.y0

    @property
    def cy(self) -> float:
        return (self.y0 + self.y1) / 2


def normalize_text(raw: str) -> str:
    """Fold look-alike radicals to ideographs, drop controls, and remove spaces that only pad CJK."""
    if raw.isprintable() and not _COMPAT.search(raw):
        # The common case, without the per-character loop: printable text holds no Cc/Cf characters.
        return _SPACE_BETWEEN_CJK.sub("", _SPACES.sub(" ", raw).strip())
    chars: list[str] = []
    for char in raw:
        code = ord(char)
        if any(lo <= code <= hi for lo, hi in _COMPAT_RANGES):
            chars.append(unicodedata.normalize("NFKC", char))
        elif unicodedata.category(char) not in ("Cc", "Cf") or char in "\t\n":
            chars.append(char)
    text = _SPACES.sub(" ", "".join(chars)).strip()
    return _SPACE_BETWEEN_CJK.sub("", text)


def is_garbage_char(char: str) -> bool:
    """A glyph whose Unicode mapping is missing or meaningless (private use, replacement, control)."""
    code = ord(char)
    if char == "\ufffd" or 0xE000 <= code <= 0xF8FF or code >= 0xF0000:
        return True
    return unicodedata.category(char) in ("Cc", "Co", "Cn") and char not in "\t\r\n"


def group_lines(
    glyphs: list[Glyph], *, source: LineSource, confidence: float = 1.0, gap_factor: float = 2.0
) -> list[TextLine]:
    """Rows by vertical overlap, then split a row where the horizontal gap exceeds ``gap_factor`` heights.

    Splitting on wide gaps keeps the buyer and seller columns of an invoice apart while a label
    and its value on the same row stay one line.
    """
    visible = [g for g in glyphs if not g.char.isspace() and g.x1 > g.x0 and g.y1 > g.y0]
    rows: list[list[Glyph]] = []
    heights: list[float] = []  # of the current row's last _ROW_WINDOW glyphs
    centres: list[float] = []
    for glyph in sorted(visible, key=_top_to_bottom):
        height, cy = glyph.y1 - glyph.y0, (glyph.y0 + glyph.y1) / 2  # the properties, inlined: per glyph
        if rows and _joins_row(abs(cy - sum(centres) / len(centres)), height, heights):
            rows[-1].append(glyph)
            if len(heights) == _ROW_WINDOW:
                del heights[0], centres[0]
            heights.append(height)
            centres.append(cy)
        else:
            rows.append([glyph])
            heights, centres = [height], [cy]
    order = {id(g): i for i, g in enumerate(visible)}
    lines: list[TextLine] = []
    for row in (part for whole in rows for part in _split_overprinted(whole, order)):
        row.sort(key=_X0)
        for segment in _split_on_gaps(row, gap_factor):
            line = _to_line(segment, source, confidence)
            if line is not None:
                lines.append(line)
    return lines


def _top_to_bottom(glyph: Glyph) -> tuple[float, float]:
    """By centre line (y0 + y1 orders as the centre does), then left to right."""
    return glyph.y0 + glyph.y1, glyph.x0


def _joins_row(offset: float, height: float, window: list[float]) -> bool:
    """``offset`` within half of the smaller of ``height`` and the window's median height (+0.5 px).

    The median lies between the window's min and max: those settle most glyphs without sorting.
    """
    if offset <= 0.5 * min(*window, height) + 0.5:
        return True
    if offset > 0.5 * min(max(window), height) + 0.5:
        return False
    return offset <= 0.5 * min(_median(window), height) + 0.5


def _median(values: list[float]) -> float:
    """statistics.median for the few values of a row or window, without its overhead."""
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def _split_overprinted(row: list[Glyph], order: dict[int, int]) -> list[list[Glyph]]:
    """A value printed over its caption (a form filled by another program, set a few points off):
    both at one height, so one row, and sorted by x their characters would interleave
    (``统一社会信用代码/9纳11税4人0…``). Their boxes overlap, which glyphs of one line never do,
    and each was drawn as its own run (``order`` is the glyphs' drawing order; a run ends where the
    pen goes back): each run goes to the first line it does not overlap."""
    overlaps = sum(_crosses(a, b) for a, b in itertools.pairwise(sorted(row, key=_X0)))
    if overlaps < _MIN_OVERPRINTS:
        return [row]
    runs: list[list[Glyph]] = []
    for glyph in sorted(row, key=lambda g: order[id(g)]):
        last = runs[-1][-1] if runs else None
        if last is not None and order[id(glyph)] == order[id(last)] + 1 and not _crosses(last, glyph):
            runs[-1].append(glyph)
        else:
            runs.append([glyph])
    lines: list[list[Glyph]] = []
    for run in runs:
        x0, x1 = min(g.x0 for g in run), max(g.x1 for g in run)
        free = (ln for ln in lines if all(g.x1 <= x0 + _SLACK or g.x0 >= x1 - _SLACK for g in ln))
        target = next(free, None)
        if target is None:
            lines.append(list(run))
        else:
            target.extend(run)
    return lines


def _crosses(a: Glyph, b: Glyph) -> bool:
    """``b`` starts well inside ``a`` (kerned neighbours touch by a pixel or two)."""
    return b.x0 < a.x1 - _OVERPRINT * min(a.x1 - a.x0, b.x1 - b.x0)


_OVERPRINT = 0.3  # of the narrower glyph: loose boxes of one line abut, overprinted ones cross
_MIN_OVERPRINTS = 3
_SLACK = 1.0  # px


def _split_on_gaps(row: list[Glyph], gap_factor: float) -> list[list[Glyph]]:
    height = _median([g.y1 - g.y0 for g in row])
    segments: list[list[Glyph]] = [[row[0]]]
    for glyph in row[1:]:
        previous = segments[-1][-1]
        gap = glyph.x0 - previous.x1
        if gap > gap_factor * height or _stepped(previous, glyph, gap / height):
            segments.append([glyph])
        else:
            segments[-1].append(glyph)
    return segments


def _stepped(a: Glyph, b: Glyph, gap: float) -> bool:
    """Neighbours of two lines the row joined: a table's vertical caption (销/售/方, one character a
    row) a word space or more before a row of text, sharing less than half their height, or a
    title in a type half as large again beside a caption (电子发票（增值税专用发票） 发票号码：…); or a
    column's caption drawn into the next cell's caption (boxes that cross), set off its baseline.
    ``gap`` is in row heights."""
    low, high = sorted((a.y1 - a.y0, b.y1 - b.y0))
    if gap > _STEP_GAP:
        return min(a.y1, b.y1) - max(a.y0, b.y0) < 0.5 * low or high > _OTHER_SIZE * low
    return gap < 0 and abs(a.cy - b.cy) > _CROSS_SHIFT * low


_STEP_GAP = 0.5  # of the row's height: a word space or more
_CROSS_SHIFT = 0.4
_OTHER_SIZE = 1.5  # a CJK face and a Latin one of one line differ by far less


def _to_line(segment: list[Glyph], source: LineSource, confidence: float) -> TextLine | None:
    height = _median([g.y1 - g.y0 for g in segment])
    parts: list[str] = [segment[0].char]
    spans: list[tuple[float, float]] = [(segment[0].x0, segment[0].x1)]
    for previous, glyph in itertools.pairwise(segment):
        if glyph.space_before or glyph.x0 - previous.x1 > 0.3 * height:
            parts.append(" ")
            spans.append((previous.x1, glyph.x0))
        parts.append(glyph.char)
        spans.append((glyph.x0, glyph.x1))
    raw = "".join(parts)
    text = normalize_text(raw)
    if not text:
        return None
    box = BBox(
        x0=min(g.x0 for g in segment),
        y0=min(g.y0 for g in segment),
        x1=max(g.x1 for g in segment),
        y1=max(g.y1 for g in segment),
    )
    char_x = normalized_spans(raw, _clipped(spans), text)
    return TextLine(text=text, raw_text=raw, bbox=box, confidence=confidence, source=source, char_x=char_x)


def _clipped(spans: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """A glyph ends where the next begins: readers that estimate advances (OFD without DeltaX, a
    full-width colon) let one glyph's box run over the next one's."""
    out = []
    for (x0, x1), (nx0, _) in itertools.pairwise([*spans, (float("inf"), 0.0)]):
        out.append((x0, min(x1, nx0) if nx0 > x0 else x1))
    return out


def normalized_spans(raw: str, spans: list[tuple[float, float]], text: str) -> list[tuple[float, float]] | None:
    """Each character of ``text`` (``normalize_text(raw)``) with the x-extent of the glyph it came from.

    Why: a value's box must hold the value and nothing else; splitting a line's box evenly puts
    the label's last characters in it wherever glyph widths differ. The normalisation is replayed
    per character; None where the replay does not give ``text`` (the caller then estimates).
    """
    chars: list[tuple[str, tuple[float, float]]] = []
    for char, span in zip(raw, spans, strict=True):
        code = ord(char)
        if any(lo <= code <= hi for lo, hi in _COMPAT_RANGES):
            chars.extend((c, span) for c in unicodedata.normalize("NFKC", char))
        elif char.isspace():
            if chars and not chars[-1][0].isspace():
                chars.append((" ", span))
        elif unicodedata.category(char) not in ("Cc", "Cf"):
            chars.append((char, span))
    while chars and chars[-1][0] == " ":
        chars.pop()
    kept = [
        item
        for i, item in enumerate(chars)
        if item[0] != " " or not (0 < i < len(chars) - 1 and _is_cjk(chars[i - 1][0]) and _is_cjk(chars[i + 1][0]))
    ]
    if "".join(c for c, _ in kept) != text:
        return None
    return [(round(x0, 1), round(x1, 1)) for _, (x0, x1) in kept]


_CJK_CHAR = re.compile(f"[{_CJK}]")


def _is_cjk(char: str) -> bool:
    return _CJK_CHAR.match(char) is not None
