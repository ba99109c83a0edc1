"""Certificates: type, level, scope, holder, number, dates and issuer, in Chinese and English."""

from __future__ import annotations

from pathlib import Path

from extractors.fields import extract_fields
from extractors.fields.certificate import level_of
from models import TextLine
from models.settings import Settings
from tests.test_fields_fixtures import line, make_doc


def _rows(texts: list[str], x: float = 200) -> list[TextLine]:
    return [line(t, x, 100 + 60 * i) for i, t in enumerate(texts)]


def test_cmmi_appraisal_in_english() -> None:
    lines = _rows(
        [
            "CMMI Institute",
            "Appraisal Results",
            "This is to certify that",
            "山西示例科技有限公司",
            "has been appraised and rated at",
            "Maturity Level 3",
            "of the CMMI-DEV V2.0 model, using the SCAMPI A appraisal method",
        ]
    )
    lines += [
        line("Appraisal ID:", 200, 600), line("58923", 520, 600),
        line("Appraisal Date:", 200, 660), line("March 24, 2023", 520, 660),
        line("Expiration Date:", 200, 720), line("March 24, 2026", 520, 720),
    ]  # fmt: skip
    doc = extract_fields(make_doc([lines]))
    assert doc.doc_type == "certificate"
    v = {k: f.value for k, f in doc.fields.items()}
    assert v == {
        "cert_type": "CMMI",
        "level": 3,
        "scope": "CMMI-DEV V2.0",
        "holder_name": "山西示例科技有限公司",
        "cert_number": "58923",
        "issue_date": "2023-03-24",
        "expiry_date": "2026-03-24",
        "issuer": "CMMI Institute",
    }
    # the scope's box is where the model is printed, not the header that names the institute
    scope = doc.fields["scope"].bbox
    assert scope is not None and scope.y0 == 460 and 200 < scope.x0 < scope.x1 < 200 + 24 * 40


def test_itss_chinese_with_validity_range() -> None:
    lines = _rows(
        [
            "信息技术服务运行维护标准符合性证书",
            "证书编号：ITSS-YW-2-1403202363322",
            "单位名称：阳泉市卓联智能制造股份有限公司",
            "符合性等级：二级",
            "有效期：2023年08月19日至2026年08月18日",
            "发证机构：中国电子工业标准化技术协会信息技术服务分会",
        ]
    )
    doc = extract_fields(make_doc([lines], source="ocr"))
    v = {k: f.value for k, f in doc.fields.items()}
    assert v["cert_type"] == "ITSS" and v["level"] == 2 and v["scope"] == "运行维护"
    assert v["cert_number"] == "ITSS-YW-2-1403202363322"
    assert v["holder_name"] == "阳泉市卓联智能制造股份有限公司"
    assert (v["issue_date"], v["expiry_date"]) == ("2023-08-19", "2026-08-18")
    assert v["issuer"] == "中国电子工业标准化技术协会信息技术服务分会"


def test_dcmm_level_names_and_expiry_from_period_length() -> None:
    lines = _rows(
        [
            "数据管理能力成熟度等级证书",
            "兹证明：山西示例数据有限公司",
            "数据管理能力成熟度等级达到 稳健级（3级）",
            "证书编号：DCMM202378834",
            "发证日期：2023年07月19日",
            "有效期三年",
            "中国电子信息行业联合会",
        ]
    )
    doc = extract_fields(make_doc([lines]))
    v = {k: f.value for k, f in doc.fields.items()}
    assert v["cert_type"] == "DCMM" and v["level"] == 3
    assert v["holder_name"] == "山西示例数据有限公司"
    assert v["expiry_date"] == "2026-07-18"  # three years counted from the issue day
    assert doc.fields["expiry_date"].source == "derived" and doc.fields["expiry_date"].confidence <= 0.9
    assert v["issuer"] == "中国电子信息行业联合会"


