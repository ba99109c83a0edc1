"""Score the product's output against the corpus truth: fields, findings, award, calibration.

Pure functions over plain data (no product imports), so the scorer itself is unit-tested on
hand-made pairs (tests/test_corpus_scoring.py). Comparison is exact after normalisation; the
normalisation only removes differences docs/REFERENCE.md §3 leaves open (bracket width, spaces, ¥ and
thousands separators, a table cell that lost its leading zeros).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from sample_docs.truth import SubmissionTruth

HIGH_CONFIDENCE = 0.9
# The invoice's five key elements (issue #4): code, number, date, amount excl. tax, check code / total.
KEY_INVOICE_FIELDS = frozenset(
    {"invoice_code", "invoice_number", "issue_date", "amount_excl_tax", "check_code", "total_incl_tax"}
)
NAME_FIELDS = frozenset(
    {"buyer_name", "seller_name", "party_a", "party_b", "holder_name", "issuer", "vendor", "subject"}
)
MONEY_FIELDS = frozenset({"amount_excl_tax", "tax_amount", "total_incl_tax", "total_amount", "amount"})
ID_FIELDS = frozenset(
    {"invoice_code", "invoice_number", "buyer_tax_id", "seller_tax_id", "check_code", "cert_number", "contract_number"}
)

_STATUS = {"missing": "未读出", "wrong": "读错"}
"""How a field missed, as the report says it."""


@dataclass(frozen=True)
class PredictedField:
    value: Any
    confidence: float
    page: int | None = None
    bbox: tuple[float, float, float, float] | None = None


@dataclass
class DocPrediction:
    path: str
    doc_type: str = "unknown"
    text_source: str = "none"
    fields: dict[str, PredictedField] = field(default_factory=dict)
    error: str | None = None


@dataclass
class SubmissionPrediction:
    name: str
    documents: dict[str, DocPrediction] = field(default_factory=dict)
    findings: list[tuple[str, str]] = field(default_factory=list)  # (code, severity)
    award_wan: float | None = None
    status: str = ""
    error: str | None = None
    asked: list[tuple[str, str]] = field(default_factory=list)  # (asking code, suspected code)
    identity: Counter[tuple[str, str, str]] = field(default_factory=Counter)  # sample_docs.identity


@dataclass(frozen=True)
class FieldOutcome:
    submission: str
    path: str
    doc_type: str
    source: str
    name: str
    render: str
    expected: Any
    predicted: Any
    confidence: float | None
    status: str  # correct | wrong | missing

    @property
    def correct(self) -> bool:
        return self.status == "correct"


@dataclass
class Tally:
    correct: int = 0
    total: int = 0

    def add(self, ok: bool) -> None:
        self.total += 1
        self.correct += int(ok)

    @property
    def rate(self) -> float:
        return self.correct / self.total if self.total else 1.0


@dataclass
class CodeScore:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


@dataclass
class Report:
    fields: list[FieldOutcome] = field(default_factory=list)
    doc_type: Tally = field(default_factory=Tally)
    text_source: Tally = field(default_factory=Tally)
    codes: dict[str, CodeScore] = field(default_factory=lambda: defaultdict(CodeScore))
    award: Tally = field(default_factory=Tally)
    status: Tally = field(default_factory=Tally)
    false_errors_on_clean: int = 0
    clean_submissions: int = 0
    found_as_question: int = 0  # expected problems put to the reviewer as a question, not an accusation
    misses: list[str] = field(default_factory=list)
    boxes: Tally = field(default_factory=Tally)  # rightly read values whose box agrees with the true box
    box_misses: list[str] = field(default_factory=list)
    identity: Counter[tuple[str, str, str]] = field(default_factory=Counter)  # role, outcome, finding

    def tally_by(self, key: str) -> dict[str, Tally]:
        out: dict[str, Tally] = defaultdict(Tally)
        for f in self.fields:
            label = {
                "doc_type": f.doc_type,
                "source": f.source,
                "render": f.render,
                "field": f"{f.doc_type}.{f.name}",
                "doc_type_render": f"{f.doc_type} / {f.render}",
            }[key]
            out[label].add(f.correct)
        return dict(sorted(out.items()))

    def key_invoice_fields(self) -> dict[str, Tally]:
        """Accuracy of the invoice key elements per render (born-digital, OFD, scan, photo)."""
        out: dict[str, Tally] = defaultdict(Tally)
        for f in self.fields:
            if f.doc_type == "invoice" and f.name in KEY_INVOICE_FIELDS:
                out[f.render].add(f.correct)
        return dict(sorted(out.items()))

    @property
    def field_accuracy(self) -> Tally:
        t = Tally()
        for f in self.fields:
            t.add(f.correct)
        return t

    @property
    def calibration(self) -> tuple[int, int]:
        """(wrong, all) among predicted fields reported with confidence ≥ 0.9."""
        high = [f for f in self.fields if f.confidence is not None and f.confidence >= HIGH_CONFIDENCE]
        return sum(1 for f in high if f.status == "wrong"), len(high)

    def finding_totals(self) -> CodeScore:
        total = CodeScore()
        for s in self.codes.values():
            total.tp, total.fp, total.fn = total.tp + s.tp, total.fp + s.fp, total.fn + s.fn
        return total


# --- normalisation ---------------------------------------------------------------------------------


def _text(value: Any) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(value)))


def _money(value: Any) -> str:
    raw = _text(value).replace("¥", "").replace("￥", "").replace(",", "")
    try:
        return f"{Decimal(raw).quantize(Decimal('0.01'))}"
    except InvalidOperation:
        return raw


def normalise(name: str, value: Any, *, in_table: bool = False) -> Any:
    """The comparable form of a field value (truth and prediction go through the same function)."""
    if value is None:
        return None
    if name == "line_items":
        return sorted((_text(i.get("name", "")), _money(i.get("amount", ""))) for i in value if isinstance(i, dict))
    if name == "rows":
        return sorted(
            tuple(sorted((k, normalise(k, v, in_table=True)) for k, v in row.items()))
            for row in value
            if isinstance(row, dict)
        )
    if name in MONEY_FIELDS:
        return _money(value)
    if name in ("level", "seq"):
        try:
            return int(value)
        except (TypeError, ValueError):
            return _text(value)
    if name in ID_FIELDS:
        text = _text(value).upper()
        return text.lstrip("0") if in_table and text.isdigit() else text
    if name == "total_in_words":
        return _text(value).lstrip("xX⊗×").replace("元", "圆")  # NFKC turns ⓧ into x
    if name == "tax_rate":
        return _text(value)
    return _text(value)


# --- scoring ---------------------------------------------------------------------------------------


def score_fields(truth: SubmissionTruth, pred: SubmissionPrediction, report: Report) -> None:
    for doc in truth.documents:
        got = pred.documents.get(doc.path) or DocPrediction(doc.path, error="未处理")
        if doc.render != "corrupt":
            report.doc_type.add(got.doc_type == doc.doc_type)
            report.text_source.add(got.text_source == doc.format)
            if got.doc_type != doc.doc_type:
                report.misses.append(f"{truth.name}/{doc.path}：材料类型识别为 {got.doc_type!r}，应为 {doc.doc_type!r}")
        for name, expected in doc.fields.items():
            if name in doc.unscored:
                continue
            found = got.fields.get(name)
            if found is None:
                status, predicted, conf = "missing", None, None
            else:
                predicted, conf = found.value, found.confidence
                same = normalise(name, predicted) == normalise(name, expected)
                status = "correct" if same else "wrong"
            outcome = FieldOutcome(
                truth.name, doc.path, doc.doc_type, doc.format, name, doc.render, expected, predicted, conf, status
            )
            report.fields.append(outcome)
            if status != "correct":
                report.misses.append(
                    f"{truth.name}/{doc.path} [{doc.format}] {name}：{_STATUS[status]}；"
                    f"应为 {expected!r}，读出 {predicted!r}"
                    + (f"（置信度 {conf:.2f}）" if conf is not None else "")
                )


BOX_IOU = 0.7


def score_boxes(truth: SubmissionTruth, pred: SubmissionPrediction, report: Report) -> None:
    """Each rightly read value with a true box: its reported box must overlap the drawn value
    (or one of the other places it is drawn) with IoU ≥ ``BOX_IOU`` on the same page."""
    for doc in truth.documents:
        got = pred.documents.get(doc.path)
        if got is None:
            continue
        for name, true_box in doc.boxes.items():
            found = got.fields.get(name)
            if found is None or normalise(name, found.value) != normalise(name, doc.fields.get(name)):
                continue
            places = [true_box, *doc.box_alternatives.get(name, [])]
            best = max((iou(found.page, found.bbox, place) for place in places), default=0.0)
            report.boxes.add(best >= BOX_IOU)
            if best < BOX_IOU:
                report.box_misses.append(
                    f"{truth.name}/{doc.path} {name}：与真值框重合度 IoU {best:.2f}，证据框 {found.bbox}"
                )


def iou(page: int | None, box: tuple[float, float, float, float] | None, place: list[float]) -> float:
    """Intersection over union of a reported box and a true ``[page, x0, y0, x1, y1]``."""
    if box is None or page != int(place[0]):
        return 0.0
    x0, y0, x1, y1 = box
    a0, b0, a1, b1 = place[1:5]
    w, h = min(x1, a1) - max(x0, a0), min(y1, b1) - max(y0, b0)
    if w <= 0 or h <= 0:
        return 0.0
    shared = w * h
    return shared / ((x1 - x0) * (y1 - y0) + (a1 - a0) * (b1 - b0) - shared)


def score_findings(truth: SubmissionTruth, pred: SubmissionPrediction, report: Report) -> None:
    """Recall counts a seeded problem found when its code is reported or when a reviewer question
    names it as the suspicion (the gate asks instead of accusing on an unsure reading); such a
    question is not a false finding. ``found_as_question`` says how many were found that way."""
    reported = Counter(code for code, _ in pred.findings)
    suspected = Counter(s for _, s in pred.asked)
    explained: Counter[str] = Counter()
    for exp in truth.expected:
        if any(reported[c] for c in exp.accepted):
            report.codes[exp.code].tp += 1
        elif any(suspected[c] for c in exp.accepted):
            report.codes[exp.code].tp += 1
            report.found_as_question += 1
        else:
            report.codes[exp.code].fn += 1
            report.misses.append(f"{truth.name}：应报 {exp.code} 未报（{exp.note}）")
    accepted = {c for exp in truth.expected for c in exp.accepted}
    for asking, sus in pred.asked:
        if sus in accepted:
            explained[asking] += 1
    for code in sorted(reported):
        if code in truth.forbidden and reported[code] > explained[code]:
            report.codes[code].fp += 1
            report.misses.append(f"{truth.name}：误报 {code}")
    if not truth.expected:
        report.clean_submissions += 1
        report.false_errors_on_clean += sum(
            1 for code, sev in pred.findings if sev == "error" and code in truth.forbidden
        )
    if truth.status:
        flagged_only_allowed = all(
            c in truth.allowed or explained[c] for c, sev in pred.findings if sev in ("error", "warning")
        )
        report.status.add(pred.status == truth.status or (truth.status == "pass" and flagged_only_allowed))


def score_award(truth: SubmissionTruth, pred: SubmissionPrediction, report: Report) -> None:
    if truth.award_wan is None:
        return
    got = pred.award_wan if pred.award_wan is not None else 0.0
    ok = abs(got - truth.award_wan) < 1e-6
    report.award.add(ok)
    if not ok:
        report.misses.append(f"{truth.name}：奖补 {got:g} 万元，应为 {truth.award_wan:g} 万元")


def score(pairs: list[tuple[SubmissionTruth, SubmissionPrediction]]) -> Report:
    report = Report()
    for truth, pred in pairs:
        if pred.error:
            report.misses.append(f"{truth.name}：处理失败：{pred.error}")
        score_fields(truth, pred, report)
        score_boxes(truth, pred, report)
        score_findings(truth, pred, report)
        score_award(truth, pred, report)
        report.identity.update(pred.identity)
    return report
