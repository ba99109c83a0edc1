"""How much text an OFD expands to, counted from its XML before any page is built.

Why before: a page object costs ~500 bytes per glyph, and an OFD can make a few KB of zip say
millions of glyphs (300 references to one template page: 19 KB → 2.2 GB; one 6 MB TextCode:
3.1 GB). Counting characters of the parsed XML costs milliseconds and no glyph objects.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING
from xml.etree.ElementTree import Element

from extractors.errors import DocumentReadError
from extractors.readers import limits
from extractors.readers.invoice_data import local_name

if TYPE_CHECKING:
    from extractors.readers.ofd_package import OfdPackage


def check_text_budget(package: OfdPackage, document: Element, doc_dir: str) -> None:
    """Raise DocumentReadError if the pages, with their templates applied, hold more glyphs than
    ``limits.MAX_DOCUMENT_GLYPHS``."""
    templates: dict[str, int] = {}
    for template in _children(document, ("CommonData", "TemplatePage")):
        location = package.resolve(doc_dir, template.get("BaseLoc", ""))
        if location and package.has(location):
            templates[template.get("ID", "")] = _chars(package.xml(location))
            _check(package, sum(templates.values()))
    total = 0
    for ref in _children(document, ("Pages", "Page")):
        location = package.resolve(doc_dir, ref.get("BaseLoc", ""))
        if not location or not package.has(location):
            continue  # the reader says the page is missing
        root = package.xml(location)
        total += _chars(root)
        total += sum(templates.get(t.get("TemplateID", ""), 0) for t in root if local_name(t.tag) == "Template")
        _check(package, total)


def _check(package: OfdPackage, glyphs: int) -> None:
    if glyphs > limits.MAX_DOCUMENT_GLYPHS:
        raise DocumentReadError(
            str(package.path),
            f"OFD 文件展开后文字过多（超过 {limits.MAX_DOCUMENT_GLYPHS:,} 字，含模板引用），疑似恶意文件，已拒绝读取",
        )


def _chars(root: Element) -> int:
    return sum(len(element.text or "") for element in root.iter() if local_name(element.tag) == "TextCode")


def _children(root: Element, path: Iterable[str]) -> list[Element]:
    nodes = [root]
    for part in path:
        nodes = [child for node in nodes for child in node if local_name(child.tag) == part]
    return nodes
