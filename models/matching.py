"""Reference-list entries and the outcome of matching a name against a list."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

Verdict = Literal["exact", "fuzzy", "none"]
Relation = Literal["same", "branch_of", "same_legal_person", "different"]


class ListEntry(BaseModel):
    """One row of a reference list (e.g. a cloud provider, with its section and sequence number)."""

    name: str
    section: str | None = None
    seq: int | None = None
    extra: dict[str, str] = Field(default_factory=dict)


class MatchCandidate(BaseModel):
    name: str
    score: float = Field(ge=0.0, le=100.0)
    verdict: Verdict
    relation: Relation | None = None
    normalized: str | None = None
    section: str | None = None
    seq: int | None = None
    reason: str | None = None
    # each look-alike the verdict accepted: query / listed character, part, similarity, source
    lookalikes: list[dict[str, Any]] | None = None


class MatchResult(BaseModel):
    """Serialised with the docs/REFERENCE.md §4 key ``list`` (``list_name`` in Python, to keep the builtin)."""

    model_config = ConfigDict(validate_by_name=True, validate_by_alias=True, serialize_by_alias=True)

    query: str
    normalized: str
    list_name: str = Field(alias="list")
    list_version: str
    matches: list[MatchCandidate] = Field(default_factory=list)

    @property
    def verdict(self) -> Verdict:
        """The verdict of the best candidate; ``none`` when nothing was accepted."""
        return self.matches[0].verdict if self.matches else "none"

    @property
    def best(self) -> MatchCandidate | None:
        return self.matches[0] if self.matches else None
