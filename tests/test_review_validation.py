"""The validation screen in Debian's chromium: field ↔ box linking, zoom and pan on the full-size
page, QR payload table, confidence colours, unbroken numbers, repeated findings in one action, and a
keyboard-only pass from the queue to a decision (the same tour that draws the docs' screenshots).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.review_tour import (
    CHROMIUM,
    LOW_CONFIDENCE,
    QR_INVOICE,
    QR_NUMBER,
    add_qr_submission,
    chromium_page,
    keyboard_tour,
    log_in,
    serving,
)
from tests.test_review_browser import _assert_box_on_value
from tests.test_review_fixtures import Seeded, seeded

__all__ = ["seeded"]
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium (/usr/bin/chromium) is not installed"),
]


@pytest.fixture
def tour(seeded: Seeded, tmp_path: Path) -> Iterator[tuple[str, Seeded, int]]:
    qr_id = add_qr_submission(seeded, tmp_path)
    with serving(seeded) as server:
        yield server, seeded, qr_id


def _open(page: Any, server: str, submission_id: int) -> None:
    log_in(page, server)
    page.goto(f"{server}/submissions/{submission_id}")


def _within(box: Any, viewport: Any) -> bool:
    """The box lies inside the page viewport and the browser window."""
    return bool(
        box.evaluate(
            """(b, v) => { const r = b.getBoundingClientRect(), o = v.getBoundingClientRect();
                 return r.left >= o.left && r.right <= o.right && r.top >= Math.max(o.top, 0)
                     && r.bottom <= Math.min(o.bottom, innerHeight); }""",
            viewport.element_handle(),
        )
    )


def _invoice_card(page: Any) -> Any:
    return page.locator("article.finding", has_text="云服务商不在名单").filter(has_text="发票.pdf").first


def test_a_field_row_lights_its_box_and_a_box_its_row(tour: tuple[str, Seeded, int]) -> None:
    from playwright.sync_api import expect

    server, seeded, _ = tour
    with chromium_page(height=700) as page:
        _open(page, server, seeded.submission_id)
        card = _invoice_card(page)
        row = card.locator("tr[data-key]", has_text="销售方名称")
        key = row.get_attribute("data-key")
        box = card.locator(f"rect.box[data-key='{key}']").first
        # zoomed to full size and scrolled away, a click on the row brings the box back into view
        figure = card.locator(".page-figure").first
        page.wait_for_function("img => img.naturalWidth > 0", arg=figure.locator("img").element_handle())
        figure.locator("button[data-zoom=full]").click()
        viewport = figure.locator(".page-viewport")
        viewport.evaluate("v => { v.scrollLeft = v.scrollWidth; v.scrollTop = v.scrollHeight; }")
        assert not _within(box, viewport)
        row.click()
        expect(box).to_have_class(re.compile(r"\bactive\b"))
        expect(row).to_have_class(re.compile(r"\bselected\b"))
        assert _within(box, viewport), "the zoomed page scrolls to the lit box"
        figure.locator("button[data-zoom=fit]").click()
        page.mouse.move(0, 0)
        box.hover()
        expect(row).to_have_class(re.compile(r"\blit\b"))


def test_zoom_and_pan_on_the_full_resolution_page(tour: tuple[str, Seeded, int]) -> None:
    from playwright.sync_api import expect

    server, seeded, _ = tour
    with chromium_page() as page:
        _open(page, server, seeded.submission_id)
        card = _invoice_card(page)
        figure = card.locator(".page-figure").first
        image = figure.locator("img")
        page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=image.element_handle())
        shown = image.evaluate("i => i.getBoundingClientRect().width")
        figure.locator("button[data-zoom=full]").click()
        natural, width = image.evaluate("i => [i.naturalWidth, i.getBoundingClientRect().width]")
        assert natural == 1654 and abs(width - natural) < 2 and shown < natural, (shown, width, natural)
        expect(figure.locator(".zoom-level")).to_have_text("100%")
        _assert_box_on_value(card)  # the boxes stay on the value at any zoom
        viewport = figure.locator(".page-viewport")
        before = viewport.evaluate("v => [v.scrollLeft, v.scrollTop]")
        bounds = viewport.bounding_box()
        page.mouse.move(bounds["x"] + 300, bounds["y"] + 300)
        page.mouse.down()
        page.mouse.move(bounds["x"] + 150, bounds["y"] + 200, steps=5)
        page.mouse.up()
        after = viewport.evaluate("v => [v.scrollLeft, v.scrollTop]")
        assert after[0] > before[0] and after[1] > before[1], (before, after)
        figure.locator("button[data-zoom=fit]").click()
        assert abs(image.evaluate("i => i.getBoundingClientRect().width") - shown) < 2


def test_qr_payload_table_confidence_colours_and_unbroken_numbers(tour: tuple[str, Seeded, int]) -> None:
    from playwright.sync_api import expect

    server, _, qr_id = tour
    with chromium_page(width=1024) as page:
        _open(page, server, qr_id)
        card = page.locator("article.finding", has_text="二维码").filter(has_text=QR_INVOICE).first
        table = card.locator("table.qr-payload")
        expect(table).to_contain_text("开票日期")
        expect(table).to_contain_text("2023-03-30")
        expect(table).to_contain_text("电子发票（普通发票）")
        low = page.locator("td.confidence.conf-low").first
        expect(low).to_contain_text(f"{LOW_CONFIDENCE:.2f}")
        expect(low).to_contain_text("低")
        high = page.locator("td.confidence.conf-high").first
        colour = "el => getComputedStyle(el.querySelector('.conf-dot')).backgroundColor"
        assert low.evaluate(colour) != high.evaluate(colour)
        page.screenshot(path=str(ARTIFACTS / "review-qr.png"), full_page=True)
        lines = (
            "td => { const r = document.createRange(); r.selectNodeContents(td); return r.getClientRects().length; }"
        )
        assert table.locator("td", has_text=QR_NUMBER).evaluate(lines) == 1, "a 20-digit number is never wrapped"
        page.set_viewport_size({"width": 800, "height": 900})
        card.locator("figcaption a", has_text="查看整页").click()
        assert page.locator("td.value", has_text=QR_NUMBER).evaluate(lines) == 1


def test_repeated_findings_are_dismissed_in_one_action(tour: tuple[str, Seeded, int]) -> None:
    from playwright.sync_api import expect

    server, seeded, _ = tour
    with chromium_page() as page:
        _open(page, server, seeded.submission_id)
        repeated = page.locator(".repeated", has_text="云服务商不在名单")
        expect(repeated).to_contain_text("出现在 2 份材料中")
        repeated.locator("input[name=reason]").fill("两家均为名单企业的子公司，已核实")
        repeated.locator("button[value=dismiss]").click()
        expect(page.locator("#findings > .flash.ok")).to_contain_text("已一并排除 2 个「云服务商不在名单」问题")
        expect(page.locator("article.finding.is-dismissed")).to_have_count(2)
        expect(page.locator(".repeated")).to_have_count(0)
    kinds = [d.kind for d in seeded.store.decisions(seeded.submission_id)]
    assert kinds == ["dismiss", "dismiss"]


def test_keyboard_from_queue_to_decision(tour: tuple[str, Seeded, int]) -> None:
    server, seeded, _ = tour
    with chromium_page() as page:
        shots = keyboard_tour(page, server, seeded, ARTIFACTS / "tour")
    assert [p.name.split("-", 3)[-1] for p in shots] == [
        "queue.png",
        "dismiss-reason.png",
        "dismissed.png",
        "decision.png",
        "next-submission.png",
    ]
    kinds = [d.kind for d in seeded.store.decisions(seeded.submission_id)]
    assert kinds == ["dismiss", "confirm", "reject"]
