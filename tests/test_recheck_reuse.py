"""Incremental recheck: a verdict is reused only when nothing it was computed from has changed.

Born-digital corpus submissions (no OCR), through the real batch driver, store and recheck, on
SQLite and on PostgreSQL (the reuse is written with INSERT … SELECT on both).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from checks.base import Matching
from flows import dependencies
from flows.dependencies import Recorder, Revalidator, inputs_key, recording
from flows.recheck import recheck
from flows.verify import run
from flows.work import close_stores, discover, store_for
from models import MatchResult
from models.settings import Settings
from store.schema import ResultRow, SubmissionRow
from tests.test_flows import CLEAN_CERT, CLEAN_CLOUD, _import_without, make_root
from tests.test_store_fixtures import store_settings

__all__ = ["store_settings"]

PROVIDER = "中国电信集团有限公司山西分公司"


@pytest.fixture
def settings(store_settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Iterator[Settings]:
    monkeypatch.setenv("EVIDENCE_HOME", str(store_settings.home))
    if store_settings.db_url:
        monkeypatch.setenv("EVIDENCE_DB_URL", store_settings.db_url)
    else:
        monkeypatch.delenv("EVIDENCE_DB_URL", raising=False)
    monkeypatch.setenv("EVIDENCE_PREFECT", "never")
    yield Settings.from_env()
    close_stores()


def _batch(settings: Settings, root: Path) -> None:
    run(discover(root), kind="batch", root=str(root), settings=settings, use_prefect=False)


def test_unchanged_verdicts_are_reconfirmed_without_evaluating_them(settings: Settings, tmp_path: Path) -> None:
    root = make_root(tmp_path, CLEAN_CLOUD, CLEAN_CERT)
    _batch(settings, root)
    first = recheck(settings)
    second = recheck(settings)
    assert (first.checked, first.reused, first.changes) == (2, 2, [])
    assert (second.checked, second.reused) == (2, 2)
    assert second.statuses == Counter({"pass": 2})
    store = store_for(settings)
    with store.session() as s:
        rows = s.scalars(select(ResultRow).order_by(ResultRow.id)).all()
        originals = [r.id for r in rows if r.same_as is None]
        assert len(rows) == 6 and len(originals) == 2
        assert all(r.result is None and r.same_as in originals for r in rows if r.id not in originals)
    for path in (str(root / CLEAN_CLOUD), str(root / CLEAN_CERT)):
        history = [r for _, r in store.result_history(path)]
        assert len(history) == 3
        assert all(r.model_dump() == history[0].model_dump() for r in history)
    with store.session() as s:
        sid = s.scalars(select(SubmissionRow.id).where(SubmissionRow.path == str(root / CLEAN_CLOUD))).one()
    detail = store.submission_detail(sid)
    assert detail is not None and detail.result is not None and detail.result.status == "pass"
    assert detail.result.documents and detail.findings == []


def test_a_list_change_evaluates_only_the_verdicts_whose_answers_changed(settings: Settings, tmp_path: Path) -> None:
    from matchers.reference import load_list

    root = make_root(tmp_path, CLEAN_CLOUD, CLEAN_CERT)
    _batch(settings, root)
    version = f"{load_list('cloud_providers', home=settings.home).version}7"
    _import_without(settings, tmp_path, PROVIDER, version)
    report = recheck(settings)
    assert (report.checked, report.reused) == (2, 1)
    [change] = report.changes
    assert change.submission.endswith(CLEAN_CLOUD) and "PROVIDER_NOT_ON_LIST" in change.added
    [(_, latest)] = store_for(settings).result_history(str(root / CLEAN_CERT))[-1:]
    assert latest.list_versions["cloud_providers"] == version
    again = recheck(settings)  # the new verdict recorded its own basis: nothing to evaluate now
    assert (again.reused, again.changes) == (2, [])


def test_a_correction_or_a_new_evaluator_means_evaluating_again(
    settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_root(tmp_path, CLEAN_CLOUD, CLEAN_CERT)
    _batch(settings, root)
    store = store_for(settings)
    reviewer = store.create_reviewer("reviewer1", "x")
    with store.session() as s:
        sid = s.scalars(select(SubmissionRow.id).where(SubmissionRow.path == str(root / CLEAN_CERT))).one()
    store.correct_field(reviewer.id, sid, "CMMI评估结果.pdf", "level", "2")
    report = recheck(settings)
    assert report.reused == 1
    [change] = report.changes
    assert change.submission.endswith(CLEAN_CERT)
    monkeypatch.setattr(dependencies, "evaluator_version", lambda: "a-new-release")
    assert recheck(settings).reused == 0


def test_a_new_holder_of_the_same_invoice_re_evaluates_the_first(settings: Settings, tmp_path: Path) -> None:
    root = make_root(tmp_path, CLEAN_CLOUD)
    _batch(settings, root)
    (tmp_path / "later").mkdir()
    copy = make_root(tmp_path / "later", copies={"s01_again": CLEAN_CLOUD})
    _batch(settings, copy)
    report = recheck(settings)
    changed = {Path(c.submission).name: c for c in report.changes}
    assert "DUPLICATE_INVOICE" in changed[CLEAN_CLOUD].added
    assert report.reused == 1  # the copy's verdict already knew of the first holder


class _Lists:
    """A list matcher answering from a dict: the recorded answers are what changes between versions."""

    def __init__(self, answers: dict[str, str]) -> None:
        self.answers = answers

    def match(self, query: str, top: int = 5) -> MatchResult:
        return MatchResult.model_validate(
            {"query": query, "normalized": query, "list": "cloud_providers", "list_version": "1", "matches": []}
            if self.answers.get(query) is None
            else {
                "query": query,
                "normalized": query,
                "list": "cloud_providers",
                "list_version": "1",
                "matches": [{"name": self.answers[query], "score": 100.0, "verdict": "exact"}],
            }
        )


def _matching(answers: dict[str, str], version: str) -> Matching:
    return Matching(
        lists={"cloud_providers": _Lists(answers)},
        same_entity=lambda a, b: a == b,
        versions={"cloud_providers": version},
    )


def test_recorded_answers_and_quoted_versions_decide_reuse() -> None:
    old = recording(_matching({"甲云": "甲云"}, "1"))
    old.lists["cloud_providers"].match("甲云")
    basis = old.recorder.as_json()
    assert list(basis["lists"]["cloud_providers"]["answers"]) == ["5\t甲云"]
    assert not basis["lists"]["cloud_providers"]["quoted"]
    assert Revalidator(_matching({"甲云": "甲云", "乙云": "乙云"}, "2")).unchanged(basis, {"cloud_providers": "1"})
    assert not Revalidator(_matching({}, "2")).unchanged(basis, {"cloud_providers": "1"})
    assert old.version_of("cloud_providers") == "1"
    quoting = old.recorder.as_json()
    assert quoting["lists"]["cloud_providers"]["quoted"]
    assert not Revalidator(_matching({"甲云": "甲云"}, "2")).unchanged(quoting, {"cloud_providers": "1"})
    assert Revalidator(_matching({"甲云": "甲云"}, "1")).unchanged(quoting, {"cloud_providers": "1"})
    assert not Revalidator(_matching({}, "1")).unchanged(None, {})
    assert Recorder().as_json() == {"lists": {}}


def test_inputs_key_changes_with_every_input() -> None:
    base = ({"policy": "yangquan-2024"}, {"a.pdf": 1}, [("b.pdf", "损坏")], {"123": "/other"}, [7])
    key = inputs_key(*base)
    assert inputs_key(*base) == key
    for position, changed in enumerate(
        [{"policy": "shanxi-2021"}, {"a.pdf": 2}, [("b.pdf", "加密")], {"123": "/another"}, [8]]
    ):
        varied = list(base)
        varied[position] = changed
        assert inputs_key(*varied) != key  # type: ignore[arg-type]


def test_recheck_command_says_how_many_verdicts_were_reused(settings: Settings, tmp_path: Path) -> None:
    import json

    from click.testing import CliRunner

    from evidence_cli.main import cli

    _batch(settings, make_root(tmp_path, CLEAN_CLOUD, CLEAN_CERT))
    shown = CliRunner().invoke(cli, ["recheck"])
    assert shown.exit_code == 0, shown.output
    assert "共重新核验 2 份（其中 2 份" in shown.output and "0 份结论变化" in shown.output
    as_json = CliRunner().invoke(cli, ["recheck", "--format", "json"])
    report = json.loads(as_json.stdout)
    assert (report["checked"], report["reused"], report["changed"]) == (2, 2, [])
