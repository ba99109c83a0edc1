"""Review routes over a real store: queue, submission view, escaping, images, decisions, corrections."""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from review.app import create_app
from review.routes_queue import QueueQuery
from tests.test_review_auth import login
from tests.test_review_fixtures import (
    HOSTILE_FILE,
    Seeded,
    application,
    contract_document,
    invoice_document,
    seeded,
    store_submission,
)

__all__ = ["seeded"]
LISTED = "山西清众科技股份有限公司"


@pytest.fixture
def alice(seeded: Seeded) -> tuple[TestClient, str]:
    client = TestClient(create_app(seeded.settings))
    return client, login(client, "alice")


def finding_id(seeded: Seeded, code: str, file: str) -> int:
    detail = seeded.store.submission_detail(seeded.submission_id)
    assert detail is not None
    return next(f.id for f in detail.findings if f.code == code and file in f.documents)


def test_queue_lists_flagged_first_with_counts_and_filters(alice: tuple[TestClient, str], seeded: Seeded) -> None:
    client, _ = alice
    html = client.get("/").text
    assert html.index(f'href="/submissions/{seeded.submission_id}"') < html.index(
        f'href="/submissions/{seeded.clean_submission_id}"'
    )
    counts = {label: n for n, label in re.findall(r"<span class=\"n\">(\d+)</span> ([^<\s]+)", html)}
    assert counts["待决定"] == "2" and counts["全部申报"] == "2"
    only = client.get("/", params={"code": "PROVIDER_NOT_ON_LIST"}).text
    assert f"/submissions/{seeded.submission_id}" in only
    assert f"/submissions/{seeded.clean_submission_id}" not in only
    none = client.get("/", params={"clause": "cert"}).text
    assert "没有符合条件的申报" in none
    # values that are not on the menu are ignored rather than passed to the store
    assert QueueQuery.parse({"code": "<x>", "status": "nope", "batch": "1 OR 1=1"}) == QueueQuery()


def test_queue_paginates(alice: tuple[TestClient, str], seeded: Seeded, monkeypatch: pytest.MonkeyPatch) -> None:
    client, _ = alice
    monkeypatch.setattr("review.routes_queue.PAGE_SIZE", 1)
    first, second = client.get("/").text, client.get("/", params={"page": 2}).text
    assert "第 1 / 2 页" in first and "下一页" in first
    assert f"/submissions/{seeded.submission_id}" in first and f"/submissions/{seeded.clean_submission_id}" in second


