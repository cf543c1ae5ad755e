"""Reads of halls: hours, items and categories, free slots, live queue status, the map and figures."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import get_language

from yiwang.accounts import selectors as accounts_selectors
from yiwang.accounts.models import Hall, Person, Street, Window
from yiwang.catalogue.models import Item
from yiwang.catalogue.selectors import item_office_for_hall, items_for_hall, published_items
from yiwang.core.generations import Snapshots

from . import engine
from .calendar import work_calendar
from .models import Appointment, BookingPolicy, BusinessCategory, HallConfig, Slot, SpecialDay, Ticket

if TYPE_CHECKING:
    from collections.abc import Iterable

    from yiwang.accounts.models import User

MAX_ID = 2**63 - 1  # BigAutoField: a larger number names no row (and overflows the database's integers)


def localnow(now: datetime | None = None) -> datetime:
    return timezone.localtime(now or timezone.now())


def is_en() -> bool:
    return (get_language() or "").startswith("en")


def name_of(obj: Any) -> str:
    """The Chinese or English name of a hall, category, street or item, for the current language."""
    en = getattr(obj, "name_en", "")
    return str(en if en and is_en() else obj.name)


# --- configuration ---------------------------------------------------------------------------


def hall_get(code: str) -> Hall | None:
    """A hall by code, with its queue settings read in the same query (for this request only)."""
    hall = Hall.objects.select_related("street", "community", "queue_config").filter(code=code).first()
    if hall is not None:
        hall._halls_config_loaded = True  # type: ignore[attr-defined]
    return hall


def hall_config(hall: Hall) -> HallConfig:
    """The hall's settings; the defaults (unsaved) when the hall has never been configured."""
    if getattr(hall, "_halls_config_loaded", False):
        loaded = hall._state.fields_cache.get("queue_config")
        return loaded if loaded is not None else HallConfig(hall=hall)
    cfg = HallConfig.objects.filter(hall=hall).first()
    return cfg if cfg is not None else HallConfig(hall=hall)


def booking_policy() -> BookingPolicy:
    return BookingPolicy.objects.filter(pk=1).first() or BookingPolicy(pk=1)


def special_day(hall: Hall, d: date) -> tuple[bool, list[list[str]]] | None:
    rows = {
        row.hall_id: row for row in SpecialDay.objects.filter(Q(hall=hall) | Q(hall__isnull=True), date=d)
    }
    row = rows.get(hall.pk) or rows.get(None)
    return (row.closed, row.hours) if row is not None else None


def hall_hours_on(hall: Hall, d: date, calendar: Any = None) -> list[engine.Interval]:
    """Opening intervals of ``hall`` on ``d`` (working-day calendar, then the hall's special days)."""
    cal = calendar or work_calendar()
    return engine.hours_on(d, hall.opening_hours or {}, cal.is_workday, special_day(hall, d), cal.is_holiday)


def hall_is_open(hall: Hall, now: datetime | None = None) -> bool:
    at = localnow(now)
    return engine.is_open_at(hall_hours_on(hall, at.date()), at.time())


def horizon_end(hall: Hall, today: date, cfg: HallConfig | None = None, calendar: Any = None) -> date:
    cfg = cfg or hall_config(hall)
    return (calendar or work_calendar()).add_workdays(today, cfg.horizon_workdays)


def bookable_days(hall: Hall, now: datetime | None = None) -> list[date]:
    """Days from today to the end of the booking horizon on which the hall is open."""
    today = localnow(now).date()
    cfg = hall_config(hall)
    end = horizon_end(hall, today, cfg)
    cal = work_calendar()
    days = []
    d = today
    while d <= end:
        if engine.hours_on(d, hall.opening_hours or {}, cal.is_workday, special_day(hall, d), cal.is_holiday):
            days.append(d)
        d += timedelta(days=1)
    return days


def hall_categories(hall: Hall, *, with_windows: bool = True) -> list[BusinessCategory]:
    qs = BusinessCategory.objects.filter(hall=hall).order_by("letter")
    return list(qs.prefetch_related("windows") if with_windows else qs)


def category_windows(category: BusinessCategory) -> list[Window]:
    return [w for w in category.windows.all() if w.active]


