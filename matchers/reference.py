"""Versioned reference lists: the bundled versions in matchers/lists plus imported ones.

A list update is a new version, never an edit of an old one, so a result can record the version
it was matched against and a recheck can say which names were added or removed. Imported
versions live under ``<home>/lists/<list>/<version>.csv`` beside a metadata file, ``home`` being
the caller's ``Settings.home`` (``$EVIDENCE_HOME``).
"""

from __future__ import annotations

import csv
import hashlib
import io
import itertools
import re
from collections.abc import Iterable
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, Field

from matchers.name_normalize import normalize_name
from models.errors import EvidenceError
from models.matching import ListEntry

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

BUNDLED_DIR = Path(__file__).parent / "lists"
_COLUMN_ALIASES: dict[str, tuple[str, ...]] = {
    "name": ("name", "企业名称", "单位名称", "名称", "企业", "单位"),
    "section": ("section", "类别", "分类", "部分", "名单类别"),
    "seq": ("seq", "序号", "编号"),
    "project": ("project", "项目名称", "项目"),
}
_VERSION_RE = re.compile(r"^[0-9A-Za-z][0-9A-Za-z._-]{0,39}$")


class ListError(EvidenceError, ValueError):
    """A list problem the user can fix (unknown list or version, invalid file); message in Chinese."""


class VersionInfo(BaseModel):
    version: str
    origin: Literal["bundled", "imported"]
    path: Path
    source: str = ""
    date: str = ""


class ReferenceList(BaseModel):
    """One version of one list, as matched against."""

    name: str
    version: str
    title: str = ""
    source: str = ""
    date: str = ""
    entries: list[ListEntry] = Field(default_factory=list)


class ListDiff(BaseModel):
    """What changed between two versions, by normalised name (what a recheck needs)."""

    name: str
    old: str
    new: str
    added: list[ListEntry]
    removed: list[ListEntry]
    moved: list[ListEntry] = Field(default_factory=list)  # same name, new section or number (new entry)


class ImportReport(BaseModel):
    reference: ReferenceList
    warnings: list[str] = Field(default_factory=list)


def version_key(version: str) -> tuple[tuple[int, int | str], ...]:
    """Natural order (2 < 10 < 2024-06), so the latest version is the default."""
    return tuple((0, int(p)) if p.isdigit() else (1, p) for p in re.findall(r"\d+|[^\d]+", version))


def _manifest(name: str) -> dict[str, Any]:
    path = BUNDLED_DIR / name / "manifest.yaml"
    if not path.is_file():
        known = "、".join(available_lists())
        raise ListError(f"未知名单 {name}（可用：{known}）")
    data = _yaml_file(path)
    assert isinstance(data, dict)
    return data


def _yaml_file(path: Path) -> Any:
    """Parsed once per file state: a recheck asks for the current versions once per submission."""
    stat = path.stat()
    return _parse_yaml(path, stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=256)
def _parse_yaml(path: Path, _mtime_ns: int, _size: int) -> Any:
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER)


def available_lists() -> list[str]:
    return sorted(p.parent.name for p in BUNDLED_DIR.glob("*/manifest.yaml"))


def imported_dir(home: Path, name: str) -> Path:
    """Where ``name``'s imported versions live under ``home`` (``Settings.home``)."""
    return home / "lists" / name


def list_versions(name: str, *, home: Path | None) -> list[VersionInfo]:
    """Bundled and imported versions of ``name``, oldest first; ``home`` None: the bundled only."""
    manifest = _manifest(name)
    versions = [
        VersionInfo(
            version=str(v["version"]),
            origin="bundled",
            path=BUNDLED_DIR / name / str(v["file"]),
            source=str(v.get("source", "")),
            date=str(v.get("date", "")),
        )
        for v in manifest.get("versions", [])
    ]
    folder = imported_dir(home, name) if home is not None else None
    if folder is not None and folder.is_dir():
        for meta_path in folder.glob("*.yaml"):
            if not meta_path.with_suffix(".csv").is_file():
                continue  # an import that did not finish writing its data is no version
            meta = _yaml_file(meta_path) or {}
            versions.append(
                VersionInfo(
                    version=str(meta.get("version", meta_path.stem)),
                    origin="imported",
                    path=meta_path.with_suffix(".csv"),
                    source=str(meta.get("source", "")),
                    date=str(meta.get("imported_at", "")),
                )
            )
    return sorted(versions, key=lambda v: version_key(v.version))


