"""Contracts: captions, running text, wrapped amounts and the 大写 cross-check, over pages."""

from __future__ import annotations

import pytest

from extractors.fields import extract_fields
from extractors.nlp import find_organisations
from models import TextLine
from tests.test_fields_fixtures import line, make_doc


def _page(texts: list[str]) -> list[TextLine]:
    return [line(t, 120, 100 + 50 * i) for i, t in enumerate(texts)]


def test_contract_over_pages_with_wrapped_amount() -> None:
    page1 = _page(
        [
            "阳泉示例公司企业上云服务项目合同",
            "合同编号：YQSZ-YQ-202307-029",
            "甲方（采购方）：阳泉丰信新材料股份有限公司",
            "乙方（服务方）：山西清众科技股份有限公司",
            "第一条 服务内容",
            "乙方为甲方提供云主机、对象存储等上云服务。",
        ]
    )
    page1[0] = line("阳泉示例公司企业上云服务项目合同", 300, 40, y1=100)
    page2 = _page(
        [
            "第二条 服务期限",
            "服务期限自2023年2月3日起至2025年2月2",
            "日止。",
            "第三条 合同金额及支付方式",
            "本合同总金额为人民币（大写）壹佰贰拾贰万柒仟肆佰捌拾元整（¥1,227,48",
            "0.00）。",
        ]
    )
    page3 = _page(["甲方（盖章）：", "乙方（盖章）：", "签订日期：2023年1月26日"])
    doc = extract_fields(make_doc([page1, page2, page3]))
    assert doc.doc_type == "contract"
    v = {k: f.value for k, f in doc.fields.items()}
    assert v["contract_number"] == "YQSZ-YQ-202307-029"
    assert v["party_a"] == "阳泉丰信新材料股份有限公司"
    assert v["party_b"] == "山西清众科技股份有限公司"
    assert v["service_start"] == "2023-02-03" and v["service_end"] == "2025-02-02"
    assert v["total_amount"] == "1227480.00"
    assert doc.checks.model_dump()["amount_words"]["status"] == "match"
    assert v["sign_date"] == "2023-01-26"
    assert v["subject"] == "阳泉示例公司企业上云服务项目合同"
    assert doc.fields["sign_date"].page == 3


def test_parties_named_only_in_running_text() -> None:
    page = _page(
        [
            "技术服务合同",
            "本合同由阳泉市城区智慧城市建设发展有限公司（以下简称甲方）与",
            "中国电信集团有限公司山西分公司（以下简称乙方）签订。",
            "双方经协商一致，就违约责任等条款约定如下。",
        ]
    )
    doc = extract_fields(make_doc([page]))
    v = {k: f.value for k, f in doc.fields.items()}
    assert v["party_a"] == "阳泉市城区智慧城市建设发展有限公司"
    assert v["party_b"] == "中国电信集团有限公司山西分公司"


def test_amount_words_disagreement_is_recorded() -> None:
    page = _page(["服务合同", "合同编号：HT-2023-001", "甲方：甲公司有限公司", "乙方：乙公司有限公司",
                  "合同总金额：人民币伍万元整（¥60,000.00）"])  # fmt: skip
    doc = extract_fields(make_doc([page]))
    assert doc.fields["total_amount"].value == "60000.00"
    assert doc.checks.model_dump()["amount_words"]["status"] == "mismatch"


def test_organisation_rules() -> None:
    assert find_organisations("本合同由山西示例科技有限公司与太原理工大学签订") == [
        "山西示例科技有限公司",
        "太原理工大学",
    ]
    assert find_organisations("中国移动通信集团山西有限公司阳泉分公司负责") == [
        "中国移动通信集团山西有限公司阳泉分公司"
    ]


# --- forms real contracts use, built here (not by the sample generator) -----------------------------
_HEAD = [
    "设备采购合同",
    "合同号：CG-2023-0158",
    "采购方（甲方）：太原示例仪器有限公司",
    "供方（乙方）：山西样例电子科技股份有限公司",
]


def _contract(extra: list[str], *, more: list[TextLine] | None = None) -> dict[str, str]:
    doc = extract_fields(make_doc([_page([*_HEAD, "第一条 产品名称、数量及价格"]), _page(extra) + (more or [])]))
    assert doc.doc_type == "contract"
    return {k: str(f.value) for k, f in doc.fields.items()}


