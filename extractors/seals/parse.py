"""A stamp's text → its kind, the organisation names on it and its 18-character credit code."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from extractors.fields.credit_code import is_valid, repair
from models.document import SealKind

_WORDS = Path(__file__).with_name("words.yaml")
_CODE_RUN = re.compile(r"[0-9A-Z]{15,20}")
_NOT_NAME = re.compile(r"[^\u3400-\u9fff（）()]")


@dataclass(frozen=True, slots=True)
class Words:
    kinds: tuple[tuple[SealKind, tuple[str, ...]], ...]
    endings: tuple[str, ...]


@cache
def words() -> Words:
    data = yaml.safe_load(_WORDS.read_text(encoding="utf-8"))
    kinds = tuple((item["kind"], tuple(item["phrases"])) for item in data["kinds"])
    return Words(kinds=kinds, endings=tuple(sorted(data["name_endings"], key=len, reverse=True)))


def compact(text: str) -> str:
    """Spaces and OCR punctuation noise removed; full-width letters and digits made ASCII."""
    folded = text.translate({code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)})
    return re.sub(r"[\s·.,，。:：;；'\"“”‘’*★☆_\-—~]+", "", folded)


def kind_of(text: str, *, star: bool, names: list[str]) -> SealKind:
    """The kind its words say; a round stamp with a star and a name but no such words is a 公章."""
    flat = compact(text)
    for kind, phrases in words().kinds:
        if any(phrase in flat for phrase in phrases):
            return kind
    return "official_seal" if star and names else "other"


def names_in(arc: str) -> list[str]:
    """The organisation names on the arc text: CJK runs cut after a known ending, kind words removed."""
    flat = _NOT_NAME.sub("", compact(arc))
    for _, phrases in words().kinds:
        for phrase in phrases:
            flat = flat.replace(phrase, " ")
    out: list[str] = []
    for chunk in flat.split():
        name = _cut_at_ending(chunk)
        if name is not None and name not in out:
            out.append(name)
    return out


def _cut_at_ending(chunk: str) -> str | None:
    """``chunk`` up to its last organisation ending; None when it has none or is too short."""
    best = -1
    for ending in words().endings:
        at = chunk.rfind(ending)
        if at >= 0:
            best = max(best, at + len(ending))
    if best < 4:
        return None
    return chunk[:best]


def credit_code_in(text: str) -> tuple[str | None, bool]:
    """The credit code printed on the stamp and whether its check character holds.

    An 18-character run is repaired (letters the standard excludes) and kept only when valid;
    a 15- or 20-character old 纳税人识别号 is kept as printed (it has no check character).
    """
    flat = compact(text).upper()
    runs = _CODE_RUN.findall(flat)
    for run in runs:
        for start in range(0, len(run) - 17):
            candidate = repair(run[start : start + 18])
            if is_valid(candidate):
                return candidate, True
    for run in runs:
        if len(run) in (15, 20) and sum(ch.isdigit() for ch in run) >= len(run) - 4:
            return run, False
    return None, False
