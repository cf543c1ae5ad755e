"""The searchable item picker (core.forms.PickerSelect, ADR 0058) in real Chromium: on the booking page a
person types the initials "yyzz", takes the first option with the keyboard, sends the form with another field
wrong and finds the item still chosen; at 375 px the open list fits the screen; screenshots in both
languages at phone and desktop width."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.halls.helpers import make_item, setup_hall

from .browser import horizontal_overflow, login, pick, screenshot, switch_language
from .test_halls_journeys import _open_all_day_today, mid_morning  # noqa: F401 - fixture

if TYPE_CHECKING:
    from tests.factories import World

pytestmark = pytest.mark.e2e


def _items(world: World) -> None:
    setup_hall(world.hall, letters="A")
    make_item(world, "ITEM-O", name="养老机构运营资助", name_en="Subsidy for running an elderly care home")
    make_item(world, "ITEM-L", name="营业执照遗失补领登记", name_en="Replacing a lost business licence")
    make_item(world, "ITEM-Y", name="营业执照", name_en="Business licence")
    _open_all_day_today(world.hall)


def test_yyzz_picked_with_the_keyboard_stays_chosen_after_an_error(
    mid_morning: None,  # noqa: F811 - fixture
    world: World,
    new_page: Any,
) -> None:
    _items(world)
    page = new_page(1280, 800, label="desktop")
    login(page, world.users["applicant"].username)
    page.goto(f"/halls/{world.hall.code}/book/")
    box = page.locator("#item-search")
    expect(box).to_have_attribute("role", "combobox")
    expect(page.locator("#item")).to_be_hidden()  # the select stays in the form, carrying the value
    box.fill("yyzz")
    options = page.locator("#item-search-list [role=option]")
    expect(options).to_have_count(3)
    assert options.all_inner_texts() == ["营业执照", "营业执照遗失补领登记", "养老机构运营资助"]
    expect(box).to_have_attribute("aria-expanded", "true")
    box.press("ArrowDown")
    box.press("ArrowUp")  # back on the first
    expect(box).to_have_attribute("aria-activedescendant", "item-search-list-0")
    box.press("Enter")
    expect(box).to_have_attribute("aria-expanded", "false")
    assert box.input_value() == "营业执照"
    assert page.locator("#item").input_value() == "ITEM-Y"
    page.locator("#date").select_option(timezone.localdate().isoformat())
    with page.expect_navigation():
        page.get_by_role("button", name="查看可约时段").click()
    assert page.locator("#item-search").input_value() == "营业执照"
    # The free time is sent with a wrong time (as a stale or altered page would): the page refuses it,
    # naming the field, and the item is still the one chosen.
    slot = page.locator("button.slot").first
    slot.evaluate("b => b.value = '25:00'")
    with page.expect_navigation():
        slot.click()
    expect(page.locator("#book-error")).to_contain_text("时间")
    assert page.locator("#item-search").input_value() == "营业执照"
    assert page.locator("#item").input_value() == "ITEM-Y"
    # Escape closes the list and keeps the choice.
    box = page.locator("#item-search")
    box.fill("ITEM-L")
    expect(page.locator("#item-search-list [role=option]")).to_have_count(1)
    box.press("Escape")
    expect(box).to_have_attribute("aria-expanded", "false")
    assert box.input_value() == "营业执照"


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("width", [375, 1280])
def test_the_open_list_fits_the_screen(world: World, new_page: Any, language: str, width: int) -> None:
    _items(world)
    page = new_page(width, 812, label=f"{width}")
    login(page, world.users["applicant"].username)
    page.goto(f"/halls/{world.hall.code}/book/")
    if language == "en":
        switch_language(page, "en")
        pick(page, "item", "business licence", expect_first="Business licence")
        assert page.locator("#item").input_value() == "ITEM-Y"
        page.locator("#item-search").fill("licence")
    else:
        pick(page, "item", "营业", expect_first="营业执照")
        page.locator("#item-search").fill("yyzz")
    listbox = page.locator("#item-search-list")
    expect(listbox).to_be_visible()
    expect(listbox.locator("[role=option]")).to_have_count(2 if language == "en" else 3)
    box = listbox.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width
    assert horizontal_overflow(page) == 0
    screenshot(page, f"picker-book-{language}-{width}")


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("width", [375, 1280])
def test_map_and_reception_pickers_fit_the_screen(
    world: World, new_page: Any, language: str, width: int
) -> None:
    """The same picker on the service map (anybody) and on the reception screen (a clerk)."""
    _items(world)
    page = new_page(width, 812, label=f"{width}")
    typed = "business licence" if language == "en" else "yyzz"
    first = "Business licence" if language == "en" else "营业执照"
    page.goto("/halls/")
    if language == "en":
        switch_language(page, "en")
    pick(page, "item", typed, expect_first=first)
    with page.expect_navigation():
        page.locator("#map-filter button[type=submit]").click()
    assert "item=ITEM-Y" in page.url and page.locator("#item-search").input_value() == first
    page.locator("#item-search").fill(typed)
    expect(page.locator("#item-search-list")).to_be_visible()
    assert horizontal_overflow(page) == 0
    screenshot(page, f"picker-map-{language}-{width}")
    login(page, world.users["clerk"].username)
    if language == "en" and page.locator("form.lang button[value=en]").count():
        switch_language(page, "en")  # (the language chosen before signing in may already hold)
    page.goto(f"/applications/reception/?person={world.other_person.pk}")
    label = f"{first} · "
    box = pick(page, "item", typed)
    assert box.input_value().startswith(label)
    page.locator("#item-search").fill(typed)
    expect(page.locator("#item-search-list")).to_be_visible()
    assert horizontal_overflow(page) == 0
    screenshot(page, f"picker-reception-{language}-{width}")
