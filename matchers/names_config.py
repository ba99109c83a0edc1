"""Configuration of the name matcher: thresholds, the look-alike table and the name vocabulary.

All three are data files in matchers/lists/config, so tuning the matcher or teaching it a new
organisation form is a reviewed data change, not a code change.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field

from matchers.name_normalize import normalize_name

CONFIG_DIR = Path(__file__).parent / "lists" / "config"


class Thresholds(BaseModel):
    """Costs and budgets of matchers/lists/config/matching.yaml (documented there)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    confusable_cost: float = Field(default=0.5, ge=0)
    doubled_char_cost: float = Field(default=0.5, ge=0)
    dropped_char_cost: float = Field(default=1.0, ge=0)
    format_cost: float = Field(default=0.25, ge=0)
    max_cost: float = Field(default=1.5, ge=0)
    max_cost_long: float = Field(default=2.0, ge=0)
    long_name_chars: int = Field(default=14, ge=1)
    max_dropped_chars: int = Field(default=1, ge=0)
    llc_forms_equivalent: bool = True
    retrieval_cutoff: float = Field(default=60, ge=0, le=100)
    retrieval_limit: int = Field(default=10, ge=1)
    retrieval_margin: float = Field(default=15, ge=0, le=100)
    fuzzy_score_cap: float = Field(default=99.0, ge=0, le=100)
    weak_confusable_cost: float = Field(default=0.75, ge=0)
    glyph_strong_score: float = Field(default=0.85, ge=0, le=1)
    glyph_strong_rank: int = Field(default=3, ge=1)
    recogniser_max_rank: int = Field(default=10, ge=0)
    llc_forms_reason: str = ""

    def budget(self, length: int) -> float:
        """Longer names may carry more OCR damage before we stop believing they are the same."""
        return self.max_cost_long if length > self.long_name_chars else self.max_cost


@dataclass(frozen=True)
class Vocabulary:
    """The words of matchers/lists/config/name_parts.yaml, normalised like names are."""

    org_forms: tuple[str, ...]
    org_form_equivalents: dict[str, str]
    branch_markers: tuple[str, ...]
    admin_suffixes: tuple[str, ...]
    places: frozenset[str]
    industries: tuple[str, ...]
    _index: dict[tuple[str, ...], tuple[tuple[int, ...], frozenset[str]]] = field(
        default_factory=dict, repr=False, compare=False
    )

    def longest_suffix(self, text: str, words: tuple[str, ...], keep: int = 0) -> str:
        """The longest of ``words`` ending ``text`` with at least ``keep`` characters left before it."""
        index = self._index.get(words)
        if index is None:
            index = (tuple(sorted({len(w) for w in words}, reverse=True)), frozenset(words))
            self._index[words] = index
        lengths, members = index
        for length in lengths:
            if len(text) - length >= keep and text[-length:] in members:
                return text[-length:]
        return ""


