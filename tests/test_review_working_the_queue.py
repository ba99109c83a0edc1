"""Working the queue without a browser: progress on each submission, the next pending one after a
decision, repeated findings decided together, messages shown beside what they are about."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from review.app import create_app
from review.progress import progress
from review.validation import by_document, confidence_level, qr_rows, repeated, unbroken
from tests.test_review_auth import login
from tests.test_review_fixtures import Seeded, seeded

__all__ = ["seeded"]


@pytest.fixture
def alice(seeded: Seeded) -> tuple[TestClient, str]:
    client = TestClient(create_app(seeded.settings))
    return client, login(client, "alice")


def _provider_ids(seeded: Seeded) -> list[int]:
    detail = seeded.store.submission_detail(seeded.submission_id)
    assert detail is not None
    return [f.id for f in detail.findings if f.code == "PROVIDER_NOT_ON_LIST"]


def test_progress_and_the_next_pending_submission(alice: tuple[TestClient, str], seeded: Seeded) -> None:
    client, token = alice
    first, second = seeded.submission_id, seeded.clean_submission_id
    assert progress(seeded.store, first).next_id == second and progress(seeded.store, second).next_id == first
    page = client.get(f"/submissions/{first}").text
    assert "待审第 1 / 2 份" in page and "已决定 0 / 2 份" in page
    assert f'href="/submissions/{second}" data-key-next' in page
    done = client.post(f"/submissions/{second}/final", data={"kind": "approve", "csrf_token": token})
    assert str(done.url).endswith(f"/submissions/{first}")
    assert "已提交结论：批准奖补。已转到下一份待审申报（还剩 1 份）" in done.text
    assert "已决定 1 / 2 份" in done.text and "data-key-next" not in done.text
    decided = client.get(f"/submissions/{second}").text
    assert "本申报已有结论" in decided
    last = client.post(f"/submissions/{first}/final", data={"kind": "return", "comment": "请补正", "csrf_token": token})
    assert str(last.url).endswith("/") and "待审队列已全部处理完毕" in last.text


def test_repeated_findings_in_one_action(alice: tuple[TestClient, str], seeded: Seeded) -> None:
    client, token = alice
    sid = seeded.submission_id
    ids = _provider_ids(seeded)
    assert len(ids) == 2
    page = client.get(f"/submissions/{sid}").text
    assert "出现在 2 份材料中" in page and f'name="ids" value="{",".join(map(str, ids))}"' in page
    form = {"code": "PROVIDER_NOT_ON_LIST", "ids": ",".join(map(str, ids)), "csrf_token": token}
    stale = client.post(f"/submissions/{sid}/findings/bulk", data={**form, "kind": "confirm", "ids": f"{ids[0]},999"})
    assert stale.status_code == 400 and seeded.store.decisions(sid) == []
    no_reason = client.post(f"/submissions/{sid}/findings/bulk", data={**form, "kind": "dismiss"})
    assert "排除问题必须填写理由" in no_reason.text and seeded.store.decisions(sid) == []
    done = client.post(f"/submissions/{sid}/findings/bulk", data={**form, "kind": "dismiss", "reason": "子公司"})
    assert "已一并排除 2 个「云服务商不在名单」问题" in done.text
    assert sorted(d.finding_id or 0 for d in seeded.store.decisions(sid)) == sorted(ids)
    dismissals = [e for e in seeded.store.audit_log(sid) if e.action == "decision_dismiss"]
    assert len(dismissals) == 2 and "出现在 2 份材料中" not in done.text


def test_a_finding_decision_is_confirmed_inside_its_card(alice: tuple[TestClient, str], seeded: Seeded) -> None:
    client, token = alice
    sid = seeded.submission_id
    fid = _provider_ids(seeded)[0]
    page = client.post(f"/submissions/{sid}/findings/{fid}/confirm", data={"csrf_token": token}).text
    card = re.search(rf'<article[^>]*id="finding-{fid}".*?</article>', page, flags=re.S)
    assert card is not None and "已确认该问题" in card.group(0)
    assert page.count("已确认该问题") == 1, "shown once, beside the finding, not at the top"


def test_findings_grouped_by_document_and_repeated_codes() -> None:
    findings = [
        {"id": 1, "code": "A", "severity": "warning", "document": "合同.pdf", "decision": None},
        {"id": 2, "code": "B", "severity": "error", "document": "发票.pdf", "decision": None},
        {"id": 3, "code": "A", "severity": "error", "document": "合同.pdf", "decision": None},
        {"id": 4, "code": "A", "severity": "info", "document": "发票.pdf", "decision": {"kind": "dismiss"}},
    ]
    groups = by_document(findings)
    assert [g["file"] for g in groups] == ["合同.pdf", "发票.pdf"]
    assert [f["id"] for f in groups[0]["findings"]] == [3, 1]
    assert [(r["code"], r["ids"]) for r in repeated(findings)] == [("A", "1,3")]


def test_confidence_levels_qr_rows_and_unbroken_values() -> None:
    assert [confidence_level(c)[0] for c in (0.99, 0.85, 0.5)] == ["high", "mid", "low"]
    rows = dict(qr_rows({"qr_payload": "01,32,,24112000000055556666,577358.49,20230330,,A1B2"}))
    assert rows["发票号码"] == "24112000000055556666" and rows["开票日期"] == "2023-03-30"
    assert rows["发票种类"] == "电子发票（普通发票）（32）" and rows["发票代码"] == "—"
    assert qr_rows({"qr_payload": "https://example.com"}) == [] and qr_rows({}) == []
    assert unbroken("24112000000055556666") and unbroken("91140300MA0K123459")
    assert not unbroken("山西示例科技有限公司") and not unbroken("a b")
