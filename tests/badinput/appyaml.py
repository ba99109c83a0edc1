"""Broken ``application.yaml`` files: each must give an error result, never a crash or a hang."""

from __future__ import annotations

from tests.badinput.good import APPLICANT

INVALID = "applicant:\n  name: [未闭合\n    credit_code: 9114\n\tclauses: {cloud\n"

WRONG_TYPES = (
    "applicant: 山西示例科技有限公司\n"  # a string where a mapping is needed
    "policy: [yangquan-2024]\n"
    "clauses: cloud\n"
    "application_date: 去年五月\n"
    "claimed_award_wan: 十万\n"
)


def yaml_bomb() -> str:
    """Billion laughs with anchors: 9 levels of 9 aliases, 9**9 leaves if anyone expands it."""
    lines = ['l0: &l0 ["哈哈哈哈哈哈哈哈", "哈哈哈哈哈哈哈哈"]']
    for level in range(1, 10):
        aliases = ", ".join([f"*l{level - 1}"] * 9)
        lines.append(f"l{level}: &l{level} [{aliases}]")
    lines += [
        "applicant:",
        f"  name: {APPLICANT}",
        "policy: yangquan-2024",
        "clauses: *l9",
        "application_date: 2024-05-20",
    ]
    return "\n".join(lines) + "\n"


def deep_nesting(depth: int = 10_000) -> str:
    """A value nested 10,000 flow sequences deep (20 KB): recursive parsers run out of stack."""
    return (
        f"applicant:\n  name: {APPLICANT}\npolicy: yangquan-2024\n"
        f"clauses: {'[' * depth}cloud{']' * depth}\napplication_date: 2024-05-20\n"
    )
