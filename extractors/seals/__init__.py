"""Red stamps (印章) on page images: found by colour and shape, their arc and centre text read by OCR.

``find_seals`` works on one upright page image; ``extractors.seals.hook`` fills ``Document.seals``
from the page images reading already produced, or renders text-layer PDF pages that hold images.
"""

from __future__ import annotations

from extractors.seals.find import find_seals

__all__ = ["find_seals"]
