"""OFD (GB/T 33190) e-invoices: text objects with positions in mm → lines in pixels, plus invoice data.

Labels of a 数电票 usually sit on a template page and values on the page itself, so both are
read. Structured data comes from the attached original XML (数电票) or, in older packages, from
custom tags that point at text objects by ID.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element

from extractors.errors import DocumentReadError
from extractors.readers import limits
from extractors.readers.invoice_data import invoice_fields, local_name
from extractors.readers.ofd_budget import check_text_budget
from extractors.readers.ofd_package import OfdPackage, open_package
from extractors.readers.text import Glyph, group_lines
from models import Page

_MM_PER_INCH = 25.4
_DEFAULT_BOX = (0.0, 0.0, 210.0, 297.0)


@dataclass
class OfdPage:
    """One page's size (mm) and its text objects, as drawn; kept for rendering the page later."""

    box: tuple[float, float, float, float]
    texts: list[tuple[float, float, float, float, str]] = field(default_factory=list)  # x, baseline, size, width, char
    objects: dict[str, str] = field(default_factory=dict)  # object ID → its text (for custom tags)


def read_ofd(path: Path, dpi: int) -> tuple[list[Page], dict[str, Any] | None]:
    ofd_pages, structured = parse_ofd(path)
    pages = [_to_page(number, ofd_page, dpi) for number, ofd_page in enumerate(ofd_pages, start=1)]
    return pages, structured


def parse_ofd(path: Path) -> tuple[list[OfdPage], dict[str, Any] | None]:
    with open_package(path) as archive:
        package = OfdPackage(path, archive)
        doc_path = _doc_root(package)
        doc_dir = doc_path.rsplit("/", 1)[0] if "/" in doc_path else ""
        document = package.xml(doc_path)
        check_text_budget(package, document, doc_dir)  # before any page is built
        default_box = _box(_find(document, "CommonData/PageArea/PhysicalBox")) or _DEFAULT_BOX
        templates = _templates(package, document, doc_dir)
        pages: list[OfdPage] = []
        page_refs = _findall(document, "Pages/Page")
        if not page_refs:
            raise DocumentReadError(str(path), "OFD 文件没有任何页面")
        if len(page_refs) > limits.MAX_PAGES:
            raise DocumentReadError(str(path), f"OFD 页数过多（{len(page_refs)} 页）")
        for ref in page_refs:
            location = OfdPackage.resolve(doc_dir, ref.get("BaseLoc", ""))
            if not location or not package.has(location):
                raise DocumentReadError(str(path), "OFD 文件的页面内容缺失")
            pages.append(_parse_page(package.xml(location), default_box, templates))
        structured = _attachment_fields(package, document, doc_dir) or _custom_tag_fields(
            package, document, doc_dir, pages
        )
    return pages, structured or None


def _doc_root(package: OfdPackage) -> str:
    if not package.has("OFD.xml"):
        raise DocumentReadError(str(package.path), "OFD 文件缺少 OFD.xml")
    root = package.xml("OFD.xml")
    doc_root = _find(root, "DocBody/DocRoot")
    location = OfdPackage.resolve("", doc_root.text or "") if doc_root is not None else ""
    if not location or not package.has(location):
        raise DocumentReadError(str(package.path), "OFD 文件缺少文档根（DocRoot）")
    return location


def _templates(package: OfdPackage, document: Element, doc_dir: str) -> dict[str, OfdPage]:
    found: dict[str, OfdPage] = {}
    for template in _findall(document, "CommonData/TemplatePage"):
        location = OfdPackage.resolve(doc_dir, template.get("BaseLoc", ""))
        if location and package.has(location):
            found[template.get("ID", "")] = _parse_page(package.xml(location), None, {})
    return found


Box = tuple[float, float, float, float]


def _parse_page(root: Element, default_box: Box | None, templates: dict[str, OfdPage]) -> OfdPage:
    box = _box(_find(root, "Area/PhysicalBox")) or default_box or _DEFAULT_BOX
    page = OfdPage(box=box)
    for template in _findall(root, "Template"):
        used = templates.get(template.get("TemplateID", ""))
        if used is not None:
            page.texts.extend(used.texts)
            page.objects.update(used.objects)
    for element in root.iter():
        if local_name(element.tag) == "TextObject":
            _add_text_object(page, element)
    return page


def _add_text_object(page: OfdPage, element: Element) -> None:
    boundary = _numbers(element.get("Boundary", ""))
    if len(boundary) < 2:
        return
    bx, by = boundary[0], boundary[1]
    size = _float(element.get("Size"), 3.5)
    ctm = element.get("CTM", "")
    scale_x, scale_y, shift_x, shift_y = _ctm(ctm)
    size *= scale_y
    on_page = not _rotated(ctm)
    texts: list[str] = []
    for code in element:
        if local_name(code.tag) != "TextCode":
            continue
        text = code.text or ""
        x = _float(code.get("X"), 0.0)
        y = _float(code.get("Y"), size)
        deltas = _deltas(code.get("DeltaX", ""), len(text))
        unscaled = size / max(scale_y, 1e-6)
        for index, char in enumerate(text):
            if index > 0:
                x += deltas[index - 1] if index <= len(deltas) else _advance(text[index - 1], unscaled)
            # A glyph reaches to where the next one starts, so gaps in the text are real gaps.
            width = deltas[index] if index < len(deltas) else _advance(char, unscaled)
            if on_page:
                page.texts.append((bx + shift_x + x * scale_x, by + shift_y + y * scale_y, size, width * scale_x, char))
        texts.append(text)
    object_id = element.get("ID")
    if object_id:
        page.objects[object_id] = "".join(texts)


