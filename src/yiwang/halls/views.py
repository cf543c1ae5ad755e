"""Pages of halls: the service map, hall pages, booking, taking a number, the ticket page and the
display board (portal); the window console, figures and set-up (workbench)."""

from __future__ import annotations

import math
from datetime import timedelta
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from yiwang.accounts.access import acting_person, ensure, signed_in
from yiwang.accounts.models import Hall, Street, Window
from yiwang.core import ratelimit
from yiwang.core.errors import ServiceError
from yiwang.core.forms import WhichForm, form_refusal
from yiwang.core.pagecache import anonymous_page
from yiwang.web.pages import require

from . import engine, forms, selectors, services
from .access import (
    access_appointment,
    access_book,
    access_console,
    access_hall_desk,
    access_hall_manage,
    access_kiosk,
    access_take_number,
    access_window,
)

if TYPE_CHECKING:
    from collections.abc import Callable
    from datetime import date

    from django import forms as django_forms

    from .models import Appointment, Ticket

# Strings of the halls links in the shared portal and workbench menus (kept in this catalogue).
NAV_STRINGS = [
    gettext_noop("Nearest hall, queues now, book a visit"),
    gettext_noop("Call, recall, transfer and finish numbers"),
    gettext_noop("Waiting and service times, no-shows, bookings"),
]


def _hall_or_404(code: str) -> Hall:
    hall = selectors.hall_get(code)
    if hall is None:
        raise Http404
    return hall


def _hm(intervals: list[engine.Interval]) -> str:
    return ", ".join(f"{a:%H:%M}–{b:%H:%M}" for a, b in intervals)


def _error_text(exc: ServiceError) -> str:
    return str(exc.as_dict()["message"])


def _staff_hall(request: HttpRequest) -> Hall:
    """The signed-in staff member's hall (the access functions of these pages require one)."""
    hall = signed_in(request).hall
    if hall is None:
        raise PermissionDenied
    return hall


# --- the service map ---------------------------------------------------------------------------


def _project(
    entries: list[selectors.MapHall],
    streets: list[Street],
    me: tuple[float, float] | None,
    width: int = 340,
    height: int = 300,
    pad: int = 16,
) -> dict[str, Any]:
    """Equirectangular projection of halls, streets and the visitor into an SVG box."""
    pts = [(m.hall.lat, m.hall.lng) for m in entries] + [(s.lat, s.lng) for s in streets]
    if me:
        pts.append(me)
    if not pts:
        return {"width": width, "height": height, "halls": [], "streets": [], "me": None}
    lat0 = sum(p[0] for p in pts) / len(pts)
    k = math.cos(math.radians(lat0))
    xs = [p[1] * k for p in pts]
    ys = [p[0] for p in pts]
    span = max(max(xs) - min(xs), max(ys) - min(ys), 0.01)
    scale = min(width - 2 * pad, height - 2 * pad) / span

    def xy(lat: float, lng: float) -> tuple[float, float]:
        return (round(pad + (lng * k - min(xs)) * scale, 1), round(height - pad - (lat - min(ys)) * scale, 1))

    halls = []
    for i, m in enumerate(entries):
        x, y = xy(m.hall.lat, m.hall.lng)
        halls.append(
            {
                "x": x,
                "y": y,
                "code": m.hall.code,
                "name": selectors.name_of(m.hall),
                "kind": m.hall.kind,
                "rank": i + 1,
                "open": m.open_now,
            }
        )
    return {
        "width": width,
        "height": height,
        "halls": halls,
        "streets": [
            {
                "name": selectors.name_of(s),
                "x": xy(s.lat, s.lng)[0],
                "y": xy(s.lat, s.lng)[1],
                "ly": round(xy(s.lat, s.lng)[1] - 24, 1),
            }
            for s in streets
        ],
        "me": dict(zip(("x", "y"), xy(*me), strict=True)) if me else None,
    }


