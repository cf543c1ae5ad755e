"""Halls: every page and API operation, with own-hall / other-hall and own / other applicant variants."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from .registry import ALL, APPLICANTS, NOBODY, Route

DESK = frozenset({"clerk", "hall_manager"})  # staff posted to world.hall who run its kiosk
OWNER = frozenset({"applicant"})  # the appointment below belongs to world.users["applicant"]
CLERK = frozenset({"clerk"})
MANAGER = frozenset({"hall_manager"})


def _h(w: Any) -> dict[str, Any]:
    """Configured halls, an item, an appointment of the applicant and a waiting ticket per hall (once)."""
    if "halls" in w.extra:
        return w.extra["halls"]  # type: ignore[no-any-return]
    from tests.halls.helpers import make_item, next_workday, setup_hall
    from yiwang.accounts.models import Window
    from yiwang.halls.models import Appointment, Slot, Ticket, TicketCounter

    cats = setup_hall(w.hall)
    other_cats = setup_hall(w.other_hall)
    make_item(w, "ITEM-A")
    d = next_workday()
    slot = Slot.objects.create(
        hall=w.hall, category=cats[0], date=d, start="10:00", end="10:30", capacity=3, booked=1
    )
    appt = Appointment.objects.create(
        hall=w.hall,
        category=cats[0],
        slot=slot,
        date=d,
        start="10:00",
        end="10:30",
        item_code="ITEM-A",
        item_name="测试事项",
        person=w.person,
        user=w.users["applicant"],
    )
    now = timezone.now()
    today = timezone.localdate()
    own = Ticket.objects.create(
        hall=w.hall,
        category=cats[0],
        date=today,
        seq=1,
        number="A001",
        taken_at=now,
        queued_at=now,
        person=w.person,
    )
    other = Ticket.objects.create(
        hall=w.other_hall,
        category=other_cats[0],
        date=today,
        seq=1,
        number="A001",
        taken_at=now,
        queued_at=now,
    )
    TicketCounter.objects.create(hall=w.hall, category=cats[0], date=today, last=1)
    TicketCounter.objects.create(hall=w.other_hall, category=other_cats[0], date=today, last=1)
    w.extra["halls"] = {
        "appt": appt,
        "date": d,
        "own_ticket": own,
        "other_ticket": other,
        "window": Window.objects.get(hall=w.hall, number="01"),
        "other_window": Window.objects.get(hall=w.other_hall, number="01"),
    }
    return w.extra["halls"]  # type: ignore[no-any-return]


def _code(w: Any) -> dict[str, Any]:
    _h(w)
    return {"code": w.hall.code}


def _other_code(w: Any) -> dict[str, Any]:
    _h(w)
    return {"code": w.other_hall.code}


def _appt(w: Any) -> dict[str, Any]:
    return {"code": _h(w)["appt"].code}


def _token(w: Any) -> dict[str, Any]:
    return {"token": _h(w)["own_ticket"].token}


def _win(w: Any) -> dict[str, Any]:
    return {"window_id": _h(w)["window"].pk}


def _other_win(w: Any) -> dict[str, Any]:
    return {"window_id": _h(w)["other_window"].pk}


def _slots_query(w: Any) -> dict[str, Any]:
    return {"item": "ITEM-A", "date": _h(w)["date"].isoformat()}


def _book(w: Any) -> dict[str, Any]:
    return {"hall": w.hall.code, "item": "ITEM-A", "date": _h(w)["date"].isoformat(), "start": "15:00"}


def _move(w: Any) -> dict[str, Any]:
    return {"date": _h(w)["date"].isoformat(), "start": "16:00"}


WINDOW_OPS = ["call", "recall", "no-show", "finish", "transfer"]

ROUTES = [
    # Pages: the public map, hall pages, board and ticket link
    Route("halls:map", allow=ALL, must_succeed=ALL),
    Route("halls:hall", allow=ALL, must_succeed=ALL, kwargs=_code),
    Route("halls:board", allow=ALL, must_succeed=ALL, kwargs=_code),
    Route("halls:ticket", allow=ALL, must_succeed=ALL, kwargs=_token),
    Route("halls:ticket_print", allow=ALL, must_succeed=ALL, kwargs=_token),
    # The hall's public kiosk: anyone, without an account (a refused queue letter is a 400, not a 403)
    Route("halls:kiosk", allow=ALL, must_succeed=ALL, kwargs=_code),
    Route("halls:kiosk", "POST", allow=ALL, kwargs=_code, data=lambda w: {"category": "Z", "who": ""}),
    # Applicants: booking and their own appointments
    Route("halls:book", allow=APPLICANTS, must_succeed=APPLICANTS, kwargs=_code),
    Route("halls:book", "POST", allow=APPLICANTS, kwargs=_code, data=lambda w: {"item": "NOPE", "date": "x"}),
    Route("halls:appointments", allow=APPLICANTS, must_succeed=APPLICANTS),
    Route("halls:appointment", allow=OWNER, must_succeed=OWNER, kwargs=_appt, variant="own appointment"),
    Route("halls:reschedule", allow=OWNER, must_succeed=OWNER, kwargs=_appt, variant="own appointment"),
    Route("halls:reschedule", "POST", allow=OWNER, kwargs=_appt, data=_move, variant="own appointment"),
    Route("halls:cancel", "POST", allow=OWNER, kwargs=_appt, variant="own appointment"),
    # Taking a number: applicants anywhere; the kiosk only in its own hall
    Route(
        "halls:take",
        allow=APPLICANTS | DESK,
        must_succeed=APPLICANTS | DESK,
        kwargs=_code,
        variant="own hall",
    ),
    Route("halls:take", allow=APPLICANTS, kwargs=_other_code, variant="other hall"),
    Route(
        "halls:take",
        "POST",
        allow=APPLICANTS | DESK,
        kwargs=_code,
        variant="own hall",
        data=lambda w: {"mode": "walkin", "category": "A"},
    ),
    Route(
        "halls:take",
        "POST",
        allow=APPLICANTS,
        kwargs=_other_code,
        variant="other hall",
        data=lambda w: {"mode": "checkin", "code": "XXXX"},
    ),
    # Staff
    Route("halls:console", allow=CLERK, must_succeed=CLERK),
    Route(
        "halls:console_action",
        "POST",
        allow=CLERK,
        variant="own hall's window",
        kwargs=lambda w: {**_win(w), "action": "call"},
    ),
    Route(
        "halls:console_action",
        "POST",
        allow=NOBODY,
        variant="other hall's window",
        kwargs=lambda w: {**_other_win(w), "action": "call"},
    ),
    Route("halls:figures", allow=MANAGER, must_succeed=MANAGER),
    Route("halls:setup", allow=MANAGER, must_succeed=MANAGER),
    Route("halls:setup", "POST", allow=MANAGER, data=lambda w: {"form": "config", "slot_minutes": "x"}),
    # API: public reads
    Route("API GET /api/halls/", allow=ALL, must_succeed=ALL),
    Route("API GET /api/halls/{code}", allow=ALL, must_succeed=ALL, kwargs=_code),
    Route("API GET /api/halls/{code}/slots", allow=ALL, must_succeed=ALL, kwargs=_code, data=_slots_query),
    Route("API GET /api/halls/{code}/status", allow=ALL, must_succeed=ALL, kwargs=_code),
    Route("API GET /api/halls/tickets/{token}", allow=ALL, must_succeed=ALL, kwargs=_token),
    # API: applicants
    Route("API POST /api/halls/appointments", allow=APPLICANTS, data=_book),
    Route("API GET /api/halls/appointments/mine", allow=APPLICANTS, must_succeed=APPLICANTS),
    Route(
        "API GET /api/halls/appointments/{code}",
        allow=OWNER,
        must_succeed=OWNER,
        kwargs=_appt,
        variant="own appointment",
    ),
    Route(
        "API POST /api/halls/appointments/{code}/reschedule",
        allow=OWNER,
        kwargs=_appt,
        data=_move,
        variant="own appointment",
    ),
    Route(
        "API POST /api/halls/appointments/{code}/cancel", allow=OWNER, kwargs=_appt, variant="own appointment"
    ),
    Route(
        "API POST /api/halls/{code}/tickets",
        allow=APPLICANTS | DESK,
        kwargs=_code,
        variant="own hall",
        data=lambda w: {"category": "A"},
    ),
    Route(
        "API POST /api/halls/{code}/tickets",
        allow=APPLICANTS,
        kwargs=_other_code,
        variant="other hall",
        data=lambda w: {"category": "A"},
    ),
    Route(
        "API POST /api/halls/{code}/checkin",
        allow=APPLICANTS | DESK,
        kwargs=_code,
        variant="own hall",
        data=lambda w: {"code": "NOPE"},
    ),
    Route(
        "API POST /api/halls/{code}/checkin",
        allow=APPLICANTS,
        kwargs=_other_code,
        variant="other hall",
        data=lambda w: {"code": "NOPE"},
    ),
    # API: the hall's manager
    Route(
        "API GET /api/halls/{code}/figures",
        allow=MANAGER,
        must_succeed=MANAGER,
        kwargs=_code,
        variant="own hall",
    ),
    Route("API GET /api/halls/{code}/figures", allow=NOBODY, kwargs=_other_code, variant="other hall"),
]

# API: window operations, for a window of the clerk's own hall and one of another hall
for _op in WINDOW_OPS:
    ROUTES.append(
        Route(
            f"API POST /api/halls/windows/{{window_id}}/{_op}",
            allow=CLERK,
            kwargs=_win,
            variant="own hall's window",
            data=lambda w: {},
        )
    )
    ROUTES.append(
        Route(
            f"API POST /api/halls/windows/{{window_id}}/{_op}",
            allow=NOBODY,
            kwargs=_other_win,
            variant="other hall's window",
            data=lambda w: {},
        )
    )
