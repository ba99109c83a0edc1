"""Why a recheck changed a verdict: list entries added or removed, a new policy version, or a
reviewer's correction. Reasons are Chinese, for the reviewer; names come from the findings."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from models import Document, Finding, Result

_LIST_FIELDS = {"PROVIDER_NOT_ON_LIST", "PROVIDER_FUZZY_MATCH", "APPLICANT_NOT_ON_XINCHUANG_LIST"}


def _names(findings: list[Finding], docs: Mapping[str, Document], applicant: str | None) -> set[str]:
    """The names list findings were about: the fields they cite, their candidates, the applicant."""
    out: set[str] = set()
    for finding in findings:
        if str(finding.code) not in _LIST_FIELDS:
            continue
        if "applicant.name" in finding.fields and applicant:
            out.add(applicant)
        for path in finding.documents:
            doc = docs.get(path)
            for name in finding.fields:
                value = doc.field_value(name) if doc is not None else None
                if isinstance(value, str) and value:
                    out.add(value)
        candidate = finding.details.get("candidate")
        if isinstance(candidate, str) and candidate:
            out.add(candidate)
    return out


_diffs: dict[tuple[Path, str, str, str], tuple[Any, str]] = {}


def _diff(home: Path, name: str, old: str, new: str) -> tuple[Any, str]:
    """The diff between two versions and the list's own title (its manifest's, in Chinese).

    Versions never change once imported, so both are computed once per process and home.
    """
    from matchers.reference import diff_versions, load_list

    key = (home, name, old, new)
    if key not in _diffs:
        _diffs[key] = (diff_versions(name, old, new, home=home), load_list(name, new, home=home).title or name)
    return _diffs[key]


def explain(old: Result | None, new: Result, docs: Mapping[str, Document], *, home: Path) -> list[str]:
    """One line per cause found; a generic line when the cause is not a list, policy or name.
    ``home`` holds the imported list versions the two results were matched against."""
    from matchers.name_normalize import normalize_name
    from matchers.reference import ListError

    if old is None:
        return ["首次核验"]
    reasons: list[str] = []
    applicant = new.applicant.name if new.applicant else None
    names = {normalize_name(n): n for n in _names(old.findings + new.findings, docs, applicant)}
    if not names and applicant:
        names = {normalize_name(applicant): applicant}
    for list_name, version in sorted(new.list_versions.items()):
        before = old.list_versions.get(list_name)
        if before is None or str(before) == str(version):
            continue
        try:
            diff, title = _diff(home, list_name, str(before), str(version))
        except (ListError, OSError, ValueError):
            reasons.append(f"名单 {list_name} 由第{before}版更新为第{version}版")
            continue
        hits = []
        for entry in diff.added:
            if normalize_name(entry.name) in names:
                hits.append(f"「{entry.name}」已加入{title}（第{version}版）")
        for entry in diff.removed:
            if normalize_name(entry.name) in names:
                hits.append(f"「{entry.name}」已从{title}（第{version}版）中移除")
        counts = f"新增 {len(diff.added)} 家、移除 {len(diff.removed)} 家"
        reasons += hits or [f"{title}由第{before}版更新为第{version}版（{counts}）"]
    if old.policy_version != new.policy_version:
        reasons.append(f"政策 {new.policy} 版本由 {old.policy_version} 更新为 {new.policy_version}")
    if not reasons:
        reasons.append("核验规则、审核人更正或其他申报（重复的发票或证书）发生变化")
    return reasons