@require_GET
@anonymous_page(("halls", "calendar"), max_age=60)
def map_page(request: HttpRequest) -> HttpResponse:
    streets = selectors.map_streets()
    items = selectors.map_items()
    form = forms.MapFilterForm(request.GET)
    form.set_items(items)
    f = form.values()
    lat, lng = f["lat"], f["lng"]
    street = next((s for s in streets if s.pk == f["street"]), None)
    if street is not None and lat is None:
        lat, lng = street.lat, street.lng
    item_code = str(f["item"] or "")
    open_now = bool(f["open"])
    kind = str(f["kind"] or "")
    entries = selectors.halls_near(lat=lat, lng=lng, item_code=item_code, open_now=open_now, kind=kind)
    shown = entries[:30]
    me = (lat, lng) if lat is not None and lng is not None else None
    for m in shown:
        m.hours_label = _hm(m.hours_today)  # type: ignore[attr-defined]
    return render(
        request,
        "halls/map.html",
        {
            "entries": shown,
            "total": len(entries),
            "streets": streets,
            "street": street,
            "lat": lat,
            "lng": lng,
            "item_code": item_code,
            "open_now": open_now,
            "kind": kind,
            "kinds": Hall.Kind.choices,
            "form": form,
            "svg": _project(shown, streets, me),
        },
    )


@require_GET
@anonymous_page(("halls", "calendar"), max_age=60)
def hall_page(request: HttpRequest, code: str) -> HttpResponse:
    hall = _hall_or_404(code)
    cats = selectors.hall_categories(hall)
    cfg = selectors.hall_config(hall)
    status = selectors.hall_status(hall)
    today = status.date
    week = []
    for i in range(7):
        d = today + timedelta(days=i)
        week.append({"date": d, "hours": _hm(selectors.hall_hours_on(hall, d))})
    return render(
        request,
        "halls/hall.html",
        {
            "hall": hall,
            "cfg": cfg,
            "categories": cats,
            "items": selectors.hall_items(hall, cats),
            "status": status,
            "week": week,
            "can_book": access_book(request.user),
            "can_take": access_take_number(request.user, hall),
        },
    )


# --- booking (applicants) --------------------------------------------------------------------------


def _slot_choices(hall: Hall, item: selectors.HallItem | None, d: date | None) -> list[selectors.SlotView]:
    if item is None or item.category is None or d is None:
        return []
    return selectors.free_slots(hall, item.category, d)


def _chosen(form: django_forms.Form) -> tuple[str, date | None]:
    """The item and the day of a booking form or query, each None-safe (the page is drawn again with
    them when another field, or the service, refuses)."""
    if isinstance(form, forms.BookQueryForm):
        query = form.values()
        return str(query["item"]).strip(), query["date"]
    form.is_valid()
    return str(form.cleaned_data.get("item") or "").strip(), form.cleaned_data.get("date")


@require_http_methods(["GET", "POST"])
@login_required
@require(access_book, action="appointment.book")
def book_page(request: HttpRequest, code: str) -> HttpResponse:
    hall = _hall_or_404(code)
    items = [i for i in selectors.hall_items(hall) if i.category is not None and i.category.bookable]
    form = forms.BookForm(request.POST) if request.method == "POST" else forms.BookQueryForm(request.GET)
    form.set_items(items)
    item_code, d = _chosen(form)
    error = ""
    if request.method == "POST":
        try:
            if not form.is_valid():
                raise form_refusal(form)
            appt = services.appointment_book(
                actor=signed_in(request),
                hall=hall,
                item_code=item_code,
                date=form.cleaned_data["date"],
                start=form.cleaned_data["start"],
            )
        except ServiceError as exc:
            error = _error_text(exc)
        else:
            messages.success(
                request, _("Your appointment is booked. Confirmation code: %(code)s") % {"code": appt.code}
            )
            return redirect("halls:appointment", code=appt.code)
    item = next((i for i in items if i.code == item_code), None)
    days = selectors.bookable_days(hall) if selectors.hall_config(hall).bookable else []
    picker = forms.BookQueryForm({"item": item_code} if item_code else None)
    picker.set_items(items)
    return render(
        request,
        "halls/book.html",
        {
            "hall": hall,
            "picker": picker,
            "items": items,
            "item": item,
            "item_code": item_code,
            "days": days,
            "date": d,
            "slots": _slot_choices(hall, item, d),
            "error": error,
            "action": reverse("halls:book", args=[hall.code]),
        },
        status=400 if error else 200,
    )


