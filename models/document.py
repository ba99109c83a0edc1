"""Documents as read: pages of positioned text lines, and the typed fields taken from them."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field, SerializationInfo, SerializerFunctionWrapHandler, model_serializer

from models.extraction_checks import ExtractionChecks
from models.geometry import BBox

DocType = Literal["invoice", "certificate", "contract", "detail_table", "business_licence", "unknown"]
SealKind = Literal["invoice_seal", "contract_seal", "official_seal", "other"]
LineSource = Literal["text_layer", "ocr", "ofd", "xml", "table"]
TextSource = Literal["text_layer", "ofd", "xml", "ocr", "mixed", "table", "none"]
FieldSource = Literal["text_layer", "ocr", "ofd", "xml", "qr", "table", "derived"]


class TextLine(BaseModel):
    """One run of text on a page with where it was found and how sure the reader is."""

    text: str
    raw_text: str
    bbox: BBox
    confidence: float = Field(ge=0.0, le=1.0)
    source: LineSource
    #: x-extent in pixels of each character of ``text`` where the reader knows it (text layer, OFD,
    #: OCR character positions); None: the reader does not, and sub-boxes are estimated
    char_x: list[tuple[float, float]] | None = None
    #: top and bottom of the ink where the reader's box has a margin (OCR detection); None: the box
    ink_y: tuple[float, float] | None = None


class Page(BaseModel):
    """One page: its size at ``dpi``, its text lines, QR payloads, and the rendered image if kept."""

    number: int = Field(ge=1)
    width: float
    height: float
    dpi: int
    lines: list[TextLine] = Field(default_factory=list)
    text_source: TextSource = "none"
    qr_payloads: list[str] = Field(default_factory=list)
    rotation: int = 0
    skew_degrees: float = 0.0
    image_path: str | None = None
    table_rows: list[list[str]] | None = None


CORRECTED_BY_REVIEWER = "reviewer"
"""``ExtractedField.extractor`` of a value a reviewer entered: it replaces whatever was read."""


class ExtractedField(BaseModel):
    """A typed value with its provenance, so a reviewer can see where it came from."""

    value: Any
    confidence: float = Field(ge=0.0, le=1.0)
    page: int | None = None
    bbox: BBox | None = None
    extractor: str = ""
    source: FieldSource | None = None


class Seal(BaseModel):
    """A stamp found on a page and what was read on it (docs/REFERENCE.md §3 ``seals``)."""

    kind: SealKind = "other"
    text: str = ""
    names: list[str] = Field(default_factory=list)
    credit_code: str | None = None
    page: int = Field(default=1, ge=1)
    bbox: BBox | None = None
    confidence: float = Field(default=0.0, ge=0.0, le=1.0)


class Document(BaseModel):
    """A file of a submission after reading and extraction.

    ``model_dump()`` gives the docs/REFERENCE.md §3 shape (``pages`` as a count); pass
    ``context={"full": True}`` to keep the pages with their lines, for storage and review.
    """

    path: str
    sha256: str
    doc_type: DocType = "unknown"
    doc_type_confidence: float = Field(default=0.0, ge=0.0, le=1.0)
    pages: list[Page] = Field(default_factory=list)
    text_source: TextSource = "none"
    fields: dict[str, ExtractedField] = Field(default_factory=dict)
    structured: dict[str, Any] | None = None
    ocr_engine: str | None = None
    warnings: list[str] = Field(default_factory=list)
    seals: list[Seal] = Field(default_factory=list)
    checks: ExtractionChecks = Field(default_factory=ExtractionChecks)
    """Cross-check outcomes from extraction (QR vs printed, 大写 vs 小写, arithmetic, credit codes)."""

    @model_serializer(mode="wrap")
    def _contract_shape(self, handler: SerializerFunctionWrapHandler, info: SerializationInfo) -> Any:
        data = handler(self)
        context = info.context if isinstance(info.context, dict) else {}
        if not context.get("full"):
            data["pages"] = len(self.pages)
            data.pop("structured", None)
        return data

    def field_value(self, name: str) -> Any:
        found = self.fields.get(name)
        return found.value if found is not None else None

    def all_text(self) -> str:
        return "\n".join(line.text for page in self.pages for line in page.lines)
