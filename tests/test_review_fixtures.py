"""Data for the review UI tests: a real store in a temp EVIDENCE_HOME with real Documents.

The documents are built as the readers would hand them over (pages with positioned lines and a
rendered page image, typed fields with boxes) and the result comes from the real checks, so the
UI is tested against what the pipeline stores. Hostile text (``<script>``) sits in OCR text, in a
file name and in the seller name that the list matcher reports.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from PIL import Image, ImageDraw, ImageFont

from models import Application, BBox, Document, ExtractedField, Page, TextLine
from models.settings import Settings
from review.security import hash_password
from store import DocumentKey, Store, open_store
from store.pages import keep_page_images

FONT = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
PAGE_W, PAGE_H, DPI = 1654, 1169, 200
XSS = "<script>alert('xss')</script>"
HOSTILE_FILE = "<img src=x onerror=alert(1)>发票.pdf"
PASSWORD = "correct horse battery"
APPLICANT = "山西示例科技有限公司"


@dataclass
class Seeded:
    store: Store
    settings: Settings
    submission_id: int
    clean_submission_id: int
    invoice_file: str
    reviewers: dict[str, int]


def _font() -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    return ImageFont.truetype(str(FONT), 34) if FONT.exists() else ImageFont.load_default()


def _width(text: str) -> float:
    return float(_font().getlength(text))


def _line(text: str, x: float, y: float, h: float = 40) -> TextLine:
    width = _width(text)
    return TextLine(text=text, raw_text=text, bbox=BBox(x0=x, y0=y, x1=x + width, y1=y + h), confidence=0.97,
                    source="ocr")


def _field(value: Any, line: TextLine, offset_chars: int, confidence: float = 0.97) -> ExtractedField:
    """The value's box: the part of the line after its label (``offset_chars`` characters)."""
    box = line.bbox
    x0 = box.x0 + _width(line.text[:offset_chars])
    return ExtractedField(value=value, confidence=confidence, page=1, extractor="test", source="ocr",
                          bbox=BBox(x0=x0, y0=box.y0 - 4, x1=box.x1 + 4, y1=box.y1 + 4))


def render_page(path: Path, lines: list[TextLine]) -> None:
    """Draw the lines where their boxes say, so boxes drawn by the UI land on the text."""
    image = Image.new("RGB", (PAGE_W, PAGE_H), "white")
    draw = ImageDraw.Draw(image)
    font = _font()
    draw.rectangle([40, 40, PAGE_W - 40, PAGE_H - 40], outline="#8a5a00", width=3)
    for line in lines:
        draw.text((line.bbox.x0, line.bbox.y0), line.text, fill="black", font=font)
    image.save(path, compress_level=1)


def invoice_document(tmp: Path, name: str, seller: str, number: str, total: str) -> Document:
    """A one-page 增值税电子普通发票 for a cloud service with its fields and page image."""
    lines = [
        _line("电子发票（普通发票）", 620, 80, 50),
        _line(f"发票号码：{number}", 1000, 170),
        _line("开票日期：2023年06月15日", 1000, 220),
        _line(f"购买方名称：{APPLICANT}", 100, 330),
        _line("统一社会信用代码/纳税人识别号：91140300MA0K123459", 100, 380),
        _line(f"销售方名称：{seller}", 100, 470),
        _line("统一社会信用代码/纳税人识别号：91110108MA01ABCD2H", 100, 520),
        _line("*信息技术服务*云服务费  金额 " + f"{float(total) / 1.06:.2f}", 100, 640),
        _line(f"价税合计（小写）¥{total}", 900, 900),
        _line("价税合计（大写）陆拾壹万贰仟元整", 100, 900),
    ]
    image = tmp / f"{hashlib.sha1(name.encode()).hexdigest()}.png"
    render_page(image, lines)
    amount = f"{float(total) / 1.06:.2f}"
    tax = f"{float(total) - float(amount):.2f}"
    fields = {
        "invoice_number": _field(number, lines[1], 5),
        "issue_date": _field("2023-06-15", lines[2], 5),
        "buyer_name": _field(APPLICANT, lines[3], 6),
        "buyer_tax_id": _field("91140300MA0K123459", lines[4], 16),
        "seller_name": _field(seller, lines[5], 6),
        "seller_tax_id": _field("91110108MA01ABCD2H", lines[6], 16),
        "amount_excl_tax": _field(amount, lines[7], 18),
        "tax_amount": _field(tax, lines[7], 18),
        "total_incl_tax": _field(total, lines[8], 9),
        "tax_rate": _field("6%", lines[7], 18),
        "line_items": _field([{"name": "*信息技术服务*云服务费", "amount": amount}], lines[7], 0),
    }
    page = Page(number=1, width=PAGE_W, height=PAGE_H, dpi=DPI, lines=lines, text_source="ocr",
                image_path=str(image))
    sha = hashlib.sha256(f"{name}{number}{seller}".encode()).hexdigest()
    return Document(path=name, sha256=sha, doc_type="invoice", doc_type_confidence=0.99, pages=[page],
                    text_source="ocr", fields=fields, ocr_engine="test")


