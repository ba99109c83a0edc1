"""A government body's name read off a stamp, mended to the body it can only be.

Why: the stamps of the bodies that approve a certificate (江苏省科学技术厅、…国家税务局) are small
and their arcs thin, so a character or two come out wrong (江苏省区家校务局). Their names are a
closed set, a province and a department (``authorities.yaml``), unlike a company's: a reading
that starts with a province (one character off) and whose rest is within two edits of exactly one
department, and nearer to it than to any other, is that body. The mended name is worth no more
than ``MENDED_CAP``: it is a reading, not a print.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from pathlib import Path

import yaml
from rapidfuzz.distance import Levenshtein

_DATA = Path(__file__).with_name("authorities.yaml")
MENDED_CAP = 0.5
_MAX_SHARE = 0.4


@cache
def _names() -> tuple[tuple[str, ...], tuple[str, ...]]:
    data = yaml.safe_load(_DATA.read_text(encoding="utf-8"))
    return tuple(data["provinces"]), tuple(data["departments"])


def mended(name: str) -> str | None:
    """The body ``name`` names, where it differs from it by a misread or two; None otherwise
    (already exact, not a province's body, or as near to two provinces or departments)."""
    provinces, departments = _names()
    province = _nearest(provinces, lambda p: name[: len(p)], 1)
    if province is None or len(name) == len(province):
        return None
    rest = name[len(province) :]
    dept = _nearest(departments, lambda _: rest, max(1, int(_MAX_SHARE * len(rest))))
    if dept is None:
        return None
    body = province + dept
    return body if body != name else None


def _nearest(choices: tuple[str, ...], part: Callable[[str], str], most: int) -> str | None:
    """The one choice within ``most`` edits of ``part(choice)``, nearer than every other; else None."""
    ranked = sorted((Levenshtein.distance(part(choice), choice), choice) for choice in choices)
    (best, choice), runner = ranked[0], ranked[1][0]
    if best > most or best == runner:
        return None
    return choice
