"""Browser journeys of disclosure after receipt: the office's reviewer asks for more time, the head approves
it, the reviewer replies and the resident reads the reply (答复书) on a phone; the office publishes an item
of proactive disclosure and the public reads it and searches the 双公示 column on a phone."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from django.utils import timezone

from tests.disclosure.builders import request_input
from yiwang.cases.models import Case
from yiwang.disclosure import publications as p
from yiwang.disclosure import services as s
from yiwang.disclosure.models import DisclosureItem

from .browser import horizontal_overflow, login, screenshot

if TYPE_CHECKING:
    from tests.factories import World

pytestmark = pytest.mark.e2e

PHONE = "13912345678"


def test_the_office_extends_and_replies_and_the_resident_reads_the_reply(
    world: World, new_page: Any, page: Any, phone_page: Any
) -> None:
    case = s.request_file(
        actor=world.users["reviewer"], data=request_input(phone=PHONE), office=world.office, channel="window"
    )
    login(page, world.users["reviewer"].username)
    page.goto(f"/disclosure/requests/{case.pk}/")
    page.locator("#id_extension_days").fill("10")
    page.locator("#id_extension_reason").fill("需向多个部门调取信息")
    with page.expect_navigation():
        page.locator("#action-extension button[type=submit]").click()
    due = Case.objects.get(pk=case.pk).due_date

    head = new_page(1280, 800, label="head")
    login(head, world.users["supervisor"].username)
    head.goto(f"/disclosure/requests/{case.pk}/")
    head.locator("#id_extension_decision_approve").select_option("1")
    with head.expect_navigation():
        head.locator("#action-extension_decision button[type=submit]").click()
    assert Case.objects.get(pk=case.pk).due_date > due

    page.goto(f"/disclosure/requests/{case.pk}/")
    page.locator("#id_reply_type").select_option("disclosed")
    page.locator("#id_reply_how").fill("以电子数据形式提供项目预算表")
    with page.expect_navigation():
        page.locator("#action-reply button[type=submit]").click()
    screenshot(page, "disclosure replied 1280")
    assert Case.objects.get(pk=case.pk).status == "replied"

    phone_page.goto(f"/disclosure/track/?number={case.number}&last4={PHONE[-4:]}")
    reply = phone_page.locator("#track-reply")
    assert reply.count() == 1
    screenshot(phone_page, "disclosure track replied 375")
    response = phone_page.request.get(reply.get_attribute("href"))
    assert response.status == 200 and response.body().startswith(b"%PDF")


def test_the_office_publishes_an_item_and_the_public_reads_it_and_searches_decisions(
    world: World, page: Any, phone_page: Any
) -> None:
    p.publication_publish(
        actor=None,
        data=p.PublicationInput(
            kind="licence",
            source_key="e2e:1",
            decision_number="深龙许〔2026〕1号",
            title="食品经营许可",
            party_kind="legal",
            party_name="示范餐饮有限公司",
            office=world.office,
            decided_on=timezone.localdate(),
            credit_code="91440300MA5F000001",
        ),
    )
    login(page, world.users["reviewer"].username)
    page.goto("/disclosure/office/items/")
    page.locator("#id_column").select_option("housing")
    page.locator("#id_title").fill("2026年保障性住房分配结果公示")
    page.locator("#id_body").fill("<p>第一批分配名单</p><script>alert(1)</script>")
    with page.expect_navigation():
        page.locator("#item-form button[type=submit]").click()
    item = DisclosureItem.objects.get()
    assert item.pending and "script" not in item.body
    with page.expect_navigation():
        page.locator("#publish-form button[type=submit]").click()
    screenshot(page, "disclosure office item 1280")

    phone_page.goto("/disclosure/open/?group=key")
    screenshot(phone_page, "disclosure proactive 375")
    assert horizontal_overflow(phone_page) == 0
    with phone_page.expect_navigation():
        phone_page.get_by_text("2026年保障性住房分配结果公示").click()
    assert phone_page.locator("#item-body").inner_text().strip() == "第一批分配名单"

    phone_page.goto("/disclosure/publications/")
    phone_page.locator("#name").fill("示范餐饮")
    with phone_page.expect_navigation():
        phone_page.locator("#publications-form button[type=submit]").click()
    assert phone_page.locator("#publications tbody tr").count() == 1
    assert "深龙许〔2026〕1号" in phone_page.locator("#publications").inner_text()
    screenshot(phone_page, "disclosure publications 375")
