"""Every policy file loads, and the award tables say what the rulebooks (seeds 000/001/002) say."""

import datetime as dt

import pytest
import yaml

from checks.policy import (
    POLICY_DIR,
    CertRules,
    CloudRules,
    Policy,
    PolicyError,
    XinchuangRules,
    available_policies,
    load_policy,
)


@pytest.mark.parametrize("name", available_policies())
def test_every_policy_file_loads(name: str) -> None:
    policy = load_policy(name)
    assert policy.name == name
    assert 0 < policy.confidence_threshold <= 1
    for clause, rules in policy.clauses.items():
        assert rules.title, clause


def test_both_shipped_policies_exist() -> None:
    assert {"yangquan-2024", "shanxi-2021"} <= set(available_policies())


def test_yangquan_tables_follow_the_guide() -> None:
    p = load_policy("yangquan-2024")
    assert p.policy_year == 2023
    assert p.period.start == dt.date(2023, 1, 1) and p.period.end == dt.date(2023, 12, 31)
    cloud = p.clause(CloudRules)
    assert [(t.above_wan, t.award_wan) for t in cloud.tiers] == [(30, 5), (50, 10), (100, 20), (200, 30)]
    assert set(cloud.required_documents) == {"contract", "invoice"}
    cert = p.clause(CertRules).cert_tables
    assert cert["CMMI"].levels == {3: 5, 4: 10, 5: 20}
    assert cert["ITSS"].levels == {1: 20, 2: 10, 3: 5}
    assert cert["DCMM"].levels == {3: 5, 4: 10, 5: 20}
    assert p.clause(XinchuangRules).pilot_list == "xinchuang_pilots"


def test_shanxi_tables_follow_jinzhengfa_2021_25() -> None:
    p = load_policy("shanxi-2021")
    cert = p.clause(CertRules).cert_tables
    assert cert["CMMI"].levels == {3: 10, 4: 20, 5: 30}
    assert cert["ITSS"].levels == {1: 30, 2: 20, 3: 10}
    assert cert["DCMM"].levels == {3: 10, 4: 20, 5: 30}
    assert p.period.start == dt.date(2021, 8, 1)
    assert "cloud" not in p.clauses


def test_unknown_or_malicious_names_raise_policy_error() -> None:
    with pytest.raises(PolicyError, match="未知政策"):
        load_policy("nowhere-1999")
    with pytest.raises(PolicyError):
        load_policy("../checks/policies/yangquan-2024")


def test_a_cloud_clause_without_tiers_is_rejected() -> None:
    data = yaml.safe_load((POLICY_DIR / "yangquan-2024.yaml").read_text(encoding="utf-8"))
    data["clauses"]["cloud"]["tiers"] = []
    with pytest.raises(ValueError, match="tiers"):
        Policy.model_validate(data)
    data = yaml.safe_load((POLICY_DIR / "yangquan-2024.yaml").read_text(encoding="utf-8"))
    data["clauses"]["lottery"] = {"title": "x"}
    with pytest.raises(ValueError, match="unknown clause"):
        Policy.model_validate(data)


def test_each_clause_is_read_by_its_own_model() -> None:
    from checks.policy import CertRules, CloudRules, InvestmentRules

    policy = load_policy("yangquan-2024")
    assert isinstance(policy.clause(CloudRules), CloudRules) and policy.clause(CloudRules).provider_list
    assert policy.clause(CertRules).cert_tables
    data = yaml.safe_load((POLICY_DIR / "yangquan-2024.yaml").read_text(encoding="utf-8"))
    data["clauses"]["investment"] = {"title": "投资", "cap_wan": 100}
    with pytest.raises(ValueError, match="rate"):
        Policy.model_validate(data)
    data["clauses"]["investment"] = {"title": "投资", "rate": 0.1, "cap_wan": 100, "tiers": []}
    with pytest.raises(ValueError, match="tiers"):  # a cloud key on another clause is refused, not ignored
        Policy.model_validate(data)
    del data["clauses"]["investment"]
    with pytest.raises(KeyError):
        Policy.model_validate(data).clause(InvestmentRules)