def _entry_from_row(row: dict[str, str]) -> ListEntry:
    seq = row.get("seq", "").strip()
    known = {"name", "section", "seq"}
    return ListEntry(
        name=row["name"].strip(),
        section=row.get("section", "").strip() or None,
        seq=int(seq) if seq else None,
        extra={k: v.strip() for k, v in row.items() if k not in known and v and v.strip()},
    )


def load_list(name: str, version: str | None = None, *, home: Path | None) -> ReferenceList:
    """One version of a list; the latest (natural order of version names) when none is given.

    ``home`` holds the imported versions (``Settings.home``); None sees the bundled ones only.
    """
    versions = list_versions(name, home=home)
    if not versions:
        raise ListError(f"名单 {name} 没有任何版本")
    if version is None:
        info = versions[-1]
    else:
        found = [v for v in versions if v.version == version]
        if not found:
            known = "、".join(v.version for v in versions)
            raise ListError(f"名单 {name} 没有版本 {version}（已有：{known}）")
        info = found[0]
    with info.path.open(encoding="utf-8-sig", newline="") as handle:
        entries = [_entry_from_row(row) for row in csv.DictReader(handle)]
    return ReferenceList(
        name=name,
        version=info.version,
        title=str(_manifest(name).get("title", "")),
        source=info.source,
        date=info.date,
        entries=entries,
    )


def diff_versions(name: str, old: str, new: str, *, home: Path | None) -> ListDiff:
    """Names added and removed between two versions, compared after normalisation."""
    before = {normalize_name(e.name): e for e in load_list(name, old, home=home).entries}
    after = {normalize_name(e.name): e for e in load_list(name, new, home=home).entries}
    return ListDiff(
        name=name,
        old=old,
        new=new,
        added=[e for key, e in after.items() if key not in before],
        removed=[e for key, e in before.items() if key not in after],
        moved=[
            e
            for key, e in after.items()
            if key in before and (before[key].section, before[key].seq) != (e.section, e.seq)
        ],
    )


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


MAX_LIST_ROWS = 200_000  # the largest official list has a few thousand entries
MAX_LIST_BYTES = 50 * 1024 * 1024  # CSV size, and an XLSX's inflated size (zip bombs)


def _check_xlsx_package(path: Path) -> None:
    """Refuse a zip bomb before openpyxl inflates it: declared sizes and ratios, from the directory."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError) as exc:
        raise ListError(f"{path}: 无法读取 XLSX 文件（{exc.__class__.__name__}）") from exc
    total = sum(info.file_size for info in infos)
    if total > MAX_LIST_BYTES or any(i.compress_size and i.file_size / i.compress_size > 1000 for i in infos):
        raise ListError(f"{path}: XLSX 文件解压后过大，疑似压缩炸弹，已拒绝导入")


def _capped(rows: Iterable[list[str]], path: Path) -> list[list[str]]:
    out = list(itertools.islice(rows, MAX_LIST_ROWS + 1))
    if len(out) > MAX_LIST_ROWS:
        raise ListError(f"{path}: 行数过多（超过 {MAX_LIST_ROWS:,} 行），不像名单文件")
    return out


def read_table(path: Path) -> list[list[str]]:
    """Rows of a CSV (UTF-8, or GB18030 as Excel in China writes it) or of an XLSX's first sheet."""
    if path.suffix.lower() == ".xlsx":
        import openpyxl

        _check_xlsx_package(path)
        try:
            book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        except Exception as exc:
            raise ListError(f"{path}: 无法读取 XLSX 文件（{exc.__class__.__name__}）") from exc
        sheet = book.worksheets[0]
        rows = _capped(([_cell(c) for c in row] for row in sheet.iter_rows(values_only=True)), path)
        book.close()
        return rows
    if path.suffix.lower() != ".csv":
        raise ListError(f"{path}: 只支持 CSV 或 XLSX 文件")
    if path.stat().st_size > MAX_LIST_BYTES:
        raise ListError(f"{path}: 文件过大（超过 {MAX_LIST_BYTES // (1024 * 1024)} MB），不像名单文件")
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ListError(f"{path}: 无法识别文件编码")
    try:
        return _capped(([c.strip() for c in row] for row in csv.reader(io.StringIO(text))), path)
    except csv.Error as exc:  # e.g. a cell beyond the csv module's 128 KB field limit
        raise ListError(f"{path}: CSV 格式错误（{str(exc)[:80]}）") from exc


