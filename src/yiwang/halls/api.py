"""The halls API (mounted at /api/halls): the map, free slots and live status are public (the WeChat
account reads them); booking and tickets need a signed-in applicant; window operations a clerk."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any, Literal

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from yiwang.accounts.access import acting_person, ensure
from yiwang.accounts.models import Hall, Window
from yiwang.core.errors import NotFound, ServiceError
from yiwang.web.api import AUTH, ERRORS, WRITE_ERRORS, Id, IsoDate

from . import selectors, services
from .access import access_appointment, access_book, access_console, access_hall_manage, access_window
from .models import Appointment, Ticket

router = Router(tags=["halls, appointments and queues"])


class HallBrief(Schema):
    code: str
    name: str
    kind: str
    address: str
    lat: float
    lng: float
    phone: str
    distance_km: float | None = None
    open_now: bool
    hours_today: list[str]
    waiting: int
    url: str


class CategoryOut(Schema):
    letter: str
    name: str
    windows: int
    avg_service_minutes: int
    capacity_per_slot: int


class ItemOut(Schema):
    code: str
    name: str
    category: str | None


class HallDetail(HallBrief):
    opening_hours: dict[str, Any]
    categories: list[CategoryOut]
    items: list[ItemOut]
    bookable_days: list[date]


class SlotOut(Schema):
    start: str
    end: str
    capacity: int
    booked: int
    free: int


class ServingOut(Schema):
    number: str
    window: str


class CategoryStatusOut(Schema):
    letter: str
    name: str
    waiting: int
    windows: int
    avg_service_minutes: float
    wait_minutes: int
    serving: list[ServingOut]


class StatusOut(Schema):
    hall: str
    date: IsoDate
    open_now: bool
    waiting: int
    categories: list[CategoryStatusOut]
    recent_calls: list[ServingOut]


class BookIn(Schema):
    hall: str = Field(..., max_length=24)
    item: str = Field(..., max_length=40)
    date: IsoDate
    start: str = Field(..., max_length=5, description="HH:MM, one of the day's slots")


class RescheduleIn(Schema):
    date: IsoDate
    start: str = Field(..., max_length=5)


class AppointmentOut(Schema):
    code: str
    hall: str
    hall_name: str
    item_code: str
    item_name: str
    category: str
    date: IsoDate
    start: str
    end: str
    status: str
    ticket: str | None = None


class TakeIn(Schema):
    category: str = Field("", max_length=1)
    item: str = Field("", max_length=40)
    green: bool = False


class CheckinIn(Schema):
    code: str = Field(..., max_length=12)


class TicketOut(Schema):
    id: int
    token: str
    hall: str
    number: str
    category: str
    date: IsoDate
    status: str
    priority: int
    priority_reason: str
    window: str | None
    ahead: int | None
    wait_minutes: int | None
    taken_at: datetime
    called_at: datetime | None


class CallIn(Schema):
    ticket: Id | None = None
    number: str = Field("", max_length=8)


class TransferIn(Schema):
    category: str = Field("", max_length=1)
    window: Id | None = None


class HallFiguresOut(Schema):
    start: date
    end: date
    hall: dict[str, Any]
    windows: list[dict[str, Any]]
    clerks: list[dict[str, Any]]
    days: list[dict[str, Any]]
    bookings: dict[str, Any]


def _hm(t: time) -> str:
    return t.strftime("%H:%M")


def _brief(m: selectors.MapHall) -> dict[str, Any]:
    h = m.hall
    return {
        "code": h.code,
        "name": selectors.name_of(h),
        "kind": h.kind,
        "address": h.address,
        "lat": h.lat,
        "lng": h.lng,
        "phone": h.phone,
        "distance_km": m.distance_km,
        "open_now": m.open_now,
        "hours_today": [f"{_hm(a)}–{_hm(b)}" for a, b in m.hours_today],
        "waiting": m.waiting,
        "url": f"/halls/{h.code}/",
    }


def _hall(code: str) -> Hall:
    hall = selectors.hall_get(code)
    if hall is None:
        raise NotFound()
    return hall


def appointment_out(a: Appointment) -> dict[str, Any]:
    checked_in = selectors.appointment_ticket(a)
    ticket = checked_in.number if checked_in else None
    return {
        "code": a.code,
        "hall": a.hall.code,
        "hall_name": selectors.name_of(a.hall),
        "item_code": a.item_code,
        "item_name": a.item_name,
        "category": a.category.letter,
        "date": a.date,
        "start": _hm(a.start),
        "end": _hm(a.end),
        "status": a.status,
        "ticket": ticket,
    }


def ticket_out(t: Ticket) -> dict[str, Any]:
    pos = selectors.ticket_position(t)
    return {
        "id": t.pk,
        "token": str(t.token),
        "hall": t.hall.code,
        "number": t.number,
        "category": t.category.letter,
        "date": t.date,
        "status": t.status,
        "priority": t.priority,
        "priority_reason": t.priority_reason,
        "window": t.window.number if t.window_id and t.window else None,
        "ahead": pos.ahead if pos else None,
        "wait_minutes": pos.wait_minutes if pos else None,
        "taken_at": t.taken_at,
        "called_at": t.called_at,
    }


@router.get("/", response={200: list[HallBrief], **ERRORS}, auth=None)
def list_halls(
    request: HttpRequest,
    lat: float | None = Query(None, ge=-90, le=90, description="sort by distance from here (with ``lng``)"),
    lng: float | None = Query(None, ge=-180, le=180, description="sort by distance from here (with ``lat``)"),
    item: str = Query("", max_length=40, description="only halls that handle this item code"),
    open_now: bool = Query(False, description="only halls open at this moment"),
    kind: Literal["", "district", "street", "community", "park"] = Query(
        "", description="only halls of this kind"
    ),
) -> Any:
    """Halls by distance from (lat, lng), only those handling ``item``, optionally only those open now (public)."""
    if (lat is None) != (lng is None):
        raise ServiceError(_("Give both latitude and longitude."), code="invalid")
    return [
        _brief(m)
        for m in selectors.halls_near(lat=lat, lng=lng, item_code=item, open_now=open_now, kind=kind)
    ]


@router.get("/{code}/slots", response={200: list[SlotOut], **ERRORS}, auth=None)
def hall_slots(request: HttpRequest, code: str, item: str, date: date) -> Any:
    """The day's slots for an item at a hall with free places (public)."""
    hall = _hall(code)
    found = selectors.hall_item(hall, item)
    if found is None or found.category is None:
        raise ServiceError(_("This hall does not handle this item."), code="not_handled")
    return [
        {"start": _hm(s.start), "end": _hm(s.end), "capacity": s.capacity, "booked": s.booked, "free": s.free}
        for s in selectors.day_slots(hall, found.category, date)
    ]


