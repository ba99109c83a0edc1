"""Reports a back office can use: results.json, an XLSX workbook, one self-contained HTML per submission.

The HTML embeds each page as a base64 PNG with the findings' evidence boxes drawn on it, and
escapes every piece of text (file names and OCR text are attacker-controlled).
"""

from __future__ import annotations

import base64
import html
import io
import json
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw

from models.field_names import field_label
from models.result import Result
from review.labels import DOC_TYPE_LABELS, SEVERITY_LABELS, STATUS_LABELS, code_label, list_version_label

_COLORS = {"error": (220, 38, 38), "warning": (217, 119, 6), "info": (37, 99, 235)}
MAX_PAGES_PER_DOCUMENT = 10
REPORT_DPI = 100  # enough to see the boxes; keeps a report of a dozen pages to a few MB

PageRenderer = Callable[[Path, int, int], Image.Image | None]


def results_json(results: list[Result]) -> str:
    return json.dumps([r.model_dump(mode="json") for r in results], ensure_ascii=False, indent=2)


def award_text(result: Result) -> str:
    return "" if result.award is None else f"{result.award.amount_wan:g}"


def write_workbook(results: list[Result], path: Path) -> None:
    """Sheet 提交 (one row per submission) and sheet 问题 (one row per finding), through the one cell writer."""
    from review.exports import workbook_bytes

    submissions = [
        [
            r.submission,
            r.applicant.name if r.applicant else "",
            r.policy or "",
            STATUS_LABELS.get(r.status, r.status),
            r.award.amount_wan if r.award else None,
            r.award.basis if r.award else "",
            len(r.findings),
            r.error or "",
        ]
        for r in results
    ]
    issues = [
        [
            r.submission,
            code_label(f.code.value),
            SEVERITY_LABELS.get(f.severity, f.severity),
            f.message,
            "、".join(f.documents),
            "、".join(field_label(n) for n in f.fields),
            f.code.value,
        ]
        for r in results
        for f in r.findings
    ]
    path.write_bytes(
        workbook_bytes(
            [
                ("提交", ["申报材料", "申报单位", "政策", "状态", "核定奖励（万元）", "奖励依据", "问题数", "错误说明"],
                 submissions),
                ("问题", ["申报材料", "问题", "级别", "说明", "文件", "字段", "问题代码"], issues),
            ]
        )
    )


def default_renderer(path: Path, page: int, dpi: int) -> Image.Image | None:
    """The readers' ``render_page`` when available; None when the page cannot be drawn."""
    try:
        from extractors import reading

        render = getattr(reading, "render_page", None)
        image = render(path, page, dpi) if render is not None else _fallback_render(path, page, dpi)
    except Exception:  # a page we cannot draw must not cost the reviewer the whole report
        return None
    if image is None or isinstance(image, Image.Image):
        return image
    try:
        converted: Image.Image = Image.fromarray(image)
    except Exception:
        return None
    return converted


def _fallback_render(path: Path, page: int, dpi: int) -> Image.Image | None:
    """PDF pages through pdfium, images as they are: enough to show where the evidence is."""
    if path.suffix.lower() == ".pdf":
        import pypdfium2

        pdf = pypdfium2.PdfDocument(str(path))
        try:
            bitmap = pdf[page - 1].render(scale=dpi / 72)
            rendered: Image.Image = bitmap.to_pil().copy()
            bitmap.close()
            return rendered
        finally:
            pdf.close()
    if path.suffix.lower() in {".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp", ".webp", ".gif"}:
        with Image.open(path) as img:
            img.seek(page - 1)
            return img.convert("RGB")
    return None


def _png_data_uri(image: Image.Image) -> str:
    buffer = io.BytesIO()
    image.convert("RGB").save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def _draw(image: Image.Image, boxes: Sequence[tuple[list[float], str]], scale: float) -> Image.Image:
    canvas = image.convert("RGB")
    draw = ImageDraw.Draw(canvas)
    for bbox, severity in boxes:
        x0, y0, x1, y1 = (v * scale for v in bbox)
        draw.rectangle((x0, y0, x1, y1), outline=_COLORS.get(severity, (0, 0, 0)), width=4)
    return canvas


_CSS = """
body{font-family:"WenQuanYi Micro Hei","Noto Sans CJK SC",sans-serif;margin:24px;color:#111}
table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #ccc;padding:4px 8px;text-align:left}
.error{color:#b91c1c}.warning{color:#b45309}.info{color:#1d4ed8}
figure{margin:12px 0}img{max-width:100%;border:1px solid #999}
"""


