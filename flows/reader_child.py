"""The reading process: ``python -m flows.reader_child``, started and fed by ``flows.isolation``.

It reads one file per request with an address-space limit set once and a CPU-time limit renewed
per file, so a file that blows up OCR kills this process, never the batch that asked. It stays
up between files: imports and OCR models are paid once, not per file.

Protocol on stdin/stdout: 4-byte big-endian length, then a pickle. Request ``(path, settings,
cpu_seconds)``; reply ``("ok", document, {page: EncodedPage})``, ``("read_error", reason)``,
``("ocr_unavailable", message)`` or ``("bug", type name)``. Anything a library prints to stdout
goes to stderr: the protocol has the real stdout to itself.
"""

from __future__ import annotations

import os
import pickle
import resource
import struct
import sys
from pathlib import Path
from typing import IO, Any

_HEADER = struct.Struct(">I")


def send(stream: IO[bytes], value: object) -> None:
    data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(_HEADER.pack(len(data)) + data)
    stream.flush()


def receive(stream: IO[bytes]) -> Any:
    """The next message, or None at end of stream."""
    head = stream.read(_HEADER.size)
    if len(head) < _HEADER.size:
        return None
    (size,) = _HEADER.unpack(head)
    data = stream.read(size)
    if len(data) < size:
        return None
    return pickle.loads(data)  # our own parent's (or child's) message, over a private pipe


def _limit_cpu(seconds: float) -> None:
    """Allow ``seconds`` more CPU time from now (SIGXCPU ends the process past it)."""
    used = resource.getrusage(resource.RUSAGE_SELF)
    spent = used.ru_utime + used.ru_stime
    _, hard = resource.getrlimit(resource.RLIMIT_CPU)
    soft = int(spent + seconds) + 1
    resource.setrlimit(resource.RLIMIT_CPU, (soft if hard == resource.RLIM_INFINITY else min(soft, hard), hard))


def _read(path: str, settings: Any) -> tuple[Any, ...]:
    from extractors.errors import DocumentReadError
    from extractors.ocr import OcrUnavailableError
    from extractors.process import process_file
    from flows.page_encoding import OcrPages

    pages = OcrPages()
    try:
        document = process_file(Path(path), settings=settings, keep_page=pages.keep)
    except DocumentReadError as exc:
        return ("read_error", exc.reason)
    except OcrUnavailableError as exc:
        return ("ocr_unavailable", str(exc))
    except Exception as exc:  # a reader bug: the parent reports it for this file and goes on
        return ("bug", type(exc).__name__)
    return ("ok", document, pages.encoded)


def main() -> None:
    replies = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    requests = sys.stdin.buffer
    memory_mb = int(os.environ.get("EVIDENCE_READER_AS_MB", "0"))
    if memory_mb > 0:
        limit = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    send(replies, ("ready", os.getpid()))
    while (request := receive(requests)) is not None:
        path, settings, cpu_seconds = request
        _limit_cpu(cpu_seconds)
        send(replies, _read(path, settings))


if __name__ == "__main__":
    main()
