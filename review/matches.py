"""The nearest reference-list entries for a name, in the list version a result used.

A finding about a listed provider or pilot names the list and its version; the reviewer also
wants to see which entry came closest and how close. This asks the matchers package (never the
rules) and keeps one prepared matcher per list version, since preparing one is slow.
"""

from __future__ import annotations

import threading
from functools import lru_cache
from pathlib import Path
from typing import Any

_lock = threading.Lock()


@lru_cache(maxsize=8)
def _matcher(home: Path, list_name: str, version: str) -> Any:
    """``home`` is part of the key: imported list versions live under the app's ``Settings.home``."""
    from matchers.names import NameMatcher
    from matchers.reference import load_list

    return NameMatcher(load_list(list_name, version or None, home=home))


def nearest(list_name: str, version: str, query: str, *, home: Path, top: int = 3) -> list[dict[str, Any]]:
    """Up to ``top`` candidates (name, score, verdict, section, seq) in the list versions under
    ``home`` (the app's settings); empty if the list is unknown."""
    if not list_name or not query:
        return []
    try:
        with _lock:
            matcher = _matcher(home, list_name, version)
        result = matcher.match(query, top=top)
    except Exception:  # a missing list version must not break the page; the finding still shows
        return []
    return [c.model_dump(include={"name", "score", "verdict", "section", "seq"}) for c in result.matches[:top]]
