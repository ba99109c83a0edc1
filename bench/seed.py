"""Stored submissions at scale for the recheck benchmark, made from the sample corpus.

Why not N copies of one submission: copies share their documents and invoice numbers, so the
store would hold one extraction, every submission would become a duplicate of every other, and
matching would ask one question N times. Here every clone of a corpus submission gets its own
applicant (new 字号 and a valid 统一社会信用代码), its own invoice numbers and its own document rows,
while the providers stay the real listed ones, as in a real back office's store.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select

from extractors.fields.credit_code import check_character
from matchers.names_parse import parse_name
from models.settings import Settings
from store.schema import DocumentRow, ResultRow, SubmissionFileRow, SubmissionRow

_TRADE_CHARS = "华恒泰达鑫源兴盛瑞祥博通宏远融汇德安嘉信诚晟昊峻锦润丰裕弘旭腾辉明阳卓越隆昌铭航拓展"
_CODE_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CHUNK = 500


def corpus_store(corpus: Path, cache_home: Path) -> Path:
    """The SQLite file of one batch over the corpus, kept in ``cache_home`` between benchmark runs
    (the extraction cache makes a second run cost seconds, not the corpus's OCR)."""
    import os

    from flows.verify import run
    from store.db import database_url

    os.environ["EVIDENCE_HOME"] = str(cache_home)
    settings = Settings.from_env()
    dirs = sorted(p for p in corpus.iterdir() if (p / "application.yaml").is_file())
    run(dirs, kind="batch", root=str(corpus), settings=settings, use_prefect=False)
    return Path(database_url(settings).removeprefix("sqlite:///"))


def _copy_database(source: Path, target: Path) -> None:
    """SQLite's online backup: a plain file copy would miss what is still in the WAL."""
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)


def _new_code(old: str, rng: random.Random) -> str:
    body = old[:8] + "".join(rng.choice(_CODE_CHARS) for _ in range(9))
    return body + check_character(body)


def _new_digits(old: str, rng: random.Random, used: set[str]) -> str:
    """Same length, never handed out twice (8-digit numbers would collide by chance otherwise)."""
    while True:
        new = "".join(rng.choice("0123456789") for _ in old)
        if new not in used:
            used.add(new)
            return new


def _replacements(
    template: dict[str, Any], rng: random.Random, listed: bool, used: set[str]
) -> list[tuple[re.Pattern[str], str]]:
    """Old → new for one clone: the applicant's 字号 (also where OCR put a space inside it), its
    credit code, every invoice number."""
    pairs: list[tuple[re.Pattern[str], str]] = []
    applicant = template["application"]["applicant"]
    if not listed:
        trade = next(s.text for s in parse_name(applicant["name"]).segments if s.part == "trade")
        spaced = r"\s*".join(re.escape(ch) for ch in trade[:2])
        pairs.append((re.compile(spaced), "".join(rng.sample(_TRADE_CHARS, 2))))
    pairs.append((re.compile(re.escape(applicant["credit_code"])), _new_code(applicant["credit_code"], rng)))
    for number in sorted(template["invoice_numbers"]):
        pairs.append((re.compile(re.escape(number)), _new_digits(number, rng, used)))
    return pairs


def _apply(value: Any, pairs: list[tuple[re.Pattern[str], str]]) -> Any:
    if value is None:
        return None
    text = json.dumps(value, ensure_ascii=False)
    for old, new in pairs:
        text = old.sub(new, text)
    return json.loads(text)


def _templates(db: Path) -> Iterator[dict[str, Any]]:
    """Each stored corpus submission with its documents and latest result, as plain rows."""
    from sqlalchemy import create_engine
    from sqlalchemy.orm import Session

    engine = create_engine(f"sqlite:///{db}")
    with Session(engine) as s:
        for sub in s.scalars(select(SubmissionRow).order_by(SubmissionRow.id)):
            if sub.application is None:
                continue
            files = s.execute(
                select(SubmissionFileRow.name, DocumentRow)
                .join(DocumentRow)
                .where(SubmissionFileRow.submission_id == sub.id)
            ).all()
            result = s.scalars(
                select(ResultRow).where(ResultRow.submission_id == sub.id).order_by(ResultRow.id.desc())
            ).first()
            numbers = {
                str(doc.extraction["fields"]["invoice_number"]["value"])
                for _, doc in files
                if doc.extraction and "invoice_number" in doc.extraction.get("fields", {})
            }
            yield {
                "application": sub.application,
                "clauses": sub.clauses,
                "policy": sub.policy,
                "files": [(name, _document_values(doc)) for name, doc in files],
                "result": _result_columns(result) if result is not None else None,
                "invoice_numbers": numbers,
            }
    engine.dispose()


