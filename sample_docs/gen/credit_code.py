"""统一社会信用代码 (GB 32100-2015) with valid or deliberately broken check characters."""

from __future__ import annotations

import random

CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)

REGIONS = {
    "阳泉": ("140300", "140302", "140303", "140311", "140321", "140322"),
    "太原": ("140100", "140105", "140106", "140107", "140109"),
    "北京": ("110105", "110108", "110114"),
    "杭州": ("330106", "330108"),
    "郑州": ("410105",),
    "济南": ("370102",),
}


def check_char(first17: str) -> str:
    """The GB 32100-2015 check character for the first 17 characters."""
    total = sum(CHARSET.index(ch) * w for ch, w in zip(first17, WEIGHTS, strict=True))
    return CHARSET[(31 - total % 31) % 31]


def is_valid(code: str) -> bool:
    if len(code) != 18 or any(ch not in CHARSET for ch in code):
        return False
    return check_char(code[:17]) == code[17]


def _org_code(rng: random.Random) -> str:
    """A 9-character 组织机构代码 (GB 11714) with its own check character, "MA…" style."""
    body = "MA" + "".join(rng.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(6))
    values = [int(ch) if ch.isdigit() else ord(ch) - 55 for ch in body]
    c9 = 11 - sum(v * w for v, w in zip(values, _ORG_WEIGHTS, strict=True)) % 11
    return body + ("X" if c9 == 10 else "0" if c9 == 11 else str(c9))


def make(rng: random.Random, city: str = "阳泉") -> str:
    """A valid code for an enterprise (登记管理部门 9 = 工商, 类别 1 = 企业) registered in ``city``."""
    region = rng.choice(REGIONS.get(city, REGIONS["太原"]))
    first17 = "91" + region + _org_code(rng)
    return first17 + check_char(first17)


def make_institution(rng: random.Random) -> str:
    """A 事业单位 code (登记管理部门 1 = 机构编制, 类别 2 = 事业单位), e.g. a public college."""
    first17 = "12" + rng.choice(REGIONS["阳泉"]) + "".join(rng.choice("0123456789") for _ in range(8)) + "X"
    return first17 + check_char(first17)


def corrupt(code: str) -> str:
    """The same code with a wrong check character (as a typo in the last position would make)."""
    good = CHARSET.index(code[17])
    return code[:17] + CHARSET[(good + 7) % 31]
