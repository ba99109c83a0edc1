"""A tiny PDF writer, so every malformed PDF is built byte by byte at test time.

Why not a library: the point is to control exactly which part is broken (object order for a
truncation, xref offsets, the page-tree count, the encryption dictionary), which a library
would helpfully repair.  Encryption is the PDF 1.4 standard security handler, revision 2
(RC4, 40-bit key), written out from ISO 32000-1 §7.6.3 algorithms 2-4.
"""

from __future__ import annotations

import hashlib
import struct
from dataclasses import dataclass, field

_PASSWORD_PAD = bytes.fromhex("28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A")
_FILE_ID = hashlib.md5(b"evidence-badinput").digest()


def rc4(key: bytes, data: bytes) -> bytes:
    """RC4 as the PDF standard security handler uses it (encryption and decryption are one)."""
    state = list(range(256))
    j = 0
    for i in range(256):
        j = (j + state[i] + key[i % len(key)]) % 256
        state[i], state[j] = state[j], state[i]
    out = bytearray()
    i = j = 0
    for byte in data:
        i = (i + 1) % 256
        j = (j + state[i]) % 256
        state[i], state[j] = state[j], state[i]
        out.append(byte ^ state[(state[i] + state[j]) % 256])
    return bytes(out)


@dataclass(frozen=True)
class Encryption:
    """Standard security handler R2: ``user_password`` "" means anyone may open the file."""

    user_password: str
    owner_password: str
    permissions: int = -44

    def _padded(self, password: str) -> bytes:
        return (password.encode("latin-1") + _PASSWORD_PAD)[:32]

    @property
    def owner_entry(self) -> bytes:
        owner_key = hashlib.md5(self._padded(self.owner_password or self.user_password)).digest()[:5]
        return rc4(owner_key, self._padded(self.user_password))

    @property
    def file_key(self) -> bytes:
        digest = hashlib.md5(
            self._padded(self.user_password) + self.owner_entry + struct.pack("<i", self.permissions) + _FILE_ID
        )
        return digest.digest()[:5]

    @property
    def user_entry(self) -> bytes:
        return rc4(self.file_key, _PASSWORD_PAD)

    def object_key(self, number: int) -> bytes:
        material = self.file_key + number.to_bytes(3, "little") + (0).to_bytes(2, "little")
        return hashlib.md5(material).digest()[:10]

    def dictionary(self) -> bytes:
        return (
            b"<< /Filter /Standard /V 1 /R 2 /Length 40 /P %d /O <%s> /U <%s> >>"
            % (self.permissions, self.owner_entry.hex().encode(), self.user_entry.hex().encode())
        )


@dataclass
class PdfObject:
    number: int
    body: bytes
    stream: bytes | None = None


@dataclass
class PdfFile:
    """Objects written in list order (so a truncation can cut the page tree off)."""

    objects: list[PdfObject] = field(default_factory=list)
    root: int = 1
    encryption: Encryption | None = None

    def render(self, *, broken_xref: bool = False) -> bytes:
        out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
        offsets: dict[int, int] = {}
        for obj in self.objects:
            offsets[obj.number] = len(out)
            out += self._render_object(obj)
        trailer_extra = b""
        if self.encryption is not None:
            number = max(offsets) + 1
            offsets[number] = len(out)
            out += b"%d 0 obj\n%s\nendobj\n" % (number, self.encryption.dictionary())
            file_id = _FILE_ID.hex().encode()
            trailer_extra = b" /Encrypt %d 0 R /ID [<%s> <%s>]" % (number, file_id, file_id)
        size = max(offsets) + 1
        xref_at = len(out)
        out += b"xref\n0 %d\n0000000000 65535 f \n" % size
        for number in range(1, size):
            offset = offsets.get(number, 0)
            if broken_xref:
                offset = offset * 7 + 13  # every entry points into the wrong place
            out += b"%010d 00000 n \n" % offset
        out += b"trailer\n<< /Size %d /Root %d 0 R%s >>\n" % (size, self.root, trailer_extra)
        out += b"startxref\n%d\n%%%%EOF\n" % (xref_at + 999 if broken_xref else xref_at)
        return bytes(out)

    def _render_object(self, obj: PdfObject) -> bytes:
        if obj.stream is None:
            return b"%d 0 obj\n%s\nendobj\n" % (obj.number, obj.body)
        data = obj.stream
        if self.encryption is not None:
            data = rc4(self.encryption.object_key(obj.number), data)
        body = obj.body.rstrip()
        assert body.endswith(b">>")
        body = body[:-2] + b" /Length %d >>" % len(data)
        return b"%d 0 obj\n%s\nstream\n%s\nendstream\nendobj\n" % (obj.number, body, data)


def text_page_pdf(
    lines: list[str],
    *,
    media_box: tuple[int, int] = (595, 842),
    claimed_pages: int = 1,
    encryption: Encryption | None = None,
) -> PdfFile:
    """One page of Helvetica text; catalog and page tree written last, after the content."""
    content = bytearray(b"BT /F1 14 Tf 72 %d Td 18 TL\n" % (media_box[1] - 100))
    for line in lines:
        escaped = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        content += b"(%s) '\n" % escaped.encode("latin-1")
    content += b"ET\n"
    width, height = media_box
    return PdfFile(
        objects=[
            PdfObject(4, b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"),
            PdfObject(5, b"<< >>", bytes(content)),
            PdfObject(
                3,
                b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] /Resources << /Font << /F1 4 0 R >> >>"
                b" /Contents 5 0 R >>" % (width, height),
            ),
            PdfObject(2, b"<< /Type /Pages /Kids [3 0 R] /Count %d >>" % claimed_pages),
            PdfObject(1, b"<< /Type /Catalog /Pages 2 0 R >>"),
        ],
        root=1,
        encryption=encryption,
    )
