"""Who issued a certificate, as printed: the body under 发证机构 / 批准机关, else the issuing body's
line at the foot of the page (中国电子信息行业联合会, CMMI Institute, …信息技术服务分会, 江苏省科学技术厅).

An issuing body's name ends in what bodies are (协会, 联合会, 分会, 委员会, 认证中心, 厅, 局,
Institute); a holder's does not, or is the holder. Accreditation marks (CNAS, 认证认可监督管理委员会 in
the "check this certificate at" note) are not issuers. Several approving bodies (高新技术企业) are
joined with 、 as printed under their caption; where they are printed only as their stamps (a
高新技术企业证书's four seals beside 批准机关), the bodies the stamps name are the issuer.
"""

from __future__ import annotations

import re

from extractors.fields.canonical import clean
from extractors.fields.common import make_field
from extractors.fields.layout import Hit, Row, enclose, find_label, group_rows, placed_lines, sub_bbox
from models import Document

ISSUER_LABELS = (
    "发证机构", "颁发机构", "发证单位", "颁发单位", "颁证单位", "认证机构", "评估机构", "评价机构", "颁证机构",
    "发证机关", "批准机关", "认定机构", "IssuedBy", "CertificationBody", "Issuer",
)  # fmt: skip
_BODY_END = re.compile(
    r"(?:协会|联合会|分会|委员会|认证中心|评估中心|服务中心|研究院|研究所|中心|科学技术厅|财政厅|厅|税务局|局"
    r"|Institute|ISACA|Association|Council|Centre|Center)$",
    re.IGNORECASE,
)
_EN_BODY = re.compile(
    r"\b(?:CMMI Institute|ISACA|[A-Z][A-Za-z&]+(?: [A-Z][A-Za-z&]+)* (?:Institute|Association|Council))\b"
)
_NOT_ISSUER = re.compile(
    r"认可委员会|认证认可监督管理|CNAS|IAF|网站|查询|WWW|HTTP|本证书|兹证明|特发此证", re.IGNORECASE
)
_CAPTION = re.compile(
    r"^(?:" + "|".join(r"\s*".join(map(re.escape, c)) for c in ISSUER_LABELS) + r")\s*[:：]?\s*", re.IGNORECASE
)
_CJK = re.compile(r"[\u4e00-\u9fff]")
_TRAILING_DATE = re.compile(r"(?:19|20)\d{2}[年./-].*$")


def body_name(text: str) -> str | None:
    """``text`` as an issuing body's name (caption, a trailing date and punctuation removed), else None."""
    value = _TRAILING_DATE.sub("", _CAPTION.sub("", text.strip())).strip(" :：;,，。（(")
    if not 4 <= len(value) <= 40 or _NOT_ISSUER.search(value) or not _BODY_END.search(value):
        return None
    return value


def _bodies(raw: str) -> list[str]:
    """The bodies one printed line names: chunks separated by spaces or 、, a …分会 kept with its parent."""
    out: list[str] = []
    if not _CJK.search(raw):
        return [raw.strip()]
    for chunk in re.split(r"[\s、]+", raw.strip()):
        if not chunk:
            continue
        if out and chunk.endswith("分会") and not re.search(r"[省市]", chunk[:3]):
            out[-1] += chunk
        else:
            out.append(chunk)
    return out


def find_issuer(rows: list[Row], holder: str | None) -> Hit | None:
    """The issuer: under its caption first, then the lowest Chinese body line (a bilingual
    certificate prints the English name under the Chinese one), then a known English body, then the
    lowest body line."""
    labelled = _under_caption(rows, holder)
    if labelled is not None:
        return labelled
    candidates = [hit for row in rows if (hit := _row_bodies(row, holder)) is not None]
    chinese = [hit for hit in candidates if _CJK.search(hit.value)]
    if chinese:
        return chinese[-1]
    for row in rows:
        for p in row.items:
            m = _EN_BODY.search(p.line.text)
            if m and not _NOT_ISSUER.search(p.line.text):
                return Hit(m.group(0), row.page, p.ink_box, p.line.confidence, "text")
    return candidates[-1] if candidates else None