def test_submission_view_escapes_ocr_text_and_file_names(alice: tuple[TestClient, str], seeded: Seeded) -> None:
    client, _ = alice
    html = client.get(f"/submissions/{seeded.submission_id}").text
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(&#39;xss&#39;)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;发票.pdf" in html
    assert "计算奖补" in html and "20 万元" in html and "0 万元" in html
    assert "PROVIDER_NOT_ON_LIST" in html and "云服务商名单（第1版）" in html
    assert 'class="box evidence"' in html and "/page-images/" in html
    detail = seeded.store.submission_detail(seeded.submission_id)
    assert detail is not None
    for name, doc_id in detail.document_ids.items():
        for page in range(1, len(detail.documents[name].pages) + 1):
            page_html = client.get(f"/submissions/{seeded.submission_id}/files/{doc_id}/pages/{page}").text
            assert "<script>alert" not in page_html and "class=\"box field\"" in page_html
    assert client.get(f"/submissions/{seeded.submission_id}/files/{doc_id}/pages/9").status_code == 404


def test_list_entries_are_escaped(alice: tuple[TestClient, str], seeded: Seeded, tmp_path: Path) -> None:
    """A hostile name in an imported list version reaches the page only as text, with score and version."""
    from matchers.reference import import_list

    entry = "山西云图<script>alert(1)</script>数据科技有限公司"
    listing = tmp_path / "providers.csv"
    listing.write_text(f"section,seq,name\n云平台服务商,1,{entry}\n云平台服务商,2,{LISTED}\n", encoding="utf-8")
    import_list("cloud_providers", listing, "2", home=seeded.settings.home)
    seller = entry.replace("有限公司", "有限责任公司")
    docs = [
        invoice_document(tmp_path, "fuzzy_invoice.pdf", seller, "24112000000055555555", "612000.00"),
        contract_document(tmp_path, "fuzzy_contract.pdf", seller, "HT-2023-009", "612000.00"),
    ]
    sid = store_submission(seeded.store, seeded.settings, str(tmp_path / "in" / "fuzzy"), application(), docs)
    client, _ = alice
    html = client.get(f"/submissions/{sid}").text
    # fuzzy or not depends on the matcher's thresholds; either way the entry is named on the page
    assert "PROVIDER_FUZZY_MATCH" in html or "PROVIDER_NOT_ON_LIST" in html
    assert "云服务商名单（第2版）" in html
    assert "<script>alert(1)" not in html
    assert "山西云图&lt;script&gt;alert(1)&lt;/script&gt;数据科技有限公司" in html


def test_page_images_only_by_id_and_only_under_home(alice: tuple[TestClient, str], seeded: Seeded) -> None:
    client, _ = alice
    html = client.get(f"/submissions/{seeded.submission_id}").text
    image_id = re.search(r'src="/page-images/(\d+)"', html)
    assert image_id
    response = client.get(f"/page-images/{image_id.group(1)}")
    assert response.status_code == 200 and response.headers["content-type"] == "image/png"
    assert response.content.startswith(b"\x89PNG")
    for probe in ("/page-images/999", "/page-images/..%2F..%2Fetc%2Fpasswd", "/page-images/1%2F..%2F..",
                  "/static/..%2F..%2Fstore%2Fschema.py", "/static/../app.py", "/page-images/-1"):
        assert client.get(probe).status_code in (404, 422), probe
    # a row pointing outside EVIDENCE_HOME (tampered database) is refused as well
    with seeded.store.session() as s:
        s.execute(text("UPDATE page_images SET path = '/etc/passwd' WHERE id = :i"), {"i": int(image_id.group(1))})
    assert client.get(f"/page-images/{image_id.group(1)}").status_code == 404


def test_dismiss_needs_a_reason_and_is_audited(alice: tuple[TestClient, str], seeded: Seeded) -> None:
    client, token = alice
    sid = seeded.submission_id
    fid = finding_id(seeded, "PROVIDER_NOT_ON_LIST", HOSTILE_FILE)
    client.post(f"/submissions/{sid}/findings/{fid}/dismiss", data={"reason": "  ", "csrf_token": token})
    assert seeded.store.decisions(sid) == []
    # a reviewer cannot act as another: identity fields in the form are ignored
    client.post(f"/submissions/{sid}/findings/{fid}/dismiss",
                data={"reason": "销售方为名单企业全资子公司", "reviewer_id": str(seeded.reviewers["bob"]),
                      "actor": "bob", "csrf_token": token})
    (decision,) = seeded.store.decisions(sid)
    assert decision.kind == "dismiss" and decision.reviewer_id == seeded.reviewers["alice"]
    assert decision.comment == "销售方为名单企业全资子公司"
    entry = next(e for e in seeded.store.audit_log(sid) if e.action == "decision_dismiss")
    assert entry.actor == "alice" and entry.before and entry.before["code"] == "PROVIDER_NOT_ON_LIST"
    html = client.get(f"/submissions/{sid}").text
    assert "已排除：张审核（销售方为名单企业全资子公司）" in html
    assert "排除问题" in html.split("审核日志")[1]


def test_confirm_and_final_decision(alice: tuple[TestClient, str], seeded: Seeded) -> None:
    client, token = alice
    sid = seeded.submission_id
    fid = finding_id(seeded, "AWARD_CLAIM_MISMATCH", "application.yaml")
    client.post(f"/submissions/{sid}/findings/{fid}/confirm", data={"csrf_token": token})
    client.post(f"/submissions/{sid}/final", data={"kind": "reject", "comment": "", "csrf_token": token})
    assert [d.kind for d in seeded.store.decisions(sid)] == ["confirm"], "reject needs a comment"
    client.post(f"/submissions/{sid}/final", data={"kind": "approve-all", "csrf_token": token})
    client.post(f"/submissions/{sid}/final", data={"kind": "return", "comment": "请补充合同原件", "csrf_token": token})
    assert [d.kind for d in seeded.store.decisions(sid)] == ["confirm", "return"]
    html = client.get(f"/submissions/{sid}").text
    assert "退回申报单位补正" in html and "请补充合同原件" in html
    pending = client.get("/").text
    assert f'href="/submissions/{sid}"' not in pending, "a decided submission leaves the pending queue"
    assert f'href="/submissions/{sid}"' in client.get("/", params={"decision": "return"}).text


def test_correction_reruns_the_checks(alice: tuple[TestClient, str], seeded: Seeded) -> None:
    client, token = alice
    sid = seeded.submission_id
    before = seeded.store.submission_detail(sid)
    assert before is not None and before.result is not None
    assert any(f.code == "PROVIDER_NOT_ON_LIST" and "云服务合同.pdf" in f.documents for f in before.result.findings)
    missing = client.post(f"/submissions/{sid}/corrections", data={"file_name": "../../etc/passwd", "field": "party_b",
                                                                   "value": "x", "reason": "r", "csrf_token": token})
    assert missing.status_code == 404
    response = client.post(f"/submissions/{sid}/corrections",
                           data={"file_name": "云服务合同.pdf", "field": "party_b", "value": LISTED,
                                 "reason": "OCR 误识别", "csrf_token": token})
    assert response.status_code == 200 and "已更正并重新核验" in response.text
    assert response.history[0].headers["location"].endswith(f"/submissions/{sid}#findings")
    findings = response.text.split('id="findings"', 1)[1].split('id="final"', 1)[0]
    assert "已更正并重新核验" in findings, "the outcome is said above the findings, where the reviewer works"
    assert "已更正并重新核验" not in response.text.split('id="findings"', 1)[0]
    after = seeded.store.submission_detail(sid)
    assert after is not None and after.result is not None and after.result_id != before.result_id
    assert not any(f.code == "PROVIDER_NOT_ON_LIST" and "云服务合同.pdf" in f.documents for f in after.result.findings)
    assert any(f.code == "PROVIDER_NOT_ON_LIST" for f in after.result.findings), "the invoice is still unlisted"
    assert after.documents["云服务合同.pdf"].fields["party_b"].value == LISTED
    actions = [e.action for e in seeded.store.audit_log(sid)]
    assert actions[-2:] == ["field_corrected", "recheck"]
    recheck = seeded.store.audit_log(sid)[-1]
    assert recheck.before and recheck.after and len(recheck.after["findings"]) < len(recheck.before["findings"])


def test_exports(alice: tuple[TestClient, str], seeded: Seeded) -> None:
    from io import BytesIO

    from openpyxl import load_workbook

    client, token = alice
    sid = seeded.submission_id
    fid = finding_id(seeded, "PROVIDER_NOT_ON_LIST", HOSTILE_FILE)
    client.post(f"/submissions/{sid}/findings/{fid}/dismiss", data={"reason": "=HYPERLINK(\"http://x\")",
                                                                    "csrf_token": token})
    queue_csv = client.get("/export/queue.csv")
    assert queue_csv.headers["content-type"].startswith("text/csv")
    text_csv = queue_csv.content.decode("utf-8-sig")
    assert text_csv.splitlines()[0].startswith("申报编号,申报单位")
    assert "PROVIDER_NOT_ON_LIST" in text_csv and text_csv.count("\r\n") == 3
    book = load_workbook(BytesIO(client.get("/export/queue.xlsx").content))
    rows = list(book.active.values)
    assert rows[0][0] == "申报编号" and {r[0] for r in rows[1:]} == {sid, seeded.clean_submission_id}
    decisions = load_workbook(BytesIO(client.get("/export/decisions.xlsx").content)).active
    values = list(decisions.values)
    assert values[1][1] == "alice" and values[1][4] == "排除问题"
    assert values[1][5] == f"问题 #{fid}", "the object in words, not finding:12"
    assert values[1][6] == "'=HYPERLINK(\"http://x\")", "formula injection is neutralised"
    assert "'=HYPERLINK" in client.get("/export/decisions.csv").content.decode("utf-8-sig")
    assert client.get("/export/queue.pdf").status_code == 404


def test_correction_sees_invoices_of_other_submissions(alice: tuple[TestClient, str], seeded: Seeded) -> None:
    """The re-run gets the same cross-submission invoice index as a batch: a corrected number that
    another stored submission already claimed becomes DUPLICATE_INVOICE."""
    client, token = alice
    sid = seeded.submission_id
    client.post(f"/submissions/{sid}/corrections",
                data={"file_name": HOSTILE_FILE, "field": "invoice_number", "value": "24112000000087654321",
                      "reason": "按原件更正", "csrf_token": token})
    detail = seeded.store.submission_detail(sid)
    assert detail is not None and detail.result is not None
    duplicate = next(f for f in detail.result.findings if f.code == "DUPLICATE_INVOICE")
    assert duplicate.details["other_submission"].endswith("另一家")


def test_pages_not_kept_are_rendered_from_the_original_file(alice: tuple[TestClient, str], seeded: Seeded,
                                                            tmp_path: Path) -> None:
    """No stored image: the page is rendered from the file the store names, only if it is unchanged
    and inside its submission folder."""
    client, _ = alice
    folder = tmp_path / "in" / "scan"
    folder.mkdir(parents=True)
    drawn = invoice_document(tmp_path, "scan.png", LISTED, "24112000000099999999", "612000.00")
    original = folder / "scan.png"
    shutil.copyfile(drawn.pages[0].image_path or "", original)
    page = drawn.pages[0].model_copy(update={"image_path": None})
    doc = drawn.model_copy(update={"sha256": hashlib.sha256(original.read_bytes()).hexdigest(), "pages": [page]})
    outside = doc.model_copy(update={"path": "../outside.png", "sha256": "0" * 64})
    sid = store_submission(seeded.store, seeded.settings, str(folder), application(), [doc, outside])
    detail = seeded.store.submission_detail(sid)
    assert detail is not None and not detail.pages
    url = f"/submissions/{sid}/files/{detail.document_ids['scan.png']}/pages/1/image"
    assert f'src="{url}"' in client.get(f"/submissions/{sid}").text
    response = client.get(url)
    assert response.status_code == 200 and response.content.startswith(b"\x89PNG")
    cached = list((seeded.settings.home / "review-cache").rglob("*.png"))
    assert len(cached) == 1 and oct(cached[0].stat().st_mode & 0o777) == "0o600"
    escaped = detail.document_ids["../outside.png"]
    assert client.get(f"/submissions/{sid}/files/{escaped}/pages/1/image").status_code == 404
    cached[0].unlink()
    original.write_bytes(original.read_bytes() + b"changed")
    assert client.get(url).status_code == 404, "a file changed since reading no longer matches its boxes"
