"""Seals on the real old-style invoices, one row per invoice (issue 22): found, code read, name read.

Run: ``.venv/bin/python -m bench.seal_real [--only SUBSTRING]``. Reads ``../shared/real`` in place
(never copied); prints nothing but a note where it is absent. Figures only, nothing passes or fails.
"""

from __future__ import annotations

import argparse
import json

from extractors.ocr import get_engine
from extractors.process import process_file
from models.settings import Settings
from sample_docs.real_set import RealDoc, load_real
from sample_docs.seal_score import score_seals


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--only", default="", help="score only files whose name holds this")
    args = parser.parse_args()
    docs = [d for d in load_real() if args.only in d.path.name]
    if not docs:
        print("no real documents (../shared/real absent)")
        return
    engine = get_engine("rapidocr")
    settings = Settings.from_env()

    def read(doc: RealDoc) -> object:
        return process_file(doc.path, engine=engine, settings=settings)

    report = score_seals(docs, read)
    for row in report.rows:
        marks = "".join("Y" if flag else "-" for flag in (row.found, row.code, row.name_exact))
        print(f"{marks} {row.similarity:.2f} {row.name}")
        for reading in row.readings:
            print(f"      {reading}")
    print(json.dumps(report.as_dict(), ensure_ascii=False))


if __name__ == "__main__":
    main()