def test_levels() -> None:
    assert level_of("CMMI", "MaturityLevel5") == 5
    assert level_of("CMMI", "CMMI三级") == 3
    assert level_of("ITSS", "一级") == 1
    assert level_of("DCMM", "量化管理级") == 4
    assert level_of("DCMM", "优化级") == 5


def _values(lines: list[TextLine], source: str = "ocr") -> dict[str, object]:
    doc = extract_fields(make_doc([lines], source=source))
    assert doc.doc_type == "certificate"
    return {k: f.value for k, f in doc.fields.items()}


def test_dcmm_is_never_cmmi() -> None:
    v = _values(
        _rows(
            [
                "数据管理能力成熟度评估结果证书",
                "Data Management Capability Maturity Assessment",
                "兹证明：山西示例数据有限公司",
                "达到 Maturity Level 2 受管理级",
                "证书编号：CESA-DCMM-2023-0612",
                "发证日期：2023年06月12日",
                "有效期至：2026年06月11日",
                "中国电子信息行业联合会",
            ]
        )
    )
    assert v["cert_type"] == "DCMM" and v["level"] == 2
    assert v["issuer"] == "中国电子信息行业联合会"


def test_itss_issuer_at_the_foot_keeps_its_branch_name() -> None:
    v = _values(
        _rows(
            [
                "信息技术服务标准符合性证书",
                "证书编号：ITSS-YW-3-140320230456",
                "阳泉市卓联智能制造股份有限公司",
                "符合 信息技术服务 运行维护 标准 三级",
                "有效期：2023年08月19日至2026年08月18日",
                "中国电子工业标准化技术协会信息技术服务分会",
                "2023年08月19日",
            ]
        )
    )
    assert v["cert_type"] == "ITSS" and v["issuer"] == "中国电子工业标准化技术协会信息技术服务分会"
    assert v["holder_name"] == "阳泉市卓联智能制造股份有限公司"


def test_bilingual_issuer_is_the_chinese_name_above_its_english_one() -> None:
    v = _values(
        _rows(
            [
                "信息技术服务运行维护标准符合性证书",
                "Certificate of Conformity to ITSS",
                "证书编号 No.: ITSS-YW-1-140320235966",
                "单位名称 Organization: 阳泉市未来智能制造有限公司",
                "发证日期 Date of Issue: 2023年3月12日",
                "中国电子工业标准化技术协会信息技术服务分会",
                "ITSS Branch of China Electronics Standardization Association",
            ]
        )
    )
    assert v["issuer"] == "中国电子工业标准化技术协会信息技术服务分会"


def test_iso9001_in_chinese_with_registration_number_and_accreditation_note() -> None:
    v = _values(
        _rows(
            [
                "质量管理体系认证证书",
                "注册号：00123Q34567R1M",
                "兹证明",
                "山西示例科技有限公司",
                "质量管理体系符合 GB/T 19001-2016 / ISO 9001:2015",
                "注册有效期：2023年03月01日-2026年02月28日",
                "中国质量认证中心",
                "发证日期：2023年03月01日",
                "本证书信息可在国家认证认可监督管理委员会官方网站上查询",
            ]
        )
    )
    assert v["cert_type"] == "ISO9001" and v["cert_number"] == "00123Q34567R1M"
    assert (v["issue_date"], v["expiry_date"]) == ("2023-03-01", "2026-02-28")
    assert v["holder_name"] == "山西示例科技有限公司" and v["issuer"] == "中国质量认证中心"


def test_iso27001_in_english() -> None:
    lines = _rows(
        [
            "CERTIFICATE",
            "Information Security Management System",
            "This is to certify that",
            "Shanxi Example Technology Co., Ltd.",
            "complies with ISO/IEC 27001:2013",
            "Certification Body: China Quality Certification Centre",
        ]
    )
    lines += [
        line("Certificate No.:", 200, 600), line("01322IS0123R0M", 560, 600),
        line("Date of Issue:", 200, 660), line("15 May 2023", 560, 660),
        line("Valid until:", 200, 720), line("14 May 2026", 560, 720),
    ]  # fmt: skip
    v = _values(lines, source="text_layer")
    assert v["cert_type"] == "ISO27001" and v["cert_number"] == "01322IS0123R0M"
    assert (v["issue_date"], v["expiry_date"]) == ("2023-05-15", "2026-05-14")
    assert v["issuer"] == "China Quality Certification Centre"


