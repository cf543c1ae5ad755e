"""Assisted service (帮办代办) in real Chromium: a grid worker, on a phone, applies for a resident of their
community with the resident's consent; the resident then sees it in their portal record."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from django.utils import timezone

from tests.applications.builders import PDF, code_of, make_item

from .browser import horizontal_overflow, login, open_menu, screenshot, switch_language

if TYPE_CHECKING:
    from tests.factories import World

pytestmark = pytest.mark.e2e


def _pdf(name: str) -> dict[str, Any]:
    return {"name": name, "mimeType": "application/pdf", "buffer": PDF}


def test_grid_worker_assists_and_the_resident_sees_it(world: World, phone_page: Any, new_page: Any) -> None:
    item = make_item(world, name="高龄津贴申领")
    resident = world.person
    assert resident is not None
    resident.community = world.community
    resident.save()
    grid = world.users["grid_worker"]
    page = phone_page
    login(page, grid.username)
    open_menu(page)
    with page.expect_navigation():
        page.locator("nav a[href='/applications/assist/']").first.click()
    assert page.locator("h1").inner_text() == "帮办代办"
    assert horizontal_overflow(page) == 0
    screenshot(page, "assist-find-375-zh")
    page.locator("#id_number").fill(resident.id_number)
    with page.expect_navigation():
        page.locator("#assist-find button[type=submit]").click()
    chosen = page.locator("#chosen-person").inner_text()
    assert resident.masked_id in chosen and resident.id_number not in page.content()
    page.locator("#item").select_option(item.code)
    with page.expect_navigation():
        page.locator("form[role=search] button[type=submit]").click()
    # Without consent: refused, the field named, nothing saved.
    page.locator(f"input[name=provided][value='{code_of(item, 1)}']").check()
    with page.expect_navigation():
        page.locator("#assist-form button[type=submit]").click()
    assert "请记录居民以何种方式同意代为申请" in page.locator("[role=alert]").inner_text()
    page.locator("input[name=consent_method][value=paper]").check()
    page.locator("#consent_date").fill(timezone.localdate().isoformat())
    page.locator("#consent_file").set_input_files(_pdf("同意书.pdf"))
    page.locator(f"input[name=provided][value='{code_of(item, 1)}']").check()
    page.locator(f"input[name='file_{code_of(item, 2)}']").set_input_files(_pdf("执照.pdf"))
    page.locator("#return_hall").select_option(str(world.hall.pk))
    assert horizontal_overflow(page) == 0
    screenshot(page, "assist-form-375-zh")
    with page.expect_navigation():
        page.locator("#assist-form button[type=submit]").click()
    assert "由网格员" in page.locator("#assisted-by").inner_text()
    number = page.locator("h1").inner_text().split(" · ")[0].strip()
    page.goto("/applications/assisted/")
    assert number in page.locator("#assisted-cases").inner_text()
    assert horizontal_overflow(page) == 0
    screenshot(page, "assisted-list-375-zh")
    switch_language(page, "en")
    assert page.locator("h1").inner_text() == "Assisted by me"
    screenshot(page, "assisted-list-375-en")

    citizen = new_page(375, 812, label="resident")
    login(citizen, world.users["applicant"].username)
    citizen.goto("/applications/mine/")
    row = citizen.locator("tr", has_text=number)
    assert f"由网格员 {grid.full_name} 帮办" in row.inner_text()
    with citizen.expect_navigation():
        row.locator("a").first.click()
    assert f"由网格员 {grid.full_name} 帮办" in citizen.locator("#assisted-by").inner_text()
    assert horizontal_overflow(citizen) == 0
    screenshot(citizen, "assisted-portal-375-zh")


def test_assist_pages_at_desktop_width_in_english(world: World, page: Any) -> None:
    item = make_item(world, name="高龄津贴申领")
    login(page, world.users["clerk"].username)
    switch_language(page, "en")
    page.goto(f"/applications/assist/?person={world.other_person.pk}&item={item.code}")  # type: ignore[union-attr]
    assert page.locator("h1").inner_text() == "Assisted service (帮办代办)"
    assert page.locator("legend", has_text="How the resident consented").count() == 1
    screenshot(page, "assist-form-1280-en")
    switch_language(page, "zh-hans")
    screenshot(page, "assist-form-1280-zh")
