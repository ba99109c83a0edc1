"""Seals: stamps drawn at test time are found and read; SEAL_MISSING / SEAL_NAME_MISMATCH both ways."""

from __future__ import annotations

from difflib import SequenceMatcher
from typing import Any

import numpy as np
import pytest

from checks.base import Context
from checks.policy import load_policy
from checks.seals import check_seals
from extractors.fields.credit_code import check_character
from extractors.ocr import get_engine
from extractors.seals import find_seals
from extractors.seals.parse import credit_code_in, kind_of, names_in
from models import BBox, Document
from models.document import Seal, SealKind
from models.extraction_checks import ExtractionChecks, SealSearchRecord
from sample_docs.gen.seal import SealSpec, stamped_page
from tests.test_checks_builders import ALIYUN, ALIYUN_CODE, application, contract, invoice, matching

SELLER = "山西清众科技股份有限公司"
CODE = "91140322MA3JKAGC6" + check_character("91140322MA3JKAGC6")


@pytest.fixture(scope="module")
def engine() -> Any:
    return get_engine("rapidocr")


def test_oval_invoice_seal_is_found_and_read(engine: Any) -> None:
    page = stamped_page(SealSpec(SELLER, code=CODE, rotation_deg=20), seed=1)
    seals = find_seals(page, page=1, engine=engine)
    assert len(seals) == 1
    seal = seals[0]
    assert seal.kind == "invoice_seal"
    assert seal.credit_code == CODE
    assert seal.bbox is not None and seal.bbox.x0 >= 1150 and seal.bbox.y0 >= 600
    assert seal.names and SequenceMatcher(None, seal.names[0], SELLER).ratio() >= 0.8


def test_turned_faint_round_seal_with_star_names_its_company(engine: Any) -> None:
    name = "阳泉丰信新材股份有限公司"
    spec = SealSpec(name, caption="合同专用章", oval=False, star=True, rotation_deg=-35, alpha=110, breaks=4)
    seals = find_seals(stamped_page(spec, seed=2), page=2, engine=engine)
    assert [s.kind for s in seals] == ["contract_seal"]
    assert seals[0].names == ["阳泉丰信新材股份有限公司"]
    assert seals[0].page == 2


def test_no_stamp_no_seal(engine: Any) -> None:
    page = stamped_page(SealSpec(SELLER, alpha=0), seed=1)
    assert find_seals(page, page=1, engine=engine) == []
    grey = np.repeat(stamped_page(SealSpec(SELLER), seed=1).mean(axis=2, keepdims=True), 3, axis=2).astype(np.uint8)
    assert find_seals(grey, page=1, engine=engine) == []


def test_parsing() -> None:
    assert names_in("阿里云计算有限公司") == ["阿里云计算有限公司"]
    assert names_in("云计算有限") == []
    assert credit_code_in(f"河 {CODE[:9]} {CODE[9:]} 司") == (CODE, True)
    assert credit_code_in("91140322MA3JKAGC6X")[0] is None
    assert kind_of("全国统一发票监制章 国家税务总局", star=False, names=[]) == "other"
    assert kind_of("某某有限公司 合同专用章", star=True, names=["某某有限公司"]) == "contract_seal"
    assert kind_of("某某有限公司", star=True, names=["某某有限公司"]) == "official_seal"


def _seal(name: str, confidence: float, kind: SealKind = "invoice_seal", code: str | None = None) -> Seal:
    return Seal(kind=kind, text=name, names=[name], page=1, bbox=BBox.model_validate([1300, 800, 1600, 1000]),
                confidence=confidence, credit_code=code)  # fmt: skip


def _findings(docs: list[Document]) -> list[tuple[str, str]]:
    ctx = Context(
        application=application(["cloud"]),
        policy=load_policy("yangquan-2024"),
        documents=docs,
        matching=matching(),
    )
    return [(f.code.value, f.severity) for f in check_seals(ctx)]


def _searched(doc: Document, seals: list[Seal], source: str = "ocr") -> Document:
    searched = ExtractionChecks(seal_search=SealSearchRecord(pages=[1]))
    return doc.model_copy(update={"seals": seals, "text_source": source, "checks": searched})


def test_seal_missing_on_scanned_old_style_invoice_and_contract() -> None:
    docs = [_searched(invoice(invoice_number="12345678"), []), _searched(contract(), [])]
    assert _findings(docs) == [("SEAL_MISSING", "warning"), ("SEAL_MISSING", "warning")]


