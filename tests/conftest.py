from __future__ import annotations

import os
from typing import Any

import pytest
from django.db import connection
from django.test import Client

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
