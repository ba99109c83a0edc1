"""Store fixtures shared by the store and flow tests: every store test runs on SQLite and PostgreSQL.

PostgreSQL comes from ``EVIDENCE_TEST_PG_URL`` (scripts/test.sh starts a throw-away server); each
test gets its own database, created and dropped here.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from models.settings import Settings
from store import Store, open_store

PG_URL = os.environ.get("EVIDENCE_TEST_PG_URL")


def _fresh_pg_database() -> tuple[str, str]:
    assert PG_URL
    name = f"evidence_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return name, make_url(PG_URL).set(database=name).render_as_string(hide_password=False)


def _drop_pg_database(name: str) -> None:
    assert PG_URL
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


@pytest.fixture(params=BACKENDS)
def store_settings(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Settings]:
    """Settings for a fresh, empty store on the parametrised backend."""
    home = tmp_path / "home"
    if request.param == "sqlite":
        yield Settings(home=home)
        return
    if not PG_URL:
        pytest.skip("EVIDENCE_TEST_PG_URL is not set (scripts/test.sh starts PostgreSQL)")
    name, url = _fresh_pg_database()
    try:
        yield Settings(home=home, db_url=url)
    finally:
        _drop_pg_database(name)


@pytest.fixture
def store(store_settings: Settings) -> Iterator[Store]:
    opened = open_store(store_settings)
    try:
        yield opened
    finally:
        opened.close()
