"""Security journeys in Chromium: a clerk sets up the second factor on a phone and signs in with it; the
owner of an account sets a new password with the two halves of a reset code (English, desktop)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import pyotp
import pytest
from django.test import override_settings

from yiwang.accounts import resets
from yiwang.accounts.models import TotpDevice

from .browser import horizontal_overflow, login, screenshot

if TYPE_CHECKING:
    from tests.factories import World

pytestmark = pytest.mark.e2e


def test_a_clerk_sets_up_the_second_factor_on_a_phone(world: World, phone_page: Any) -> None:
    page = phone_page
    with override_settings(STAFF_TWO_FACTOR=True):
        login(page, world.users["clerk"].username)
        assert "/account/2fa/enrol/" in page.url
        assert page.locator(".qr svg").is_visible()
        assert horizontal_overflow(page) == 0
        screenshot(page, "two-factor-enrol-phone-zh")
        secret = TotpDevice.objects.get(user=world.users["clerk"]).secret
        page.locator("#id_code").fill(pyotp.TOTP(secret).now())
        with page.expect_navigation():
            page.locator("#main form button[type=submit]").click()
        codes = page.locator("#recovery-codes code").all_inner_texts()
        assert len(codes) == 10 and all(re.fullmatch(r"[0-9A-F]{4}-[0-9A-F]{4}", c) for c in codes)
        screenshot(page, "two-factor-codes-phone-zh")
        with page.expect_navigation():
            page.locator("#main a.btn").click()
        assert page.url.endswith("/workbench/")


def test_the_owner_sets_a_password_with_both_halves(world: World, new_page: Any) -> None:
    page = new_page(1280, 800, label="desktop-en", locale="en-GB")
    clerk = world.users["clerk"]
    reset, first = resets.password_reset_request(
        actor=world.users["sec_admin"], user=clerk, reason="in person"
    )
    reset, second = resets.password_reset_approve(actor=world.users["sys_admin"], reset=reset)
    page.goto("/account/reset/")
    page.locator("#id_username").fill(clerk.username)
    page.locator("#id_first").fill(first)
    page.locator("#id_second").fill("WRONG999")
    page.locator("#id_password1").fill("A-new-long-pass-2026")
    page.locator("#id_password2").fill("A-new-long-pass-2026")
    page.locator("#main form button[type=submit]").click()
    page.get_by_text("one of the two codes is wrong").wait_for()
    screenshot(page, "password-reset-desktop-en")
    page.locator("#id_second").fill(second)
    page.locator("#id_password1").fill("A-new-long-pass-2026")
    page.locator("#id_password2").fill("A-new-long-pass-2026")
    page.locator("#main form button[type=submit]").click()
    page.get_by_text("Your new password is set").wait_for()
    login(page, clerk.username, "A-new-long-pass-2026")
    assert page.url.endswith("/workbench/")
