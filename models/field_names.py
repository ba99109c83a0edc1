"""The field names each document type may carry, with the Chinese label a reviewer reads.

One declaration for the extractors (which may emit only these: ``tests/test_field_names.py``), the
checks (whose messages name fields by label), the review pages and the exports. The names are the
outside contract's (``docs/REFERENCE.md`` lists them, generated from here); a label is what the
document prints, or the plainest Chinese for it.
"""

from __future__ import annotations

from models.document import DocType

FIELDS: dict[DocType, dict[str, str]] = {
    "invoice": {
        "invoice_code": "发票代码",
        "invoice_number": "发票号码",
        "issue_date": "开票日期",
        "buyer_name": "购买方名称",
        "buyer_tax_id": "购买方纳税人识别号",
        "seller_name": "销售方名称",
        "seller_tax_id": "销售方纳税人识别号",
        "amount_excl_tax": "金额（不含税）",
        "tax_amount": "税额",
        "total_incl_tax": "价税合计",
        "total_in_words": "价税合计（大写）",
        "tax_rate": "税率",
        "check_code": "校验码",
        "line_items": "货物或服务明细",
    },
    "certificate": {
        "cert_type": "证书类型",
        "level": "证书等级",
        "scope": "认证范围",
        "holder_name": "证书持有单位",
        "cert_number": "证书编号",
        "issue_date": "发证日期",
        "expiry_date": "有效期至",
        "issuer": "发证机构",
    },
    "contract": {
        "contract_number": "合同编号",
        "party_a": "甲方",
        "party_b": "乙方",
        "sign_date": "签订日期",
        "total_amount": "合同金额",
        "service_start": "服务期起",
        "service_end": "服务期止",
        "subject": "合同标的",
    },
    "detail_table": {"rows": "明细表行"},
    "business_licence": {
        "company_name": "企业名称",
        "credit_code": "统一社会信用代码",
        "legal_representative": "法定代表人",
        "registered_capital": "注册资本",
        "established_date": "成立日期",
        "valid_until": "营业期限至",
        "address": "住所",
        "issue_date": "发照日期",
    },
    "unknown": {},
}

# issue_date is the one name several types share; where the type is not known it reads as both.
_SHARED_LABELS = {"issue_date": "开票/发证日期"}
FIELD_LABELS: dict[str, str] = {
    name: label for fields in FIELDS.values() for name, label in fields.items()
} | _SHARED_LABELS
_BY_TYPE: dict[str, dict[str, str]] = {str(k): v for k, v in FIELDS.items()}


def field_label(name: str, doc_type: str | None = None) -> str:
    """The field's Chinese label, by its document type where given; the raw name if undeclared."""
    return _BY_TYPE.get(doc_type or "", {}).get(name) or FIELD_LABELS.get(name, name)
