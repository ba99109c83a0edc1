"""End to end in Debian's chromium: log in, open a flagged submission, see the evidence boxes on
the page image, dismiss a finding, correct a field (checks re-run) and read the audit log.

The browser is the system's ``/usr/bin/chromium`` (``playwright install`` cannot download here).
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn

from review.app import create_app
from tests.test_review_fixtures import PASSWORD, Seeded, seeded

__all__ = ["seeded"]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts"
LISTED = "山西清众科技股份有限公司"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium (/usr/bin/chromium) is not installed"),
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def server(seeded: Seeded) -> Iterator[str]:
    """The real app under uvicorn on a free local port, for as long as the test runs."""
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


def test_reviewer_flow_in_chromium(server: str, seeded: Seeded) -> None:
    from playwright.sync_api import Dialog, expect, sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    dialogs: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": 1440, "height": 1000}, locale="zh-CN")
            def on_dialog(dialog: Dialog) -> None:
                dialogs.append(dialog.message)
                dialog.dismiss()

            page.on("dialog", on_dialog)
            page.goto(server + "/")
            expect(page).to_have_url(server + "/login")
            page.fill("input[name=username]", "alice")
            page.fill("input[name=password]", PASSWORD)
            page.click("button:has-text('登录')")
            expect(page.locator("h1")).to_have_text("待审队列")

            page.click(f"a[href='/submissions/{seeded.submission_id}'] >> nth=0")
            expect(page.locator(".summary h1")).to_contain_text("山西示例科技有限公司")
            card = page.locator("article.finding", has_text="云服务商不在名单").filter(has_text="发票.pdf").first
            image = card.locator(".page-frame img")
            expect(image).to_be_visible()
            page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=image.element_handle())
            _assert_box_on_value(card)
            # hostile file name and seller name are shown as text, never run
            expect(card.locator(".message")).to_contain_text("<img src=x onerror=alert(1)>发票.pdf")
            expect(card.locator(".fields")).to_contain_text("<script>alert('xss')</script>云计算有限公司")
            page.screenshot(path=str(ARTIFACTS / "review-submission.png"), full_page=True)

            card.locator(".actions input[name=reason]").fill("发票原件已核对，销售方为名单内企业的子公司")
            card.locator("button:has-text('排除问题')").click()
            expect(page.locator(".flash.ok")).to_contain_text("已排除该问题")
            expect(page.locator(".decision-dismiss").first).to_contain_text("张审核")

            unlisted = page.locator("article.finding", has_text="云服务商不在名单")
            contract = unlisted.filter(has_text="云服务合同.pdf")
            correction = contract.locator("details.correct", has_text="乙方")
            correction.locator("summary").click()
            correction.locator("input[name=value]").fill(LISTED)
            correction.locator("input[name=reason]").fill("OCR 误识别，按合同原件更正")
            correction.locator("button:has-text('更正并重新核验')").click()
            expect(page.locator(".flash.ok")).to_contain_text("已更正并重新核验")
            expect(page.locator("article.finding", has_text="云服务合同.pdf").filter(has_text="云服务商不在名单")) \
                .to_have_count(0)

            invoice = page.locator("article.finding", has_text="云服务商不在名单").filter(has_text="发票.pdf")
            expect(invoice.locator(".decision-dismiss")).to_contain_text("沿用更正前的决定")
            audit = page.locator("section.audit table")
            for action in ("排除问题", "更正字段", "重新核验"):
                expect(audit).to_contain_text(action)
            expect(audit).to_contain_text("alice")
            page.locator("section.findings").scroll_into_view_if_needed()
            page.screenshot(path=str(ARTIFACTS / "review-after-decisions.png"), full_page=True)
        finally:
            browser.close()
    assert dialogs == [], f"script from a document ran in the page: {dialogs}"
    readme_shot = ROOT / "docs" / "review-screenshot.png"
    if os.environ.get("EVIDENCE_UPDATE_SCREENSHOT") == "1" or not readme_shot.exists():
        # the README's copy changes only on request, so a test run leaves the work tree clean
        shutil.copyfile(ARTIFACTS / "review-submission.png", readme_shot)


def _assert_box_on_value(card: object) -> None:
    """The drawn box sits where the seller name is on the scaled page image (within 2 px)."""
    from playwright.sync_api import Locator

    assert isinstance(card, Locator)
    frame = card.locator(".page-frame").first
    geometry = frame.evaluate(
        """f => {
            const img = f.querySelector('img').getBoundingClientRect();
            const rect = f.querySelector('rect.box');
            const box = rect.getBoundingClientRect();
            const vb = f.querySelector('svg').viewBox.baseVal;
            return {img: [img.left, img.top, img.width, img.height], box: [box.left, box.top, box.width, box.height],
                    page: [vb.width, vb.height], attrs: ['x', 'y', 'width', 'height'].map(a => +rect.getAttribute(a))};
        }"""
    )
    scale_x = geometry["img"][2] / geometry["page"][0]
    scale_y = geometry["img"][3] / geometry["page"][1]
    x, y, w, h = geometry["attrs"]
    expected = [geometry["img"][0] + x * scale_x, geometry["img"][1] + y * scale_y, w * scale_x, h * scale_y]
    for got, want in zip(geometry["box"], expected, strict=True):
        assert abs(got - want) < 2.5, (geometry, expected)
