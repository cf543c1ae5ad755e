"""The inbox in real Chromium: an applicant with an unread message sees the badge, opens "My messages" on a
phone, marks the message read in place (htmx) and the badge goes; the page fits 375 px and 1280 px in
Chinese and English."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from playwright.sync_api import expect

from yiwang.notifications.models import Notification
from yiwang.notifications.services import notification_queue

from .browser import horizontal_overflow, login, open_menu, screenshot, switch_language

if TYPE_CHECKING:
    from tests.factories import World

pytestmark = pytest.mark.e2e

LINK = "/applications/progress/?number=D01012026000001"


def _messages(world: World) -> Notification:
    me = world.users["applicant"]
    notification_queue(
        subject="预约成功：区政务服务中心",
        body="事项：营业执照设立登记。确认码：7K3Q9M2A。请凭确认码到大厅签到。",
        recipient=me,
        link="/halls/me/appointments/",
    )
    Notification.objects.filter(recipient=me).update(read_at=Notification.objects.get().created_at)
    n = notification_queue(
        subject="申请已受理：食品经营许可",
        body="您的申请（办件编号 D01012026000001）已受理，承诺时限10个工作日。",
        recipient=me,
        link=LINK,
    )
    assert n is not None
    return n


def test_applicant_reads_a_message_on_a_phone(world: World, phone_page: Any) -> None:
    n = _messages(world)
    page = phone_page
    login(page, world.users["applicant"].username)

    # The badge sits in the menu, beside the account links.
    open_menu(page)
    badge = page.locator("#nav-messages #unread-badge")
    expect(badge).to_be_visible()
    expect(badge).to_contain_text("1")
    screenshot(page, "notifications-menu-phone-zh")
    with page.expect_navigation():
        page.locator("#nav-messages").click()
    assert page.url.endswith("/messages/")
    expect(page.locator("h1")).to_have_text("我的消息")
    entry = page.locator(f"#msg-{n.pk}")
    expect(entry).to_contain_text("申请已受理：食品经营许可")
    expect(entry.locator(".msg-state")).to_have_text("未读")
    assert entry.locator("a.msg-link").get_attribute("href") == LINK
    expect(page.locator("#inbox-unread")).to_have_text("1条未读消息")
    assert horizontal_overflow(page) == 0
    screenshot(page, "notifications-inbox-phone-zh")

    # Mark it read: the message is swapped in place, the count and the badge follow, no page load.
    page.evaluate("window.__stay = true")
    entry.locator("button.msg-read").click()
    expect(page.locator(f"#msg-{n.pk} .msg-read-at")).to_contain_text("已读于")
    expect(page.locator("#inbox-unread")).to_have_text("没有未读消息。")
    expect(page.locator("#read-all-form")).to_have_count(0)
    open_menu(page)
    expect(page.locator("#nav-messages")).to_be_visible()
    expect(page.locator("#unread-badge")).to_be_hidden()
    assert page.evaluate("window.__stay") is True
    n.refresh_from_db()
    assert n.read_at is not None
    assert horizontal_overflow(page) == 0

    # The same page in English.
    switch_language(page, "en")
    expect(page.locator("h1")).to_have_text("My messages")
    expect(page.locator("#inbox-unread")).to_have_text("No unread messages.")
    assert horizontal_overflow(page) == 0
    screenshot(page, "notifications-inbox-phone-en")

    # The link leads to the case's progress page.
    with page.expect_navigation():
        page.locator(f"#msg-{n.pk} a.msg-link").click()
    assert page.url.endswith(LINK)


def test_inbox_on_a_desktop_and_mark_all(world: World, page: Any) -> None:
    _messages(world)
    notification_queue(
        subject="需要补正材料",
        body="请在5个工作日内补正以下材料：营业执照复印件。",
        recipient=world.users["applicant"],
    )
    login(page, world.users["applicant"].username)
    page.goto("/messages/")
    expect(page.locator("#unread-badge")).to_have_text("2 条未读消息")
    assert horizontal_overflow(page) == 0
    screenshot(page, "notifications-inbox-desktop-zh")
    switch_language(page, "en")
    expect(page.locator("#unread-badge")).to_have_text("2 unread messages")
    expect(page.locator("#inbox-unread")).to_have_text("2 unread messages")
    assert horizontal_overflow(page) == 0
    screenshot(page, "notifications-inbox-desktop-en")
    with page.expect_navigation():
        page.locator("#read-all").click()
    expect(page.locator(".messages")).to_contain_text("2 messages marked as read.")
    expect(page.locator("#inbox-unread")).to_have_text("No unread messages.")
    expect(page.locator("#unread-badge")).to_be_hidden()
    assert page.locator("#messages .msg.unread").count() == 0


def test_staff_read_deadline_warnings_in_the_workbench(world: World, phone_page: Any) -> None:
    notification_queue(
        subject="即将到期：食品经营许可（D01012026000001）",
        body="食品经营许可（D01012026000001）的决定时限将于 2026-12-15 届满。",
        recipient=world.users["reviewer"],
        link="/workbench/",
    )
    page = phone_page
    login(page, world.users["reviewer"].username)
    page.goto("/messages/")
    assert page.locator("header.top.staff").count() == 1  # the workbench shell
    expect(page.locator("#inbox-unread")).to_have_text("1条未读消息")
    assert horizontal_overflow(page) == 0
    screenshot(page, "notifications-workbench-phone-zh")
    page.locator("button.msg-read").click()
    expect(page.locator("#inbox-unread")).to_have_text("没有未读消息。")
