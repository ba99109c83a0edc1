"""Safe access to an OFD package (a zip): sizes, counts and names are checked before anything is read.

Members are only ever read into memory by name, never extracted, but a package with ``../`` or
absolute names, or whose declared sizes add up to a bomb, is refused outright.
"""

from __future__ import annotations

import posixpath
import zipfile
import zlib
from pathlib import Path
from xml.etree.ElementTree import Element

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from extractors.errors import DocumentReadError
from extractors.readers import limits


class OfdPackage:
    """The members of one OFD zip, readable by package path (``/Doc_0/Document.xml`` or relative)."""

    def __init__(self, path: Path, archive: zipfile.ZipFile) -> None:
        self.path = path
        self._archive = archive
        self._names: dict[str, str] = {}
        infos = archive.infolist()
        if len(infos) > limits.MAX_ZIP_MEMBERS:
            self._fail(f"OFD 文件成员过多（{len(infos)} 个）")
        total = 0
        for info in infos:
            name = info.filename.replace("\\", "/")
            parts = name.split("/")
            if name.startswith("/") or ".." in parts or ":" in parts[0]:
                self._fail("OFD 文件包含非法路径（可能为恶意文件）")
            if info.file_size > limits.MAX_ZIP_MEMBER_BYTES:
                self._fail("OFD 文件中的成员过大，疑似压缩炸弹")
            if info.compress_size and info.file_size / info.compress_size > limits.MAX_ZIP_RATIO:
                self._fail("OFD 文件压缩比异常，疑似压缩炸弹")
            total += info.file_size
            self._names[name.lower()] = info.filename
        if total > limits.MAX_ZIP_TOTAL_BYTES:
            self._fail("OFD 文件解压后过大，疑似压缩炸弹")

    def _fail(self, reason: str) -> None:
        raise DocumentReadError(str(self.path), reason)

    @staticmethod
    def resolve(base_dir: str, location: str) -> str:
        """A package path from a location relative to ``base_dir`` (or absolute from the root)."""
        location = location.strip().replace("\\", "/")
        joined = location.lstrip("/") if location.startswith("/") else posixpath.join(base_dir, location)
        normal = posixpath.normpath(joined)
        return "" if normal.startswith("..") or normal == "." else normal

    def has(self, name: str) -> bool:
        return name.lower() in self._names

    def read(self, name: str) -> bytes:
        real = self._names.get(name.lower())
        if real is None:
            self._fail(f"OFD 文件缺少 {name}")
        try:
            with self._archive.open(str(real)) as member:
                data = member.read(limits.MAX_ZIP_MEMBER_BYTES + 1)
        except (zipfile.BadZipFile, zlib.error, OSError, EOFError, NotImplementedError, RuntimeError) as exc:
            raise DocumentReadError(str(self.path), "OFD 文件已损坏，无法解压", detail=str(exc)) from exc
        if len(data) > limits.MAX_ZIP_MEMBER_BYTES:
            self._fail("OFD 文件中的成员过大，疑似压缩炸弹")
        return data

    def xml(self, name: str) -> Element:
        try:
            root: Element = fromstring(self.read(name))
        except DefusedXmlException as exc:
            raise DocumentReadError(str(self.path), "OFD 文件含有不安全的 XML 实体，已拒绝读取") from exc
        except (SyntaxError, ValueError) as exc:
            raise DocumentReadError(str(self.path), f"OFD 文件中的 {name} 格式错误", detail=str(exc)) from exc
        return root


def open_package(path: Path) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError) as exc:
        raise DocumentReadError(str(path), "OFD 文件已损坏，无法打开", detail=str(exc)) from exc
