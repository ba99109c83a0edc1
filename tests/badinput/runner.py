"""Run the ``evidence`` CLI in a subprocess with a wall-clock limit, and measure its peak memory.

Peak memory comes from ``os.wait4``: the kernel's ``ru_maxrss`` of exactly that child (and the
descendants it waited for), so parallel test workers do not blur each other's figures the way
``getrusage(RUSAGE_CHILDREN)`` (a maximum over all children so far) would.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import IO, Any, TypeVar

PER_DOCUMENT_SECONDS = 60.0
"""The per-document time bound: one ``evidence extract`` of one file, interpreter start included."""
MEMORY_CAP_MB = 1536.0
"""The per-process memory cap asserted for every run (1.5 GB peak RSS)."""

T = TypeVar("T")


@dataclass(frozen=True)
class CliRun:
    args: list[str]
    returncode: int
    stdout: str
    stderr: str
    seconds: float
    max_rss_mb: float
    timed_out: bool
    stdout_is_utf8: bool

    def stderr_lines(self) -> list[str]:
        return [line for line in self.stderr.splitlines() if line.strip()]

    def describe(self) -> str:
        return (
            f"evidence {' '.join(self.args)} -> exit {self.returncode} in {self.seconds:.1f}s, "
            f"{self.max_rss_mb:.0f} MB\nstderr:\n{self.stderr[-3000:]}\nstdout:\n{self.stdout[:2000]}"
        )


def cli_env(home: Path, **extra: str) -> dict[str, str]:
    """A private EVIDENCE_HOME (Prefect's home goes inside it), nothing inherited that points at shared state."""
    home.mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("EVIDENCE_", "PREFECT_"))}
    env.update(
        EVIDENCE_HOME=str(home / "evidence-home"),
        HOME=str(home),
        LC_ALL="C.UTF-8",
        **extra,
    )
    return env


_PR_CAPBSET_DROP = 24
_DAC_CAPABILITIES = (1, 2)  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH


def drop_file_permission_override() -> None:
    """Remove root's power to ignore file modes from the capability bounding set (before exec).

    A root process that exec()s afterwards keeps uid 0 (so it can still run an interpreter that
    lives under /root) but is refused a mode-000 file like anyone else.
    """
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    for capability in _DAC_CAPABILITIES:
        if libc.prctl(_PR_CAPBSET_DROP, capability, 0, 0, 0) != 0:
            errno = ctypes.get_errno()
            raise OSError(errno, os.strerror(errno))


def _drain(stream: IO[bytes], sink: list[bytes]) -> None:
    sink.append(stream.read())


def run_cli(
    args: Sequence[str],
    *,
    env: dict[str, str],
    timeout: float,
    without_dac_override: bool = False,
    address_space_mb: int | None = None,
) -> CliRun:
    """``python -m evidence_cli.main ARGS``; killed (whole process group) after ``timeout`` seconds.

    ``address_space_mb`` caps the CLI (and every process it starts) with RLIMIT_AS, so a memory
    bomb that gets past the product's own budgets fails that run instead of taking the machine down.
    """
    import subprocess

    def before_exec() -> None:
        if without_dac_override:
            drop_file_permission_override()
        if address_space_mb is not None:
            import resource

            limit = address_space_mb * 1024 * 1024
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    command = [sys.executable, "-m", "evidence_cli.main", *args]
    started = time.monotonic()
    proc = subprocess.Popen(
        command,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        cwd=env.get("HOME"),
        start_new_session=True,
        preexec_fn=before_exec if without_dac_override or address_space_mb else None,  # noqa: PLW1509
    )
    assert proc.stdout is not None and proc.stderr is not None
    out: list[bytes] = []
    err: list[bytes] = []
    readers = [
        threading.Thread(target=_drain, args=(proc.stdout, out), daemon=True),
        threading.Thread(target=_drain, args=(proc.stderr, err), daemon=True),
    ]
    for reader in readers:
        reader.start()
    timed_out = threading.Event()

    def kill() -> None:
        timed_out.set()
        _kill_group(proc.pid)

    timer = threading.Timer(timeout, kill)
    timer.start()
    try:
        _, status, usage = os.wait4(proc.pid, 0)
    finally:
        timer.cancel()
    proc.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.monotonic() - started
    _kill_group(proc.pid)  # leftovers (a worker pool) must not keep the pipes open
    for reader in readers:
        reader.join(timeout=10)
    raw = b"".join(out)
    try:
        stdout, utf8 = raw.decode("utf-8"), True
    except UnicodeDecodeError:
        stdout, utf8 = raw.decode("utf-8", errors="replace"), False
    return CliRun(
        args=[os.fsdecode(a) for a in args],
        returncode=proc.returncode,
        stdout=stdout,
        stderr=b"".join(err).decode("utf-8", errors="replace"),
        seconds=seconds,
        max_rss_mb=usage.ru_maxrss / 1024.0,
        timed_out=timed_out.is_set(),
        stdout_is_utf8=utf8,
    )


def _kill_group(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, signal.SIGKILL)


def shared_once(directory: Path, key: str, produce: Callable[[], T], *, encode: Callable[[T], Any] = lambda v: v,
                decode: Callable[[Any], T] = lambda v: v) -> T:
    """Compute ``produce()`` once for all pytest-xdist workers that share ``directory``.

    The first worker to take the lock computes and stores the value as JSON; the others wait for
    the lock and read it, so an expensive batch run is shared instead of repeated.
    """
    directory.mkdir(parents=True, exist_ok=True)
    stored = directory / f"{key}.json"
    with (directory / f"{key}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if stored.exists():
            return decode(json.loads(stored.read_text(encoding="utf-8")))
        value = produce()
        stored.write_text(json.dumps(encode(value), ensure_ascii=False), encoding="utf-8")
        return value


def run_to_json(run: CliRun) -> dict[str, Any]:
    return asdict(run)


def run_from_json(data: dict[str, Any]) -> CliRun:
    return CliRun(**data)


def record(kind: str, command: str, run: CliRun | None, outcome: str, reason: str = "") -> None:
    """Append what was observed to ``$HARDENING_REPORT`` (JSON Lines) when set: the closing table's source."""
    target = os.environ.get("HARDENING_REPORT")
    if not target:
        return
    line: dict[str, Any] = {"kind": kind, "command": command, "outcome": outcome, "reason": reason}
    if run is not None:
        line.update(exit=run.returncode, seconds=round(run.seconds, 2), max_rss_mb=round(run.max_rss_mb))
    with open(target, "a", encoding="utf-8") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        handle.write(json.dumps(line, ensure_ascii=False) + "\n")
