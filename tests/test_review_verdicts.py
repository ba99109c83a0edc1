"""Verdicts a reviewer can trust: approving past open errors is confirmed by name and audited;
a verdict changed by a later check says so on the page (原为…, cause, time)."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from review.app import create_app
from tests.test_review_auth import login
from tests.test_review_fixtures import (
    Seeded,
    application,
    contract_document,
    invoice_document,
    seeded,
    store_submission,
)

__all__ = ["seeded"]


@pytest.fixture
def alice(seeded: Seeded) -> tuple[TestClient, str]:
    client = TestClient(create_app(seeded.settings))
    return client, login(client, "alice")


def _open_error_ids(seeded: Seeded) -> set[int]:
    detail = seeded.store.submission_detail(seeded.submission_id)
    assert detail is not None
    return {f.id for f in detail.findings if f.severity == "error"}


def test_approving_with_open_errors_asks_for_a_confirmation_naming_them(
    alice: tuple[TestClient, str], seeded: Seeded
) -> None:
    client, token = alice
    sid = seeded.submission_id
    errors = _open_error_ids(seeded)
    assert errors, "the seeded submission has error findings"
    page = client.post(f"/submissions/{sid}/final", data={"kind": "approve", "csrf_token": token})
    assert page.status_code == 409
    assert seeded.store.decisions(sid) == [], "nothing is decided before the confirmation"
    assert f"还有 {len(errors)} 个未排除的错误" in page.text
    assert "云服务商不在名单" in page.text and 'title="PROVIDER_NOT_ON_LIST"' in page.text
    listed = re.search(r'name="acknowledged" value="([0-9,]+)"', page.text)
    assert listed is not None and {int(i) for i in listed.group(1).split(",")} == errors
    # a stale confirmation (one error missing) is asked again, not taken
    partial = ",".join(str(i) for i in sorted(errors)[1:])
    again = client.post(
        f"/submissions/{sid}/final", data={"kind": "approve", "acknowledged": partial, "csrf_token": token}
    )
    assert again.status_code == 409 and seeded.store.decisions(sid) == []
    done = client.post(
        f"/submissions/{sid}/final",
        data={"kind": "approve", "acknowledged": listed.group(1), "comment": "已电话核实", "csrf_token": token},
    )
    assert done.status_code == 200 and "已提交结论：批准奖补" in done.text
    assert [d.kind for d in seeded.store.decisions(sid)] == ["approve"]
    entries = seeded.store.audit_log(sid)
    over = next(e for e in entries if e.action == "approve_over_errors")
    assert over.actor == "alice" and over.after is not None
    assert {e["code"] for e in over.after["open_errors"]} >= {"PROVIDER_NOT_ON_LIST"}
    assert str(done.url).endswith(f"/submissions/{seeded.clean_submission_id}"), "the next pending one opens"
    assert "批准时确认未处理的错误" in client.get(f"/submissions/{sid}").text


def test_dismissed_errors_need_no_confirmation(alice: tuple[TestClient, str], seeded: Seeded) -> None:
    client, token = alice
    sid = seeded.submission_id
    for fid in _open_error_ids(seeded):
        client.post(f"/submissions/{sid}/findings/{fid}/dismiss", data={"reason": "已核实", "csrf_token": token})
    done = client.post(f"/submissions/{sid}/final", data={"kind": "approve", "csrf_token": token})
    assert done.status_code == 200 and [d.kind for d in seeded.store.decisions(sid)][-1] == "approve"
    assert all(e.action != "approve_over_errors" for e in seeded.store.audit_log(sid))


def test_a_changed_verdict_is_shown_with_what_it_was(
    alice: tuple[TestClient, str], seeded: Seeded, tmp_path: object
) -> None:
    client, _ = alice
    sid = seeded.clean_submission_id
    before = client.get(f"/submissions/{sid}").text
    assert "核验结论已变化" not in before
    detail = seeded.store.submission_detail(sid)
    assert detail is not None and detail.result is not None and detail.result.status == "pass"
    render = seeded.settings.home.parent / "render"
    unlisted = "某某未入名单云计算有限公司"
    docs = [
        invoice_document(render, "invoice_ok.pdf", unlisted, "24112000000087654321", "612000.00"),
        contract_document(render, "contract_ok.pdf", unlisted, "HT-2023-002", "612000.00"),
    ]
    assert store_submission(seeded.store, seeded.settings, detail.path, application(), docs) == sid
    html = client.get(f"/submissions/{sid}").text
    assert "核验结论已变化：原为通过，现为有问题" in html
    block = html.split("verdict-change", 1)[1].split("</div>", 1)[0]
    assert re.search(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", block), "the time of the change, Beijing time"
    assert "<li>" in block and "removed from" not in block
    table = html.split('class="audit-log"', 1)[1].split("</table>", 1)[0]
    row = next(r for r in table.split("<tr>") if "核验结论变化" in r)
    cells = [re.sub(r"<[^>]+>", "", c).strip() for c in row.split("<td")[1:]]
    cells = [c.split(">", 1)[-1] for c in cells]
    assert cells[1] == "系统" and cells[3].startswith("核验结果 #"), cells
    assert "核验状态：通过" in cells[4] and "核验状态：有问题" in cells[5], "原为 and 现为 in the audit log"
    assert "名单版本：云服务商名单 第" in cells[4] and "起因：批量核验" in cells[5] and "新增问题：" in cells[5]
    audit = _visible(table)
    assert not RAW_CODE.findall(audit) and not ENGLISH_WORDS.findall(audit), audit


RAW_CODE = re.compile(r"\b[A-Z]{3,}(?:_[A-Z]+)+\b")
ENGLISH_WORDS = re.compile(
    r"\b(?:flagged|pass|error|warning|text_layer|ocr|derived|cloud|contract|rests_on|qr_payload|batch|recheck)\b|\bfinding:\d"
)


def _visible(html: str) -> str:
    """The page's text as a reader sees it: no tags, no attribute values (tooltips may hold codes)."""
    body = html.split("<body", 1)[-1]
    body = re.sub(r"<script.*?</script>|<style.*?</style>", "", body, flags=re.S)
    return re.sub(r"<[^>]+>", " ", body)


