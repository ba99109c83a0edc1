"""A reviewer's keyboard tour of the validation screen, from the queue to a final decision.

Shared by the Chromium test (``tests/test_review_validation.py``) and the script that refreshes the
screenshots in ``docs/`` (``scripts/review_screenshots.py``): the pictures in the docs are taken by
the same steps the test checks, so they cannot show a screen that no longer exists.
"""

from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import uvicorn

from models import Document
from review.app import create_app
from tests.test_checks_builders import as_extracted
from tests.test_review_fixtures import PASSWORD, Seeded, application, invoice_document, store_submission

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
QR_INVOICE = "扫描发票.jpg"
QR_NUMBER = "24112000000055556666"
QR_PAYLOAD = f"01,32,,{QR_NUMBER},577358.49,20230330,,A1B2"
LOW_CONFIDENCE = 0.62


def qr_invoice(render_dir: Path) -> Document:
    """A scanned invoice whose QR code gives another date, with its seller read at low confidence."""
    doc = invoice_document(render_dir, QR_INVOICE, "山西清众科技股份有限公司", QR_NUMBER, "612000.00")
    page = doc.pages[0].model_copy(update={"qr_payloads": [QR_PAYLOAD]})
    seller = doc.fields["seller_name"].model_copy(update={"confidence": LOW_CONFIDENCE})
    return as_extracted(doc.model_copy(update={"pages": [page], "fields": {**doc.fields, "seller_name": seller}}))


def add_qr_submission(seeded: Seeded, tmp_path: Path) -> int:
    """A third pending submission: a QR mismatch and a low-confidence field."""
    render_dir = tmp_path / "render-qr"
    render_dir.mkdir(exist_ok=True)
    folder = str(tmp_path / "in" / "扫描件")
    return store_submission(seeded.store, seeded.settings, folder, application(), [qr_invoice(render_dir)])


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def serving(seeded: Seeded) -> Iterator[str]:
    """The real app under uvicorn on a free local port."""
    port = _free_port()
    config = uvicorn.Config(create_app(seeded.settings), host="127.0.0.1", port=port, log_level="warning")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not srv.started:
        assert time.monotonic() < deadline, "review server did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        srv.should_exit = True
        thread.join(timeout=10)


@contextmanager
def chromium_page(width: int = 1440, height: int = 1000) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser.new_page(viewport={"width": width, "height": height}, locale="zh-CN")
        finally:
            browser.close()


def log_in(page: Any, server: str) -> None:
    from playwright.sync_api import expect

    page.goto(server + "/login")
    page.fill("input[name=username]", "alice")
    page.fill("input[name=password]", PASSWORD)
    page.click("button:has-text('登录')")
    expect(page.locator("h1")).to_have_text("待审队列")


def keyboard_tour(page: Any, server: str, seeded: Seeded, shots: Path) -> list[Path]:
    """Queue → submission → dismiss one finding, confirm the next, decide: keys only. Returns the shots."""
    from playwright.sync_api import expect

    taken: list[Path] = []

    def shot(name: str) -> None:
        taken.append(shots / f"review-tour-{len(taken) + 1}-{name}.png")
        page.screenshot(path=str(taken[-1]))

    shots.mkdir(parents=True, exist_ok=True)
    log_in(page, server)
    expect(page.locator(".key-hint")).to_contain_text("打开申报")
    page.keyboard.press("j")
    first = page.locator("table.queue tbody tr.current")
    expect(first).to_contain_text("山西示例科技有限公司")
    shot("queue")
    page.keyboard.press("Enter")
    expect(page.locator(".summary h1")).to_contain_text("山西示例科技有限公司")
    expect(page.locator(".progress-text")).to_contain_text("待审第 1 / 3 份")
    expect(page.locator(".key-hint")).to_contain_text("快捷键")

    page.keyboard.press("j")
    card = page.locator("article.finding.current")
    expect(card).to_have_count(1)
    page.keyboard.press("d")
    reason = card.locator("form.dismiss-form input[name=reason]")
    expect(reason).to_be_focused()
    page.keyboard.type("发票原件已核对，销售方为名单内企业")
    shot("dismiss-reason")
    dismissed_id = card.get_attribute("id")
    page.keyboard.press("Enter")
    done = page.locator(f"#{dismissed_id}")
    expect(done.locator(".flash.ok")).to_contain_text("已排除该问题")
    expect(page.locator("main > .flash")).to_have_count(0)
    shot("dismissed")

    page.keyboard.press("j")
    current = page.locator("article.finding.current")
    expect(current).not_to_have_id(str(dismissed_id))
    confirmed_id = current.get_attribute("id")
    page.keyboard.press("c")
    expect(page.locator(f"#{confirmed_id} .flash.ok")).to_contain_text("已确认该问题")

    page.keyboard.press("f")
    expect(page.locator("#final input[name=kind]").first).to_be_focused()
    page.keyboard.press("ArrowRight")  # 批准奖补 → 驳回
    expect(page.locator("#final input[value=reject]")).to_be_checked()
    page.keyboard.press("Tab")
    page.keyboard.type("云服务商不在名单，不予奖补")
    shot("decision")
    page.keyboard.press("Enter")
    expect(page.locator("main > .flash.ok")).to_contain_text("已提交结论：驳回。已转到下一份待审申报（还剩 2 份）")
    expect(page.locator(".progress-text")).to_contain_text("已决定 1 / 3 份")
    shot("next-submission")
    return taken


def publish(taken: list[Path], docs: Path) -> None:
    """Copy the tour's shots into ``docs/`` (only the screenshot script does this)."""
    for path in taken:
        shutil.copyfile(path, docs / path.name)
