"""Hand-built documents for the checks tests (no reading, no OCR): a clean submission per clause.

Each builder returns a clean document; tests mutate one thing and expect exactly that finding.
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from typing import Any

from checks.base import Matching
from checks.evaluate import Evidence, evaluate_submission
from checks.policy import load_policy
from extractors.fields.credit_code import check_character
from extractors.fields.invoice_structured import apply_qr
from models import Application, BBox, Document, ExtractedField, Page, Result
from models.extraction_checks import ExtractionChecks
from pipeline.submission import build_matching, load_lists

APPLICANT = "山西示例科技有限公司"
APPLICANT_CODE = "91140300MA0K12345" + check_character("91140300MA0K12345")
ALIYUN = "阿里云计算有限公司"
ALIYUN_CODE = "91330106673959654" + check_character("91330106673959654")
NUMBER = "24112000000012345678"


def code_for(prefix17: str) -> str:
    return prefix17 + check_character(prefix17)


def fld(value: Any, confidence: float = 0.99, y: int = 100) -> ExtractedField:
    return ExtractedField(value=value, confidence=confidence, page=1, bbox=BBox.model_validate([100, y, 400, y + 30]))


def make_doc(path: str, doc_type: str, fields: dict[str, Any], **extra: Any) -> Document:
    built = {
        k: (v if isinstance(v, ExtractedField) else fld(v, y=40 * i + 40)) for i, (k, v) in enumerate(fields.items())
    }
    return Document(
        path=path,
        sha256=extra.pop("sha256", path),
        doc_type=doc_type,  # type: ignore[arg-type]
        pages=[Page(number=1, width=1654, height=2339, dpi=200, qr_payloads=extra.pop("qr", []))],
        fields=built,
        **extra,
    )


def invoice(path: str = "invoice_01.pdf", **over: Any) -> Document:
    fields: dict[str, Any] = {
        "invoice_number": NUMBER,
        "issue_date": "2023-06-01",
        "buyer_name": APPLICANT,
        "buyer_tax_id": APPLICANT_CODE,
        "seller_name": ALIYUN,
        "seller_tax_id": ALIYUN_CODE,
        "amount_excl_tax": "600000.00",
        "tax_amount": "36000.00",
        "total_incl_tax": "636000.00",
        "total_in_words": "陆拾叁万陆仟圆整",
        "tax_rate": "6%",
        "line_items": [{"name": "*信息技术服务*云服务器租用", "amount": "600000.00"}],
    }
    number = over.get("invoice_number") or NUMBER  # the QR code carries the printed number
    qr = over.pop("qr", [f"01,32,,{number},600000.00,20230601,,ABCD"])
    fields.update(over)
    return as_extracted(make_doc(path, "invoice", {k: v for k, v in fields.items() if v is not None}, qr=qr))


def as_extracted(doc: Document) -> Document:
    """The invoice as extraction leaves it: the QR code's values in the fields, what was printed
    instead kept in the QR record (``extractors.fields.invoice_structured.apply_qr``)."""
    fields, checks = dict(doc.fields), dict[str, Any]()
    apply_qr(doc, fields, checks)
    return doc.model_copy(update={"fields": fields, "checks": ExtractionChecks.model_validate(checks)})


def contract(path: str = "contract_01.pdf", **over: Any) -> Document:
    fields: dict[str, Any] = {
        "contract_number": "HT-2023-001",
        "party_a": APPLICANT,
        "party_b": ALIYUN,
        "sign_date": "2022-12-20",
        "total_amount": "636000.00",
        "service_start": "2023-01-01",
        "service_end": "2023-12-31",
        "subject": "云服务器租用服务",
    }
    fields.update(over)
    return make_doc(path, "contract", {k: v for k, v in fields.items() if v is not None})


def certificate(path: str = "cert_cmmi.pdf", **over: Any) -> Document:
    fields: dict[str, Any] = {
        "cert_type": "CMMI",
        "level": 3,
        "scope": "CMMI-DEV V2.0",
        "holder_name": APPLICANT,
        "cert_number": "12345",
        "issue_date": "2023-03-01",
        "expiry_date": "2026-03-01",
        "issuer": "CMMI Institute",
    }
    fields.update(over)
    return make_doc(path, "certificate", {k: v for k, v in fields.items() if v is not None})


def table(rows: list[dict[str, Any]], path: str = "detail.xlsx") -> Document:
    return make_doc(path, "detail_table", {"rows": rows})


def row(seq: int, contract_number: str, invoice_number: str, amount: str) -> dict[str, Any]:
    return {"seq": str(seq), "contract_number": contract_number, "invoice_number": invoice_number, "amount": amount}


def application(clauses: list[str], **over: Any) -> Application:
    data: dict[str, Any] = {
        "applicant": {"name": APPLICANT, "credit_code": APPLICANT_CODE},
        "policy": "yangquan-2024",
        "clauses": clauses,
        "application_date": dt.date(2024, 5, 20),
    }
    data.update(over)
    return Application.model_validate(data)


@cache
def matching(policy: str = "yangquan-2024") -> Matching:
    return build_matching(load_lists(load_policy(policy), home=None))


def run(
    app: Application,
    docs: list[Document],
    unreadable: list[tuple[str, str]] | None = None,
    other: dict[str, str] | None = None,
) -> Result:
    return evaluate_submission(
        Evidence(app, docs, unreadable or [], other or {}, "sub"),
        policy=load_policy(app.policy),
        matching=matching(app.policy),
    )


def codes(result: Result) -> set[str]:
    return {f.code.value for f in result.findings}
