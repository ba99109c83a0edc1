"""Generate a corpus of submissions with ground truth: ``python -m sample_docs.generate --seed N --out DIR``.

The same seed and count always give the same bytes, so the committed corpus can be checked by
regenerating it (tests/test_corpus_regen.py). ``--profile varied|heldout`` draws the layout families
and degradations of gen/scenarios_varied.py from the profile's seed (gen/data/profiles.yaml).
"""

from __future__ import annotations

import argparse
import random
import shutil
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import yaml

from sample_docs.gen import scenarios_cloud as cloud
from sample_docs.gen import scenarios_other as other
from sample_docs.gen import scenarios_varied as varied
from sample_docs.gen.package import Submission, new_company

DEFAULT_SEED = 2024
DEFAULT_OUT = Path(__file__).parent / "corpus"

Scenario = Callable[[Submission], None]

SCENARIOS: list[tuple[str, list[str], Scenario]] = [
    ("cloud_clean_digital", ["cloud"], cloud.clean_digital),
    ("cloud_clean_scanned", ["cloud"], cloud.clean_scanned_two_year),
    ("cloud_clean_photo_ofd", ["cloud"], cloud.clean_photo_ofd),
    ("cert_clean_cmmi", ["cert"], other.cert_cmmi),
    ("cert_clean_itss_scan", ["cert"], other.cert_itss_scan),
    ("cert_clean_dcmm_photo", ["cert"], other.cert_dcmm_photo),
    ("cert_clean_upgrade", ["cert"], other.cert_upgrade),
    ("investment_clean", ["investment"], other.investment_clean),
    ("xinchuang_clean", ["xinchuang"], other.xinchuang_clean),
    ("cloud_qr_credit_code", ["cloud"], cloud.fault_qr_credit),
    ("cloud_amount_words", ["cloud"], cloud.fault_words),
    ("cloud_arithmetic_buyer", ["cloud"], cloud.fault_arith_buyer),
    ("cloud_provider_short_period", ["cloud"], cloud.fault_provider_short),
    ("cloud_fuzzy_duplicate", ["cloud"], cloud.fault_fuzzy_duplicate),
    ("cloud_item_date", ["cloud"], cloud.fault_item_date),
    ("cloud_missing_contract", ["cloud"], cloud.fault_missing_contract_unreadable),
    ("cloud_missing_period_smudge", ["cloud"], cloud.fault_missing_period_smudge),
    ("cert_expired", ["cert"], other.cert_expired),
    ("cert_holder_level_claim", ["cert"], other.cert_holder_level),
    ("cert_prior_year", ["cert"], other.cert_prior_year),
    ("investment_table_faults", ["investment"], other.investment_table_faults),
    ("investment_contract_faults", ["investment"], other.investment_contract_faults),
    ("xinchuang_not_listed", ["xinchuang"], other.xinchuang_not_listed),
]


def build(seed: int, index: int) -> Submission:
    """Submission ``index`` of the corpus for ``seed`` (scenarios cycle when more are asked for)."""
    scenario, clauses, make = SCENARIOS[index % len(SCENARIOS)]
    sub_seed = random.Random(f"{seed}:{index}").randrange(2**31)
    rng = random.Random(sub_seed)
    taken: set[str] = set()
    sub = Submission(f"s{index + 1:02d}_{scenario}", scenario, sub_seed, rng, new_company(rng, taken), list(clauses))
    make(sub)
    return sub


def generate(seed: int, out: Path, count: int | None = None, only: list[int] | None = None) -> list[Path]:
    count = count or len(SCENARIOS)
    written = []
    for index in range(count):
        if only is not None and index not in only:
            continue
        target = out / build_name(index)
        if target.exists():
            shutil.rmtree(target)
        written.append(build(seed, index).write(out))
    return written


def build_name(index: int) -> str:
    return f"s{index + 1:02d}_{SCENARIOS[index % len(SCENARIOS)][0]}"


PROFILES_FILE = Path(__file__).parent / "gen" / "data" / "profiles.yaml"


def profiles() -> dict[str, dict[str, object]]:
    """The profiles' seeds and scenario sets (a data file, so the held-out seed lives in one place)."""
    loaded: dict[str, dict[str, object]] = yaml.safe_load(PROFILES_FILE.read_text(encoding="utf-8"))
    return loaded


def build_varied(profile: str, seed: int, index: int) -> Submission:
    """Submission ``index`` of a varied profile: a fresh applicant (half with look-alike characters)."""
    scenario, clauses, make = varied.SCENARIOS[index % len(varied.SCENARIOS)]
    sub_seed = random.Random(f"{profile}:{seed}:{index}").randrange(2**31)
    rng = random.Random(sub_seed)
    company = new_company(rng, set())
    if rng.random() < 0.5:
        company = replace(company, name=rng.choice(varied.lookalike_names()))
    sub = Submission(f"{profile[0]}{index + 1:02d}_{scenario}", scenario, sub_seed, rng, company, list(clauses))
    sub.with_boxes = True
    make(sub)
    return sub


def generate_profile(profile: str, out: Path, count: int | None = None) -> list[Path]:
    """Write a profile's submissions (truth.json beside each) under ``out``; returns their folders."""
    spec = profiles().get(profile)
    if spec is None:
        raise ValueError(f"unknown generator profile {profile!r} (known: {', '.join(profiles())})")
    seed = int(str(spec["seed"]))
    if spec["scenarios"] == "default":
        return generate(seed, out, count)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for index in range(count or int(str(spec.get("count", len(varied.SCENARIOS))))):
        sub = build_varied(profile, seed, index)
        if (out / sub.name).exists():
            shutil.rmtree(out / sub.name)
        written.append(sub.write(out))
    return written


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="generate sample submissions with ground truth")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--count", type=int, default=None, help=f"number of submissions (default {len(SCENARIOS)})")
    parser.add_argument("--profile", default=None, help="default, varied or heldout (gen/data/profiles.yaml)")
    args = parser.parse_args(argv)
    if args.profile not in (None, "default") and args.out == DEFAULT_OUT:
        parser.error("--profile varied/heldout needs --out DIR (sample_docs/corpus is the default profile)")
    args.out.mkdir(parents=True, exist_ok=True)
    if args.profile:
        written = generate_profile(args.profile, args.out, args.count)
    else:
        written = generate(args.seed, args.out, args.count)
    for path in written:
        print(path)


if __name__ == "__main__":
    main()
