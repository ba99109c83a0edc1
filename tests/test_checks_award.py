"""Awards: cloud tiers, one year of a longer period, certificate tables per policy, upgrade differences."""

from __future__ import annotations

import pytest

from tests.test_checks_builders import application, certificate, codes, contract, invoice, row, run, table


def _words_free(total: str, path: str = "invoice_01.pdf", **over: object) -> object:
    return invoice(
        path, amount_excl_tax=total, tax_amount=None, total_in_words=None, qr=[], total_incl_tax=None, **over
    )


@pytest.mark.parametrize(
    ("total", "award"),
    [
        ("300000.00", 0),
        ("300000.01", 5),
        ("500000.00", 5),
        ("500001.00", 10),
        ("1000000.00", 10),
        ("1000000.50", 20),
        ("2000000.00", 20),
        ("2500000.00", 30),
    ],
)
def test_cloud_tiers_are_strictly_above(total: str, award: float) -> None:
    result = run(application(["cloud"]), [_words_free(total), contract(total_amount=total)])  # type: ignore[list-item]
    assert result.award is not None
    assert result.award.amount_wan == award, result.award.basis
    assert "上云支出" in result.award.basis


def test_only_cloud_lines_of_a_mixed_invoice_count() -> None:
    lines = [{"name": "*信息技术服务*云主机", "amount": "400000.00"}, {"name": "*软件*财务软件", "amount": "200000.00"}]
    result = run(application(["cloud"]), [invoice(line_items=lines), contract()])
    assert result.award is not None and result.award.amount_wan == 5  # 600000 × 2/3 excl. tax
    assert "400000.00" in result.award.basis


def test_a_three_year_contract_counts_one_year() -> None:
    three = contract(service_start="2023-01-01", service_end="2025-12-31", total_amount="1800000.00")
    invoiced = _words_free("1800000.00")
    result = run(application(["cloud"]), [invoiced, three])  # type: ignore[list-item]
    assert result.award is not None
    assert result.award.amount_wan == 10, result.award.basis  # about 600000 for the first year
    assert "只计一年" in result.award.basis


def test_repeated_cloud_content_counts_once() -> None:
    first = contract(service_start="2023-01-01", service_end="2024-12-31", total_amount="1200000.00")
    again = contract(
        "contract_02.pdf",
        contract_number="HT-2023-002",
        service_start="2023-01-01",
        service_end="2024-12-31",
        total_amount="1200000.00",
    )
    inv2 = _words_free("600000.00", invoice_number="24112000000012340000", path="invoice_02.pdf")
    result = run(application(["cloud"]), [_words_free("600000.00"), inv2, first, again])  # type: ignore[list-item]
    assert result.award is not None
    assert result.award.amount_wan == 10, result.award.basis


@pytest.mark.parametrize(
    ("policy", "cert_type", "level", "award"),
    [
        ("yangquan-2024", "CMMI", 3, 5),
        ("yangquan-2024", "CMMI", 4, 10),
        ("yangquan-2024", "CMMI", 5, 20),
        ("yangquan-2024", "ITSS", 1, 20),
        ("yangquan-2024", "ITSS", 2, 10),
        ("yangquan-2024", "ITSS", 3, 5),
        ("yangquan-2024", "DCMM", 3, 5),
        ("yangquan-2024", "DCMM", 5, 20),
        ("shanxi-2021", "CMMI", 3, 10),
        ("shanxi-2021", "CMMI", 5, 30),
        ("shanxi-2021", "ITSS", 1, 30),
        ("shanxi-2021", "ITSS", 3, 10),
        ("shanxi-2021", "DCMM", 4, 20),
    ],
)
def test_cert_award_tables(policy: str, cert_type: str, level: int, award: float) -> None:
    scope = "运行维护" if cert_type == "ITSS" else "-"
    app = application(["cert"], policy=policy)
    result = run(app, [certificate(cert_type=cert_type, level=level, scope=scope)])
    assert result.award is not None and result.award.amount_wan == award, result.award
    assert result.policy_version == "1"


def test_upgrade_is_awarded_the_difference() -> None:
    app = application(["cert"], prior_awards=[{"cert_type": "CMMI", "level": 3, "year": 2021}])
    result = run(app, [certificate(level=5)])
    assert result.award is not None and result.award.amount_wan == 15
    assert "差额" in result.award.basis
    recorded = application(["cert"], prior_awards=[{"cert_type": "CMMI", "level": 3, "amount_wan": 8}])
    assert run(recorded, [certificate(level=4)]).award.amount_wan == 2  # type: ignore[union-attr]
    same = run(application(["cert"], prior_awards=[{"cert_type": "CMMI", "level": 4}]), [certificate(level=4)])
    assert same.award is not None and same.award.amount_wan == 0
    assert "CERT_LEVEL_NOT_AWARDABLE" in codes(same)


def test_several_certificates_and_clauses_add_up() -> None:
    docs = [certificate(), certificate("itss.pdf", cert_type="ITSS", level=2, scope="运行维护"), invoice(), contract()]
    result = run(application(["cert", "cloud"], claimed_award_wan=25), docs)
    assert [a.amount_wan for a in result.awards] == [15, 10]
    assert result.award is not None and result.award.amount_wan == 25 and result.award.clause == "cert+cloud"
    assert result.status == "pass"


def test_investment_share_and_cap() -> None:
    docs = [invoice(), contract(), table([row(1, "HT-2023-001", "24112000000012345678", "636000.00")])]
    result = run(application(["investment"]), docs)
    assert result.award is not None and result.award.amount_wan == pytest.approx(6.36)
    mismatched = [invoice(), contract(), table([row(1, "HT-2023-001", "24112000000012345678", "999999.00")])]
    assert run(application(["investment"]), mismatched).award.amount_wan == 0  # type: ignore[union-attr]


def test_clause_missing_from_policy_earns_nothing() -> None:
    result = run(application(["cloud"], policy="shanxi-2021"), [invoice(), contract()])
    assert result.award is not None and result.award.amount_wan == 0
    assert "未设" in result.award.basis


def test_unreadable_service_period_earns_nothing_and_the_claim_is_only_questioned() -> None:
    app = application(["cloud"], claimed_award_wan=10)
    result = run(app, [invoice(), contract(service_start=None, service_end=None)])
    assert result.award is not None and result.award.amount_wan == 0
    claim = [f for f in result.findings if f.code.value == "AWARD_CLAIM_MISMATCH"]
    assert [f.severity for f in claim] == ["warning"]
    assert "MISSING_FIELD" in codes(result)


def test_missing_required_document_voids_the_clause_award() -> None:
    result = run(application(["cloud"]), [invoice()])
    assert result.award is not None and result.award.amount_wan == 0
    assert "缺少" in result.award.basis