@router.get("/{code}/status", response={200: StatusOut, **ERRORS}, auth=None)
def hall_live_status(request: HttpRequest, code: str) -> Any:
    """Live queue status: waiting per queue, numbers being served at which window, estimated wait (public)."""
    st = selectors.hall_status(_hall(code))
    return {
        "hall": st.hall.code,
        "date": st.date,
        "open_now": st.open_now,
        "waiting": st.waiting,
        "categories": [c.__dict__ for c in st.categories],
        "recent_calls": [{"number": r["number"], "window": r["window"]} for r in st.recent_calls],
    }


@router.post("/appointments", response={201: AppointmentOut, **WRITE_ERRORS}, auth=AUTH)
def book(request: HttpRequest, payload: BookIn) -> Any:
    """Book a slot (applicants). Every rule is checked again on the server."""
    ensure(access_book(request.user), user=request.user, action="appointment.book")
    snap = selectors.booking_snapshot(payload.hall)  # the hall from memory (docs/adr/0015)
    if snap is None:
        raise NotFound()
    hall = snap.hall
    appt = services.appointment_book(
        actor=request.user, hall=hall, item_code=payload.item, date=payload.date, start=payload.start
    )
    return Status(201, appointment_out(appt))


@router.get("/appointments/mine", response={200: list[AppointmentOut], **ERRORS}, auth=AUTH)
def my_appointments(request: HttpRequest) -> Any:
    """The signed-in applicant's appointments."""
    ensure(access_book(request.user), user=request.user, action="appointment.list")
    return [appointment_out(a) for a in selectors.person_appointments(acting_person(request.user))[:100]]


