"""Chinese labels and rule explanations shown to reviewers (the code keeps English identifiers)."""

from __future__ import annotations

SEVERITY_LABELS: dict[str, str] = {"error": "错误", "warning": "警告", "info": "提示"}
SEVERITY_RANK: dict[str, int] = {"error": 3, "warning": 2, "info": 1}
STATUS_LABELS: dict[str, str] = {"flagged": "有问题", "pass": "通过", "error": "无法处理"}
CLAUSE_LABELS: dict[str, str] = {
    "cloud": "企业上云",
    "xinchuang": "信创",
    "cert": "资质认证",
    "investment": "投资补助",
}
DOC_TYPE_LABELS: dict[str, str] = {
    "invoice": "发票",
    "certificate": "证书",
    "contract": "合同",
    "detail_table": "投资明细表",
    "business_licence": "营业执照",
    "unknown": "未识别",
}
VERDICT_LABELS: dict[str, str] = {"exact": "完全一致", "fuzzy": "近似（需确认）", "none": "不匹配"}
FINAL_LABELS: dict[str, str] = {"approve": "批准奖补", "reject": "驳回", "return": "退回申报单位补正"}
# what takes a submission out of the queue: a reviewer's verdict, or an admin archiving a mistaken entry
CLOSING_LABELS: dict[str, str] = {**FINAL_LABELS, "archive": "已归档"}
RUN_KIND_LABELS: dict[str, str] = {"batch": "批量核验", "verify": "核验", "recheck": "重新核验"}
FINDING_DECISION_LABELS: dict[str, str] = {"confirm": "已确认", "dismiss": "已排除"}
ACTION_LABELS: dict[str, str] = {
    "login": "登录",
    "login_failed": "登录失败",
    "logout": "退出",
    "decision_confirm": "确认问题",
    "decision_dismiss": "排除问题",
    "decision_approve": "批准奖补",
    "decision_reject": "驳回",
    "decision_return": "退回补正",
    "decision_archive": "归档申报",
    "field_corrected": "更正字段",
    "recheck": "重新核验",
    "reviewer_created": "新增审核员",
    "reviewer_updated": "修改审核员",
    "approve_over_errors": "批准时确认未处理的错误",
    "login_throttled": "登录过于频繁被延缓",
    "export": "导出数据",
    "verdict_changed": "核验结论变化",
}
CODE_LABELS: dict[str, str] = {
    "UNREADABLE_DOCUMENT": "文件无法读取",
    "UNKNOWN_DOCUMENT_TYPE": "材料类型无法识别",
    "MISSING_REQUIRED_DOCUMENT": "缺少必需材料",
    "MISSING_FIELD": "缺少字段",
    "LOW_CONFIDENCE_FIELD": "字段识别置信度低",
    "INVALID_CREDIT_CODE": "信用代码校验不通过",
    "INVOICE_QR_MISMATCH": "发票二维码与票面不符",
    "INVOICE_AMOUNT_WORDS_MISMATCH": "大小写金额不符",
    "INVOICE_ARITHMETIC_MISMATCH": "发票金额计算不符",
    "DUPLICATE_INVOICE": "发票重复",
    "DUPLICATE_CERTIFICATE": "证书已在其他申报中提交",
    "BUYER_NOT_APPLICANT": "购买方不是申报单位",
    "CONTRACT_PARTY_NOT_APPLICANT": "合同方不是申报单位",
    "DATE_OUT_OF_PERIOD": "日期不在政策年度内",
    "INVOICE_NOT_IN_TABLE": "发票未列入明细表",
    "CONTRACT_NOT_IN_TABLE": "合同未列入明细表",
    "TABLE_INVOICE_MISSING": "明细表发票缺材料",
    "TABLE_CONTRACT_MISSING": "明细表合同缺材料",
    "TABLE_AMOUNT_MISMATCH": "明细表金额不符",
    "PROVIDER_NOT_ON_LIST": "云服务商不在名单",
    "PROVIDER_FUZZY_MATCH": "云服务商近似匹配",
    "APPLICANT_NOT_ON_XINCHUANG_LIST": "不在信创名单",
    "CLOUD_FEE_NOT_ITEMIZED": "云服务费未单列",
    "SERVICE_PERIOD_TOO_SHORT": "服务期不足一年",
    "CERT_HOLDER_NOT_APPLICANT": "证书持有人不是申报单位",
    "CERT_EXPIRED": "证书已过期",
    "CERT_NOT_IN_POLICY_YEAR": "证书不在政策年度取得",
    "CERT_LEVEL_NOT_AWARDABLE": "证书等级不予奖补",
    "AWARD_CLAIM_MISMATCH": "申报金额与计算不符",
    "SEAL_MISSING": "缺少印章",
    "SEAL_NAME_MISMATCH": "印章名称不符",
    "LICENCE_NOT_APPLICANT": "营业执照不是申报单位",
}
LIST_LABELS: dict[str, str] = {"cloud_providers": "云服务商名单", "xinchuang_pilots": "信创试点名单"}
SOURCE_LABELS: dict[str, str] = {
    "text_layer": "文本层",
    "ocr": "文字识别",
    "derived": "推算",
    "qr": "二维码",
    "table": "表格",
    "ofd": "OFD 文本",
    "xml": "XML 文本",
    "mixed": "文本层与文字识别",
    "none": "无文本",
    "application": "申报表",
    "review": "人工更正",
    "correction": "人工更正",
}
EXPLANATIONS: dict[str, str] = {
    "UNREADABLE_DOCUMENT": "文件无法打开、解码或读取（损坏、加密、空文件或不是文档）。",
    "UNKNOWN_DOCUMENT_TYPE": "文件可以读取，但不属于发票、证书、合同或投资明细表中的任何一种。",
    "MISSING_REQUIRED_DOCUMENT": "所申报条款需要的材料类型在本次申报中缺失。",
    "MISSING_FIELD": "核验规则需要的字段未能从材料中找到。",
    "LOW_CONFIDENCE_FIELD": "核验规则需要的字段识别置信度低于阈值，请人工核对原件。",
    "INVALID_CREDIT_CODE": "18位统一社会信用代码未通过 GB 32100-2015 校验码检查。",
    "INVOICE_QR_MISMATCH": "发票二维码中的号码、代码、日期或金额与票面印刷内容不一致。",
    "INVOICE_AMOUNT_WORDS_MISMATCH": "价税合计大写金额与小写金额不一致。",
    "INVOICE_ARITHMETIC_MISMATCH": "金额加税额不等于价税合计，或税额与金额乘税率的差超出舍入误差。",
    "DUPLICATE_INVOICE": "同一张发票在本次申报或其他已入库申报中重复出现。",
    "DUPLICATE_CERTIFICATE": "同一份证书（类型和编号相同）已在其他已入库申报中提交过，奖补只计一次。",
    "BUYER_NOT_APPLICANT": "发票购买方不是申报单位。",
    "CONTRACT_PARTY_NOT_APPLICANT": "合同各方均不是申报单位。",
    "DATE_OUT_OF_PERIOD": "发票或合同日期不在政策规定的年度内。",
    "INVOICE_NOT_IN_TABLE": "发票号码没有列入投资明细表。",
    "CONTRACT_NOT_IN_TABLE": "合同编号没有列入投资明细表。",
    "TABLE_INVOICE_MISSING": "投资明细表中列出的发票没有对应的发票材料。",
    "TABLE_CONTRACT_MISSING": "投资明细表中列出的合同没有对应的合同材料。",
    "TABLE_AMOUNT_MISMATCH": "投资明细表中的金额与对应发票或合同金额不一致。",
    "PROVIDER_NOT_ON_LIST": "云服务商（销售方/乙方）不在《企业上云云服务商名单》中。",
    "PROVIDER_FUZZY_MATCH": "云服务商与名单仅近似匹配，请确认是否为同一法人。",
    "APPLICANT_NOT_ON_XINCHUANG_LIST": "申报信创条款的单位不在信创试点项目入选名单中。",
    "CLOUD_FEE_NOT_ITEMIZED": "发票明细中没有单列上云/云服务费用。",
    "SERVICE_PERIOD_TOO_SHORT": "合同约定的云服务期限不足一年。",
    "CERT_HOLDER_NOT_APPLICANT": "证书持有单位不是申报单位。",
    "CERT_EXPIRED": "证书有效期早于申报日期。",
    "CERT_NOT_IN_POLICY_YEAR": "证书不是在政策规定年度内首次取得。",
    "CERT_LEVEL_NOT_AWARDABLE": "该证书等级按政策不予奖补。",
    "AWARD_CLAIM_MISMATCH": "申报金额与按政策计算的奖补金额不一致。",
    "SEAL_MISSING": "应加盖印章（发票专用章、合同专用章或公章）的材料上未发现印章。",
    "SEAL_NAME_MISMATCH": "印章上的单位名称与销售方或该合同方不一致。",
    "LICENCE_NOT_APPLICANT": "营业执照上的名称或统一社会信用代码与申报单位不一致。",
}


def clauses_label(clauses: list[str] | None) -> str:
    return "、".join(CLAUSE_LABELS.get(c, c) for c in clauses or []) or "—"


def code_label(code: str) -> str:
    """A finding code's short Chinese name; the code itself stays in JSON and ``title`` tooltips."""
    return CODE_LABELS.get(code, "其他问题")


def list_label(name: str) -> str:
    return LIST_LABELS.get(name, name)


def source_label(source: str | None) -> str:
    return SOURCE_LABELS.get(source or "", source or "")


def status_label(status: str | None) -> str:
    return STATUS_LABELS.get(status or "error", status or "")


def list_version_label(version: object) -> str:
    """List versions read as 第N版 everywhere ("2", "v2" and 2 alike)."""
    text = str(version or "").strip().removeprefix("v")
    return f"第{text}版" if text else "—"


def explanation(code: str) -> str:
    return EXPLANATIONS.get(code, "（此规则没有说明）")
