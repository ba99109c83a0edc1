"""Certificate (clause 十三), investment (detail-table clauses) and 信创 (clause 七) submissions."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sample_docs.gen import certificate, credit_code, names, table
from sample_docs.gen.building import Deal, cloud_deal, provider, table_row
from sample_docs.gen.invoice import HARDWARE_ITEMS, NON_CLOUD_ITEMS, make_items
from sample_docs.gen.package import Submission

CITY_AWARD = {"CMMI": {3: 5, 4: 10, 5: 20}, "ITSS": {1: 20, 2: 10, 3: 5}, "DCMM": {3: 5, 4: 10, 5: 20}}


def _cert(
    sub: Submission,
    spec: tuple[str, int, date],
    render: str,
    path: str,
    *,
    holder: str | None = None,
    scope: str = "",
    upside_down: bool = False,
) -> certificate.Certificate:
    cert_type, level, issued = spec
    holder_name = holder or names.vary(sub.applicant.name, sub.rng)
    cert = certificate.make(
        sub.rng, cert_type, level, holder=holder_name, holder_en=sub.applicant.english, issued=issued, scope=scope
    )
    sub.add_certificate(cert, path, render, {"upside_down": True} if upside_down else None)
    return cert


def _award(sub: Submission, cert_type: str, level: int, prior: int = 0) -> None:
    sub.award_wan = CITY_AWARD[cert_type].get(level, 0) - prior
    sub.award_note = f"{cert_type} {level}级" + (f"，扣除已获奖励 {prior} 万元" if prior else "")
    sub.claimed_award_wan = sub.award_wan


def cert_cmmi(sub: Submission) -> None:
    sub.description = "认证：2023年首次通过 CMMI 3级（电子证书）"
    _cert(
        sub, ("CMMI", 3, date(2023, sub.rng.randint(2, 11), sub.rng.randint(1, 28))), "born_digital", "CMMI评估结果.pdf"
    )
    _award(sub, "CMMI", 3)


def cert_itss_scan(sub: Submission) -> None:
    sub.description = "认证：2023年 ITSS 运行维护二级（扫描件）"
    _cert(
        sub,
        ("ITSS", 2, date(2023, sub.rng.randint(2, 11), sub.rng.randint(1, 28))),
        "scan",
        "ITSS证书扫描.pdf",
        scope="运行维护",
    )
    _award(sub, "ITSS", 2)


def cert_dcmm_photo(sub: Submission) -> None:
    sub.description = "认证：2023年 DCMM 4级（量化管理级），倒置的手机照片"
    _cert(
        sub,
        ("DCMM", 4, date(2023, sub.rng.randint(2, 11), sub.rng.randint(1, 28))),
        "photo",
        "DCMM证书.jpg",
        upside_down=True,
    )
    _award(sub, "DCMM", 4)


def cert_upgrade(sub: Submission) -> None:
    sub.description = "认证：2023年 CMMI 由3级升至5级，已获3级奖励5万元，奖励差额"
    _cert(
        sub,
        ("CMMI", 5, date(2023, sub.rng.randint(2, 11), sub.rng.randint(1, 28))),
        "born_digital",
        "CMMI5.pdf",
        scope="CMMI-DEV V2.0",
    )
    sub.prior_awards = [{"cert_type": "CMMI", "level": 3, "amount_wan": 5, "year": 2021}]
    _award(sub, "CMMI", 5, prior=5)


def cert_expired(sub: Submission) -> None:
    sub.description = "认证：ITSS 三级证书2021年取得，申报时已过期"
    _cert(sub, ("ITSS", 3, date(2021, 1, sub.rng.randint(4, 28))), "scan", "ITSS证书.pdf", scope="云计算服务能力")
    sub.expect("CERT_EXPIRED", ["ITSS证书.pdf"], "有效期至2024年1月，早于申报日期")
    sub.expect("CERT_NOT_IN_POLICY_YEAR", ["ITSS证书.pdf"], "2021年取得")
    sub.award_wan = 0
    sub.award_note = "证书过期且非2023年首次取得"


def cert_holder_level(sub: Submission) -> None:
    sub.description = "认证：CMMI 2级（无奖励档）+ 一张持证单位为其他企业的 DCMM 3级证书；申报5万元"
    _cert(sub, ("CMMI", 2, date(2023, sub.rng.randint(2, 11), 9)), "born_digital", "CMMI2.pdf", scope="CMMI-SVC V2.0")
    other = sub.rng.choice(names.EXTRA_PARTIES[:2])
    _cert(sub, ("DCMM", 3, date(2023, sub.rng.randint(2, 11), 15)), "born_digital", "DCMM证书.pdf", holder=other)
    sub.expect("CERT_LEVEL_NOT_AWARDABLE", ["CMMI2.pdf"], "CMMI 2级不在奖励范围")
    sub.expect("CERT_HOLDER_NOT_APPLICANT", ["DCMM证书.pdf"], f"持证单位为 {other}")
    sub.award_wan = 0
    sub.claimed_award_wan = 5
    sub.expect("AWARD_CLAIM_MISMATCH", [], "申报5万元，核定0万元")
    sub.award_note = "无可奖励证书"


def cert_prior_year(sub: Submission) -> None:
    sub.description = "认证：CMMI 4级在2022年取得（仍有效，但非2023年首次），PNG 照片"
    _cert(sub, ("CMMI", 4, date(2022, sub.rng.randint(2, 11), sub.rng.randint(1, 28))), "photo", "CMMI证书.png")
    sub.expect("CERT_NOT_IN_POLICY_YEAR", ["CMMI证书.png"], "2022年取得")
    sub.award_wan = 0
    sub.award_note = "非2023年首次通过"


# --- investment (detail table) ----------------------------------------------------------------------


def _project_deals(sub: Submission) -> list[Deal]:
    hw_vendor = provider(sub.rng.choice(("浪潮软件集团有限公司", "山西东华软件有限公司", "山西九鼎方正科技有限公司")))
    svc_vendor = provider(sub.rng.choice(("山西艾德信息技术有限公司", "山西云时代技术有限公司")))
    hw = cloud_deal(
        sub,
        hw_vendor,
        Decimal(sub.rng.randrange(4000, 9000) * 100),
        ["vat_special", "digital_special"],
        items=HARDWARE_ITEMS,
        title="信息化建设项目采购合同",
        rate=Decimal("0.13"),
    )
    svc = cloud_deal(
        sub,
        svc_vendor,
        Decimal(sub.rng.randrange(1500, 4000) * 100),
        ["digital_special"],
        items=NON_CLOUD_ITEMS,
        title="技术服务合同",
    )
    return [hw, svc]


def _emit_project(sub: Submission, deals: list[Deal], renders: list[str]) -> list[str]:
    paths = []
    k = 0
    exts = {"born_digital": "pdf", "scan": "pdf", "photo": "jpg", "ofd": "ofd"}
    for d_index, deal in enumerate(deals, start=1):
        sub.add_contract(deal.contract, f"合同_{d_index}.pdf", "born_digital" if d_index % 2 else "scan")
        for inv in deal.invoices:
            render = renders[k].removesuffix("_upside")
            path = f"发票_{k + 1:02d}.{exts[render]}"
            sub.add_invoice_with(inv, path, render, {"upside_down": True} if renders[k].endswith("_upside") else {})
            paths.append(path)
            k += 1
    return paths


def _rows(deals: list[Deal]) -> list[table.Row]:
    return [table_row(inv, d.contract.number, inv.items[0].name.split("*")[-1]) for d in deals for inv in d.invoices]


def investment_clean(sub: Submission) -> None:
    sub.description = "投资类：明细表（中文表头、千分位）与两份合同、三张发票一一对应；一张数电票明细多、共两页"
    deals = _project_deals(sub)
    long_invoice = deals[0].invoices[1]
    long_invoice.items = make_items(sub.rng, long_invoice.amount, HARDWARE_ITEMS, 8, Decimal("0.13"))
    _emit_project(sub, deals, ["scan", "born_digital", "ofd"])
    sub.add_table(_rows(deals), "投资明细表.xlsx", table.TableStyle(grouped=True, date_style="cn"))
    sub.award_note = "投资类奖励按投资额比例且有上限：不评分"


def investment_table_faults(sub: Submission) -> None:
    sub.description = "投资类：一张发票未列入明细表；明细表一行的发票不存在；一行金额与发票不符（万元、英文表头）"
    deals = _project_deals(sub)
    paths = _emit_project(sub, deals, ["born_digital", "born_digital", "born_digital"])
    rows = _rows(deals)
    missing_inv = rows.pop(1)
    rows[0].amount += Decimal(20000)
    ghost = sub.rng.choice(("2314", "2414"))[:2] + "142" + "".join(sub.rng.choice("0123456789") for _ in range(15))
    rows.append(
        table.Row(
            deals[1].contract.number, ghost, Decimal(53000), date(2023, 11, 20), deals[1].seller.name, "技术服务费"
        )
    )
    sub.add_table(rows, "投资明细表.xlsx", table.TableStyle(english=True, wan=True, date_style="dot"))
    sub.expect("INVOICE_NOT_IN_TABLE", [paths[1]], f"发票 {missing_inv.invoice_number} 未列入明细表")
    sub.expect("TABLE_INVOICE_MISSING", ["投资明细表.xlsx"], f"明细表发票 {ghost} 无对应发票")
    sub.expect("TABLE_AMOUNT_MISMATCH", ["投资明细表.xlsx", paths[0]], "明细表金额多2万元")
    sub.award_note = "不评分"


def investment_contract_faults(sub: Submission) -> None:
    sub.description = "投资类：一份合同未列入明细表；明细表引用不存在的合同；一份合同甲方非申报企业；附一份无关说明"
    deals = _project_deals(sub)
    other = provider(sub.rng.choice(names.EXTRA_PARTIES))
    deals[1].contract.party_a = other.name
    extra = cloud_deal(
        sub, deals[1].seller, Decimal(90000), ["digital_normal"], items=NON_CLOUD_ITEMS, title="运维服务合同"
    )
    _emit_project(sub, deals, ["born_digital", "photo_upside", "born_digital"])
    sub.add_contract(extra.contract, "合同_3.pdf", "born_digital")
    rows = _rows(deals)
    ghost_contract = deals[0].contract.number.replace("2023", "2023B")
    rows[0].contract_number = ghost_contract
    rows[1].contract_number = ghost_contract
    sub.add_table(rows, "投资明细表.xlsx", table.TableStyle(numeric_invoice=True, date_style="cell"))
    sub.add_other_pdf(
        "项目情况说明.pdf",
        "项目建设情况说明",
        [
            f"{sub.applicant.name}于2023年实施数字化转型项目，建设内容包括生产管控平台、数据中台及网络改造。",
            "项目已于2023年12月完成建设并投入使用，运行情况良好，特此说明。",
        ],
    )
    sub.expect("CONTRACT_NOT_IN_TABLE", ["合同_1.pdf", "合同_3.pdf"], "合同未列入明细表")
    sub.expect("TABLE_CONTRACT_MISSING", ["投资明细表.xlsx"], f"明细表合同 {ghost_contract} 无对应合同")
    sub.expect("CONTRACT_PARTY_NOT_APPLICANT", ["合同_2.pdf"], f"甲方为 {other.name}")
    sub.expect("UNKNOWN_DOCUMENT_TYPE", ["项目情况说明.pdf"], "情况说明不是已知材料类型")
    sub.award_note = "不评分"


# --- 信创 -------------------------------------------------------------------------------------------


def _xinchuang(sub: Submission) -> None:
    deal = cloud_deal(
        sub,
        provider("华为软件技术有限公司"),
        Decimal(sub.rng.randrange(3000, 8000) * 100),
        ["digital_special"],
        items=NON_CLOUD_ITEMS,
        title="信创适配技术服务合同",
    )
    _emit_project(sub, [deal], ["born_digital"])
    sub.add_table(_rows([deal]), "投资明细表.xlsx", table.TableStyle())
    sub.award_note = "信创奖励为最高额：不评分"


def xinchuang_clean(sub: Submission) -> None:
    sub.description = "信创：申报单位在2023年信创试点名单上"
    listed = sub.rng.choice(names.XINCHUANG)
    code = credit_code.make_institution(sub.rng) if "学院" in listed else credit_code.make(sub.rng)
    sub.applicant = names.Company(listed, code)
    _xinchuang(sub)


def xinchuang_not_listed(sub: Submission) -> None:
    sub.description = "信创：申报单位名称与名单单位相近但不在名单上"
    near = sub.rng.choice(names.NEAR_MISS_XINCHUANG)
    code = credit_code.make_institution(sub.rng) if "学院" in near else credit_code.make(sub.rng)
    sub.applicant = names.Company(near, code)
    _xinchuang(sub)
    sub.expect("APPLICANT_NOT_ON_XINCHUANG_LIST", [], f"{near} 不在信创试点名单")
