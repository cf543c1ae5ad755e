"""The halls API: the issue's bad inputs answered with exact messages in Chinese and English, nothing changed;
the happy path from booking to the live status."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.db.models import Sum
from django.utils import timezone

from tests.factories import make_staff
from yiwang.accounts.models import Window
from yiwang.audit.models import AuditEvent
from yiwang.halls import services
from yiwang.halls.calendar import work_calendar
from yiwang.halls.models import Appointment, HallConfig, Slot, Ticket

from .helpers import at, next_workday

pytestmark = pytest.mark.django_db


def _state() -> tuple[Any, ...]:
    return (
        list(Appointment.objects.order_by("id").values_list("status", "slot_id")),
        Slot.objects.aggregate(n=Sum("booked"))["n"],
        list(Ticket.objects.order_by("id").values_list("status", "window_id")),
        AuditEvent.objects.filter(outcome="success").count(),
    )


def _call(client: Any, method: str, url: str, body: Any, lang: str) -> Any:
    headers = {"HTTP_ACCEPT_LANGUAGE": lang}
    if method == "get":
        return client.get(url, body or {}, **headers)
    return client.post(url, json.dumps(body or {}), content_type="application/json", **headers)


def refused(client: Any, method: str, url: str, body: Any, status: int, zh: str, en: str) -> None:
    """The request is refused with the exact message in both languages and changes nothing."""
    before = _state()
    for lang, message in (("zh-hans", zh), ("en", en)):
        r = _call(client, method, url, body, lang)
        assert r.status_code == status, (lang, r.status_code, r.content.decode())
        assert r.json()["message"] == message, lang
    assert _state() == before


def _book_body(
    w: Any, d: Any, start: str = "15:00", item: str = "ITEM-A", hall: Any = None
) -> dict[str, Any]:
    return {"hall": (hall or w.hall).code, "item": item, "date": d.isoformat(), "start": start}


def test_booking_bad_input(hallset: Any, client_for: Any) -> None:
    w = hallset
    c = client_for("applicant")
    url = "/api/halls/appointments"
    today = timezone.localdate()
    d = next_workday()
    refused(
        c,
        "post",
        url,
        _book_body(w, today - timedelta(days=1)),
        422,
        "该时间已过。",
        "This time has already passed.",
    )
    refused(
        c,
        "post",
        url,
        _book_body(w, d, item="ITEM-S"),
        422,
        "本大厅不办理该事项。",
        "This hall does not handle this item.",
    )
    refused(
        c,
        "post",
        url,
        _book_body(w, d, hall=w.other_hall),
        422,
        "本大厅不办理该事项。",
        "This hall does not handle this item.",
    )
    refused(
        c,
        "post",
        url,
        _book_body(w, d, start="15:10"),
        422,
        "当天15:10没有预约时段。",
        "There is no appointment slot at 15:10 on this day.",
    )
    last = work_calendar().add_workdays(today, 7)
    far = last + timedelta(days=1)
    refused(
        c,
        "post",
        url,
        _book_body(w, far),
        422,
        f"只能预约7个工作日内的时段（截至{last:%Y-%m-%d}）。",
        f"Bookings are open up to 7 working days ahead (until {last:%Y-%m-%d}).",
    )
    services.special_day_set(actor=w.users["hall_manager"], hall=w.hall, date=d, closed=True)
    refused(
        c,
        "post",
        url,
        _book_body(w, d),
        422,
        f"大厅{d:%Y-%m-%d}不开放。",
        f"The hall is closed on {d:%Y-%m-%d}.",
    )


def test_full_twice_limit_and_blocked(hallset: Any, client_for: Any) -> None:
    w = hallset
    url = "/api/halls/appointments"
    d = next_workday()
    w.extra["cat_a"].capacity_override = 1
    w.extra["cat_a"].save()
    c = client_for("applicant")
    r = c.post(url, json.dumps(_book_body(w, d, "15:00")), content_type="application/json")
    assert r.status_code == 201, r.content
    code = r.json()["code"]
    refused(
        client_for("agent"),
        "post",
        url,
        _book_body(w, d, "15:00"),
        409,
        "该时段已约满，请选择其他时间。",
        "This time slot is fully booked. Please choose another time.",
    )
    refused(
        c,
        "post",
        url,
        _book_body(w, d, "15:00"),
        409,
        "您已预约该时段。",
        "You have already booked this time slot.",
    )
    refused(
        c,
        "post",
        url,
        _book_body(w, d, "16:00"),
        409,
        "在本大厅每天最多可预约1次。",
        "You can book at most 1 appointments a day at this hall.",
    )
    cfg = HallConfig.objects.get(hall=w.hall)  # saved as the admin saves it (moves the halls' generation)
    cfg.per_person_open = 1
    cfg.save()
    refused(
        c,
        "post",
        url,
        _book_body(w, next_workday(d), "16:00"),
        409,
        "您在本大厅已有1个未到访的预约，已达上限。",
        "You already have 1 open appointments at this hall, the most allowed.",
    )
    # three no-shows in 30 days block booking for 7 days
    agent = w.users["agent"]
    appt = Appointment.objects.get(code=code)
    today = timezone.localdate()
    for k in (20, 10, 2):
        Appointment.objects.create(
            hall=w.hall,
            category=appt.category,
            slot=appt.slot,
            date=today - timedelta(days=k),
            start=appt.start,
            end=appt.end,
            item_code="ITEM-A",
            item_name="x",
            person=agent.person,
            user=agent,
            status=Appointment.Status.NO_SHOW,
        )
    until = today - timedelta(days=2) + timedelta(days=7)
    refused(
        client_for("agent"),
        "post",
        url,
        _book_body(w, d, "17:00"),
        409,
        f"您在30天内爽约3次，{until:%Y-%m-%d}前不能预约。",
        f"You missed 3 appointments within 30 days, so you cannot book until {until:%Y-%m-%d}.",
    )


def test_editing_the_request_cannot_book_anything_else(hallset: Any, client_for: Any) -> None:
    """A forged request (other hall, unknown item, odd time, malformed date) is checked on the server."""
    w = hallset
    c = client_for("applicant")
    before = _state()
    for body in (
        {"hall": "NOPE", "item": "ITEM-A", "date": next_workday().isoformat(), "start": "15:00"},
        {"hall": w.hall.code, "item": "ITEM-A", "date": "2026-13-01", "start": "15:00"},
        {"hall": w.hall.code, "item": "ITEM-A", "date": next_workday().isoformat(), "start": "25:00"},
        {
            "hall": w.hall.code,
            "item": "ITEM-A",
            "date": next_workday().isoformat(),
            "start": "15:00",
            "person": 1,
        },
    ):
        r = c.post("/api/halls/appointments", json.dumps(body), content_type="application/json")
        if "person" in body:  # an extra field is ignored: the booking is for the signed-in person only
            assert r.status_code == 201
            assert Appointment.objects.get(code=r.json()["code"]).person == w.person
            before = _state()
        else:
            assert r.status_code in (400, 404, 422), body
    assert _state() == before


def test_checkin_and_calling_bad_input(hallset: Any, client_for: Any) -> None:
    w = hallset
    d = timezone.localdate()
    # an appointment for tomorrow, checked in today: wrong day; at the other hall: wrong hall
    tomorrow = next_workday()
    appt = services.appointment_book(
        actor=w.users["applicant"],
        hall=w.hall,
        item_code="ITEM-A",
        date=tomorrow,
        start="15:00",
        now=at(d, "00:01"),
    )
    c = client_for("applicant")
    refused(
        c,
        "post",
        f"/api/halls/{w.other_hall.code}/checkin",
        {"code": appt.code},
        422,
        f"该预约在{w.hall.name}，不在本大厅。",
        f"This appointment is at {w.hall.name}, not at this hall.",
    )
    refused(
        c,
        "post",
        f"/api/halls/{w.hall.code}/checkin",
        {"code": appt.code},
        422,
        f"该预约日期为{tomorrow:%Y-%m-%d}，不是今天。",
        f"This appointment is for {tomorrow:%Y-%m-%d}, not today.",
    )
    refused(
        c,
        "post",
        f"/api/halls/{w.hall.code}/checkin",
        {"code": "NOPE1234"},
        422,
        "没有与该预约码对应的预约。",
        "No appointment has this confirmation code.",
    )
    # calling a number of another hall from this hall's window
    other_clerk = make_staff("clerk_other", ["clerk"], hall=w.other_hall)
    theirs = services.ticket_take(
        actor=other_clerk, hall=w.other_hall, category_letter="A", now=at(d, "09:00")
    )
    win = Window.objects.get(hall=w.hall, number="01")
    clerk = client_for("clerk")
    refused(
        clerk,
        "post",
        f"/api/halls/windows/{win.pk}/call",
        {"ticket": theirs.pk},
        422,
        "该号码属于其他大厅。",
        "This number belongs to another hall.",
    )
    other_win = Window.objects.get(hall=w.other_hall, number="01")
    r = clerk.post(f"/api/halls/windows/{other_win.pk}/call", "{}", content_type="application/json")
    assert r.status_code == 403
    assert Ticket.objects.get(pk=theirs.pk).status == "waiting"
    refused(
        clerk,
        "post",
        f"/api/halls/windows/{win.pk}/finish",
        {},
        409,
        "本窗口当前没有正在办理的号码。",
        "No number is being served at this window.",
    )


def test_public_reads_and_the_whole_path(hallset: Any, client_for: Any) -> None:
    w = hallset
    anon = client_for("anonymous")
    halls = anon.get("/api/halls/", {"lat": 22.7205, "lng": 114.2480, "item": "ITEM-A"}).json()
    assert [h["code"] for h in halls] == [w.hall.code]  # the street hall does not handle the district item
    assert halls[0]["distance_km"] < 0.1
    detail = anon.get(f"/api/halls/{w.hall.code}").json()
    assert {i["code"]: i["category"] for i in detail["items"]} == {"ITEM-A": "A", "ITEM-B": "B"}
    d = next_workday()
    slots = anon.get(f"/api/halls/{w.hall.code}/slots", {"item": "ITEM-A", "date": d.isoformat()}).json()
    assert slots[0] == {"start": "08:00", "end": "08:30", "capacity": 3, "booked": 0, "free": 3}
    assert len(slots) == 24
    c = client_for("applicant")
    r = c.post(
        "/api/halls/appointments", json.dumps(_book_body(w, d, "08:00")), content_type="application/json"
    )
    assert r.status_code == 201
    assert (
        anon.get(f"/api/halls/{w.hall.code}/slots", {"item": "ITEM-A", "date": d.isoformat()}).json()[0][
            "free"
        ]
        == 2
    )
    mine = c.get("/api/halls/appointments/mine").json()
    assert [a["code"] for a in mine] == [r.json()["code"]]
    assert client_for("agent").get(f"/api/halls/appointments/{r.json()['code']}").status_code == 404
    status = anon.get(f"/api/halls/{w.hall.code}/status").json()
    assert [c["letter"] for c in status["categories"]] == ["A", "B"]
    moved = c.post(
        f"/api/halls/appointments/{r.json()['code']}/reschedule",
        json.dumps({"date": d.isoformat(), "start": "09:00"}),
        content_type="application/json",
    )
    assert moved.json()["start"] == "09:00"
    cancelled = c.post(
        f"/api/halls/appointments/{r.json()['code']}/cancel", "{}", content_type="application/json"
    )
    assert cancelled.json()["status"] == "cancelled"
