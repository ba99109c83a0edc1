"""Memoised name matching for runs over many submissions.

Why: thousands of submissions name the same few dozen providers and applicants; a recheck asks the
same list and same-entity questions again and again. Answers depend only on the two names and the
list version, so a per-run cache returns identical verdicts at a fraction of the cost.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from models import MatchResult

CACHE_SIZE = 65_536


class MemoMatcher:
    """A ``ListMatcher`` that remembers its answers for this run."""

    def __init__(self, inner: Any) -> None:
        self._inner = inner
        self._cached: Callable[[str, int], MatchResult] = lru_cache(maxsize=CACHE_SIZE)(self._match)

    def _match(self, query: str, top: int) -> MatchResult:
        result: MatchResult = self._inner.match(query, top=top)
        return result

    def match(self, query: str, top: int = 5) -> MatchResult:
        return self._cached(query, top)


def memoized(matching: Any) -> Any:
    """The same ``checks.base.Matching`` with cached list matches and same-entity answers."""
    from checks.base import Matching

    same = lru_cache(maxsize=CACHE_SIZE)(matching.same_entity)
    return Matching(
        lists={name: MemoMatcher(m) for name, m in matching.lists.items()},
        same_entity=same,
        versions=dict(matching.versions),
    )


@dataclass(frozen=True)
class PolicyKit:
    """A policy with matchers over the current version of each list it needs."""

    policy: Any
    matching: Any


_kits: dict[tuple[str, Path, tuple[tuple[str, str], ...]], PolicyKit] = {}


def policy_kit(name: str, home: Path) -> PolicyKit:
    """Built once per policy, home (its imported list versions) and set of current list versions,
    not once per submission: loading the lists and building their matchers costs far more than
    checking one submission."""
    from checks.policy import load_policy
    from matchers.reference import list_versions
    from pipeline.submission import build_matching, load_lists, policy_lists

    policy = load_policy(name)
    current = tuple((n, list_versions(n, home=home)[-1].version) for n in policy_lists(policy))
    key = (name, home, current)
    found = _kits.get(key)
    if found is None:
        lists = load_lists(policy, dict(current), home=home)
        found = _kits[key] = PolicyKit(policy, memoized(build_matching(lists)))
    return found
