"""The catalogue in real Chromium: a citizen finds a guide on a phone by Chinese keywords, full pinyin and
initials, opens it and reads it in both languages."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from tests.catalogue.helpers import make_item
from yiwang.catalogue.models import Synonym

from .browser import horizontal_overflow, screenshot, switch_language

if TYPE_CHECKING:
    from tests.factories import World

pytestmark = pytest.mark.e2e


def _catalogue(world: World) -> None:
    make_item()
    make_item(
        code="D01002-00-00",
        main_code="D01002",
        main_name="敬老优待证办理",
        handling_type="00",
        name="敬老优待证办理",
        name_en="Senior Citizen Preferential Card",
        item_type="20",
        themes="elderly",
        keywords="老人证",
        result_name="深圳市敬老优待证",
        steps=[],
        result_is_certificate=False,
        result_sample="",
        materials=[],
    )
    Synonym.objects.create(term="老人卡", expansion="敬老优待证")


def search(page: Any, text: str) -> list[str]:
    page.locator("#q").fill(text)
    with page.expect_navigation():
        page.locator("#catalogue-search button[type=submit]").click()
    return [t.strip() for t in page.locator("#results .result-name").all_inner_texts()]


def test_a_citizen_finds_and_reads_a_guide_on_a_phone(world: World, phone_page: Any) -> None:
    _catalogue(world)
    page = phone_page
    page.goto("/catalogue/")
    assert page.locator("h1").inner_text() == "办事指南"
    assert horizontal_overflow(page) == 0

    assert search(page, "优待") == ["敬老优待证办理"]  # two Chinese characters
    assert search(page, "jinglaoyoudai") == ["敬老优待证办理"]  # full pinyin
    assert search(page, "jlyd") == ["敬老优待证办理"]  # initials
    assert search(page, "老人卡") == ["敬老优待证办理"]  # synonym
    assert search(page, "食品") == ["食品经营许可（新办）"]
    assert page.locator("#results h2").inner_text() == "找到1个事项"
    assert horizontal_overflow(page) == 0

    with page.expect_navigation():
        page.locator("#results .result-name").first.click()
    assert page.url.endswith("/catalogue/items/D01001-00-01/")
    assert page.locator("#guide-title").inner_text() == "食品经营许可（新办）"
    assert "食品安全管理制度" in page.locator("#materials").inner_text()
    assert "容缺：可在5个工作日内补交" in page.locator("#materials").inner_text()
    assert "办结送达" in page.locator("#process").inner_text()
    assert (
        page.locator("a", has_text="办事指南（PDF）").get_attribute("href")
        == "/catalogue/items/D01001-00-01/guide.pdf"
    )
    assert horizontal_overflow(page) == 0
    screenshot(page, "catalogue-guide-phone-zh")

    switch_language(page, "en")
    assert page.locator("#guide-title").inner_text() == "Food Business Licence (new)"
    assert "Acceptance conditions" in page.locator("#conditions").inner_text()
    assert horizontal_overflow(page) == 0
    screenshot(page, "catalogue-guide-phone-en")
