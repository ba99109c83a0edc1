"""Is a party read off a document the applicant? Name and credit code compared, each by its reading.

The name goes through the same structure-aware comparison as list matching, with the field's
text source deciding whether a look-alike may be ink (a scan) or is a different character (a
text layer, OFD, XML). The 统一社会信用代码 is the stronger key: equal codes make one party, and a
code one character apart where OCR confuses those characters (0/O/D, 8/B, 1/I …) is a question,
not a contradiction.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from matchers.names import same_entity
from matchers.names_config import Reading, reading_of
from matchers.reconcile import clean_text

NameOutcome = Literal["same", "lookalike", "different"]
CodeOutcome = Literal["equal", "lookalike", "different"]

# characters of an 18-character code that a recogniser mistakes for one another
_CODE_CONFUSIONS = ("0ODQ", "1IL7", "2Z", "5S", "8B", "6G", "UV", "MN", "HN")


@dataclass(frozen=True)
class NameComparison:
    outcome: NameOutcome
    reason: str
    lookalikes: tuple[dict[str, object], ...] = ()

    @property
    def same(self) -> bool:
        return self.outcome != "different"


@dataclass(frozen=True)
class CodeComparison:
    outcome: CodeOutcome
    position: int | None = None  # 1-based, the one differing character


def compare_names(name: str, applicant: str, source: str | None) -> NameComparison:
    """``lookalike`` when only OCR look-alikes make the two one name; asked both ways round."""
    reading: Reading = reading_of(source)
    for a, b in ((name, applicant), (applicant, name)):
        candidate = same_entity(a, b, reading)
        if candidate.verdict != "none":
            outcome: NameOutcome = "lookalike" if candidate.lookalikes else "same"
            return NameComparison(outcome, candidate.reason or "", tuple(candidate.lookalikes or ()))
    rejected = same_entity(name, applicant, reading)
    return NameComparison("different", rejected.reason or "")


def one_char_apart(a: str, b: str) -> int | None:
    """The 0-based position of the only differing character of two equal-length codes."""
    if len(a) != len(b):
        return None
    diffs = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
    return diffs[0] if len(diffs) == 1 else None


def _confusable(x: str, y: str) -> bool:
    return any(x in group and y in group for group in _CODE_CONFUSIONS)


def compare_codes(read: object, mine: object, source: str | None) -> CodeComparison:
    """Equal; one look-alike character apart on an OCR reading; or different."""
    a, b = clean_text(read), clean_text(mine)
    if a == b:
        return CodeComparison("equal")
    position = one_char_apart(a, b)
    if position is not None and reading_of(source) != "exact" and _confusable(a[position], b[position]):
        return CodeComparison("lookalike", position + 1)
    return CodeComparison("different", position + 1 if position is not None else None)
