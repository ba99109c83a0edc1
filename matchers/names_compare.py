"""Deciding whether two parsed names denote the same legal person, and saying why.

The head-office names are aligned character by character (rapidfuzz's Levenshtein edit
operations); each difference is classified as an OCR-plausible slip (a look-alike, a doubled or a
dropped character), a writing variant (省/市, 有限责任公司 for 有限公司) or a real difference. A
real difference in any part of the name vetoes the match however similar the strings are, which
is what keeps 山西天成科技 from being paid as 山西天地科技. Branch suffixes only decide the relation:
a 分公司 is its head office's legal person.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import lru_cache, partial

from rapidfuzz.distance import Levenshtein

from matchers.name_normalize import strip_brackets
from matchers.names_config import (
    LookAlike,
    Reading,
    Thresholds,
    Vocabulary,
    default_thresholds,
    load_vocabulary,
    lookalike_neighbours,
    usable_lookalike,
)
from matchers.names_parse import ParsedName, Segment
from matchers.names_reasons import (
    LOST_KINDS,
    VETO_KINDS,
    Difference,
    numeral_reason,
    rejection_reason,
    slip_reason,
)
from models.matching import Relation, Verdict

# a branch key this long (太原分公司) survives one dropped character as the same branch
_MIN_BRANCH_FOR_DROP = 5


@dataclass(frozen=True)
class Comparison:
    """A verdict with its score; the Chinese reason is composed only when someone reads it."""

    verdict: Verdict
    relation: Relation
    score: float
    explain: Callable[[], str] = field(repr=False, compare=False)
    differences: tuple[Difference, ...] = field(default=())

    @property
    def reason(self) -> str:
        return self.explain()


def _text(text: str) -> Callable[[], str]:
    return lambda: text


def _align_org_forms(
    query: ParsedName, listed: ParsedName, th: Thresholds, vocab: Vocabulary
) -> tuple[str, list[Difference]]:
    """Rewrite the query's organisation form as the listed one when both are the same legal form."""
    q_org, l_org = query.org_form, listed.org_form
    key = query.head_key
    if not th.llc_forms_equivalent or not q_org or not l_org or q_org == l_org:
        return key, []
    canon = vocab.org_form_equivalents
    if canon.get(q_org, q_org) != canon.get(l_org, l_org):
        return key, []
    return key[: -len(q_org)] + l_org, [Difference("format", "org_form", l_org, q_org, th.format_cost)]


def _alignments(l_key: str, q_key: str) -> list[list[tuple[str, int, int]]]:
    """Two minimal alignments: rapidfuzz's, and the one found on the reversed strings.

    Unit-cost edit scripts tie often (科技→枝 is drop 科 + 技/枝, or 科/枝 + drop 技); our costs are
    not unit, so we classify both and keep the cheaper.
    """
    forward = [(op.tag, op.src_pos, op.dest_pos) for op in Levenshtein.editops(l_key, q_key)]
    backward: list[tuple[str, int, int]] = []
    for op in Levenshtein.editops(l_key[::-1], q_key[::-1]):
        if op.tag == "insert":
            backward.append(("insert", len(l_key) - op.src_pos, len(q_key) - 1 - op.dest_pos))
        else:
            backward.append((op.tag, len(l_key) - 1 - op.src_pos, len(q_key) - 1 - op.dest_pos))
    return [forward, backward[::-1]]


def head_differences(
    query: ParsedName, listed: ParsedName, th: Thresholds, reading: Reading = "unknown"
) -> list[Difference]:
    """Every difference between the two head-office names, classified by kind and listed part."""
    q_key, format_diffs = _align_org_forms(query, listed, th, load_vocabulary())
    forward, backward = _alignments(listed.head_key, q_key)
    first = format_diffs + _classify(forward, query, listed, q_key, th, reading)
    vetoes = sum(d.kind in VETO_KINDS for d in first)
    if vetoes >= 2 or forward == backward:
        return first  # another tie-break cannot turn two real differences into slips
    second = format_diffs + _classify(backward, query, listed, q_key, th, reading)
    return min((first, second), key=lambda d: (sum(x.kind in VETO_KINDS for x in d), sum(x.cost for x in d)))


