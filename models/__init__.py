"""The data model: pydantic types only, shared by every other package."""

from models.application import Applicant, Application
from models.document import (
    DocType,
    Document,
    ExtractedField,
    Page,
    Seal,
    TextLine,
    TextSource,
)
from models.findings import Evidence, Finding, FindingCode, Severity
from models.geometry import BBox
from models.matching import ListEntry, MatchCandidate, MatchResult, Relation, Verdict
from models.result import Award, Result, Status

__all__ = [
    "Applicant",
    "Application",
    "Award",
    "BBox",
    "DocType",
    "Document",
    "Evidence",
    "ExtractedField",
    "Finding",
    "FindingCode",
    "ListEntry",
    "MatchCandidate",
    "MatchResult",
    "Page",
    "Relation",
    "Result",
    "Seal",
    "Severity",
    "Status",
    "TextLine",
    "TextSource",
    "Verdict",
]
