"""Queue numbers, check-in, the window console and live status (services and pages)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import translation

from tests.factories import make_staff
from yiwang.accounts.models import Window
from yiwang.audit.models import AuditEvent
from yiwang.core.errors import ServiceError
from yiwang.halls import selectors, services
from yiwang.halls.models import Appointment, BookingPolicy, Ticket

from .helpers import at, next_workday

pytestmark = pytest.mark.django_db


def _take(w: Any, letter: str = "A", now: Any = None, user: Any = None, green: bool = False) -> Ticket:
    return services.ticket_take(
        actor=user or w.users["clerk"],
        hall=w.hall,
        category_letter=letter,
        green=green,
        now=now or at(next_workday(), "09:00"),
    )


def _window(w: Any, number: str = "01") -> Window:
    return Window.objects.get(hall=w.hall, number=number)


def _err(fn: Any, message: str) -> None:
    before = (
        list(Ticket.objects.order_by("id").values_list("status", "window_id", "category_id")),
        AuditEvent.objects.filter(outcome="success").count(),
    )
    with translation.override("en"), pytest.raises(ServiceError) as exc:
        fn()
    assert exc.value.as_dict()["message"] == message
    after = (
        list(Ticket.objects.order_by("id").values_list("status", "window_id", "category_id")),
        AuditEvent.objects.filter(outcome="success").count(),
    )
    assert after == before


def test_numbers_per_category_and_day(hallset: Any) -> None:
    d = next_workday()
    numbers = [_take(hallset, letter, now=at(d, "09:00")).number for letter in "AABAB"]
    assert numbers == ["A001", "A002", "B001", "A003", "B002"]
    assert _take(hallset, "A", now=at(next_workday(d), "09:00")).number == "A001"


def test_take_refused_when_closed_or_unknown_queue(hallset: Any) -> None:
    d = next_workday()
    _err(lambda: _take(hallset, now=at(d, "21:00")), "The hall is not open now.")
    _err(lambda: _take(hallset, "Z", now=at(d, "09:00")), "Choose a queue of this hall.")


def test_checkin_on_time_gets_priority_and_is_called_first(hallset: Any) -> None:
    w = hallset
    d = next_workday()
    appt = services.appointment_book(
        actor=w.users["applicant"],
        hall=w.hall,
        item_code="ITEM-A",
        date=d,
        start="10:00",
        now=at(d - timedelta(days=1), "09:00"),
    )
    walkin = _take(w, now=at(d, "09:30"))
    ticket = services.appointment_checkin(
        actor=w.users["applicant"], hall=w.hall, code=appt.code.lower(), now=at(d, "09:40")
    )
    assert (ticket.number, ticket.priority_reason, ticket.source) == ("A002", "on_time", "appointment")
    appt.refresh_from_db()
    assert appt.status == Appointment.Status.CHECKED_IN
    assert selectors.ticket_position(ticket, at(d, "09:41")).ahead == 0
    assert selectors.ticket_position(walkin, at(d, "09:41")).ahead == 1
    called = services.ticket_call_next(actor=w.users["clerk"], window=_window(w), now=at(d, "09:45"))
    assert called.pk == ticket.pk
    # a second check-in with the same code is refused
    _err(
        lambda: services.appointment_checkin(
            actor=w.users["applicant"], hall=w.hall, code=appt.code, now=at(d, "09:50")
        ),
        "This appointment has already been checked in.",
    )


def test_late_checkin_has_no_priority(hallset: Any) -> None:
    w = hallset
    d = next_workday()
    appt = services.appointment_book(
        actor=w.users["applicant"],
        hall=w.hall,
        item_code="ITEM-A",
        date=d,
        start="10:00",
        now=at(d - timedelta(days=1), "09:00"),
    )
    t = services.appointment_checkin(actor=w.users["clerk"], hall=w.hall, code=appt.code, now=at(d, "10:20"))
    assert (t.priority, t.priority_reason) == (0, "")


def test_checkin_bad_input(hallset: Any) -> None:
    w = hallset
    d = next_workday()
    appt = services.appointment_book(
        actor=w.users["applicant"],
        hall=w.hall,
        item_code="ITEM-A",
        date=d,
        start="10:00",
        now=at(d - timedelta(days=1), "09:00"),
    )
    u = w.users["applicant"]
    _err(
        lambda: services.appointment_checkin(actor=u, hall=w.other_hall, code=appt.code, now=at(d, "09:50")),
        f"This appointment is at {w.hall.name}, not at this hall.",
    )
    _err(
        lambda: services.appointment_checkin(
            actor=u, hall=w.hall, code=appt.code, now=at(d - timedelta(days=1), "09:50")
        ),
        f"This appointment is for {d:%Y-%m-%d}, not today.",
    )
    _err(
        lambda: services.appointment_checkin(actor=u, hall=w.hall, code="ZZZZZZZZ", now=at(d, "09:50")),
        "No appointment has this confirmation code.",
    )
    _err(
        lambda: services.appointment_checkin(
            actor=w.users["agent"], hall=w.hall, code=appt.code, now=at(d, "09:50")
        ),
        "No appointment has this confirmation code.",
    )
    _err(
        lambda: services.appointment_checkin(actor=u, hall=w.hall, code=appt.code, now=at(d, "09:00")),
        "Check-in opens 30 minutes before your time, at 09:30.",
    )


def test_green_channel_for_elderly_and_declared(hallset: Any) -> None:
    w = hallset
    d = next_workday()
    BookingPolicy.objects.filter(pk=1).update(green_priority=3, elderly_age=65)
    old = w.users["applicant"].person
    old.id_number = old.id_number  # the factory person is born 1980: not elderly
    normal = _take(w, now=at(d, "09:00"))
    declared = _take(w, now=at(d, "09:01"), green=True)
    assert (normal.priority, declared.priority, declared.priority_reason) == (0, 3, "green")
    green_window = Window.objects.create(hall=w.hall, number="G1", name="绿色通道", kind=Window.Kind.GREEN)
    called = services.ticket_call_next(actor=w.users["clerk"], window=green_window, now=at(d, "09:05"))
    assert called.pk == declared.pk


def test_console_call_recall_no_show_transfer_finish(hallset: Any) -> None:
    w = hallset
    d = next_workday()
    clerk = w.users["clerk"]
    a1 = _take(w, "A", now=at(d, "09:00"))
    b1 = _take(w, "B", now=at(d, "09:01"))
    a2 = _take(w, "A", now=at(d, "09:02"))
    win_a, win_b = _window(w, "01"), _window(w, "02")
    assert services.ticket_call_next(actor=clerk, window=win_a, now=at(d, "09:05")).pk == a1.pk
    _err(
        lambda: services.ticket_call_next(actor=clerk, window=win_a, now=at(d, "09:06")),
        "Finish or mark the current number before calling the next one.",
    )
    assert services.ticket_recall(actor=clerk, window=win_a).recalls == 1
    services.ticket_no_show(actor=clerk, window=win_a, now=at(d, "09:07"))
    # window 01 serves only A: B001 cannot be called there, by number or by id
    _err(
        lambda: services.ticket_call_next(actor=clerk, window=win_a, ticket=b1, now=at(d, "09:08")),
        "This window does not serve this queue.",
    )
    t = services.ticket_call_next(actor=clerk, window=win_a, now=at(d, "09:08"))
    assert t.pk == a2.pk
    moved = services.ticket_transfer(actor=clerk, window=win_a, category_letter="B", now=at(d, "09:10"))
    assert (moved.status, moved.category.letter, moved.number) == ("waiting", "B", "A002")
    # B's queue now: B001 (09:01), then A002 (re-queued 09:10)
    assert services.ticket_call_next(actor=clerk, window=win_b, now=at(d, "09:11")).pk == b1.pk
    services.ticket_finish(actor=clerk, window=win_b, now=at(d, "09:20"))
    assert services.ticket_call_next(actor=clerk, window=win_b, now=at(d, "09:21")).pk == a2.pk
    services.ticket_finish(actor=clerk, window=win_b, now=at(d, "09:30"))
    _err(
        lambda: services.ticket_call_next(actor=clerk, window=win_b, now=at(d, "09:31")),
        "Nobody is waiting for this window.",
    )
    _err(
        lambda: services.ticket_finish(actor=clerk, window=win_b, now=at(d, "09:31")),
        "No number is being served at this window.",
    )
    statuses = dict(Ticket.objects.values_list("number", "status"))
    assert statuses == {"A001": "no_show", "B001": "done", "A002": "done"}


def test_transfer_to_a_window(hallset: Any) -> None:
    w = hallset
    d = next_workday()
    clerk = w.users["clerk"]
    t = _take(w, "A", now=at(d, "09:00"))
    services.ticket_call_next(actor=clerk, window=_window(w, "01"), now=at(d, "09:01"))
    services.ticket_transfer(
        actor=clerk, window=_window(w, "01"), to_window=_window(w, "02"), now=at(d, "09:02")
    )
    # window 02 serves B only, but the number was sent to it
    assert services.ticket_call_next(actor=clerk, window=_window(w, "02"), now=at(d, "09:03")).pk == t.pk


def test_calling_a_number_of_another_hall_is_refused(hallset: Any) -> None:
    w = hallset
    d = next_workday()
    other_clerk = make_staff("clerk_other", ["clerk"], hall=w.other_hall)
    theirs = services.ticket_take(
        actor=other_clerk, hall=w.other_hall, category_letter="A", now=at(d, "09:00")
    )
    _err(
        lambda: services.ticket_call_next(
            actor=w.users["clerk"], window=_window(w), ticket=theirs, now=at(d, "09:01")
        ),
        "This number belongs to another hall.",
    )
    # and a clerk cannot operate another hall's window at all
    with pytest.raises(PermissionDenied):
        services.ticket_call_next(
            actor=w.users["clerk"],
            window=Window.objects.get(hall=w.other_hall, number="01"),
            now=at(d, "09:01"),
        )
    assert Ticket.objects.get(pk=theirs.pk).status == "waiting"


def test_live_status_and_estimates_from_real_service_times(hallset: Any) -> None:
    w = hallset
    d = next_workday()
    clerk = w.users["clerk"]
    for i in range(4):
        _take(w, "A", now=at(d, f"09:0{i}"))
    win = _window(w)
    services.ticket_call_next(actor=clerk, window=win, now=at(d, "09:10"))
    services.ticket_finish(actor=clerk, window=win, now=at(d, "09:14"))  # 4 minutes of real service
    current = services.ticket_call_next(actor=clerk, window=win, now=at(d, "09:15"))
    st = selectors.hall_status(w.hall, at(d, "09:16"))
    a = next(c for c in st.categories if c.letter == "A")
    assert (a.waiting, a.windows, a.avg_service_minutes) == (2, 1, 4.0)
    assert a.wait_minutes == 8
    assert a.serving == [{"number": current.number, "window": "01"}]
    assert st.recent_calls[0]["number"] == current.number
    last = Ticket.objects.get(number="A004")
    pos = selectors.ticket_position(last, at(d, "09:16"))
    assert (pos.ahead, pos.wait_minutes) == (1, 4)


def test_no_show_sweep_and_figures(hallset: Any) -> None:
    w = hallset
    d = next_workday()
    services.appointment_book(
        actor=w.users["applicant"],
        hall=w.hall,
        item_code="ITEM-A",
        date=d,
        start="10:00",
        now=at(d - timedelta(days=1), "09:00"),
    )
    assert services.appointments_mark_no_shows(now=at(d, "10:40")) == 0  # on-time window still open
    assert services.appointments_mark_no_shows(now=at(d, "10:46")) == 1
    clerk = w.users["clerk"]
    win = _window(w)
    for i in range(3):
        _take(w, "A", now=at(d, f"09:0{i}"))
    services.ticket_call_next(actor=clerk, window=win, now=at(d, "09:10"))
    services.ticket_finish(actor=clerk, window=win, now=at(d, "09:20"))
    services.ticket_call_next(actor=clerk, window=win, now=at(d, "09:21"))
    services.ticket_no_show(actor=clerk, window=win, now=at(d, "09:22"))
    f = selectors.hall_figures(w.hall, d, d)
    assert f["hall"]["tickets"] == 3
    assert f["hall"]["wait_avg"] == 15.0  # (10 + 20) / 2 minutes
    assert f["hall"]["service_avg"] == 10.0
    assert f["hall"]["noshow_rate"] == 0.5
    assert f["bookings"] == {"made": 1, "used": 0, "missed": 1, "cancelled": 0, "used_rate": 0.0}
    assert [r["tickets"] for r in f["clerks"]] == [2]
