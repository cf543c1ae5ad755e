"""Credit and concierge journeys in real Chromium: a clerk at the window sees a black-listed applicant and
cannot accept with missing materials (容缺); a concierge follows a key enterprise's case and escalates a
coordination request (desktop, then phone width)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from tests.applications.builders import code_of, make_item
from tests.concierge.builders import key_with_case
from tests.credit.builders import put_on
from yiwang.applications import services as apps

from .browser import horizontal_overflow, login, screenshot

if TYPE_CHECKING:
    from tests.factories import World

pytestmark = pytest.mark.e2e


def test_clerk_sees_a_black_listed_applicant_and_cannot_use_rongque(world: World, page: Any) -> None:
    person = world.other_person
    assert person is not None
    put_on(person.id_number, "court_dishonest", "e2e-1", source="court")
    item = make_item(world)
    login(page, world.users["clerk"].username)
    page.goto(f"/applications/reception/?person={person.pk}")
    standing = page.locator("#credit-standing")
    assert standing.get_attribute("data-standing") == "black"
    assert "失信被执行人" in standing.inner_text()
    screenshot(page, "credit reception black 1280")
    case = apps.application_receive(
        actor=world.users["clerk"], item=item, person=person, provided=[code_of(item, 1)]
    )
    page.goto(f"/applications/case/{case.pk}/")
    assert page.locator("#stricter-review").is_visible()
    rongque = page.locator("form[data-action=accept_rongque]")
    if rongque.count():
        rongque.locator("[name=promise_signed]").check()
        with page.expect_navigation():
            rongque.locator("button[type=submit]").click()
        assert "失信" in page.content() and "容缺" in page.content()
    case.refresh_from_db()
    assert case.status == "received"


def test_concierge_follows_a_case_and_escalates(world: World, page: Any, phone_page: Any) -> None:
    o = key_with_case(world)
    login(page, world.users["concierge"].username)
    page.goto("/concierge/board/")
    assert page.locator(f"#case-{o['case'].pk}").is_visible()
    with page.expect_navigation():
        page.locator("a", has_text=world.enterprise.name).first.click()
    follow = page.locator(f"#follow-{o['case'].pk}")
    follow.locator("textarea[name=text]").first.fill("已电话联系企业，材料齐全")
    with page.expect_navigation():
        follow.locator("button", has_text="添加记录").click()
    assert "已电话联系企业" in page.locator(f"#follow-{o['case'].pk}").inner_text()
    row = page.locator(f"#request-{o['request'].pk}")
    assert row.get_attribute("data-level") == "1"
    with page.expect_navigation():
        row.locator("button").click()
    assert page.locator(f"#request-{o['request'].pk}").get_attribute("data-level") == "2"
    screenshot(page, "concierge enterprise 1280")
    login(phone_page, world.users["concierge"].username)
    phone_page.goto("/concierge/board/")
    assert horizontal_overflow(phone_page) == 0
    screenshot(phone_page, "concierge board 375")
