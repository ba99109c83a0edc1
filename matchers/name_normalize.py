"""Normalisation of enterprise names before matching.

Names reach us typed by applicants, printed on invoices in full-width forms, scanned in
traditional characters or sprinkled with OCR debris; two writings of one registered name must
normalise to the same string, while anything that could distinguish two legal persons is kept.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import opencc

_OPEN_BRACKETS = "(（【〔［[{｛〖〘「『〈《"
_CLOSE_BRACKETS = ")）】〕］]}｝〗〙」』〉》"
_BRACKETS = str.maketrans({**dict.fromkeys(_OPEN_BRACKETS, "("), **dict.fromkeys(_CLOSE_BRACKETS, ")")})

# Characters OCR sprinkles into names (table rules, dots, quotes, label colons); none of them can
# tell two registered names apart.
_STRAY = re.compile(
    r"[\s\u200b-\u200f\u2060\ufeff|丨¦·•●○◆◇■□▪▫★☆※*＊_~`^'\"“”‘’.,，、。:：;；!！?？#@$%&+=<>/\\\-‐‑‒–—―─━…]"
)
_EMPTY_BRACKETS = re.compile(r"\(\)")
# Names made only of these (CJK unified ideographs are NFKC-stable) need no work but the t2s check.
_ALREADY_NORMAL = re.compile(r"(?:[\u4e00-\u9fff0-9A-Z)]|\((?!\)))*")
_MAX_PASSES = 4


@dataclass(frozen=True)
class NameForms:
    """The name as given and as compared, kept together so a reviewer sees both."""

    original: str
    normalized: str


@lru_cache(maxsize=1)
def _converter() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


@lru_cache(maxsize=1)
def _traditional_chars() -> frozenset[str]:
    """Every character t2s can change; a name without one skips the (slow, pure-Python) converter."""
    folder = Path(opencc.__file__).parent / "dictionary"
    chars: set[str] = set()
    for line in (folder / "TSCharacters.txt").read_text(encoding="utf-8").splitlines():
        key, _, values = line.partition("\t")
        if values.split(" ")[0] != key:
            chars.add(key)
    for line in (folder / "TSPhrases.txt").read_text(encoding="utf-8").splitlines():
        key, _, values = line.partition("\t")
        value = values.split(" ")[0]
        if len(key) != len(value):
            chars.update(key)
        else:
            chars.update(a for a, b in zip(key, value, strict=True) if a != b)
    return frozenset(chars)


def _to_simplified(text: str) -> str:
    if not any(ch in _traditional_chars() for ch in text):
        return text
    converted: str = _converter().convert(text)
    return converted


def _one_pass(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    text = _to_simplified(text)
    text = text.translate(_BRACKETS)
    text = _STRAY.sub("", text)
    text = _EMPTY_BRACKETS.sub("", text)
    return unicodedata.normalize("NFKC", text).upper()


@lru_cache(maxsize=65536)
def normalize_name(name: str) -> str:
    """NFKC, simplified characters, one bracket shape, no spaces or OCR debris, upper-case Latin.

    Applied until stable, so normalising twice changes nothing (matching relies on that).
    """
    if _ALREADY_NORMAL.fullmatch(name) and not any(ch in _traditional_chars() for ch in name):
        return name
    text = name
    for _ in range(_MAX_PASSES):
        again = _one_pass(text)
        if again == text:
            return again
        text = again
    return text


def name_forms(name: str) -> NameForms:
    """The original and the normalised name together."""
    return NameForms(original=name, normalized=normalize_name(name))


def strip_brackets(normalized: str) -> str:
    """The comparison key: brackets dropped, their content kept (腾讯云计算(北京) ≈ 腾讯云计算北京)."""
    return normalized.replace("(", "").replace(")", "")
