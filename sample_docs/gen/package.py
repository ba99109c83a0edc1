"""One submission folder: documents rendered in their chosen form, application.yaml and truth.json."""

from __future__ import annotations

import contextlib
import json
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from sample_docs.gen import (
    boxes,
    certificate,
    certificate_layouts,
    contract,
    contract_layouts,
    credit_code,
    degrade,
    faults,
    invoice_layout,
    names,
    ofd,
    table,
)
from sample_docs.gen.faults import Expected
from sample_docs.gen.invoice import Invoice
from sample_docs.gen.render import MM, VARIATIONS, Variation, pdf_bytes

SCAN_DPI = 150
PHOTO_DPI = 130

# Render forms → the text source the product should report for them.
FORMATS = {
    "born_digital": "text_layer",
    "scan": "ocr",
    "photo": "ocr",
    "ofd": "ofd",
    "xlsx": "table",
    "corrupt": "none",
}


@dataclass
class Doc:
    path: str
    data: bytes
    doc_type: str
    render: str
    fields: dict[str, Any]
    pages: int = 1
    faults: list[str] = field(default_factory=list)
    unscored: list[str] = field(default_factory=list)
    extras: dict[str, Any] = field(default_factory=dict)
    boxes: dict[str, Any] | None = None  # only in the varied profiles (the default corpus has none)

    def truth(self) -> dict[str, Any]:
        out = {
            "path": self.path,
            "doc_type": self.doc_type,
            "format": FORMATS[self.render],
            "render": self.render,
            "pages": self.pages,
            "fields": self.fields,
            "unscored_fields": self.unscored,
            "faults": self.faults,
            "extras": self.extras,
        }
        if self.boxes is not None:
            out.update(self.boxes)
        return out


