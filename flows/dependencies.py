"""What a verdict was computed from, so a recheck can reuse a verdict that cannot have changed.

Why: after a list update, most stored verdicts are what re-evaluation would give again, and a
back office rechecks ten thousand submissions at a time. Evaluation is pure, so a verdict is a
function of:

1. the submission's inputs: application, extraction rows, read failures, reviewers' corrections,
   and which other submissions hold its invoices;
2. the evaluator: the code and configuration of ``checks`` (policies included), ``matchers``
   (without the list data, whose versions are tracked by 3), ``models``, and ``extractors``
   (the checks parse 大写 amounts, credit codes and QR payloads with its functions);
3. the answers the list matchers gave, and which list versions its findings quote.

1 and 2 are hashed into ``inputs_key``; 3 is recorded while evaluating (``recording``). A recheck
with the same ``inputs_key`` asks the recorded questions again against the current lists
(``Revalidator``); when every answer is the same and no quoted version changed, the stored verdict
is reused, which is exactly what evaluating again would have produced.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from checks.base import ListMatcher, Matching
from models import MatchResult

_SOURCES = {".py", ".yaml", ".yml", ".json", ".csv", ".txt"}
# list data is versioned and tracked answer by answer; the evaluation set never reaches a verdict
_NOT_EVALUATOR = {("matchers", "lists"), ("matchers", "eval")}


@cache
def evaluator_version() -> str:
    """Digest of every source and configuration file a verdict depends on, apart from list data."""
    import checks
    import extractors
    import matchers
    import models

    digest = hashlib.sha256()
    for package in (checks, extractors, matchers, models):
        root = Path(package.__file__ or "").parent
        for path in sorted(root.rglob("*")):
            parts = path.relative_to(root.parent).parts
            if path.suffix not in _SOURCES or "__pycache__" in parts or tuple(parts[:2]) in _NOT_EVALUATOR:
                continue
            digest.update("/".join(parts).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def inputs_key(
    application: Mapping[str, Any] | None,
    files: Mapping[str, int],
    unreadable: Sequence[tuple[str, str]],
    other_invoices: Mapping[str, str],
    corrections: Sequence[int] = (),
) -> str:
    """Hash of 1 and 2 above; extraction rows are named by id (a row never changes once written)."""
    raw = json.dumps(
        [
            evaluator_version(),
            application,
            sorted(files.items()),
            sorted(list(pair) for pair in unreadable),
            sorted(other_invoices.items()),
            list(corrections),
        ],
        ensure_ascii=False,
        sort_keys=True,
        default=str,
    )
    return hashlib.sha256(raw.encode()).hexdigest()


def answer_digest(result: MatchResult) -> str:
    """Everything of a list answer a check can use, without the version it came from."""
    data = [
        result.normalized,
        [[c.name, c.score, c.verdict, c.relation, c.section, c.seq, c.reason] for c in result.matches],
    ]
    return hashlib.sha256(json.dumps(data, ensure_ascii=False).encode()).hexdigest()[:16]


def _question(query: str, top: int) -> str:
    return f"{top}\t{query}"


@dataclass
class Recorder:
    """The list questions one evaluation asked, with a digest of each answer, and quoted versions."""

    answers: dict[str, dict[str, str]] = field(default_factory=dict)
    quoted: set[str] = field(default_factory=set)

    def as_json(self) -> dict[str, Any]:
        names = sorted(set(self.answers) | self.quoted)
        return {
            "lists": {
                name: {"answers": dict(sorted(self.answers.get(name, {}).items())), "quoted": name in self.quoted}
                for name in names
            }
        }


class _RecordingMatcher:
    def __init__(self, inner: ListMatcher, list_name: str, recorder: Recorder) -> None:
        self._inner = inner
        self._list_name = list_name
        self._recorder = recorder

    def match(self, query: str, top: int = 5) -> MatchResult:
        result = self._inner.match(query, top=top)
        self._recorder.answers.setdefault(self._list_name, {})[_question(query, top)] = answer_digest(result)
        return result


@dataclass(frozen=True)
class RecordingMatching(Matching):
    """``Matching`` that notes every list question and every quoted list version."""

    recorder: Recorder = field(default_factory=Recorder)

    def version_of(self, list_name: str) -> str:
        self.recorder.quoted.add(list_name)
        return super().version_of(list_name)


def recording(matching: Matching) -> RecordingMatching:
    recorder = Recorder()
    return RecordingMatching(
        lists={name: _RecordingMatcher(m, name, recorder) for name, m in matching.lists.items()},
        same_entity=matching.same_entity,
        versions=matching.versions,
        recorder=recorder,
    )


class Revalidator:
    """Asks recorded questions against the current lists, each distinct question once per run."""

    def __init__(self, matching: Matching) -> None:
        self._matching = matching
        self._digests: dict[tuple[str, str], str | None] = {}

    def _digest(self, list_name: str, question: str) -> str | None:
        key = (list_name, question)
        if key not in self._digests:
            matcher = self._matching.lists.get(list_name)
            top, query = question.split("\t", 1)
            self._digests[key] = answer_digest(matcher.match(query, int(top))) if matcher is not None else None
        return self._digests[key]

    def unchanged(self, dependencies: Mapping[str, Any] | None, used_versions: Mapping[str, str]) -> bool:
        """True when every recorded answer is the same now and no quoted version has changed."""
        if not dependencies or "lists" not in dependencies:
            return False
        for list_name, entry in dependencies["lists"].items():
            if entry.get("quoted") and self._matching.versions.get(list_name) != used_versions.get(list_name):
                return False
            for question, digest in entry.get("answers", {}).items():
                if self._digest(list_name, question) != digest:
                    return False
        return True
