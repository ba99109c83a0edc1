"""Qualification certificates (CMMI, ITSS, DCMM and others), in Chinese or English.

The type, level and scope are read from the certificate's own vocabulary (Maturity Level 3,
稳健级, 一级, CMMI-DEV V2.0, 运行维护) rather than from positions, because issuers lay these out
freely; holder, number and dates come from their captions.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from extractors.fields.canonical import clean, find_dates, has_cjk
from extractors.fields.cert_issuer import body_name, find_issuer, system_scope
from extractors.fields.common import confirm_period, make_field
from extractors.fields.invoice_parties import org_name
from extractors.fields.label_values import label_value
from extractors.fields.layout import Hit, Row, group_rows, placed_lines, span_bbox
from extractors.fields.values import cn_number, date_value, identifier, two_dates
from models import Document, ExtractedField
from models.document import FieldSource

NAME = "certificate"
DCMM_LEVELS = {"初始级": 1, "受管理级": 2, "稳健级": 3, "量化管理级": 4, "优化级": 5}
# standard numbers and certificate titles, Chinese and English (GB/T equivalents of the ISO standards)
OTHER_TYPES = (
    ("ISO/IEC27001", "ISO27001"), ("ISO27001", "ISO27001"), ("GB/T22080", "ISO27001"),
    ("信息安全管理体系", "ISO27001"), ("INFORMATIONSECURITYMANAGEMENTSYSTEM", "ISO27001"),
    ("ISO/IEC20000", "ISO20000"), ("ISO20000", "ISO20000"), ("GB/T24405", "ISO20000"),
    ("信息技术服务管理体系", "ISO20000"), ("ITSERVICEMANAGEMENTSYSTEM", "ISO20000"),
    ("ISO9001", "ISO9001"), ("GB/T19001", "ISO9001"), ("质量管理体系", "ISO9001"),
    ("QUALITYMANAGEMENTSYSTEM", "ISO9001"),
    ("ISO14001", "ISO14001"), ("GB/T24001", "ISO14001"), ("环境管理体系", "ISO14001"),
    ("ISO45001", "ISO45001"), ("GB/T45001", "ISO45001"), ("职业健康安全管理体系", "ISO45001"),
    ("信息系统建设和服务能力", "CS"), ("信息安全服务资质", "CCRC"),
    ("高新技术企业", "高新技术企业"), ("HIGHANDNEWTECHNOLOGYENTERPRISE", "高新技术企业"),
    ("HIGH-TECHENTERPRISE", "高新技术企业"), ("HIGHTECHENTERPRISE", "高新技术企业"),
    ("软件企业", "软件企业"), ("SOFTWAREENTERPRISE", "软件企业"),
)  # fmt: skip
ITSS_SCOPES = ("运行维护", "云计算服务能力", "咨询设计", "集成实施", "数据中心", "服务管控", "云计算服务", "数据服务")
_HOLDER_LABELS = (
    "证书持有人", "持证单位", "获证单位", "获证组织", "单位名称", "企业名称", "组织名称", "申请单位", "被评估组织",
    "被评估单位", "评估对象", "兹证明", "Organization", "OrganizationName", "OrganizationalUnit", "Company",
    "awardedto", "Thisistocertifythat",
)  # fmt: skip
_NUMBER_LABELS = (
    "证书编号",
    "证书注册号",
    "注册号",
    "证书号",
    "编号",
    "CertificateNo",
    "CertificateNumber",
    "RegistrationNo",
    "RegistrationNumber",
    "AppraisalID",
    "BenchmarkID",
    "No.",
)
_ISSUE_LABELS = (
    "发证日期", "颁发日期", "颁证日期", "发布日期", "批准日期", "认证日期", "评估日期", "评价日期", "初次发证日期",
    "发证时间", "颁发时间", "认定时间", "批准时间", "DateofCertification", "CertificationDate",
    "AppraisalDate", "DateofIssue", "IssueDate", "Issued", "AppraisalEndDate", "DateofAppraisal",
)  # fmt: skip
_EXPIRY_LABELS = (
    "有效期至",
    "有效期截止",
    "有效截止日期",
    "截止日期",
    "到期日期",
    "ValidUntil",
    "Validuntil",
    "Expirydate",
    "Expirationdate",
    "ExpirationDate",
    "ExpiryDate",
    "Validthrough",
    "Expires",
)
_PERIOD_LABELS = ("有效期", "有效期限", "Validity", "ValidityPeriod")
_EN_ISSUER = re.compile(
    r"\b(?:CMMI Institute|ISACA|[A-Z][A-Za-z&]+(?: [A-Z][A-Za-z&]+)* (?:Institute|Association|Council))\b"
)


def cert_type(text: str) -> str | None:
    """The certificate's kind from its vocabulary; DCMM before CMMI (数据管理能力成熟度 also says
    能力成熟度 and Maturity Level), management-system standards before ITSS (an ISO 20000 certificate
    says 信息技术服务 and 标准)."""
    upper = text.upper()
    if "DCMM" in upper or "数据管理能力成熟度" in text or "DATAMANAGEMENTCAPABILITYMATURITY" in upper:
        return "DCMM"
    if "CMMI" in upper or "MATURITYLEVEL" in upper or "能力成熟度模型集成" in text:
        return "CMMI"
    if "ITSS" in upper and "管理体系" not in text:
        return "ITSS"
    for needle, short in OTHER_TYPES:
        if needle.upper() in upper:
            return short
    if "信息技术服务" in text and ("符合性" in text or "标准" in text):
        return "ITSS"
    return None


def level_of(kind: str | None, text: str) -> int | None:
    """The level as an integer: CMMI maturity level, DCMM 1-5 (稳健级→3), ITSS 1-4 (一级 highest)."""
    upper = text.upper()
    m = re.search(r"MATURITYLEVEL(\d)|\bML(\d)|CMMI[^\d]{0,6}([1-5])级|CMMI([一二三四五])级|LEVEL(\d)", upper)
    if kind == "CMMI" and m:
        return cn_number(next(g for g in m.groups() if g))
    if kind == "DCMM":
        for name, value in DCMM_LEVELS.items():
            if name in text:
                return value
    m = re.search(r"(?:成熟度|能力|等级|级别)?(?:为|:)?([1-5一二三四五壹贰叁肆伍])级", text)
    if m:
        return cn_number(m.group(1))
    m = re.search(r"LEVEL(\d)", upper)
    return int(m.group(1)) if m else None


def scope_of(kind: str | None, text: str) -> str | None:
    found = _scope_span(kind, text)
    return found[0] if found else None


def _scope_span(kind: str | None, text: str) -> tuple[str, int, int] | None:
    """The scope and where it is printed in ``text`` (characters ``start:end``)."""
    upper = text.upper()
    if kind == "CMMI":
        m = re.search(r"CMMI[-_ ]?(DEV|SVC|ACQ|PPL|SEC|SAF|DATA)\S{0,3}?V?(\d\.\d)", upper)
        if m:
            return f"CMMI-{m.group(1)} V{m.group(2)}", m.start(), m.end()
        m = re.search(r"CMMI(?:FOR)?(DEVELOPMENT|SERVICES)", upper)
        if m:
            return ("CMMI-DEV" if m.group(1) == "DEVELOPMENT" else "CMMI-SVC"), m.start(), m.end()
    if kind == "ITSS":
        for s in ITSS_SCOPES:
            if s in text:
                at = text.index(s)
                return ("云计算服务能力" if s == "云计算服务" else s), at, at + len(s)
    return None


def _scope_hit(rows: list[Row], kind: str | None, scope: str) -> Hit:
    """The scope boxed where it is printed: the row that reads it, cut to its characters (a CMMI
    record names the institute in its header too, so the first row saying CMMI is not the scope)."""
    for row in rows:
        found = _scope_span(kind, row.text)
        if found is not None and found[0] == scope:
            box = span_bbox(row, found[1], found[2])
            return Hit(scope, row.page, box, min(p.line.confidence for p in row.items), "text")
    return _doc_hit(rows, scope.split(maxsplit=1)[0].replace("-", "")[:4], scope)


def _first(pairs: list[tuple[Any, Hit]]) -> Hit | None:
    return pairs[0][1] if pairs else None


def _holder(pairs: list[tuple[Any, Hit]]) -> Hit | None:
    """The holder as its Chinese name where the certificate prints several (a bilingual certificate,
    or a CMMI record's Organization beside its Organizational Unit): the applicant is a Chinese
    legal entity, and an English rendering may name a parent or be translated loosely."""
    chinese = [hit for _, hit in pairs if has_cjk(hit.value)]
    return chinese[0] if chinese else _first(pairs)


def _doc_hit(rows: list[Row], needle: str, value: str) -> Hit:
    for row in rows:
        if needle and needle in row.text:
            return Hit(value, row.page, row.bbox, min(p.line.confidence for p in row.items), "text")
    row = rows[0]
    return Hit(value, row.page, row.bbox, min(p.line.confidence for p in row.items), "text")


def _last_valid_day(issued: dt.date, years: int) -> dt.date:
    """The last day of a validity of ``years`` from ``issued``: the day before the anniversary, as
    the issuing bodies print their ends (2023-06-01 → 2026-05-31) and as a period counted from a day
    runs (民法典 第二百零一条: the first day is not counted)."""
    try:
        anniversary = issued.replace(year=issued.year + years)
    except ValueError:  # 29 February
        anniversary = issued.replace(year=issued.year + years, day=28) + dt.timedelta(days=1)
    return anniversary - dt.timedelta(days=1)


def extract_certificate(doc: Document) -> tuple[dict[str, ExtractedField], dict[str, Any]]:
    rows = group_rows(placed_lines(doc))
    if not rows:
        return {}, {}
    text = clean(doc.all_text())
    fields: dict[str, ExtractedField] = {}

    def put(name: str, hit: Hit | None, *, confidence: float | None = None, source: FieldSource | None = None) -> None:
        if hit is not None and name not in fields:
            fields[name] = make_field(doc, hit.value, hit, NAME, confidence=confidence, name=name, source=source)

    kind = cert_type(text)
    if kind:
        needle = kind if kind in text.upper() else ""
        put("cert_type", _doc_hit(rows, needle, kind))
    level = level_of(kind, text)
    if level is not None:
        put("level", _doc_hit(rows, "级", str(level)))
        fields["level"] = fields["level"].model_copy(update={"value": level})
    scope = scope_of(kind, text)
    if scope:
        put("scope", _scope_hit(rows, kind, scope))
    elif kind and kind.startswith("ISO"):
        put("scope", system_scope(rows))

    put("holder_name", _holder(label_value(rows, _HOLDER_LABELS, org_name)))
    put("cert_number", _first(label_value(rows, _NUMBER_LABELS, identifier)))
    put("issue_date", _first(label_value(rows, _ISSUE_LABELS, date_value)))
    put("expiry_date", _first(label_value(rows, _EXPIRY_LABELS, date_value)))
    _period(rows, fields, put)
    if "holder_name" not in fields:
        _holder_from_text(rows, put)
    holder = fields["holder_name"].value if "holder_name" in fields else None
    put("issuer", find_issuer(rows, holder))
    _first_date(rows, put, fields)
    confirm_period(fields, "issue_date", "expiry_date")
    return fields, {}


def _period(rows: list[Row], fields: dict[str, ExtractedField], put: Any) -> None:
    """有效期 printed as a range (2023-06-01 至 2026-05-31) or as a length (有效期三年)."""
    for label, hit in label_value(rows, _PERIOD_LABELS, lambda t: "|".join(two_dates(t) or ()) or None):
        start, end = hit.value.split("|")
        put("issue_date", Hit(start, hit.page, hit.bbox, hit.confidence, hit.how))
        put("expiry_date", Hit(end, hit.page, hit.bbox, hit.confidence, hit.how))
        del label
    if "expiry_date" in fields or "issue_date" not in fields:
        return
    for row in rows:
        m = re.search(r"有效期(?:为|:)?([1-9一二三四五])年|VALIDFOR(\d)YEARS|(\d)-?YEARVALIDITY", row.text.upper())
        if m:
            years = cn_number(next(g for g in m.groups() if g)) or 3
            issued = dt.date.fromisoformat(fields["issue_date"].value)
            put(
                "expiry_date",
                Hit(_last_valid_day(issued, years).isoformat(), row.page, row.bbox, 1.0, "text"),
                confidence=min(fields["issue_date"].confidence, 0.9),
                source="derived",
            )
            return


def _holder_from_text(rows: list[Row], put: Any) -> None:
    """The first organisation on the certificate that is not an issuing body: the holder."""
    from extractors.nlp import find_organisations

    for row in rows:
        for org in find_organisations(row.text):
            if body_name(org) is None and not _EN_ISSUER.search(org):
                put("holder_name", Hit(org, row.page, row.bbox, min(p.line.confidence for p in row.items), "text"))
                return


def _first_date(rows: list[Row], put: Any, fields: dict[str, ExtractedField]) -> None:
    """No captioned issue date: the first date printed, found by shape only."""
    if "issue_date" not in fields:
        dates = [(d, row) for row in rows for d, _, _ in find_dates(row.text)]
        if dates:
            day, row = dates[0]
            put("issue_date", Hit(day.isoformat(), row.page, row.bbox, 1.0, "text"))
