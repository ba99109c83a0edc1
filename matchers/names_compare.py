"""Deciding whether two parsed names denote the same legal person, and saying why.

The head-office names are aligned character by character (rapidfuzz's Levenshtein edit
operations); each difference is classified as an OCR-plausible slip (a look-alike, a doubled or a
dropped character), a writing variant (省/市, 有限责任公司 for 有限公司) or a real difference. A
real difference in any part of the name vetoes the match however similar the strings are, which
is what keeps 山西天成科技 from being paid as 山西天地科技. Branch suffixes only decide the relation:
a 分公司 is its head office's legal person.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from rapidfuzz.distance import Levenshtein

from matchers.names_config import Thresholds, Vocabulary, load_confusables, load_vocabulary
from matchers.names_parse import PART_LABELS, ParsedName
from models.matching import Relation, Verdict

DiffKind = Literal["confusable", "doubled", "dropped", "extra", "substituted", "format"]
_VETO_KINDS = frozenset({"extra", "substituted"})


@dataclass(frozen=True)
class Difference:
    kind: DiffKind
    part: str
    listed: str
    query: str
    cost: float


@dataclass(frozen=True)
class Comparison:
    verdict: Verdict
    relation: Relation
    score: float
    reason: str
    differences: tuple[Difference, ...] = field(default=())


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


def head_differences(query: ParsedName, listed: ParsedName, th: Thresholds) -> list[Difference]:
    """Every difference between the two head-office names, classified by kind and listed part."""
    vocab = load_vocabulary()
    confusables = load_confusables()
    admin_chars = {s for s in vocab.admin_suffixes if len(s) == 1}
    q_key, diffs = _align_org_forms(query, listed, th, vocab)
    l_key = listed.head_key
    l_parts = listed.part_labels()
    q_parts = query.part_labels()
    place_ends = listed.place_ends()

    def part_at(index: int) -> str:
        return l_parts[min(index, len(l_parts) - 1)] if l_parts else "trade"

    for op in Levenshtein.editops(l_key, q_key):
        if op.tag == "replace":
            l_ch, q_ch = l_key[op.src_pos], q_key[op.dest_pos]
            kind: DiffKind = "confusable" if (l_ch, q_ch) in confusables else "substituted"
            cost = th.confusable_cost if kind == "confusable" else 1.0
            diffs.append(Difference(kind, part_at(op.src_pos), l_ch, q_ch, cost))
        elif op.tag == "delete":
            l_ch = l_key[op.src_pos]
            if l_ch in admin_chars and op.src_pos in place_ends:
                diffs.append(Difference("format", "place", l_ch, "", th.format_cost))
            else:
                diffs.append(Difference("dropped", part_at(op.src_pos), l_ch, "", th.dropped_char_cost))
        else:
            q_ch = q_key[op.dest_pos]
            q_part = q_parts[op.dest_pos] if op.dest_pos < len(q_parts) else "org_form"
            if _is_doubled(q_key, op.dest_pos):
                diffs.append(Difference("doubled", q_part, "", q_ch, th.doubled_char_cost))
            elif q_ch in admin_chars and q_part == "place":
                diffs.append(Difference("format", "place", "", q_ch, th.format_cost))
            else:
                diffs.append(Difference("extra", q_part, "", q_ch, 1.0))
    return diffs


def _similarity(diffs: list[Difference], query: ParsedName, listed: ParsedName) -> float:
    length = max(len(query.head_key), len(listed.head_key), 1)
    cost = sum(d.cost for d in diffs)
    return round(max(0.0, 100.0 * (1.0 - cost / length)), 1)


def _part_reason(part: str, query: ParsedName, listed: ParsedName) -> str:
    label = PART_LABELS.get(part, part)
    if part in ("place", "trade", "industry", "qualifier", "org_form"):
        q_text = query.part_text(part) or "无"  # type: ignore[arg-type]
        l_text = listed.part_text(part) or "无"  # type: ignore[arg-type]
        if q_text != l_text:
            return f"{label}不同（{q_text} / 名单：{l_text}）"
    return f"{label}不同"


def _rejection_reason(diffs: list[Difference], query: ParsedName, listed: ParsedName, th: Thresholds) -> str:
    vetoes = [d for d in diffs if d.kind in _VETO_KINDS]
    if vetoes:
        parts = list(dict.fromkeys(d.part for d in vetoes))
        reasons = [_part_reason(part, query, listed) for part in parts]
        return "不同法人：" + "；".join(reasons)
    dropped = [d for d in diffs if d.kind == "dropped"]
    if len(dropped) > th.max_dropped_chars:
        where = "、".join(dict.fromkeys(PART_LABELS.get(d.part, d.part) for d in dropped))
        missing = "".join(d.listed for d in dropped)
        return f"不同法人：缺少{len(dropped)}个字（{missing}，{where}）"
    cost = sum(d.cost for d in diffs)
    return f"差异过多（差异代价{cost:g}，上限{th.budget(len(listed.head_key)):g}）"


def _slip_reason(diffs: list[Difference]) -> str:
    texts: list[str] = []
    for d in diffs:
        label = PART_LABELS.get(d.part, d.part)
        if d.kind == "confusable":
            texts.append(f"形近字“{d.query}”应为“{d.listed}”（{label}）")
        elif d.kind == "doubled":
            texts.append(f"重复字“{d.query}”（{label}）")
        elif d.kind == "dropped":
            texts.append(f"疑似漏字“{d.listed}”（{label}）")
        elif d.part == "org_form":
            texts.append(f"组织形式写法不同（{d.query} / 名单：{d.listed}）")
        else:
            texts.append(f"行政区划后缀写法不同（{d.listed or d.query}）")
    return "；".join(texts)


def _is_doubled(text: str, index: int) -> bool:
    """The character at ``index`` repeats a neighbour (科科技): an OCR stutter, not a new character."""
    return text[index] in text[max(index - 1, 0) : index] + text[index + 1 : index + 2]


def _same_branch(query_key: str, listed_key: str) -> bool:
    """Equal, or apart only by look-alikes and doubled characters (OCR slips in the branch place)."""
    confusables = load_confusables()
    for op in Levenshtein.editops(listed_key, query_key):
        if op.tag == "replace" and (listed_key[op.src_pos], query_key[op.dest_pos]) in confusables:
            continue
        if op.tag == "insert" and _is_doubled(query_key, op.dest_pos):
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
    if _same_branch(query.branch_key or "", listed.branch_key or ""):
        return "same", "同一分支机构"
    return "same_legal_person", f"同一总公司的不同分支机构（{query.branch} / 名单：{listed.branch}），同一法人"


def compare_parsed(query: ParsedName, listed: ParsedName, th: Thresholds) -> Comparison:
    """The verdict for ``query`` against one listed (or reference) name."""
    if query.normalized == listed.normalized:
        return Comparison("exact", "same", 100.0, "规范化后完全一致")
    if not query.head_key or not listed.head_key:
        return Comparison("none", "different", 0.0, "名称为空")
    diffs = head_differences(query, listed, th)
    score = _similarity(diffs, query, listed)
    if "子公司" in query.normalized and "子公司" not in listed.normalized:
        return Comparison("none", "different", score, "不同法人：子公司是独立法人，不是名单企业本身", tuple(diffs))
    dropped = sum(1 for d in diffs if d.kind == "dropped")
    accepted = (
        not any(d.kind in _VETO_KINDS for d in diffs)
        and dropped <= th.max_dropped_chars
        and sum(d.cost for d in diffs) <= th.budget(len(listed.head_key))
    )
    if not accepted:
        return Comparison("none", "different", score, _rejection_reason(diffs, query, listed, th), tuple(diffs))
    relation, relation_text = _branch_relation(query, listed)
    if relation == "same" and query.branch is not None and query.branch != listed.branch:
        relation_text += f"（分支机构写法不同：{query.branch} / 名单：{listed.branch}）"
    slips = _slip_reason(diffs)
    if not slips and relation == "same":
        slips = "仅括号或标点写法不同"
    reason = f"{relation_text}；{slips}" if slips else relation_text
    return Comparison("fuzzy", relation, min(score, th.fuzzy_score_cap), reason, tuple(diffs))
