"""Build the generated part of the labelled name-matching set (matchers/eval/generated.csv).

Reproducible (fixed seed): ``python -m matchers.eval.build``. Each query is labelled with the
listed name it must match (empty for a different legal person) and the expected relation. The
kinds are the situations the matcher meets: exact copies, writing variants, OCR slips, branches,
near-miss different legal entities and unrelated names. Hand-written hard cases live in
hard_cases.csv and are not generated.
"""

from __future__ import annotations

import csv
import random
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import opencc

from matchers.name_normalize import normalize_name
from matchers.names_config import load_confusables
from matchers.names_parse import ParsedName, parse_name
from matchers.reference import available_lists, load_list

EVAL_DIR = Path(__file__).parent
GENERATED = EVAL_DIR / "generated.csv"
HARD_CASES = EVAL_DIR / "hard_cases.csv"
COLUMNS = ["id", "kind", "list", "query", "expected", "relation", "note"]
SEED = 20240520

_TRADE_POOL = "华金鑫瑞博恒宏兴丰安盛源诚德明光海峰宇鸿嘉佳永凯创晟锦文和远力卓越汇聚智联星辰"
_PLACES = ["陕西", "河北", "河南", "北京", "上海", "山东", "内蒙古", "太原", "阳泉", "晋中"]
_BRANCH_PLACES = ["阳泉", "阳泉市", "太原", "晋中市", "大同", "长治市", "山西", "山西省"]
_ORG_SWAPS = {
    "股份有限公司": "有限公司",
    "集团有限公司": "股份有限公司",
    "有限责任公司": "股份有限公司",
    "有限公司": "股份有限公司",
    "学院": "大学",
}
_INDUSTRY_SWAPS = {"科技": "信息技术", "信息技术": "科技", "软件": "网络", "技术": "科技", "电子商务": "网络科技"}


@dataclass(frozen=True)
class Case:
    kind: str
    query: str
    expected: str
    relation: str
    note: str


@dataclass(frozen=True)
class Listed:
    list_name: str
    name: str
    parsed: ParsedName


def _replace_part(parsed: ParsedName, part: str, new: str) -> str:
    """The name with one part's text replaced (brackets dropped there), branch kept."""
    out = "".join(new if s.part == part and new is not None else s.text for s in parsed.segments)
    return out + (parsed.branch or "")


@lru_cache(maxsize=1)
def _s2t() -> opencc.OpenCC:
    return opencc.OpenCC("s2t")


def format_variants(item: Listed, rng: random.Random) -> Iterator[Case]:
    name = item.name
    yield Case("format", _s2t().convert(name), name, "same", "繁体")
    spaced = "".join(ch + (" " if rng.random() < 0.3 else "") for ch in name)
    yield Case("format", f" {spaced}\u3000", name, "same", "空格")
    if "（" in name:
        yield Case("format", name.replace("（", "(").replace("）", ")"), name, "same", "半角括号")
        yield Case("format", name.replace("（", "").replace("）", ""), name, "same", "省略括号")
    else:
        yield Case("format", f"“{name}”。", name, "same", "引号标点")
    if item.parsed.org_form.endswith("有限责任公司"):
        yield Case("format", name.replace("有限责任公司", "有限公司"), name, "same", "有限公司写法")
    place = item.parsed.part_text("place")
    if place.endswith(("省", "市")):
        yield Case("format", name.replace(place, place[:-1], 1), name, "same", "省略行政区划后缀")


def ocr_variants(item: Listed, rng: random.Random) -> Iterator[Case]:
    name = item.name
    pairs = load_confusables()
    spots = [(i, b) for i, ch in enumerate(name) for a, b in sorted(pairs) if a == ch]
    if spots:
        i, b = rng.choice(spots)
        yield Case("ocr", name[:i] + b + name[i + 1 :], name, "same", f"形近字{name[i]}→{b}")
    letters = [i for i, ch in enumerate(name) if ch not in "（）"]
    for _ in range(2):
        i = rng.choice(letters)
        yield Case("ocr", name[:i] + name[i + 1 :], name, "same", f"漏字{name[i]}")
    i = rng.choice(letters)
    yield Case("ocr", name[: i + 1] + name[i:], name, "same", f"重复字{name[i]}")
    i = rng.choice([x for x in letters if name[x] not in "有限公司"])
    stranger = rng.choice([c for c in _TRADE_POOL if c != name[i] and (name[i], c) not in pairs])
    yield Case("ocr_unlisted", name[:i] + stranger + name[i + 1 :], name, "same", f"表外误识{name[i]}→{stranger}")
    if len({i for i, _ in spots}) >= 2:
        (i, b), (j, c) = sorted(rng.sample(spots, 2))
        if i != j:
            yield Case("ocr", name[:i] + b + name[i + 1 : j] + c + name[j + 1 :], name, "same", "两个形近字")
    if spots:
        i, b = rng.choice(spots)
        k = rng.choice([x for x in letters if x != i])
        damaged = "".join(b if x == i else ch for x, ch in enumerate(name) if x != k)
        yield Case("ocr", damaged, name, "same", f"形近字{name[i]}→{b}且漏字{name[k]}")


