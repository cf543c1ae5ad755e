"""Pages of halls parse what they read with forms: a malformed value is refused with a message naming the
field, in the reader's language, and never reaches a service, a query or date arithmetic."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.utils import timezone

from yiwang.accounts.models import Window
from yiwang.halls.models import HallConfig, SpecialDay, Ticket

pytestmark = pytest.mark.django_db


def _open_today(w: Any) -> None:
    SpecialDay.objects.update_or_create(
        hall=w.hall, date=timezone.localdate(), defaults={"closed": False, "hours": [["00:00", "23:59"]]}
    )


def _messages(response: Any) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_booking_names_the_date_and_the_time_that_are_not_valid(hallset: Any, client_for: Any) -> None:
    w = hallset
    c = client_for("applicant")
    url = f"/halls/{w.hall.code}/book/"
    r = c.post(url, {"item": "ITEM-A", "date": "2026-02-30", "start": "09:00"})
    assert r.status_code == 400
    assert "日期：请输入有效日期（YYYY-MM-DD）。" in r.content.decode()
    r = c.post(url, {"item": "ITEM-A", "date": "2026-12-01", "start": "9h"}, HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 400
    assert "Time: Enter a time as HH:MM." in r.content.decode()
    # the query string only chooses what is shown: an invalid day shows no times, without an error
    assert c.get(url, {"item": "ITEM-A", "date": "0001-01-01"}).status_code == 200


def test_check_in_without_a_code_names_the_field(hallset: Any, client_for: Any) -> None:
    w = hallset
    _open_today(w)
    r = client_for("applicant").post(f"/halls/{w.hall.code}/take/", {"mode": "checkin", "code": ""})
    assert r.status_code == 400
    assert "预约码：" in r.content.decode()
    assert not Ticket.objects.exists()


def test_console_refuses_a_malformed_number_with_a_message(hallset: Any, client_for: Any) -> None:
    w = hallset
    _open_today(w)
    clerk = client_for("clerk")
    win = Window.objects.get(hall=w.hall, number="01")
    r = clerk.post(f"/halls/console/{win.pk}/call/", {"ticket": "x"}, HTTP_ACCEPT_LANGUAGE="en")
    assert (r.status_code, r["Location"]) == (302, f"/halls/console/?window={win.pk}")
    assert _messages(r) == ["Number: Enter a whole number."]
    r = clerk.post(f"/halls/console/{win.pk}/transfer/", {"to_window": "-1"}, HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 302
    assert _messages(r)[-1] == "Window: Ensure this value is greater than or equal to 1."
    assert clerk.get("/halls/console/", {"window": "x"}).status_code == 403
    assert clerk.post(f"/halls/console/{2**64}/call/", {}).status_code == 404


def test_set_up_names_the_field_and_refuses_unknown_queues(hallset: Any, client_for: Any) -> None:
    w = hallset
    before = HallConfig.objects.get(hall=w.hall).slot_minutes
    manager = client_for("hall_manager")
    r = manager.post(
        "/halls/setup/",
        {"form": "config", "slot_minutes": "ten", "buffer_minutes": "0"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert r.status_code == 400
    assert "Slot length (minutes): Enter a whole number." in r.content.decode()
    assert HallConfig.objects.get(hall=w.hall).slot_minutes == before
    cat = w.extra["cat_b"]
    data = {"form": "category", "category": str(cat.pk), "avg_service_minutes": "6", "windows_sent": "1"}
    assert manager.post("/halls/setup/", {**data, "category": "x"}).status_code == 404
    assert (
        manager.post("/halls/setup/", {**data, "category": str(w.extra["other_cats"][0].pk)}).status_code
        == 404
    )
    r = manager.post("/halls/setup/", {**data, "windows": ["x"]}, HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 400 and "windows: Choose windows of this hall." in r.content.decode()
    r = manager.post(
        "/halls/setup/", {"form": "special", "date": "tomorrow", "closed": "1"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert r.status_code == 400 and "Date: Enter a valid date (YYYY-MM-DD)." in r.content.decode()
    assert manager.post("/halls/setup/", {"form": "other"}).status_code == 400


def test_figures_ignore_days_outside_the_supported_years(hallset: Any, client_for: Any) -> None:
    page = client_for("hall_manager").get("/halls/figures/", {"end": "0001-01-01"})
    assert page.status_code == 200


def test_a_special_day_is_not_closed_unless_ticked_and_hours_with_closed_are_refused(
    hallset: Any, client_for: Any
) -> None:
    """Extending a day's hours saved it as closed (the box came ticked): the box starts unticked, hours with
    "closed" ticked are an error naming the fields, and hours alone save an open day."""
    w = hallset
    manager = client_for("hall_manager")
    page = manager.get("/halls/setup/").content.decode()
    assert '<input type="checkbox" name="closed" value="1" style="width:auto">' in page
    day = (timezone.localdate() + timezone.timedelta(days=30)).isoformat()
    extended = {"form": "special", "date": day, "open_from": "08:00", "open_until": "20:00"}
    r = manager.post("/halls/setup/", {**extended, "closed": "1"}, HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 400
    assert (
        "closed: a closed day has no opening hours: untick it, or clear “or open from” and “until”."
        in r.content.decode()
    )
    r = manager.post("/halls/setup/", {**extended, "closed": "1"})
    assert r.status_code == 400 and "闭馆：" in r.content.decode()
    assert not SpecialDay.objects.filter(hall=w.hall, date=day).exists()
    r = manager.post("/halls/setup/", {**extended, "open_until": ""}, HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 400
    assert "until: Give the opening hours of the day, or mark it closed." in r.content.decode()
    assert manager.post("/halls/setup/", extended).status_code == 302
    row = SpecialDay.objects.get(hall=w.hall, date=day)
    assert (row.closed, row.hours) == (False, [["08:00", "20:00"]])
    assert manager.post("/halls/setup/", {"form": "special", "date": day, "closed": "1"}).status_code == 302
    row.refresh_from_db()
    assert (row.closed, row.hours) == (True, [])
