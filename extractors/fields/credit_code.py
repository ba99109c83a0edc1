"""统一社会信用代码 check character (GB 32100-2015), and the OCR repairs it makes safe.

The check character lets us tell a misread code from a good one, so a code that passes can be
reported with high confidence and one that fails is flagged rather than silently trusted.
"""

from __future__ import annotations

CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_VALUE = {ch: i for i, ch in enumerate(CHARSET)}

# Letters the standard excludes (I, O, S, V, Z) are OCR misreadings of these characters.
_UNAMBIGUOUS_FIXES = str.maketrans({"I": "1", "O": "0", "S": "5", "Z": "2", "V": "U"})


def check_character(first17: str) -> str:
    """The 18th character for the first 17; raises ``ValueError`` on a character outside the charset."""
    if len(first17) != 17:
        raise ValueError("统一社会信用代码前17位长度不对")
    total = 0
    for ch, weight in zip(first17.upper(), WEIGHTS, strict=True):
        if ch not in _VALUE:
            raise ValueError(f"统一社会信用代码含非法字符 {ch!r}")
        total += _VALUE[ch] * weight
    return CHARSET[(31 - total % 31) % 31]


def is_valid(code: str) -> bool:
    """True when ``code`` is 18 characters of the charset and its check character is right."""
    code = code.strip().upper()
    if len(code) != 18:
        return False
    try:
        return check_character(code[:17]) == code[17]
    except ValueError:
        return False


def looks_like_credit_code(code: str) -> bool:
    """18 characters: a 统一社会信用代码 rather than an old 15/20-character 纳税人识别号."""
    return len(code.strip()) == 18


def repair(code: str) -> str:
    """Replace letters the charset excludes by the digit OCR confused them with; never other edits."""
    return code.strip().upper().translate(_UNAMBIGUOUS_FIXES)