@require_GET
@login_required
@require(access_book, action="appointment.list")
def my_appointments(request: HttpRequest) -> HttpResponse:
    person = acting_person(request.user)
    return render(
        request,
        "halls/appointments.html",
        {
            "appointments": selectors.person_appointments(person)[:100],
            "tickets": selectors.person_tickets(person),
        },
    )


def _own(request: HttpRequest, code: str) -> Appointment:
    appt = selectors.appointment_by_code(code)
    if appt is None or not access_appointment(request.user, appt):
        raise Http404
    return appt


@require_GET
@login_required
@require(access_book, action="appointment.view")
def appointment_page(request: HttpRequest, code: str) -> HttpResponse:
    appt = _own(request, code)
    checkin_url = request.build_absolute_uri(
        reverse("halls:take", args=[appt.hall.code]) + f"?code={appt.code}"
    )
    qr = segno.make(checkin_url, error="m").svg_inline(scale=4, title=_("Check-in QR code"))
    return render(
        request,
        "halls/appointment.html",
        {
            "appt": appt,
            "qr": qr,
            "ticket": selectors.appointment_ticket(appt),
            "cfg": selectors.hall_config(appt.hall),
        },
    )


@require_POST
@login_required
@require(access_book, action="appointment.cancel")
def appointment_cancel(request: HttpRequest, code: str) -> HttpResponse:
    appt = _own(request, code)
    try:
        services.appointment_cancel(actor=signed_in(request), appointment=appt)
    except ServiceError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("The appointment is cancelled."))
    return redirect("halls:appointment", code=appt.code)


@require_http_methods(["GET", "POST"])
@login_required
@require(access_book, action="appointment.reschedule")
def appointment_reschedule(request: HttpRequest, code: str) -> HttpResponse:
    appt = _own(request, code)
    form = (
        forms.RescheduleForm(request.POST) if request.method == "POST" else forms.BookQueryForm(request.GET)
    )
    _item, d = _chosen(form)
    error = ""
    if request.method == "POST":
        try:
            if not form.is_valid():
                raise form_refusal(form)
            services.appointment_reschedule(
                actor=signed_in(request),
                appointment=appt,
                date=form.cleaned_data["date"],
                start=form.cleaned_data["start"],
            )
        except ServiceError as exc:
            error = _error_text(exc)
        else:
            messages.success(request, _("The appointment is moved."))
            return redirect("halls:appointment", code=appt.code)
    item = selectors.hall_item(appt.hall, appt.item_code)
    return render(
        request,
        "halls/book.html",
        {
            "hall": appt.hall,
            "items": [item] if item else [],
            "item": item,
            "item_code": appt.item_code,
            "days": selectors.bookable_days(appt.hall),
            "date": d,
            "slots": _slot_choices(appt.hall, item, d),
            "error": error,
            "appt": appt,
            "action": reverse("halls:reschedule", args=[appt.code]),
        },
        status=400 if error else 200,
    )


# --- numbers, tickets and the board -----------------------------------------------------------------


def _checkin(request: HttpRequest, hall: Hall) -> Ticket:
    form = forms.CheckinForm(request.POST)
    if not form.is_valid():
        raise form_refusal(form)
    return services.appointment_checkin(actor=signed_in(request), hall=hall, code=form.cleaned_data["code"])


def _walk_in(request: HttpRequest, hall: Hall) -> Ticket:
    form = forms.TakeNumberForm(request.POST)
    if not form.is_valid():
        raise form_refusal(form)
    return services.ticket_take(
        actor=signed_in(request),
        hall=hall,
        category_letter=form.cleaned_data["category"],
        green=form.cleaned_data["green"],
    )


