"""What extraction found when it compared a document with itself (``Document.checks``).

Extractors compare readings as they go (the QR code with the printed number, 大写 with 小写, the
amounts' arithmetic, credit codes' check digits) and raise or lower their confidence in the fields
by the outcome; these records keep the outcome, so the checks layer and the reviewer read typed
values rather than dictionaries. Only the records that apply to a document are present: the JSON
leaves the others out.
"""

from __future__ import annotations

import logging
from functools import cache
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SerializerFunctionWrapHandler,
    TypeAdapter,
    ValidationError,
    model_serializer,
    model_validator,
)

log = logging.getLogger(__name__)

Agreement = Literal["match", "mismatch"]


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid")

    @model_serializer(mode="wrap")
    def _present_only(self, handler: SerializerFunctionWrapHandler) -> Any:
        data = handler(self)
        return {k: v for k, v in data.items() if v is not None} if isinstance(data, dict) else data


class Classification(_Record):
    scores: dict[str, float] = Field(default_factory=dict)
    """Keyword evidence per document type (``extractors.classify``)."""


class Disagreement(_Record):
    """A printed reading that an exact source (the QR code, the XML/OFD data) overrode."""

    printed: Any = None
    printed_source: str | None = None
    printed_confidence: float | None = None
    qr: Any = None
    xml: Any = None
    ofd: Any = None


class StructuredRecord(_Record):
    """Fields an OFD or e-invoice XML states exactly, and the printed readings that differed."""

    fields: list[str] = Field(default_factory=list)
    disagreements: dict[str, Disagreement] = Field(default_factory=dict)


class QrAmountMismatch(_Record):
    """The QR amount equals neither printed amount."""

    qr: str | None = None
    amount_excl_tax: Any = None
    total_incl_tax: Any = None


class QrRecord(_Record):
    payload: str
    type_code: str | None = None
    mismatches: dict[str, Disagreement] = Field(default_factory=dict)
    amount_mismatch: QrAmountMismatch | None = None
    amount_matched: str | None = None
    """Which printed figure the QR amount equals (``amount_excl_tax`` or ``total_incl_tax``)."""
    status: Agreement = "match"

    @model_validator(mode="before")
    @classmethod
    def _amount_out_of_mismatches(cls, data: Any) -> Any:
        """Extractions stored before ``amount_mismatch`` kept it among the mismatches as ``amount``."""
        if isinstance(data, dict) and isinstance(data.get("mismatches"), dict) and "amount" in data["mismatches"]:
            mismatches = dict(data["mismatches"])
            return {**data, "mismatches": mismatches, "amount_mismatch": mismatches.pop("amount")}
        return data


class AmountWordsRecord(_Record):
    """大写 against 小写: ``unparsed`` (the words are no amount), ``derived`` (no figure: taken from
    the words), or whether they agree."""

    status: Literal["match", "mismatch", "unparsed", "derived"]
    words: str | None = None
    words_value: str | None = None
    total: str | None = None
    reason: str | None = None


class RateRecord(_Record):
    status: Agreement
    rate: str
    expected_tax: str


class ArithmeticRecord(_Record):
    """金额 + 税额 = 价税合计, and 税额 = 金额 × 税率 where one rate is printed."""

    status: Literal["match", "mismatch", "incomplete"]
    amount_excl_tax: str | None = None
    tax_amount: str | None = None
    total_incl_tax: str | None = None
    rate: RateRecord | None = None


class CreditCodeRecord(_Record):
    status: Literal["valid", "invalid", "not_credit_code"]
    value: str


class LineItemsRecord(_Record):
    """The line items' amounts add up to 合计金额."""

    status: Agreement
    sum: str
    amount_excl_tax: str


class AgentIssuedRecord(_Record):
    """A 代开 invoice: the tax office's own name and number, printed where the seller's stand."""

    tax_office: dict[str, Any] = Field(default_factory=dict)


class InvoicesInFileRecord(_Record):
    count: int
    read: int


class SealSearchRecord(_Record):
    pages: list[int] = Field(default_factory=list)
    """Pages searched for stamps (a page not searched says nothing about a missing seal)."""


class RowOrigin(_Record):
    row: int
    page: int


class DetailTableRecord(_Record):
    rows: list[RowOrigin] = Field(default_factory=list)
    """Where each parsed row stands (row number in the sheet, page)."""


class ExtractionChecks(_Record):
    """Every record extraction may keep; a document carries those that applied to it.

    A record of a shape the schema does not know (a stored extraction of older code, a producer's
    bug) is left out and logged rather than refused: a recheck over stored submissions must not
    stop on one of them. ``dropped`` names what was left out.
    """

    classification: Classification | None = None
    structured: StructuredRecord | None = None
    qr: QrRecord | None = None
    amount_words: AmountWordsRecord | None = None
    arithmetic: ArithmeticRecord | None = None
    credit_codes: dict[str, CreditCodeRecord] | None = None
    line_items: LineItemsRecord | None = None
    agent_issued: AgentIssuedRecord | None = None
    invoices_in_file: InvoicesInFileRecord | None = None
    seal_search: SealSearchRecord | None = None
    detail_table: DetailTableRecord | None = None

    @model_validator(mode="before")
    @classmethod
    def _known_records(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        kept: dict[str, Any] = {}
        for key, value in data.items():
            if key not in cls.model_fields:
                log.warning("extraction record %r is not in the schema: left out", key)
                continue
            try:
                kept[key] = _adapter(key).validate_python(value)
            except ValidationError:
                log.warning("extraction record %r does not fit the schema: left out", key, exc_info=True)
        return kept


@cache
def _adapter(key: str) -> TypeAdapter[Any]:
    return TypeAdapter(ExtractionChecks.model_fields[key].annotation or Any)


def dropped(raw: dict[str, Any], typed: ExtractionChecks) -> list[str]:
    """The records of ``raw`` that ``typed`` left out."""
    return sorted(key for key, value in raw.items() if value is not None and getattr(typed, key, None) is None)
