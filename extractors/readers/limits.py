"""Caps that keep one hostile or broken file from exhausting memory or time.

Every reader checks these *before* decoding, so a decompression bomb or a 100,000-page PDF is
refused from its header, not after it has filled the memory.
"""

from __future__ import annotations

from PIL import Image

MAX_FILE_BYTES = 200 * 1024 * 1024
MAX_PAGES = 200
# 60 MP covers a 48 MP phone photo and an A4 page at 600 dpi (35 MP); a bomb is far larger.
MAX_IMAGE_PIXELS = 60_000_000
# A rendered page is capped lower: beyond this the dpi of that page is reduced.
MAX_RENDER_PIXELS = 40_000_000
# PDF's own limit on a page side (ISO 32000: 14,400 user units = 200 inches).
MAX_PAGE_SIDE_PT = 14_400.0
# OFD packages: total uncompressed size, per-member size, member count.
MAX_ZIP_TOTAL_BYTES = 100 * 1024 * 1024
MAX_ZIP_MEMBER_BYTES = 30 * 1024 * 1024
MAX_ZIP_MEMBERS = 5_000
MAX_ZIP_RATIO = 200
# Spreadsheets: rows and columns read; the rest of a 1,000,000-row sheet is ignored.
MAX_TABLE_ROWS = 20_000
MAX_TABLE_COLS = 60
MAX_TABLE_EMPTY_RUN = 500
# Text a spreadsheet expands to: a shared string repeated in 24,000 cells turned 74 KB into 4.4 GB.
MAX_TABLE_TEXT_CHARS = 2_000_000
# Glyphs of one OFD after templates are applied (an invoice has ~1,000; a dense 200-page file
# ~400,000): 300 references to one template, or one 6 MB TextCode, must be refused unread.
MAX_DOCUMENT_GLYPHS = 500_000
# OCR budget. The detector scales a page's short side up to 736 px, so its work grows with the
# aspect ratio: measured peak RSS 0.59 GB (A4), 1.09 GB (8:1), 1.85 GB (15:1), 6-9 GB (150:1).
MAX_OCR_ASPECT = 6.0
MIN_IMAGE_SIDE = 16
# Pages OCR may read in one document (~0.5 s a page on a loaded machine: 200 pages took 106 s,
# against the 60 s bound per document).
MAX_OCR_PAGES = 50
# Image objects of one PDF page, in decoded pixels (drawing a page decodes them at full size).
MAX_PAGE_IMAGE_PIXELS = MAX_IMAGE_PIXELS

# Pillow raises DecompressionBombError above twice this value and warns above it; we check ourselves.
Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS
