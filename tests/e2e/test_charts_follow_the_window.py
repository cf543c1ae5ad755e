"""Every figures page's charts take the window's width again when it changes (a phone turned, a window
narrowed): drawn at 1280 px and then shown at 375 px, no chart is wider than the screen."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from .browser import horizontal_overflow, login

if TYPE_CHECKING:
    from tests.factories import World

pytestmark = pytest.mark.e2e

PAGES = [
    ("supervisor", "/applications/figures/"),
    ("hall_manager", "/halls/figures/"),
    ("dispatcher", "/hotline/figures/"),
]


@pytest.mark.parametrize(("role", "url"), PAGES, ids=[u for _r, u in PAGES])
def test_charts_redraw_at_the_new_width(world: World, desktop_page: Any, role: str, url: str) -> None:
    page = desktop_page
    login(page, world.users[role].username)
    page.goto(url)
    canvases = page.locator("div[_echarts_instance_] canvas")
    canvases.first.wait_for()
    wide = page.evaluate(
        "() => Math.max(...[...document.querySelectorAll('div[_echarts_instance_] canvas')]"
        ".map(c => c.getBoundingClientRect().width))"
    )
    assert wide > 375
    page.set_viewport_size({"width": 375, "height": 812})
    page.wait_for_function(
        "() => [...document.querySelectorAll('div[_echarts_instance_] canvas')]"
        ".every(c => c.getBoundingClientRect().width <= 375)",
        timeout=5000,
    )
    assert horizontal_overflow(page) == 0
