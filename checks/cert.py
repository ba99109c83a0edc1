"""十三、CMMI / ITSS / DCMM: holder, validity, first obtained in the period, awardable level, upgrades.

An upgrade earns the difference to what ``Application.prior_awards`` records for the same type.
"""

from __future__ import annotations

from dataclasses import dataclass

from checks.base import ClauseOutcome, Context, as_date, fmt_wan, make
from checks.gate import decide, rests_on
from checks.identity_rules import applicant_basis, compare_party, without_asks
from checks.policy import CertRules, CertTable
from matchers.reconcile import clean_text
from models.document import Document
from models.findings import Finding, FindingCode

_CN = {1: "一", 2: "二", 3: "三", 4: "四", 5: "五"}
_ALIASES = {"CMMI": ("CMMI", "能力成熟度模型"), "ITSS": ("ITSS", "信息技术服务标准"), "DCMM": ("DCMM", "数据管理能力")}


def level_label(cert_type: str, level: int, table: CertTable | None) -> str:
    if table is not None and table.chinese_levels:
        return f"{cert_type} {_CN.get(level, str(level))}级"
    return f"{cert_type} {level}级"


def canonical_type(value: object, tables: dict[str, CertTable]) -> str | None:
    text = clean_text(value)
    for name in tables:
        if any(clean_text(alias) in text for alias in (*_ALIASES.get(name, ()), name)):
            return name
    return None


@dataclass(frozen=True)
class _Good:
    doc: Document
    cert_type: str
    level: int
    award: float
    unsure: bool


def _level(value: object) -> int | None:
    text = clean_text(value).removesuffix("级")
    for num, cn in _CN.items():
        if text in (cn, str(num)):
            return num
    return int(text) if text.isdigit() else None


def _check_one(ctx: Context, rules: CertRules, doc: Document, out: list[Finding]) -> _Good | None:
    """Findings for one certificate, and what it is worth if nothing refutes it.

    Holder, validity and date are all read (each raises its own finding) before the level decides
    the worth, so a reviewer sees every problem of the certificate at once.
    """
    kind = ctx.read(doc, "cert_type", "证书类型", out)
    cert_type = canonical_type(kind.value, rules.cert_tables) if kind is not None else None
    if kind is not None and cert_type is None:
        if kind.reliable:
            types = "、".join(rules.cert_tables)
            _refute(ctx, out, doc, "cert_type", f"{doc.path} 证书类型「{kind.value}」不在本条款奖励范围（{types}）")
        return None
    holder_ok, holder_unsure = _holder_step(ctx, doc, out)
    valid = _valid_at_application(ctx, doc, out)
    first = _first_obtained_in_period(ctx, doc, out)
    if cert_type is None:
        return None
    table = rules.cert_tables[cert_type]
    level = _awardable_level(ctx, cert_type, table, doc, out)
    if level is None or not (holder_ok and valid and first):
        return None
    value, level_unsure = level
    return _Good(doc, cert_type, value, table.levels[value], holder_unsure or level_unsure)


def _refute(
    ctx: Context,
    out: list[Finding],
    doc: Document,
    name: str,
    message: str,
    *,
    code: FindingCode = FindingCode.CERT_LEVEL_NOT_AWARDABLE,
) -> None:
    """An error on one field of a certificate that takes the certificate out of the award, through
    the gate: it names the reading it rests on, and asks instead where that reading is unsure."""
    out.append(decide(ctx, code, message, [doc], rests_on(doc, name), refutes=[doc.path]))


def _holder_step(ctx: Context, doc: Document, out: list[Finding]) -> tuple[bool, bool]:
    """Whether the holder may be the applicant, and whether that rests on an unsure reading."""
    holder = ctx.read(doc, "holder_name", "证书持有单位是否为申报单位", out)
    if holder is None:
        return False, False
    return _holder_is_applicant(ctx, doc, holder.value, out), not holder.reliable


def _valid_at_application(ctx: Context, doc: Document, out: list[Finding]) -> bool:
    """The certificate had not expired on the application date."""
    expiry = ctx.read(doc, "expiry_date", "证书在申报时是否有效", out)
    day = as_date(expiry.value) if expiry is not None else None
    if expiry is None or day is None:
        return False
    if day >= ctx.as_of:
        return True
    if expiry.reliable:
        message = f"{doc.path} 证书有效期至 {day}，早于申报日期 {ctx.as_of}，申报时已失效"
        _refute(ctx, out, doc, "expiry_date", message, code=FindingCode.CERT_EXPIRED)
    return False


