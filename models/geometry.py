"""Page geometry: boxes in pixels of the page image at the project's raster resolution."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pydantic import BaseModel, ConfigDict, model_serializer, model_validator


class BBox(BaseModel):
    """An axis-aligned box, top-left origin, in pixels; serialised as ``[x0, y0, x1, y1]``."""

    model_config = ConfigDict(frozen=True)

    x0: float
    y0: float
    x1: float
    y1: float

    @model_validator(mode="before")
    @classmethod
    def _from_sequence(cls, data: Any) -> Any:
        if isinstance(data, list | tuple):
            if len(data) != 4:
                raise ValueError("a bbox needs four numbers [x0, y0, x1, y1]")
            x0, y0, x1, y1 = (float(v) for v in data)
            return {"x0": min(x0, x1), "y0": min(y0, y1), "x1": max(x0, x1), "y1": max(y0, y1)}
        return data

    @model_serializer
    def _as_list(self) -> list[int]:
        return [round(self.x0), round(self.y0), round(self.x1), round(self.y1)]

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    @property
    def height(self) -> float:
        return self.y1 - self.y0

    @property
    def center(self) -> tuple[float, float]:
        return ((self.x0 + self.x1) / 2, (self.y0 + self.y1) / 2)

    def scaled(self, factor: float) -> BBox:
        return BBox(x0=self.x0 * factor, y0=self.y0 * factor, x1=self.x1 * factor, y1=self.y1 * factor)

    def union(self, other: BBox) -> BBox:
        return BBox(
            x0=min(self.x0, other.x0),
            y0=min(self.y0, other.y0),
            x1=max(self.x1, other.x1),
            y1=max(self.y1, other.y1),
        )

    def vertical_overlap(self, other: BBox) -> float:
        """Fraction of the shorter box's height shared with ``other``: 1.0 means same text row."""
        shared = min(self.y1, other.y1) - max(self.y0, other.y0)
        shortest = min(self.height, other.height)
        return max(0.0, shared) / shortest if shortest > 0 else 0.0

    @staticmethod
    def enclosing(boxes: Iterable[BBox]) -> BBox:
        items = list(boxes)
        if not items:
            raise ValueError("no boxes to enclose")
        out = items[0]
        for box in items[1:]:
            out = out.union(box)
        return out
