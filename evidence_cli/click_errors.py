"""click's own usage errors said in Chinese: the one line a back-office user reads after a typo.

click builds these messages in English; the exception carries what went wrong (the option, the
parameter, the possibilities), and the value's reason is read from click's sentence. A sentence
not known here is passed on unchanged rather than guessed at.
"""

from __future__ import annotations

import re

import click

_REASONS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^'(?P<v>.*)' is not a valid (?:integer|integer range)\.$"), "「{v}」不是整数"),
    (re.compile(r"^'(?P<v>.*)' is not a valid (?:float|float range)\.$"), "「{v}」不是数字"),
    (re.compile(r"^(?P<v>.*) is not in the range (?P<r>.*)\.$"), "{v} 不在允许范围 {r} 内"),
    (re.compile(r"^'(?P<v>.*)' is not one of (?P<r>.*)\.$"), "「{v}」不是可选值（{r}）之一"),
    (re.compile(r"^(?:File|Directory|Path) '(?P<v>.*)' does not exist\.$"), "「{v}」不存在"),
    (re.compile(r"^(?:File|Directory|Path) '(?P<v>.*)' is a directory\.$"), "「{v}」是目录，不是文件"),
    (re.compile(r"^(?:File|Directory|Path) '(?P<v>.*)' is a file\.$"), "「{v}」是文件，不是目录"),
)
_KINDS = {"argument": "参数", "option": "选项", "parameter": "参数"}
_NO_COMMAND = re.compile(r"^No such command '(?P<v>.*)'\.$")
_NEEDS_VALUE = re.compile(r"^Option '(?P<v>.*)' requires an? (?:argument|\d+ arguments)\.$")


def _reason(message: str) -> str:
    for pattern, chinese in _REASONS:
        found = pattern.match(message)
        if found:
            return chinese.format(**found.groupdict())
    return message


def _hint(exc: click.BadParameter) -> str:
    if exc.param_hint is not None:
        hint = exc.param_hint if isinstance(exc.param_hint, str) else " / ".join(exc.param_hint)
    elif exc.param is not None:
        hint = exc.param.get_error_hint(exc.ctx) if exc.ctx is not None else str(exc.param.name)
    else:
        hint = ""
    return hint.replace("'", "")


def usage_message(exc: click.ClickException) -> str:
    """The error in Chinese, ending in 。 (the caller adds where to read the command's help)."""
    if isinstance(exc, click.NoSuchOption):
        maybe = f"，是否想用 {'、'.join(sorted(exc.possibilities))}" if exc.possibilities else ""
        return f"没有选项 {exc.option_name}{maybe}。"
    if isinstance(exc, click.MissingParameter):
        kind = exc.param_type or (exc.param.param_type_name if exc.param is not None else "parameter")
        return f"缺少{_KINDS.get(kind, '参数')} {_hint(exc)}。"
    if isinstance(exc, click.BadParameter):
        return f"{_hint(exc)} 的值无效：{_reason(exc.message)}。"
    if isinstance(exc, click.UsageError):
        for pattern, chinese in ((_NO_COMMAND, "没有命令 {v}。"), (_NEEDS_VALUE, "选项 {v} 需要一个值。")):
            found = pattern.match(exc.message)
            if found:
                return chinese.format(**found.groupdict())
    return exc.format_message()