def contract_document(tmp: Path, name: str, provider: str, number: str, total: str) -> Document:
    """A two-page 云服务合同: parties and amount on page 1, the service period on page 2."""
    first = [
        _line("云服务合同", 700, 80, 50),
        _line(f"合同编号：{number}", 100, 200),
        _line(f"甲方：{APPLICANT}", 100, 300),
        _line(f"乙方：{provider}", 100, 360),
        _line(f"合同金额：人民币 {total} 元", 100, 460),
        _line("签订日期：2023年06月01日", 100, 520),
    ]
    second = [
        _line("服务期限：2023年06月01日至2024年05月31日", 100, 200),
        _line("服务内容：企业上云（云主机、云存储）", 100, 260),
    ]
    pages = []
    for number_, lines in ((1, first), (2, second)):
        image = tmp / f"{hashlib.sha1(f'{name}{number_}'.encode()).hexdigest()}.png"
        render_page(image, lines)
        pages.append(Page(number=number_, width=PAGE_W, height=PAGE_H, dpi=DPI, lines=lines, text_source="ocr",
                          image_path=str(image)))
    fields = {
        "contract_number": _field(number, first[1], 5),
        "party_a": _field(APPLICANT, first[2], 3),
        "party_b": _field(provider, first[3], 3),
        "total_amount": _field(total, first[4], 8),
        "sign_date": _field("2023-06-01", first[5], 5),
        "service_start": _field("2023-06-01", second[0], 5).model_copy(update={"page": 2}),
        "service_end": _field("2024-05-31", second[0], 17).model_copy(update={"page": 2}),
        "subject": _field("企业上云（云主机、云存储）", second[1], 5).model_copy(update={"page": 2}),
    }
    sha = hashlib.sha256(f"{name}{number}{provider}".encode()).hexdigest()
    return Document(path=name, sha256=sha, doc_type="contract", doc_type_confidence=0.95, pages=pages,
                    text_source="ocr", fields=fields, ocr_engine="test")


def application(claimed: float = 10) -> Application:
    return Application.model_validate(
        {
            "applicant": {"name": APPLICANT, "credit_code": "91140300MA0K123459"},
            "policy": "yangquan-2024",
            "clauses": ["cloud"],
            "application_date": dt.date(2024, 5, 20),
            "claimed_award_wan": claimed,
        }
    )


def store_submission(store: Store, settings: Settings, folder: str, app: Application, docs: list[Document]) -> int:
    """Store documents and the checks' result the way a batch does; returns the submission id."""
    from review.correction import evaluate_documents

    files: dict[str, int] = {}
    for doc in docs:
        key = DocumentKey(doc.sha256, "test", "1")
        images = keep_page_images(settings.home, key, doc)
        files[doc.path] = store.put_document(key, doc, page_images=images).id
    result = evaluate_documents(app, docs, [], submission=folder, store=store)
    run = store.start_run("batch", str(settings.home / "in"), resume=False)
    store.record_result(run.id, folder, result, files, application=app.model_dump(mode="json"))
    store.finish_run(run.id, {"submissions": 1})
    sid = store.submission_id(folder)
    assert sid is not None
    return sid


@cache
def password_hash() -> str:
    """One real argon2 hash shared by the test accounts: hashing is deliberately slow."""
    return hash_password(PASSWORD)


def seed(tmp_path: Path) -> Seeded:
    settings = Settings(home=tmp_path / "home")
    store = open_store(settings)
    reviewers = {
        "alice": store.create_reviewer("alice", password_hash(), display_name="张审核").id,
        "bob": store.create_reviewer("bob", password_hash(), display_name="李审核").id,
        "root": store.create_reviewer("root", password_hash(), role="admin", display_name="管理员").id,
    }
    render_dir = tmp_path / "render"
    render_dir.mkdir()
    seller = f"{XSS}云计算有限公司"
    flagged = [
        invoice_document(render_dir, HOSTILE_FILE, seller, "24112000000012345678", "612000.00"),
        contract_document(render_dir, "云服务合同.pdf", seller, "HT-2023-001", "612000.00"),
    ]
    sid = store_submission(store, settings, str(tmp_path / "in" / "示例科技"), application(claimed=20), flagged)
    listed = "山西清众科技股份有限公司"
    clean = [
        invoice_document(render_dir, "invoice_ok.pdf", listed, "24112000000087654321", "612000.00"),
        contract_document(render_dir, "contract_ok.pdf", listed, "HT-2023-002", "612000.00"),
    ]
    clean_sid = store_submission(store, settings, str(tmp_path / "in" / "另一家"), application(), clean)
    return Seeded(store, settings, sid, clean_sid, HOSTILE_FILE, reviewers)


@pytest.fixture
def seeded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Seeded]:
    """Two stored submissions; EVIDENCE_HOME points at the temp home so list versions live there too."""
    monkeypatch.setenv("EVIDENCE_HOME", str(tmp_path / "home"))
    data = seed(tmp_path)
    try:
        yield data
    finally:
        data.store.close()