def test_no_seal_missing_when_stamped_or_not_expected() -> None:
    stamped = _searched(invoice(invoice_number="12345678"), [_seal(ALIYUN, 0.95)])
    digital = _searched(invoice(invoice_number="24112000000012345678"), [])  # 数电票
    ofd = _searched(invoice(invoice_number="12345678"), [], source="ofd")
    grey = invoice(invoice_number="12345678").model_copy(update={"text_source": "ocr"})  # never searched
    born_digital_contract = _searched(contract(), [], source="text_layer")
    assert _findings([stamped, digital, ofd, grey, born_digital_contract]) == []


def test_seal_name_mismatch_error_when_name_and_code_agree_else_warning() -> None:
    other = "北京星河远景数据科技有限公司"
    sure = _searched(invoice(invoice_number="12345678"), [_seal(other, 0.95, code=CODE)])
    name_only = _searched(invoice(invoice_number="12345678"), [_seal(other, 0.95)])
    unsure = _searched(invoice(path="invoice_02.pdf", invoice_number="12345679"), [_seal(other, 0.5, code=CODE)])
    misread_own = _searched(invoice(invoice_number="12345678"), [_seal("为终端有限公司", 0.95, code=ALIYUN_CODE)])
    assert _findings([sure]) == [("SEAL_NAME_MISMATCH", "error")]
    assert _findings([name_only]) == [("SEAL_NAME_MISMATCH", "warning")]
    assert _findings([unsure]) == [("SEAL_NAME_MISMATCH", "warning")]
    assert _findings([misread_own]) == []
    misread = _searched(invoice(invoice_number="12345678"), [_seal("阿里去计算有公司", 0.6)])
    assert _findings([misread]) == []  # a garbled reading of the seller's own name asks nothing


def test_contract_seals_of_both_parties_are_fine_and_a_third_is_not() -> None:
    ok = _searched(contract(), [_seal(ALIYUN, 0.9, "contract_seal")])
    third = _searched(contract(), [_seal("北京星河远景数据科技有限公司", 0.9, "contract_seal")])
    assert _findings([ok]) == []
    assert _findings([third]) == [("SEAL_NAME_MISMATCH", "warning")]  # no party code to agree with


def _bureau(text: str, box: list[int], kind: SealKind = "other") -> Seal:
    names = names_in(text)
    return Seal(kind=kind, text=text, names=names, page=1, bbox=BBox.model_validate(box), confidence=0.6)


TOP_CENTRE = [707, 75, 947, 235]  # an oval centred across the form, above its first table


def test_bureau_stamp_is_no_seller_seal_wherever_its_words_are_misread() -> None:
    old = invoice(invoice_number="12345678")
    for reading in ("安徽省税务局", "本佛罚董第一轮国专国家税务局", "全国统一集制局", "真隅罚瓷了一第国古天津市局"):
        assert _findings([_searched(old, [_bureau(reading, TOP_CENTRE)])]) == [("SEAL_MISSING", "warning")]
    away = [1300, 800, 1540, 960]  # not where the form prints it: its words, one misread, tell it
    assert _findings([_searched(old, [_bureau("安徽省税务届", away)])]) == [("SEAL_MISSING", "warning")]
    star = _bureau("深圳市税务局", TOP_CENTRE, kind="official_seal")
    assert _findings([_searched(old, [star])]) == [("SEAL_MISSING", "warning")]


def test_seller_stamp_beside_the_bureau_stamp_is_found() -> None:
    old = invoice(invoice_number="12345678")
    assert _findings([_searched(old, [_seal(ALIYUN, 0.95), _bureau("浙江省税务局", TOP_CENTRE)])]) == []
    top_seller = _seal(ALIYUN, 0.95, code=ALIYUN_CODE).model_copy(update={"bbox": BBox.model_validate(TOP_CENTRE)})
    assert _findings([_searched(old, [top_seller])]) == []  # its valid code makes it a party's, wherever it is
    agent = _bureau("山西税务师事务所有限公司发票专用章", [1300, 800, 1540, 960], kind="invoice_seal")
    assert ("SEAL_MISSING", "warning") not in _findings([_searched(old, [agent])])


def test_border_ring_no_longer_joins_the_name_to_the_code_digits() -> None:
    from extractors.seals.read import ARC_BRIDGE_SHARE, _longest_run, _without_ring

    strip = np.full((100, 700, 3), 255, dtype=np.uint8)
    strip[8:12, :] = 0  # the ring, unrolled
    strip[30:70, 200:400] = 0  # the name
    strip[40:90, 600:640] = 0  # the code's end digits, far from it
    assert _longest_run(strip, ARC_BRIDGE_SHARE).shape[1] == 700
    name = _longest_run(_without_ring(strip), ARC_BRIDGE_SHARE)
    assert name.shape[1] == 200 + 12 and (name[:12] == 255).all()