def branch_variants(item: Listed, rng: random.Random) -> Iterator[Case]:
    name, parsed = item.name, item.parsed
    if parsed.branch is None and not parsed.org_form.endswith("公司"):
        return
    if parsed.branch is None:
        for place in rng.sample(_BRANCH_PLACES, 2):
            yield Case("branch", f"{name}{place}分公司", name, "branch_of", "名单企业的分公司")
        return
    head = parsed.head.replace("(", "（").replace(")", "）")
    yield Case("branch", head, name, "same_legal_person", "名单分公司的总公司")
    sibling = next(p for p in _BRANCH_PLACES if not parsed.branch.startswith(p[:2]))
    yield Case("branch", f"{head}{sibling}分公司", name, "same_legal_person", "同一总公司的其他分公司")


def near_miss_variants(item: Listed, rng: random.Random) -> Iterator[Case]:
    parsed, pairs = item.parsed, load_confusables()
    trade = parsed.part_text("trade")
    if len(trade) >= 2:
        i = rng.randrange(len(trade))
        choices = [c for c in _TRADE_POOL if c != trade[i] and (trade[i], c) not in pairs and c not in trade]
        new_trade = trade[:i] + rng.choice(choices) + trade[i + 1 :]
        yield Case("near_miss", _replace_part(parsed, "trade", new_trade), "", "", "字号改一字")
        j = rng.randrange(len(trade) - 1)
        neighbour = trade[: j + 1] + trade[j] + trade[j + 2 :]
        yield Case("near_miss", _replace_part(parsed, "trade", neighbour), "", "", "字号一字换成相邻字")
        extra = rng.choice([c for c in _TRADE_POOL if c not in trade])
        yield Case("near_miss", _replace_part(parsed, "trade", trade + extra), "", "", "字号多一字")
    place = parsed.part_text("place")
    if place:
        other = rng.choice([p for p in _PLACES if not place.startswith(p)])
        yield Case("near_miss", _replace_part(parsed, "place", other), "", "", "地名不同")
    else:
        yield Case("near_miss", rng.choice(_PLACES) + item.name, "", "", "多出地名")
    org = parsed.org_form
    swap = next((v for k, v in _ORG_SWAPS.items() if org == k or (org.endswith(k) and org != v)), None)
    if swap:
        yield Case("near_miss", _replace_part(parsed, "org_form", swap), "", "", f"组织形式{org}→{swap}")
    industry = parsed.part_text("industry")
    if industry:
        ending = next((k for k in _INDUSTRY_SWAPS if industry.endswith(k)), None)
        new_industry = industry[: -len(ending)] + _INDUSTRY_SWAPS[ending] if ending else industry + "信息"
        yield Case("near_miss", _replace_part(parsed, "industry", new_industry), "", "", "行业表述不同")
    yield Case("near_miss", f"{item.name}阳泉子公司", "", "", "子公司")


def unrelated_names(rng: random.Random, count: int) -> Iterator[Case]:
    industries = ["科技", "信息技术", "网络科技", "商贸", "电子商务", "软件", "数据技术", "建设工程"]
    forms = ["有限公司", "股份有限公司", "有限责任公司"]
    for _ in range(count):
        trade = "".join(rng.sample(_TRADE_POOL, rng.choice([2, 2, 3])))
        name = rng.choice(_PLACES) + trade + rng.choice(industries) + rng.choice(forms)
        yield Case("unrelated", name, "", "", "随机企业名")


_GENERATORS: list[Callable[[Listed, random.Random], Iterator[Case]]] = [
    format_variants,
    ocr_variants,
    branch_variants,
    near_miss_variants,
]


def build_cases() -> list[tuple[str, Case]]:
    rng = random.Random(SEED)
    listed_names: set[str] = set()
    items: list[Listed] = []
    for list_name in available_lists():
        for entry in load_list(list_name, "1", home=None).entries:
            items.append(Listed(list_name, entry.name, parse_name(entry.name).as_written))
            listed_names.add(normalize_name(entry.name))
    cases: list[tuple[str, Case]] = [(i.list_name, Case("exact", i.name, i.name, "same", "原文")) for i in items]
    for generator in _GENERATORS:
        for item in items:
            cases.extend((item.list_name, case) for case in generator(item, rng))
    cases.extend(("cloud_providers", case) for case in unrelated_names(rng, 60))
    return unique_cases(cases, lambda _, case: not case.expected and normalize_name(case.query) in listed_names)


def unique_cases(cases: Iterable[tuple[str, Case]], drop: Callable[[str, Case], bool]) -> list[tuple[str, Case]]:
    """The first case of each (list, query), without those ``drop`` refuses (a query whose label would lie)."""
    seen: set[tuple[str, str]] = set()
    kept: list[tuple[str, Case]] = []
    for list_name, case in cases:
        key = (list_name, case.query)
        if key in seen or drop(list_name, case):
            continue
        seen.add(key)
        kept.append((list_name, case))
    return kept


def write_cases(path: Path, rows: list[tuple[str, Case]], prefix: str) -> int:
    """The labelled cases as a versioned CSV, numbered ``<prefix>0001`` on; returns how many."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(COLUMNS)
        for number, (list_name, case) in enumerate(rows, start=1):
            writer.writerow(
                [f"{prefix}{number:04d}", case.kind, list_name, case.query, case.expected, case.relation, case.note]
            )
    return len(rows)


def write_generated(path: Path = GENERATED) -> int:
    return write_cases(path, build_cases(), "g")


if __name__ == "__main__":
    print(f"{write_generated()} cases written to {GENERATED}")
