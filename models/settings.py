"""Run-time configuration, read from the environment so batch jobs and the review UI agree."""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_dir
from pydantic import BaseModel, Field

DEFAULT_RASTER_DPI = 200


class Settings(BaseModel):
    """``EVIDENCE_HOME`` holds the SQLite database, page images and imported list versions."""

    home: Path
    db_url: str | None = None
    ocr_engine: str = "rapidocr"
    raster_dpi: int = Field(default=DEFAULT_RASTER_DPI, ge=72, le=600)

    @classmethod
    def from_env(cls) -> Settings:
        home = Path(os.environ.get("EVIDENCE_HOME") or user_data_dir("evidence", appauthor=False))
        return cls(
            home=home,
            db_url=os.environ.get("EVIDENCE_DB_URL") or None,
            ocr_engine=os.environ.get("EVIDENCE_OCR_ENGINE", "rapidocr"),
            raster_dpi=int(os.environ.get("EVIDENCE_RASTER_DPI", DEFAULT_RASTER_DPI)),
        )

    def ensure_home(self) -> Path:
        """Create the data directory owner-only: it holds tax ids, bank accounts and page images."""
        self.home.mkdir(parents=True, exist_ok=True)
        self.home.chmod(0o700)
        return self.home