def hall_category(hall: Hall, pk: int) -> BusinessCategory | None:
    """One queue of the hall; None for an unknown one or another hall's."""
    return BusinessCategory.objects.filter(hall=hall, pk=pk).first() if 0 < pk <= MAX_ID else None


def hall_windows(hall: Hall, *, active_only: bool = False) -> list[Window]:
    qs = Window.objects.filter(hall=hall)
    if active_only:
        qs = qs.filter(active=True)
    return list(qs.order_by("number"))


def windows_by_ids(ids: Iterable[int]) -> list[Window]:
    """The windows with these ids, of any hall (whether they may serve a queue is the service's rule)."""
    return list(Window.objects.filter(pk__in=[i for i in ids if 0 < i <= MAX_ID]))


def hall_special_days(hall: Hall, since: date, limit: int = 30) -> list[SpecialDay]:
    """The hall's own special days from ``since`` on, in date order."""
    return list(SpecialDay.objects.filter(hall=hall, date__gte=since)[:limit])


def category_capacity(category: BusinessCategory, cfg: HallConfig) -> int:
    if category.capacity_override is not None:
        return int(category.capacity_override)
    return engine.derived_capacity(
        len(category_windows(category)), cfg.slot_minutes, category.avg_service_minutes
    )


@dataclass(frozen=True)
class HallItem:
    code: str
    name: str
    name_en: str
    category: BusinessCategory | None
    appointment_required: bool = False

    @property
    def display_name(self) -> str:
        return self.name_en if self.name_en and is_en() else self.name


def _category_routes(
    cats: list[BusinessCategory],
) -> tuple[dict[str, BusinessCategory], dict[int, BusinessCategory], BusinessCategory | None]:
    """How the hall's queues divide its items: by item code, then by the item's organisation, then the
    default queue (the first queue that names a code or an organisation takes it)."""
    by_code: dict[str, BusinessCategory] = {}
    by_dept: dict[int, BusinessCategory] = {}
    default = None
    dept_ids = category_department_ids([c.pk for c in cats])
    for c in cats:
        if c.is_default and default is None:
            default = c
        for code in c.item_codes or []:
            by_code.setdefault(str(code), c)
        for dept_id in dept_ids.get(c.pk, ()):
            by_dept.setdefault(dept_id, c)
    return by_code, by_dept, default


def category_department_ids(category_ids: list[int]) -> dict[int, list[int]]:
    """The organisations each queue takes the items of, by queue id (one query)."""
    out: dict[int, list[int]] = defaultdict(list)
    through = BusinessCategory.departments.through
    rows = through.objects.filter(businesscategory_id__in=category_ids).order_by("department_id")
    for cat_id, dept_id in rows.values_list("businesscategory_id", "department_id"):
        out[cat_id].append(dept_id)
    return out


def _route(
    code: str, dept_id: int, routes: tuple[dict[str, Any], dict[int, Any], Any]
) -> BusinessCategory | None:
    by_code, by_dept, default = routes
    return by_code.get(code) or by_dept.get(dept_id) or default


def hall_items(hall: Hall, categories: list[BusinessCategory] | None = None) -> list[HallItem]:
    """Items the hall handles (the catalogue's rule, ``items_for_hall``) and the queue each goes to."""
    cats = categories if categories is not None else hall_categories(hall)
    routes = _category_routes(cats)
    rows = (
        items_for_hall(hall)
        .order_by("code")
        .values_list("code", "name", "name_en", "appointment_required", "department_id")
    )
    return [HallItem(c, n, en, _route(c, d, routes), req) for c, n, en, req, d in rows]


def hall_item(hall: Hall, item_code: str) -> HallItem | None:
    if not item_code:
        return None
    row = (
        items_for_hall(hall)
        .filter(code=item_code)
        .values_list("code", "name", "name_en", "appointment_required", "department_id")
        .first()
    )
    if row is None:
        return None
    cats = hall_categories(hall, with_windows=False)  # windows are read only if a capacity is derived
    return HallItem(row[0], row[1], row[2], _route(row[0], row[4], _category_routes(cats)), row[3])