def _e(value: Any) -> str:
    """Escaped for HTML, with control characters (which HTML cannot hold) as visible escapes."""
    from review.exports import clean_text

    return html.escape(clean_text(str(value if value is not None else "")), quote=True)


def _versions_text(result: Result) -> str:
    return "、".join(f"{k} {list_version_label(v)}" for k, v in result.list_versions.items())


def render_html(result: Result, directory: Path | None, renderer: PageRenderer = default_renderer) -> str:
    """The report of one submission as one HTML string with nothing loaded from outside."""
    parts = [
        "<!DOCTYPE html><html lang='zh-CN'><head><meta charset='utf-8'>",
        "<meta http-equiv='Content-Security-Policy' "
        "content=\"default-src 'none'; img-src data:; style-src 'unsafe-inline'\">",
        f"<title>核验报告 {_e(result.submission)}</title><style>{_CSS}</style></head><body>",
        f"<h1>核验报告</h1><table><tr><th>申报材料</th><td>{_e(result.submission)}</td></tr>",
        f"<tr><th>申报单位</th><td>{_e(result.applicant.name if result.applicant else '')}</td></tr>",
        f"<tr><th>政策</th><td>{_e(result.policy)}（版本 {_e(result.policy_version)}）</td></tr>",
        f"<tr><th>名单版本</th><td>{_e(_versions_text(result))}</td></tr>",
        f"<tr><th>状态</th><td>{_e(STATUS_LABELS.get(result.status, result.status))}</td></tr>",
    ]
    if result.award is not None:
        parts.append(f"<tr><th>核定奖励</th><td>{_e(award_text(result))} 万元：{_e(result.award.basis)}</td></tr>")
    if result.error:
        parts.append(f"<tr><th>错误</th><td>{_e(result.error)}</td></tr>")
    parts.append("</table><h2>问题</h2>")
    if result.findings:
        parts.append("<table><tr><th>#</th><th>级别</th><th>问题</th><th>说明</th><th>文件</th></tr>")
        for i, f in enumerate(result.findings, start=1):
            parts.append(
                f"<tr class='{_e(f.severity)}'><td>{i}</td><td>{_e(SEVERITY_LABELS.get(f.severity))}</td>"
                f"<td title='{_e(f.code.value)}'>{_e(code_label(f.code.value))}</td>"
                f"<td>{_e(f.message)}</td><td>{_e('、'.join(f.documents))}</td></tr>"
            )
        parts.append("</table>")
    else:
        parts.append("<p>未发现问题。</p>")
    parts.append("<h2>材料与证据</h2>")
    for doc in result.documents:
        parts.append(f"<h3>{_e(doc.path)}（{_e(DOC_TYPE_LABELS.get(doc.doc_type, doc.doc_type))}）</h3>")
        for page in doc.pages[:MAX_PAGES_PER_DOCUMENT]:
            boxes = [
                ([ev.bbox.x0, ev.bbox.y0, ev.bbox.x1, ev.bbox.y1], f.severity)
                for f in result.findings
                for ev in f.evidence
                if ev.path == doc.path and ev.page == page.number and ev.bbox is not None
            ]
            dpi = min(page.dpi, REPORT_DPI)
            image = renderer(directory / doc.path, page.number, dpi) if directory is not None else None
            if image is None:
                if boxes:
                    parts.append(f"<p>第 {page.number} 页无法渲染；证据位置：{_e(boxes)}</p>")
                continue
            scale = image.width / page.width if page.width else 1.0
            uri = _png_data_uri(_draw(image, boxes, scale))
            parts.append(
                f"<figure><img alt='{_e(doc.path)} 第{page.number}页' src='{uri}'>"
                f"<figcaption>{_e(doc.path)} 第 {page.number} 页</figcaption></figure>"
            )
    parts.append("</body></html>")
    return "".join(parts)


def report_name(result: Result, index: int) -> str:
    """A safe file name for a submission's HTML report."""
    stem = re.sub(r"[^\w.-]+", "_", Path(result.submission).name or "submission").strip("._") or "submission"
    return f"{index:03d}_{stem}.html"


def write_reports(results: list[Result], out_dir: Path, renderer: PageRenderer = default_renderer) -> list[Path]:
    """results.json, results.xlsx and one HTML report per submission in ``out_dir``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = [out_dir / "results.json", out_dir / "results.xlsx"]
    written[0].write_text(results_json(results), encoding="utf-8")
    write_workbook(results, written[1])
    for i, result in enumerate(results, start=1):
        path = out_dir / report_name(result, i)
        directory = Path(result.submission) if result.submission else None
        path.write_text(render_html(result, directory, renderer), encoding="utf-8")
        written.append(path)
    return written
