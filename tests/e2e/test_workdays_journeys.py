"""The working-day calendar in real Chromium: the year's month grids at phone width, the deadline
calculator with its explanation, and the administrators' calendar page."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from .browser import horizontal_overflow, login

if TYPE_CHECKING:
    from tests.factories import World

pytestmark = pytest.mark.e2e


def test_year_grid_and_calculator_on_a_phone(world: World, phone_page: Any) -> None:
    page = phone_page
    page.goto("/workdays/2026/")
    assert horizontal_overflow(page) == 0
    makeup = page.locator('td[data-date="2026-02-14"]')
    assert makeup.get_attribute("class") == "wd-makeup"
    assert makeup.inner_text().replace("\n", "") == "14班"
    assert page.locator('td[data-date="2026-10-01"]').get_attribute("class") == "wd-holiday"
    assert page.locator("table.wd-grid").count() == 12

    page.goto("/workdays/calculator/")
    page.locator("#start").fill("2008-10-01")
    page.locator("#days").fill("20")
    with page.expect_navigation():
        page.locator("#main form button[type=submit]").click()
    assert horizontal_overflow(page) == 0
    assert page.locator("#due").inner_text() == "2008-10-31"
    assert "起算日 2008-10-01 当日不计入" in page.locator("#sentence").inner_text()
    assert "国庆节" in page.locator("#sentence").inner_text()


def test_administrator_sees_the_calendar_page(world: World, phone_page: Any) -> None:
    page = phone_page
    login(page, world.users["sys_admin"].username)
    page.goto("/workdays/manage/?year=2027")
    assert horizontal_overflow(page) == 0
    assert "2027 年条目" in page.locator("#main").inner_text()
    assert page.locator("input[type=file]#file").count() == 1
