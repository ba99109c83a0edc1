"""Page images with their boxes, for the validation screen.

Why a module of its own: every box carries the key of the field it shows (``field_key``) and every
field row the same key, so a click on a row lights its box and a hover on a box lights its row;
that pairing is made here once, for the finding cards and the whole-page view alike.
"""

from __future__ import annotations

from typing import Any

from models import BBox, Document, Evidence, Finding, Page
from models.field_names import field_label
from store.records import PageImageInfo, SubmissionDetail

Box = tuple[BBox, str, str, str]  # the box, its kind (evidence/field), its tooltip, its field key


def field_key(file_id: int | None, name: str) -> str:
    """The same key on a field's row and on its boxes (file ids, not names: names are hostile text)."""
    return f"d{file_id or 0}-{name}"


def page_url(sub_id: int, file_id: int, page: int) -> str:
    return f"/submissions/{sub_id}/files/{file_id}/pages/{page}"


def _box(box: Box) -> dict[str, Any]:
    bbox, kind, label, key = box
    return {
        "x": round(bbox.x0, 1),
        "y": round(bbox.y0, 1),
        "w": round(bbox.width, 1),
        "h": round(bbox.height, 1),
        "kind": kind,
        "label": label,
        "key": key,
    }


def build_figure(detail: SubmissionDetail, file: str, page_no: int, boxes: list[Box]) -> dict[str, Any] | None:
    """One page image with boxes; ``None`` if the file or page is not part of the submission."""
    doc = detail.documents.get(file)
    file_id = detail.document_ids.get(file)
    if doc is None or file_id is None:
        return None
    page: Page | None = next((p for p in doc.pages if p.number == page_no), None)
    image: PageImageInfo | None = next((i for i in detail.pages.get(file, []) if i.page == page_no), None)
    if page is None and image is None:
        return None
    width = page.width if page is not None else image.width if image is not None else 1.0
    height = page.height if page is not None else image.height if image is not None else 1.0
    return {
        "file": file,
        "page": page_no,
        "page_count": max(len(doc.pages), len(detail.pages.get(file, []))),
        "width": width,
        "height": height,
        # a kept image by its id, else the page rendered on demand from the stored file name
        "image_url": f"/page-images/{image.id}" if image else page_url(detail.id, file_id, page_no) + "/image",
        "page_url": page_url(detail.id, file_id, page_no),
        "boxes": [_box(b) for b in boxes],
    }


def page_boxes(doc: Document, file_id: int, page: int) -> list[Box]:
    """Every extracted field's box on one page (the whole-page view)."""
    return [
        (f.bbox, "field", field_label(n), field_key(file_id, n))
        for n, f in doc.fields.items()
        if f.page == page and f.bbox is not None
    ]


def _overlap(a: BBox, b: BBox) -> float:
    w = min(a.x1, b.x1) - max(a.x0, b.x0)
    h = min(a.y1, b.y1) - max(a.y0, b.y0)
    return max(w, 0.0) * max(h, 0.0)


def _evidence_key(detail: SubmissionDetail, finding: Finding, ev: Evidence) -> str:
    """The finding's field an evidence box covers most, so its row lights with it."""
    doc = detail.documents.get(ev.path)
    if doc is None or ev.bbox is None:
        return ""
    scored = [
        (_overlap(fld.bbox, ev.bbox), name)
        for name in finding.fields
        if (fld := doc.fields.get(name)) is not None and fld.bbox is not None and fld.page == (ev.page or 1)
    ]
    best = max(scored, default=(0.0, ""))
    return field_key(detail.document_ids.get(ev.path), best[1]) if best[0] > 0 else ""


def finding_figures(detail: SubmissionDetail, finding: Finding) -> list[dict[str, Any]]:
    """The finding's evidence boxes and its fields' boxes, grouped per page (page 1 when it has none)."""
    pages: dict[tuple[str, int], list[Box]] = {}
    for ev in finding.evidence:
        boxes = pages.setdefault((ev.path, ev.page or 1), [])
        if ev.bbox is not None:
            boxes.append((ev.bbox, "evidence", finding.message, _evidence_key(detail, finding, ev)))
    with_evidence = {page for page, boxes in pages.items() if boxes}
    for file in finding.documents:
        doc = detail.documents.get(file)
        for name in finding.fields if doc is not None else []:
            fld = doc.fields.get(name) if doc is not None else None
            if fld is None or fld.page is None or fld.bbox is None:
                continue
            key = field_key(detail.document_ids.get(file), name)
            boxes = pages.setdefault((file, fld.page), [])
            if all(k != key for _, _, _, k in boxes):
                kind = "field" if (file, fld.page) in with_evidence else "evidence"
                boxes.append((fld.bbox, kind, field_label(name), key))
    if not pages:
        first = next((f for f in finding.documents if f in detail.documents and detail.documents[f].pages), None)
        if first is not None:
            pages[(first, 1)] = []
    figures = [build_figure(detail, file, page, boxes) for (file, page), boxes in pages.items()]
    return [f for f in figures if f is not None]