@dataclass(frozen=True)
class SlotView:
    start: time
    end: time
    capacity: int
    booked: int

    @property
    def free(self) -> int:
        return max(0, self.capacity - self.booked)


def day_slots(
    hall: Hall, category: BusinessCategory, d: date, cfg: HallConfig | None = None
) -> list[SlotView]:
    """The day's slots of a category with their capacity and bookings (rows exist once booked)."""
    cfg = cfg or hall_config(hall)
    times = engine.slot_times(hall_hours_on(hall, d), cfg.slot_minutes, cfg.buffer_minutes)
    rows = {s.start: s for s in Slot.objects.filter(category=category, date=d)}
    cap = category_capacity(category, cfg)
    out = []
    for start, end in times:
        row = rows.get(start)
        out.append(SlotView(start, end, row.capacity if row else cap, row.booked if row else 0))
    return out


def free_slots(
    hall: Hall, category: BusinessCategory, d: date, now: datetime | None = None
) -> list[SlotView]:
    at = localnow(now)
    return [
        s
        for s in day_slots(hall, category, d)
        if s.free > 0 and (d > at.date() or (d == at.date() and s.start > at.time()))
    ]


# --- appointments ------------------------------------------------------------------------------


def appointment_by_code(code: str) -> Appointment | None:
    return (
        Appointment.objects.select_related("hall", "category", "person", "slot")
        .filter(code=(code or "").strip().upper())
        .first()
    )


def person_appointments(person: Any) -> QuerySet[Appointment]:
    return (
        Appointment.objects.filter(person=person)
        .select_related("hall", "category")
        .order_by("-date", "-start", "-id")
    )


def person_tickets(person: Person, limit: int = 10) -> list[Ticket]:
    """The person's latest numbers, newest first."""
    return list(
        Ticket.objects.filter(person=person).select_related("hall", "category").order_by("-taken_at")[:limit]
    )


def appointment_ticket(appointment: Appointment) -> Ticket | None:
    """The number an appointment was checked in with, if any."""
    return Ticket.objects.filter(appointment=appointment).first()


def person_noshow_dates(person: Any) -> list[date]:
    return list(
        Appointment.objects.filter(person=person, status=Appointment.Status.NO_SHOW).values_list(
            "date", flat=True
        )
    )


def person_blocked_until(person: Any, today: date) -> date | None:
    noshows = person_noshow_dates(person)
    if not noshows:
        return None
    policy = booking_policy()
    return engine.blocked_until(
        noshows,
        today,
        limit=policy.noshow_limit,
        window_days=policy.noshow_window_days,
        block_days=policy.block_days,
    )


# --- queue -----------------------------------------------------------------------------------


def window_get(pk: int) -> Window | None:
    """A window with its hall; None for an unknown id."""
    return Window.objects.select_related("hall").filter(pk=pk).first() if 0 < pk <= MAX_ID else None


def ticket_get(pk: int) -> Ticket | None:
    return Ticket.objects.filter(pk=pk).first() if 0 < pk <= MAX_ID else None


def window_category_ids(window: Window) -> list[int]:
    """The queues a window serves."""
    return list(BusinessCategory.objects.filter(windows=window).values_list("pk", flat=True))


def clerk_window(user: User, windows: list[Window]) -> Window | None:
    """The first of ``windows`` at which ``user`` is serving a number (called and not yet finished)."""
    busy = set(
        Ticket.objects.filter(window__in=windows, status=Ticket.Status.CALLED, clerk=user).values_list(
            "window_id", flat=True
        )
    )
    return next((w for w in windows if w.pk in busy), None)


def hall_waiting(hall: Hall, d: date, limit: int = 50) -> list[Ticket]:
    """The numbers waiting in the hall on ``d``, in calling order (priority, then arrival)."""
    return list(
        Ticket.objects.filter(hall=hall, date=d, status=Ticket.Status.WAITING)
        .select_related("category")
        .order_by("-priority", "queued_at", "id")[:limit]
    )


def window_current(window: Window, today: date | None = None) -> Ticket | None:
    return (
        Ticket.objects.select_related("category")
        .filter(window=window, status=Ticket.Status.CALLED)
        .order_by("-called_at")
        .first()
    )


