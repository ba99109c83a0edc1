"""The Chinese reasons a reviewer reads for a name comparison, and the differences they describe.

Kept apart from the comparison itself (matchers.names_compare) so that module stays about deciding.
"""

from __future__ import annotations

from typing import Literal, NamedTuple

from matchers.names_config import Thresholds, default_thresholds
from matchers.names_parse import PART_LABELS, ParsedName

DiffKind = Literal["confusable", "doubled", "dropped", "garbled", "extra", "substituted", "format"]
# kinds that count against max_dropped_chars: a character lost to the scan
LOST_KINDS = frozenset({"dropped", "garbled"})
VETO_KINDS = frozenset({"extra", "substituted"})


class Difference(NamedTuple):
    kind: DiffKind
    part: str
    listed: str
    query: str
    cost: float
    source: str = ""  # for a look-alike: "override" (confusables.csv) or "glyph" (glyph_similar.csv)
    similarity: float | None = None  # for a glyph look-alike: the shapes' correlation
    recogniser_rank: int | None = None  # ...and where the recogniser ranks one as the other's alternative


def part_reason(part: str, query: ParsedName, listed: ParsedName) -> str:
    label = PART_LABELS.get(part, part)
    if part in ("place", "trade", "industry", "qualifier", "org_form"):
        q_text = query.part_text(part) or "无"  # type: ignore[arg-type]
        l_text = listed.part_text(part) or "无"  # type: ignore[arg-type]
        if q_text != l_text:
            return f"{label}不同（{q_text} / 名单：{l_text}）"
    return f"{label}不同"


def rejection_reason(diffs: list[Difference], query: ParsedName, listed: ParsedName, th: Thresholds) -> str:
    vetoes = [d for d in diffs if d.kind in VETO_KINDS]
    if vetoes:
        parts = list(dict.fromkeys(d.part for d in vetoes))
        reasons = [part_reason(part, query, listed) for part in parts]
        return "不同法人：" + "；".join(reasons)
    dropped = [d for d in diffs if d.kind in LOST_KINDS]
    if len(dropped) > th.max_dropped_chars:
        where = "、".join(dict.fromkeys(PART_LABELS.get(d.part, d.part) for d in dropped))
        missing = "".join(d.listed for d in dropped)
        return f"不同法人：缺少{len(dropped)}个字（{missing}，{where}）"
    cost = sum(d.cost for d in diffs)
    return f"差异过多（差异代价{cost:g}，上限{th.budget(len(listed.head_key)):g}）"


def slip_reason(diffs: list[Difference]) -> str:
    texts: list[str] = []
    for d in diffs:
        label = PART_LABELS.get(d.part, d.part)
        if d.kind == "confusable":
            texts.append(f"形近字“{d.query}”应为“{d.listed}”（{label}，{_lookalike_basis(d)}）")
        elif d.kind == "doubled":
            texts.append(f"重复字“{d.query}”（{label}）")
        elif d.kind == "garbled":
            texts.append(f"字迹不清“{d.query}”应为“{d.listed}”（{label}）")
        elif d.kind == "dropped":
            texts.append(f"疑似漏字“{d.listed}”（{label}）")
        elif d.part == "org_form":
            texts.append(f"组织形式写法不同（{d.query} / 名单：{d.listed}）：{llc_reason()}")
        else:
            texts.append(f"行政区划后缀写法不同（{d.listed or d.query}）")
    return "；".join(texts)


def _lookalike_basis(d: Difference) -> str:
    if d.source == "glyph" and d.similarity is not None:
        if d.recogniser_rank is not None:
            return f"字形相似度{d.similarity:.2f}，来自字形表；识别模型将其列为第{d.recogniser_rank}备选字"
        return f"字形相似度{d.similarity:.2f}，来自字形表"
    return "形近字表（人工）"


def llc_reason() -> str:
    """The written rule for 有限公司 / 有限责任公司 (matching.yaml ``llc_forms_reason``)."""
    return default_thresholds().llc_forms_reason or "同一组织形式的不同写法"


def numeral_reason(query: ParsedName, listed: ParsedName) -> str:
    """数字写法不同（360 / 名单：叁佰陆拾）, when the numbers agree only once written alike."""
    q_written = [n.written for n in query.numerals]
    l_written = [n.written for n in listed.numerals]
    if q_written == l_written:
        return ""
    q_text = "、".join(q_written) or "阿拉伯数字"
    l_text = "、".join(l_written) or "阿拉伯数字"
    return f"数字写法不同、数值相同（{q_text} / 名单：{l_text}）"