@lru_cache(maxsize=1)
def _admin_chars() -> frozenset[str]:
    return frozenset(s for s in load_vocabulary().admin_suffixes if len(s) == 1)


def _replacement(l_ch: str, q_ch: str, part: str, th: Thresholds, reading: Reading) -> Difference:
    """A look-alike (cost by how alike) unless the text was read exactly; else a real difference."""
    look: LookAlike | None = None if reading == "exact" else usable_lookalike(l_ch, q_ch, th)
    if look is None:
        return Difference("substituted", part, l_ch, q_ch, 1.0)
    cost = th.confusable_cost if look.strong(th) else th.weak_confusable_cost
    return Difference("confusable", part, l_ch, q_ch, cost, look.source, look.score, look.recogniser_rank)


def _classify(  # noqa: PLR0917 - the alignment's two names, the query key, thresholds, reading
    ops: list[tuple[str, int, int]],
    query: ParsedName,
    listed: ParsedName,
    q_key: str,
    th: Thresholds,
    reading: Reading = "unknown",
) -> list[Difference]:
    admin_chars = _admin_chars()
    l_key = listed.head_key
    l_parts = listed.part_labels
    q_parts = query.part_labels
    place_ends = listed.place_ends

    def part_at(index: int) -> str:
        return l_parts[min(index, len(l_parts) - 1)] if l_parts else "trade"

    diffs: list[Difference] = []
    for tag, src_pos, dest_pos in ops:
        if tag == "replace":
            l_ch, q_ch = l_key[src_pos], q_key[dest_pos]
            diff = _replacement(l_ch, q_ch, part_at(src_pos), th, reading)
            if diff.cost > th.confusable_cost and _is_doubled(q_key, dest_pos):
                # a weak look-alike that repeats its neighbour (京东 → 京京) is more likely another name
                diff = Difference("substituted", diff.part, l_ch, q_ch, 1.0)
            if diff.kind == "substituted" and _garbled_org_form(listed, q_key, src_pos):
                diff = Difference("garbled", diff.part, l_ch, q_ch, th.dropped_char_cost)
            diffs.append(diff)
        elif tag == "delete":
            l_ch = l_key[src_pos]
            if l_ch in admin_chars and src_pos in place_ends:
                diffs.append(Difference("format", "place", l_ch, "", th.format_cost))
            else:
                diffs.append(Difference("dropped", part_at(src_pos), l_ch, "", th.dropped_char_cost))
        else:
            q_ch = q_key[dest_pos]
            q_part = q_parts[dest_pos] if dest_pos < len(q_parts) else "org_form"
            if _is_doubled(q_key, dest_pos):
                diffs.append(Difference("doubled", q_part, "", q_ch, th.doubled_char_cost))
            elif q_ch in admin_chars and q_part == "place":
                diffs.append(Difference("format", "place", "", q_ch, th.format_cost))
            else:
                diffs.append(Difference("extra", q_part, "", q_ch, 1.0))
    return _drop_and_double_is_substitution(diffs)


def _garbled_org_form(listed: ParsedName, q_key: str, src_pos: int) -> bool:
    """A wrong character inside the organisation form that leaves no valid form (股鑫有限公司).

    Organisation forms are a closed vocabulary, so such a query names no other legal person: the
    character was lost to the scan. A change that yields another form (股份→集团) stays a veto.
    """
    org = listed.org_form
    start = len(listed.head_key) - len(org)
    if not org or src_pos < start:
        return False
    tail = q_key[len(q_key) - len(org) :] if len(q_key) >= len(org) else q_key
    return tail != org and tail not in load_vocabulary().org_forms


