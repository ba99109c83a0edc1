"""The audit log's before/after as Chinese text: labelled keys, codes and statuses named, no JSON."""

from __future__ import annotations

from typing import Any

from models.field_names import field_label
from review.labels import (
    CLOSING_LABELS,
    RUN_KIND_LABELS,
    SEVERITY_LABELS,
    code_label,
    list_label,
    list_version_label,
    status_label,
)

KEY_LABELS: dict[str, str] = {
    "code": "问题",
    "severity": "级别",
    "message": "说明",
    "status": "核验状态",
    "findings": "问题",
    "award_wan": "奖补（万元）",
    "decision": "决定",
    "comment": "意见",
    "result_id": "核验结果",
    "client": "来源地址",
    "value": "值",
    "reason": "理由",
    "username": "用户名",
    "role": "角色",
    "active": "启用",
    "password_changed": "已改密码",
    "wait_seconds": "需等待（秒）",
    "open_errors": "未排除的错误",
    "state": "处理情况",
    "rows": "行数",
    "query": "筛选条件",
    "policy_version": "政策版本",
    "list_versions": "名单版本",
    "run": "起因",
    "findings_added": "新增问题",
    "findings_removed": "消除问题",
}
CODE_LIST_KEYS = frozenset({"findings", "findings_added", "findings_removed"})
SYSTEM_ACTOR = "system"
ROLE_LABELS = {"admin": "管理员", "reviewer": "审核员"}
DECISION_LABELS = {**CLOSING_LABELS, "confirm": "确认问题", "dismiss": "排除问题"}


def _value(key: str, value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "是" if value else "否"
    if key == "code":
        return code_label(str(value))
    if key in CODE_LIST_KEYS and isinstance(value, list):
        return "、".join(code_label(str(v)) for v in value) or "无"
    if key == "status":
        return status_label(str(value))
    if key == "severity":
        return SEVERITY_LABELS.get(str(value), str(value))
    if key == "decision":
        return DECISION_LABELS.get(str(value), str(value))
    if key == "role":
        return ROLE_LABELS.get(str(value), str(value))
    if key == "list_versions" and isinstance(value, dict):
        return "，".join(f"{list_label(k)} {list_version_label(v)}" for k, v in sorted(value.items())) or "—"
    if key == "run":
        return RUN_KIND_LABELS.get(str(value), str(value))
    if key == "result_id":
        return f"第 {value} 次"
    if isinstance(value, dict):
        return "；".join(f"{KEY_LABELS.get(k, k)}：{_value(k, v)}" for k, v in value.items())
    if isinstance(value, list):
        return "；".join(_value(key, v) for v in value)
    return str(value)


def audit_text(data: dict[str, Any] | None) -> str:
    """``{"status": "pass", ...}`` → ``核验状态：通过；…``; empty when there is nothing."""
    if not data:
        return ""
    return "；".join(f"{KEY_LABELS.get(k, k)}：{_value(k, v)}" for k, v in data.items())


TARGET_LABELS = {
    "finding": "问题 #",
    "submission": "申报 #",
    "result": "核验结果 #",
    "reviewer": "审核员 #",
    "username": "用户名 ",
    "export": "导出 ",
    "field": "字段 ",
}


def target_text(target: str | None) -> str:
    """``finding:12`` → ``问题 #12``; a field target names the file and the field's Chinese label."""
    kind, _, rest = (target or "").partition(":")
    if kind == "field":
        file, _, name = rest.rpartition(":")
        return f"{file}「{field_label(name)}」"
    return f"{TARGET_LABELS[kind]}{rest}" if kind in TARGET_LABELS and rest else target or ""


def actor_text(actor: str) -> str:
    """Who acted: a reviewer's user name, or 系统 for what a run (batch, verify, recheck) did."""
    return "系统" if actor == SYSTEM_ACTOR else actor
