"""A contract's two parties: from 甲方/乙方 captions with role words, or from running text.

Captions: ``甲方（采购方）：×××``, ``委托方（甲方）：×××``, ``需方：×××``, or a header-table cell
``甲方（买方）`` with the name in the next cell. Running text: ``×××（以下简称"甲方"）``. A caption
must stand at the start of its line and be followed by a colon, a bracketed role or a cell border,
and the value must read as an organisation, so clause text such as ``乙方按照本合同约定向甲方提供…``
or ``…产品事宜协商订立本合同`` is never taken for a party.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from extractors.fields.contract_text import Joined, row_hit
from extractors.fields.layout import Hit, Row

# The role words contracts caption their parties with: the model contracts' own (技术合同示范文本:
# 委托方/受托方/研究开发方; 政府采购合同: 采购人/供应商; 建设工程: 发包人/承包人) and trade usage.
ROLES_A = (
    "甲方", "委托方", "采购方", "买方", "需方", "用户方", "发包方", "订购方", "委托人", "招标方",
    "采购人", "招标人", "发包人", "委托单位", "用户单位", "建设单位", "定作方", "定作人",
)  # fmt: skip
ROLES_B = (
    "乙方", "受托方", "服务方", "供应方", "卖方", "供方", "承接方", "承包方", "受托人", "中标方",
    "供应商", "中标人", "承包人", "供货方", "研究开发方", "开发方", "服务商", "服务提供方", "受托单位", "承建方",
    "承揽方", "承揽人",
)  # fmt: skip
ORG_ENDINGS = (
    "公司", "院", "所", "大学", "学院", "学校", "中心", "局", "委员会", "协会", "厂", "部", "社", "行",
    "站", "馆", "集团", "政府", "办公室", "办事处", "商店", "店", "会", "室", "队", "处", "场",
)  # fmt: skip
_ROLE = "|".join(sorted(ROLES_A + ROLES_B, key=len, reverse=True))
_CAPTION = re.compile(rf"^(?P<role>{_ROLE})(?:\((?P<paren>[^)]{{1,10}})\))?(?:单位名称|名称|全称)?(?P<colon>:)?")
_NOT_A_NAME = re.compile(r"盖章|签章|签字|签名|公章|授权代表|法定代表人")
_NEXT_LABEL = re.compile(
    r"(?:地址|住所|法定代表人|统一社会信用代码|纳税人识别号|联系人|联系电话|电话|开户|账号|邮编|传真|"
    r"甲方|乙方|签订|项目名称|合同编号)"
)
_RUNNING = re.compile(r"\((?:以下)?(?:简称|称)[:：]?[\"“”'‘’「」]?(?P<role>甲方|乙方)")
_STOPS = ',，。;；:：”"'
_CLAUSE_WORDS = re.compile(r"合同|协议|本着|根据|双方|约定|签订|甲乙")
_LEADING = re.compile(r"^(?:本合同由|本协议由|本合同是|本协议是|本合同|本协议|由|与|和|同|及|经|、)+")


def side(role: str, paren: str | None) -> str | None:
    """``party_a`` / ``party_b`` for a caption: 甲方/乙方 decide, else the bracket, else the role word."""
    for text in (role, paren or ""):
        if "甲方" in text:
            return "party_a"
        if "乙方" in text:
            return "party_b"
    if role in ROLES_A or (paren or "") in ROLES_A:
        return "party_a"
    if role in ROLES_B or (paren or "") in ROLES_B:
        return "party_b"
    return None


def organisation(text: str) -> str | None:
    """The organisation at the start of ``text``, cut at the next caption or punctuation."""
    value = re.split(r"[，。；;,、]", text.lstrip(":： "), maxsplit=1)[0]
    label = _NEXT_LABEL.search(value)
    value = value[: label.start()] if label else value
    value = value.strip(":：() ")
    if not 4 <= len(value) <= 60 or _NOT_A_NAME.search(value) or not value.endswith(ORG_ENDINGS):
        return None
    return value


_AFTER_COLON = re.compile(r"[:：]([\u4e00-\u9fff（）()]{1,10})$")


def from_colon(text: str, org: str) -> str:
    """``org`` with the characters between a colon and it put back: the recogniser of names cuts
    some at a word it knows (华为云计算技术有限公司 → 云计算技术有限公司), while a value after a
    caption's colon runs from the colon (unless what lies between is clause text or a lead-in)."""
    m = _AFTER_COLON.search(text[: text.find(org)])
    if m is None or _CLAUSE_WORDS.search(m[1]) or _LEADING.match(m[1]) or re.search("甲方|乙方", m[1]):
        return org
    return m[1] + org