def _to_page(number: int, page: OfdPage, dpi: int) -> Page:
    factor = dpi / _MM_PER_INCH
    glyphs = [
        Glyph(
            char,
            x * factor,
            (y - 0.88 * size) * factor,
            (x + width) * factor,
            (y + 0.12 * size) * factor,
        )
        for x, y, size, width, char in page.texts
    ]
    width, height = page.box[2] * factor, page.box[3] * factor
    lines = group_lines(glyphs, source="ofd")
    return Page(number=number, width=round(width), height=round(height), dpi=dpi, lines=lines, text_source="ofd")


def _advance(char: str, size: float) -> float:
    return size * (0.5 if ord(char) < 0x2E80 else 1.0)


def _attachment_fields(package: OfdPackage, document: Element, doc_dir: str) -> dict[str, Any]:
    """Fields from attached XML files (the 数电票 original invoice), first file with a number wins."""
    index = _find(document, "Attachments")
    candidates: list[str] = []
    if index is not None and index.text:
        location = OfdPackage.resolve(doc_dir, index.text)
        if location and package.has(location):
            base = location.rsplit("/", 1)[0] if "/" in location else ""
            for attachment in package.xml(location).iter():
                if local_name(attachment.tag) == "FileLoc" and attachment.text:
                    candidates.append(OfdPackage.resolve(base, attachment.text))
    for name in candidates:
        if name.lower().endswith(".xml") and package.has(name):
            fields = invoice_fields(package.xml(name))
            if fields.get("invoice_number"):
                return fields
    return {}


def _custom_tag_fields(package: OfdPackage, document: Element, doc_dir: str, pages: list[OfdPage]) -> dict[str, Any]:
    """Older e-invoice OFDs tag text objects (``<InvoiceNo><ObjectRef>7</ObjectRef></InvoiceNo>``)."""
    index = _find(document, "CustomTags")
    if index is None or not index.text:
        return {}
    location = OfdPackage.resolve(doc_dir, index.text)
    if not location or not package.has(location):
        return {}
    base = location.rsplit("/", 1)[0] if "/" in location else ""
    objects = {key: value for page in pages for key, value in page.objects.items()}
    for tag in package.xml(location).iter():
        if local_name(tag.tag) != "FileLoc" or not tag.text:
            continue
        name = OfdPackage.resolve(base, tag.text)
        if not name or not package.has(name):
            continue
        root = package.xml(name)
        for element in root.iter():
            refs = [ref.text.strip() for ref in element if local_name(ref.tag) == "ObjectRef" and ref.text]
            if refs:
                element.text = "".join(objects.get(ref, "") for ref in refs)
        fields = invoice_fields(root)
        if fields.get("invoice_number"):
            return fields
    return {}


def _find(root: Element, path: str) -> Element | None:
    current: list[Element] = [root]
    for part in path.split("/"):
        current = [child for node in current for child in node if local_name(child.tag) == part]
        if not current:
            return None
    return current[0]


def _findall(root: Element, path: str) -> list[Element]:
    *parents, last = path.split("/")
    nodes = [root]
    for part in parents:
        nodes = [child for node in nodes for child in node if local_name(child.tag) == part]
    return [child for node in nodes for child in node if local_name(child.tag) == last]


def _box(element: Element | None) -> tuple[float, float, float, float] | None:
    if element is None or not element.text:
        return None
    values = _numbers(element.text)
    if len(values) != 4 or values[2] <= 0 or values[3] <= 0 or max(values[2], values[3]) > 5000:
        return None
    return values[0], values[1], values[2], values[3]


_NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:[eE]-?\d+)?")


def _numbers(text: str) -> list[float]:
    return [float(v) for v in _NUMBER.findall(text)[:64]]


def _float(text: str | None, default: float) -> float:
    values = _numbers(text or "")
    return values[0] if values else default


def _deltas(text: str, length: int) -> list[float]:
    """GB/T 33190 DeltaX, with its ``g count value`` run-length form expanded (capped at the text length)."""
    tokens = text.split()
    out: list[float] = []
    index = 0
    while index < len(tokens) and len(out) < length:
        if tokens[index] == "g" and index + 2 < len(tokens):
            count = int(_float(tokens[index + 1], 0))
            out.extend([_float(tokens[index + 2], 0.0)] * max(0, min(count, length - len(out))))
            index += 3
        else:
            out.append(_float(tokens[index], 0.0))
            index += 1
    return out


def _rotated(text: str) -> bool:
    """A turned text object: the letters on a seal's ring (全国统一发票监制, the tax bureau's name).

    Every field of an invoice is set upright; the seal's letters, placed one by one along its arc,
    would otherwise join the line they cross (…成都分公司统).
    """
    values = _numbers(text)
    if len(values) != 6:
        return False
    a, b, c, d = (abs(v) for v in values[:4])
    return max(b, c) > 0.05 * max(a, d, 1e-6)


def _ctm(text: str) -> tuple[float, float, float, float]:
    """Scale and shift of a text object's CTM (rotation and shear are ignored: invoices do not use them)."""
    values = _numbers(text)
    if len(values) != 6:
        return 1.0, 1.0, 0.0, 0.0
    a, _, _, d, e, f = values
    return (a or 1.0), (d or 1.0), e, f