@require_http_methods(["GET", "POST"])
@login_required
def take_page(request: HttpRequest, code: str) -> HttpResponse:
    hall = _hall_or_404(code)
    ensure(access_take_number(request.user, hall), user=request.user, action="ticket.take", obj=hall)
    error = ""
    if request.method == "POST":
        mode = WhichForm(request.POST, field="mode", choices=forms.TAKE_MODES).choice()
        try:
            ticket = _checkin(request, hall) if mode == "checkin" else _walk_in(request, hall)
        except ServiceError as exc:
            error = _error_text(exc)
        else:
            return redirect("halls:ticket", token=ticket.token)
    return render(
        request,
        "halls/take.html",
        {
            "hall": hall,
            "categories": selectors.hall_categories(hall),
            "error": error,
            "code": forms.TakeQueryForm(request.GET).values()["code"],
            "open_now": selectors.hall_is_open(hall),
            "kiosk": access_hall_desk(request.user, hall),
        },
        status=400 if error else 200,
    )


@require_GET
def ticket_page(request: HttpRequest, token: Any) -> HttpResponse:
    ticket = selectors.ticket_by_token(token)
    if ticket is None:
        raise Http404
    ctx = {"ticket": ticket, "pos": selectors.ticket_position(ticket)}
    if request.headers.get("HX-Request"):
        return render(request, "halls/_ticket_live.html", ctx)
    return render(request, "halls/ticket.html", ctx)


@require_http_methods(["GET", "POST"])
def kiosk_page(request: HttpRequest, code: str) -> HttpResponse:
    """The hall's public kiosk: a walk-in takes a number by ID number or mobile, or anonymously, without
    an account, and gets a printable ticket."""
    hall = _hall_or_404(code)
    ensure(access_kiosk(request.user, hall), user=request.user, action="ticket.kiosk", obj=hall)
    form = forms.KioskForm(request.POST or None)
    error, status = "", 200
    if request.method == "POST":
        try:
            if not form.is_valid():
                raise form_refusal(form)
            holder = form.holder()
            ticket = services.ticket_take_at_kiosk(
                actor=request.user,
                hall=hall,
                category_letter=form.cleaned_data["category"],
                green=form.cleaned_data["green"],
                requester=ratelimit.guessers(request),
                id_number=holder.get("id_number", ""),
                mobile=holder.get("mobile", ""),
            )
        except ServiceError as exc:
            error, status = _error_text(exc), (429 if exc.status == 429 else 400)
        else:
            return redirect("halls:ticket_print", token=ticket.token)
    who, green = form.typed() if error else ("", False)
    response = render(
        request,
        "halls/kiosk.html",
        {
            "hall": hall,
            "categories": selectors.hall_categories(hall),
            "status": selectors.hall_status(hall),
            "error": error,
            "who": who,
            "green": green,
            "open_now": selectors.hall_is_open(hall),
        },
        status=status,
    )
    if who:
        response.headers["X-Pii-Unmasked"] = "1"  # echoes only what the walk-in typed
    return response


@require_GET
def ticket_print(request: HttpRequest, token: Any) -> HttpResponse:
    """The printable ticket: hall, queue, number, people ahead, time, and the QR to its live page."""
    ticket = selectors.ticket_by_token(token)
    if ticket is None:
        raise Http404
    live = request.build_absolute_uri(reverse("halls:ticket", args=[ticket.token]))
    qr = segno.make(live, error="m").svg_inline(scale=4, title=_("Live status of this number"))
    ctx = {"ticket": ticket, "pos": selectors.ticket_position(ticket), "qr": qr, "live": live}
    return render(request, "halls/ticket_print.html", ctx)


@require_GET
def board_page(request: HttpRequest, code: str) -> HttpResponse:
    hall = _hall_or_404(code)
    ensure(access_kiosk(request.user, hall), user=request.user, action="hall.board", obj=hall)
    calls = selectors.board_calls(hall)
    with translation.override("zh-hans"):  # the hall's announcement is in Chinese whatever the screen shows
        for r in calls:
            r["speech"] = _("Number %(number)s, please go to window %(window)s.") % r
            # A new call, or the same number called again (a recall), is announced again.
            r["key"] = f"{r['number']}-{r['window']}-{r['called_at']:%H%M%S}-{r['recalls']}"
    ctx = {"hall": hall, "status": selectors.hall_status(hall), "calls": calls}
    if request.headers.get("HX-Request"):
        return render(request, "halls/_board_live.html", ctx)
    return render(request, "halls/board.html", ctx)


# --- staff: console, figures, set-up -------------------------------------------------------------------


