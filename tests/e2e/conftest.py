"""Browser journeys in real Chromium (Debian's /usr/bin/chromium) through Playwright.

Fixtures for every browser test:

- ``world``          the organisation world of ``tests.factories`` (one user per role, password
                     ``tests.factories.PASSWORD``), committed so the live server sees it.
- ``live_server``    pytest-django's server thread; pages open relative to it (``page.goto("/login/")``).
- ``page``           a desktop page (1280×800), alias ``desktop_page``.
- ``phone_page``     a phone-width page (375×812, touch, as in WeChat's in-app browser).
- ``new_page``       ``new_page(width, height)`` for any other size.
- ``browser_locale`` the browser's language (default ``zh-CN``, as a citizen's phone sends);
                     override it in a module to see what an English browser gets.

Helpers live in ``tests.e2e.browser``: ``login(page, username, password)``,
``switch_language(page, "en")``, ``open_menu(page)``, ``screenshot(page, name)`` and
``horizontal_overflow(page)``.

Every test here is marked ``e2e`` (skipped, with the reason, where /usr/bin/chromium is missing).
On a failure each open page is saved as a PNG under ``test-results/`` (git-ignored).

Playwright's synchronous API keeps an asyncio loop running in the test thread, so Django's
async-safety guard must be relaxed while a browser is open: ``DJANGO_ALLOW_ASYNC_UNSAFE`` is set
when the first browser test starts and removed when the last one in this package ends. The browser is
Debian's, launched directly; ``playwright install`` is never needed. pytest-playwright's own plugin
is switched off (``-p no:playwright`` in pyproject.toml): it wants a downloaded browser and deletes
test-results/ at the start of every pytest session.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

import pytest

from tests.factories import World, build_world

from .browser import RESULTS_DIR, slug

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 800}
TIMEOUT_MS = 15_000

_REPORTS = pytest.StashKey[dict[str, pytest.TestReport]]()

# --- pytest plumbing ---------------------------------------------------------------------------


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Every test in this folder is a browser journey (``-m e2e``), even if its module forgets the mark."""
    here = os.path.dirname(__file__)
    for item in items:
        if str(item.path).startswith(here + os.sep) and "e2e" not in item.keywords:
            item.add_marker(pytest.mark.e2e)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[pytest.TestReport]:
    report = yield
    item.stash.setdefault(_REPORTS, {})[report.when] = report
    return report


def _failed(request: pytest.FixtureRequest) -> bool:
    reports = request.node.stash.get(_REPORTS, {})
    return any(r.failed for r in reports.values())


# --- the browser -------------------------------------------------------------------------------


@pytest.fixture(scope="package")
def playwright() -> Iterator[Any]:
    """One Playwright driver for the browser tests of this package."""
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"needs Chromium at {CHROMIUM} (CI installs Debian's chromium)")
    from playwright.sync_api import sync_playwright

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    manager = sync_playwright().start()
    try:
        yield manager
    finally:
        manager.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="package")
def browser(playwright: Any) -> Iterator[Any]:
    """Debian's Chromium, headless."""
    chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
    yield chromium
    chromium.close()


@pytest.fixture
def browser_locale() -> str:
    return "zh-CN"


@pytest.fixture
def world(transactional_db: None, live_server: Any) -> World:
    """The organisation world, committed so the live server's thread sees it."""
    return build_world()


@pytest.fixture
def new_page(
    request: pytest.FixtureRequest, browser: Any, live_server: Any, browser_locale: str
) -> Iterator[Callable[..., Any]]:
    """``new_page(width, height, **context_options)``: a page in a fresh browser context.

    Every page records what the browser refused under the Content-Security-Policy (and any uncaught
    script error); a test whose pages saw one fails, so each journey also checks the policy."""
    opened: list[tuple[str, Any, Any]] = []
    refused: list[str] = []

    def make(width: int, height: int, *, label: str | None = None, **options: Any) -> Any:
        options.setdefault("locale", browser_locale)
        options.setdefault("timezone_id", "Asia/Shanghai")
        context = browser.new_context(
            base_url=live_server.url, viewport={"width": width, "height": height}, **options
        )
        context.set_default_timeout(TIMEOUT_MS)
        context.set_default_navigation_timeout(TIMEOUT_MS)
        page = context.new_page()
        page.on(
            "console",
            lambda m: (
                refused.append(f"{page.url}: {m.text}") if "Content Security Policy" in m.text else None
            ),
        )
        page.on("pageerror", lambda e: refused.append(f"{page.url}: {e}"))
        opened.append((label or f"{width}x{height}", context, page))
        return page

    yield make
    failed = _failed(request)
    for label, context, page in opened:
        if failed:
            RESULTS_DIR.mkdir(exist_ok=True)
            try:
                page.screenshot(
                    path=str(RESULTS_DIR / f"{slug(request.node.nodeid)}-{label}.png"), full_page=True
                )
            except Exception as exc:  # a failed screenshot must not hide the real failure
                print(f"could not save a screenshot of {label}: {exc}")
        context.close()
    assert refused == [], "the browser refused content or hit a script error:\n" + "\n".join(refused)


@pytest.fixture
def phone_page(new_page: Callable[..., Any]) -> Any:
    """A 375×812 touch screen, as in WeChat's in-app browser."""
    return new_page(
        PHONE["width"], PHONE["height"], label="phone", is_mobile=True, has_touch=True, device_scale_factor=2
    )


@pytest.fixture
def desktop_page(new_page: Callable[..., Any]) -> Any:
    return new_page(DESKTOP["width"], DESKTOP["height"], label="desktop")


@pytest.fixture
def page(desktop_page: Any) -> Any:
    """A desktop page, 1280×800."""
    return desktop_page