def test_iso20000_is_not_itss() -> None:
    v = _values(
        _rows(
            [
                "信息技术服务管理体系认证证书",
                "证书编号：0352023ITSM0101R0S",
                "兹证明 山西示例科技有限公司",
                "信息技术服务管理体系符合标准 ISO/IEC 20000-1:2018",
                "有效期：2023年04月10日至2026年04月09日",
                "发证机构：北京国标联合认证有限公司",
            ]
        )
    )
    assert v["cert_type"] == "ISO20000" and v["cert_number"] == "0352023ITSM0101R0S"


def test_hightech_with_approving_bodies_listed() -> None:
    lines = _rows(["高新技术企业证书", "企业名称：山西示例科技有限公司", "证书编号：GR202314000123"])
    lines += [
        line("发证时间：2023年11月29日", 200, 300), line("有效期：三年", 700, 300),
        line("批准机关：", 200, 360),
        line("山西省科学技术厅", 200, 420), line("山西省财政厅", 560, 420),
        line("国家税务总局山西省税务局", 860, 420),
    ]  # fmt: skip
    v = _values(lines)
    assert v["cert_type"] == "高新技术企业" and v["cert_number"] == "GR202314000123"
    assert v["holder_name"] == "山西示例科技有限公司" and v["issue_date"] == "2023-11-29"
    assert v["issuer"] == "山西省科学技术厅、山西省财政厅、国家税务总局山西省税务局"


def test_software_enterprise_certificate() -> None:
    v = _values(
        _rows(
            [
                "软件企业证书",
                "证书编号：晋RQ-2023-0088",
                "企业名称：山西示例软件有限公司",
                "发证日期：2023年09月01日",
                "有效期：2023年09月01日至2024年08月31日",
                "山西省软件行业协会",
            ]
        )
    )
    assert v["cert_type"] == "软件企业" and v["issuer"] == "山西省软件行业协会"
    assert v["holder_name"] == "山西示例软件有限公司"


def test_tiff_scan_of_an_itss_certificate(tmp_path: Path) -> None:
    from PIL import Image, ImageDraw, ImageFont

    from extractors.process import process_file
    from tests.test_fields_licence import _font_path

    img = Image.new("L", (1654, 1169), 255)
    draw = ImageDraw.Draw(img)
    for text, x, y, pt in [
        ("信息技术服务标准符合性证书", 430, 120, 60), ("证书编号：ITSS-YW-3-140320230456", 250, 360, 34),
        ("阳泉市卓联智能制造股份有限公司", 250, 440, 44), ("符合 信息技术服务 运行维护 标准 三级 要求", 250, 530, 34),
        ("有效期：2023年08月19日至2026年08月18日", 250, 620, 34),
        ("中国电子工业标准化技术协会信息技术服务分会", 700, 900, 34),
    ]:  # fmt: skip
        draw.text((x, y), text, fill=70, font=ImageFont.truetype(_font_path(), pt))
    path = tmp_path / "itss_scan.tif"
    img.rotate(90, expand=True).convert("1").save(path, compression="group4", dpi=(200, 200))
    doc = process_file(path, settings=Settings.from_env())
    assert doc.doc_type == "certificate"
    v = {k: f.value for k, f in doc.fields.items()}
    assert v["cert_type"] == "ITSS" and v["cert_number"] == "ITSS-YW-3-140320230456"
    assert v["issuer"] == "中国电子工业标准化技术协会信息技术服务分会"
