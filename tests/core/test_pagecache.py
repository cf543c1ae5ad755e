"""Whole public pages for anonymous visitors (docs/adr/0016): served from memory with the visitor's own
CSRF token, per language, dropped when what they show is published, never for a signed-in visitor and
never for a lookup's answer."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from tests.catalogue.helpers import item_data, make_item
from yiwang.catalogue.services import item_publish, item_save

pytestmark = pytest.mark.django_db
GUIDE = "/catalogue/items/D01001-00-01/"
PROGRESS = "/applications/progress/"
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]{64})"')


@pytest.fixture
def item(world: Any) -> Any:
    return make_item()


def _without_tokens(html: str) -> str:
    return re.sub(r"[A-Za-z0-9]{64}", "TOKEN", html)


def test_the_second_visitor_gets_the_same_page_with_a_token_of_their_own(item: Any) -> None:
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    a = first.get(GUIDE)
    b = second.get(GUIDE)
    assert "X-Page-Cache" not in a and b["X-Page-Cache"] == "hit"
    assert _without_tokens(a.content.decode()) == _without_tokens(b.content.decode())
    token = TOKEN.search(b.content.decode())
    assert token is not None and token.group(1) not in a.content.decode()
    # the token served from memory is the second visitor's own: the language form accepts it
    r = second.post(
        "/i18n/setlang/", {"language": "en", "next": GUIDE, "csrfmiddlewaretoken": token.group(1)}
    )
    assert r.status_code == 302
    assert (
        first.post("/i18n/setlang/", {"language": "en", "csrfmiddlewaretoken": token.group(1)}).status_code
        == 403
    )


def test_each_language_has_its_own_page(item: Any) -> None:
    zh = Client().get(GUIDE).content.decode()
    en = Client(HTTP_ACCEPT_LANGUAGE="en").get(GUIDE)
    assert "X-Page-Cache" not in en
    assert "Food Business Licence (new)" in en.content.decode() and "办事指南" in zh


def test_a_publication_is_on_the_next_page(item: Any, django_capture_on_commit_callbacks: Any) -> None:
    Client().get(GUIDE)
    assert Client().get(GUIDE)["X-Page-Cache"] == "hit"
    item_save(actor=None, data=item_data(conditions="新的受理条件。"))
    with django_capture_on_commit_callbacks(execute=True):
        item_publish(actor=None, item=item)
    page = Client().get(GUIDE)
    assert "X-Page-Cache" not in page and "新的受理条件。" in page.content.decode()


def test_a_signed_in_visitor_is_never_served_nor_stored(item: Any, client_for: Any) -> None:
    staff = client_for("clerk")
    assert "X-Page-Cache" not in staff.get(GUIDE)
    assert "X-Page-Cache" not in staff.get(GUIDE)  # rendered for them each time
    assert "X-Page-Cache" not in Client().get(GUIDE)  # and nothing of theirs was kept for others


def test_a_progress_lookup_is_never_kept(world: Any) -> None:
    Client().get(PROGRESS)
    assert Client().get(PROGRESS)["X-Page-Cache"] == "hit"
    asked = {"number": "LG2026000001", "last4": "1234"}
    assert "X-Page-Cache" not in Client().get(PROGRESS, asked)
    assert "X-Page-Cache" not in Client().get(PROGRESS, asked)