def test_no_raw_code_or_english_status_in_the_pages_a_reviewer_reads(
    alice: tuple[TestClient, str], seeded: Seeded
) -> None:
    client, token = alice
    sid = seeded.submission_id
    fid = next(iter(_open_error_ids(seeded)))
    client.post(f"/submissions/{sid}/findings/{fid}/dismiss", data={"reason": "核实", "csrf_token": token})
    detail = seeded.store.submission_detail(sid)
    assert detail is not None
    whole_pages = [f"/submissions/{sid}/files/{i}/pages/1" for i in detail.document_ids.values()]
    pages = ["/", "/?code=PROVIDER_NOT_ON_LIST", f"/submissions/{sid}", f"/submissions/{seeded.clean_submission_id}"]
    pages += whole_pages
    for url in pages:
        text = _visible(client.get(url).text)
        assert not RAW_CODE.findall(text), (url, RAW_CODE.findall(text))
        assert not ENGLISH_WORDS.findall(text), (url, ENGLISH_WORDS.findall(text))
    audit = _visible(client.get(f"/submissions/{sid}").text).split("审核日志", 1)[1]
    assert "{" not in audit and "排除问题" in audit


def test_exports_are_audited_and_name_findings_in_chinese(alice: tuple[TestClient, str], seeded: Seeded) -> None:
    from io import BytesIO

    from openpyxl import load_workbook

    client, _ = alice
    book = load_workbook(BytesIO(client.get("/export/queue.xlsx").content))
    sheet = book.active
    assert sheet is not None
    header = [c.value for c in sheet[1]]
    problems = header.index("问题")
    codes = header.index("问题代码")
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert any("云服务商不在名单" in str(r[problems]) for r in rows)
    assert any("PROVIDER_NOT_ON_LIST" in str(r[codes]) for r in rows), "codes stay in a machine-readable column"
    assert sheet.auto_filter.ref and sheet.freeze_panes == "A2"
    by_id = {r[header.index("申报编号")]: r for r in rows}
    flagged = by_id[seeded.submission_id]
    assert flagged[header.index("计算奖补（万元）")] == 0 and flagged[header.index("申报金额（万元）")] == 20
    assert "不在山西省企业上云云服务商名单" in str(flagged[header.index("问题说明")])
    client.get("/export/decisions.csv")
    exports = [e for e in seeded.store.audit_log() if e.action == "export"]
    assert [e.target for e in exports] == ["export:queue.xlsx", "export:decisions.csv"]
    assert exports[0].actor == "alice" and exports[0].after is not None and exports[0].after["rows"] == 2
