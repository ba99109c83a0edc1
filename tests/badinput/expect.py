"""The per-case assertions on a docs/REFERENCE.md §5 result, shared by the verify and batch tests."""

from __future__ import annotations

import os
from typing import Any

from tests.badinput.cases import Built
from tests.badinput.shared import CJK

UNREADABLE = "UNREADABLE_DOCUMENT"


def _unreadable_for(result: dict[str, Any], name: str) -> list[dict[str, Any]]:
    return [f for f in result["findings"] if f["code"] == UNREADABLE and name in f["documents"]]


def _document(result: dict[str, Any], name: str) -> dict[str, Any] | None:
    for document in result["documents"]:
        if document["path"] == name:
            return dict(document)
    return None


def assert_good_invoice_read(result: dict[str, Any], control: dict[str, Any]) -> None:
    """The well-formed invoice next to the bad input was read exactly as in the control submission."""
    invoice = _document(result, "invoice.pdf")
    reference = _document(control, "invoice.pdf")
    assert invoice is not None and reference is not None, [d["path"] for d in result["documents"]]
    assert invoice["doc_type"] == reference["doc_type"] == "invoice", invoice
    assert invoice["text_source"] == "text_layer"
    assert sorted(invoice["fields"]) == sorted(reference["fields"]), (invoice["fields"], reference["fields"])
    assert not _unreadable_for(result, "invoice.pdf")


def _utf8_name(item: Built) -> str | None:
    """The name as the result must show it, or None when the name is not valid UTF-8 (any faithful rendering)."""
    try:
        return os.fsencode(item.target.name).decode("utf-8")
    except UnicodeDecodeError:
        return None


def assert_outcome(item: Built, result: dict[str, Any], control: dict[str, Any]) -> None:
    """The exact outcome ``item.case.verify`` asks for (see tests/badinput/cases.py)."""
    case = item.case
    if case.verify == "error":
        assert result["status"] == "error", result
        assert "application.yaml" in (result.get("error") or ""), result
        assert CJK.search(result["error"]), result["error"]
        assert result["documents"] == [] and result["findings"] == [], result
        return
    assert result["status"] in ("flagged", "pass"), result
    assert_good_invoice_read(result, control)
    name = _utf8_name(item)
    unreadable = [f for f in result["findings"] if f["code"] == UNREADABLE]
    others = [d for d in result["documents"] if d["path"] != "invoice.pdf"]
    if case.verify == "unreadable":
        assert result["status"] == "flagged"
        assert len(unreadable) == 1, result["findings"]
        finding = unreadable[0]
        assert finding["severity"] == "error"
        assert len(finding["documents"]) == 1 and (name is None or finding["documents"][0] == name), finding
        assert CJK.search(finding["message"]), finding
        assert others == [], [d["path"] for d in others]
        codes = sorted({f["code"] for f in result["findings"]} - {UNREADABLE})
        expected = sorted({f["code"] for f in control["findings"]})
        assert codes == expected, "the rest of the submission must be judged as without the bad file"
    else:
        assert unreadable == [], unreadable
        assert len(others) == 1, [d["path"] for d in result["documents"]]
        assert name is None or others[0]["path"] == name, others[0]["path"]
        assert others[0]["pages"] == case.pages, others[0]
