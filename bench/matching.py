"""Benchmark of the name matcher (figures only, never pass/fail).

    .venv/bin/python -m bench.matching [--size 10000] [--workers 2]

1. many-against-many: SIZE queries against a SIZE-entry synthetic list with
   ``NameMatcher.match_many`` (rapidfuzz ``process.cdist`` shortlist + structural comparison);
2. one query at a time against the real cloud_providers list, after loading, with cold caches
   (each query is new to the normaliser and parser).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import time

from matchers.eval.report import load_cases
from matchers.name_normalize import normalize_name
from matchers.names import NameMatcher
from matchers.names_config import load_confusables
from matchers.names_parse import parse_normalized
from matchers.reference import ReferenceList, load_list
from models.matching import ListEntry

_CHARS = (
    "华金鑫瑞博恒宏兴丰安盛源诚德明光海峰宇鸿嘉佳永凯创晟锦文和远力卓越汇聚智联星辰天地云海山川禾木"
    "东西南北中新时代正方圆通达信义仁礼志成立业昌隆泰康宁乐福寿喜庆祥润泽清雅"
)
_PLACES = ["山西", "北京", "上海", "河北", "太原", "阳泉", "大同", "晋中", "长治", "郑州", "西安", ""]
_INDUSTRIES = ["科技", "信息技术", "网络科技", "软件", "电子商务", "数据技术", "建设工程", "商贸", "智能科技"]
_FORMS = ["有限公司", "股份有限公司", "有限责任公司", "集团有限公司"]


def synthetic_names(count: int, rng: random.Random) -> list[str]:
    names: set[str] = set()
    while len(names) < count:
        trade = "".join(rng.sample(_CHARS, rng.choice([2, 3, 4])))
        names.add(rng.choice(_PLACES) + trade + rng.choice(_INDUSTRIES) + rng.choice(_FORMS))
    return sorted(names)


def damaged(name: str, rng: random.Random) -> str:
    """An OCR-like variant: a look-alike, a dropped or a doubled character."""
    pairs = sorted(load_confusables())
    i = rng.randrange(len(name))
    choice = rng.random()
    if choice < 1 / 3:
        swaps = [b for a, b in pairs if a == name[i]]
        return name[:i] + (swaps[0] if swaps else name[i]) + name[i + 1 :]
    if choice < 2 / 3:
        return name[:i] + name[i + 1 :]
    return name[: i + 1] + name[i:]


def queries_for(names: list[str], count: int, rng: random.Random) -> list[str]:
    queries: list[str] = []
    fresh = synthetic_names(count, random.Random(rng.random()))
    for n in range(count):
        kind = n % 10
        name = rng.choice(names)
        if kind < 3:
            queries.append(name)
        elif kind < 6:
            queries.append(damaged(name, rng))
        elif kind == 6:
            queries.append(name + "阳泉分公司")
        else:
            queries.append(fresh[n])
    return queries


def bench_many(size: int, workers: int, entries: int | None = None) -> None:
    """``size`` queries against a list of ``entries`` names (``size`` unless given)."""
    rng = random.Random(7)
    names = synthetic_names(entries or size, rng)
    queries = queries_for(names, size, rng)
    start, cpu_start = time.perf_counter(), time.process_time()
    matcher = NameMatcher(ReferenceList(name="synthetic", version="0", entries=[ListEntry(name=n) for n in names]))
    loaded, cpu_loaded = time.perf_counter(), time.process_time()
    results = matcher.match_many(queries, top=1, workers=workers)
    done, cpu_done = time.perf_counter(), time.process_time()
    verdicts = {v: sum(r.verdict == v for r in results) for v in ("exact", "fuzzy", "none")}
    print(f"many-against-many: {size} queries x {len(names)} entries, workers={workers}")
    print(
        f"  list preparation (normalise + parse {len(names)} entries): {loaded - start:.2f} s wall, "
        f"{cpu_loaded - cpu_start:.2f} s CPU"
    )
    print(
        f"  match_many (normalise + parse queries, cdist shortlist, compare): {done - loaded:.2f} s wall, "
        f"{cpu_done - cpu_loaded:.2f} s CPU (all threads)"
    )
    print(f"  total: {done - start:.2f} s wall   verdicts: {verdicts}")
    print(f"  (machine load average while running: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")


def bench_single() -> None:
    matcher = NameMatcher(load_list("cloud_providers", home=None))
    queries = list(dict.fromkeys(c.query for c in load_cases() if c.list_name == "cloud_providers"))
    normalize_name.cache_clear()
    parse_normalized.cache_clear()
    timings: list[float] = []
    cpu_start = time.process_time()
    for query in queries:
        start = time.perf_counter()
        matcher.match(query, top=5)
        timings.append(time.perf_counter() - start)
    cpu_mean = (time.process_time() - cpu_start) / len(queries)
    timings.sort()
    p95 = timings[int(len(timings) * 0.95)]
    print(
        f"single query vs cloud_providers ({len(matcher.reference.entries)} entries), {len(queries)} distinct queries:"
    )
    print(
        f"  mean {statistics.mean(timings) * 1e3:.3f} ms, median {statistics.median(timings) * 1e3:.3f} ms, "
        f"p95 {p95 * 1e3:.3f} ms, max {timings[-1] * 1e3:.3f} ms (wall); mean CPU {cpu_mean * 1e3:.3f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--entries", type=int, default=None, help="list size (default: --size)")
    args = parser.parse_args()
    bench_single()
    bench_many(args.size, args.workers, args.entries)


if __name__ == "__main__":
    main()