def _reception_url(ticket: Ticket | None) -> str:
    if ticket is None:
        return ""
    try:
        url = reverse("applications:reception")
    except NoReverseMatch:
        return ""
    params = {"ticket": str(ticket.pk)}
    if ticket.person_id:
        params["person"] = str(ticket.person_id)
    if ticket.item_code:
        params["item"] = ticket.item_code
    query = "?" + urlencode(params)
    return url + query


def _console_window(request: HttpRequest, windows: list[Window]) -> Window | None:
    """The window asked for (one of the hall's open windows, else 403), or the one where the clerk is
    serving a number, or the first."""
    query = forms.ConsoleQueryForm(request.GET)
    asked = query.values()["window"]
    if asked is not None or "window" in query.errors:
        window = next((w for w in windows if w.pk == asked), None)
        if window is None:
            raise PermissionDenied
        return window
    return selectors.clerk_window(signed_in(request), windows) or (windows[0] if windows else None)


@require_GET
@login_required
@require(access_console, action="console.view")
def console_page(request: HttpRequest) -> HttpResponse:
    hall = _staff_hall(request)
    windows = selectors.hall_windows(hall, active_only=True)
    window = _console_window(request, windows)
    current = selectors.window_current(window) if window else None
    ctx = {
        "hall": hall,
        "windows": windows,
        "window": window,
        "current": current,
        "serves": selectors.window_category_ids(window) if window else [],
        "waiting": selectors.hall_waiting(hall, selectors.localnow().date()),
        "categories": selectors.hall_categories(hall),
        "reception_url": _reception_url(current),
        "status": selectors.hall_status(hall),
    }
    if request.headers.get("HX-Request"):
        return render(request, "halls/_console_queue.html", ctx)
    return render(request, "halls/console.html", ctx)


def _call(request: HttpRequest, window: Window) -> str:
    form = forms.CallForm(request.POST)
    if not form.is_valid():
        raise form_refusal(form)
    pk = form.cleaned_data["ticket"]
    t = services.ticket_call_next(
        actor=signed_in(request),
        window=window,
        ticket=selectors.ticket_get(pk) if pk else None,
        number=form.cleaned_data["number"],
    )
    return _("Calling %(number)s to window %(window)s.") % {"number": t.number, "window": window.number}


def _recall(request: HttpRequest, window: Window) -> str:
    t = services.ticket_recall(actor=signed_in(request), window=window)
    return _("Called %(number)s again.") % {"number": t.number}


def _no_show(request: HttpRequest, window: Window) -> str:
    t = services.ticket_no_show(actor=signed_in(request), window=window)
    return _("%(number)s marked as not come.") % {"number": t.number}


def _finish(request: HttpRequest, window: Window) -> str:
    t = services.ticket_finish(actor=signed_in(request), window=window)
    return _("%(number)s finished.") % {"number": t.number}


def _transfer(request: HttpRequest, window: Window) -> str:
    form = forms.TransferForm(request.POST)
    if not form.is_valid():
        raise form_refusal(form)
    pk = form.cleaned_data["to_window"]
    t = services.ticket_transfer(
        actor=signed_in(request),
        window=window,
        category_letter=form.cleaned_data["category"],
        to_window=selectors.window_get(pk) if pk else None,
    )
    return _("%(number)s transferred.") % {"number": t.number}


# Each console action: done, it returns the message to show; refused, it raises ServiceError.
CONSOLE_ACTIONS: dict[str, Callable[[HttpRequest, Window], str]] = {
    "call": _call,
    "recall": _recall,
    "no_show": _no_show,
    "finish": _finish,
    "transfer": _transfer,
}


@require_POST
@login_required
@require(access_console, action="console.act")
def console_action(request: HttpRequest, window_id: int, action: str) -> HttpResponse:
    window = selectors.window_get(window_id)
    if window is None:
        raise Http404
    ensure(access_window(request.user, window), user=request.user, action=f"ticket.{action}", obj=window)
    perform = CONSOLE_ACTIONS.get(action)
    if perform is None:
        raise Http404
    try:
        messages.success(request, perform(request, window))
    except ServiceError as exc:
        messages.error(request, _error_text(exc))
    return redirect(reverse("halls:console") + f"?window={window.pk}")


