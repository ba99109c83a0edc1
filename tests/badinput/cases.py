"""The registry of bad inputs: how each is built and the exact outcome the product owes it.

Outcomes (per command):

* ``read``: the file is read normally (``evidence extract`` exits 0 and lists it; ``verify`` shows
  the document and no ``UNREADABLE_DOCUMENT`` finding for it).
* ``unreadable``: ``extract`` exits 2 with one stderr line naming the file and a Chinese reason;
  ``verify`` keeps going and reports ``UNREADABLE_DOCUMENT`` (error severity, Chinese message) for it.
* ``error``: the submission as a whole cannot be processed (a broken ``application.yaml``): the
  result has status ``error`` and a Chinese reason naming ``application.yaml``.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from tests.badinput import appyaml, images, ofd, pdfgen, tables
from tests.badinput.good import invoice_pdf

Outcome = Literal["read", "unreadable", "error"]
ESCAPE_NAME = "evidence-badinput-escape.txt"
SECRET_TOKEN = "SECRET-7f3a9c-NOT-FOR-REVIEWERS"
_TEXT = ["Service contract HT-2024-001", "Party A: Shanxi Example Technology Co., Ltd.", "Total 106000.00"]


@dataclass(frozen=True)
class Case:
    kind: str
    summary: str
    filename: str | bytes
    write: Callable[[Path, Path], None]
    """``write(target, outside)``: create the bad file at ``target``; ``outside`` lies outside every submission."""
    extract: Outcome | None
    verify: Outcome
    pages: int | None = None


def _bytes(factory: Callable[[], bytes]) -> Callable[[Path, Path], None]:
    def write(target: Path, outside: Path) -> None:
        target.write_bytes(factory())

    return write


def _yaml(text: str | None) -> Callable[[Path, Path], None]:
    def write(target: Path, outside: Path) -> None:
        if text is None:
            target.unlink(missing_ok=True)
        else:
            target.write_text(text, encoding="utf-8")

    return write


def _truncated_pdf() -> bytes:
    whole = pdfgen.text_page_pdf(_TEXT).render()
    return whole[: whole.index(b"endstream") - 10]  # cut inside the content: no page tree, no catalog


def _symlink(target: Path, outside: Path) -> None:
    secret = outside / "secret.pdf"
    secret.write_bytes(invoice_pdf("24112000000077777777"))
    target.symlink_to(secret)


def _directory(target: Path, outside: Path) -> None:
    target.mkdir()
    (target / "inner.txt").write_text("不是文件", encoding="utf-8")


def _xxe(target: Path, outside: Path) -> None:
    secret = outside / "secret.txt"
    secret.write_text(SECRET_TOKEN, encoding="utf-8")
    target.write_bytes(ofd.xxe_ofd(str(secret)))


def _invoice(number: str) -> Callable[[Path, Path], None]:
    return _bytes(lambda: invoice_pdf(number))


def _locked(target: Path, outside: Path) -> None:
    target.write_bytes(invoice_pdf("24112000000066660001"))
    target.chmod(0)


def _html() -> bytes:
    return "<!DOCTYPE html><html><body><h1>电子发票</h1></body></html>".encode()


def _ole2() -> bytes:
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504  # an old .xls header, named .xlsx


def _plain(
    *, media_box: tuple[int, int] = (595, 842), claimed_pages: int = 1, encryption: pdfgen.Encryption | None = None
) -> Callable[[], bytes]:
    return lambda: pdfgen.text_page_pdf(
        _TEXT, media_box=media_box, claimed_pages=claimed_pages, encryption=encryption
    ).render()


U: Outcome = "unreadable"
R: Outcome = "read"
E: Outcome = "error"
YAML = "application.yaml"

CASES: tuple[Case, ...] = (
    Case("zero_byte", "零字节文件 (empty .pdf)", "empty.pdf", _bytes(bytes), U, U),
    Case("truncated_pdf", "截断的 PDF (no page tree)", "truncated.pdf", _bytes(_truncated_pdf), U, U),
    Case(
        "broken_xref", "交叉引用表损坏的 PDF (repairable)", "broken_xref.pdf",
        _bytes(lambda: pdfgen.text_page_pdf(_TEXT).render(broken_xref=True)), R, R, pages=1,
    ),
    Case(
        "encrypted_user_password", "加密 PDF，需要打开密码", "encrypted.pdf",
        _bytes(_plain(encryption=pdfgen.Encryption("secret", "owner"))), U, U,
    ),
    Case(
        "encrypted_owner_only", "加密 PDF，仅权限密码 (opens without a password)", "restricted.pdf",
        _bytes(_plain(encryption=pdfgen.Encryption("", "owner"))), R, R, pages=1,
    ),
    Case("pdf_100k_pages", "页树声称 100,000 页的 PDF", "many_pages.pdf", _bytes(_plain(claimed_pages=100_000)), U, U),
    Case(
        "pdf_huge_page", "20,000 × 20,000 pt 页面 (beyond the PDF limit of 14,400)", "huge_page.pdf",
        _bytes(_plain(media_box=(20_000, 20_000))), U, U,
    ),
    Case("png_bomb", "50,000 × 50,000 PNG 解压炸弹", "bomb.png", _bytes(images.png_bomb), U, U),
    Case("tiff_16bit", "16 位灰度 TIFF", "scan16.tif", _bytes(images.tiff_16bit), R, R, pages=1),
    Case("tiff_cmyk", "CMYK TIFF", "scan_cmyk.tiff", _bytes(images.tiff_cmyk), R, R, pages=1),
    Case("gif_as_jpg", "动画 GIF 改名为 .jpg", "photo.jpg", _bytes(images.animated_gif), U, U),
    Case("truncated_jpeg", "截断的 JPEG", "cut.jpg", _bytes(images.truncated_jpeg), U, U),
    Case("html_as_pdf", "HTML 改名为 .pdf", "page.pdf", _bytes(_html), U, U),
    Case("ofd_zip_bomb", "OFD 压缩炸弹 (1 GiB inflated)", "bomb.ofd", _bytes(ofd.zip_bomb_ofd), U, U),
    Case(
        "ofd_path_traversal", "OFD 含 ../ 与绝对路径条目", "traversal.ofd",
        _bytes(lambda: ofd.traversal_ofd(ESCAPE_NAME)), U, U,
    ),
    Case("ofd_xxe", "OFD 含外部实体 (XXE)", "xxe.ofd", _xxe, U, U),
    Case("ofd_corrupt_deflate", "OFD 压缩数据损坏", "corrupt.ofd", _bytes(ofd.corrupt_deflate_ofd), U, U),
    Case(
        "xlsx_pathological", "XLSX：公式、隐藏工作表、合并单元格、1,000,000 空行", "明细表.xlsx",
        _bytes(tables.pathological_xlsx), R, R, pages=1,
    ),
    Case("xlsx_not_zip", "不是 ZIP 的 .xlsx (old .xls bytes)", "detail.xlsx", _bytes(_ole2), U, U),
    Case("csv_gbk", "GBK 编码的 CSV", "明细表.csv", _bytes(tables.gbk_csv), R, R, pages=1),
    Case(
        "csv_hostile_numbers", "CSV 含 1E+999999999、NaN、Infinity", "numbers.csv",
        _bytes(tables.hostile_numbers_csv), R, R, pages=1,
    ),
    Case(
        "xlsx_future_zip_version", "ZIP 版本号异常的 XLSX", "version.xlsx",
        _bytes(tables.future_zip_version_xlsx), U, U,
    ),
    Case("yaml_missing", "缺少 application.yaml", YAML, _yaml(None), None, E),
    Case("yaml_empty", "空的 application.yaml", YAML, _yaml(""), None, E),
    Case("yaml_invalid", "语法错误的 application.yaml", YAML, _yaml(appyaml.INVALID), None, E),
    Case("yaml_wrong_types", "类型错误的 application.yaml", YAML, _yaml(appyaml.WRONG_TYPES), None, E),
    Case("yaml_bomb", "YAML 炸弹 (anchors, 9^9)", YAML, _yaml(appyaml.yaml_bomb()), None, E),
    Case("yaml_deep_nesting", "嵌套 10,000 层的 YAML", YAML, _yaml(appyaml.deep_nesting()), None, E),
    Case("name_spaces", "文件名含空格", "invoice scan (copy 1).pdf", _invoice("24112000000055550001"), R, R, pages=1),
    Case("name_chinese", "中文文件名", "阳泉 云服务发票.pdf", _invoice("24112000000055550002"), R, R, pages=1),
    Case(
        "name_non_utf8", "非 UTF-8 文件名 (GBK bytes)", "发票".encode("gbk") + b"-\xff.pdf",
        _invoice("24112000000055550003"), R, R, pages=1,
    ),
    Case("symlink_outside", "指向申报目录之外的符号链接", "linked.pdf", _symlink, R, U, pages=1),
    Case("directory_pdf", "名为 x.pdf 的目录", "x.pdf", _directory, U, U),
)

PERMISSION_CASE = Case("unreadable_permissions", "无读取权限的文件 (chmod 000)", "locked.pdf", _locked, U, U)


def case_by_kind(kind: str) -> Case:
    for case in (*CASES, PERMISSION_CASE):
        if case.kind == kind:
            return case
    raise KeyError(kind)


@dataclass(frozen=True)
class Built:
    case: Case
    submission: Path
    target: Path


def build(root: Path, cases: tuple[Case, ...] = CASES, *, control: bool = True) -> dict[str, Built]:
    """``root/submissions/<kind>/`` per case (a valid application, a good invoice, the bad input).

    With ``control``, ``root/submissions/control`` holds only the good parts, for comparison.
    """
    from tests.badinput.good import good_submission

    outside = root / "outside"
    outside.mkdir(parents=True, exist_ok=True)
    built: dict[str, Built] = {}
    for index, case in enumerate(cases):
        submission = good_submission(root / "submissions" / case.kind, f"241120000000{index:08d}")
        name = os.fsdecode(case.filename) if isinstance(case.filename, bytes) else case.filename
        target = submission / name
        case.write(target, outside)
        built[case.kind] = Built(case, submission, target)
    if control:
        good_submission(root / "submissions" / "control", "24112000000012345678")
    return built