def _read_yaml(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise ValueError(f"{path}: expected a mapping")
    return data


def load_thresholds(path: Path | None = None) -> Thresholds:
    """The thresholds file, or the documented defaults for keys it leaves out."""
    return Thresholds.model_validate(_read_yaml(path or CONFIG_DIR / "matching.yaml"))


@lru_cache(maxsize=1)
def default_thresholds() -> Thresholds:
    """matching.yaml, read once per process."""
    return load_thresholds()


def _longest_first(words: list[str]) -> tuple[str, ...]:
    unique = {normalize_name(w) for w in words}
    return tuple(sorted(unique, key=lambda w: (-len(w), w)))


@lru_cache(maxsize=1)
def load_vocabulary() -> Vocabulary:
    data = _read_yaml(CONFIG_DIR / "name_parts.yaml")
    equivalents = {normalize_name(k): normalize_name(v) for k, v in data["org_form_equivalents"].items()}
    return Vocabulary(
        org_forms=_longest_first(data["org_forms"]),
        org_form_equivalents=equivalents,
        branch_markers=_longest_first(data["branch_markers"]),
        admin_suffixes=_longest_first(data["admin_suffixes"]),
        places=frozenset(normalize_name(p) for p in data["places"]),
        industries=_longest_first(data["industries"]),
    )


@lru_cache(maxsize=1)
def load_confusables() -> frozenset[tuple[str, str]]:
    """Look-alike pairs (both orders), e.g. 己/已; an OCR engine swaps them, an applicant does not."""
    pairs: set[tuple[str, str]] = set()
    with (CONFIG_DIR / "confusables.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            a, b = normalize_name(row["a"]), normalize_name(row["b"])
            if len(a) == 1 and len(b) == 1 and a != b:
                pairs.add((a, b))
                pairs.add((b, a))
    return frozenset(pairs)


@lru_cache(maxsize=1)
def confusable_folding() -> dict[int, str]:
    """A translation table mapping every look-alike to one representative of its group.

    Used only to rank candidates with rapidfuzz, so a look-alike does not push the right entry
    out of the shortlist; verdicts are decided on the unfolded names.
    """
    parent: dict[str, str] = {}

    def find(ch: str) -> str:
        while parent.get(ch, ch) != ch:
            ch = parent[ch]
        return ch

    for a, b in sorted(load_confusables()):
        root_a, root_b = find(a), find(b)
        if root_a != root_b:
            parent[max(root_a, root_b)] = min(root_a, root_b)
    return {ord(ch): find(ch) for ch in parent}


LookAlikeSource = Literal["override", "glyph"]
# how a name was read: "ocr" (a scan: a look-alike may be ink), "exact" (text layer, OFD, XML, a
# typed form: a different character is a different name), "unknown" (treated like ocr, verdict fuzzy)
Reading = Literal["ocr", "exact", "unknown"]


@dataclass(frozen=True)
class LookAlike:
    """Why two characters may be one misread: the override table, or rendered glyph shapes
    (with, when it has one, the rank the installed recogniser gives one as the other's alternative)."""

    source: LookAlikeSource
    score: float | None = None
    rank: int | None = None
    recogniser_rank: int | None = None

    def strong(self, th: Thresholds) -> bool:
        """Overrides and the closest glyph shapes cost ``confusable_cost``; the rest cost more."""
        if self.source == "override":
            return True
        return (self.score or 0.0) >= th.glyph_strong_score and (self.rank or 99) <= th.glyph_strong_rank

    def usable(self, th: Thresholds) -> bool:
        """A weaker shape pair counts only if the recogniser, too, takes one for the other (讯/迅, not 德/博)."""
        return self.strong(th) or (self.recogniser_rank is not None and self.recogniser_rank <= th.recogniser_max_rank)


def reading_of(source: str | None) -> Reading:
    """The reading for a field's ``source`` (docs/REFERENCE.md §3 text sources)."""
    if source in ("text_layer", "ofd", "xml", "qr", "table", "application"):
        return "exact"
    return "ocr" if source in ("ocr", "mixed") else "unknown"


def generated_rows(name: str) -> Iterator[list[str]]:
    """The data rows of a generated table in CONFIG_DIR (its ``#`` header line and column row skipped)."""
    with (CONFIG_DIR / name).open(encoding="utf-8", newline="") as handle:
        rows = csv.reader(line for line in handle if not line.startswith("#"))
        next(rows, None)
        yield from rows


@lru_cache(maxsize=1)
def load_lookalikes() -> dict[tuple[str, str], LookAlike]:
    """Both orders of every pair: glyph_similar.csv (generated by matchers.glyphs_build) with the
    recogniser's rank from recogniser_confusions.csv (matchers.recogniser_build), overrides on top."""
    recognised = {(a, b): int(rank) for a, b, rank in generated_rows("recogniser_confusions.csv")}
    pairs: dict[tuple[str, str], LookAlike] = {}
    for a, b, score, rank in generated_rows("glyph_similar.csv"):
        item = LookAlike("glyph", float(score), int(rank), recognised.get((min(a, b), max(a, b))))
        pairs[(a, b)] = pairs[(b, a)] = item
    override = LookAlike("override")
    for pair in load_confusables():
        pairs[pair] = override
    return pairs


def usable_lookalike(listed: str, query: str, th: Thresholds) -> LookAlike | None:
    """The look-alike that may explain ``query`` read for ``listed``, or None (a different character)."""
    look = load_lookalikes().get((listed, query))
    return look if look is not None and look.usable(th) else None


@lru_cache(maxsize=1)
def lookalike_neighbours() -> dict[str, frozenset[str]]:
    """Every character's look-alikes, for the quick test that rules a candidate out."""
    out: dict[str, set[str]] = {}
    th = default_thresholds()
    for (a, b), look in load_lookalikes().items():
        if look.usable(th):
            out.setdefault(a, set()).add(b)
    return {k: frozenset(v) for k, v in out.items()}