def recent_service_minutes(category: BusinessCategory, now: datetime, n: int = 20) -> float:
    """Average of the category's last ``n`` real service times (last 14 days); the configured average
    when there are none yet."""
    rows = (
        Ticket.objects.filter(
            category=category,
            status=Ticket.Status.DONE,
            called_at__isnull=False,
            finished_at__isnull=False,
            date__gte=now.date() - timedelta(days=14),
        )
        .order_by("-finished_at")
        .values_list("called_at", "finished_at")[:n]
    )
    minutes = [(f - c).total_seconds() / 60 for c, f in rows if c and f]
    return sum(minutes) / len(minutes) if minutes else float(category.avg_service_minutes)


def _ahead_q(ticket: Ticket) -> Q:
    return (
        Q(priority__gt=ticket.priority)
        | Q(priority=ticket.priority, queued_at__lt=ticket.queued_at)
        | Q(priority=ticket.priority, queued_at=ticket.queued_at, id__lt=ticket.pk)
    )


@dataclass
class TicketPosition:
    ahead: int
    wait_minutes: int


def ticket_position(ticket: Ticket, now: datetime | None = None) -> TicketPosition | None:
    if ticket.status != Ticket.Status.WAITING:
        return None
    at = localnow(now)
    ahead = Ticket.objects.filter(
        _ahead_q(ticket),
        hall_id=ticket.hall_id,
        date=ticket.date,
        category_id=ticket.category_id,
        status=Ticket.Status.WAITING,
    ).count()
    windows = max(1, len(category_windows(ticket.category)))
    return TicketPosition(
        ahead, engine.wait_minutes(ahead, windows, recent_service_minutes(ticket.category, at))
    )


def ticket_by_token(token: Any) -> Ticket | None:
    try:
        return Ticket.objects.select_related("hall", "category", "window").filter(token=token).first()
    except Exception:
        return None


def holder_waiting_ticket(
    hall: Hall, category: BusinessCategory, holder_index: str, day: date
) -> Ticket | None:
    """The number a kiosk walk-in (by the digest of the ID number or mobile given) still waits with."""
    return Ticket.objects.filter(
        hall=hall, category=category, date=day, holder_index=holder_index, status=Ticket.Status.WAITING
    ).first()


def person_by_resident_id(number: str) -> Person | None:
    return accounts_selectors.person_by_resident_id(number)


@dataclass
class CategoryStatus:
    letter: str
    name: str
    waiting: int
    windows: int
    avg_service_minutes: float
    wait_minutes: int
    serving: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class HallStatus:
    hall: Hall
    date: date
    open_now: bool
    waiting: int
    categories: list[CategoryStatus]
    recent_calls: list[dict[str, Any]]


def hall_status(hall: Hall, now: datetime | None = None) -> HallStatus:
    """Live status: waiting per category, numbers being served at which window, estimated waits."""
    at = localnow(now)
    today = at.date()
    cats = hall_categories(hall)
    waiting = dict(
        Ticket.objects.filter(hall=hall, date=today, status=Ticket.Status.WAITING)
        .values_list("category_id")
        .annotate(n=Count("id"))
    )
    called = list(
        Ticket.objects.filter(hall=hall, date=today, status=Ticket.Status.CALLED)
        .select_related("window")
        .order_by("-called_at")
    )
    out = []
    for c in cats:
        n = int(waiting.get(c.pk, 0))
        windows = len(category_windows(c))
        avg = recent_service_minutes(c, at)
        out.append(
            CategoryStatus(
                letter=c.letter,
                name=name_of(c),
                waiting=n,
                windows=windows,
                avg_service_minutes=round(avg, 1),
                wait_minutes=engine.wait_minutes(n, windows, avg),
                serving=[
                    {"number": t.number, "window": t.window.number if t.window else ""}
                    for t in called
                    if t.category_id == c.pk
                ],
            )
        )
    recent = [
        {
            "number": t.number,
            "window": t.window.number if t.window else "",
            "window_name": t.window.name if t.window else "",
            "called_at": t.called_at,
            "recalls": t.recalls,
        }
        for t in called[:8]
    ]
    return HallStatus(hall, today, hall_is_open(hall, at), sum(int(v) for v in waiting.values()), out, recent)


