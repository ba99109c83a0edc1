"""Which kind of evidence a document is, from its words, its QR code and its table shape.

Weighted keywords rather than a model: the kinds have vocabularies that barely overlap (发票号码,
价税合计 vs 甲方/乙方 vs 成熟度/证书), the weights are inspectable, and the confidence follows
from how much evidence there is and how clearly one kind wins.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extractors.fields.normalize import clean
from extractors.fields.qr_payload import best_payload
from models import Document
from models.document import DocType

KEYWORDS: dict[DocType, dict[str, float]] = {
    "invoice": {
        "发票": 2, "发票号码": 3, "发票代码": 3, "开票日期": 3, "价税合计": 4, "校验码": 2, "购买方": 2,
        "销售方": 2, "税额": 2, "税率": 1, "密码区": 2, "电子发票": 3, "增值税": 2, "开票人": 2, "机器编号": 2,
        "纳税人识别号": 1, "小写": 1, "大写": 1, "代开": 1,
    },
    "certificate": {
        "证书": 3, "CMMI": 4, "ITSS": 4, "DCMM": 4, "成熟度": 3, "MATURITYLEVEL": 4, "APPRAISAL": 3,
        "有效期": 2, "发证": 2, "颁发": 2, "符合性": 3, "认证": 2, "资质": 1, "等级": 1, "CERTIFICATE": 3,
        "信息技术服务标准": 3, "数据管理能力": 3, "评估": 1, "VALIDUNTIL": 2, "兹证明": 3, "特发此证": 3,
        "证书编号": 3, "运行维护": 1, "云计算服务能力": 2, "ISO": 1,
    },
    "contract": {
        "合同": 3, "甲方": 3, "乙方": 3, "合同编号": 3, "签订": 2, "协议": 2, "双方": 2, "违约": 3,
        "服务期限": 2, "条款": 1, "盖章": 1, "第一条": 2, "争议": 2, "授权代表": 2, "签字": 1, "CONTRACT": 2,
    },
    "business_licence": {
        "营业执照": 5, "统一社会信用代码": 1, "法定代表人": 1, "注册资本": 2, "成立日期": 3, "营业期限": 3,
        "登记机关": 3, "经营范围": 2, "经营者": 1, "经营场所": 2, "组成形式": 3, "注册日期": 1, "住所": 1,
        "企业信用信息公示系统": 3, "市场监督管理": 1,
    },
    "detail_table": {"明细表": 4, "投资明细": 4, "序号": 1, "供应商": 1, "合计": 0.5},
}  # fmt: skip
MIN_EVIDENCE = 5.0
_WHITESPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Classification:
    doc_type: DocType
    confidence: float
    scores: dict[DocType, float]


def _scores(text: str) -> dict[DocType, float]:
    upper = _WHITESPACE.sub("", text).upper()
    out: dict[DocType, float] = {}
    for kind, words in KEYWORDS.items():
        out[kind] = sum(weight for word, weight in words.items() if word in upper)
    return out


def _table_has_header(doc: Document) -> bool:
    from extractors.fields.detail_table import find_header

    return any(page.table_rows and find_header(page.table_rows) is not None for page in doc.pages)


def classify(doc: Document) -> Classification:
    """The most likely kind and how sure we are (1.0 only when the evidence is overwhelming)."""
    text = clean(doc.all_text())
    scores = _scores(text)
    if best_payload([p for page in doc.pages for p in page.qr_payloads]) is not None:
        scores["invoice"] += 10
    if doc.structured:
        scores["invoice"] += 8
    if any(page.table_rows for page in doc.pages):
        table_text = clean("".join("".join(r) for page in doc.pages for r in page.table_rows or []))
        for kind, value in _scores(table_text).items():
            scores[kind] = max(scores[kind], value)
        if _table_has_header(doc):
            scores["detail_table"] += 12
    ranked = sorted(scores.items(), key=lambda kv: kv[1], reverse=True)
    (top_kind, top), (_, second) = ranked[0], ranked[1]
    if top < MIN_EVIDENCE:
        return Classification("unknown", round(1.0 - top / (2 * MIN_EVIDENCE), 3), dict(scores))
    margin = (top - second) / top
    strength = min(1.0, top / 15.0)
    confidence = 0.5 + 0.5 * strength * margin
    return Classification(top_kind, round(min(confidence, 0.99), 3), dict(scores))
