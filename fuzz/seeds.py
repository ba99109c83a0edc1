"""Write a seed corpus per format from the bad-input generators (valid and malformed files)."""

from __future__ import annotations

import sys
from pathlib import Path

from tests.badinput import ofd, pdfgen, tables
from tests.badinput.good import invoice_pdf

_TEXT = ["Service contract HT-2024-001", "Total 106000.00"]


def seeds() -> dict[str, dict[str, bytes]]:
    whole = pdfgen.text_page_pdf(_TEXT).render()
    return {
        "pdf": {
            "plain.pdf": whole,
            "invoice.pdf": invoice_pdf("24112000000012345678"),
            "broken_xref.pdf": pdfgen.text_page_pdf(_TEXT).render(broken_xref=True),
            "encrypted.pdf": pdfgen.text_page_pdf(_TEXT, encryption=pdfgen.Encryption("", "owner")).render(),
            "many_pages.pdf": pdfgen.text_page_pdf(_TEXT, claimed_pages=100_000).render(),
            "truncated.pdf": whole[: len(whole) // 2],
        },
        "ofd": {
            "valid.ofd": ofd.valid_ofd(["发票号码：24112000000012345678", "合计 ¥106000.00"]),
            "traversal.ofd": ofd.traversal_ofd("fuzz-escape.txt"),
            "xxe.ofd": ofd.xxe_ofd("/etc/hostname"),
        },
        "xlsx": {"table.xlsx": _small_xlsx()},
        "csv": {"gbk.csv": tables.gbk_csv(), "utf8.csv": tables.gbk_csv().decode("gbk").encode("utf-8")},
    }


def _small_xlsx() -> bytes:
    """The pathological workbook's structure without the million rows (libFuzzer caps input size)."""
    saved = tables.EMPTY_ROWS_TO
    try:
        tables.EMPTY_ROWS_TO = 50
        return tables.pathological_xlsx()
    finally:
        tables.EMPTY_ROWS_TO = saved


def main(root: Path) -> None:
    for fmt, files in seeds().items():
        folder = root / fmt
        folder.mkdir(parents=True, exist_ok=True)
        for name, data in files.items():
            (folder / name).write_bytes(data)


if __name__ == "__main__":
    main(Path(sys.argv[1]))