def _own_appointment(request: HttpRequest, code: str, action: str) -> Appointment:
    ensure(access_book(request.user), user=request.user, action=action)
    appt = selectors.appointment_by_code(code)
    if appt is None or not access_appointment(request.user, appt):
        raise NotFound()
    return appt


@router.get("/appointments/{code}", response={200: AppointmentOut, **ERRORS}, auth=AUTH)
def appointment_detail(request: HttpRequest, code: str) -> Any:
    """One of the applicant's own appointments."""
    return appointment_out(_own_appointment(request, code, "appointment.view"))


@router.post("/appointments/{code}/cancel", response={200: AppointmentOut, **WRITE_ERRORS}, auth=AUTH)
def appointment_cancel(request: HttpRequest, code: str) -> Any:
    """Cancel (until the cut-off before the slot)."""
    appt = services.appointment_cancel(
        actor=request.user, appointment=_own_appointment(request, code, "appointment.cancel")
    )
    return appointment_out(appt)


@router.post("/appointments/{code}/reschedule", response={200: AppointmentOut, **WRITE_ERRORS}, auth=AUTH)
def appointment_reschedule(request: HttpRequest, code: str, payload: RescheduleIn) -> Any:
    """Move to another slot of the same hall and item (until the cut-off)."""
    appt = services.appointment_reschedule(
        actor=request.user,
        appointment=_own_appointment(request, code, "appointment.reschedule"),
        date=payload.date,
        start=payload.start,
    )
    return appointment_out(appt)


@router.post("/{code}/tickets", response={201: TicketOut, **WRITE_ERRORS}, auth=AUTH)
def take_ticket(request: HttpRequest, code: str, payload: TakeIn) -> Any:
    """Take a walk-in number (applicants on their phone; the hall's kiosk)."""
    t = services.ticket_take(
        actor=request.user,
        hall=_hall(code),
        category_letter=payload.category,
        item_code=payload.item,
        green=payload.green,
    )
    return Status(201, ticket_out(t))


@router.post("/{code}/checkin", response={201: TicketOut, **WRITE_ERRORS}, auth=AUTH)
def checkin(request: HttpRequest, code: str, payload: CheckinIn) -> Any:
    """Check in with the appointment's confirmation code and get a number (priority when on time)."""
    t = services.appointment_checkin(actor=request.user, hall=_hall(code), code=payload.code)
    return Status(201, ticket_out(t))


@router.get("/tickets/{token}", response={200: TicketOut, **ERRORS}, auth=None)
def ticket_status(request: HttpRequest, token: str) -> Any:
    """A ticket by its secret link (printed as QR on the slip): position and estimated wait."""
    t = selectors.ticket_by_token(token)
    if t is None:
        raise NotFound()
    return ticket_out(t)


def _window(request: HttpRequest, window_id: Id, action: str) -> Window:
    ensure(access_console(request.user), user=request.user, action=action)
    window = selectors.window_get(window_id)
    if window is None:
        raise Http404
    ensure(access_window(request.user, window), user=request.user, action=action, obj=window)
    return window


