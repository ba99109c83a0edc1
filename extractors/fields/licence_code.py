"""A 统一社会信用代码 read by OCR, repaired only where its check character leaves one possibility.

OCR confuses 0 with D/Q and 1 with L/T (and the letters the charset excludes with digits). The
check character (GB 32100-2015) tells a good reading from a bad one, but one check character can
only vouch for one change: a repair is taken only when exactly one single swap passes it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extractors.fields import credit_code

# look-alikes within the charset, both ways; letters outside it go through credit_code.repair first
LOOKALIKES: dict[str, str] = {
    "0": "DQ", "D": "0", "Q": "0", "1": "LT", "L": "1", "T": "1", "8": "B", "B": "8", "6": "G", "G": "6",
}  # fmt: skip
_CODE = re.compile(r"(?<![0-9A-Z])[0-9A-Z]{18}(?![0-9A-Z])")


@dataclass(frozen=True)
class CodeReading:
    """The code as reported, whether its check character passes, and whether we changed it."""

    value: str
    valid: bool
    repaired: bool


def read_code(raw: str) -> CodeReading:
    """The code with the look-alike repairs its check character allows."""
    code = raw.strip().upper()
    fixed = credit_code.repair(code)
    if credit_code.is_valid(fixed):
        return CodeReading(fixed, True, fixed != code)
    passing = {c for c in _single_swaps(fixed) if credit_code.is_valid(c)}
    if len(passing) == 1:
        return CodeReading(passing.pop(), True, True)
    return CodeReading(fixed, False, fixed != code)


def _single_swaps(code: str) -> list[str]:
    out: list[str] = []
    for i, ch in enumerate(code):
        for alt in LOOKALIKES.get(ch, ""):
            out.append(code[:i] + alt + code[i + 1 :])
    return out


def code_value(text: str) -> str | None:
    """The first 18-character code in ``text`` (a validator for the value after 统一社会信用代码)."""
    m = _CODE.search(text.upper().replace(" ", ""))
    if m is None or sum(c.isdigit() for c in m.group(0)) < 6:
        return None
    return m.group(0)
