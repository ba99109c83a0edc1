"""Building fields with provenance and a confidence that means something.

Confidence is the chance the value is right. It starts from how the value was found (a label on a
text layer is near-certain; a regex fallback on OCR text is not) and the reader's own confidence,
then moves with the cross-checks: agreement with an independent source (QR payload, 大写 words,
arithmetic, a check character) raises it, disagreement caps it below the review threshold.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from extractors.fields.layout import Hit
from models import Document, ExtractedField
from models.document import FieldSource

CONFIRMED_TEXT = 0.995
CONFIRMED_OCR = 0.97
CONTRADICTED = 0.45


def doc_source(doc: Document) -> FieldSource:
    """The field source implied by how the document was read."""
    mapping: dict[str, FieldSource] = {
        "text_layer": "text_layer",
        "ofd": "ofd",
        "xml": "xml",
        "ocr": "ocr",
        "mixed": "ocr",
        "table": "table",
    }
    return mapping.get(doc.text_source, "ocr")


def hit_source(doc: Document, hit: Hit) -> FieldSource:
    """The source of the page the hit is on (a mixed document has OCR and text-layer pages)."""
    cx, cy = hit.bbox.center
    for page in doc.pages:
        if page.number == hit.page:
            for line in page.lines:
                box = line.bbox
                if box.x0 <= cx <= box.x1 and box.y0 <= cy <= box.y1:
                    src = line.source
                    return "text_layer" if src == "text_layer" else src
            if page.text_source in ("text_layer", "ofd", "xml", "ocr"):
                return page.text_source
    return doc_source(doc)


def base_confidence(hit: Hit, source: FieldSource) -> float:
    """Confidence before cross-checks: found by label or only by its shape, on exact or OCR text."""
    exact = source in ("text_layer", "ofd", "xml", "table", "qr")
    if exact:
        return 0.96 if hit.how != "text" else 0.8
    ocr = max(0.0, min(1.0, hit.confidence))
    by_label = 0.35 + 0.55 * ocr
    return round(by_label if hit.how != "text" else by_label * 0.85, 4)


SPACED_FIELDS = frozenset(
    {"buyer_name", "seller_name", "holder_name", "issuer", "party_a", "party_b", "subject", "scope"}
)


def respace(doc: Document, hit: Hit, value: str) -> str:
    """The value with the single spaces the page prints inside it (``CMMI Institute``, ``山西 清众…``).

    Values are matched on space-free text so OCR gaps do not break labels; names are reported as printed.
    """
    page = next((p for p in doc.pages if p.number == hit.page), None)
    if page is None or not value:
        return value
    box = hit.bbox
    near = [
        ln
        for ln in page.lines
        if ln.bbox.vertical_overlap(box) > 0.3
        and ln.bbox.x1 >= box.x0 - box.height
        and ln.bbox.x0 <= box.x1 + box.height
    ]
    near.sort(key=lambda ln: ln.bbox.x0)
    text = re.sub(r"\s+", " ", unicodedata.normalize("NFKC", " ".join(ln.text for ln in near)))
    pattern = " ?".join(re.escape(ch) for ch in value)
    m = re.search(pattern, text)
    return m.group(0) if m else value


def make_field(
    doc: Document,
    value: Any,
    hit: Hit,
    extractor: str,
    *,
    name: str = "",
    confidence: float | None = None,
    source: FieldSource | None = None,
) -> ExtractedField:
    src = source or hit_source(doc, hit)
    conf = base_confidence(hit, src) if confidence is None else confidence
    if name in SPACED_FIELDS and isinstance(value, str):
        value = respace(doc, hit, value)
    return ExtractedField(
        value=value,
        confidence=round(max(0.0, min(1.0, conf)), 4),
        page=hit.page,
        bbox=hit.bbox,
        extractor=extractor,
        source=src,
    )


def confirm(f: ExtractedField) -> ExtractedField:
    """An independent source agrees: raise confidence to what that agreement justifies."""
    target = CONFIRMED_TEXT if f.source in ("text_layer", "ofd", "xml", "qr", "table") else CONFIRMED_OCR
    return f.model_copy(update={"confidence": max(f.confidence, target)})


def contradict(f: ExtractedField) -> ExtractedField:
    """An independent source disagrees: keep the value but below any review threshold."""
    return f.model_copy(update={"confidence": min(f.confidence, CONTRADICTED)})


def doubt(f: ExtractedField) -> ExtractedField:
    """A cross-check failed: an exactly read value stays (the document itself is wrong and a check
    will say so); an OCR reading is probably misread, so its confidence drops."""
    if f.source in ("text_layer", "ofd", "xml", "qr", "table"):
        return f
    return contradict(f)


def whole_years_apart(start: str, end: str) -> bool:
    """``end`` is 1-5 whole years after ``start`` (or that minus a day): how validity periods and
    service terms are printed, so two dates read independently that fit this confirm each other."""
    import datetime as dt

    try:
        a, b = dt.date.fromisoformat(start), dt.date.fromisoformat(end)
    except ValueError:
        return False
    for years in range(1, 6):
        try:
            target = a.replace(year=a.year + years)
        except ValueError:
            target = a.replace(year=a.year + years, day=28)
        if b in (target, target - dt.timedelta(days=1)):
            return True
    return False


def confirm_period(fields: dict[str, ExtractedField], start: str, end: str) -> None:
    """Raise both dates of a period when they are whole years apart (issued independently of OCR slips)."""
    if start not in fields or end not in fields or fields[end].source == "derived":
        return
    if whole_years_apart(str(fields[start].value), str(fields[end].value)):
        fields[start] = confirm(fields[start])
        fields[end] = confirm(fields[end])