@router.post("/windows/{window_id}/call", response={200: TicketOut, **WRITE_ERRORS}, auth=AUTH)
def window_call(request: HttpRequest, window_id: Id, payload: CallIn) -> Any:
    """Call the next number the window can serve, or a given waiting number (clerks of the hall)."""
    window = _window(request, window_id, "ticket.call")
    ticket = None
    if payload.ticket is not None:
        ticket = selectors.ticket_get(payload.ticket)
        if ticket is None:
            raise ServiceError(_("No such number today."), code="unknown_number")
    return ticket_out(
        services.ticket_call_next(actor=request.user, window=window, ticket=ticket, number=payload.number)
    )


@router.post("/windows/{window_id}/recall", response={200: TicketOut, **WRITE_ERRORS}, auth=AUTH)
def window_recall(request: HttpRequest, window_id: Id) -> Any:
    """Call the current number again."""
    return ticket_out(
        services.ticket_recall(actor=request.user, window=_window(request, window_id, "ticket.recall"))
    )


@router.post("/windows/{window_id}/no-show", response={200: TicketOut, **WRITE_ERRORS}, auth=AUTH)
def window_no_show(request: HttpRequest, window_id: Id) -> Any:
    """The called person did not come."""
    return ticket_out(
        services.ticket_no_show(actor=request.user, window=_window(request, window_id, "ticket.no_show"))
    )


@router.post("/windows/{window_id}/finish", response={200: TicketOut, **WRITE_ERRORS}, auth=AUTH)
def window_finish(request: HttpRequest, window_id: Id) -> Any:
    """The current number has been served."""
    return ticket_out(
        services.ticket_finish(actor=request.user, window=_window(request, window_id, "ticket.finish"))
    )


@router.post("/windows/{window_id}/transfer", response={200: TicketOut, **WRITE_ERRORS}, auth=AUTH)
def window_transfer(request: HttpRequest, window_id: Id, payload: TransferIn) -> Any:
    """Send the current number to another queue or window of the hall."""
    window = _window(request, window_id, "ticket.transfer")
    to_window = None
    if payload.window is not None:
        to_window = selectors.window_get(payload.window)
        if to_window is None:
            raise ServiceError(_("Transfer only to a queue or window of the same hall."), code="other_hall")
    return ticket_out(
        services.ticket_transfer(
            actor=request.user, window=window, category_letter=payload.category, to_window=to_window
        )
    )


@router.get("/{code}/figures", response={200: HallFiguresOut, **ERRORS}, auth=AUTH)
def hall_figures(
    request: HttpRequest, code: str, start: IsoDate | None = None, end: IsoDate | None = None
) -> Any:
    """Tickets, waiting (average, p90), service time, no-show rate per hall, window and clerk; bookings used
    (the hall's manager)."""
    hall = _hall(code)
    ensure(access_hall_manage(request.user, hall), user=request.user, action="hall.figures", obj=hall)
    end = end or selectors.localnow().date()
    start = start or end - timedelta(days=29)
    return selectors.hall_figures(hall, start, end)


# Registered last: the catch-all path must not shadow /appointments, /tickets and /windows.
@router.get("/{code}", response={200: HallDetail, **ERRORS}, auth=None)
def hall_detail(request: HttpRequest, code: str) -> Any:
    """One hall: hours, queues, the items it handles and the days open for booking (public)."""
    hall = _hall(code)
    m = selectors.map_entry(hall)
    cats = selectors.hall_categories(hall)
    cfg = selectors.hall_config(hall)
    return {
        **_brief(m),
        "opening_hours": hall.opening_hours or {},
        "categories": [
            {
                "letter": c.letter,
                "name": selectors.name_of(c),
                "windows": len(selectors.category_windows(c)),
                "avg_service_minutes": c.avg_service_minutes,
                "capacity_per_slot": selectors.category_capacity(c, cfg),
            }
            for c in cats
        ],
        "items": [
            {"code": i.code, "name": i.display_name, "category": i.category.letter if i.category else None}
            for i in selectors.hall_items(hall, cats)
        ],
        "bookable_days": selectors.bookable_days(hall) if cfg.bookable else [],
    }
