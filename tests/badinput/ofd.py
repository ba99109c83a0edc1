"""OFD packages (GB/T 33190): a minimal valid one, a zip bomb, path traversal and an XXE probe."""

from __future__ import annotations

from tests.badinput.zipgen import RawMember, bomb_member, deflated_member, zip_bytes

_NS = 'xmlns:ofd="http://www.ofdspec.org/2016"'
BOMB_MIB = 1024

OFD_XML = (
    f'<?xml version="1.0" encoding="UTF-8"?>\n<ofd:OFD {_NS} Version="1.1" DocType="OFD"><ofd:DocBody>'
    "<ofd:DocInfo><ofd:DocID>badinput</ofd:DocID><ofd:CreationDate>2024-03-15</ofd:CreationDate></ofd:DocInfo>"
    "<ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>"
)
DOCUMENT_XML = (
    f'<?xml version="1.0" encoding="UTF-8"?>\n<ofd:Document {_NS}><ofd:CommonData><ofd:MaxUnitID>10</ofd:MaxUnitID>'
    "<ofd:PageArea><ofd:PhysicalBox>0 0 210 140</ofd:PhysicalBox></ofd:PageArea>"
    "<ofd:PublicRes>PublicRes.xml</ofd:PublicRes></ofd:CommonData>"
    '<ofd:Pages><ofd:Page ID="1" BaseLoc="Pages/Page_0/Content.xml"/></ofd:Pages></ofd:Document>'
)
PUBLIC_RES_XML = (
    f'<?xml version="1.0" encoding="UTF-8"?>\n<ofd:Res {_NS} BaseLoc="Res"><ofd:Fonts>'
    '<ofd:Font ID="4" FontName="宋体" FamilyName="宋体"/></ofd:Fonts></ofd:Res>'
)
CONTENT_HEAD = f'<?xml version="1.0" encoding="UTF-8"?>\n<ofd:Page {_NS}><ofd:Content><ofd:Layer ID="2">'
CONTENT_TAIL = "</ofd:Layer></ofd:Content></ofd:Page>"


def _text_object(object_id: int, y: int, text: str) -> str:
    return (
        f'<ofd:TextObject ID="{object_id}" Boundary="10 {y} 180 6" Font="4" Size="4">'
        f'<ofd:TextCode X="0" Y="4">{text}</ofd:TextCode></ofd:TextObject>'
    )


def content_xml(lines: list[str], *, doctype: str = "") -> str:
    body = "".join(_text_object(5 + i, 10 + 8 * i, text) for i, text in enumerate(lines))
    head = CONTENT_HEAD if not doctype else CONTENT_HEAD.replace("\n", "\n" + doctype + "\n", 1)
    return head + body + CONTENT_TAIL


def _package(content: RawMember, extra: list[RawMember] | None = None) -> bytes:
    members = [
        deflated_member("OFD.xml", OFD_XML.encode()),
        deflated_member("Doc_0/Document.xml", DOCUMENT_XML.encode()),
        deflated_member("Doc_0/PublicRes.xml", PUBLIC_RES_XML.encode()),
        content,
        *(extra or []),
    ]
    return zip_bytes(members)


def valid_ofd(lines: list[str]) -> bytes:
    return _package(deflated_member("Doc_0/Pages/Page_0/Content.xml", content_xml(lines).encode()))


def zip_bomb_ofd() -> bytes:
    """The page content inflates to 1 GiB of whitespace inside valid XML (about 1 MB on disk)."""
    head = (CONTENT_HEAD + _text_object(5, 10, "发票号码：24112000000099999999")).encode()
    return _package(bomb_member("Doc_0/Pages/Page_0/Content.xml", head, BOMB_MIB, CONTENT_TAIL.encode()))


def traversal_ofd(escape_name: str) -> bytes:
    """A readable OFD that also carries members named ``../…/escape_name`` and ``/tmp/escape_name``."""
    page = content_xml(["发票号码：24112000000088888888"]).encode()
    content = deflated_member("Doc_0/Pages/Page_0/Content.xml", page)
    evil = [
        deflated_member("../" * 12 + "tmp/" + escape_name, b"written outside the package\n"),
        deflated_member("/tmp/abs-" + escape_name, b"written at an absolute path\n"),
        deflated_member("Doc_0/../../" + escape_name, b"escaped through a parent\n"),
    ]
    return _package(content, evil)


def xxe_ofd(secret_path: str) -> bytes:
    """Page content whose text is an external entity pointing at a local file."""
    doctype = f'<!DOCTYPE ofd:Page [<!ENTITY leak SYSTEM "file://{secret_path}">]>'
    xml = content_xml(["&leak;"], doctype=doctype)
    return _package(deflated_member("Doc_0/Pages/Page_0/Content.xml", xml.encode()))


def corrupt_deflate_ofd() -> bytes:
    """A valid package whose page-content member has its deflate data scrambled (CRC left as is)."""
    content = content_xml(["发票号码：24112000000012345678"] * 20).encode()
    member = deflated_member("Doc_0/Pages/Page_0/Content.xml", content)
    data = bytearray(member.deflated)
    for index in range(4, len(data) - 4, 7):
        data[index] ^= 0x5A
    return _package(RawMember(member.name, bytes(data), member.crc, member.size))
