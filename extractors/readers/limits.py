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

# Pillow raises DecompressionBombError above twice this value and warns above it; we check ourselves.
Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS
