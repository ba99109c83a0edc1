"""Grow the labelled set (matchers/eval/extra.csv): glyph look-alikes, numerals, 有限/有限责任, real names.

Reproducible (fixed seed): ``python -m matchers.eval.build_extra``. Queries are built against the two
product lists and against ``real_names`` (real_names.csv: enterprise names from real public
documents, names only), so the matcher is also measured on names nobody tuned it for. The kinds:

- ``lookalike``: one character swapped for a look-alike from the generated glyph table (a close
  shape, or a weaker one the recogniser also confuses); ``lookalike_unconfirmed``: a weaker shape
  the recogniser does not confuse (outside the recall target, like ``ocr_unlisted``);
- ``numeral`` / ``numeral_miss``: the 字号's number written in another form / a different number;
- ``org_form``: 有限公司 for 有限责任公司 and back (the same legal form, matching.yaml);
- ``branch``, ``near_miss``, ``exact`` for the real names, as in build.py.
"""

from __future__ import annotations

import csv
import random
from collections.abc import Iterator
from pathlib import Path

from matchers.eval.build import EVAL_DIR, Case, Listed, near_miss_variants, unique_cases, write_cases
from matchers.name_normalize import normalize_name
from matchers.names_config import default_thresholds, load_lookalikes
from matchers.names_parse import parse_name
from matchers.numerals import chinese_value
from matchers.reference import ReferenceList, available_lists, load_list
from models.matching import ListEntry

EXTRA = EVAL_DIR / "extra.csv"
REAL_NAMES = EVAL_DIR / "real_names.csv"
REAL_LIST = "real_names"
SEED = 20261203
_LOWER = "零一二三四五六七八九"
_UPPER = "零壹贰叁肆伍陆柒捌玖"
_LOWER_UNITS = ("", "十", "百", "千")
_UPPER_UNITS = ("", "拾", "佰", "仟")
_NUMERAL_CHARS = set(_LOWER + _UPPER + "十百千拾佰仟〇两")


def real_names_list() -> ReferenceList:
    """The eval-only list of real enterprise names (never a product list)."""
    with REAL_NAMES.open(encoding="utf-8", newline="") as handle:
        names = [row["name"] for row in csv.DictReader(handle)]
    return ReferenceList(name=REAL_LIST, version="1", entries=[ListEntry(name=n) for n in names])


def reference_for(list_name: str) -> ReferenceList:
    return real_names_list() if list_name == REAL_LIST else load_list(list_name, "1", home=None)


def chinese_number(value: int, *, upper: bool) -> str:
    """3 → 三, 360 → 三百六十 (叁佰陆拾 when ``upper``), for 1 ≤ value < 10000."""
    digits, units = (_UPPER, _UPPER_UNITS) if upper else (_LOWER, _LOWER_UNITS)
    text = str(value)
    out: list[str] = []
    for i, ch in enumerate(text):
        power = len(text) - 1 - i
        if ch == "0":
            if out and out[-1] != digits[0] and any(c != "0" for c in text[i:]):
                out.append(digits[0])
            continue
        out.append(digits[int(ch)] + units[power])
    written = "".join(out)
    return written[1:] if not upper and written.startswith("一十") else written


def _numeral_runs(name: str) -> Iterator[tuple[int, int, int]]:
    """(start, end, value) of each Chinese numeral run of two or more characters."""
    i = 0
    while i < len(name):
        j = i
        while j < len(name) and name[j] in _NUMERAL_CHARS:
            j += 1
        value = chinese_value(name[i:j]) if j - i >= 2 else None
        if value is not None and 0 < value < 10000:
            yield i, j, value
        i = max(j, i + 1)


