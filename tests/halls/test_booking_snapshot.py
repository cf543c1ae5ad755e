"""The booking snapshot (docs/adr/0015): a booking attempt reads the hall's settings, items, queues and
special days from memory, and every change made through the product reaches the next attempt."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from yiwang.accounts.services import api_token_create
from yiwang.catalogue.models import Item
from yiwang.catalogue.services import items_offer_at_halls
from yiwang.halls import services
from yiwang.halls.models import Slot

from .helpers import next_workday

pytestmark = pytest.mark.django_db
URL = "/api/halls/appointments"


def _book(c: Any, w: Any, d: Any, start: str = "15:00", item: str = "ITEM-A") -> Any:
    body = {"hall": w.hall.code, "item": item, "date": d.isoformat(), "start": start}
    return c.post(URL, json.dumps(body), content_type="application/json")


def test_a_refused_attempt_reads_no_configuration(hallset: Any, client_for: Any) -> None:
    """A full slot is refused with the token, the person, the generations, the calendar's token and the
    fast "full" read: three queries (the token with its user and person, the generations, the fast "full" read), none of them the hall, its settings, queues, items or special days."""
    w = hallset
    d = next_workday()
    w.extra["cat_a"].capacity_override = 1
    w.extra["cat_a"].save()
    assert _book(client_for("applicant"), w, d).status_code == 201
    _token, raw = api_token_create(actor=None, user=w.users["agent"], name="booking")
    other = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")  # as a booking system calls the API
    assert _book(other, w, d).status_code == 409  # warms this process's snapshot
    with CaptureQueriesContext(connection) as ctx:
        r = _book(other, w, d)
    assert r.status_code == 409 and r.json()["code"] == "full"
    tables = " ".join(q["sql"] for q in ctx.captured_queries)
    for table in (
        "accounts_hall",
        "halls_hallconfig",
        "halls_businesscategory",
        "halls_specialday",
        "catalogue_item",
    ):
        assert table not in tables, table
    assert "core_generation" in tables
    assert len(ctx.captured_queries) == 3, [q["sql"][:80] for q in ctx.captured_queries]


def test_a_special_day_closes_the_hall_for_the_next_attempt(hallset: Any, client_for: Any) -> None:
    w = hallset
    d = next_workday()
    c = client_for("applicant")
    assert _book(c, w, d, "10:00").status_code == 201  # the snapshot is built
    services.special_day_set(actor=w.users["hall_manager"], hall=w.hall, date=d, closed=True, note="停电")
    r = _book(c, w, d, "11:00")
    assert (r.status_code, r.json()["code"]) == (422, "closed")


def test_a_queue_setting_changed_in_the_admin_applies_at_once(hallset: Any, client_for: Any) -> None:
    w = hallset
    d = next_workday()
    assert _book(client_for("applicant"), w, d, "10:00").status_code == 201
    cat = w.extra["cat_a"]
    cat.capacity_override = 1
    cat.save()  # as the admin saves it
    r = _book(client_for("agent"), w, d, "11:00")
    assert r.status_code == 201
    assert r.json()["code"]
    assert Slot.objects.get(category=cat, date=d, start="11:00").capacity == 1


def test_an_item_taken_off_a_hall_is_refused_at_the_next_attempt(hallset: Any, client_for: Any) -> None:
    w = hallset
    d = next_workday()
    c = client_for("applicant")
    assert _book(c, w, d, "10:00").status_code == 201
    item = Item.objects.get(code="ITEM-B")
    item.listed_halls_only = True  # offered only at its listed halls …
    item.save()
    items_offer_at_halls(actor=w.users["sys_admin"], items=[item], halls=[w.other_hall])  # … not this one
    r = _book(c, w, d, "11:00", item="ITEM-B")
    assert (r.status_code, r.json()["code"]) == (422, "not_handled")
