"""Halls in real Chromium: a person books online and checks in on a phone, a clerk calls the number at the
window console, and the hall's display board shows it without a reload; the service map finds the nearest
hall for an item at phone width from the browser's location."""

from __future__ import annotations

import re
from datetime import datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from tests.halls.helpers import make_item, setup_hall
from yiwang.accounts.models import Hall
from yiwang.halls.models import SpecialDay

from .browser import horizontal_overflow, login, pick

if TYPE_CHECKING:
    from collections.abc import Iterator

    from tests.factories import World

pytestmark = pytest.mark.e2e


def _open_all_day_today(hall: Hall) -> None:
    """The journey runs at any hour and on any day: the hall keeps special all-day hours today."""
    SpecialDay.objects.create(hall=hall, date=timezone.localdate(), closed=False, hours=[["00:00", "23:59"]])


@pytest.fixture
def mid_morning() -> Iterator[None]:
    """The journey books "the next free time today": it runs at 10:00 on a working day, whatever the
    hour the suite runs at (at 23:10 no slot is left today). time-machine moves the clock of every thread,
    so the live server sees the same time; time keeps ticking from there."""
    with time_machine.travel(datetime(2026, 12, 2, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=True):
        yield


def test_book_online_check_in_call_and_board(
    mid_morning: None, world: World, phone_page: Any, new_page: Any
) -> None:
    setup_hall(world.hall, letters="A")
    make_item(world, "ITEM-A", name="营业执照设立登记", name_en="Business licence")
    _open_all_day_today(world.hall)
    today = timezone.localdate().isoformat()

    # The applicant books the next free time today on a phone.
    page = phone_page
    login(page, world.users["applicant"].username)
    page.goto(f"/halls/{world.hall.code}/book/?item=ITEM-A&date={today}")
    assert horizontal_overflow(page) == 0
    first = page.locator("button.slot").first
    slot_label = first.locator("strong").inner_text()
    with page.expect_navigation():
        first.click()
    assert re.search(r"/halls/appointments/[A-Z0-9]{8}/$", page.url)
    code = page.locator("#confirmation-code").inner_text().strip()
    assert page.locator("#appt-status").inner_text() == "已预约"
    assert slot_label.split("–")[0] in page.locator("#main").inner_text()
    assert page.locator("#main svg").count() == 1  # the check-in QR code

    # The board is already open on the hall's screen.
    board = new_page(1280, 720, label="board")
    board.goto(f"/halls/{world.hall.code}/board/")
    expect(board.locator("#now-calling")).to_contain_text("暂无叫号")

    # Check in with the code: a number with on-time priority.
    with page.expect_navigation():
        page.locator("#checkin-link").click()
    assert page.locator("#code").input_value() == code
    with page.expect_navigation():
        page.locator("#checkin").click()
    expect(page.locator("#ticket-number")).to_have_text("A001")
    assert "准时预约" in page.locator("#main").inner_text()
    expect(page.locator("#ticket-position")).to_contain_text("您前面还有0人")

    # The clerk calls the next number at window 01.
    clerk = new_page(1280, 800, label="clerk")
    login(clerk, world.users["clerk"].username)
    clerk.goto("/halls/console/")
    with clerk.expect_navigation():
        clerk.locator("#call-next").click()
    expect(clerk.locator("#current-number")).to_have_text("A001")

    # The board shows it by itself (htmx polling), and so does the applicant's ticket page.
    expect(board.locator("#now-calling .call-number").first).to_have_text("A001", timeout=15_000)
    expect(board.locator("#now-calling")).to_contain_text("请到01号窗口")
    expect(page.locator("#ticket-called")).to_contain_text("请立即到01号窗口办理", timeout=20_000)


def test_map_finds_the_nearest_hall_for_an_item_at_phone_width(world: World, new_page: Any) -> None:
    far = Hall.objects.create(
        code="H1002",
        name="平湖街道大厅",
        kind=Hall.Kind.STREET,
        district=world.district,
        street=world.street,
        address="平湖街道",
        lat=22.686,
        lng=114.126,
        opening_hours=world.hall.opening_hours,
    )
    make_item(world, "ITEM-S", name="街道事项", name_en="Street item", district=False, street=True)
    make_item(world, "ITEM-A", name="区级事项", name_en="District item")
    # The browser says the person stands next to the Longcheng street hall (world.other_hall).
    page = new_page(
        375,
        812,
        label="phone",
        is_mobile=True,
        has_touch=True,
        geolocation={"latitude": 22.731, "longitude": 114.251},
        permissions=["geolocation"],
    )
    page.goto("/halls/")
    assert page.locator("h1").inner_text() == "服务地图：查找大厅"
    pick(page, "item", "街道事项", expect_first="街道事项")
    with page.expect_navigation():
        page.locator("#locate").click()
    assert "lat=22.731" in page.url and "item=ITEM-S" in page.url
    entries = page.locator("li.hall-entry")
    expect(entries).to_have_count(2)  # the district hall does not handle a street-level item
    assert [entries.nth(i).get_attribute("data-code") for i in range(2)] == [world.other_hall.code, far.code]
    assert entries.first.locator(".distance").inner_text() == "0.15公里"
    assert page.locator("svg#hall-map circle").count() >= 2
    assert page.locator("svg#hall-map #me").count() == 1
    assert (
        entries.first.get_by_role("link", name="高德地图")
        .get_attribute("href")
        .startswith("https://uri.amap.com/")
    )
    assert horizontal_overflow(page) == 0

    # Picking a street instead of the location.
    pick(page, "item", "ITEM-A", expect_first="区级事项")
    page.locator("#street").select_option(str(world.street.pk))
    with page.expect_navigation():
        page.locator("#map-filter button[type=submit]").click()
    expect(page.locator("li.hall-entry")).to_have_count(1)
    assert page.locator("li.hall-entry").first.get_attribute("data-code") == world.hall.code


def test_halls_pages_fit_a_phone_in_english(world: World, new_page: Any) -> None:
    """Every public and staff page of halls at 375 px, in English: no sideways scrolling."""
    setup_hall(world.hall, letters="AB")
    make_item(world, "ITEM-A", name="营业执照设立登记", name_en="Business licence")
    _open_all_day_today(world.hall)
    applicant = new_page(375, 812, label="applicant", is_mobile=True, has_touch=True, locale="en-US")
    login(applicant, world.users["applicant"].username)
    pages = {
        "/halls/": "Service map: find a hall",
        f"/halls/{world.hall.code}/": "Opening hours",
        f"/halls/{world.hall.code}/book/?item=ITEM-A&date={timezone.localdate().isoformat()}": "Book a visit",
        f"/halls/{world.hall.code}/take/": "Walk in: choose a queue",
        f"/halls/{world.hall.code}/board/": "Now calling",
        "/halls/me/appointments/": "My appointments",
    }
    for url, text in pages.items():
        applicant.goto(url)
        assert text in applicant.locator("main").first.inner_text(), url  # the board is a page of its own
        assert horizontal_overflow(applicant) == 0, url
    with applicant.expect_navigation():
        applicant.goto(f"/halls/{world.hall.code}/take/")
        applicant.locator("button[name=category][value=B]").click()
    expect(applicant.locator("#ticket-number")).to_have_text("B001")
    assert "People ahead of you: 0" in applicant.locator("#main").inner_text()
    assert horizontal_overflow(applicant) == 0

    clerk = new_page(375, 812, label="clerk", is_mobile=True, has_touch=True, locale="en-US")
    login(clerk, world.users["clerk"].username)
    clerk.goto("/halls/console/")
    clerk.locator("#window").select_option(label="02 · 窗口2")
    clerk.wait_for_url("**window=*")
    with clerk.expect_navigation():
        clerk.locator("#call-next").click()
    expect(clerk.locator("#current-number")).to_have_text("B001")
    assert "Calling B001 to window 02." in clerk.locator("#main").inner_text()
    assert horizontal_overflow(clerk) == 0
    manager = new_page(375, 812, label="manager", is_mobile=True, has_touch=True, locale="en-US")
    login(manager, world.users["hall_manager"].username)
    for url, text in {"/halls/figures/": "Hall figures", "/halls/setup/": "Hall set-up"}.items():
        manager.goto(url)
        assert text in manager.locator("#main").inner_text(), url
        assert horizontal_overflow(manager) == 0, url