def _header_map(header: list[str]) -> dict[int, str]:
    mapping: dict[int, str] = {}
    for index, title in enumerate(header):
        cleaned = title.strip().lower()
        canonical = next((k for k, aliases in _COLUMN_ALIASES.items() if cleaned in aliases), cleaned)
        if canonical and canonical not in mapping.values():
            mapping[index] = canonical
    return mapping


def validate_rows(name: str, rows: list[list[str]], path: Path) -> tuple[list[dict[str, str]], list[str]]:
    """Check columns, names and duplicates; return canonical rows and warnings, or raise ListError."""
    rows = [row for row in rows if any(cell for cell in row)]
    if not rows:
        raise ListError(f"{path}: 文件为空")
    mapping = _header_map(rows[0])
    required = [str(c) for c in _manifest(name).get("required_columns", ["name"])]
    missing = [c for c in required if c not in mapping.values()]
    if missing:
        shown = "、".join(rows[0])
        shown = shown if len(shown) <= 200 else shown[:200] + f"…（共 {len(shown):,} 字）"
        raise ListError(f"{path}: 缺少必需的列 {'、'.join(missing)}（表头：{shown}）")
    records: list[dict[str, str]] = []
    errors: list[str] = []
    seen: dict[tuple[str, str], int] = {}
    warnings: list[str] = []
    for number, row in enumerate(rows[1:], start=2):
        record = {column: (row[i] if i < len(row) else "") for i, column in mapping.items()}
        if not record.get("name"):
            errors.append(f"第{number}行名称为空")
            continue
        if record.get("seq") and not record["seq"].isdigit():
            errors.append(f"第{number}行序号不是整数（{record['seq']}）")
        key = (normalize_name(record["name"]), record.get("section", ""))
        if key in seen:
            errors.append(f"第{number}行与第{seen[key]}行重复（{record['name']}）")
        seen.setdefault(key, number)
        records.append(record)
    names = [normalize_name(r["name"]) for r in records]
    warnings.extend(f"{n} 在多个类别中出现" for n in sorted({n for n in names if names.count(n) > 1}))
    if errors:
        shown = "；".join(errors[:5]) + (f"；等共{len(errors)}处" if len(errors) > 5 else "")
        raise ListError(f"{path}: {shown}")
    return records, warnings


def import_list(name: str, path: Path, version: str, *, home: Path, source: str | None = None) -> ImportReport:
    """Store ``path`` as a new version of ``name`` under ``home``; an existing version is never replaced."""
    if not _VERSION_RE.match(version):
        raise ListError(f"版本号 {version!r} 无效（只允许字母、数字、点、下划线和连字符）")
    if any(v.version == version for v in list_versions(name, home=home)):
        raise ListError(f"名单 {name} 已有版本 {version}；版本不可覆盖，请使用新的版本号")
    if not path.is_file():
        raise ListError(f"{path}: 文件不存在")
    records, warnings = validate_rows(name, read_table(path), path)
    columns = list(dict.fromkeys(["section", "seq", "name", *(k for r in records for k in r)]))
    present = [c for c in columns if any(r.get(c) for r in records) or c == "name"]
    folder = imported_dir(home, name)
    folder.mkdir(parents=True, exist_ok=True)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=present, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows(records)
    meta = {
        "version": version,
        "source": source or str(path),
        "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
        "imported_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "count": len(records),
    }
    try:
        with (folder / f"{version}.csv").open("x", encoding="utf-8", newline="") as handle:
            handle.write(buffer.getvalue())
    except FileExistsError as exc:
        raise ListError(f"名单 {name} 已有版本 {version}；版本不可覆盖") from exc
    (folder / f"{version}.yaml").write_text(yaml.safe_dump(meta, allow_unicode=True), encoding="utf-8")
    return ImportReport(reference=load_list(name, version, home=home), warnings=warnings)
