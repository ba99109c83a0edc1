"""Parsing a normalised enterprise name into its registered parts.

A Chinese enterprise name is 行政区划 + 字号 + 行业 + 组织形式, optionally followed by a branch
suffix. Which part two names differ in decides whether they can be one legal person: a
分公司 shares its head office's legal personality, a different 字号 or 组织形式 never does.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import Literal

from matchers.name_normalize import normalize_name, strip_brackets
from matchers.names_config import Vocabulary, confusable_folding, load_vocabulary
from matchers.numerals import Numeral, canonical_numerals

Part = Literal["place", "trade", "industry", "qualifier", "org_form", "branch"]

PART_LABELS: dict[str, str] = {
    "place": "地名",
    "trade": "字号",
    "industry": "行业表述",
    "qualifier": "括注",
    "org_form": "组织形式",
    "branch": "分支机构",
}

# A branch suffix follows a head office whose name ends in one of these.
_HEAD_ENDINGS = ("公司", "集团", "银行", "企业", "有限合伙")
_MIN_TRADE = 2


@dataclass(frozen=True)
class Segment:
    part: Part
    text: str


@dataclass(frozen=True)
class ParsedName:
    """A normalised name split into head office (as segments) and branch suffix."""

    normalized: str
    head: str
    branch: str | None
    branch_key: str | None
    segments: tuple[Segment, ...]
    # numbers rewritten as Arabic figures before parsing (叁佰陆拾 → 360): head, branch and segments
    # hold the canonical text, ``normalized`` the name as written
    numerals: tuple[Numeral, ...] = ()

    @cached_property
    def as_written(self) -> ParsedName:
        """The same name parsed without rewriting its numbers (for OCR damage inside a numeral)."""
        return parse_normalized(self.normalized, canonical=False) if self.numerals else self

    @cached_property
    def head_key(self) -> str:
        """The head office without brackets: what two names are aligned on."""
        return "".join(segment.text for segment in self.segments)

    @cached_property
    def folded_chars(self) -> frozenset[str]:
        """The characters of the whole name, look-alikes folded: a quick necessary test for a match."""
        return frozenset(strip_brackets(self.head + (self.branch or "")).translate(confusable_folding()))

    @cached_property
    def folded_head_chars(self) -> frozenset[str]:
        """The characters of the head office only, look-alikes folded."""
        return frozenset(self.head_key.translate(confusable_folding()))

    @cached_property
    def _texts(self) -> dict[str, str]:
        texts: dict[str, str] = {}
        for segment in self.segments:
            texts[segment.part] = texts.get(segment.part, "") + segment.text
        return texts

    def part_text(self, part: Part) -> str:
        return self._texts.get(part, "")

    @property
    def org_form(self) -> str:
        return self._texts.get("org_form", "")

    @cached_property
    def part_labels(self) -> tuple[Part, ...]:
        """The part of every character of ``head_key``."""
        return tuple(segment.part for segment in self.segments for _ in segment.text)

    @cached_property
    def place_ends(self) -> frozenset[int]:
        """Indexes in ``head_key`` of the last character of each place segment (where 省/市 go)."""
        ends: set[int] = set()
        position = 0
        for segment in self.segments:
            position += len(segment.text)
            if segment.part == "place":
                ends.add(position - 1)
        return frozenset(ends)


def strip_admin_suffix(place: str, vocab: Vocabulary) -> str:
    """山西省 → 山西: the suffix is a way of writing the place, not a different place."""
    for suffix in vocab.admin_suffixes:
        if place.endswith(suffix) and len(place) > len(suffix) and place[: -len(suffix)] in vocab.places:
            return place[: -len(suffix)]
    return place


def split_branch(normalized: str, vocab: Vocabulary) -> tuple[str, str | None]:
    """Split ``X有限公司山西省分公司`` into the head office and ``山西省分公司``.

    A branch of a branch (``…山西分公司阳泉分公司``) keeps the whole chain as its branch part.
    """
    head, branch = normalized, ""
    while True:
        cut = _branch_cut(head, vocab)
        if cut is None:
            return head, (branch or None)
        head, branch = head[:cut], head[cut:] + branch


def _branch_cut(name: str, vocab: Vocabulary) -> int | None:
    marker = vocab.longest_suffix(name, vocab.branch_markers)
    if not marker:
        return None
    for cut in range(len(name) - len(marker), 0, -1):
        head = name[:cut]
        if head.endswith(_HEAD_ENDINGS) and len(strip_brackets(head)) > len(_HEAD_ENDINGS[0]):
            return cut
    return None


def _branch_key(branch: str, vocab: Vocabulary) -> str:
    """山西省分公司 → 山西分公司, so the two writings count as the same branch."""
    marker = next(m for m in vocab.branch_markers if branch.endswith(m))
    place = strip_brackets(branch[: -len(marker)])
    return strip_admin_suffix(place, vocab) + marker


def _bracket_spans(head: str) -> tuple[str, list[tuple[int, int]]]:
    """The head without brackets, and the (start, end) of each bracketed run in that string."""
    key: list[str] = []
    spans: list[tuple[int, int]] = []
    start: int | None = None
    for ch in head:
        if ch == "(":
            start = len(key)
        elif ch == ")":
            if start is not None and len(key) > start:
                spans.append((start, len(key)))
            start = None
        else:
            key.append(ch)
    return "".join(key), spans


def _place_at_start(text: str, vocab: Vocabulary) -> str | None:
    for size in range(min(len(text), 4), 1, -1):
        if text[:size] in vocab.places:
            place = text[:size]
            rest = text[size:]
            suffix = next((s for s in vocab.admin_suffixes if rest.startswith(s)), "")
            return place + suffix
    return None


def _place_at_end(text: str, vocab: Vocabulary) -> str | None:
    suffix = vocab.longest_suffix(text, vocab.admin_suffixes)
    for ending in (suffix, "") if suffix else ("",):
        stem = text[: len(text) - len(ending)]
        for size in range(min(len(stem), 4), 1, -1):
            if stem[-size:] in vocab.places:
                return stem[-size:] + ending
    return None


def _bracket_part(content: str, vocab: Vocabulary) -> Part:
    return "place" if strip_admin_suffix(content, vocab) in vocab.places else "qualifier"


def _parse_body(body: str, spans: list[tuple[int, int]], vocab: Vocabulary) -> list[Segment]:
    """Place at the front, then industry / place / 集团 / brackets peeled off the back."""
    starts = {s: e for s, e in spans}
    ends = {e: s for s, e in spans}
    front: list[Segment] = []
    lo, hi = 0, len(body)
    while lo < hi:
        if lo in starts and starts[lo] <= hi:
            front.append(Segment(_bracket_part(body[lo : starts[lo]], vocab), body[lo : starts[lo]]))
            lo = starts[lo]
            continue
        place = _place_at_start(body[lo:hi], vocab)
        if place and hi - lo - len(place) >= _MIN_TRADE:
            front.append(Segment("place", place))
            lo += len(place)
            continue
        break
    back: list[Segment] = []
    while hi > lo:
        if hi in ends and ends[hi] >= lo:
            back.append(Segment(_bracket_part(body[ends[hi] : hi], vocab), body[ends[hi] : hi]))
            hi = ends[hi]
            continue
        segment = _trailing_segment(body[lo:hi], vocab)
        if segment is None:
            break
        back.append(segment)
        hi -= len(segment.text)
    trade = [Segment("trade", body[lo:hi])] if hi > lo else []
    return front + trade + back[::-1]


def _trailing_segment(text: str, vocab: Vocabulary) -> Segment | None:
    place = _place_at_end(text, vocab)
    if place and len(text) - len(place) >= _MIN_TRADE:
        return Segment("place", place)
    if text.endswith("集团") and len(text) - 2 >= _MIN_TRADE:
        return Segment("qualifier", "集团")
    word = vocab.longest_suffix(text, vocab.industries, keep=_MIN_TRADE)
    return Segment("industry", word) if word else None


def _merge(segments: list[Segment]) -> tuple[Segment, ...]:
    merged: list[Segment] = []
    for segment in segments:
        if merged and merged[-1].part == segment.part and segment.part in ("industry", "trade"):
            merged[-1] = Segment(segment.part, merged[-1].text + segment.text)
        else:
            merged.append(segment)
    return tuple(merged)


def _parse_head(head: str, vocab: Vocabulary) -> tuple[Segment, ...]:
    key, spans = _bracket_spans(head)
    org = vocab.longest_suffix(key, vocab.org_forms, keep=1)
    body = key[: len(key) - len(org)]
    spans = [(s, e) for s, e in spans if e <= len(body)]
    segments = _parse_body(body, spans, vocab)
    if org:
        segments.append(Segment("org_form", org))
    return _merge(segments)


@lru_cache(maxsize=65536)
def parse_normalized(normalized: str, *, canonical: bool = True) -> ParsedName:
    """Parse a name that has already been through ``normalize_name``; numbers as Arabic figures."""
    vocab = load_vocabulary()
    text, numerals = canonical_numerals(normalized) if canonical else (normalized, ())
    head, branch = split_branch(text, vocab)
    return ParsedName(
        normalized=normalized,
        head=head,
        branch=branch,
        branch_key=_branch_key(branch, vocab) if branch else None,
        segments=_parse_head(head, vocab),
        numerals=numerals,
    )


def parse_name(name: str) -> ParsedName:
    """Normalise and parse any name (an applicant's, an invoice buyer's, a listed one)."""
    return parse_normalized(normalize_name(name))


def describe(parsed: ParsedName) -> str:
    """A compact Chinese rendering for reasons and debugging: 地名[山西]字号[天地]…"""
    parts = [f"{PART_LABELS[s.part]}[{s.text}]" for s in parsed.segments]
    if parsed.branch:
        parts.append(f"{PART_LABELS['branch']}[{parsed.branch}]")
    return "".join(parts)
