"""The hall's hardware in real Chromium: a walk-in takes a number at the public kiosk page without an
account and gets a printable ticket, and the full-screen display board (1920×1080) shows the called number
by itself, announcing it (speech synthesis once switched on, a flash otherwise)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.halls.helpers import setup_hall
from yiwang.accounts.models import Window
from yiwang.halls import services
from yiwang.halls.models import SpecialDay, Ticket

from .browser import horizontal_overflow, screenshot

if TYPE_CHECKING:
    from tests.factories import World

pytestmark = pytest.mark.e2e


def _open_all_day_today(world: World) -> None:
    setup_hall(world.hall)
    SpecialDay.objects.create(
        hall=world.hall, date=timezone.localdate(), closed=False, hours=[["00:00", "23:59"]]
    )


def test_a_walk_in_kiosk_ticket(world: World, new_page: Any) -> None:
    _open_all_day_today(world)
    kiosk = new_page(375, 812, label="kiosk phone", has_touch=True, is_mobile=True)
    kiosk.goto(f"/halls/{world.hall.code}/kiosk/")
    assert horizontal_overflow(kiosk) == 0
    screenshot(kiosk, "kiosk 375 zh")
    kiosk.locator("#kiosk-who").fill("13912345678")
    with kiosk.expect_navigation():
        kiosk.locator("#kiosk-queue-B").tap()
    expect(kiosk.locator("#ticket-number")).to_have_text("B001")
    expect(kiosk.locator("#ticket-ahead")).to_have_text("您前面还有0人")
    expect(kiosk.locator("#ticket-holder")).to_have_text("139****5678")
    assert kiosk.locator(".slip-qr svg").count() == 1
    assert "13912345678" not in kiosk.content()
    assert horizontal_overflow(kiosk) == 0
    screenshot(kiosk, "kiosk ticket 375 zh")
    # Back to the kiosk: an anonymous number in the other queue, and a wrong ID number named in the message.
    with kiosk.expect_navigation():
        kiosk.locator("#kiosk-again").tap()
    kiosk.locator("#kiosk-who").fill("110105194912310021")
    with kiosk.expect_navigation():
        kiosk.locator("#kiosk-queue-A").tap()
    expect(kiosk.locator("#kiosk-error")).to_contain_text("身份证号或手机号：")
    expect(kiosk.locator("#kiosk-who")).to_have_value("110105194912310021")
    kiosk.locator("#kiosk-who").fill("")
    with kiosk.expect_navigation():
        kiosk.locator("#kiosk-queue-A").tap()
    expect(kiosk.locator("#ticket-number")).to_have_text("A001")
    assert kiosk.locator("#ticket-holder").count() == 0
    assert [t.number for t in Ticket.objects.order_by("id")] == ["B001", "A001"]

    for width, height, lang in ((1280, 800, "zh-CN"), (1280, 800, "en-US"), (375, 812, "en-US")):
        other = new_page(width, height, label=f"kiosk {width} {lang}", locale=lang)
        other.goto(f"/halls/{world.hall.code}/kiosk/")
        assert horizontal_overflow(other) == 0
        screenshot(other, f"kiosk {width} {lang}")
        other.goto(f"/halls/tickets/{Ticket.objects.get(number='B001').token}/print/")
        assert horizontal_overflow(other) == 0
        screenshot(other, f"kiosk ticket {width} {lang}")


def test_the_full_screen_board_shows_the_called_number(world: World, new_page: Any) -> None:
    _open_all_day_today(world)
    for _n in range(3):
        services.ticket_take_at_kiosk(actor=world.users["clerk"], hall=world.hall, category_letter="A")
    board = new_page(1920, 1080, label="board")
    board.goto(f"/halls/{world.hall.code}/board/")
    expect(board.locator("#now-calling")).to_contain_text("暂无叫号")
    assert int(board.evaluate("document.scrollingElement.scrollHeight")) <= 1080
    window = Window.objects.get(hall=world.hall, number="01")

    # With no voice switched on, a new call flashes.
    services.ticket_call_next(actor=world.users["clerk"], window=window)
    expect(board.locator("#board-number")).to_have_text("A001", timeout=15_000)
    expect(board.locator(".board-window")).to_have_text("请到01号窗口")
    body = board.locator("body")
    expect(body).to_have_attribute("data-flash-kind", "strong")  # no voice: the flash is the signal
    expect(body).to_have_attribute(
        "data-last-flash", board.locator("#now-calling").get_attribute("data-call")
    )
    expect(board.locator("#board-queue-A .board-count")).to_have_text("等候2人")
    box = board.locator("#board-number").bounding_box()
    assert box is not None and box["height"] >= 200  # readable across the hall
    screenshot(board, "board 1920 zh")

    # With speech synthesis switched on (a tap on the screen, as browsers require), the call is spoken.
    has_speech = bool(board.evaluate("'speechSynthesis' in window"))
    board.locator("#board-voice").click()
    services.ticket_finish(actor=world.users["clerk"], window=window)
    services.ticket_call_next(actor=world.users["clerk"], window=window)
    expect(board.locator("#board-number")).to_have_text("A002", timeout=15_000)
    if has_speech:
        expect(board.locator("#board-voice")).to_have_attribute("aria-pressed", "true")
        expect(body).to_have_attribute("data-last-spoken", "请 A002 号到 01 号窗口办理")
        expect(body).to_have_attribute("data-flash-kind", "soft")
    else:
        expect(board.locator("#board-voice")).to_be_disabled()
        expect(body).to_have_attribute("data-flash-kind", "strong")
    expect(board.locator(".board-calls")).to_contain_text("A001")

    english = new_page(1920, 1080, label="board en", locale="en-US")
    english.goto(f"/halls/{world.hall.code}/board/")
    expect(english.locator(".board-window")).to_have_text("to window 01")
    assert int(english.evaluate("document.scrollingElement.scrollHeight")) <= 1080
    screenshot(english, "board 1920 en")
