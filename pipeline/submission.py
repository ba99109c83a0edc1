"""A submission folder to a Result, as plain functions the flows can wrap as tasks.

``find_documents`` → ``read_documents`` (one ``process_file`` per file) → ``evaluate``;
``verify_directory`` composes them. ``evaluate_matched`` is the only caller of
``checks.evaluate_submission``. Nothing here imports Prefect.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from checks.base import Matching
from checks.evaluate import Evidence, evaluate_submission
from checks.policy import Policy, PolicyError, load_policy
from models.application import Application
from models.document import Document
from models.errors import EvidenceError
from models.file_names import valid_utf8
from models.result import Result
from models.settings import Settings

APPLICATION_FILE = "application.yaml"
SUPPORTED_SUFFIXES = frozenset(
    {".pdf", ".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp", ".webp", ".gif", ".xlsx", ".csv", ".ofd", ".xml"}
)
MAX_APPLICATION_BYTES = 64 * 1024
MAX_DEPTH = 4


class ApplicationError(EvidenceError):
    """application.yaml missing or unusable; ``reason`` is Chinese, for the person who filed it."""

    def __init__(self, path: Path | str, reason: str) -> None:
        super().__init__(reason)
        self.path = str(path)

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


class _NoAliasLoader(yaml.SafeLoader):
    """SafeLoader that refuses aliases: no billion-laughs expansion from a hostile application.yaml."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            raise yaml.YAMLError("YAML 别名（*alias）不被允许")
        return super().compose_node(parent, index)


def _is_inside(path: Path, root: Path) -> bool:
    try:
        path.resolve().relative_to(root)
    except (ValueError, OSError, RuntimeError):
        return False
    return True


def scan_folder(directory: Path) -> tuple[list[Path], list[tuple[str, str]]]:
    """Documents to read, and files refused with a reason (symlinks leading out of the folder).

    Files with other extensions are not part of a submission (docs/REFERENCE.md §2) and are ignored;
    hidden files too. Directories are entered (not through symlinks); a directory named like a
    document (x.pdf) is refused as not a document.
    """
    root = directory.resolve()
    found: list[Path] = []
    refused: list[tuple[str, str]] = []

    def walk(folder: Path, depth: int) -> None:
        try:
            entries = sorted(folder.iterdir(), key=lambda p: p.name)
        except OSError:
            return
        for entry in entries:
            if entry.name.startswith(".") or (depth == 0 and entry.name == APPLICATION_FILE):
                continue
            if entry.is_symlink():
                if entry.suffix.lower() in SUPPORTED_SUFFIXES and not _is_inside(entry, root):
                    refused.append((relative_name(entry, directory), "符号链接指向申报文件夹之外，出于安全未读取"))
                    continue
                if entry.is_dir():
                    continue
            if entry.is_dir():
                if entry.suffix.lower() in SUPPORTED_SUFFIXES:
                    refused.append((relative_name(entry, directory), "这是一个目录，不是文件（名称像文档）"))
                elif depth < MAX_DEPTH:
                    walk(entry, depth + 1)
            elif entry.is_file() and entry.suffix.lower() in SUPPORTED_SUFFIXES:
                found.append(entry)

    walk(directory, 0)
    return found, refused


def find_documents(directory: Path) -> list[Path]:
    """The files of a submission the readers should read (supported extensions, never outside it)."""
    return scan_folder(Path(directory))[0]


