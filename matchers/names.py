"""Matching enterprise names against a reference list, and comparing two arbitrary names.

rapidfuzz only shortlists candidates (``fuzz.ratio`` on head-office names with look-alikes
folded: measured best on the labelled set, see matchers/eval/scorers.py); the verdict comes from
the structure-aware comparison in matchers.names_compare, because no string score alone can tell
an OCR slip from a near-miss legal entity.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from rapidfuzz import fuzz, process

from matchers.names_compare import Comparison, compare_parsed
from matchers.names_config import Thresholds, confusable_folding, default_thresholds
from matchers.names_parse import ParsedName, parse_name, parse_normalized
from matchers.normalize import normalize_name
from matchers.reference import ReferenceList
from models.matching import ListEntry, MatchCandidate, MatchResult

_VERDICT_RANK = {"exact": 0, "fuzzy": 1, "none": 2}
_CHUNK_ROWS = 1024


def _candidate(entry: ListEntry, parsed: ParsedName, comparison: Comparison) -> MatchCandidate:
    return MatchCandidate(
        name=entry.name,
        score=comparison.score,
        verdict=comparison.verdict,
        relation=comparison.relation,
        normalized=parsed.normalized,
        section=entry.section,
        seq=entry.seq,
        reason=comparison.reason,
    )


def _retrieval_key(parsed: ParsedName) -> str:
    return parsed.head_key.translate(confusable_folding())


class NameMatcher:
    """A reference list prepared for matching (parsed once; many queries after)."""

    def __init__(self, reference: ReferenceList, thresholds: Thresholds | None = None) -> None:
        self.reference = reference
        self.thresholds = thresholds or default_thresholds()
        self._parsed = [parse_name(entry.name) for entry in reference.entries]
        self._keys = [_retrieval_key(p) for p in self._parsed]
        self._exact: dict[str, int] = {}
        for index, parsed in enumerate(self._parsed):
            self._exact.setdefault(parsed.normalized, index)

    def match(self, query: str, top: int = 5) -> MatchResult:
        """Best candidates first: accepted ones (exact, then fuzzy) before rejected near-misses."""
        parsed = parse_name(query)
        limit = max(top, self.thresholds.retrieval_limit)
        hits = process.extract(
            _retrieval_key(parsed),
            self._keys,
            scorer=fuzz.ratio,
            limit=limit,
            score_cutoff=self.thresholds.retrieval_cutoff,
        )
        indexes = [index for _, _, index in hits]
        return self._result(query, parsed, indexes, top)

    def match_many(self, queries: Sequence[str], top: int = 1, workers: int = -1) -> list[MatchResult]:
        """Many queries at once, in input order; the shortlist comes from one ``process.cdist``."""
        parsed = [parse_name(q) for q in queries]
        keys = [_retrieval_key(p) for p in parsed]
        limit = max(top, self.thresholds.retrieval_limit)
        results: list[MatchResult] = []
        for start in range(0, len(queries), _CHUNK_ROWS):
            scores = process.cdist(
                keys[start : start + _CHUNK_ROWS],
                self._keys,
                scorer=fuzz.ratio,
                score_cutoff=self.thresholds.retrieval_cutoff,
                dtype=np.uint8,
                workers=workers,
            )
            for offset, row in enumerate(scores):
                position = start + offset
                results.append(self._result(queries[position], parsed[position], _top_indexes(row, limit), top))
        return results

    def _result(self, query: str, parsed: ParsedName, indexes: list[int], top: int) -> MatchResult:
        exact = self._exact.get(parsed.normalized)
        if exact is not None and exact not in indexes:
            indexes = [exact, *indexes]
        ranked: list[tuple[int, float, int, MatchCandidate]] = []
        for index in indexes:
            comparison = compare_parsed(parsed, self._parsed[index], self.thresholds)
            candidate = _candidate(self.reference.entries[index], self._parsed[index], comparison)
            ranked.append((_VERDICT_RANK[comparison.verdict], -comparison.score, index, candidate))
        ranked.sort(key=lambda item: item[:3])
        return MatchResult(
            query=query,
            normalized=parsed.normalized,
            list=self.reference.name,
            list_version=self.reference.version,
            matches=[item[3] for item in ranked[:top]],
        )


def _top_indexes(row: np.ndarray, limit: int) -> list[int]:
    nonzero = np.flatnonzero(row)
    if len(nonzero) > limit:
        nonzero = nonzero[np.argpartition(row[nonzero], -limit)[-limit:]]
    return [int(i) for i in nonzero[np.argsort(-row[nonzero], kind="stable")]]


def same_entity(a: str, b: str) -> MatchCandidate:
    """Whether name ``a`` (e.g. an invoice buyer) is the legal person named ``b`` (e.g. the applicant).

    The same rules as list matching: ``branch_of`` when ``a`` is a 分公司 of ``b``,
    ``same_legal_person`` when ``b`` is a branch of ``a`` or both are branches of one head office.
    """
    parsed_b = parse_normalized(normalize_name(b))
    comparison = compare_parsed(parse_name(a), parsed_b, default_thresholds())
    return MatchCandidate(
        name=b,
        score=comparison.score,
        verdict=comparison.verdict,
        relation=comparison.relation,
        normalized=parsed_b.normalized,
        reason=comparison.reason,
    )
