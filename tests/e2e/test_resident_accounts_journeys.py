"""A resident's own account in real Chromium (docs/adr/0056): a newcomer registers on a phone with the SMS
code the demo notice shows, signs out, signs in again with a new code and makes a first application with a
structured form (docs/adr/0048), prefilled from the registration, and gets its receipt; the registration
and code sign-in pages fit a phone in both languages."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import pytest

from tests.applications.builders import FORM, PDF, code_of, make_item
from tests.factories import resident_id

from .browser import horizontal_overflow, open_menu, screenshot, switch_language

if TYPE_CHECKING:
    from tests.factories import World

pytestmark = pytest.mark.e2e

MOBILE = "13712345678"


def _demo_code(page: Any) -> str:
    match = re.search(r"\b(\d{6})\b", page.locator("#demo-sms-body").inner_text())
    assert match is not None
    return match.group(1)


def _send_code(page: Any, mobile: str) -> None:
    page.locator("#id_mobile").fill(mobile)
    with page.expect_navigation():
        page.locator("#send-form button[type=submit]").click()


def test_a_new_resident_registers_signs_in_by_code_and_applies(
    world: World, phone_page: Any, settings: Any
) -> None:
    settings.OTP_RESEND_SECONDS = 0  # the journey asks for its second code within a minute
    item = make_item(world, name="食品经营许可", form=FORM)
    page = phone_page
    page.goto("/login/")
    with page.expect_navigation():
        page.locator("#register-link").click()
    _send_code(page, MOBILE)
    assert "137****5678" in page.locator("#code-sent").inner_text()
    page.locator("#id_code").fill(_demo_code(page))
    page.locator("#id_name").fill("赵六")
    page.locator("#id_id_number").fill(resident_id("19920611", 21))
    page.locator("#id_agree").check()
    assert horizontal_overflow(page) == 0
    with page.expect_navigation():
        page.locator("#code-step button[type=submit]").click()
    assert page.url.endswith("/account/")
    assert "赵六" in page.locator("#main").inner_text()
    assert page.locator("#verification").inner_text() == "已核验"
    assert MOBILE not in page.content()
    screenshot(page, "resident-account-375-zh-hans")

    open_menu(page)
    page.locator("form[action='/logout/'] button").click()
    page.wait_for_url("**/")

    page.goto(f"/login/?next=/applications/apply/{item.code}/")
    with page.expect_navigation():
        page.locator("#tab-code").click()
    assert page.locator("#tab-code").get_attribute("aria-current") == "page"
    _send_code(page, MOBILE)
    page.locator("#id_code").fill(_demo_code(page))
    with page.expect_navigation():
        page.locator("#code-step button[type=submit]").click()
    assert f"/applications/apply/{item.code}/" in page.url
    with page.expect_navigation():
        page.locator("#main form button[type=submit]").click()
    assert page.locator("#case-status").inner_text() == "草稿"
    # The first application: the form starts from the registration (name, masked ID number).
    assert page.locator("#id_answers-name").input_value() == "赵六"
    assert page.locator("#id_answers-id_number").input_value().endswith(resident_id("19920611", 21)[-4:])
    page.locator("#id_answers-reason").select_option("新办")
    page.locator("#id_answers-area").fill("35.5")
    page.locator("#id_answers-site__street").select_option(index=1)
    page.locator("#id_answers-site__detail").fill("龙岗大道8288号")
    page.locator("#id_answers-members-0-member_name").fill("赵小六")
    page.locator("#id_answers-members-0-relation").select_option("子女")
    for position in (1, 2):
        page.locator(f"#file_{code_of(item, position)}").set_input_files(
            {"name": f"{position}.pdf", "mimeType": "application/pdf", "buffer": PDF}
        )
    with page.expect_navigation():
        page.locator("#save-draft").click()
    with page.expect_navigation():
        page.locator("#submit-application").click()
    assert page.locator("#case-status").inner_text() == "网上已提交"
    assert "35.5" in page.locator("#answers-shown").inner_text()
    receipt = page.locator("a", has_text="收件回执")
    assert receipt.count() == 1
    pdf = page.request.get(str(receipt.get_attribute("href")))  # the signed-in resident's own receipt
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"
    assert horizontal_overflow(page) == 0


def test_a_staff_number_gets_no_code(world: World, page: Any) -> None:
    clerk = world.users["clerk"]
    clerk.mobile = "13600000001"
    clerk.save()
    page.goto("/login/code/")
    _send_code(page, "13600000001")
    assert "工作人员请用密码登录" in page.locator("#form-message").inner_text()
    assert page.locator("#code-step").count() == 0


@pytest.mark.parametrize("width", [375, 1280])
def test_the_pages_fit_in_both_languages(world: World, new_page: Any, width: int) -> None:
    page = new_page(width, 800)
    for language in ("zh-hans", "en"):
        page.goto("/account/register/")
        if language == "en":
            switch_language(page, "en")
        _send_code(page, f"1351234{width:04d}"[:11] if language == "zh-hans" else "13512349999")
        assert page.locator("#demo-sms").count() == 1
        assert horizontal_overflow(page) == 0
        screenshot(page, f"resident-register-{width}-{language}")
        page.goto("/login/code/")
        assert horizontal_overflow(page) == 0
        screenshot(page, f"resident-login-code-{width}-{language}")
        page.goto("/login/")
        screenshot(page, f"resident-login-{width}-{language}")