def load_application(directory: Path) -> Application:
    """Parse and validate application.yaml (size-capped, no aliases); ApplicationError says why not."""
    path = Path(directory) / APPLICATION_FILE
    if path.is_symlink() and not _is_inside(path, Path(directory).resolve()):
        raise ApplicationError(path, f"{APPLICATION_FILE} 是指向申报文件夹之外的符号链接，出于安全未读取")
    if not path.is_file():
        raise ApplicationError(path, f"缺少 {APPLICATION_FILE}（申报书：申报单位、政策、条款、申报日期）")
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_APPLICATION_BYTES + 1)
    except OSError as exc:
        raise ApplicationError(path, f"无法读取：{exc.strerror or exc}") from exc
    if len(raw) > MAX_APPLICATION_BYTES:
        raise ApplicationError(path, f"文件过大（超过 {MAX_APPLICATION_BYTES // 1024} KB），不像申报书")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ApplicationError(path, "不是 UTF-8 编码的文本") from exc
    try:
        data = yaml.load(text, Loader=_NoAliasLoader)
    except yaml.YAMLError as exc:
        raise ApplicationError(path, f"YAML 格式错误{_yaml_position(exc)}：{_first_line(exc)}") from exc
    except RecursionError as exc:
        raise ApplicationError(path, "YAML 嵌套层数过深，不像申报书") from exc
    except ValueError as exc:  # the YAML parser builds dates and integers itself: 2024-13-01 fails there
        if "digits" in str(exc):
            raise ApplicationError(path, "含位数过多的数字（超过 4300 位），不是有效数值") from exc
        raise ApplicationError(path, f"含不存在的日期或无法识别的值（{exc}），日期格式应为 YYYY-MM-DD") from exc
    if data is None:
        raise ApplicationError(path, "文件为空")
    if not isinstance(data, dict):
        raise ApplicationError(path, "顶层应为键值映射（applicant、policy、clauses、application_date …）")
    try:
        application = Application.model_validate(data)
    except ValidationError as exc:
        raise ApplicationError(path, "字段不合规：" + _validation_reason(exc)) from exc
    try:
        load_policy(application.policy)
    except PolicyError as exc:
        raise ApplicationError(path, str(exc)) from exc
    return application


def _yaml_position(exc: yaml.YAMLError) -> str:
    """Where the parser stopped, counted from 1 as editors do."""
    mark = getattr(exc, "problem_mark", None)
    return f"（第 {mark.line + 1} 行第 {mark.column + 1} 列）" if mark is not None else ""


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


# what the person who filed application.yaml reads: the key, its meaning, and what is wrong in Chinese
_APPLICATION_KEYS = {
    "applicant": "申报单位",
    "name": "名称",
    "credit_code": "统一社会信用代码",
    "policy": "政策",
    "clauses": "申报条款",
    "application_date": "申报日期",
    "claimed_award_wan": "申请奖励金额（万元）",
    "prior_awards": "已获奖励",
    "cert_type": "证书类型",
    "level": "等级",
    "amount_wan": "金额（万元）",
    "year": "年度",
}
_PROBLEMS = {
    "missing": "缺少此项",
    "string_too_short": "不能为空",
    "string_type": "应为文本",
    "literal_error": "取值不在允许范围内",
    "date_from_datetime_parsing": "应为日期，格式 YYYY-MM-DD",
    "date_parsing": "应为日期，格式 YYYY-MM-DD",
    "date_type": "应为日期，格式 YYYY-MM-DD",
    "float_parsing": "应为数字",
    "float_type": "应为数字",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "int_from_float": "应为整数",
    "list_type": "应为列表（每行以 - 开头）",
    "too_short": "至少需要一项",
    "model_type": "应为键值映射",
    "dict_type": "应为键值映射",
    "extra_forbidden": "不认识的键",
}


