"""Faults the store must survive: SQLite locked by another writer, PostgreSQL connections killed
(as by a server restart), a full disk while keeping page images."""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from models.settings import Settings
from store import DocumentKey, Store, open_store
from store.pages import PageImageError, keep_page_images
from tests.test_store import make_document
from tests.test_store_fixtures import store, store_settings

__all__ = ["store", "store_settings"]


def test_sqlite_writer_waits_for_a_lock_held_elsewhere(tmp_path: Path) -> None:
    opened = open_store(Settings(home=tmp_path / "h"))
    other = sqlite3.connect(tmp_path / "h" / "evidence.db", isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")  # another process holding the write lock

    def release() -> None:
        time.sleep(1.5)
        other.execute("COMMIT")

    holder = threading.Thread(target=release)
    holder.start()
    started = time.monotonic()
    run = opened.start_run("batch", "/data")
    waited = time.monotonic() - started
    holder.join()
    other.close()
    assert waited >= 1.0 and opened.get_run(run.id) is not None
    opened.close()


def test_writes_survive_postgres_dropping_every_connection(store: Store, store_settings: Settings) -> None:
    if not store_settings.db_url:
        pytest.skip("PostgreSQL only")
    run = store.start_run("batch", "/data")
    admin = create_engine(store_settings.db_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        killed = conn.execute(
            text(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        ).scalar_one()
    admin.dispose()
    assert killed >= 1  # the store's pooled connection was among them
    doc = store.put_document(DocumentKey("d" * 64, "e", "x"), make_document())
    store.finish_run(run.id, {"done": 1})
    assert store.get_document(doc.key) is not None
    info = store.get_run(run.id)
    assert info is not None and info.status == "finished"


def test_full_disk_while_keeping_page_images_leaves_nothing_behind(store: Store, tmp_path: Path) -> None:
    image = tmp_path / "render.png"
    image.write_bytes(b"\x89PNG" + b"\0" * 4096)
    doc = make_document()
    doc.pages[0].image_path = str(image)
    key = DocumentKey("e" * 64, "e", "x")
    target_dir = store.settings.home / "pages" / key.sha256[:2] / key.sha256 / "e-x"
    target_dir.mkdir(parents=True)
    (target_dir / "p0001.png.part").symlink_to("/dev/full")  # every write there fails with ENOSPC
    with pytest.raises(PageImageError) as failure:
        keep_page_images(store.settings.home, key, doc)
    assert "无法保存页面图像" in str(failure.value)
    assert not (target_dir / "p0001.png").exists()
    assert not (target_dir / "p0001.png.part").exists()
    assert store.get_document(key) is None and store.table_counts()["page_images"] == 0