@dataclass
class Submission:
    """Everything a scenario decides; :meth:`write` turns it into the folder."""

    name: str
    scenario: str
    seed: int
    rng: random.Random
    applicant: names.Company
    clauses: list[str]
    application_date: date = date(2024, 5, 20)
    docs: list[Doc] = field(default_factory=list)
    expected: list[Expected] = field(default_factory=list)
    allowed: set[str] = field(default_factory=set)
    award_wan: float | None = None
    award_note: str = ""
    claimed_award_wan: float | None = None
    with_credit_code: bool = True
    prior_awards: list[dict[str, Any]] = field(default_factory=list)
    description: str = ""
    with_boxes: bool = False  # write each field's true box into truth (varied / heldout profiles)

    def expect(
        self, code: str, docs: list[str] | None = None, note: str = "", alternatives: list[str] | None = None
    ) -> None:
        self.expected.append(Expected(code, docs or [], note, alternatives or []))
        for d in self.docs:
            if d.path in (docs or []) and code not in d.faults:
                d.faults.append(code)

    # --- documents -----------------------------------------------------------------------------
    def add_invoice(self, inv: Invoice, path: str, render: str, unscored: list[str] | None = None) -> Doc:
        return self.add_invoice_with(inv, path, render, {}, unscored)

    def add_invoice_with(
        self, inv: Invoice, path: str, render: str, options: dict[str, Any], unscored: list[str] | None = None
    ) -> Doc:
        """``options``: photo settings (``exif_orientation``, ``upside_down``, ``smudge`` boxes)."""
        extras = {"qr_payload": inv.qr_payload(), "kind": inv.kind, **options}
        if render == "ofd":
            doc = Doc(path, ofd.ofd_bytes(inv), "invoice", render, inv.truth_fields(), extras=extras)
        else:
            size = invoice_layout.DIGITAL_SIZE if inv.digital else invoice_layout.OLD_SIZE
            drawers = invoice_layout.pages(inv, random.Random(inv.number))
            with boxes.recording() as drawn, _printer(options):
                pdf = pdf_bytes(size, drawers, title=inv.title)
            if "labels" in extras:  # only the spellings this layout drew
                extras["labels"] = {k: v for k, v in extras["labels"].items() if any(d.s == v for d in drawn)}
            doc = self._finish(
                path, pdf, "invoice", render, fields=inv.truth_fields(), pages=len(drawers), extras=extras
            )
            self._boxes(doc, drawn)
        doc.unscored = list(unscored or [])
        # When the QR code disagrees with the print, which value is "the" field is the reviewer's call.
        if "date" in inv.qr_override:
            doc.unscored.append("issue_date")
        if "amount" in inv.qr_override:
            doc.unscored.append("total_incl_tax" if inv.digital else "amount_excl_tax")
        self.docs.append(doc)
        return doc

    def add_certificate(
        self, cert: certificate.Certificate, path: str, render: str, options: dict[str, Any] | None = None
    ) -> Doc:
        """``options``: photo settings, e.g. ``{"upside_down": True}``."""
        with boxes.recording() as drawn:
            pdf = pdf_bytes(
                certificate_layouts.PAGE_SIZE,
                [lambda c: certificate_layouts.draw(c, cert)],
                title=f"{cert.cert_type}证书",
            )
        extras = dict(options or {})
        doc = self._finish(path, pdf, "certificate", render, fields=cert.truth_fields(), pages=1, extras=extras)
        self._boxes(doc, drawn)
        self.docs.append(doc)
        return doc

    def add_contract(self, ct: contract.Contract, path: str, render: str, options: dict[str, Any] | None = None) -> Doc:
        """``options``: scan degradations (``{"degrade": {...}}``); ``ct.style`` picks a layout family."""
        draws = contract_layouts.pages(ct, ct.style) if ct.style else contract.pages(ct)
        with boxes.recording() as drawn:
            pdf = pdf_bytes(contract.PAGE_SIZE, draws, title=ct.title)
        extras: dict[str, Any] = dict(options or {})
        if ct.style:
            extras["layout"] = dict(ct.style)
        doc = self._finish(path, pdf, "contract", render, fields=ct.truth_fields(), pages=len(draws), extras=extras)
        self._boxes(doc, drawn)
        self.docs.append(doc)
        return doc

    def add_table(self, rows: list[table.Row], path: str, style: table.TableStyle) -> Doc:
        title = f"{self.applicant.name}项目投资明细表"
        data = table.xlsx_bytes(title, rows, style)
        doc = Doc(
            path, data, "detail_table", "xlsx", {"rows": table.truth_rows(rows)}, extras={"style": style.__dict__}
        )
        self.docs.append(doc)
        return doc

    def add_other_pdf(self, path: str, title: str, paragraphs: list[str], render: str = "born_digital") -> Doc:
        from sample_docs.gen.render import text, text_center, wrap

        def draw(c: Any) -> None:
            text_center(c, 297.6, 780, title, 18)
            y = 740.0
            for para in paragraphs:
                for line in wrap(para, 36):
                    text(c, 70, y, line, 12)
                    y -= 20
                y -= 10

        pdf = pdf_bytes((595.27, 841.89), [draw], title=title)
        doc = self._finish(path, pdf, "unknown", render, fields={}, pages=1, extras={})
        self.docs.append(doc)
        return doc

    def add_corrupt(self, path: str, source: bytes) -> Doc:
        """A PDF cut off in transfer: header present, body truncated, no xref."""
        doc = Doc(path, source[: max(64, len(source) // 5)], "unknown", "corrupt", {})
        self.docs.append(doc)
        return doc

    def _finish(
        self,
        path: str,
        pdf: bytes,
        doc_type: str,
        render: str,
        *,
        fields: dict[str, Any],
        pages: int,
        extras: dict[str, Any],
    ) -> Doc:
        rng = random.Random(f"{self.seed}:{path}")
        if render == "born_digital":
            return Doc(path, pdf, doc_type, render, fields, pages, extras=extras)
        if render == "scan" and "degrade" in extras:
            data = _degraded_scan(path, pdf, extras["degrade"], rng)
            return Doc(path, data, doc_type, render, fields, pages, extras=extras)
        if render == "scan":
            imgs = [degrade.scan(p, rng) for p in degrade.rasterise(pdf, SCAN_DPI)]
            if path.endswith((".tif", ".tiff")):
                data = degrade.tiff_bytes(imgs, SCAN_DPI)
                return Doc(path, data, doc_type, render, fields, pages, extras=extras)
            return Doc(path, degrade.image_pdf(imgs, SCAN_DPI), doc_type, render, fields, pages, extras=extras)
        # photo: one image per page is not how people send multi-page documents; photos are single pages
        img = degrade.rasterise(pdf, PHOTO_DPI)[0]
        for box in extras.pop("smudge", []):
            img = degrade.smudge(img, box, rng)
        upside = bool(extras.get("upside_down"))
        shot = degrade.photo(img, rng, upside_down=upside)
        if path.endswith(".png"):
            shot.thumbnail((1400, 1400))
            data = degrade.png_bytes(shot)
        else:
            data = degrade.jpeg_bytes(shot, rng.randint(72, 85), extras.get("exif_orientation"))
        return Doc(path, data, doc_type, render, fields, pages, extras=extras)

    def _boxes(self, doc: Doc, drawn: list[Any]) -> None:
        """True boxes where the page geometry is kept (not on photos, perspective or dot-shifted scans).

        PDFs are read at the raster dpi; an image file's boxes are in its own pixels (its scan dpi).
        """
        if not self.with_boxes:
            return
        options = doc.extras.get("degrade", {})
        if doc.render not in ("born_digital", "scan") or not set(options) <= degrade.GEOMETRY_KEPT:
            doc.boxes = {"boxes": {}, "box_alternatives": {}, "box_dpi": None}
            return
        image_file = doc.path.lower().endswith((".tif", ".tiff", ".png", ".jpg", ".jpeg"))
        dpi = int(options.get("dpi", SCAN_DPI)) if image_file else boxes.RASTER_DPI
        found, others = boxes.field_boxes(drawn, doc.fields, dpi)
        doc.boxes = {"boxes": found, "box_alternatives": others, "box_dpi": dpi}

    # --- output --------------------------------------------------------------------------------
    def application(self) -> dict[str, Any]:
        applicant: dict[str, Any] = {"name": self.applicant.name}
        if self.with_credit_code:
            applicant["credit_code"] = self.applicant.credit_code
        out: dict[str, Any] = {
            "applicant": applicant,
            "policy": "yangquan-2024",
            "clauses": self.clauses,
            "application_date": self.application_date,
        }
        if self.claimed_award_wan is not None:
            out["claimed_award_wan"] = self.claimed_award_wan
        if self.prior_awards:
            out["prior_awards"] = self.prior_awards
        return out

    def truth(self) -> dict[str, Any]:
        named = {e.code for e in self.expected} | {a for e in self.expected for a in e.alternatives}
        if any(d.render == "photo" for d in self.docs):
            self.allowed.add("LOW_CONFIDENCE_FIELD")
        forbidden = [c for c in faults.ALL_CODES if c not in named and c not in self.allowed]
        return {
            "submission": self.name,
            "scenario": self.scenario,
            "seed": self.seed,
            "description": self.description,
            "application": json.loads(json.dumps(self.application(), default=str)),
            "documents": [d.truth() for d in self.docs],
            "findings": {
                "expected": [e.as_json() for e in self.expected],
                "allowed": sorted(self.allowed),
                "forbidden": forbidden,
            },
            "status": "flagged" if self.expected else "pass",
            "award": {"clauses": self.clauses, "expected_wan": self.award_wan, "note": self.award_note},
        }

    def write(self, root: Path) -> Path:
        out = root / self.name
        out.mkdir(parents=True, exist_ok=True)
        for doc in self.docs:
            (out / doc.path).write_bytes(doc.data)
        (out / "application.yaml").write_text(
            yaml.safe_dump(self.application(), allow_unicode=True, sort_keys=False), encoding="utf-8"
        )
        (out / "truth.json").write_text(json.dumps(self.truth(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        return out


@contextlib.contextmanager
def _printer(options: dict[str, Any]) -> Iterator[None]:
    """Caption spellings (``labels``) and a print offset in mm (``print_shift``) while drawing."""
    if "labels" not in options and "print_shift" not in options:
        yield
        return
    dx, dy = options.get("print_shift", (0, 0))
    VARIATIONS.append(Variation(dict(options.get("labels", {})), (dx * MM, dy * MM)))
    try:
        yield
    finally:
        VARIATIONS.pop()


def _degraded_scan(path: str, pdf: bytes, options: dict[str, Any], rng: random.Random) -> bytes:
    """A scan with the varied profiles' knobs: dpi, JPEG quality, blur, perspective, dot shift, turn."""
    dpi = int(options.get("dpi", SCAN_DPI))
    imgs = [degrade.degrade_scan(p, rng, options) for p in degrade.rasterise(pdf, dpi)]
    if path.endswith((".tif", ".tiff")):
        return degrade.tiff_bytes(imgs, dpi)
    return degrade.image_pdf(imgs, dpi, int(options.get("jpeg", 60)))


def new_company(rng: random.Random, taken: set[str]) -> names.Company:
    name = names.applicant_name(rng, taken)
    return names.Company(name, credit_code.make(rng), names.english_name(name, rng))
