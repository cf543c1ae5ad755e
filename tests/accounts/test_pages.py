"""Pages of people and sign-in read what they are sent through forms: ``next`` after signing in only when it
is a page of this site; the applicants page bounds what it searches for and what it registers."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from yiwang.accounts.models import Person

from ..factories import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("query", "posted", "location"),
    [
        ("", "/halls/", "/halls/"),
        ("?next=/halls/", "", "/halls/"),
        ("?next=/halls/", "/catalogue/", "/catalogue/"),  # the form's own field first
        ("", "https://elsewhere.example/", "/workbench/"),
        ("", "//elsewhere.example/", "/workbench/"),
        ("", "/halls/\x00", "/workbench/"),
        ("", "/" + "a" * 3000, "/workbench/"),
    ],
)
def test_sign_in_returns_to_next_only_within_the_site(
    world: Any, query: str, posted: str, location: str
) -> None:
    data = {"username": "t_clerk", "password": PASSWORD}
    if posted:
        data["next"] = posted
    r = Client().post(reverse("portal:login") + query, data)
    assert (r.status_code, r.headers["Location"]) == (302, location)


def test_people_page_names_a_field_that_is_too_long(world: Any, client_for: Any) -> None:
    c = client_for("clerk")
    number = "440524188001010014"  # docs/rules.md §8
    r = c.post(
        "/workbench/people/",
        {"name": "张" * 61, "id_number": number},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert r.status_code == 400
    assert "Name: Ensure this value has at most 60 characters (it has 61)." in r.content.decode()
    assert not Person.objects.filter(id_number=number).exists()
    r = c.post("/workbench/people/", {"name": "张三", "id_number": number})
    assert r.status_code == 302
    assert c.get("/workbench/people/", {"q": "张三"}).content.decode().count("张三") >= 2
    assert c.get("/workbench/people/", {"q": "张" * 400}).status_code == 200