def _caption_hit(row: Row, *, seals: bool) -> tuple[str, Hit] | None:
    """A captioned party; with ``seals`` only the signature block's ``甲方（盖章）：×××`` captions."""
    for index, (start, _end, placed) in enumerate(row.offsets()):
        m = _CAPTION.match(placed.text)
        if m is None or bool(m["paren"] and _NOT_A_NAME.search(m["paren"])) != seals:
            continue
        field = side(m["role"], m["paren"])
        rest = placed.text[m.end() :]
        if field is None or not (m["colon"] or m["paren"] or not rest):
            continue
        offset = start + m.end()
        if not rest.strip(":： ") and index + 1 < len(row.offsets()):
            offset, rest = row.offsets()[index + 1][0], row.offsets()[index + 1][2].text
        name = organisation(rest)
        if name is None:
            continue
        lead = len(rest) - len(rest.lstrip(":： ("))
        hit = row_hit(row, offset + lead, offset + lead + len(name), name)
        if hit is not None:
            return field, hit
    return None


def from_captions(rows: Sequence[Row], *, seals: bool = False) -> dict[str, Hit]:
    """The first captioned party of each side, in reading order."""
    found: dict[str, Hit] = {}
    for row in rows:
        got = _caption_hit(row, seals=seals)
        if got is not None and got[0] not in found:
            found[got[0]] = got[1]
    return found


def _stop(text: str, i: int) -> bool:
    """Punctuation ends the text before a name; a bracket only when it closes a role such as
    ``（以下简称“甲方”）``, not the ``（北京）`` inside a name."""
    if text[i] in _STOPS:
        return True
    return text[i] in ")）" and i > 0 and (text[i - 1] in _STOPS or text[i - 1] == "方")


def _name_before(joined: Joined, end: int) -> tuple[int, str] | None:
    """The organisation ending at ``end``: it starts after punctuation, at a row start or after
    由/与; of the readings that are organisations and hold no clause words, the longest (a name
    wrapped over two rows is whole, a lead-in such as 本合同由 is not part of it)."""
    lo = end
    while lo > 0 and end - lo < 70 and not _stop(joined.text, lo - 1):
        lo -= 1
    row_starts = {s for s in joined.starts if lo <= s < end}
    starts = {lo} | row_starts | {i + 1 for i in range(lo, end) if joined.text[i] in "由与"}
    best: tuple[int, str] | None = None
    for start in sorted(starts):
        lead = _LEADING.match(joined.text[start:end])
        begin = start + (lead.end() if lead else 0)
        candidate = joined.text[begin:end]
        name = organisation(candidate)
        if name == candidate and not _CLAUSE_WORDS.search(name) and (best is None or len(name) > len(best[1])):
            best = (begin, name)
    return best


def from_running_text(rows: Sequence[Row]) -> dict[str, Hit]:
    """``×××（以下简称"甲方"）`` anywhere in the joined text (names may wrap over rows)."""
    joined = Joined.of(rows)
    found: dict[str, Hit] = {}
    for m in _RUNNING.finditer(joined.text):
        field = "party_a" if m["role"] == "甲方" else "party_b"
        named = _name_before(joined, m.start())
        if named is None or field in found:
            continue
        hit = joined.hit(named[0], named[0] + len(named[1]), named[1])
        if hit is not None:
            found[field] = hit
    return found


def parties(rows: Sequence[Row]) -> dict[str, Hit]:
    """Captions first (they name the party as the contract defines it), running text for what is left,
    then the names written beside 甲方（盖章）/乙方（盖章） in the signature block."""
    found = from_captions(rows)
    for field, hit in (from_captions(rows, seals=True) | from_running_text(rows)).items():
        found.setdefault(field, hit)
    return found
