"""Refresh the review screenshots in docs/ with Chromium: the submission view and the keyboard tour.

    .venv/bin/python scripts/review_screenshots.py

Seeds a throw-away store with the review tests' submissions (nothing of the user's is touched),
serves the real app, and runs the same steps as ``tests/test_review_validation.py``, so a picture
in the docs is only ever of a screen that passes its test.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"


def main() -> int:
    sys.path.insert(0, str(ROOT))
    with tempfile.TemporaryDirectory(prefix="evidence-shots-") as tmp:
        work = Path(tmp)
        os.environ["EVIDENCE_HOME"] = str(work / "home")  # list versions are looked up there too
        from tests.review_tour import add_qr_submission, chromium_page, keyboard_tour, log_in, publish, serving
        from tests.test_review_fixtures import seed

        seeded = seed(work)
        add_qr_submission(seeded, work)
        try:
            with serving(seeded) as server:
                with chromium_page() as page:
                    log_in(page, server)
                    page.goto(f"{server}/submissions/{seeded.submission_id}")
                    page.evaluate("() => document.querySelectorAll('img').forEach(i => { i.loading = 'eager'; })")
                    page.wait_for_function("() => [...document.images].every(i => i.complete && i.naturalWidth > 0)")
                    page.screenshot(path=str(DOCS / "review-screenshot.png"), full_page=True)
                with chromium_page() as page:
                    taken = keyboard_tour(page, server, seeded, work / "tour")
        finally:
            seeded.store.close()
        publish(taken, DOCS)
    for path in [DOCS / "review-screenshot.png", *(DOCS / p.name for p in taken)]:
        print(path.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
