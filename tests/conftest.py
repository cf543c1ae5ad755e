from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.utils import timezone, translation

from yiwang.core import generations, pagecache
from yiwang.core import testing as pii_testing

from .factories import World, build_world


def pytest_collection_modifyitems(config: Any, items: list[Any]) -> None:
    """Browser journeys need Chromium; concurrency tests need PostgreSQL. Skip with a reason otherwise."""
    on_pg = os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))
    has_chromium = os.path.exists(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
    for item in items:
        if "postgres" in item.keywords and not on_pg:
            item.add_marker(pytest.mark.skip(reason="needs PostgreSQL: set DATABASE_URL (CI runs it)"))
        if "e2e" in item.keywords and not has_chromium:
            item.add_marker(pytest.mark.skip(reason="needs Chromium at /usr/bin/chromium (CI installs it)"))


def _reset_process_state() -> None:
    """What one test could leave behind for the next in the same process: the active language (Django's
    test client runs LocaleMiddleware in the test's thread, which activates the request's language and
    leaves it active), the active time zone, the per-process caches (rendered menus) and the audit
    checkpoints kept outside the database."""
    translation.activate(settings.LANGUAGE_CODE)
    timezone.deactivate()
    # The audit checkpoints live outside the database, in a directory of this process: empty it.
    checkpoints = Path(settings.AUDIT_CHECKPOINT_DIR) / "checkpoints.jsonl"
    checkpoints.unlink(missing_ok=True)
    for alias in settings.CACHES:
        if "locmem" in settings.CACHES[alias]["BACKEND"].lower():
            caches[alias].clear()
    generations.clear_all()  # configuration snapshots kept in memory (a rollback repeats generations)
    pagecache.clear()  # and the public pages kept for anonymous visitors


def _db_fixture(request: pytest.FixtureRequest) -> str:
    """``db``, ``transactional_db`` or "" (no database) for this test."""
    names = set(request.fixturenames)
    marker = request.node.get_closest_marker("django_db")
    if "transactional_db" in names or "live_server" in names or (marker and marker.kwargs.get("transaction")):
        return "transactional_db"
    if marker or {"db", "django_db_setup"} & names:
        return "db"
    return ""


@pytest.fixture(autouse=True)
def _every_refusal_keeps_its_audit_row(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> Any:
    """Each refused access writes one ``denied`` audit row, and no rollback may take it away (a refusal
    inside a service's transaction once lost its row). Every row written during the test must still be
    there when it ends."""
    from yiwang.audit import services as audit

    database = _db_fixture(request)
    if not database:
        yield
        return
    request.getfixturevalue(database)
    original = audit.audit_denied
    written: list[tuple[int, str]] = []

    def recording(**kwargs: Any) -> Any:
        event = original(**kwargs)
        written.append((event.pk, str(kwargs.get("action", ""))))
        return event

    for module in list(sys.modules.values()):
        if (
            getattr(module, "__name__", "").startswith("yiwang.")
            and getattr(module, "audit_denied", None) is original
        ):
            monkeypatch.setattr(module, "audit_denied", recording)
    yield
    from yiwang.audit.models import AuditEvent

    kept = set(AuditEvent.objects.filter(pk__in=[pk for pk, _a in written]).values_list("pk", flat=True))
    lost = [action for pk, action in written if pk not in kept]
    assert not lost, f"refusals whose denied audit row was rolled back: {lost}"


@pytest.fixture(autouse=True)
def _isolated_global_state(request: pytest.FixtureRequest) -> Any:
    """Every test starts in Chinese, in the default time zone, with empty caches, and leaves the same
    behind, so no test depends on what ran before it in the same worker (in any order). The shared cache
    may live in the database, so only tests with a database clear it (a transactional test's flush does
    not empty the cache table)."""
    _reset_process_state()
    database = _db_fixture(request)
    if database:
        request.getfixturevalue(database)
        caches["default"].clear()
    yield
    if database:
        caches["default"].clear()
    _reset_process_state()


@pytest.fixture
def world(db: Any) -> World:
    return build_world()


@pytest.fixture
def client_for(world: World) -> Any:
    def make(role_or_user: Any) -> Client:
        c = Client()
        user = world.users.get(role_or_user) if isinstance(role_or_user, str) else role_or_user
        if user is not None:
            c.force_login(user)
        return c

    return make


@pytest.fixture
def is_postgres() -> bool:
    return connection.vendor == "postgresql"


@pytest.fixture(scope="session", autouse=True)
def _pii_leak_scan() -> Any:
    """The masking scan: no response in the whole suite may carry a full resident ID or mobile number."""
    pii_testing.LEAKS.clear()
    yield
    leaks = sorted(set(pii_testing.LEAKS))
    assert not leaks, "responses leaked unmasked personal numbers:\n" + "\n".join(leaks[:50])
