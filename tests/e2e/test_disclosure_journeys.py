"""Browser journeys of government information disclosure: a resident files a request on a phone and follows
it by its number and 4 digits; the office's reviewer finds it in the inbox and confirms its receipt."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from yiwang.cases.models import Case

from .browser import login, screenshot

if TYPE_CHECKING:
    from tests.factories import World

pytestmark = pytest.mark.e2e

PHONE = "13912345678"


def test_resident_files_on_a_phone_and_the_office_confirms_receipt(
    world: World, phone_page: Any, page: Any
) -> None:
    phone_page.goto("/disclosure/apply/")
    screenshot(phone_page, "disclosure file 375")
    phone_page.locator("#applicant_type").select_option("person")
    phone_page.locator("#applicant_name").fill("王五")
    phone_page.locator("#id_number").fill("11010519491231002X")
    phone_page.locator("#phone").fill(PHONE)
    phone_page.locator("#office").select_option(world.office.code)
    phone_page.locator("#description").fill("请公开本街道2025年老旧小区改造项目的预算")
    with phone_page.expect_navigation():
        phone_page.locator("#file-form button[type=submit]").click()
    case = Case.objects.get(kind="disclosure")
    assert phone_page.locator("#filed-number").inner_text() == case.number
    assert case.status == "submitted" and case.channel == "online"
    phone_page.goto(f"/disclosure/track/?number={case.number}&last4={PHONE[-4:]}")
    assert phone_page.locator("#track-received").count() == 1
    screenshot(phone_page, "disclosure track 375")

    login(page, world.users["reviewer"].username)
    page.goto("/disclosure/inbox/")
    assert page.get_by_text(case.number).first.is_visible()
    screenshot(page, "disclosure inbox 1280")
    page.goto(f"/disclosure/requests/{case.pk}/")
    screenshot(page, "disclosure request 1280")
    confirm = page.locator("#action-confirm")
    assert confirm.count() == 1
    with page.expect_navigation():
        confirm.locator("button[type=submit]").click()
    case.refresh_from_db()
    assert case.status == "received" and case.disclosure.receipt_date is not None
