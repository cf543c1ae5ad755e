"""The foundation's journeys in real Chromium: signing in to the workbench and the portal, the lockout,
and the portal at phone width in both languages."""

from __future__ import annotations

from typing import Any

import pytest

from tests.factories import PASSWORD, World
from yiwang.accounts.models import User

from .browser import horizontal_overflow, login, open_menu, screenshot, switch_language

pytestmark = pytest.mark.e2e


def test_clerk_signs_in_and_sees_the_workbench_in_chinese_then_english(world: World, page: Any) -> None:
    clerk = world.users["clerk"]
    User.objects.filter(pk=clerk.pk).update(full_name="陈小窗")

    login(page, clerk.username)

    assert page.url.endswith("/workbench/")
    assert page.locator("html").get_attribute("lang") == "zh-Hans"
    assert page.locator("h1").inner_text() == "工作台"
    assert "欢迎您，陈小窗。" in page.locator("#main").inner_text()
    assert page.locator("header .who").inner_text() == "陈小窗"
    assert page.locator("#my-roles").inner_text().strip() == "综合窗口受理员"

    switch_language(page, "en")

    assert page.url.endswith("/workbench/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text() == "Workbench"
    assert "Welcome, 陈小窗." in page.locator("#main").inner_text()
    assert page.locator("#my-roles").inner_text().strip() == "Window clerk"

    switch_language(page, "zh-hans")
    assert page.locator("#my-roles").inner_text().strip() == "综合窗口受理员"


def test_applicant_signs_in_and_sees_the_account_page_with_masked_numbers(world: World, page: Any) -> None:
    applicant = world.users["applicant"]
    person = world.person
    assert person is not None

    login(page, applicant.username)

    assert page.url.endswith("/account/")
    assert page.locator("h1").inner_text() == "我的账户"
    details = page.locator("dl.kv").inner_text()
    masked_id = person.id_number[:3] + "*" * 11 + person.id_number[-4:]
    masked_mobile = person.mobile[:3] + "****" + person.mobile[-4:]
    assert masked_id in details
    assert masked_mobile in details
    assert person.id_number not in page.content()
    assert person.mobile not in page.content()
    assert "张三" in details


def test_five_wrong_passwords_lock_the_account_for_15_minutes(world: World, page: Any) -> None:
    clerk = world.users["clerk"]

    for attempt in range(1, 5):
        login(page, clerk.username, f"wrong-password-{attempt}")
        assert page.url.endswith("/login/"), attempt
        assert page.locator("#main .errorlist").is_visible(), attempt
        assert page.locator("#lockout-message").count() == 0, attempt

    login(page, clerk.username, "wrong-password-5")
    assert page.locator("#lockout-message").inner_text() == "登录失败次数过多，该账号已锁定 15 分钟。"

    # The right password does not help while the lock lasts.
    login(page, clerk.username, PASSWORD)
    assert page.locator("#lockout-message").inner_text() == "登录失败次数过多，该账号已锁定 15 分钟。"
    assert page.locator("h1").inner_text() == "账号已锁定"
    assert not page.url.endswith("/workbench/")

    switch_language(page, "en")
    login(page, clerk.username, PASSWORD)
    assert page.locator("#lockout-message").inner_text() == (
        "Too many failed sign-in attempts. This account is locked for 15 minutes."
    )

    # Another account is not affected: the lock is per account, not per address.
    login(page, world.users["reviewer"].username, PASSWORD)
    assert page.url.endswith("/workbench/")


def test_portal_home_fits_a_phone_and_its_menu_opens_and_closes(world: World, phone_page: Any) -> None:
    page = phone_page
    page.goto("/")
    assert horizontal_overflow(page) == 0

    nav = page.locator("nav#nav")
    toggle = page.locator("button.menu-toggle")
    assert toggle.is_visible()
    assert not nav.is_visible()
    assert toggle.get_attribute("aria-expanded") == "false"

    toggle.click()
    assert nav.is_visible()
    assert toggle.get_attribute("aria-expanded") == "true"
    assert page.locator("nav#nav a[href='/login/']").is_visible()
    assert horizontal_overflow(page) == 0

    toggle.click()
    assert not nav.is_visible()
    assert toggle.get_attribute("aria-expanded") == "false"


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_shell_pages_fit_a_phone_in_both_languages(world: World, phone_page: Any, language: str) -> None:
    """Every shell page at 375 px, menu closed and open; screenshots land in test-results/screens/."""
    page = phone_page
    page.goto("/")
    if language != "zh-hans":
        switch_language(page, language)
    expected_lang = "en" if language == "en" else "zh-Hans"
    site_name = "Yiwang Government Services" if language == "en" else "一网政务服务"

    def visit(path: str, name: str) -> None:
        if path:
            page.goto(path)
        assert page.locator("html").get_attribute("lang") == expected_lang, name
        assert site_name in page.locator("header .brand").inner_text(), name
        assert site_name in page.title(), name
        assert horizontal_overflow(page) == 0, name
        screenshot(page, f"{name}-{language}")
        open_menu(page)
        assert horizontal_overflow(page) == 0, f"{name} with the menu open"
        screenshot(page, f"{name}-menu-{language}")

    visit("/", "portal-home")
    visit("/login/", "login")
    login(page, world.users["applicant"].username)
    visit("/account/", "portal-account")
    page.locator("form[action='/logout/'] button").click()
    page.wait_for_url("**/")
    login(page, world.users["clerk"].username)
    visit("/workbench/", "workbench-home")
    visit("/workbench/people/?q=张三", "workbench-people")


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_shell_pages_fit_a_desktop_in_both_languages(world: World, desktop_page: Any, language: str) -> None:
    page = desktop_page
    page.goto("/")
    if language != "zh-hans":
        switch_language(page, language)
    assert not page.locator("button.menu-toggle").is_visible()
    assert page.locator("nav#nav").is_visible()
    assert horizontal_overflow(page) == 0
    screenshot(page, f"desktop-portal-home-{language}")
    login(page, world.users["clerk"].username)
    assert horizontal_overflow(page) == 0
    screenshot(page, f"desktop-workbench-home-{language}")


def test_the_admin_runs_under_the_content_security_policy(world: World, page: Any) -> None:
    """The configuration admin (Django's own templates and scripts) works with no refused content."""
    login(page, world.users["sys_admin"].username)
    for path in ("/admin/", "/admin/accounts/hall/", f"/admin/accounts/hall/{world.hall.pk}/change/"):
        response = page.goto(path)
        assert response is not None and response.status == 200, path
        assert "script-src 'self'" in (response.header_value("content-security-policy") or "")
    page.locator("input[name=_save]").wait_for()