def numeral_variants(item: Listed, rng: random.Random) -> Iterator[Case]:
    for start, end, value in _numeral_runs(item.name):
        head, tail = item.name[:start], item.name[end:]
        forms = {
            "阿拉伯数字": str(value),
            "小写": chinese_number(value, upper=False),
            "大写": chinese_number(value, upper=True),
        }
        if "0" in str(value):
            forms["O/0混淆"] = str(value).replace("0", "O")
        for note, written in forms.items():
            if written != item.name[start:end]:
                yield Case("numeral", head + written + tail, item.name, "same", f"数字写法：{note}")
        other = value + rng.choice([1, 10, -1]) if value > 10 else value + 1
        yield Case("numeral_miss", head + str(other) + tail, "", "", f"数值不同 {value}→{other}")
        yield Case("numeral_miss", head + chinese_number(other, upper=True) + tail, "", "", "大写数值不同")


def lookalike_variants(item: Listed, rng: random.Random) -> Iterator[Case]:
    """Two single look-alike swaps from the glyph table: one close shape, one any listed pair."""
    th = default_thresholds()
    table = load_lookalikes()
    org_start = len(item.name) - len(item.parsed.org_form)
    spots = [
        (i, b, look)
        for i, ch in enumerate(item.name[:org_start])
        for (a, b), look in table.items()
        if a == ch and look.source == "glyph" and b not in item.name
    ]
    strong = sorted((i, b) for i, b, look in spots if look.strong(th))
    weak = sorted((i, b) for i, b, look in spots if not look.strong(th))
    for pool, note in ((strong, "字形相近"), (weak, "字形较近")):
        if pool:
            i, b = rng.choice(pool)
            # a shape pair the recogniser never reads one for the other (天→果) is no OCR slip: like
            # ocr_unlisted, it cannot be told from a different name, so it is reported, not targeted
            kind = "lookalike" if table[(item.name[i], b)].usable(th) else "lookalike_unconfirmed"
            yield Case(kind, item.name[:i] + b + item.name[i + 1 :], item.name, "same", f"{note}{item.name[i]}→{b}")


def org_form_variants(item: Listed, rng: random.Random) -> Iterator[Case]:
    name = item.name
    if item.parsed.org_form.endswith("有限责任公司"):
        yield Case("org_form", name.replace("有限责任公司", "有限公司"), name, "same", "有限责任公司写作有限公司")
    elif item.parsed.org_form == "有限公司":
        yield Case("org_form", name.replace("有限公司", "有限责任公司"), name, "same", "有限公司写作有限责任公司")


def real_variants(item: Listed, rng: random.Random) -> Iterator[Case]:
    yield Case("exact", item.name, item.name, "same", "原文")
    if item.parsed.branch is None and item.parsed.org_form.endswith("公司"):
        yield Case(
            "branch", item.name + rng.choice(["阳泉", "太原市", "山西"]) + "分公司", item.name, "branch_of", "分公司"
        )
        yield Case("near_miss", item.name + "太原子公司", "", "", "子公司")
    yield from near_miss_variants(item, rng)


def _items() -> list[Listed]:
    items = [
        Listed(name, e.name, parse_name(e.name).as_written)
        for name in available_lists()
        for e in load_list(name, "1", home=None).entries
    ]
    items += [Listed(REAL_LIST, e.name, parse_name(e.name).as_written) for e in real_names_list().entries]
    return items


def build_extra() -> list[tuple[str, Case]]:
    rng = random.Random(SEED)
    items = _items()
    listed = {(i.list_name, normalize_name(i.name)) for i in items}
    cases: list[tuple[str, Case]] = []
    for generator in (lookalike_variants, numeral_variants, org_form_variants):
        for item in items:
            cases.extend((item.list_name, c) for c in generator(item, rng))
    for item in items:
        if item.list_name == REAL_LIST:
            cases.extend((item.list_name, c) for c in real_variants(item, rng))
    return unique_cases(cases, lambda list_name, case: _relabels_listed(listed, list_name, case))


def _relabels_listed(listed: set[tuple[str, str]], list_name: str, case: Case) -> bool:
    """A query that is itself a listed name but expected to match another: its label would lie."""
    query = normalize_name(case.query)
    return (list_name, query) in listed and query != normalize_name(case.expected)


def write_extra(path: Path = EXTRA) -> int:
    return write_cases(path, build_extra(), "x")


if __name__ == "__main__":
    print(f"{write_extra()} cases written to {EXTRA}")