@pytest.mark.parametrize(
    "rows",
    [
        ["甲方（盖章）：", "乙方（盖章）：", "签订日期：2023年5月25日"],
        ["甲方（签章）：", "乙方（签章）：", "签约时间：2023年05月25日"],
        ["双方协商一致，本合同于2023年5月25日在太原市签订，一式两份。"],
        ["本协议由双方于2023年5月25日签署并生效。"],
        ["签署日期：2023-05-25"],
        ["甲方（盖章）：", "授权代表：", "日期：2023年5月25日"],
        ["甲方（盖章）", "法定代表人（签字）：", "2023年5月25日"],
    ],
)
def test_sign_date_where_contracts_print_it(rows: list[str]) -> None:
    assert _contract(rows)["sign_date"] == "2023-05-25"


def test_sign_date_in_a_header_table_cell_and_under_two_seals() -> None:
    cells = [
        line("签订地点", 120, 400),
        line("太原市", 360, 400),
        line("签订时间", 700, 400),
        line("2023.5.25", 900, 400),
    ]
    assert _contract(["（以下无正文）"], more=cells)["sign_date"] == "2023-05-25"
    seals = [line("甲方（盖章）：", 120, 500), line("乙方（盖章）：", 900, 500)]
    dates = [line("日期：2023年5月25日", 120, 600), line("日期：2023年5月25日", 900, 600)]
    doc = extract_fields(make_doc([_page(_HEAD), seals + dates]))
    field = doc.fields["sign_date"]
    assert field.value == "2023-05-25" and field.page == 2
    assert field.bbox is not None and field.bbox.x0 > 120 + 24 * 2  # the box holds the date, not 日期：


def test_dates_that_are_not_the_signing_are_not_taken() -> None:
    v = _contract(["服务期限自2023年6月1日起至2024年5月31日止。", "甲方应于2023年7月1日前付清全款。"])
    assert "sign_date" not in v
    assert v["service_start"] == "2023-06-01"


def test_parties_from_role_captions_and_running_text() -> None:
    v = _contract(["（以下无正文）"])
    assert v["party_a"] == "太原示例仪器有限公司" and v["party_b"] == "山西样例电子科技股份有限公司"
    page = _page(
        [
            "软件开发协议",
            "晋中示例大数据服务有限公司（以下简称“甲方”）与山西测试",
            "软件技术有限公司（以下简称“乙方”），经友好协商，订立本协议。",
        ]
    )
    v = {k: str(f.value) for k, f in extract_fields(make_doc([page])).fields.items()}
    assert v["party_a"] == "晋中示例大数据服务有限公司"
    assert v["party_b"] == "山西测试软件技术有限公司"  # wrapped over two rows


def test_clause_text_is_not_a_party() -> None:
    page = _page(
        [
            "采购合同",
            "需方：阳泉样例煤机有限公司",
            "甲乙双方就办公设备采购产品事宜协商订立本合同。",
            "乙方按照本合同约定向甲方提供设备。",
        ]
    )
    v = {k: str(f.value) for k, f in extract_fields(make_doc([page])).fields.items()}
    assert v["party_a"] == "阳泉样例煤机有限公司"
    assert "party_b" not in v or v["party_b"].endswith(("公司", "院", "所", "中心"))


@pytest.mark.parametrize(
    ("row", "total"),
    [
        ("合同总价：人民币贰佰伍拾万元整（含税）。", "2500000.00"),
        ("合同金额：人民币250万元（含增值税）。", "2500000.00"),
        ("合同金额：67.416万元", "674160.00"),
        ("合同总价款：人民币（大写）壹佰贰拾万零叁佰元整，（小写）¥1,200,300.00元。", "1200300.00"),
        ("合同总金额：1200300.00元（大写：壹佰贰拾万零叁佰元整）", "1200300.00"),
    ],
)
def test_total_in_figures_wan_or_words_only(row: str, total: str) -> None:
    assert _contract([row])["total_amount"] == total


@pytest.mark.parametrize("label", ["合同编号", "合同号", "编号", "协议编号"])
def test_contract_number_label_variants(label: str) -> None:
    page = _page(["技术服务合同", f"{label}：JS-2023-0042", "甲方：阳泉样例有限公司", "乙方：太原样例有限公司"])
    doc = extract_fields(make_doc([page]))
    assert doc.fields["contract_number"].value == "JS-2023-0042"


def test_sign_date_in_chinese_numerals_under_the_seals() -> None:
    assert _contract(["甲方（盖章）：", "乙方（盖章）：", "二〇二三年五月二十五日"])["sign_date"] == "2023-05-25"
    assert _contract(["签订日期：二〇二三年十二月三十一日"])["sign_date"] == "2023-12-31"


def test_parties_named_only_beside_the_seals() -> None:
    page = _page(["技术服务合同", "合同编号：JS-2023-0042", "第一条 服务内容", "乙方为甲方提供运维服务。"])
    seals = _page(["甲方（盖章）：阳泉样例化工有限公司", "乙方（盖章）：山西样例信息技术有限公司", "甲方名称：不算"])
    v = {k: str(f.value) for k, f in extract_fields(make_doc([page, seals])).fields.items()}
    assert v["party_a"] == "阳泉样例化工有限公司" and v["party_b"] == "山西样例信息技术有限公司"


