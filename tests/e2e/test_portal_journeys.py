"""The portal joined up, in real Chromium: from the home page to a guide, and from the guide to the online
application (guide → apply) and to a booking at the hall that takes it (guide → book); the home page and a
guide at phone and desktop width in both languages (screenshots under test-results/screens/)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from tests.catalogue.helpers import make_item
from tests.halls.helpers import setup_hall

from .browser import horizontal_overflow, login, open_menu, screenshot, switch_language

if TYPE_CHECKING:
    from collections.abc import Callable

    from tests.factories import World

pytestmark = pytest.mark.e2e

CODE = "D01001-00-01"


def _setup(world: World) -> None:
    make_item()
    make_item(
        code="D01002-00-00",
        main_code="D01002",
        main_name="敬老优待证办理",
        handling_type="00",
        name="敬老优待证办理",
        name_en="Senior Citizen Preferential Card",
        item_type="20",
        service_objects="1",
        themes="elderly",
        materials=[],
        steps=[],
        result_is_certificate=False,
        result_sample="",
    )
    setup_hall(world.hall, letters="A")


def test_guide_to_apply_online(world: World, page: Any) -> None:
    _setup(world)
    login(page, world.users["applicant"].username)
    page.goto("/")
    with page.expect_navigation():
        page.locator("#entrance-business a", has_text="企业开办").click()
    with page.expect_navigation():
        page.locator("#results .result-name", has_text="食品经营许可（新办）").click()
    with page.expect_navigation():
        page.locator(f'[data-item="{CODE}"] [data-offer="apply"]').click()
    assert page.url.endswith(f"/applications/apply/{CODE}/")
    assert "食品经营许可（新办）" in page.locator("h1").inner_text()


def test_guide_to_book_a_visit(world: World, page: Any) -> None:
    _setup(world)
    login(page, world.users["applicant"].username)
    page.goto(f"/catalogue/items/{CODE}/")
    with page.expect_navigation():
        page.locator('[data-offer="book"]').click()
    assert "/halls/H0001/book/" in page.url
    assert page.locator("#item").input_value() == CODE


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("width", [375, 1280])
def test_home_and_guide_fit_the_screen(
    world: World, new_page: Callable[..., Any], width: int, language: str
) -> None:
    _setup(world)
    page = new_page(width, 812 if width == 375 else 900)
    page.goto("/")
    if language == "en":
        switch_language(page, "en")
    assert horizontal_overflow(page) == 0
    screenshot(page, f"portal-home-{width}-{language}")
    page.goto(f"/catalogue/items/{CODE}/")
    assert page.locator('[data-offer="apply"]').count() == 1
    assert horizontal_overflow(page) == 0
    screenshot(page, f"portal-guide-{width}-{language}")


def test_the_elderly_friendly_mode_is_one_tap_and_remembered(world: World, page: Any) -> None:
    """适老化: a visitor turns on larger text and stronger contrast on any portal page; it stays on for the
    next pages and visits in this browser, and turns off the same way."""
    _setup(world)
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto("/")
    size = "() => getComputedStyle(document.body).fontSize"
    assert page.evaluate(size) == "16px"
    open_menu(page)
    toggle = page.locator("[data-care-toggle]")
    assert toggle.inner_text() == "大字版" and toggle.get_attribute("aria-pressed") == "false"
    toggle.click()
    assert page.evaluate(size) == "20px" and toggle.get_attribute("aria-pressed") == "true"
    page.goto(f"/catalogue/items/{CODE}/")
    assert page.evaluate("() => document.documentElement.classList.contains('care')")
    assert page.evaluate(size) == "20px"
    assert not horizontal_overflow(page)
    screenshot(page, "portal-care-375-zh-hans")
    open_menu(page)
    page.locator("[data-care-toggle]").click()
    page.reload()
    assert page.evaluate(size) == "16px"