def _drop_and_double_is_substitution(diffs: list[Difference]) -> list[Difference]:
    """天地 → 天天 aligns as drop 地 + double 天, but it is a different character: a veto."""
    dropped = {d.part for d in diffs if d.kind == "dropped"}
    doubled = {d.part for d in diffs if d.kind == "doubled"}
    clash = dropped & doubled
    if not clash:
        return diffs
    kept = [d for d in diffs if not (d.kind in ("dropped", "doubled") and d.part in clash)]
    for part in sorted(clash):
        listed = "".join(d.listed for d in diffs if d.kind == "dropped" and d.part == part)
        query = "".join(d.query for d in diffs if d.kind == "doubled" and d.part == part)
        kept.append(Difference("substituted", part, listed, query, 1.0))
    return kept


def _similarity(diffs: list[Difference], query: ParsedName, listed: ParsedName) -> float:
    length = max(len(query.head_key), len(listed.head_key), 1)
    cost = sum(d.cost for d in diffs)
    return round(max(0.0, 100.0 * (1.0 - cost / length)), 1)


def _is_doubled(text: str, index: int) -> bool:
    """The character at ``index`` repeats a neighbour (科科技): an OCR stutter, not a new character."""
    return text[index] in text[max(index - 1, 0) : index] + text[index + 1 : index + 2]


def _same_branch(query_key: str, listed_key: str) -> bool:
    """Equal, or apart only by look-alikes and doubled characters (OCR slips in the branch place)."""
    th = default_thresholds()
    drops_allowed = 1 if len(listed_key) >= _MIN_BRANCH_FOR_DROP else 0
    for op in Levenshtein.editops(listed_key, query_key):
        if op.tag == "replace" and usable_lookalike(listed_key[op.src_pos], query_key[op.dest_pos], th):
            continue
        if op.tag == "insert" and _is_doubled(query_key, op.dest_pos):
            continue
        if op.tag == "delete" and drops_allowed:
            drops_allowed -= 1
            continue
        return False
    return True


def _branch_relation(query: ParsedName, listed: ParsedName) -> tuple[Relation, str]:
    if query.branch is None and listed.branch is None:
        return "same", "同一企业"
    if listed.branch is None:
        return "branch_of", f"查询名称是名单企业的分支机构（{query.branch}），分公司与总公司为同一法人"
    if query.branch is None:
        return "same_legal_person", f"名单所列为该企业的分支机构（{listed.branch}），与总公司为同一法人"
    raw_query, raw_listed = strip_brackets(query.branch), strip_brackets(listed.branch)
    if _same_branch(query.branch_key or "", listed.branch_key or "") or _same_branch(raw_query, raw_listed):
        return "same", "同一分支机构"
    return "same_legal_person", f"同一总公司的不同分支机构（{query.branch} / 名单：{listed.branch}），同一法人"


def compare_parsed(query: ParsedName, listed: ParsedName, th: Thresholds, reading: Reading = "unknown") -> Comparison:
    """The verdict for ``query`` against one listed (or reference) name.

    ``reading`` says how the query was read: on ``exact`` text (text layer, OFD, XML) a look-alike
    is a different character, on ``ocr`` or ``unknown`` text it may be a misread. ``score`` is the
    cost-weighted similarity for accepted names (capped below 100) and the plain Levenshtein
    similarity of the head-office names for rejected ones.
    """
    first = _compare_keys(query, listed, th, reading)
    if first.verdict != "none" or not (query.numerals or listed.numerals):
        return first
    # a numeral damaged by OCR (叁佰陆度, 九九鼎) has another value: compare the names as written too
    second = _compare_keys(query.as_written, listed.as_written, th, reading)
    return second if second.verdict != "none" else first


def _compare_keys(query: ParsedName, listed: ParsedName, th: Thresholds, reading: Reading) -> Comparison:
    if query.normalized == listed.normalized:
        return Comparison("exact", "same", 100.0, _text("规范化后完全一致"))
    if not query.head_key or not listed.head_key:
        return Comparison("none", "different", 0.0, _text("名称为空"))
    if _unexplained_chars(query, listed, reading) > 1:
        # two characters the listed name lacks even after folding look-alikes: a veto on every path
        # (one may be a garbled character of the organisation form)
        return Comparison(
            "none", "different", _plain_similarity(query, listed), partial(_analyse_reason, query, listed, th, reading)
        )
    return _analyse(query, listed, th, reading)


