"""``python -m flows.worker SCHEDULER [dask worker options]``: a worker for a long-lived Dask cluster,
set up as the ones ``evidence batch --workers N`` starts.

Why a command of our own: a worker needs one thread, the ``flows.warmup`` preload, one OCR thread
(``WORKER_ENV``) and Dask's monitoring paced for seconds-long tasks (``DASK_SETTINGS``). Written
out by hand on every worker machine these drift from what ``flows.runtime`` uses and measures.
Options after the address go to ``dask worker`` unchanged (e.g. ``--nworkers 4``).
"""

from __future__ import annotations

import os
import sys

from flows.runtime import WORKER_ENV, dask_environment


def command(argv: list[str]) -> list[str]:
    """The ``dask worker`` command line: ours first, so that the user's options come last and win."""
    return [
        sys.executable,
        "-m",
        "distributed.cli.dask_worker",
        "--nthreads",
        "1",
        "--preload",
        "flows.warmup",
        *argv,
    ]


def environment() -> dict[str, str]:
    """This environment plus the worker settings; a variable the user set is kept."""
    return {**WORKER_ENV, **dask_environment(), **os.environ}


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    if not args or args[0] in {"-h", "--help"}:
        print(__doc__)
        raise SystemExit(0 if args else 2)
    cmd = command(args)
    os.execve(cmd[0], cmd, environment())


if __name__ == "__main__":
    main()
