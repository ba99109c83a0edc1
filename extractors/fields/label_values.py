"""Values beside, below or after their captions, once the captions are found (extractors.fields.layout).

A value is what a validator accepts at the caption's place: the rest of its line and the boxes to
its right (stopping at a cell border), the box below it, or the running text after it. Its box is
cut to the value's own characters, without the caption's colon.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from extractors.fields.canonical import clean
from extractors.fields.layout import Hit, LabelHit, Placed, Row, enclose, find_label, sub_bbox

Validator = Callable[[str], str | None]


def _conf(items: Iterable[Placed]) -> float:
    values = [p.line.confidence for p in items]
    return min(values) if values else 0.0


def value_right(label: LabelHit, validate: Validator, *, max_segments: int = 6) -> Hit | None:
    """The value after the label on its row: the rest of the label's line, then the boxes to its right."""
    row = label.row
    segments = [(s, e, p) for s, e, p in row.offsets() if e > label.end]
    text_acc = ""
    used: list[tuple[Placed, int, int]] = []
    found: tuple[str, list[tuple[Placed, int, int]]] | None = None
    for s, e, p in segments[:max_segments]:
        if used and _past_cell(text_acc, used[-1][0], p):
            break
        local_start = max(label.end - s, 0)
        text_acc += p.text[local_start:]
        used.append((p, local_start, e - s))
        value = validate(text_acc)
        if found is not None:
            # a longer reading of the same value (a number split over two close boxes) wins
            prev = used[-2][0].bbox
            close = p.bbox.x0 - prev.x1 < 1.5 * max(prev.height, 1.0)
            if close and value is not None and len(value) > len(found[0]) and value.startswith(found[0]):
                found = (value, list(used))
            break
        if value is not None:
            found = (value, list(used))
    if found is None:
        return None
    value, parts = found
    box = enclose(sub_bbox(q, a, b) for q, a, b in _without_caption_marks(_only_value(parts, value)))
    how = "same_line" if parts[0][1] > 0 and len(parts) == 1 else "right"
    return Hit(value, row.page, box, _conf(q for q, _, _ in parts), how)


_CAPTION_MARKS = ":;,.、：； "


def _only_value(parts: list[tuple[Placed, int, int]], value: str) -> list[tuple[Placed, int, int]]:
    """The parts cut to the value's own characters where it is printed as read (a tax id followed
    on its line by the next party's caption); unchanged where the value was reformatted."""
    text = "".join(q.text[a:b] for q, a, b in parts)
    at = text.find(value)
    if at < 0 or not value:
        return parts
    lo, hi, pos, out = at, at + len(value), 0, []
    for q, a, b in parts:
        first, last = max(lo - pos, 0), min(hi - pos, b - a)
        if first < last:
            out.append((q, a + first, a + last))
        pos += b - a
    return out or parts


def _without_caption_marks(parts: list[tuple[Placed, int, int]]) -> list[tuple[Placed, int, int]]:
    """The value's characters without the caption's colon before them (in its own box or at the
    start of the value's): the box must hold the value and nothing else."""
    out = []
    for q, a, b in parts:
        segment = q.text[a:b]
        start = a + len(segment) - len(segment.lstrip(_CAPTION_MARKS))
        if start < b:
            out.append((q, start, b))
    return out or parts


def _past_cell(value_so_far: str, prev: Placed, nxt: Placed) -> bool:
    """A wide gap after some value text is a cell border: what lies beyond belongs to another region
    (the 密码区 beside 购买方名称, the next column), never to this value."""
    if not value_so_far.strip(":;,.、：； "):
        return False
    gap = nxt.bbox.x0 - prev.bbox.x1
    return gap > 3.0 * max(prev.bbox.height, nxt.bbox.height, 1.0)


def value_below(label: LabelHit, rows: Sequence[Row], validate: Validator, *, max_rows: int = 2) -> Hit | None:
    """The value in the box under the label (forms that print the value beneath its caption)."""
    box = label.bbox
    h = max(box.height, 1.0)
    below = [
        r for r in rows if r.page == label.row.page and r.bbox.y0 >= box.y1 - 0.3 * h and r.bbox.y0 - box.y1 < 3.5 * h
    ]
    below.sort(key=lambda r: r.bbox.y0)
    for row in below[:max_rows]:
        near = [p for p in row.items if p.bbox.x1 > box.x0 - 2 * h and p.bbox.x0 < box.x1 + 12 * h]
        near.sort(key=lambda p: abs(p.bbox.x0 - box.x0))
        for p in near:
            value = validate(p.text)
            if value is not None:
                return Hit(value, row.page, p.ink_box, p.line.confidence, "below")
    return None


def label_value(
    rows: Sequence[Row],
    variants: Sequence[str],
    validate: Validator,
    *,
    not_after: Sequence[str] = (),
    below: bool = True,
) -> list[tuple[LabelHit, Hit]]:
    """Every (label, value) pair for ``variants``: same row first, then the box below."""
    out: list[tuple[LabelHit, Hit]] = []
    for label in find_label(rows, variants, not_after=not_after):
        hit = value_right(label, validate)
        if hit is None and below:
            hit = value_below(label, rows, validate)
        if hit is not None:
            out.append((label, hit))
    return out


def search_rows(rows: Sequence[Row], validate: Validator) -> list[Hit]:
    """Values anywhere (no label), each with its row; the fallback when a label is unreadable."""
    out: list[Hit] = []
    for row in rows:
        for p in row.items:
            value = validate(p.text)
            if value is not None:
                out.append(Hit(value, row.page, p.ink_box, p.line.confidence, "text"))
    return out


def flow_value(
    rows: Sequence[Row], variants: Sequence[str], validate: Validator, *, window: int = 80
) -> list[tuple[int, Hit]]:
    """Values after a label in running text, where a sentence wraps over rows (and pages).

    Contracts print ``本合同总金额为人民币……(¥1,227,48`` / ``0.00)``: the rows are joined in reading
    order and the text after each label (up to ``window`` characters) is validated. Returns the
    label's position in the joined text with each hit, so callers can prefer the earliest.
    """
    parts: list[tuple[int, int, Row]] = []
    pos = 0
    for row in rows:
        parts.append((pos, pos + len(row.text), row))
        pos += len(row.text)
    text = "".join(row.text for row in rows)
    out: list[tuple[int, Hit]] = []
    for target in sorted({clean(v) for v in variants}, key=len, reverse=True):
        start = text.find(target)
        while start >= 0:
            end = start + len(target)
            value = validate(text[end : end + window])
            if value is not None:
                used = [r for s, e, r in parts if s < end + window and e > start]
                covered = [r for r in used if r.text and value[:2] in r.text] or used[:1]
                row = covered[0]
                conf = min(p.line.confidence for r in used[:3] for p in r.items)
                out.append((start, Hit(value, row.page, row.bbox, conf, "right")))
            start = text.find(target, end)
    out.sort(key=lambda t: t[0])
    return out