def _unexplained_chars(query: ParsedName, listed: ParsedName, reading: Reading) -> int:
    """Characters of the query the listed name lacks, even counting each one's look-alikes."""
    extra = query.folded_head_chars - listed.folded_chars - _allowed_extra_chars()
    if reading == "exact" or len(extra) < 2:
        return len(extra)
    neighbours = lookalike_neighbours()
    return sum(1 for ch in extra if not (neighbours.get(ch, frozenset()) & listed.folded_chars))


def _plain_similarity(query: ParsedName, listed: ParsedName) -> float:
    return round(100.0 * Levenshtein.normalized_similarity(query.head_key, listed.head_key), 1)


@lru_cache(maxsize=1)
def _allowed_extra_chars() -> frozenset[str]:
    """Characters a same-entity query may add: 省/市… after a place, 责任 of 有限责任公司."""
    return _admin_chars() | frozenset("责任")


def _analyse_reason(query: ParsedName, listed: ParsedName, th: Thresholds, reading: Reading) -> str:
    return _analyse(query, listed, th, reading).reason


def _analyse(query: ParsedName, listed: ParsedName, th: Thresholds, reading: Reading = "unknown") -> Comparison:
    diffs = head_differences(query, listed, th, reading)
    if "子公司" in query.normalized and "子公司" not in listed.normalized:
        subsidiary = _text("不同法人：子公司是独立法人，不是名单企业本身")
        return Comparison("none", "different", _plain_similarity(query, listed), subsidiary, tuple(diffs))
    if not _accepted(diffs, listed, th):
        whole = _compare_whole(query, listed, th, reading)
        if whole is not None:
            return whole
        explain = partial(rejection_reason, diffs, query, listed, th)
        return Comparison("none", "different", _plain_similarity(query, listed), explain, tuple(diffs))
    score = _similarity(diffs, query, listed)
    relation, relation_text = _branch_relation(query, listed)
    if relation == "same" and query.branch is not None and query.branch != listed.branch:
        relation_text += f"（分支机构写法不同：{query.branch} / 名单：{listed.branch}）"
    slips = "；".join(t for t in (slip_reason(diffs), numeral_reason(query, listed)) if t)
    if not slips and relation == "same":
        slips = "仅括号或标点写法不同"
    reason = f"{relation_text}；{slips}" if slips else relation_text
    return Comparison("fuzzy", relation, min(score, th.fuzzy_score_cap), _text(reason), tuple(diffs))


def _accepted(diffs: list[Difference], listed: ParsedName, th: Thresholds) -> bool:
    dropped = sum(1 for d in diffs if d.kind in LOST_KINDS)
    return (
        not any(d.kind in VETO_KINDS for d in diffs)
        and dropped <= th.max_dropped_chars
        and sum(d.cost for d in diffs) <= th.budget(len(listed.head_key))
    )


def _compare_whole(query: ParsedName, listed: ParsedName, th: Thresholds, reading: Reading) -> Comparison | None:
    """A listed branch against a query whose branch suffix OCR damaged (…山西省分司): compare whole names.

    Only an OCR-plausible difference is accepted, and then as the listed branch itself.
    """
    if listed.branch is None:
        return None
    whole_listed = replace(
        listed, branch=None, segments=(*listed.segments, Segment("branch", strip_brackets(listed.branch)))
    )
    whole_text = strip_brackets(query.head + (query.branch or ""))
    whole_query = replace(query, branch=None, segments=(Segment("trade", whole_text),))
    diffs = head_differences(whole_query, whole_listed, th, reading)
    if not _accepted(diffs, whole_listed, th):
        return None
    score = min(_similarity(diffs, whole_query, whole_listed), th.fuzzy_score_cap)
    return Comparison("fuzzy", "same", score, _text(f"同一分支机构；{slip_reason(diffs)}"), tuple(diffs))