def _row_bodies(row: Row, holder: str | None, *, start_x: float | None = None) -> Hit | None:
    """The bodies named on a row (left of ``start_x`` ignored), joined with 、."""
    names: list[str] = []
    boxes = []
    conf = 1.0
    for p in row.items:
        if start_x is not None and p.bbox.x1 < start_x:
            continue
        for chunk in _bodies(_CAPTION.sub("", p.line.text.strip())):
            name = body_name(chunk)
            if name and not (holder and (holder in name or name in holder)) and name not in names:
                names.append(name)
                at = p.text.find(clean(name))
                boxes.append(sub_bbox(p, at, at + len(clean(name))) if at >= 0 else p.bbox)
                conf = min(conf, p.line.confidence)
    if not names:
        return None
    return Hit("、".join(names), row.page, enclose(boxes), conf, "text")


def _under_caption(rows: list[Row], holder: str | None) -> Hit | None:
    """The bodies beside the caption, or on the rows under it (approving bodies printed as a list)."""
    for label in find_label(rows, ISSUER_LABELS):
        same = _row_bodies(label.row, holder, start_x=label.bbox.x1 - 1)
        if same is not None:
            return Hit(same.value, same.page, same.bbox, same.confidence, "right")
        h = max(label.bbox.height, 1.0)
        below = [
            r
            for r in rows
            if r.page == label.row.page and label.bbox.y1 - 0.3 * h <= r.bbox.y0 <= label.bbox.y1 + 6 * h
        ]
        hits = [hit for r in below if (hit := _row_bodies(r, holder, start_x=label.bbox.x0 - 2 * h)) is not None]
        if hits:
            value = "、".join(dict.fromkeys(v for hit in hits for v in hit.value.split("、")))
            box = enclose(hit.bbox for hit in hits)
            return Hit(value, hits[0].page, box, min(hit.confidence for hit in hits), "below")
    return None


def with_seal_issuer(doc: Document) -> Document:
    """``doc`` with its issuer read off the stamps beside or under the issuer's caption, where the
    text names none: left to right, as the bodies sign. Its confidence is the least of those
    stamps' (a stamp's name is worth no more than an uncorroborated arc reading)."""
    if doc.doc_type != "certificate" or "issuer" in doc.fields or not doc.seals:
        return doc
    for label in find_label(group_rows(placed_lines(doc)), ISSUER_LABELS):
        h = max(label.bbox.height, 1.0)
        near = sorted(
            (
                (s.bbox, s.confidence, bodies)
                for s in doc.seals
                if s.page == label.row.page
                and s.bbox is not None
                and s.bbox.x1 > label.bbox.x0
                and label.bbox.y0 - 2 * h <= s.bbox.y0 <= label.bbox.y1 + 6 * h
                and (bodies := [n for n in s.names if body_name(n)])
            ),
            key=lambda stamp: stamp[0].x0,
        )
        if not near:
            continue
        names = dict.fromkeys(n for _, _, bodies in near for n in bodies)
        confidence = min(conf for _, conf, _ in near)
        hit = Hit("、".join(names), label.row.page, enclose(box for box, _, _ in near), confidence, "right")
        field = make_field(doc, hit.value, hit, "certificate", name="issuer", confidence=confidence, source="ocr")
        return doc.model_copy(update={"fields": {**doc.fields, "issuer": field}})
    return doc


_SCOPE_LABELS = ("通过认证的范围", "认证覆盖的范围", "认证范围", "覆盖范围", "Scopeofcertification", "Scope")
_SCOPE_END = re.compile(r"有效期|日期|注册|发证|获证|(?:19|20)\d{2}[年./-]|Valid|Issue|Expir", re.IGNORECASE)


def system_scope(rows: list[Row]) -> Hit | None:
    """A management-system certificate's scope: after its caption, or on the lines under it
    (通过认证的范围如下： / 有线电视设备…的设计、开发、生产), up to the dates that follow."""
    for label in find_label(rows, _SCOPE_LABELS):
        rest = label.row.text[label.end :].removeprefix("如下").strip(":：; ")
        if len(rest) >= 4:
            return Hit(rest, label.row.page, label.row.bbox, min(p.line.confidence for p in label.row.items), "right")
        after = [r for r in rows if r.page == label.row.page and r.bbox.y0 >= label.row.bbox.y1 - 2]
        taken: list[Row] = []
        for row in sorted(after, key=lambda r: r.bbox.y0)[:3]:
            if _SCOPE_END.search(row.text) or body_name(row.text) is not None:
                break
            taken.append(row)
        if taken:
            value = "".join(r.text for r in taken)
            box = enclose(r.bbox for r in taken)
            return Hit(value, taken[0].page, box, min(p.line.confidence for r in taken for p in r.items), "below")
    return None
