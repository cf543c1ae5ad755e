"""Demo halls: queue settings and categories for every hall, and a few days of bookings and tickets at the
district hall and the Pinghu street hall (idempotent: a second run changes nothing)."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from django.db.models import F
from django.utils import timezone

from yiwang.accounts.models import Department, Hall, Person, User, Window
from yiwang.halls import engine, selectors
from yiwang.halls.calendar import work_calendar
from yiwang.halls.models import (
    Appointment,
    BookingPolicy,
    BusinessCategory,
    HallConfig,
    Slot,
    Ticket,
    TicketCounter,
)

if TYPE_CHECKING:
    from yiwang.demo.context import DemoContext

BUSY_HALLS = {"H0001": 70, "H1001": 24}  # tickets per working day in the demo history


def _category(
    hall: Hall,
    letter: str,
    name: str,
    name_en: str,
    minutes: int,
    windows: list[Window],
    *,
    default: bool = False,
    departments: list[Department] | None = None,
) -> None:
    cat = BusinessCategory.objects.create(
        hall=hall, letter=letter, name=name, name_en=name_en, is_default=default, avg_service_minutes=minutes
    )
    cat.windows.set(windows)
    if departments:
        cat.departments.set(departments)


def _categories(hall: Hall) -> int:
    """The hall's queues. Items go to a queue by their organisation (``BusinessCategory.departments``), the
    rest to the default queue: at the district hall the public-service queue takes the utilities' and the
    stationed organisations' items (served at their counters), the insurance queue the social- and
    medical-insurance items, the start-up queue the market-supervision items; at a street hall with a
    social-insurance counter, its queue takes the social-insurance items."""
    if BusinessCategory.objects.filter(hall=hall).exists():
        return 0
    windows = list(Window.objects.filter(hall=hall).select_related("department").order_by("number"))
    comprehensive = [w for w in windows if w.kind == Window.Kind.COMPREHENSIVE]
    green = [w for w in windows if w.kind == Window.Kind.GREEN]
    utility = [w for w in windows if w.kind == Window.Kind.UTILITY]
    dedicated = [w for w in windows if w.kind == Window.Kind.DEDICATED and w.department is not None]
    if hall.kind == Hall.Kind.DISTRICT:
        _category(hall, "A", "综合受理", "General services", 12, comprehensive[4:] + green, default=True)
        _category(
            hall, "B", "公共服务（水电气、通信、邮政、银行、数字证书）",
            "Public services (utilities, telecoms, post, bank, digital certificates)", 8, utility,
            departments=[w.department for w in utility if w.department is not None],
        )  # fmt: skip
        _category(
            hall, "C", "企业开办", "Starting a business", 15, comprehensive[:4],
            departments=list(Department.objects.filter(code="LG19")),
        )  # fmt: skip
        _category(
            hall, "D", "社保医保", "Social and medical insurance", 10, dedicated,
            departments=[w.department for w in dedicated if w.department is not None],
        )  # fmt: skip
        return 4
    name, en = (
        ("企业服务", "Enterprise services")
        if hall.kind == Hall.Kind.PARK
        else ("综合受理", "General services")
    )
    minutes = 12 if hall.kind != Hall.Kind.COMMUNITY else 10
    _category(hall, "A", name, en, minutes, comprehensive, default=True)
    if dedicated:
        _category(
            hall, "D", "社保", "Social insurance", 10, dedicated,
            departments=[w.department for w in dedicated if w.department is not None],
        )  # fmt: skip
        return 2
    return 1


def _aware(d: date, t: time) -> datetime:
    return timezone.make_aware(datetime.combine(d, t), timezone.get_current_timezone())


# A hall's load by weekday (Monday … Sunday) against its average day.
WEEKDAY_LOAD = (1.25, 1.05, 1.0, 0.95, 0.85, 0.6, 0.5)


def _history(ctx: DemoContext, hall: Hall, per_day: int, rng: random.Random) -> None:
    """Past working days: tickets called, served or missed at the hall's windows, and the bookings behind some."""
    if Ticket.objects.filter(hall=hall).exists():
        return
    cal = work_calendar()
    today = timezone.localdate()
    cats = selectors.hall_categories(hall)
    clerks: list[User | None] = [*User.objects.filter(hall=hall, role_grants__role="clerk")] or [None]
    persons = list(Person.objects.order_by("id")[:5])
    items = {
        c.pk: next(
            (i for i in selectors.hall_items(hall, cats) if i.category and i.category.pk == c.pk), None
        )
        for c in cats
    }
    days: list[date] = []
    d = today - timedelta(days=1)
    while len(days) < 5 and d > today - timedelta(days=30):
        if selectors.hall_hours_on(hall, d):
            days.append(d)
        d -= timedelta(days=1)
    cfg = selectors.hall_config(hall)
    tickets: list[Ticket] = []
    for day in sorted(days):
        hours = selectors.hall_hours_on(hall, day)
        seq: dict[int, int] = {}
        free_at: dict[int, datetime] = {}
        # Halls are busiest on Mondays and quietest on Fridays, and no two days are alike.
        count = max(1, round(per_day * WEEKDAY_LOAD[day.weekday()] * rng.uniform(0.8, 1.2)))
        # Each clerk sits at one window for the day (the windows' clerks change from day to day).
        seated = clerks[:]
        rng.shuffle(seated)
        seat: dict[int, User | None] = {}
        for k in range(count):
            cat = cats[0] if rng.random() < 0.6 or len(cats) == 1 else rng.choice(cats[1:])
            windows = selectors.category_windows(cat)
            if not windows:
                continue
            start, end = hours[k * len(hours) // count]
            span = (datetime.combine(day, end) - datetime.combine(day, start)).seconds // 60 - 30
            taken = _aware(day, start) + timedelta(minutes=rng.randint(0, max(1, span)))
            seq[cat.pk] = seq.get(cat.pk, 0) + 1
            window = rng.choice(windows)
            if window.pk not in seat:
                seat[window.pk] = seated[len(seat) % len(seated)]
            called = max(taken + timedelta(minutes=rng.randint(1, 12)), free_at.get(window.pk, taken))
            service = timedelta(minutes=max(2, int(rng.gauss(cat.avg_service_minutes, 4))))
            missed = rng.random() < 0.05
            free_at[window.pk] = called + (timedelta(minutes=1) if missed else service)
            person = rng.choice(persons) if persons and rng.random() < 0.5 else None
            item = items.get(cat.pk)
            appt = None
            if person is not None and item is not None and rng.random() < 0.4:
                slot_start = engine.slot_times(hours, cfg.slot_minutes)[0][0]
                for s, _e in engine.slot_times(hours, cfg.slot_minutes):
                    if _aware(day, s) <= taken:
                        slot_start = s
                slot_end = (datetime.combine(day, slot_start) + timedelta(minutes=cfg.slot_minutes)).time()
                Slot.objects.bulk_create(
                    [
                        Slot(
                            hall=hall,
                            category=cat,
                            date=day,
                            start=slot_start,
                            end=slot_end,
                            capacity=selectors.category_capacity(cat, cfg),
                        )
                    ],
                    ignore_conflicts=True,
                )
                slot = Slot.objects.get(category=cat, date=day, start=slot_start)
                if (
                    slot.booked < slot.capacity
                    and not Appointment.objects.filter(person=person, date=day).exists()
                ):
                    Slot.objects.filter(pk=slot.pk).update(booked=F("booked") + 1)
                    appt = Appointment.objects.create(
                        hall=hall,
                        category=cat,
                        slot=slot,
                        date=day,
                        start=slot_start,
                        end=slot_end,
                        item_code=item.code,
                        item_name=item.name,
                        person=person,
                        user=person.user,
                        status=Appointment.Status.CHECKED_IN,
                        checked_in_at=taken,
                    )
            tickets.append(
                Ticket(
                    hall=hall,
                    category=cat,
                    date=day,
                    seq=seq[cat.pk],
                    number=f"{cat.letter}{seq[cat.pk]:03d}",
                    source=Ticket.Source.APPOINTMENT
                    if appt
                    else rng.choice([Ticket.Source.KIOSK, Ticket.Source.PHONE]),
                    appointment=appt,
                    person=person,
                    item_code=appt.item_code if appt else "",
                    priority=2 if appt else 0,
                    priority_reason="on_time" if appt else "",
                    status=Ticket.Status.NO_SHOW if missed else Ticket.Status.DONE,
                    window=window,
                    clerk=seat[window.pk],
                    taken_at=taken,
                    queued_at=taken,
                    called_at=called,
                    finished_at=called + (timedelta(minutes=1) if missed else service),
                )
            )
        for cat_pk, last in seq.items():
            TicketCounter.objects.get_or_create(
                hall=hall, category_id=cat_pk, date=day, defaults={"last": last}
            )
        # one missed appointment a day
        item = items.get(cats[0].pk)
        if persons and item is not None:
            person = persons[-1]
            if not Appointment.objects.filter(person=person, date=day).exists():
                s, e = engine.slot_times(hours, cfg.slot_minutes)[-1]
                Slot.objects.bulk_create(
                    [
                        Slot(
                            hall=hall,
                            category=cats[0],
                            date=day,
                            start=s,
                            end=e,
                            capacity=selectors.category_capacity(cats[0], cfg),
                        )
                    ],
                    ignore_conflicts=True,
                )
                slot = Slot.objects.get(category=cats[0], date=day, start=s)
                Slot.objects.filter(pk=slot.pk, booked__lt=F("capacity")).update(booked=F("booked") + 1)
                Appointment.objects.create(
                    hall=hall,
                    category=cats[0],
                    slot=slot,
                    date=day,
                    start=s,
                    end=e,
                    item_code=item.code,
                    item_name=item.name,
                    person=person,
                    status=Appointment.Status.NO_SHOW,
                )
    Ticket.objects.bulk_create(tickets)
    ctx.count("queue tickets (history)", len(tickets))
    _upcoming(ctx, hall, cats, items, persons, cal, today)


def _upcoming(
    ctx: DemoContext,
    hall: Hall,
    cats: list[BusinessCategory],
    items: dict[int, Any],
    persons: list[Person],
    cal: Any,
    today: date,
) -> None:
    """Bookings for the next working days (one a day for each demo person without a login, one for 张三)."""
    cfg = selectors.hall_config(hall)
    item = items.get(cats[0].pk)
    if item is None:
        return
    n = 0
    d = today
    for k in range(3):
        d = cal.add_workdays(d, 1)
        hours = selectors.hall_hours_on(hall, d)
        times = engine.slot_times(hours, cfg.slot_minutes, cfg.buffer_minutes)
        if not times:
            continue
        booking = [p for p in persons if p.user_id is None] + ([persons[0]] if k == 0 and persons else [])
        for j, person in enumerate(booking):
            s, e = times[(3 * j + k) % len(times)]
            Slot.objects.bulk_create(
                [
                    Slot(
                        hall=hall,
                        category=cats[0],
                        date=d,
                        start=s,
                        end=e,
                        capacity=selectors.category_capacity(cats[0], cfg),
                    )
                ],
                ignore_conflicts=True,
            )
            slot = Slot.objects.get(category=cats[0], date=d, start=s)
            if Slot.objects.filter(pk=slot.pk, booked__lt=F("capacity")).update(booked=F("booked") + 1):
                Appointment.objects.create(
                    hall=hall,
                    category=cats[0],
                    slot=slot,
                    date=d,
                    start=s,
                    end=e,
                    item_code=item.code,
                    item_name=item.name,
                    person=person,
                    user=person.user,
                )
                n += 1
    ctx.count("appointments (upcoming)", n)


def load(ctx: DemoContext) -> None:
    halls = list(Hall.objects.order_by("code"))
    if not halls:
        return
    task = ctx.progress.add_task("halls", total=len(halls) + len(BUSY_HALLS))
    _policy, created = BookingPolicy.objects.get_or_create(pk=1)
    ctx.count("booking policy", int(created))
    for hall in halls:
        _cfg, created = HallConfig.objects.get_or_create(
            hall=hall,
            defaults={
                "horizon_workdays": 7,
                "slot_minutes": 30,
                "bookable": hall.kind != Hall.Kind.COMMUNITY or hall.code.endswith("1"),
            },
        )
        ctx.count("hall queue settings", int(created))
        ctx.count("business categories", _categories(hall))
        ctx.progress.advance(task)
    rng = random.Random(20261122)
    for code, per_day in BUSY_HALLS.items():
        busy = next((h for h in halls if h.code == code), None)
        if busy is not None:
            _history(ctx, busy, per_day, rng)
        ctx.progress.advance(task)