def board_calls(hall: Hall, n: int = 7, now: datetime | None = None) -> list[dict[str, Any]]:
    """Today's last ``n`` calls at the hall, newest first, whether still being served or not (the display
    board's latest number and its list of last calls)."""
    today = localnow(now).date()
    rows = (
        Ticket.objects.filter(hall=hall, date=today, called_at__isnull=False)
        .select_related("window")
        .order_by("-called_at", "-id")[:n]
    )
    return [
        {
            "number": t.number,
            "window": t.window.number if t.window else "",
            "called_at": t.called_at,
            "recalls": t.recalls,
            "serving": t.status == Ticket.Status.CALLED,
        }
        for t in rows
    ]


def waiting_counts(today: date) -> dict[int, int]:
    return dict(
        Ticket.objects.filter(date=today, status=Ticket.Status.WAITING)
        .values_list("hall_id")
        .annotate(n=Count("id"))
    )


# --- the map ---------------------------------------------------------------------------------


def halls_handling(halls: list[Hall], item_code: str) -> list[Hall]:
    """The halls among ``halls`` that handle the item, by the catalogue's own rule (``items_for_hall``).

    The rule's answer depends on a hall's kind, district and street and on whether the item lists the
    hall, so it is asked once per such class of halls instead of once per hall (132 → about 30 queries)."""
    listed = set(Item.objects.filter(code=item_code).values_list("listed_halls", flat=True))
    answers: dict[tuple[Any, ...], bool] = {}
    out = []
    for h in halls:
        key = (h.kind, h.district_id, h.street_id, h.pk in listed)
        if key not in answers:
            answers[key] = items_for_hall(h).filter(code=item_code).exists()
        if answers[key]:
            out.append(h)
    return out


def map_streets() -> list[Street]:
    return list(Street.objects.order_by("code"))


def map_items(limit: int = 600) -> list[Item]:
    """Published items for the map's item filter (code and names only)."""
    return list(published_items().order_by("code").only("code", "name", "name_en")[:limit])


@dataclass
class MapHall:
    hall: Hall
    distance_km: float | None
    open_now: bool
    hours_today: list[engine.Interval]
    waiting: int
    x: float = 0.0
    y: float = 0.0


def halls_near(
    *,
    lat: float | None,
    lng: float | None,
    item_code: str = "",
    open_now: bool = False,
    kind: str = "",
    now: datetime | None = None,
    limit: int = 200,
) -> list[MapHall]:
    """Halls by distance from (lat, lng), only those that handle ``item_code`` and, if asked, open now."""
    at = localnow(now)
    qs = Hall.objects.select_related("street").order_by("code")
    if kind:
        qs = qs.filter(kind=kind)
    halls = list(qs)
    if item_code:
        halls = halls_handling(halls, item_code)
    cal = work_calendar()
    specials: dict[Any, dict[int | None, Any]] = defaultdict(dict)
    for row in SpecialDay.objects.filter(date=at.date()):
        specials[at.date()][row.hall_id] = (row.closed, row.hours)
    waiting = waiting_counts(at.date())
    out = []
    for h in halls:
        sp = specials[at.date()].get(h.pk) or specials[at.date()].get(None)
        hours = engine.hours_on(at.date(), h.opening_hours or {}, cal.is_workday, sp, cal.is_holiday)
        is_open = engine.is_open_at(hours, at.time())
        if open_now and not is_open:
            continue
        dist = engine.distance_km(lat, lng, h.lat, h.lng) if lat is not None and lng is not None else None
        out.append(
            MapHall(
                h, round(dist, 2) if dist is not None else None, is_open, hours, int(waiting.get(h.pk, 0))
            )
        )
    out.sort(key=lambda m: (m.distance_km if m.distance_km is not None else 0.0, m.hall.code))
    return out[:limit]


def map_entry(hall: Hall, now: datetime | None = None) -> MapHall:
    at = localnow(now)
    hours = hall_hours_on(hall, at.date())
    waiting = Ticket.objects.filter(hall=hall, date=at.date(), status=Ticket.Status.WAITING).count()
    return MapHall(hall, None, engine.is_open_at(hours, at.time()), hours, waiting)


