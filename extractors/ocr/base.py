"""The OCR protocol and its error, apart from the package that picks an engine.

The engines import these without importing the chooser in ``extractors/ocr/__init__.py``, so the
chooser depends on the engines and never the other way round.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

import numpy as np

from models import TextLine
from models.errors import EvidenceError


class OcrUnavailableError(EvidenceError, RuntimeError):
    """The requested engine cannot run here (not installed, or its local models are missing)."""


@runtime_checkable
class OcrEngine(Protocol):
    """Recognise the text lines of one RGB page image (H×W×3, uint8); boxes in that image's pixels."""

    name: str
    version: str

    def recognize(self, image: np.ndarray) -> list[TextLine]: ...
