"""Matching enterprise names against a reference list, and comparing two arbitrary names.

rapidfuzz only shortlists candidates (``fuzz.ratio`` on head-office names with look-alikes
folded: measured best on the labelled set, see matchers/eval/scorers.py); the verdict comes from
the structure-aware comparison in matchers.names_compare, because no string score alone can tell
an OCR slip from a near-miss legal entity.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np
from rapidfuzz import fuzz, process

from matchers.name_normalize import normalize_name
from matchers.names_compare import Comparison, compare_parsed
from matchers.names_config import Reading, Thresholds, confusable_folding, default_thresholds
from matchers.names_parse import PART_LABELS, ParsedName, parse_name, parse_normalized
from matchers.names_reasons import Difference
from matchers.reference import ReferenceList, list_versions, load_list
from models.matching import ListEntry, MatchCandidate, MatchResult

_VERDICT_RANK = {"exact": 0, "fuzzy": 1, "none": 2}
_CHUNK_ROWS = 1024


def _candidate(entry: ListEntry, parsed: ParsedName, comparison: Comparison) -> MatchCandidate:
    """Built without re-validation: every value comes from our own typed computation (hot path)."""
    return MatchCandidate.model_construct(
        name=entry.name,
        score=comparison.score,
        verdict=comparison.verdict,
        relation=comparison.relation,
        normalized=parsed.normalized,
        section=entry.section,
        seq=entry.seq,
        reason=comparison.reason,
        lookalikes=lookalike_details(comparison.differences) if comparison.verdict != "none" else None,
    )


def lookalike_details(differences: Sequence[Difference]) -> list[dict[str, object]] | None:
    """The accepted look-alikes of a verdict, for the reviewer (docs/REFERENCE.md §4 extended by this key)."""
    out: list[dict[str, object]] = [
        {
            "query": d.query,
            "listed": d.listed,
            "part": PART_LABELS.get(d.part, d.part),
            "similarity": d.similarity,
            "recogniser_rank": d.recogniser_rank,
            "source": d.source or "override",
        }
        for d in differences
        if d.kind == "confusable"
    ]
    return out or None


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

    def match(self, query: str, top: int = 5, reading: Reading = "unknown") -> MatchResult:
        """Best candidates first: accepted ones (exact, then fuzzy) before rejected near-misses.

        ``reading``: how the query was read (``exact`` text makes a look-alike a different name).
        """
        parsed = parse_name(query)
        limit = max(top, self.thresholds.retrieval_limit)
        scores = process.cdist(
            [_retrieval_key(parsed)],
            self._keys,
            scorer=fuzz.ratio,
            score_cutoff=self.thresholds.retrieval_cutoff,
            dtype=np.uint8,
            workers=1,
        )
        shortlist = _shortlists(scores, limit, self.thresholds.retrieval_margin)[0]
        return self._result(query, parsed, shortlist, top, reading)

    def match_many(
        self, queries: Sequence[str], top: int = 1, workers: int = -1, reading: Reading = "unknown"
    ) -> list[MatchResult]:
        """Many queries at once, in input order; the shortlist comes from ``process.cdist``.

        With ``top=1`` a query that equals a listed name needs no shortlist and skips cdist.
        """
        parsed = [parse_name(q) for q in queries]
        pending = [i for i, p in enumerate(parsed) if top > 1 or p.normalized not in self._exact]
        shortlists: dict[int, list[int]] = {}
        keys = [_retrieval_key(parsed[i]) for i in pending]
        code = _dense_alphabet([*self._keys, *keys])
        entry_keys = [k.translate(code) for k in self._keys]
        keys = [k.translate(code) for k in keys]
        limit = max(top, self.thresholds.retrieval_limit)
        for start in range(0, len(pending), _CHUNK_ROWS):
            scores = process.cdist(
                keys[start : start + _CHUNK_ROWS],
                entry_keys,
                scorer=fuzz.ratio,
                score_cutoff=self.thresholds.retrieval_cutoff,
                dtype=np.uint8,
                workers=workers,
            )
            for offset, shortlist in enumerate(_shortlists(scores, limit, self.thresholds.retrieval_margin)):
                shortlists[pending[start + offset]] = shortlist
        return [self._result(q, parsed[i], shortlists.get(i, []), top, reading) for i, q in enumerate(queries)]

    def _result(self, query: str, parsed: ParsedName, indexes: list[int], top: int, reading: Reading) -> MatchResult:
        exact = self._exact.get(parsed.normalized)
        if exact is not None:
            # an exact match always ranks first; with top=1 nothing else needs comparing
            indexes = [exact] if top == 1 else [exact, *(i for i in indexes if i != exact)]
        ranked: list[tuple[int, float, int, Comparison]] = []
        for index in indexes:
            comparison = compare_parsed(parsed, self._parsed[index], self.thresholds, reading)
            ranked.append((_VERDICT_RANK[comparison.verdict], -comparison.score, index, comparison))
        ranked.sort(key=lambda item: item[:3])
        return MatchResult.model_construct(
            query=query,
            normalized=parsed.normalized,
            list_name=self.reference.name,
            list_version=self.reference.version,
            matches=[
                _candidate(self.reference.entries[index], self._parsed[index], comparison)
                for _, _, index, comparison in ranked[:top]
            ],
        )


def _shortlists(scores: np.ndarray, limit: int, margin: float) -> list[list[int]]:
    """Per cdist row: the best ``limit`` columns above the cutoff, within ``margin`` of the best."""
    floor = np.maximum(scores.max(axis=1, initial=0).astype(np.int16) - int(margin), 1)
    rows, cols = np.nonzero(scores >= floor[:, None])
    values = scores[rows, cols].astype(np.int16)
    order = np.lexsort((cols, -values, rows))
    rows, cols = rows[order], cols[order]
    bounds = np.searchsorted(rows, np.arange(scores.shape[0] + 1))
    return [cols[bounds[i] : min(bounds[i + 1], bounds[i] + limit)].tolist() for i in range(scores.shape[0])]


def _dense_alphabet(keys: list[str]) -> dict[int, str]:
    """Recode characters by frequency to small code points.

    rapidfuzz's bit-parallel scorers look characters below 256 up in an array and others in a
    hash map; CJK names recoded this way score about twice as fast, with identical results.
    """
    counts = Counter(ch for key in keys for ch in key)
    return {ord(ch): chr(rank + 1) for rank, (ch, _) in enumerate(counts.most_common())}


def matcher_for(list_name: str, version: str | None = None, *, home: Path | None) -> NameMatcher:
    """A prepared matcher for a list version (the latest by default) with ``home``'s imported
    versions (None: the bundled only), reused across calls.

    Resolving "latest" is re-done on every call, so a newly imported version is picked up.
    """
    resolved = version or list_versions(list_name, home=home)[-1].version
    return _cached_matcher(list_name, resolved, home)


@lru_cache(maxsize=16)
def _cached_matcher(list_name: str, version: str, home: Path | None) -> NameMatcher:
    """``home`` is part of the key: another home may hold another version under one name."""
    return NameMatcher(load_list(list_name, version, home=home))


def same_entity(a: str, b: str, reading: Reading = "unknown") -> MatchCandidate:
    """Whether name ``a`` (e.g. an invoice buyer) is the legal person named ``b`` (e.g. the applicant).

    The same rules as list matching: ``branch_of`` when ``a`` is a 分公司 of ``b``,
    ``same_legal_person`` when ``b`` is a branch of ``a`` or both are branches of one head office.
    """
    parsed_b = parse_normalized(normalize_name(b))
    comparison = compare_parsed(parse_name(a), parsed_b, default_thresholds(), reading)
    return MatchCandidate(
        name=b,
        score=comparison.score,
        verdict=comparison.verdict,
        relation=comparison.relation,
        normalized=parsed_b.normalized,
        reason=comparison.reason,
        lookalikes=lookalike_details(comparison.differences) if comparison.verdict != "none" else None,
    )
