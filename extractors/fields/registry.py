"""One entry per document type: the words that classify a document as it, and its field extractor.

Keeping both in one place means a new type is one entry plus its extractor module. Extractors are
imported on first use: the classifier (and the reading child) should not load all of them.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, cast

from models import Document, ExtractedField
from models.document import DocType

Extractor = Callable[[Document], tuple[dict[str, ExtractedField], dict[str, Any]]]


@dataclass(frozen=True)
class ExtractorEntry:
    """``keywords``: word (upper case, no spaces) → weight for ``extractors.classify``;
    ``load`` returns the extractor, importing its module then."""

    keywords: Mapping[str, float]
    load: Callable[[], Extractor]


def _lazy(module: str, name: str) -> Callable[[], Extractor]:
    def load() -> Extractor:
        return cast(Extractor, getattr(importlib.import_module(module), name))

    return load


# The order is the classifier's tie-break: on equal scores the earlier type wins.
EXTRACTORS: dict[DocType, ExtractorEntry] = {
    "invoice": ExtractorEntry(
        keywords={
            "发票": 2, "发票号码": 3, "发票代码": 3, "开票日期": 3, "价税合计": 4, "校验码": 2, "购买方": 2,
            "销售方": 2, "税额": 2, "税率": 1, "密码区": 2, "电子发票": 3, "增值税": 2, "开票人": 2, "机器编号": 2,
            "纳税人识别号": 1, "小写": 1, "大写": 1, "代开": 1,
        },
        load=_lazy("extractors.fields.invoice", "extract_invoice"),
    ),
    "certificate": ExtractorEntry(
        keywords={
            "证书": 3, "CMMI": 4, "ITSS": 4, "DCMM": 4, "成熟度": 3, "MATURITYLEVEL": 4, "APPRAISAL": 3,
            "有效期": 2, "发证": 2, "颁发": 2, "符合性": 3, "认证": 2, "资质": 1, "等级": 1, "CERTIFICATE": 3,
            "信息技术服务标准": 3, "数据管理能力": 3, "评估": 1, "VALIDUNTIL": 2, "兹证明": 3, "特发此证": 3,
            "证书编号": 3, "运行维护": 1, "云计算服务能力": 2, "ISO": 1,
        },
        load=_lazy("extractors.fields.certificate", "extract_certificate"),
    ),
    "contract": ExtractorEntry(
        keywords={
            "合同": 3, "甲方": 3, "乙方": 3, "合同编号": 3, "签订": 2, "协议": 2, "双方": 2, "违约": 3,
            "服务期限": 2, "条款": 1, "盖章": 1, "第一条": 2, "争议": 2, "授权代表": 2, "签字": 1, "CONTRACT": 2,
        },
        load=_lazy("extractors.fields.contract", "extract_contract"),
    ),
    "business_licence": ExtractorEntry(
        keywords={
            "营业执照": 5, "统一社会信用代码": 1, "法定代表人": 1, "注册资本": 2, "成立日期": 3, "营业期限": 3,
            "登记机关": 3, "经营范围": 2, "经营者": 1, "经营场所": 2, "组成形式": 3, "注册日期": 1, "住所": 1,
            "企业信用信息公示系统": 3, "市场监督管理": 1,
        },
        load=_lazy("extractors.fields.licence", "extract_licence"),
    ),
    "detail_table": ExtractorEntry(
        keywords={"明细表": 4, "投资明细": 4, "序号": 1, "供应商": 1, "合计": 0.5},
        load=_lazy("extractors.fields.detail_table", "extract_detail_table"),
    ),
}  # fmt: skip
