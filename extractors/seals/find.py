"""One upright page image → the stamps on it, each with what was read on it (``models.Seal``)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from extractors.ocr import OcrEngine
from extractors.seals import authority, mask, shape
from extractors.seals.parse import compact, credit_code_in, kind_of, names_in
from extractors.seals.read import Reading, read
from extractors.seals.unwarp import layout
from models import BBox
from models.document import Seal

MAX_SEALS_PER_PAGE = 6
# A name read off an arc is worth no more than this unless a valid credit code was read on the
# same stamp: arcs are read through a polar unwarp, so doubt is the default (below the policies'
# 0.70 threshold, a seal naming someone else is then a question for the reviewer, not an error).
UNCORROBORATED_CAP = 0.6


def is_colour(image: np.ndarray) -> bool:
    """Whether the page keeps colour at all: a grey scan cannot show a red stamp, found or not."""
    if image.ndim != 3:
        return False
    small = image[::8, ::8].astype(np.int16)
    spread = small.max(axis=2) - small.min(axis=2)
    return bool((spread > 40).mean() > 0.0005)


def find_seals(
    image: np.ndarray,
    *,
    page: int,
    engine: OcrEngine | Callable[[], OcrEngine],
    short_side: int | None = None,
) -> list[Seal]:
    """Stamps on an RGB page image, largest first; boxes in that image's pixels.

    ``engine`` may be a callable giving the engine, so a page without a stamp never loads OCR.
    ``short_side`` is the page's short side when ``image`` is a region of the page.
    """
    strength = mask.ink(image)
    found: list[Seal] = []
    rules = mask.rules(strength, short_side)
    stamps = mask.blobs(strength, rules, short_side)
    strength = mask.without_rules(strength, rules, stamps)
    for blob in stamps:
        if len(found) >= MAX_SEALS_PER_PAGE:
            break
        fitted = shape.fit(blob, strength)
        if fitted is None:
            continue
        parts = layout(strength, fitted.ellipse)
        star = shape.has_star(parts.upright, max(fitted.ellipse.a, fitted.ellipse.b))
        ocr = engine if isinstance(engine, OcrEngine) else engine()
        found.append(_seal(read(parts, ocr), blob, page, star=star))
    return found


def _seal(reading: Reading, blob: mask.Blob, page: int, *, star: bool) -> Seal:
    read_names = names_in(reading.arc)
    names = [authority.mended(name) or name for name in read_names]
    code, valid = credit_code_in(reading.centre + "\n" + reading.arc)
    text = "\n".join(part for part in (compact(reading.arc), reading.centre.strip()) if part)
    confidence = reading.arc_confidence if names else min(0.5, reading.arc_confidence)
    if names != read_names:
        confidence = min(confidence, authority.MENDED_CAP)
    if not valid:
        confidence = min(confidence, UNCORROBORATED_CAP)
    return Seal(
        kind=kind_of(text, star=star, names=names),
        text=text,
        names=names,
        credit_code=code,
        page=page,
        bbox=BBox(x0=float(blob.x0), y0=float(blob.y0), x1=float(blob.x1), y1=float(blob.y1)),
        confidence=round(max(0.0, min(1.0, confidence)), 3),
    )
