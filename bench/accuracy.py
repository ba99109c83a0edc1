"""Accuracy benchmark: ``python -m bench.accuracy [CORPUS_DIR] [--json]``.

The same report as ``evidence eval``; with ``--generate N`` it first generates a fresh corpus of N
submissions (seed ``--seed``) into a temporary folder, for figures on more than the committed set.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

from models.settings import Settings
from sample_docs.evaluate import ProductUnavailableError, run_corpus
from sample_docs.generate import DEFAULT_OUT, generate
from sample_docs.report import as_dict, print_report
from sample_docs.scoring import score


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="field, finding and award accuracy on a sample corpus")
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.add_argument("--generate", type=int, default=0, help="generate N fresh submissions and score those")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        root = args.corpus
        if args.generate:
            root = Path(tmp)
            generate(args.seed, root, args.generate)
        try:
            pairs = run_corpus(
                root, settings=Settings.from_env(), progress=lambda n, s: print(f"{n}: {s:.1f} s", file=sys.stderr)
            )
        except ProductUnavailableError as exc:
            print(f"bench.accuracy: {exc}", file=sys.stderr)
            return 2
        report = score(pairs)
    if args.json:
        print(json.dumps(as_dict(report), ensure_ascii=False, indent=2))
    else:
        print_report(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
