"""The labelled name-matching set: reproducible, large enough, and the matcher meets its targets."""

from __future__ import annotations

import csv
from collections import Counter

from matchers.eval.build import GENERATED, build_cases
from matchers.eval.report import evaluate, format_report, load_cases


def test_generated_set_is_reproducible_from_the_script() -> None:
    with GENERATED.open(encoding="utf-8", newline="") as handle:
        committed = [(r["list"], r["kind"], r["query"], r["expected"], r["relation"]) for r in csv.DictReader(handle)]
    rebuilt = [(lst, c.kind, c.query, c.expected, c.relation) for lst, c in build_cases()]
    assert committed == rebuilt


def test_labelled_set_covers_every_kind() -> None:
    cases = load_cases()
    kinds = Counter(c.kind for c in cases)
    assert len(cases) >= 300
    for kind in ("exact", "format", "ocr", "branch", "near_miss", "unrelated"):
        assert kinds[kind] >= 40, kind
    assert all(bool(c.expected) == bool(c.relation) for c in cases)


def test_matcher_meets_precision_and_recall_targets() -> None:
    summary = evaluate()
    assert summary.precision() >= 0.995, format_report(summary, errors=True)
    assert summary.recall() >= 0.98, format_report(summary, errors=True)
    assert "near_miss" in format_report(summary)
