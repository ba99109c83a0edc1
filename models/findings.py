"""Findings: what a check found wrong, for whom, and where on the page the evidence is."""

from __future__ import annotations

from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, Field, model_validator

from models.geometry import BBox

Severity = Literal["error", "warning", "info"]


class FindingCode(StrEnum):
    UNREADABLE_DOCUMENT = "UNREADABLE_DOCUMENT"
    UNKNOWN_DOCUMENT_TYPE = "UNKNOWN_DOCUMENT_TYPE"
    MISSING_REQUIRED_DOCUMENT = "MISSING_REQUIRED_DOCUMENT"
    MISSING_FIELD = "MISSING_FIELD"
    LOW_CONFIDENCE_FIELD = "LOW_CONFIDENCE_FIELD"
    INVALID_CREDIT_CODE = "INVALID_CREDIT_CODE"
    INVOICE_QR_MISMATCH = "INVOICE_QR_MISMATCH"
    INVOICE_AMOUNT_WORDS_MISMATCH = "INVOICE_AMOUNT_WORDS_MISMATCH"
    INVOICE_ARITHMETIC_MISMATCH = "INVOICE_ARITHMETIC_MISMATCH"
    DUPLICATE_INVOICE = "DUPLICATE_INVOICE"
    DUPLICATE_CERTIFICATE = "DUPLICATE_CERTIFICATE"
    BUYER_NOT_APPLICANT = "BUYER_NOT_APPLICANT"
    CONTRACT_PARTY_NOT_APPLICANT = "CONTRACT_PARTY_NOT_APPLICANT"
    DATE_OUT_OF_PERIOD = "DATE_OUT_OF_PERIOD"
    INVOICE_NOT_IN_TABLE = "INVOICE_NOT_IN_TABLE"
    CONTRACT_NOT_IN_TABLE = "CONTRACT_NOT_IN_TABLE"
    TABLE_INVOICE_MISSING = "TABLE_INVOICE_MISSING"
    TABLE_CONTRACT_MISSING = "TABLE_CONTRACT_MISSING"
    TABLE_AMOUNT_MISMATCH = "TABLE_AMOUNT_MISMATCH"
    PROVIDER_NOT_ON_LIST = "PROVIDER_NOT_ON_LIST"
    PROVIDER_FUZZY_MATCH = "PROVIDER_FUZZY_MATCH"
    APPLICANT_NOT_ON_XINCHUANG_LIST = "APPLICANT_NOT_ON_XINCHUANG_LIST"
    CLOUD_FEE_NOT_ITEMIZED = "CLOUD_FEE_NOT_ITEMIZED"
    SERVICE_PERIOD_TOO_SHORT = "SERVICE_PERIOD_TOO_SHORT"
    CERT_HOLDER_NOT_APPLICANT = "CERT_HOLDER_NOT_APPLICANT"
    CERT_EXPIRED = "CERT_EXPIRED"
    CERT_NOT_IN_POLICY_YEAR = "CERT_NOT_IN_POLICY_YEAR"
    CERT_LEVEL_NOT_AWARDABLE = "CERT_LEVEL_NOT_AWARDABLE"
    AWARD_CLAIM_MISMATCH = "AWARD_CLAIM_MISMATCH"
    SEAL_MISSING = "SEAL_MISSING"
    SEAL_NAME_MISMATCH = "SEAL_NAME_MISMATCH"
    LICENCE_NOT_APPLICANT = "LICENCE_NOT_APPLICANT"


class Evidence(BaseModel):
    """A region of a page that shows what a finding is about."""

    path: str
    page: int | None = None
    bbox: BBox | None = None


class Reading(BaseModel):
    """One value a finding rests on: where it was read, what it says and how sure the reading is;
    ``contradicted`` when another reading of the same value disagrees with it."""

    path: str
    field: str
    value: str | int | float | None = None
    confidence: float | None = None
    source: str | None = None
    page: int | None = None
    bbox: list[float] | None = None
    contradicted: bool = False


_TYPED_DETAILS = ("rests_on", "suspected", "refutes", "excludes")


class Finding(BaseModel):
    """``rests_on``: the readings the verdict stands on; ``suspected``: on a question to the reviewer,
    the code the rule would have raised on sure readings; ``refutes``: documents an error disproves
    (they earn nothing); ``excludes``: documents left unverified by a question (they earn nothing
    until it is answered). ``details`` holds the facts one code adds (the QR payload, a list match)."""

    code: FindingCode
    severity: Severity
    message: str
    documents: list[str] = Field(default_factory=list)
    fields: list[str] = Field(default_factory=list)
    evidence: list[Evidence] = Field(default_factory=list)
    rests_on: list[Reading] = Field(default_factory=list)
    suspected: FindingCode | None = None
    refutes: list[str] = Field(default_factory=list)
    excludes: list[str] = Field(default_factory=list)
    details: dict[str, Any] = Field(default_factory=dict)

    @model_validator(mode="before")
    @classmethod
    def _typed_from_details(cls, data: Any) -> Any:
        """Results stored before these were fields kept them in ``details``: read them from there."""
        if not isinstance(data, dict) or not isinstance(data.get("details"), dict):
            return data
        details = data["details"]
        if not any(key in details for key in _TYPED_DETAILS):
            return data
        moved = {key: details[key] for key in _TYPED_DETAILS if key in details and key not in data}
        rest = {key: value for key, value in details.items() if key not in _TYPED_DETAILS}
        return {**data, **moved, "details": rest}
