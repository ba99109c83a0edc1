"""Submissions of the varied / heldout profiles: clean applications whose documents vary in layout
family, labels and degradations (the faults stay in the default corpus; here the question is reading).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from sample_docs.gen import certificate, certificate_layouts, contract_layouts, names
from sample_docs.gen.building import amount_for_tier, cloud_award, cloud_deal, provider
from sample_docs.gen.package import Submission
from sample_docs.gen.scenarios_other import CITY_AWARD

DATA = Path(__file__).parent / "data"
INVOICE_KINDS = ("digital_special", "digital_normal", "vat_special", "vat_normal", "vat_e_normal")
LEVELS = {"CMMI": (3, 4, 5), "ITSS": (1, 2, 3), "DCMM": (3, 4, 5)}


def lookalike_names() -> list[str]:
    lines = (DATA / "lookalike_names.txt").read_text(encoding="utf-8").splitlines()
    return [ln.strip() for ln in lines if ln.strip() and not ln.startswith("#")]


def scan_options(rng: random.Random, *, dot_matrix: bool = False) -> dict[str, Any]:
    """One draw of the scan degradations: resolution, JPEG quality, blur, turn, perspective, dot shift."""
    opts: dict[str, Any] = {"dpi": rng.choice((150, 200)), "jpeg": rng.choice((35, 50, 60))}
    if rng.random() < 0.5:
        opts["blur"] = rng.choice((0.8, 1.2))
    turn = rng.choice((0, 0, 90, 180, 270))
    if turn:
        opts["turn"] = turn
    if rng.random() < 0.2:
        opts["perspective"] = True
    if dot_matrix and rng.random() < 0.3:
        opts["dot_shift"] = True
    return opts


def invoice_labels() -> dict[str, list[str]]:
    loaded: dict[str, list[str]] = yaml.safe_load((DATA / "invoice_labels.yaml").read_text(encoding="utf-8"))
    return loaded


def printer_options(rng: random.Random, *, paper: bool) -> dict[str, Any]:
    """Caption spellings for this invoice (half the captions changed), and on paper forms filled by a
    dot-matrix printer a print offset of up to 2.5 mm right and 1.5 mm down."""
    labels = {k: rng.choice(v) for k, v in sorted(invoice_labels().items()) if rng.random() < 0.5}
    opts: dict[str, Any] = {"labels": labels}
    if paper and rng.random() < 0.5:
        opts["print_shift"] = [round(rng.uniform(0.5, 2.5), 1), -round(rng.uniform(0.3, 1.5), 1)]
    return opts


def _cloud(sub: Submission, layout: str, contract_render: str, invoice_render: str) -> None:
    rng = sub.rng
    seller = provider(rng.choice(names.CLOUD_PLATFORM))
    amount = amount_for_tier(rng, rng.choice((5, 10, 20)))
    kind = rng.choice(INVOICE_KINDS)
    deal = cloud_deal(sub, seller, amount, [kind])
    deal.contract.total = deal.invoices[0].total
    deal.contract.style = contract_layouts.choose_style(rng, layout)
    inv_opts = printer_options(rng, paper=kind in ("vat_special", "vat_normal"))
    if invoice_render == "scan":
        inv_opts["degrade"] = scan_options(rng, dot_matrix=kind.startswith("vat"))
    sub.add_invoice_with(deal.invoices[0], "发票_01.pdf", invoice_render, inv_opts)
    ct_opts = {"degrade": scan_options(rng)} if contract_render == "scan" else None
    sub.add_contract(deal.contract, "服务合同.pdf", contract_render, ct_opts)
    sub.description = f"上云：{layout} 版式合同（{contract_render}）+ {kind} 发票（{invoice_render}）"
    sub.award_wan = cloud_award(amount)
    sub.award_note = f"2023年上云支出（不含税 {amount} 元）所在档位"
    sub.claimed_award_wan = sub.award_wan


def _cert(sub: Submission, cert_type: str, render: str) -> None:
    rng = sub.rng
    level = rng.choice(LEVELS[cert_type])
    issued = date(2023, rng.randint(2, 11), rng.randint(1, 28))
    holder = names.vary(sub.applicant.name, rng)
    cert = certificate.make(rng, cert_type, level, holder=holder, holder_en=sub.applicant.english, issued=issued)
    cert.variant = rng.choice(certificate_layouts.VARIANTS)
    options: dict[str, Any] = {"variant": cert.variant}
    if render == "scan":
        options["degrade"] = scan_options(rng)
    elif render == "photo":
        options["upside_down"] = rng.random() < 0.3
    ext = "jpg" if render == "photo" else "pdf"
    sub.add_certificate(cert, f"{cert_type}证书.{ext}", render, options)
    sub.description = f"认证：{cert_type} {level}级，{cert.variant} 版式（{render}）"
    sub.award_wan = CITY_AWARD[cert_type].get(level, 0)
    sub.award_note = f"{cert_type} {level}级"
    sub.claimed_award_wan = sub.award_wan


def _make(kind: str, *args: str) -> Callable[[Submission], None]:
    if kind == "cloud":
        return lambda sub: _cloud(sub, *args)
    return lambda sub: _cert(sub, *args)


# (name, clauses, make): ten contracts (every family born-digital and scanned), six certificates.
SCENARIOS: list[tuple[str, list[str], Callable[[Submission], None]]] = [
    ("cloud_table_digital", ["cloud"], _make("cloud", "header_table", "born_digital", "born_digital")),
    ("cloud_running_scan", ["cloud"], _make("cloud", "running_text", "scan", "scan")),
    ("cert_cmmi_digital", ["cert"], _make("cert", "CMMI", "born_digital")),
    ("cloud_signature_digital", ["cloud"], _make("cloud", "signature_block", "born_digital", "born_digital")),
    ("cert_itss_scan", ["cert"], _make("cert", "ITSS", "scan")),
    ("cloud_table_scan", ["cloud"], _make("cloud", "header_table", "scan", "born_digital")),
    ("cert_dcmm_digital", ["cert"], _make("cert", "DCMM", "born_digital")),
    ("cloud_running_digital", ["cloud"], _make("cloud", "running_text", "born_digital", "scan")),
    ("cloud_signature_scan", ["cloud"], _make("cloud", "signature_block", "scan", "scan")),
    ("cert_dcmm_scan", ["cert"], _make("cert", "DCMM", "scan")),
    ("cloud_any_scan", ["cloud"], _make("cloud", "", "scan", "born_digital")),
    ("cert_itss_photo", ["cert"], _make("cert", "ITSS", "photo")),
]
