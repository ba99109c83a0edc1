"""The verdict on one submission (docs/REFERENCE.md §5)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from models.application import Applicant
from models.document import Document
from models.findings import Finding

Status = Literal["pass", "flagged", "error"]


class Award(BaseModel):
    clause: str
    amount_wan: float
    basis: str


class Result(BaseModel):
    submission: str
    applicant: Applicant | None = None
    policy: str | None = None
    status: Status
    documents: list[Document] = Field(default_factory=list)
    findings: list[Finding] = Field(default_factory=list)
    award: Award | None = None
    awards: list[Award] = Field(default_factory=list)
    list_versions: dict[str, str] = Field(default_factory=dict)
    policy_version: str | None = None
    error: str | None = None

    @staticmethod
    def status_for(findings: list[Finding]) -> Status:
        """``flagged`` as soon as one error or warning is present; info alone still passes."""
        return "flagged" if any(f.severity in ("error", "warning") for f in findings) else "pass"
