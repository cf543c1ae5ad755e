"""Pages of halls: the service map, hall pages, booking, taking a number, the ticket page and the
display board (portal); the window console, figures and set-up (workbench)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from yiwang.accounts.access import acting_person, ensure
from yiwang.accounts.models import Hall, Street, Window
from yiwang.core.errors import ServiceError
from yiwang.web.pages import require

from . import engine, selectors, services
from .access import (
    access_appointment,
    access_book,
    access_console,
    access_hall_desk,
    access_hall_manage,
    access_take_number,
    access_window,
)
from .forms import MapFilterForm
from .models import BusinessCategory, Ticket

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


def _parse_date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value or "")
    except ValueError:
        return None


def _error_text(exc: ServiceError) -> str:
    return str(exc.as_dict()["message"])


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
    import math

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
def map_page(request: HttpRequest) -> HttpResponse:
    from yiwang.catalogue.selectors import published_items

    streets = list(Street.objects.order_by("code"))
    f = MapFilterForm(request.GET).values()
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
    items = published_items().order_by("code").only("code", "name", "name_en")[:600]
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
            "items": items,
            "svg": _project(shown, streets, me),
        },
    )


@require_GET
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


@require_http_methods(["GET", "POST"])
@login_required
@require(access_book, action="appointment.book")
def book_page(request: HttpRequest, code: str) -> HttpResponse:
    hall = _hall_or_404(code)
    source = request.POST if request.method == "POST" else request.GET
    item_code = (source.get("item") or "").strip()
    d = _parse_date(source.get("date"))
    error = ""
    if request.method == "POST":
        try:
            if d is None:
                raise ServiceError(_("Enter a valid date (YYYY-MM-DD)."), code="invalid")
            appt = services.appointment_book(
                actor=request.user, hall=hall, item_code=item_code, date=d, start=source.get("start", "")
            )
        except ServiceError as exc:
            error = _error_text(exc)
        else:
            messages.success(
                request, _("Your appointment is booked. Confirmation code: %(code)s") % {"code": appt.code}
            )
            return redirect("halls:appointment", code=appt.code)
    items = [i for i in selectors.hall_items(hall) if i.category is not None and i.category.bookable]
    item = next((i for i in items if i.code == item_code), None)
    days = selectors.bookable_days(hall) if selectors.hall_config(hall).bookable else []
    return render(
        request,
        "halls/book.html",
        {
            "hall": hall,
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
            "tickets": Ticket.objects.filter(person=person)
            .select_related("hall", "category")
            .order_by("-taken_at")[:10],
        },
    )


def _own(request: HttpRequest, code: str) -> Any:
    appt = selectors.appointment_by_code(code)
    if appt is None or not access_appointment(request.user, appt):
        raise Http404
    return appt


@require_GET
@login_required
@require(access_book, action="appointment.view")
def appointment_page(request: HttpRequest, code: str) -> HttpResponse:
    import segno

    appt = _own(request, code)
    checkin_url = request.build_absolute_uri(
        reverse("halls:take", args=[appt.hall.code]) + f"?code={appt.code}"
    )
    qr = segno.make(checkin_url, error="m").svg_inline(scale=4, title=_("Check-in QR code"))
    ticket = Ticket.objects.filter(appointment=appt).first()
    return render(
        request,
        "halls/appointment.html",
        {"appt": appt, "qr": qr, "ticket": ticket, "cfg": selectors.hall_config(appt.hall)},
    )


@require_POST
@login_required
@require(access_book, action="appointment.cancel")
def appointment_cancel(request: HttpRequest, code: str) -> HttpResponse:
    appt = _own(request, code)
    try:
        services.appointment_cancel(actor=request.user, appointment=appt)
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
    source = request.POST if request.method == "POST" else request.GET
    d = _parse_date(source.get("date"))
    error = ""
    if request.method == "POST":
        try:
            if d is None:
                raise ServiceError(_("Enter a valid date (YYYY-MM-DD)."), code="invalid")
            services.appointment_reschedule(
                actor=request.user, appointment=appt, date=d, start=source.get("start", "")
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


@require_http_methods(["GET", "POST"])
@login_required
def take_page(request: HttpRequest, code: str) -> HttpResponse:
    hall = _hall_or_404(code)
    ensure(access_take_number(request.user, hall), user=request.user, action="ticket.take", obj=hall)
    error = ""
    if request.method == "POST":
        try:
            if request.POST.get("mode") == "checkin":
                ticket = services.appointment_checkin(
                    actor=request.user, hall=hall, code=request.POST.get("code", "")
                )
            else:
                ticket = services.ticket_take(
                    actor=request.user,
                    hall=hall,
                    category_letter=request.POST.get("category", ""),
                    green=request.POST.get("green") == "1",
                )
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
            "code": request.GET.get("code", ""),
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


@require_GET
def board_page(request: HttpRequest, code: str) -> HttpResponse:
    hall = _hall_or_404(code)
    ctx = {"hall": hall, "status": selectors.hall_status(hall)}
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


@require_GET
@login_required
@require(access_console, action="console.view")
def console_page(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    hall = user.hall
    windows = list(Window.objects.filter(hall=hall, active=True).order_by("number"))
    window = None
    if request.GET.get("window"):
        window = next((w for w in windows if str(w.pk) == request.GET["window"]), None)
        if window is None:
            raise PermissionDenied
    if window is None:
        window = next(
            (w for w in windows if Ticket.objects.filter(window=w, status="called", clerk=user).exists()),
            windows[0] if windows else None,
        )
    current = selectors.window_current(window) if window else None
    serves = (
        list(BusinessCategory.objects.filter(windows=window).values_list("pk", flat=True)) if window else []
    )
    today = selectors.localnow().date()
    waiting = list(
        Ticket.objects.filter(hall=hall, date=today, status="waiting")
        .select_related("category")
        .order_by("-priority", "queued_at", "id")[:50]
    )
    ctx = {
        "hall": hall,
        "windows": windows,
        "window": window,
        "current": current,
        "serves": serves,
        "waiting": waiting,
        "categories": selectors.hall_categories(hall),
        "reception_url": _reception_url(current),
        "status": selectors.hall_status(hall),
    }
    if request.headers.get("HX-Request"):
        return render(request, "halls/_console_queue.html", ctx)
    return render(request, "halls/console.html", ctx)


CONSOLE_ACTIONS = {"call", "recall", "no_show", "finish", "transfer"}


@require_POST
@login_required
@require(access_console, action="console.act")
def console_action(request: HttpRequest, window_id: int, action: str) -> HttpResponse:
    window = get_object_or_404(Window.objects.select_related("hall"), pk=window_id)
    ensure(access_window(request.user, window), user=request.user, action=f"ticket.{action}", obj=window)
    if action not in CONSOLE_ACTIONS:
        raise Http404
    try:
        if action == "call":
            ticket = None
            if request.POST.get("ticket"):
                ticket = Ticket.objects.filter(pk=request.POST["ticket"]).first()
            t = services.ticket_call_next(
                actor=request.user, window=window, ticket=ticket, number=request.POST.get("number", "")
            )
            messages.success(
                request,
                _("Calling %(number)s to window %(window)s.") % {"number": t.number, "window": window.number},
            )
        elif action == "recall":
            t = services.ticket_recall(actor=request.user, window=window)
            messages.success(request, _("Called %(number)s again.") % {"number": t.number})
        elif action == "no_show":
            t = services.ticket_no_show(actor=request.user, window=window)
            messages.success(request, _("%(number)s marked as not come.") % {"number": t.number})
        elif action == "finish":
            t = services.ticket_finish(actor=request.user, window=window)
            messages.success(request, _("%(number)s finished.") % {"number": t.number})
        else:
            to_window = None
            if request.POST.get("to_window"):
                to_window = Window.objects.filter(pk=request.POST["to_window"]).first()
            t = services.ticket_transfer(
                actor=request.user,
                window=window,
                category_letter=request.POST.get("category", ""),
                to_window=to_window,
            )
            messages.success(request, _("%(number)s transferred.") % {"number": t.number})
    except ServiceError as exc:
        messages.error(request, _error_text(exc))
    return redirect(reverse("halls:console") + f"?window={window.pk}")


@require_GET
@login_required
@require(access_hall_manage, action="hall.figures")
def figures_page(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    hall = user.hall
    end = _parse_date(request.GET.get("end")) or selectors.localnow().date()
    start = _parse_date(request.GET.get("start")) or end - timedelta(days=29)
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


@require_http_methods(["GET", "POST"])
@login_required
@require(access_hall_manage, action="hall.setup")
def setup_page(request: HttpRequest) -> HttpResponse:  # noqa: C901 - one branch per settings form on the page
    user: Any = request.user
    hall = user.hall
    error = ""
    if request.method == "POST":
        what = request.POST.get("form")
        try:
            if what == "config":
                values: dict[str, Any] = {"bookable": request.POST.get("bookable") == "1"}
                for name in services.CONFIG_FIELDS[1:]:
                    raw = request.POST.get(name, "")
                    if not raw.strip().isdigit():
                        raise ServiceError(
                            _("Enter whole numbers."),
                            code="invalid",
                            fields={name: _("Enter whole numbers.")},
                        )
                    values[name] = int(raw)
                services.hall_config_update(actor=request.user, hall=hall, **values)
            elif what == "category":
                cat = get_object_or_404(BusinessCategory, pk=request.POST.get("category"), hall=hall)
                avg = request.POST.get("avg_service_minutes", "")
                cap = request.POST.get("capacity_override", "").strip()
                if not avg.isdigit() or (cap and not cap.isdigit()):
                    raise ServiceError(_("Enter whole numbers."), code="invalid")
                ids = [i for i in request.POST.getlist("windows") if i.isdigit()]
                services.category_update(
                    actor=request.user,
                    category=cat,
                    avg_service_minutes=int(avg),
                    capacity_override=int(cap) if cap else None,
                    windows=list(Window.objects.filter(pk__in=ids))
                    if "windows_sent" in request.POST
                    else None,
                )
            elif what == "special":
                d = _parse_date(request.POST.get("date"))
                if d is None:
                    raise ServiceError(_("Enter a valid date (YYYY-MM-DD)."), code="invalid")
                closed = request.POST.get("closed") == "1"
                hours = [[request.POST.get("open_from", ""), request.POST.get("open_until", "")]]
                services.special_day_set(
                    actor=request.user,
                    hall=hall,
                    date=d,
                    closed=closed,
                    hours=hours,
                    note=request.POST.get("note", ""),
                )
            else:
                raise ServiceError(_("Unknown form."), code="invalid")
        except ServiceError as exc:
            error = _error_text(exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("halls:setup")
    cfg = selectors.hall_config(hall)
    cats = selectors.hall_categories(hall)
    from .models import SpecialDay

    return render(
        request,
        "halls/setup.html",
        {
            "hall": hall,
            "cfg": cfg,
            "error": error,
            "all_windows": list(Window.objects.filter(hall=hall).order_by("number")),
            "categories": [
                {
                    "c": c,
                    "windows": selectors.category_windows(c),
                    "capacity": selectors.category_capacity(c, cfg),
                }
                for c in cats
            ],
            "specials": SpecialDay.objects.filter(hall=hall, date__gte=selectors.localnow().date())[:30],
            "fields": [
                (n, getattr(cfg._meta.get_field(n), "verbose_name", n), getattr(cfg, n))
                for n in services.CONFIG_FIELDS[1:]
            ],
        },
        status=400 if error else 200,
    )