def _validation_reason(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors()[:5]:
        keys = [
            str(p) if isinstance(p, int) else f"{p}（{_APPLICATION_KEYS[p]}）" if p in _APPLICATION_KEYS else str(p)
            for p in err["loc"]
        ]
        where = ".".join(keys) or "(顶层)"
        problem = _PROBLEMS.get(err["type"], err["msg"].removeprefix("Value error, "))
        if err["type"] == "literal_error" and "expected" in err.get("ctx", {}):
            problem += f"（可选：{str(err['ctx']['expected']).replace(' or ', ', ')}）"
        parts.append(f"{where}：{problem}")
    return "；".join(parts)


def relative_name(path: Path, directory: Path) -> str:
    """The path as shown to reviewers and stored: relative, and valid UTF-8 even for a GBK-encoded file
    name (JSON and the store cannot hold surrogates)."""
    try:
        text = path.relative_to(directory).as_posix()
    except ValueError:
        text = path.name
    return valid_utf8(text)


Processor = Callable[[Path], Document]


def read_documents(
    directory: Path, paths: list[Path], process: Processor
) -> tuple[list[Document], list[tuple[str, str]]]:
    """Read each file; a DocumentReadError becomes (relative path, reason) and the rest continues."""
    from extractors.errors import DocumentReadError

    documents: list[Document] = []
    unreadable: list[tuple[str, str]] = []
    for path in paths:
        rel = relative_name(path, directory)
        try:
            doc = process(path)
        except DocumentReadError as exc:
            unreadable.append((rel, exc.reason))
            continue
        documents.append(doc.model_copy(update={"path": rel}))
    return documents, unreadable


def policy_lists(policy: Policy) -> list[str]:
    """Reference lists the policy's clauses match against."""
    return sorted({name for rules in policy.clauses.values() for name in rules.lists()})


def load_lists(policy: Policy, versions: Mapping[str, str] | None = None, *, home: Path | None) -> dict[str, Any]:
    """The current (or pinned) version of each list the policy needs, via ``matchers.reference``,
    with the versions imported under ``home`` (``Settings.home``; None: the bundled only)."""
    from matchers.reference import load_list

    pinned = versions or {}
    return {name: load_list(name, pinned.get(name), home=home) for name in policy_lists(policy)}


@functools.cache
def bundled_lists() -> dict[str, Any]:
    """Every list at its latest bundled version. ``evidence eval`` scores against these whatever has
    been imported since: the corpus truth was written against them, and a figure that moved because
    a list changed would not be an accuracy figure."""
    from matchers.reference import available_lists, load_list

    return {name: load_list(name, home=None) for name in available_lists()}


def build_matching(lists: Mapping[str, Any]) -> Matching:
    """Wrap loaded reference lists in ``matchers.names`` matchers for the checks."""
    from matchers.names import NameMatcher, same_entity

    def same(a: str, b: str) -> bool:
        return same_entity(a, b).verdict != "none"

    return Matching(
        lists={name: NameMatcher(ref) for name, ref in lists.items()},
        same_entity=same,
        versions={name: str(ref.version) for name, ref in lists.items()},
    )


def evaluate_read(
    application: Application,
    documents: list[Document],
    unreadable: list[tuple[str, str]],
    *,
    lists: Mapping[str, Any],
    policy: Policy,
    other_invoices: Mapping[str, str] | None = None,
    submission: str = "",
) -> Result:
    """A Result from read documents; ``lists`` maps list name → ``matchers.reference.ReferenceList``."""
    evidence = Evidence(application, documents, unreadable, dict(other_invoices or {}), submission)
    return evaluate_matched(evidence, policy=policy, matching=build_matching(lists))


def evaluate_matched(evidence: Evidence, *, policy: Policy, matching: Matching) -> Result:
    """The one way to a verdict: eval and the review's re-check (through ``evaluate_read``), verify, batch
    and recheck (``flows.work.evaluate_recorded``, with a memoised, recording ``matching``) all come
    here, so what ``evidence eval`` measures is what users get."""
    return evaluate_submission(evidence, policy=policy, matching=matching)


def error_result(directory: Path, reason: str) -> Result:
    return Result(submission=str(directory), status="error", error=reason)


def verify_directory(
    directory: Path,
    *,
    settings: Settings,
    engine: Any = None,
    lists: Mapping[str, Any] | None = None,
    other_invoices: Mapping[str, str] | None = None,
    process: Processor | None = None,
) -> Result:
    """Verify one submission folder end to end; an unusable application.yaml gives an error Result."""
    directory = Path(directory)
    if not directory.is_dir():
        return error_result(directory, f"{directory}: 申报文件夹不存在或不是目录")
    try:
        application = load_application(directory)
    except ApplicationError as exc:
        return error_result(directory, str(exc))
    policy = load_policy(application.policy)
    if process is None:
        from extractors.process import process_file

        def process(path: Path) -> Document:
            return process_file(path, engine=engine, settings=settings)

    paths, refused = scan_folder(directory)
    documents, unreadable = read_documents(directory, paths, process)
    return evaluate_read(
        application,
        documents,
        refused + unreadable,
        lists=lists if lists is not None else load_lists(policy, home=settings.home),
        policy=policy,
        other_invoices=other_invoices,
        submission=os.fspath(directory),
    )
