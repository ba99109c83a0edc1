"""The language side: a blank Chinese spaCy pipeline with rules for organisations, money and dates.

Contracts name their parties in running text (本合同由××有限公司（以下简称"甲方"）与……), where
no caption/value layout helps. Character segmentation keeps it offline and deterministic; the
pipeline is built once per process, on first use.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

ORG_SUFFIXES = (
    "股份有限公司", "有限责任公司", "有限公司", "分公司", "集团公司", "研究院", "研究所", "大学", "学院",
    "协会", "联合会", "委员会", "中心", "事务所", "合作社", "医院",
)  # fmt: skip
# Characters that end a name on the left: punctuation, captions and the words that introduce a party.
_LEFT_STOP = set('：:，,。；;、（()）“”"《》 \t【】[]') | set("由与和及向被甲乙方为是在对把给将")


@lru_cache(maxsize=1)
def get_nlp() -> Any:
    """``spacy.blank("zh")`` with character segmentation and an EntityRuler; built once per process."""
    import spacy

    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "char"}}})
    ruler: Any = nlp.add_pipe("entity_ruler")
    patterns: list[dict[str, Any]] = []
    for suffix in ORG_SUFFIXES:
        chars = [{"TEXT": ch} for ch in suffix]
        patterns.append({"label": "ORG", "pattern": [{"IS_PUNCT": False, "IS_SPACE": False, "OP": "+"}, *chars]})
    patterns.append({"label": "MONEY", "pattern": [{"TEXT": {"IN": ["¥", "￥"]}}, {"IS_DIGIT": True, "OP": "+"}]})
    ruler.add_patterns(patterns)
    return nlp


def _trim_left(name: str) -> str:
    """Cut a greedy match back to the name: after the last caption word or punctuation."""
    cut = 0
    for i, ch in enumerate(name[:-2]):
        if ch in _LEFT_STOP:
            cut = i + 1
    name = name[cut:]
    for lead in ("本合同由", "合同由", "委托", "甲方", "乙方", "丙方", "兹证明", "证明", "授予", "经审核", "经评估"):
        if name.startswith(lead) and len(name) - len(lead) >= 4:
            name = name[len(lead) :]
    return name


def find_organisations(text: str) -> list[str]:
    """Organisation names in ``text``, longest first where they overlap, in reading order."""
    nlp = get_nlp()
    doc = nlp(text)
    spans = sorted((e for e in doc.ents if e.label_ == "ORG"), key=lambda e: (e.start_char, -len(e.text)))
    out: list[str] = []
    last_end = -1
    for ent in spans:
        if ent.start_char < last_end:
            continue
        out.extend(_split(ent.text.strip()))
        last_end = ent.end_char
    return out


_SUFFIX_RE = re.compile("|".join(sorted(ORG_SUFFIXES, key=len, reverse=True)))


def _split(span: str) -> list[str]:
    """One greedy match may hold several names (甲公司与乙大学); a trailing 分公司 stays with its head office."""
    names: list[str] = []
    prev = 0
    for m in _SUFFIX_RE.finditer(span):
        segment = span[prev : m.end()]
        prev = m.end()
        trimmed = _trim_left(segment)
        if names and trimmed == segment and m.group(0) == "分公司":
            names[-1] += segment
        elif len(trimmed) >= 4 and trimmed not in ORG_SUFFIXES:
            names.append(trimmed)
    return names
