"""``evidence extract FILE...``: read, classify and extract each file; print docs/REFERENCE.md §3 objects.

A file that cannot be read gets one ``evidence: error: FILE: reason`` line on stderr and the
others are still processed; the exit status is then 2.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click
from rich.console import Console

from evidence_cli.common import format_option, one_line, print_json
from evidence_cli.progress_bar import reading
from extractors.errors import DocumentReadError
from models import Document
from models.file_names import valid_utf8


def _lines_payload(doc: Document) -> list[dict[str, Any]]:
    return [
        {
            "page": page.number,
            "width": page.width,
            "height": page.height,
            "dpi": page.dpi,
            "text_source": page.text_source,
            "rotation": page.rotation,
            "qr_payloads": page.qr_payloads,
            "lines": [line.model_dump(mode="json", exclude={"raw_text"}) for line in page.lines],
            **({"table_rows": page.table_rows} if page.table_rows is not None else {}),
        }
        for page in doc.pages
    ]


def _print_tables(docs: list[Document], with_lines: bool) -> None:
    from evidence_cli.extract_view import print_document, print_lines

    for doc in docs:
        print_document(doc)
        if with_lines:
            print_lines(doc)


def _shown(path: str) -> str:
    """A path as valid UTF-8: a GBK-encoded file name must not make the JSON output undecodable."""
    return valid_utf8(path)


@click.command("extract")
# readable=False: an unreadable file gets the reader's one-line Chinese reason, not click's usage error
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path, readable=False))
@format_option
@click.option("--lines", "with_lines", is_flag=True, help="同时打印每页的文字行（含位置框）")
@click.option(
    "--ocr-engine",
    type=click.Choice(["rapidocr", "paddleocr"]),
    default=None,
    help="文字识别引擎（默认取 EVIDENCE_OCR_ENGINE，未设置时为 rapidocr）",
)
@click.option("--no-cache", "no_cache", is_flag=True, help="重新读取每个文件，不沿用已入库的读取结果")
def extract(
    files: tuple[Path, ...], output_format: str, with_lines: bool, ocr_engine: str | None, no_cache: bool
) -> None:
    """识别每份文件的类型（发票、证书、合同、明细表）并提取其字段。

    同一识别引擎和提取程序读取过的文件（任何命令读取的）从库中取用；新读取的结果入库。
    """
    from extractors.ocr import OcrUnavailableError
    from flows.reuse import read_file
    from models.settings import Settings

    settings = Settings.from_env()
    if ocr_engine:
        settings = settings.model_copy(update={"ocr_engine": ocr_engine})
    docs: list[Document] = []
    failed = False
    with reading(files, Console(stderr=True)) as todo:
        for path in todo:
            try:
                docs.append(read_file(path, settings, use_cache=not no_cache))
            except DocumentReadError as exc:
                failed = True
                click.echo(f"evidence: error: {one_line(path)}: {one_line(exc.reason)}", err=True)
            except OcrUnavailableError as exc:
                failed = True
                click.echo(f"evidence: error: {one_line(path)}: {one_line(exc)}", err=True)
    if output_format == "json":
        payload = []
        for doc in docs:
            data = doc.model_dump(mode="json")
            data["path"] = _shown(data["path"])
            if with_lines:
                data["page_details"] = _lines_payload(doc)
            payload.append(data)
        print_json(payload)
    else:
        _print_tables(docs, with_lines)
    if failed:
        # SystemExit, not click's Exit: main() runs click with standalone_mode=False, which turns
        # Exit into a return value that would be lost.
        sys.exit(2)
