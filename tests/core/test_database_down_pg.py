"""With the database unreachable (a real refused connection, PostgreSQL), a signed-in user gets a proper
503 page in their language and the API a 503 in its error format — never an empty-body 500."""

from __future__ import annotations

from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import pytest
from django.db import connection
from django.test import Client

if TYPE_CHECKING:
    from collections.abc import Iterator

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@contextmanager
def database_down() -> Iterator[None]:
    saved = dict(connection.settings_dict)
    connection.close()
    connection.settings_dict["HOST"], connection.settings_dict["PORT"] = "127.0.0.1", "1"  # nothing listens
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict.clear()
        connection.settings_dict.update(saved)


@pytest.mark.parametrize(
    ("language", "words"), [("zh-hans", "暂时无法提供服务"), ("en", "temporarily unavailable")]
)
def test_a_signed_in_user_gets_a_503_page(world: Any, language: str, words: str) -> None:
    client = Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(world.users["clerk"])
    with database_down():
        r = client.get("/workbench/")
        api = client.get("/api/me")
    assert r.status_code == 503 and r["Retry-After"] == "60"
    body = r.content.decode()
    assert words in body and "<h1>503</h1>" in body
    assert api.status_code == 503 and api.json()["code"] == "unavailable"
    assert client.get("/workbench/").status_code == 200  # and back once it answers again