@require_GET
@login_required
@require(access_hall_manage, action="hall.figures")
def figures_page(request: HttpRequest) -> HttpResponse:
    hall = _staff_hall(request)
    query = forms.FiguresRangeForm(request.GET).values()
    end = query["end"] or selectors.localnow().date()
    start = query["start"] or end - timedelta(days=29)
    if start > end:
        start, end = end, start
    figures = selectors.hall_figures(hall, start, end)
    chart = {
        "days": [str(r["date"]) for r in figures["days"]],
        "tickets": [r["tickets"] for r in figures["days"]],
        "wait_avg": [r["wait_avg"] for r in figures["days"]],
        "wait_p90": [r["wait_p90"] for r in figures["days"]],
        "windows": [r["name"] for r in figures["windows"]],
        "window_tickets": [r["tickets"] for r in figures["windows"]],
        "window_service": [r["service_avg"] for r in figures["windows"]],
        "labels": {
            "tickets": _("Tickets"),
            "wait_avg": _("Average wait (min)"),
            "wait_p90": _("90th percentile wait (min)"),
            "service": _("Average service time (min)"),
        },
    }
    return render(
        request,
        "halls/figures.html",
        {"hall": hall, "f": figures, "chart": chart, "start": start, "end": end},
    )


def _save_config(request: HttpRequest, hall: Hall) -> None:
    form = forms.HallConfigForm(request.POST, numbers=services.CONFIG_FIELDS[1:])
    if not form.is_valid():
        raise form_refusal(form)
    services.hall_config_update(actor=signed_in(request), hall=hall, **form.cleaned_data)


def _save_category(request: HttpRequest, hall: Hall) -> None:
    form = forms.CategoryForm(request.POST)
    form.is_valid()
    pk = form.cleaned_data.get("category")
    category = selectors.hall_category(hall, pk) if pk else None
    if category is None:
        raise Http404
    if form.errors:
        raise form_refusal(form)
    data = form.cleaned_data
    services.category_update(
        actor=signed_in(request),
        category=category,
        avg_service_minutes=data["avg_service_minutes"],
        capacity_override=data["capacity_override"],
        windows=selectors.windows_by_ids(data["windows"]) if data["windows_sent"] else None,
    )


def _save_special(request: HttpRequest, hall: Hall) -> None:
    form = forms.SpecialDayForm(request.POST)
    if not form.is_valid():
        raise form_refusal(form)
    services.special_day_set(
        actor=signed_in(request),
        hall=hall,
        date=form.cleaned_data["date"],
        closed=form.cleaned_data["closed"],
        hours=form.hours(),
        note=form.cleaned_data["note"],
    )


# The set-up page's forms, told apart by their hidden ``form`` field.
SETUP_FORMS: dict[str, Callable[[HttpRequest, Hall], None]] = {
    "config": _save_config,
    "category": _save_category,
    "special": _save_special,
}


@require_http_methods(["GET", "POST"])
@login_required
@require(access_hall_manage, action="hall.setup")
def setup_page(request: HttpRequest) -> HttpResponse:
    hall = _staff_hall(request)
    error = ""
    if request.method == "POST":
        which = WhichForm(request.POST, field="form", choices=SETUP_FORMS).choice()
        try:
            if not which:
                raise ServiceError(_("Unknown form."), code="invalid")
            SETUP_FORMS[which](request, hall)
        except ServiceError as exc:
            error = _error_text(exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("halls:setup")
    cfg = selectors.hall_config(hall)
    return render(
        request,
        "halls/setup.html",
        {
            "hall": hall,
            "cfg": cfg,
            "error": error,
            "all_windows": selectors.hall_windows(hall),
            "categories": [
                {
                    "c": c,
                    "windows": selectors.category_windows(c),
                    "capacity": selectors.category_capacity(c, cfg),
                }
                for c in selectors.hall_categories(hall)
            ],
            "specials": selectors.hall_special_days(hall, selectors.localnow().date()),
            "fields": [
                (n, getattr(cfg._meta.get_field(n), "verbose_name", n), getattr(cfg, n))
                for n in services.CONFIG_FIELDS[1:]
            ],
        },
        status=400 if error else 200,
    )
