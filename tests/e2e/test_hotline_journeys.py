"""Hotline journeys in real Chromium: an operator records a call on one screen and the dispatcher sends it,
the office replies, the callback closes it (desktop); a citizen files a ticket online and follows it by its
number and the last 4 digits of the telephone (phone width, then in English)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from tests.hotline.builders import call, setup

from .browser import horizontal_overflow, login, screenshot, switch_language

if TYPE_CHECKING:
    from tests.factories import World

pytestmark = pytest.mark.e2e


def _act(page: Any, action: str, **fields: str) -> None:
    form = page.locator(f"#action-{action}")
    for name, value in fields.items():
        target = form.locator(f"[name={name}]")
        if target.evaluate("e => e.tagName") == "SELECT":
            target.select_option(value)
        else:
            target.fill(value)
    with page.expect_navigation():
        form.locator("button[type=submit]").click()


def test_call_dispatch_reply_callback_close(world: World, page: Any, new_page: Any) -> None:
    setup(world)
    login(page, world.users["hotline_operator"].username)
    page.goto("/hotline/intake/")
    page.locator("#caller_name").fill("陈先生")
    page.locator("#caller_phone").fill("13912345678")
    page.locator("#type").select_option("complaint")
    page.locator("#category").select_option("env-noise")
    page.locator("#community").select_option(world.community.code)
    page.locator("#description").fill("夜间施工噪音扰民")
    with page.expect_navigation():
        page.locator("#intake-submit").click()
    assert page.locator("#ticket-status").inner_text() == "已受理"
    number = page.locator("h1").inner_text().split()[0]
    assert "13912345678" not in page.content() and "139****5678" in page.content()

    dispatcher = new_page(1280, 800, label="dispatcher")
    login(dispatcher, world.users["dispatcher"].username)
    dispatcher.goto("/hotline/board/")
    with dispatcher.expect_navigation():
        dispatcher.locator("#board-unassigned a", has_text=number).click()
    _act(dispatcher, "dispatch", office=world.office.code)
    assert dispatcher.locator("#ticket-status").inner_text() == "已派单"

    office = new_page(1280, 800, label="office")
    login(office, world.users["reviewer"].username)
    office.goto("/hotline/inbox/")
    with office.expect_navigation():
        office.locator("#hotline-inbox a", has_text=number).click()
    _act(office, "accept")
    assert office.locator("#ticket-status").inner_text() == "办理中"
    _act(office, "reply", handling="已责令停工", reply="施工已停止，夜间不再施工")
    assert office.locator("#ticket-status").inner_text() == "已答复，待回访"

    page.goto("/hotline/callbacks/")
    with page.expect_navigation():
        page.locator("#callbacks a", has_text=number).click()
    _act(page, "callback", rating="satisfied")
    assert page.locator("#ticket-status").inner_text() == "已办结"
    assert "施工已停止" in page.locator("#ticket-reply").inner_text()


def test_citizen_files_online_and_follows(world: World, phone_page: Any) -> None:
    setup(world)
    page = phone_page
    page.goto("/hotline/file/")
    assert horizontal_overflow(page) == 0
    page.locator("#caller_phone").fill("13800001234")
    page.locator("#type").select_option("help")
    page.locator("#category").select_option("urban")
    page.locator("#description").fill("路灯不亮")
    with page.expect_navigation():
        page.locator("#file-submit").click()
    number = page.locator("#filed-number").inner_text().strip()
    assert number.startswith("RX")
    page.locator("#last4").fill("1234")
    with page.expect_navigation():
        page.locator("#follow-form button[type=submit]").click()
    assert page.locator("#follow-status").inner_text() == "已受理"
    assert horizontal_overflow(page) == 0
    switch_language(page, "en")
    assert page.locator("#follow-status").inner_text() == "Received"


def test_staff_pages_fit_a_phone(world: World, phone_page: Any) -> None:
    """The operator's intake, the dispatcher's board and a ticket at 375 px, in Chinese and in English."""
    case = call(world)
    page = phone_page
    login(page, world.users["hotline_operator"].username)
    for url in ("/hotline/intake/", f"/hotline/tickets/{case.pk}/", "/hotline/callbacks/"):
        page.goto(url)
        assert horizontal_overflow(page) == 0, url
    switch_language(page, "en")
    page.goto("/hotline/intake/")
    assert "Take a call" in page.locator("h1").inner_text() and horizontal_overflow(page) == 0


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_dispatch_office_and_figures_pages_fit_a_phone(world: World, phone_page: Any, language: str) -> None:
    """The dispatcher's board, the office's inbox and escalations, the figures and the map at 375 px."""
    from tests.hotline.builders import dispatched

    dispatched(world)
    call(world, caller_phone="13900000777")
    page = phone_page
    for role, urls in (
        ("dispatcher", ("/hotline/board/", "/hotline/figures/", "/hotline/map/", "/hotline/tickets/")),
        ("supervisor", ("/hotline/inbox/", "/hotline/escalations/")),
    ):
        login(page, world.users[role].username)
        if language == "en":
            switch_language(page, "en")
        for url in urls:
            page.goto(url)
            assert page.locator("h1").first.is_visible(), url
            assert horizontal_overflow(page) == 0, (role, url)
            screenshot(page, f"hotline-{role}-{url.strip('/').replace('/', '-')}-phone-{language}")
        page.context.clear_cookies()
