"""Contract text as one reading-order string, with each character traced back to its row and line.

Contract values live in running text that wraps over rows and pages (``本合同于2023年5月25日在阳泉市签订``,
``…（以下简称"甲方"）``); a regex over the joined text finds them, and the span's characters give a
box holding the value and nothing else, on every row it covers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from extractors.fields.layout import Hit, Row, enclose, sub_bbox


@dataclass(frozen=True)
class Joined:
    """The rows' texts end to end; ``starts[i]`` is where row ``i`` begins in ``text``."""

    rows: Sequence[Row]
    text: str
    starts: tuple[int, ...]

    @classmethod
    def of(cls, rows: Sequence[Row]) -> Joined:
        starts: list[int] = []
        pos = 0
        for row in rows:
            starts.append(pos)
            pos += len(row.text)
        return cls(rows, "".join(r.text for r in rows), tuple(starts))

    def hit(self, start: int, end: int, value: str, how: str = "right") -> Hit | None:
        """The value at characters ``start:end``: its page, the box of those characters, the lowest
        confidence among the lines they come from. ``None`` when the span crosses a page. ``how`` is
        "right" (after its caption) unless the value wraps over rows."""
        boxes = []
        confidences = []
        pages = set()
        rows = 0
        for row, row_start in zip(self.rows, self.starts, strict=True):
            lo, hi = max(start - row_start, 0), min(end - row_start, len(row.text))
            if lo >= hi:
                continue
            pages.add(row.page)
            rows += 1
            for s, e, placed in row.offsets():
                if s < hi and lo < e:
                    boxes.append(sub_bbox(placed, max(lo - s, 0), min(hi, e) - s))
                    confidences.append(placed.line.confidence)
        if not boxes or len(pages) != 1:
            return None
        # "wrapped": the value runs over rows, so the page has no space inside it to restore
        return Hit(value, pages.pop(), enclose(boxes), min(confidences), "wrapped" if rows > 1 else how)

    def row_at(self, pos: int) -> int:
        """Index of the row holding character ``pos``."""
        index = 0
        for i, start in enumerate(self.starts):
            if start <= pos:
                index = i
        return index


def row_hit(row: Row, start: int, end: int, value: str, how: str = "right") -> Hit | None:
    """A value at characters ``start:end`` of one row."""
    return Joined.of([row]).hit(start, end, value, how)
