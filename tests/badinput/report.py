"""Render the HARDENING.md table from a ``HARDENING_REPORT`` JSON Lines file.

Usage: ``HARDENING_REPORT=/tmp/hr.jsonl pytest tests/test_bad_input_*.py`` then
``python -m tests.badinput.report /tmp/hr.jsonl``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from tests.badinput.cases import CASES, PERMISSION_CASE

_LABEL = {"read": "read normally", "unreadable": "UNREADABLE_DOCUMENT", "error": "status error", None: "—"}


def render(lines: list[dict[str, object]]) -> str:
    """One row per kind: expected outcomes, the reason shown (extract, else verify), extract's bounds."""
    runs = {(str(line["kind"]), str(line["command"])): line for line in lines}
    out = [
        "| kind | input | extract (exit) | verify / batch (status) | reason shown to the reviewer "
        "| extract time, peak RSS |",
        "|---|---|---|---|---|---|",
    ]
    for case in (*CASES, PERMISSION_CASE):
        run = runs.get((case.kind, "extract"))
        verify = runs.get((case.kind, "verify")) or runs.get((case.kind, "batch"))
        bound = f"{run['seconds']} s, {run['max_rss_mb']} MB" if run else "(verify/batch only)"
        exit_code = f" ({run['exit']})" if run else ""
        status = f" ({verify['outcome']})" if verify else ""
        reason = (run or {}).get("reason") or (verify or {}).get("reason") or ""
        out.append(
            f"| `{case.kind}` | {case.summary} | {_LABEL[case.extract]}{exit_code} | {_LABEL[case.verify]}{status} "
            f"| {reason} | {bound} |"
        )
    for command in ("verify", "batch"):
        run = runs.get(("(all)", command))
        if run:
            out.append(
                f"| *all cases* | one `evidence {command}` over all {len(CASES) + 1} submissions | "
                f"| exit {run['exit']} | | {run['seconds']} s, {run['max_rss_mb']} MB |"
            )
    return "\n".join(out)


if __name__ == "__main__":
    source = Path(sys.argv[1])
    print(render([json.loads(line) for line in source.read_text(encoding="utf-8").splitlines() if line.strip()]))