def _first_obtained_in_period(ctx: Context, doc: Document, out: list[Finding]) -> bool:
    """The certificate was issued inside the clause's period (first obtained in the policy year)."""
    period = ctx.policy.clause_period("cert")
    issued = ctx.read(doc, "issue_date", "证书是否在政策年度首次取得", out)
    day = as_date(issued.value) if issued is not None else None
    if issued is None or day is None:
        return False
    if period.contains(day, ctx.as_of):
        return True
    if issued.reliable:
        message = f"{doc.path} 证书发证日期 {day} 不在{period.label}内，不属于该年度首次通过"
        _refute(ctx, out, doc, "issue_date", message, code=FindingCode.CERT_NOT_IN_POLICY_YEAR)
    return False


def _awardable_level(
    ctx: Context, cert_type: str, table: CertTable, doc: Document, out: list[Finding]
) -> tuple[int, bool] | None:
    """The level if the table awards it (and its scope, where the table limits one), with its unsureness."""
    level_read = ctx.read(doc, "level", "证书等级", out)
    level = _level(level_read.value) if level_read is not None else None
    if level_read is None or level is None:
        return None
    if level not in table.levels:
        if level_read.reliable:
            allowed = "、".join(level_label(cert_type, lv, table) for lv in sorted(table.levels))
            message = f"{doc.path} {level_label(cert_type, level, table)}不在奖励等级内（可奖励：{allowed}）"
            _refute(ctx, out, doc, "level", message)
        return None
    if table.scopes and doc.fields.get("scope") is not None:
        scope = ctx.read(doc, "scope", "ITSS 评估范围", out)
        if scope is not None and scope.reliable and not any(s in str(scope.value) for s in table.scopes):
            scopes = "、".join(table.scopes)
            _refute(ctx, out, doc, "scope", f"{doc.path} {cert_type} 评估范围「{scope.value}」不属于{scopes}，不予奖励")
            return None
    return level, not level_read.reliable


def _holder_is_applicant(ctx: Context, doc: Document, holder: object, out: list[Finding]) -> bool:
    """The holder through the structure-aware matcher (look-alikes only on a scan); accused only when sure."""
    names = compare_party(ctx, doc, "holder_name", holder)
    if names.same:
        return True
    out[:] = without_asks(out, {"holder_name"})
    out.append(
        decide(
            ctx,
            FindingCode.CERT_HOLDER_NOT_APPLICANT,
            f"{doc.path} 证书持有单位「{holder}」不是申报单位「{ctx.applicant}」（{names.reason}）",
            [doc],
            [*rests_on(doc, "holder_name"), *applicant_basis(ctx)],
            refutes=[doc.path],
        )
    )
    return False


def _prior(ctx: Context, rules: CertRules, cert_type: str) -> tuple[float, str] | None:
    """The largest earlier award for this type: its recorded amount, or the table value of its level."""
    best: tuple[float, str] | None = None
    table = rules.cert_tables[cert_type]
    for prior in ctx.application.prior_awards:
        if canonical_type(prior.cert_type, rules.cert_tables) != cert_type:
            continue
        amount = prior.amount_wan if prior.amount_wan is not None else table.levels.get(prior.level, 0.0)
        if best is None or amount > best[0]:
            best = (amount, level_label(cert_type, prior.level, table))
    return best


def check_cert(ctx: Context, refuted: set[str]) -> ClauseOutcome:
    rules = ctx.policy.clause(CertRules)
    out: list[Finding] = []
    best: dict[str, _Good] = {}
    for doc in ctx.of_type("certificate"):
        good = _check_one(ctx, rules, doc, out)
        if good is None or doc.path in refuted:
            continue
        if good.cert_type not in best or good.award > best[good.cert_type].award:
            best[good.cert_type] = good
    total = 0.0
    parts: list[str] = []
    unsure = False
    for cert_type, good in best.items():
        table = rules.cert_tables[cert_type]
        label = level_label(cert_type, good.level, table)
        prior = _prior(ctx, rules, cert_type) if rules.upgrade_difference else None
        if prior is None:
            total += good.award
            parts.append(f"首次通过{label}，奖励{fmt_wan(good.award)}万元")
        elif good.award > prior[0]:
            diff = good.award - prior[0]
            total += diff
            parts.append(
                f"由{prior[1]}升级为{label}，奖励差额{fmt_wan(good.award)}-{fmt_wan(prior[0])}={fmt_wan(diff)}万元"
            )
        else:
            out.append(
                make(
                    FindingCode.CERT_LEVEL_NOT_AWARDABLE,
                    "error",
                    f"{good.doc.path} {label}不高于已获奖励的{prior[1]}（{fmt_wan(prior[0])}万元），无差额可奖励",
                    [good.doc],
                    ["level"],
                )
            )
            parts.append(f"{label}已按{prior[1]}获奖，无差额")
        unsure |= good.unsure
    basis = "；".join(parts) if parts else "没有核验通过的CMMI/ITSS/DCMM证书，不予奖励"
    return ClauseOutcome("cert", out, round(total, 4), f"{ctx.policy.clause_period('cert').label}：{basis}", unsure)
