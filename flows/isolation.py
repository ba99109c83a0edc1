"""Read files in a warm child process that an address-space and CPU-time limit can end (issue 18).

Why: a 7 KB image once grew OCR past 6-9 GB; the OOM kill took the whole batch with it, on every
rerun. The budgets in ``extractors.readers.limits`` refuse the known shapes before any work; this
is the backstop for the unknown ones. The child (``flows.reader_child``) is reused from file to
file, so the normal path pays its start and the OCR models once per process, not per file.

Limits (environment, read when a child starts): ``EVIDENCE_READ_MEMORY_MB`` address space
(default 2048; a warm OCR child needs ~1.4 GB of it), ``EVIDENCE_READ_CPU_SECONDS`` per file
(default 240: OCR runs up to four threads), ``EVIDENCE_READ_SECONDS`` wall clock per file
(default 120). ``EVIDENCE_READ_ISOLATION=off`` reads in the calling process instead.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import select
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from flows.reader_child import receive, send
from models.settings import Settings


def _env_number(name: str, default: float) -> float:
    try:
        value = float(os.environ.get(name, ""))
    except ValueError:
        return default
    return value if value > 0 else default


def isolation_enabled() -> bool:
    return os.environ.get("EVIDENCE_READ_ISOLATION", "on").lower() not in {"off", "0", "no", "false"}


def wall_seconds() -> float:
    return _env_number("EVIDENCE_READ_SECONDS", 120.0)


@dataclass(frozen=True)
class ChildReply:
    """What the child answered, or ``killed`` (a Chinese reason) when it was ended reading the file."""

    kind: str
    payload: tuple[Any, ...] = ()
    killed: str | None = None
    timed_out: bool = False


class ReaderChild:
    """One warm reading process; restarted after it dies or is killed."""

    def __init__(self) -> None:
        self._proc: subprocess.Popen[bytes] | None = None
        self._lock = threading.Lock()
        self._reads = 0  # files sent to the current child
        self._reads_before_failure = 0

    def _start(self) -> subprocess.Popen[bytes]:
        env = dict(os.environ)
        env["EVIDENCE_READER_AS_MB"] = str(int(_env_number("EVIDENCE_READ_MEMORY_MB", 2048)))
        env.setdefault("MALLOC_ARENA_MAX", "2")  # glibc reserves 64 MB of address space per arena
        log = os.environ.get("EVIDENCE_FLOW_LOG")  # a batch's log file: not the terminal
        with open(log, "ab") if log else contextlib.nullcontext(None) as errors:
            proc = subprocess.Popen(
                [sys.executable, "-m", "flows.reader_child"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=errors,
                env=env,
                close_fds=True,
            )
        assert proc.stdout is not None
        hello = _wait(proc, proc.stdout, 60.0)
        if not (isinstance(hello, tuple) and hello and hello[0] == "ready"):
            _kill(proc)
            raise RuntimeError("the reader process did not start")
        return proc

    def read(self, path: Path, settings: Settings) -> ChildReply:
        """The child's reply for ``path``. A memory failure or death in a child that had read other
        files first is tried once more in a fresh child: a long-lived reader's heap grows, and a
        file is judged by what it does to a fresh reader, not by what the files before it left."""
        with self._lock:
            reply = self._read_once(path, settings)
            if self._reads_before_failure > 0 and _memory_or_death(reply):
                self.close()
                reply = self._read_once(path, settings)
            return reply

    def _read_once(self, path: Path, settings: Settings) -> ChildReply:
        if self._proc is None or self._proc.poll() is not None:
            self._proc, self._reads = self._start(), 0
        proc = self._proc
        assert proc.stdin is not None and proc.stdout is not None
        started = time.monotonic()
        limit = wall_seconds()
        self._reads_before_failure = self._reads
        self._reads += 1
        try:
            send(proc.stdin, (str(path), settings, _env_number("EVIDENCE_READ_CPU_SECONDS", 240.0)))
            reply = _wait(proc, proc.stdout, limit)
        except (BrokenPipeError, OSError):
            reply = None
        if isinstance(reply, tuple) and reply:
            if reply[0] == "read_error" and "内存" in str(reply[1]):
                self.close()  # a MemoryError may have left the child's heap in pieces
            return ChildReply(str(reply[0]), tuple(reply[1:]))
        timed_out = time.monotonic() - started >= limit
        _kill(proc)
        self._proc = None
        return ChildReply("killed", killed=_why(proc.returncode, timed_out, limit), timed_out=timed_out)

    def close(self) -> None:
        if self._proc is not None:
            _kill(self._proc)
            self._proc = None


def _memory_or_death(reply: ChildReply) -> bool:
    """Out of memory or killed by a signal, not by the wall clock (a slow file stays slow)."""
    if reply.kind == "read_error":
        return "内存" in str(reply.payload[0] if reply.payload else "")
    return reply.kind == "killed" and not reply.timed_out


def _wait(proc: subprocess.Popen[bytes], stream: IO[bytes], seconds: float) -> Any:
    """The child's next message, or None if it died or said nothing within ``seconds``."""
    ready, _, _ = select.select([stream], [], [], seconds)
    return receive(stream) if ready else None


def _kill(proc: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError):
        proc.kill()
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(timeout=10)
    for stream in (proc.stdin, proc.stdout):
        if stream is not None:
            with contextlib.suppress(OSError):
                stream.close()


def _why(returncode: int | None, timed_out: bool, limit: float) -> str:
    if timed_out:
        return f"读取该文件超过时间上限（{limit:.0f} 秒），已中止读取进程"
    if returncode == -signal.SIGXCPU:
        return "读取该文件超过 CPU 时间上限，已中止读取进程"
    if returncode in (-signal.SIGKILL, -signal.SIGSEGV, -signal.SIGABRT, -signal.SIGBUS):
        return f"读取该文件时读取进程异常终止（信号 {-(returncode or 0)}，可能超出内存上限）"
    return f"读取该文件时读取进程意外退出（退出码 {returncode}）"


_child = ReaderChild()
atexit.register(_child.close)


def read_isolated(path: Path, settings: Settings) -> ChildReply:
    """Read ``path`` in this process's warm reading child."""
    return _child.read(path, settings)


def close_reader() -> None:
    """End this process's reading child (tests; it is restarted on the next read)."""
    _child.close()