def test_party_caption_with_name_word() -> None:
    page = _page(["采购合同", "甲方名称：阳泉样例机电有限公司", "乙方名称：太原样例科技有限公司"])
    v = {k: str(f.value) for k, f in extract_fields(make_doc([page])).fields.items()}
    assert v["party_a"] == "阳泉样例机电有限公司" and v["party_b"] == "太原样例科技有限公司"


def test_a_seal_over_one_of_two_dates_leaves_the_date_in_doubt() -> None:
    seals = [line("甲方（盖章）：", 120, 500), line("乙方（盖章）：", 900, 500)]
    dates = [line("日期：2023年3月十专用章", 120, 600), line("日期：2023年3月10日", 900, 600)]
    doc = extract_fields(make_doc([_page(_HEAD), seals + dates]))
    assert doc.fields["sign_date"].value == "2023-03-10"
    assert doc.fields["sign_date"].confidence <= 0.5
    agreeing = [line("日期：2023年3月12日", 120, 600), line("日期：2023年3月12日", 900, 600)]
    doc = extract_fields(make_doc([_page(_HEAD), seals + agreeing]))
    assert doc.fields["sign_date"].confidence > 0.9


def test_value_boxes_leave_the_caption_out() -> None:
    """Boxes count CJK characters full width and digits narrow: the number's box starts after 合同号：
    (within half a character: the full-width colon is narrow once NFKC-folded)."""
    row = line("合同号：CG-2023-0158", 120, 100, x1=120 + 24 * 4 + 13 * 12)
    doc = extract_fields(make_doc([[line("设备采购合同", 300, 40), row, line("甲方：阳泉样例有限公司", 120, 200)]]))
    box = doc.fields["contract_number"].bbox
    assert box is not None and abs(box.x0 - (120 + 24 * 4)) < 12 and abs(box.x1 - row.bbox.x1) < 6


@pytest.mark.parametrize(
    ("caption_a", "caption_b"),
    [
        ("采购人：", "供应商："),  # 政府采购合同
        ("采购人（甲方）：", "供应商（乙方）："),
        ("发包人：", "承包人："),  # 建设工程
        ("委托方：", "研究开发方："),  # 技术开发合同示范文本
        ("定作方：", "承揽方："),  # 承揽合同
    ],
)
def test_parties_under_the_model_contracts_role_captions(caption_a: str, caption_b: str) -> None:
    buyer, provider = "阳泉市示例数据有限公司", "华为云计算技术有限公司"
    page = _page(["政府采购合同", "合同编号：YQ-2023-018", caption_a + buyer, caption_b + provider])
    v = {k: str(f.value) for k, f in extract_fields(make_doc([page])).fields.items()}
    assert (v["party_a"], v["party_b"]) == (buyer, provider)


def test_a_name_found_by_the_recogniser_of_names_runs_from_the_caption_colon() -> None:
    from extractors.fields.contract_parties import from_colon

    assert from_colon("服务单位（乙方）：华为云计算技术有限公司", "云计算技术有限公司") == "华为云计算技术有限公司"
    assert from_colon("甲方委托乙方阿里云计算有限公司", "阿里云计算有限公司") == "阿里云计算有限公司"  # no colon
    assert from_colon("双方约定：由阿里云计算有限公司", "阿里云计算有限公司") == "阿里云计算有限公司"


def test_official_numbers_and_numbers_that_are_not_the_contracts() -> None:
    def number(row: str) -> str | None:
        page = _page(["技术服务合同", row, "甲方：阳泉市示例数据有限公司", "乙方：华为云计算技术有限公司"])
        found = extract_fields(make_doc([page])).fields.get("contract_number")
        return None if found is None else str(found.value)

    assert number("合同编号：（2023）晋云字第018号") == "(2023)晋云字第018号"  # NFKC, as every value
    assert number("编号：晋数〔2023〕18号") == "晋数〔2023〕18号"
    assert number("项目编号：XM-2023-009") is None  # a project's number, not the contract's
    assert number("招标编号：ZB-2023-117") is None
    assert number("项目合同编号：HT-2023-001") == "HT-2023-001"  # the contract's, whatever it is of


def test_total_under_a_price_sum_caption() -> None:
    page = _page(["技术服务合同", "甲方：阳泉市示例数据有限公司", "价款合计：小写：250000.00元 大写：贰拾伍万元整"])
    assert str(extract_fields(make_doc([page])).fields["total_amount"].value) == "250000.00"