# --- figures ---------------------------------------------------------------------------------


def _summary(rows: list[dict[str, Any]]) -> dict[str, Any]:
    waits = [(r["called_at"] - r["taken_at"]).total_seconds() / 60 for r in rows if r["called_at"]]
    services = [
        (r["finished_at"] - r["called_at"]).total_seconds() / 60
        for r in rows
        if r["status"] == Ticket.Status.DONE and r["finished_at"] and r["called_at"]
    ]
    closed = [r for r in rows if r["status"] in (Ticket.Status.DONE, Ticket.Status.NO_SHOW)]
    noshow = sum(1 for r in closed if r["status"] == Ticket.Status.NO_SHOW)

    def r1(v: float | None) -> float | None:
        return round(v, 1) if v is not None else None

    return {
        "tickets": len(rows),
        "served": len(services),
        "wait_avg": r1(sum(waits) / len(waits)) if waits else None,
        "wait_p90": r1(engine.percentile(waits, 90)),
        "service_avg": r1(sum(services) / len(services)) if services else None,
        "service_p90": r1(engine.percentile(services, 90)),
        "noshow_rate": round(noshow / len(closed), 3) if closed else None,
    }


def hall_figures(hall: Hall, start: date, end: date) -> dict[str, Any]:
    """Tickets, waiting (average, 90th percentile), service time and no-show rate per hall, window,
    clerk and day, and bookings made and used, for ``start``..``end`` inclusive."""
    rows: list[dict[str, Any]] = [
        dict(r)
        for r in Ticket.objects.filter(hall=hall, date__gte=start, date__lte=end).values(
            "date",
            "status",
            "taken_at",
            "called_at",
            "finished_at",
            "window__number",
            "window__name",
            "clerk__username",
            "clerk__full_name",
            "category__letter",
        )
    ]
    by_window: dict[str, list[dict[str, Any]]] = defaultdict(list)
    by_clerk: dict[str, list[dict[str, Any]]] = defaultdict(list)
    by_day: dict[date, list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        if r["window__number"]:
            by_window[f"{r['window__number']} {r['window__name']}"].append(r)
        if r["clerk__username"]:
            by_clerk[r["clerk__full_name"] or r["clerk__username"]].append(r)
        by_day[r["date"]].append(r)
    appts = Appointment.objects.filter(hall=hall, date__gte=start, date__lte=end)
    counts = dict(appts.values_list("status").annotate(n=Count("id")))
    made = sum(int(v) for k, v in counts.items() if k != Appointment.Status.CANCELLED)
    used = int(counts.get(Appointment.Status.CHECKED_IN, 0))
    return {
        "start": start,
        "end": end,
        "hall": _summary(rows),
        "windows": [{"name": k, **_summary(v)} for k, v in sorted(by_window.items())],
        "clerks": [{"name": k, **_summary(v)} for k, v in sorted(by_clerk.items())],
        "days": [{"date": k, **_summary(v)} for k, v in sorted(by_day.items())],
        "bookings": {
            "made": made,
            "used": used,
            "missed": int(counts.get(Appointment.Status.NO_SHOW, 0)),
            "cancelled": int(counts.get(Appointment.Status.CANCELLED, 0)),
            "used_rate": round(used / made, 3) if made else None,
        },
    }


def served_ticket(hall: Hall, pk: int | None) -> Ticket | None:
    """A number of this hall being served or served today, not yet linked to a case (the reception's
    ``?ticket=``); None otherwise."""
    if not pk:
        return None
    return (
        Ticket.objects.filter(
            pk=pk, hall=hall, case__isnull=True, status__in=[Ticket.Status.CALLED, Ticket.Status.DONE]
        )
        .select_related("category")
        .first()
    )


# --- the booking snapshot (docs/adr/0015) -------------------------------------------------------


@dataclass
class BookingSnapshot:
    """What a booking attempt reads about a hall, built once per process and rebuilt when the halls',
    the catalogue's or the calendar's generation moves: the hall with its settings, the items it books
    and their queues, each queue's capacity, the booking policy, the special days from yesterday on and
    the working-day calendar; each day's hours and slots are worked out once."""

    hall: Hall
    cfg: HallConfig
    items: dict[str, HallItem]
    capacity: dict[int, int]
    policy: BookingPolicy
    special: dict[date, tuple[bool, list[list[str]]]]
    calendar: Any
    _hours: dict[date, list[engine.Interval]] = field(default_factory=dict)
    _slots: dict[date, dict[time, time]] = field(default_factory=dict)

    def hours_on(self, d: date) -> list[engine.Interval]:
        hours = self._hours.get(d)
        if hours is None:
            cal = self.calendar
            hours = engine.hours_on(
                d, self.hall.opening_hours or {}, cal.is_workday, self.special.get(d), cal.is_holiday
            )
            self._hours[d] = hours
        return hours

    def slots_on(self, d: date) -> dict[time, time]:
        """The day's slot starts and their ends."""
        slots = self._slots.get(d)
        if slots is None:
            slots = dict(engine.slot_times(self.hours_on(d), self.cfg.slot_minutes, self.cfg.buffer_minutes))
            self._slots[d] = slots
        return slots


def _build_booking_snapshot(code: Any) -> BookingSnapshot | None:
    hall = hall_get(str(code))
    if hall is None:
        return None
    cfg = hall_config(hall)
    cats = hall_categories(hall)
    items = {i.code: i for i in hall_items(hall, cats)}
    yesterday = localnow().date() - timedelta(days=1)
    rows = SpecialDay.objects.filter(Q(hall=hall) | Q(hall__isnull=True), date__gte=yesterday)
    special: dict[date, tuple[bool, list[list[str]]]] = {}
    for row in sorted(rows, key=lambda r: r.hall_id is not None):  # the hall's own day wins over a global one
        special[row.date] = (row.closed, row.hours)
    snap = BookingSnapshot(
        hall=hall,
        cfg=cfg,
        items=items,
        capacity={c.pk: category_capacity(c, cfg) for c in cats},
        policy=booking_policy(),
        special=special,
        calendar=work_calendar(),
    )
    hall._booking_snapshot = snap  # type: ignore[attr-defined]
    return snap


_SNAPSHOTS: Snapshots[BookingSnapshot] = Snapshots(
    ("halls", "catalogue", "calendar"), _build_booking_snapshot
)


def booking_snapshot(code: str) -> BookingSnapshot | None:
    """The hall's booking snapshot by code (one query for the generations when it is current)."""
    return _SNAPSHOTS.get(code) if code else None


def snapshot_of(hall: Hall) -> BookingSnapshot:
    """The snapshot a hall object came from, or the current one for its code."""
    snap = getattr(hall, "_booking_snapshot", None)
    if snap is None:
        snap = booking_snapshot(hall.code)
        assert snap is not None
    return snap


# --- read by satisfaction reviews (feedback) -------------------------------------------------------


def tickets_for_case(case_id: int) -> list[Ticket]:
    """The numbers served for one case (each a visit to a window), in order."""
    return list(
        Ticket.objects.filter(case_id=case_id)
        .select_related("hall", "window", "clerk")
        .order_by("taken_at", "id")
    )


def ticket_office(ticket: Ticket) -> Any:
    """The office answerable for a visit that led to no case: the office of the ticket's item at its hall."""
    from_item = (
        Item.objects.filter(code=ticket.item_code).select_related("office").first()
        if ticket.item_code
        else None
    )
    if from_item is None:
        return None
    return item_office_for_hall(from_item, ticket.hall)


def person_visits(person_id: int, item_code: str, since: date, before: datetime) -> int:
    """How many numbers a person was served for one item since a day (before a moment)."""
    return Ticket.objects.filter(
        person_id=person_id, item_code=item_code, date__gte=since, taken_at__lt=before, status="done"
    ).count()


def clerk_served(clerk_id: int, day: date, limit: int = 30) -> list[Ticket]:
    """The numbers a clerk served on a day, latest first."""
    return list(
        Ticket.objects.filter(clerk_id=clerk_id, date=day, status="done")
        .select_related("hall", "window", "category")
        .order_by("-finished_at", "-id")[:limit]
    )
