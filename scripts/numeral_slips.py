"""Derive extractors/fields/numeral_slips.csv from the recogniser's confusion table.

Why: a 大写 amount read by OCR comes out with look-alikes of its numerals (染 for 柒, 查 for 壹,
图 for 圆). The recogniser's own confusion table (matchers/lists/config/recogniser_confusions.csv,
built by ``python -m matchers.recogniser_build``) says which characters it reads for which; the
extractor needs only the pairs where one side is a 大写 character and the other is not, and only
the near ones. Kept as its own versioned file so the extractors do not read the matcher's data.

Run: ``python scripts/numeral_slips.py`` (a test checks the committed file is what this writes).
"""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from extractors.fields.amount_words import WORD_CHARS  # noqa: E402

SOURCE = ROOT / "matchers" / "lists" / "config" / "recogniser_confusions.csv"
OUTPUT = ROOT / "extractors" / "fields" / "numeral_slips.csv"
MAX_RANK = 2  # the recogniser's first or second alternative: nearer ones than the matcher's cut-off


def build() -> str:
    """The derived table as CSV text: ``slip,numeral,rank`` for slips that stand for one numeral only."""
    pairs: dict[str, set[tuple[str, int]]] = {}
    with SOURCE.open(encoding="utf-8") as handle:
        rows = csv.DictReader(line for line in handle if not line.startswith("#"))
        for row in rows:
            a, b, rank = row["a"], row["b"], int(row["rank"])
            if rank > MAX_RANK or (a in WORD_CHARS) == (b in WORD_CHARS):
                continue
            numeral, slip = (a, b) if a in WORD_CHARS else (b, a)
            pairs.setdefault(slip, set()).add((numeral, rank))
    out = io.StringIO()
    out.write(f"# numeral slips v1: scripts/numeral_slips.py from {SOURCE.name}; rank <= {MAX_RANK}\n")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["slip", "numeral", "rank"])
    for slip in sorted(pairs):
        if len({n for n, _ in pairs[slip]}) == 1:
            ((numeral, rank),) = sorted(pairs[slip])[:1]
            writer.writerow([slip, numeral, rank])
    return out.getvalue()


if __name__ == "__main__":
    OUTPUT.write_text(build(), encoding="utf-8")
    print(f"wrote {OUTPUT}")
