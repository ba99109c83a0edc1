"""企业上云 (clause 六) submissions: clean ones in every form, and one per cloud-related fault."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sample_docs.gen import faults, names
from sample_docs.gen.building import Deal, amount_for_tier, cloud_award, cloud_deal, make_invoice, provider
from sample_docs.gen.invoice import NON_CLOUD_ITEMS, add_discount
from sample_docs.gen.package import Submission


def _emit(
    sub: Submission,
    deal: Deal,
    renders: list[str],
    contract_render: str | None = "born_digital",
    *,
    contract_path: str = "上云服务合同.pdf",
) -> list[str]:
    paths = []
    exts = {"born_digital": "pdf", "scan": "pdf", "photo": "jpg", "ofd": "ofd"}
    for k, (inv, render) in enumerate(zip(deal.invoices, renders, strict=True), start=1):
        path = f"发票_{k:02d}.{exts[render]}"
        sub.add_invoice(inv, path, render)
        paths.append(path)
    if contract_render:
        sub.add_contract(deal.contract, contract_path, contract_render)
    return paths


def _claim_award(sub: Submission, amount: Decimal) -> None:
    sub.award_wan = cloud_award(amount)
    sub.award_note = f"2023年上云支出（不含税 {amount} 元）所在档位"
    sub.claimed_award_wan = sub.award_wan


def clean_digital(sub: Submission) -> None:
    sub.description = "上云：数电专票（含折扣行）+ 合同，均为电子原件，服务商在名单上"
    seller = provider(sub.rng.choice(names.CLOUD_PLATFORM))
    amount = amount_for_tier(sub.rng, 10)
    deal = cloud_deal(sub, seller, amount, ["digital_special"])
    add_discount(deal.invoices[0].items)
    deal.contract.total = deal.invoices[0].total  # per-line tax rounding may move the total by a cent
    _emit(sub, deal, ["born_digital"])
    _claim_award(sub, amount)


def clean_scanned_two_year(sub: Submission) -> None:
    sub.description = "上云：两年期合同（只奖励一年），2023年两张旧版专票，扫描件"
    seller = provider(sub.rng.choice(names.CLOUD_PLATFORM[:12]))
    amount = amount_for_tier(sub.rng, 10)
    deal = cloud_deal(sub, seller, amount, ["vat_special", "vat_special"], years=2)
    _emit(sub, deal, ["scan", "scan"], "scan", contract_path="上云服务合同.tif")
    _claim_award(sub, amount)
    sub.award_note += "；合同两年，按一年计"


def clean_photo_ofd(sub: Submission) -> None:
    sub.description = "上云：一张数电普票手机照片（EXIF 方向）+ 一张 OFD 数电票，服务商名称括号为半角"
    seller = provider("腾讯云计算（北京）有限责任公司")
    amount = amount_for_tier(sub.rng, 20)
    deal = cloud_deal(
        sub, seller, amount, ["digital_normal", "digital_special"], printed_seller="腾讯云计算(北京)有限责任公司"
    )
    sub.add_invoice_with(deal.invoices[0], "发票_01.jpg", "photo", {"exif_orientation": 6})
    sub.add_invoice(deal.invoices[1], "发票_02.ofd", "ofd")
    sub.add_contract(deal.contract, "上云服务合同.pdf", "born_digital")
    _claim_award(sub, amount)


def fault_qr_credit(sub: Submission) -> None:
    sub.description = "上云：二维码与票面不符；另一张发票销售方信用代码校验位错误"
    seller = provider(sub.rng.choice(names.CLOUD_PLATFORM))
    deal = cloud_deal(sub, seller, amount_for_tier(sub.rng, 10), ["vat_e_normal", "digital_special"])
    note_qr = faults.qr_mismatch(deal.invoices[0], sub.rng)
    note_cc = faults.invalid_seller_code(deal.invoices[1])
    paths = _emit(sub, deal, ["born_digital", "born_digital"])
    sub.expect("INVOICE_QR_MISMATCH", [paths[0]], note_qr)
    sub.expect("INVALID_CREDIT_CODE", [paths[1]], note_cc)
    sub.award_note = "二维码不符的发票是否计入由复核决定：不评分"


def fault_words(sub: Submission) -> None:
    sub.description = "上云：发票大写金额与小写不符（扫描件）"
    seller = provider(sub.rng.choice(names.CLOUD_APPLICATION))
    deal = cloud_deal(sub, seller, amount_for_tier(sub.rng, 5), ["vat_special"])
    note = faults.words_mismatch(deal.invoices[0], sub.rng)
    paths = _emit(sub, deal, ["scan"])
    sub.expect("INVOICE_AMOUNT_WORDS_MISMATCH", [paths[0]], note)
    sub.award_note = "金额有疑问：不评分"


def fault_arith_buyer(sub: Submission) -> None:
    sub.description = "上云：一张发票价税合计≠金额+税额；另一张发票购买方为其他企业"
    seller = provider(sub.rng.choice(names.CLOUD_PLATFORM))
    deal = cloud_deal(sub, seller, amount_for_tier(sub.rng, 10), ["digital_special"])
    note = faults.arithmetic_mismatch(deal.invoices[0], sub.rng)
    other = provider(sub.rng.choice(names.EXTRA_PARTIES))
    deal.invoices.append(
        make_invoice(
            sub,
            seller,
            Decimal(86000),
            date(2023, 9, 12),
            "digital_special",
            buyer=other,
            remark=deal.invoices[0].remark,
        )
    )
    paths = _emit(sub, deal, ["born_digital", "photo"])
    sub.expect("INVOICE_ARITHMETIC_MISMATCH", [paths[0]], note)
    sub.expect("BUYER_NOT_APPLICANT", [paths[1]], f"购买方为 {other.name}")
    sub.award_note = "金额有疑问：不评分"


def fault_provider_short(sub: Submission) -> None:
    sub.description = "上云：服务商名称与名单企业相近但不在名单上；合同服务期仅六个月"
    seller = provider(sub.rng.choice(names.NEAR_MISS_PROVIDERS))
    deal = cloud_deal(sub, seller, amount_for_tier(sub.rng, 5), ["digital_special"], months=6)
    paths = _emit(sub, deal, ["born_digital"], "scan")
    sub.expect("PROVIDER_NOT_ON_LIST", [paths[0], "上云服务合同.pdf"], f"{seller.name} 不在云服务商名单")
    sub.expect("SERVICE_PERIOD_TOO_SHORT", ["上云服务合同.pdf"], "服务期限六个月")
    sub.award_wan = 0
    sub.award_note = "服务商不在名单且服务期不足一年：不予奖励"


def fault_fuzzy_duplicate(sub: Submission) -> None:
    sub.description = "上云：合同乙方名称有错别字（与名单企业近似，需复核）；同一张发票以 PDF 和照片各交一次"
    printed, listed = sub.rng.choice(sorted(names.FUZZY_PROVIDERS.items()))
    seller = provider(listed)
    deal = cloud_deal(sub, seller, amount_for_tier(sub.rng, 10), ["digital_special"])
    deal.contract.party_b = printed
    paths = _emit(sub, deal, ["born_digital"])
    sub.add_invoice(deal.invoices[0], "发票_01_手机拍照.jpg", "photo")
    sub.expect("PROVIDER_FUZZY_MATCH", ["上云服务合同.pdf"], f"合同乙方 {printed} ≈ 名单 {listed}")
    sub.expect("DUPLICATE_INVOICE", [paths[0], "发票_01_手机拍照.jpg"], "同一发票提交两次")
    sub.award_note = "服务商需复核：不评分"


def fault_item_date(sub: Submission) -> None:
    sub.description = "上云：一张发票明细未单列上云费用（技术服务费）；另一张发票开票日期在2022年"
    seller = provider(sub.rng.choice(names.CLOUD_PLATFORM))
    deal = cloud_deal(
        sub, seller, amount_for_tier(sub.rng, 5), ["vat_special"], items=NON_CLOUD_ITEMS, title="技术服务合同"
    )
    deal.invoices.append(
        make_invoice(sub, seller, Decimal(120000), date(2022, 12, 16), "vat_normal", remark=deal.invoices[0].remark)
    )
    paths = _emit(sub, deal, ["born_digital", "scan"])
    sub.expect("CLOUD_FEE_NOT_ITEMIZED", [paths[0]], "明细为技术服务费，未列上云费用")
    sub.expect("DATE_OUT_OF_PERIOD", [paths[1]], "开票日期 2022-12-16 不在2023年度")
    sub.award_note = "上云费用未单列：不评分"


def fault_missing_contract_unreadable(sub: Submission) -> None:
    sub.description = "上云：缺少上云服务合同；另附一个传输中损坏的 PDF"
    seller = provider(sub.rng.choice(names.CLOUD_PLATFORM))
    deal = cloud_deal(sub, seller, amount_for_tier(sub.rng, 10), ["digital_normal"])
    _emit(sub, deal, ["born_digital"], contract_render=None)
    sub.add_corrupt("合同扫描件.pdf", sub.docs[0].data)
    sub.expect("MISSING_REQUIRED_DOCUMENT", [], "上云条款需要上云服务合同")
    sub.expect("UNREADABLE_DOCUMENT", ["合同扫描件.pdf"], "文件被截断")
    sub.award_note = "材料不全：不评分"


def fault_missing_period_smudge(sub: Submission) -> None:
    sub.description = "上云：合同未写明服务起止日期；发票照片价税合计处被污渍遮挡"
    seller = provider(sub.rng.choice(names.CLOUD_PLATFORM))
    deal = cloud_deal(sub, seller, amount_for_tier(sub.rng, 10), ["digital_special"])
    deal.contract.service_start = None
    deal.contract.service_end = None
    inv = deal.invoices[0]
    doc = sub.add_invoice_with(
        inv,
        "发票_01.jpg",
        "photo",
        {"smudge": [(0.0, 0.69, 1.0, 0.76), (0.03, 0.05, 0.15, 0.22)]},
        unscored=["total_incl_tax", "total_in_words"],
    )
    sub.add_contract(deal.contract, "上云服务合同.pdf", "born_digital")
    sub.expect("MISSING_FIELD", ["上云服务合同.pdf"], "合同无服务起止日期")
    sub.expect("LOW_CONFIDENCE_FIELD", [doc.path], "价税合计被遮挡", alternatives=["MISSING_FIELD"])
    sub.award_note = "服务期限无法确认：不评分"