def _document_values(doc: DocumentRow) -> dict[str, Any]:
    return {
        c: getattr(doc, c)
        for c in (
            "sha256",
            "engine",
            "extractor_version",
            "doc_type",
            "text_source",
            "page_count",
            "extraction",
            "checkable",
            "read_error",
            "seconds",
        )
    }


def _result_columns(row: ResultRow) -> dict[str, Any]:
    return {
        c: getattr(row, c)
        for c in (
            "status",
            "policy",
            "policy_version",
            "list_versions",
            "award",
            "findings",
            "max_severity",
            "fingerprint",
            "result",
        )
    }


def _clone(template: dict[str, Any], i: int, pairs: list[tuple[re.Pattern[str], str]]) -> dict[str, Any]:
    """Rows of one clone: submission, documents (new sha256) and the template's verdict."""
    application = _apply(template["application"], pairs)
    path = f"/bench/clone{i:05d}"
    documents = []
    for name, values in template["files"]:
        doc = dict(values)
        doc["sha256"] = hashlib.sha256(f"{values['sha256']}:{i}".encode()).hexdigest()
        doc["extraction"] = _apply(values["extraction"], pairs)
        doc["checkable"] = _apply(values["checkable"], pairs)
        documents.append((name, doc))
    result = None
    if template["result"] is not None:
        result = dict(template["result"])
        result["result"] = {**_apply(result["result"], pairs), "submission": path}
    submission = {
        "path": path,
        "applicant_name": application["applicant"]["name"],
        "credit_code": application["applicant"]["credit_code"],
        "policy": template["policy"],
        "clauses": template["clauses"],
        "application": application,
    }
    return {"submission": submission, "documents": documents, "result": result}


def seed(target_home: Path, corpus_db: Path, n: int, listed_applicants: set[str], seed_value: int = 7) -> int:
    """Copy the corpus store into ``target_home`` and add ``n`` clone submissions; returns how many."""
    from flows.work import store_for
    from store.db import database_url

    settings = Settings(home=target_home)
    settings.ensure_home()
    _copy_database(corpus_db, Path(database_url(settings).removeprefix("sqlite:///")))
    store = store_for(settings)
    templates = list(_templates(corpus_db))
    rng = random.Random(seed_value)
    used = {number for template in templates for number in template["invoice_numbers"]}
    run = store.start_run("batch", "bench-seed", resume=False)
    for start in range(0, n, _CHUNK):
        clones = []
        for i in range(start, min(n, start + _CHUNK)):
            template = templates[i % len(templates)]
            listed = template["application"]["applicant"]["name"] in listed_applicants
            clones.append(_clone(template, i, _replacements(template, rng, listed, used)))
        with store.session() as s:
            _insert(s, clones, run.id)
    store.finish_run(run.id, {"submissions": n})
    return n


def _insert(s: Any, clones: list[dict[str, Any]], run_id: int) -> None:
    sub_ids = s.scalars(
        insert(SubmissionRow).returning(SubmissionRow.id, sort_by_parameter_order=True),
        [c["submission"] for c in clones],
    ).all()
    docs = [doc for c in clones for _, doc in c["documents"]]
    doc_ids = iter(s.scalars(insert(DocumentRow).returning(DocumentRow.id, sort_by_parameter_order=True), docs).all())
    links = [
        {"submission_id": sid, "name": name, "document_id": next(doc_ids)}
        for sid, c in zip(sub_ids, clones, strict=True)
        for name, _ in c["documents"]
    ]
    s.execute(insert(SubmissionFileRow), links)
    results = [
        {**c["result"], "batch_id": run_id, "submission_id": sid}
        for sid, c in zip(sub_ids, clones, strict=True)
        if c["result"] is not None
    ]
    if results:
        s.execute(insert(ResultRow), results)
