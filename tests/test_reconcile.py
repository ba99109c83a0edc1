"""Reconciliation tolerates formatting but never a different number."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from matchers.reconcile import invoice_key, parse_amount, reconcile, same_number
from models import Document, ExtractedField


def _doc(path: str, doc_type: str, **fields: object) -> Document:
    return Document(
        path=path,
        sha256=path,
        doc_type=doc_type,  # type: ignore[arg-type]
        fields={k: ExtractedField(value=v, confidence=0.99) for k, v in fields.items()},
    )


@pytest.mark.parametrize(
    ("doc_value", "cell"),
    [
        ("24112000000012345678", "24112000000012345678"),
        ("24112000000012345678", " 2411 2000 0000 1234 5678 "),
        ("24112000000012345678", "２４１１２０００００００１２３４５６７８"),
        ("00012345", "12345"),
        ("00012345", 12345),
        ("00012345", "12345.0"),
        ("HT-2023-001", "ht－2023－001"),
        ("12345000", "1.2345E+7"),
    ],
)
def test_formatting_differences_are_tolerated(doc_value: object, cell: object) -> None:
    assert same_number(doc_value, cell)


@pytest.mark.parametrize(
    ("doc_value", "cell"),
    [
        ("24112000000012345678", "24112000000012345679"),
        ("24112000000012345678", 2.4112000000012345e19),  # a float cannot hold 20 digits
        ("00012345", "0012346"),
        ("00012345", "012345"),  # both keep zeros: a different number of them is a different number
        ("HT-2023-001", "HT-2023-0011"),
        ("12345", ""),
    ],
)
def test_different_numbers_are_refused(doc_value: object, cell: object) -> None:
    assert not same_number(doc_value, cell)


@given(st.text(alphabet="0123456789", min_size=1, max_size=20), st.text(alphabet="0123456789", min_size=1, max_size=20))
def test_same_number_never_equates_different_integers(a: str, b: str) -> None:
    if same_number(a, b):
        assert int(a) == int(b)


def test_amounts_parse_with_separators_and_currency() -> None:
    assert parse_amount("¥106,000.00") == Decimal("106000.00")
    assert parse_amount(106000) == Decimal("106000.00")
    assert parse_amount("人民币１２.５元") == Decimal("12.50")
    assert parse_amount("壹万") is None
    assert parse_amount(None) is None


def test_old_invoice_key_is_code_plus_number_and_digital_invoice_is_number() -> None:
    old = _doc("a.pdf", "invoice", invoice_code="1400231130", invoice_number="00012345")
    assert str(invoice_key(old)) == "1400231130-00012345"
    new = _doc("b.pdf", "invoice", invoice_number="24112000000012345678")
    assert str(invoice_key(new)) == "24112000000012345678"


def test_reconcile_links_rows_and_reports_both_sides() -> None:
    inv1 = _doc("i1.pdf", "invoice", invoice_number="24112000000012345678", total_incl_tax="106000.00")
    inv2 = _doc("i2.pdf", "invoice", invoice_code="1400231130", invoice_number="00012345", total_incl_tax="5000.00")
    inv3 = _doc("i3.pdf", "invoice", invoice_number="24112000000099999999", total_incl_tax="1.00")
    con = _doc("c.pdf", "contract", contract_number="HT-2023-001", total_amount="200000.00")
    rows = [
        {"seq": "1", "contract_number": "HT-2023-001", "invoice_number": "24112000000012345678", "amount": "106000"},
        {"seq": "2", "contract_number": "", "invoice_number": "1400231130 12345", "amount": "5,000.00"},
        {"seq": "3", "contract_number": "HT-2023-001", "invoice_number": "24112000000012345670", "amount": "7"},
        {"seq": "4", "contract_number": "HT-2023-001", "invoice_number": "", "amount": "150000.00"},
        {"seq": "5", "contract_number": "HT-2023-009", "invoice_number": "", "amount": "7"},
    ]
    table = _doc("t.xlsx", "detail_table", rows=rows)
    rec = reconcile([inv1, inv2, inv3], [con], [table])
    assert rec.invoices_not_in_table == ["i3.pdf"]
    assert rec.contracts_not_in_table == []
    assert [r.index for r in rec.rows_without_invoice] == [3]
    assert [r.index for r in rec.rows_without_contract] == [5]
    # row 3 names a missing invoice: its amount is not held against the contract
    assert [(m.row.index, m.document) for m in rec.amount_mismatches] == [(4, "c.pdf")]
    assert [r.index for r in rec.verified_rows] == [1, 2]


def test_code_in_cell_must_agree_with_the_invoice_code() -> None:
    inv = _doc("i.pdf", "invoice", invoice_code="1400231130", invoice_number="00012345", total_incl_tax="1.00")
    table = _doc("t.xlsx", "detail_table", rows=[{"invoice_number": "1400231131-00012345", "amount": "1"}])
    rec = reconcile([inv], [], [table])
    assert rec.invoices_not_in_table == ["i.pdf"]
    assert len(rec.rows_without_invoice) == 1
