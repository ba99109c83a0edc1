"""Reading stamps: a sparse arc read whole, a misread body name mended, a form's rule painted out,
the bureau's 监制章 read once, and a certificate whose issuers are printed only as their stamps."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from extractors.fields import extract_fields
from extractors.fields.cert_issuer import with_seal_issuer
from extractors.ocr import get_engine
from extractors.seals import find_seals
from extractors.seals.authority import MENDED_CAP, mended
from models import BBox
from models.document import Seal
from sample_docs.gen.seal import SealSpec, stamped_page
from tests.test_fields_fixtures import line, make_doc


@pytest.fixture(scope="module")
def engine() -> Any:
    return get_engine("rapidocr")


def test_a_short_name_spread_round_a_small_stamp_is_read_whole(engine: Any) -> None:
    # six characters over 280°: no two of them lie in one inked run of the unrolled arc
    spec = SealSpec("江苏省财政厅", caption="", oval=False, star=True, width_px=120, span_deg=280, alpha=200)
    seals = find_seals(stamped_page(spec, seed=3, text_under=False), page=1, engine=engine)
    assert [s.names for s in seals] == [["江苏省财政厅"]]


def test_a_body_name_misread_is_mended_only_to_the_one_body_it_can_be() -> None:
    assert mended("江苏省区家校务局") == "江苏省国家税务局"  # a real certificate's faint stamp
    assert mended("汇苏省地方税务局") == "江苏省地方税务局"
    assert mended("广东省税务局") is None  # exact already (not 山东省, one character away)
    assert mended("江苏省财政斤") is None  # as near to 财政厅 as to 财政局: not guessed
    assert mended("江苏省国美电器有限公司") is None  # a company, not a department
    assert mended("常熟市财政局") is None  # no province: not a closed set


def _certificate(seals: list[Seal], *, issuer_line: str | None = None) -> Any:
    lines = [
        line("高新技术企业证书", 300, 100),
        line("企业名称：常熟市高事达光电科技有限公司", 80, 280),
        line("证书编号：GR201532000341", 500, 280),
        line("发证时间：2015年7月6日", 80, 320),
        line("批准机关：", 80, 360, 160, 385),
    ]
    if issuer_line:
        lines.append(line(issuer_line, 80, 500))
    doc = extract_fields(make_doc([lines], source="ocr"))
    return doc.model_copy(update={"seals": seals})


def _stamp(name: str, x0: float, confidence: float, y0: float = 372) -> Seal:
    return Seal(kind="official_seal", text=name, names=[name], page=1, confidence=confidence,
                bbox=BBox(x0=x0, y0=y0, x1=x0 + 92, y1=y0 + 92))  # fmt: skip


def test_certificate_issuer_is_the_bodies_stamped_beside_its_caption_left_to_right() -> None:
    seals = [
        _stamp("江苏省地方税务局", 567, 0.6),
        _stamp("江苏省科学技术厅", 167, 0.6),
        _stamp("江苏省国家税务局", 432, MENDED_CAP),
        _stamp("江苏省财政厅", 301, 0.6),
        _stamp("常熟市高事达光电科技有限公司", 600, 0.9, y0=40),  # the holder's, far above the caption
    ]
    doc = with_seal_issuer(_certificate(seals))
    issuer = doc.fields["issuer"]
    assert issuer.value == "江苏省科学技术厅、江苏省财政厅、江苏省国家税务局、江苏省地方税务局"
    assert issuer.confidence == MENDED_CAP and issuer.source == "ocr" and issuer.page == 1
    assert issuer.bbox is not None and (issuer.bbox.x0, issuer.bbox.x1) == (167, 659)


def test_printed_issuer_is_kept_and_company_stamps_are_no_issuer() -> None:
    printed = with_seal_issuer(_certificate([_stamp("江苏省财政厅", 301, 0.6)], issuer_line="江苏省科学技术厅"))
    assert printed.fields["issuer"].value == "江苏省科学技术厅"
    company = with_seal_issuer(_certificate([_stamp("常熟市高事达光电科技有限公司", 301, 0.9)]))
    assert "issuer" not in company.fields


def test_a_form_rule_through_a_stamp_is_painted_over_from_the_strokes_it_crosses() -> None:
    from extractors.seals.mask import Blob, rules, without_rules

    strength = np.zeros((1000, 1400), dtype=np.uint8)  # a page: rules are lines over a tenth of its side
    strength[60:140, 300:306] = 230  # a character's upright stroke
    strength[99:102, :] = 230  # the form's rule across the page and through the stroke
    stamp = Blob(250, 40, 360, 160, np.zeros((0, 2), np.int32))
    cleaned = without_rules(strength, rules(strength), [stamp])
    assert cleaned[100, 255:290].max() < 60 and cleaned[100, 320:355].max() < 60  # the rule is gone
    assert cleaned[100, 300:306].min() > 100  # the stroke runs on through where it crossed
    assert (cleaned[:, 400:] == strength[:, 400:]).all()  # outside the stamp nothing is painted
    stroke_only = strength.copy()
    stroke_only[99:102] = 0
    stroke_only[60:140, 300:306] = 230
    assert (without_rules(stroke_only, rules(stroke_only), [stamp]) == stroke_only).all()  # no rule, no change


class _Counting:
    """The real engine, counting the line crops it is asked to recognise."""

    def __init__(self, engine: Any) -> None:
        self.engine, self.crops = engine, 0
        self.name, self.version = engine.name, engine.version

    def recognize(self, image: np.ndarray) -> Any:
        return self.engine.recognize(image)

    def recognize_crops(self, crops: list[np.ndarray]) -> list[tuple[str, float]]:
        self.crops += len(crops)
        return list(self.engine.recognize_crops(crops))


def test_the_bureau_stamp_is_read_once_it_names_no_company(engine: Any) -> None:
    spec = SealSpec("全国统一发票监制章", caption="", width_px=300, span_deg=200)
    counting = _Counting(engine)
    seals = find_seals(stamped_page(spec, seed=4, text_under=False), page=1, engine=counting)
    assert len(seals) == 1 and "监制" in seals[0].text and seals[0].names == []
    assert counting.crops <= 2  # the arc once (not turned, not again whole) and its centre, if any
