"""Helpers for browser journeys (the fixtures are in conftest.py).

from tests.e2e.browser import login, switch_language
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from tests.factories import PASSWORD

RESULTS_DIR = Path(__file__).resolve().parents[2] / "test-results"


def slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", text).strip("-")[:150]


def login(page: Any, username: str, password: str = PASSWORD) -> Any:
    """Sign in through the real form and wait for the page the site sends us to."""
    page.goto("/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    with page.expect_navigation():
        page.locator("#main form button[type=submit]").click()
    return page


def open_menu(page: Any) -> None:
    """On a narrow screen the navigation sits behind the menu button: open it if it is closed."""
    toggle = page.locator("button.menu-toggle")
    if toggle.is_visible() and toggle.get_attribute("aria-expanded") != "true":
        toggle.click()


def switch_language(page: Any, language: str) -> Any:
    """Use the language button in the header (``"en"`` or ``"zh-hans"``)."""
    open_menu(page)
    with page.expect_navigation():
        page.locator(f"form.lang button[name=language][value={language}]").click()
    return page


def screenshot(page: Any, name: str) -> Path:
    """Save a full-page PNG under test-results/screens/ (for looking at layouts; not an assertion)."""
    path = RESULTS_DIR / "screens" / f"{slug(name)}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), full_page=True)
    return path


def horizontal_overflow(page: Any) -> int:
    """How many CSS pixels the page is wider than the viewport (0 when nothing scrolls sideways)."""
    width = int(page.evaluate("document.scrollingElement.scrollWidth"))
    return max(0, width - int(page.viewport_size["width"]))


def act(page: Any, action: str, *, confirm: bool = True) -> list[str]:
    """Press the button of a case action's form (``data-action``). An irreversible action asks first: the
    question is answered ``confirm`` (yes: the page submits; no: nothing is sent). Returns what was asked."""
    asked: list[str] = []

    def answer(dialog: Any) -> None:
        asked.append(dialog.message)
        dialog.accept() if confirm else dialog.dismiss()

    page.on("dialog", answer)
    button = page.locator(f"form.action-form[data-action={action}] button[type=submit]")
    try:
        if confirm:
            with page.expect_navigation():
                button.click()
        else:
            button.click()
    finally:
        page.remove_listener("dialog", answer)
    return asked


def pick(page: Any, select_id: str, typed: str, *, expect_first: str = "") -> Any:
    """Choose in a searchable picker (``core.forms.PickerSelect``) with the keyboard: type into its combobox,
    wait for the listbox, check its first option (``expect_first``) and take it with Enter."""
    box = page.locator(f"#{select_id}-search")
    box.fill(typed)
    first = page.locator(f"#{select_id}-search-list [role=option]").first
    first.wait_for()
    if expect_first:
        assert first.inner_text() == expect_first, first.inner_text()
    box.press("Enter")
    return box
