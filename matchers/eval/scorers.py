"""How plain rapidfuzz scorers do on the labelled set: the measurement behind the matcher's design.

``python -m matchers.eval.scorers``. For each scorer, each query is matched to its best-scoring
listed name (normalised strings, as the matcher sees them), and a threshold is swept: the table
shows the best recall any threshold reaches while keeping precision >= 99.5%, and the best
precision at recall >= 98%. No threshold on a string score reaches both, which is why the matcher
uses ``fuzz.ratio`` only to shortlist and decides by the name's structure.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rapidfuzz import fuzz, process
from rapidfuzz.distance import JaroWinkler, Levenshtein

from matchers.eval.report import LabelledQuery, load_cases, score_cases
from matchers.name_normalize import normalize_name
from matchers.reference import load_list

Scorer = Callable[..., float]

# scorer and the factor bringing its score to 0-100
SCORERS: dict[str, tuple[Scorer, float]] = {
    "fuzz.ratio": (fuzz.ratio, 1.0),
    "fuzz.partial_ratio": (fuzz.partial_ratio, 1.0),
    "fuzz.token_sort_ratio": (fuzz.token_sort_ratio, 1.0),
    "fuzz.token_set_ratio": (fuzz.token_set_ratio, 1.0),
    "fuzz.WRatio": (fuzz.WRatio, 1.0),
    "fuzz.QRatio": (fuzz.QRatio, 1.0),
    "Levenshtein.normalized_similarity": (Levenshtein.normalized_similarity, 100.0),
    "JaroWinkler.normalized_similarity": (JaroWinkler.normalized_similarity, 100.0),
}


def best_matches(scorer: Scorer, scale: float, cases: list[LabelledQuery]) -> list[tuple[float, bool, bool]]:
    """(score of the best listed name, whether it is the expected one, whether one is expected)."""
    choices = {
        name: [normalize_name(e.name) for e in load_list(name, "1", home=None).entries]
        for name in {c.list_name for c in cases}
    }
    out: list[tuple[float, bool, bool]] = []
    for case in cases:
        names = choices[case.list_name]
        hit: Any = process.extractOne(normalize_name(case.query), names, scorer=scorer)
        score, index = float(hit[1]) * scale, int(hit[2])
        right = bool(case.expected) and normalize_name(case.expected) == names[index]
        out.append((score, right, bool(case.expected)))
    return out


def sweep(rows: list[tuple[float, bool, bool]]) -> tuple[str, str]:
    positives = sum(expected for _, _, expected in rows)
    best_recall, best_precision = "none", "none"
    recall_at, precision_at = -1.0, -1.0
    for threshold in range(50, 101):
        accepted = [(right, expected) for score, right, expected in rows if score >= threshold]
        correct = sum(right for right, _ in accepted)
        precision = correct / len(accepted) if accepted else 1.0
        recall = correct / positives if positives else 1.0
        if precision >= 0.995 and recall > recall_at:
            recall_at, best_recall = recall, f"{recall:.1%} (t={threshold})"
        if recall >= 0.98 and precision > precision_at:
            precision_at, best_precision = precision, f"{precision:.1%} (t={threshold})"
    return best_recall, best_precision


def main() -> None:
    cases = [c for c in load_cases() if c.kind != "ocr_unlisted"]
    print(f"{len(cases)} labelled queries (OCR misreadings outside the look-alike table excluded)")
    print(f"{'scorer':<36} {'recall at precision>=99.5%':<28} precision at recall>=98%")
    for name, (scorer, scale) in SCORERS.items():
        recall, precision = sweep(best_matches(scorer, scale, cases))
        print(f"{name:<36} {recall:<28} {precision}")
    summary = score_cases(cases)
    print(f"{'structure-aware NameMatcher':<36} recall {summary.recall():.1%}, precision {summary.precision():.1%}")
    branch, parent = "阿里云计算有限公司山西分公司", "阿里云计算有限公司"
    print(f"partial_ratio(branch, parent) = {fuzz.partial_ratio(branch, parent):.0f}")
    a, b = "山西天地科技有限公司", "山西天成科技有限公司"
    print(f"token_sort_ratio == ratio on unspaced names: {fuzz.token_sort_ratio(a, b) == fuzz.ratio(a, b)}")
    print(f"ratio without a processor, full- vs half-width brackets: {fuzz.ratio('腾讯（北京）', '腾讯(北京)'):.0f}")


if __name__ == "__main__":
    main()
