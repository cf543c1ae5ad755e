"""Writers of halls. Each service checks every rule itself (nothing is trusted from the request),
runs in one transaction and writes exactly one audit event; notifications are queued in the same
transaction and delivered after commit.

Concurrency (docs/adr/0050-halls-booking-and-queue.md): a booking locks the person's row (per-person
limits), then takes a place with ``UPDATE slot SET booked = booked + 1 WHERE id = … AND booked <
capacity``; a ticket number comes from ``UPDATE counter SET last = last + 1`` whose row lock is held
to commit, so numbers are gap-free and in the order tickets are created.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from stdnum.cn import ric
from stdnum.exceptions import ValidationError as StdnumError

from yiwang.accounts.access import acting_person, authenticated, ensure
from yiwang.accounts.models import Hall, Person, Window
from yiwang.audit.services import audit_record
from yiwang.core import ratelimit
from yiwang.core.errors import Conflict, RateLimited, ServiceError, from_validation_error
from yiwang.core.fieldcrypt import blind_index
from yiwang.core.masking import mask_middle
from yiwang.core.validators import normalize_mobile, normalize_resident_id
from yiwang.notifications.services import notification_queue

from . import engine, selectors
from .access import (
    access_appointment,
    access_book,
    access_hall_desk,
    access_hall_manage,
    access_take_number,
    access_window,
)
from .models import (
    Appointment,
    BookingPolicy,
    BusinessCategory,
    HallConfig,
    Slot,
    SpecialDay,
    Ticket,
    TicketCounter,
)

if TYPE_CHECKING:
    from collections.abc import Sequence

    from yiwang.accounts.access import Visitor
    from yiwang.cases.models import Case

# --- helpers ---------------------------------------------------------------------------------


def _aware(d: date, t: time) -> datetime:
    return timezone.make_aware(datetime.combine(d, t), timezone.get_current_timezone())


def _fmt_date(d: date) -> str:
    return date_format(d, "Y-m-d")


def _parse_time(value: Any) -> time:
    if isinstance(value, time):
        return value
    try:
        return time.fromisoformat(str(value).strip())
    except ValueError as exc:
        raise ServiceError(
            _("Enter a time as HH:MM."), code="invalid", fields={"start": _("Enter a time as HH:MM.")}
        ) from exc


def _lock_person(person: Person) -> None:
    # Serialises one person's bookings, so per-person limits hold under concurrent requests.
    list(Person.objects.select_for_update().filter(pk=person.pk).values_list("pk", flat=True))


def _ensure_slot_row(
    hall: Hall, category: BusinessCategory, d: date, start: time, end: time, capacity: int
) -> Slot:
    Slot.objects.bulk_create(
        [Slot(hall=hall, category=category, date=d, start=start, end=end, capacity=capacity)],
        ignore_conflicts=True,
    )
    return Slot.objects.get(category=category, date=d, start=start)


def _take_place(slot: Slot) -> bool:
    """The conditional UPDATE: one place, only while places are left. True when a place was taken."""
    return bool(Slot.objects.filter(pk=slot.pk, booked__lt=F("capacity")).update(booked=F("booked") + 1))


def _give_back(slot_id: int) -> None:
    Slot.objects.filter(pk=slot_id, booked__gt=0).update(booked=F("booked") - 1)


def _validate_slot(
    *, hall: Hall, category: BusinessCategory, d: date, start: time, now: datetime, cfg: HallConfig
) -> tuple[time, time, int]:
    """Past, closed day, horizon, and whether ``start`` is one of the day's slots. Returns (start, end, capacity).

    Reads the hall's booking snapshot (no query)."""
    today = now.date()
    if d < today:
        raise ServiceError(_("This time has already passed."), code="past")
    snap = selectors.snapshot_of(hall)
    cal = snap.calendar
    hours = snap.hours_on(d)
    if not hours:
        raise ServiceError(_("The hall is closed on %(date)s.") % {"date": _fmt_date(d)}, code="closed")
    last = selectors.horizon_end(hall, today, cfg, cal)
    if d > last:
        raise ServiceError(
            _("Bookings are open up to %(n)d working days ahead (until %(date)s).")
            % {"n": cfg.horizon_workdays, "date": _fmt_date(last)},
            code="beyond_horizon",
        )
    times = snap.slots_on(d)
    if start not in times:
        raise ServiceError(
            _("There is no appointment slot at %(time)s on this day.") % {"time": start.strftime("%H:%M")},
            code="no_slot",
        )
    if _aware(d, start) <= now:
        raise ServiceError(_("This time has already passed."), code="past")
    capacity = snap.capacity.get(category.pk)
    return (
        start,
        times[start],
        capacity if capacity is not None else selectors.category_capacity(category, cfg),
    )


def _bookable_item(hall: Hall, item_code: str, cfg: HallConfig) -> selectors.HallItem:
    if not cfg.bookable:
        raise ServiceError(_("This hall does not take online bookings."), code="not_bookable")
    item = selectors.snapshot_of(hall).items.get((item_code or "").strip())
    if item is None or item.category is None or not item.category.bookable:
        raise ServiceError(
            _("This hall does not handle this item."),
            code="not_handled",
            fields={"item": _("This hall does not handle this item.")},
        )
    return item


def _check_blocked(person: Person, today: date) -> None:
    until = selectors.person_blocked_until(person, today)
    if until is not None:
        policy = selectors.booking_policy()
        raise Conflict(
            _("You missed %(n)d appointments within %(days)d days, so you cannot book until %(date)s.")
            % {"n": policy.noshow_limit, "days": policy.noshow_window_days, "date": _fmt_date(until)},
            code="blocked",
        )


def _check_person_limits(
    person: Person, hall: Hall, d: date, slot: Slot | None, cfg: HallConfig, exclude: int | None = None
) -> None:
    mine = Appointment.objects.filter(person=person, hall=hall, status__in=Appointment.ACTIVE)
    if exclude:
        mine = mine.exclude(pk=exclude)
    if slot is not None and mine.filter(slot=slot).exists():
        raise Conflict(_("You have already booked this time slot."), code="duplicate")
    if mine.filter(date=d).count() >= cfg.per_person_per_day:
        raise Conflict(
            _("You can book at most %(n)d appointments a day at this hall.") % {"n": cfg.per_person_per_day},
            code="day_limit",
        )
    if mine.filter(status=Appointment.Status.BOOKED).count() >= cfg.per_person_open:
        raise Conflict(
            _("You already have %(n)d open appointments at this hall, the most allowed.")
            % {"n": cfg.per_person_open},
            code="open_limit",
        )


def _full() -> Conflict:
    return Conflict(_("This time slot is fully booked. Please choose another time."), code="full")


def _reach(appt: Appointment) -> dict[str, Any]:
    """The platform inbox of the person's account, or an SMS to their mobile when they have none."""
    if appt.user_id:
        return {"recipient": appt.user}
    return {"channel": "sms", "address": appt.person.mobile}


def _confirmation(appt: Appointment, *, changed: bool = False) -> None:
    when = f"{_fmt_date(appt.date)} {appt.start:%H:%M}–{appt.end:%H:%M}"
    subject = (
        _("Appointment changed: %(hall)s, %(when)s")
        if changed
        else _("Appointment booked: %(hall)s, %(when)s")
    ) % {"hall": appt.hall.name, "when": when}
    body = _(
        "Item: %(item)s. Confirmation code: %(code)s. Please check in at the hall with this code or its QR "
        "code up to %(n)d minutes before your time."
    ) % {
        "item": appt.item_name,
        "code": appt.code,
        "n": selectors.hall_config(appt.hall).checkin_early_minutes,
    }
    notification_queue(
        subject=subject,
        body=body,
        **_reach(appt),
        obj=appt,
        link=reverse("halls:appointment", kwargs={"code": appt.code}),
        dedupe_key=f"halls.appointment.{appt.pk}.changed.{appt.changed_at.isoformat()}"
        if changed and appt.changed_at
        else f"halls.appointment.{appt.pk}.booked",
    )


# --- appointments ------------------------------------------------------------------------------


def appointment_book(
    *, actor: Visitor, hall: Hall, item_code: str, date: date, start: Any, now: datetime | None = None
) -> Appointment:
    """Book a place in a slot for an item at a hall, after re-checking every rule on the server."""
    ensure(access_book(actor), user=actor, action="appointment.book", obj=hall)
    person = acting_person(actor)
    now = selectors.localnow(now)
    hall = selectors.snapshot_of(hall).hall  # the hall's settings, items and queues from the snapshot
    cfg = selectors.hall_config(hall)
    item = _bookable_item(hall, item_code, cfg)
    category = item.category
    assert category is not None
    start_t, end_t, capacity = _validate_slot(
        hall=hall, category=category, d=date, start=_parse_time(start), now=now, cfg=cfg
    )
    # Fast refusal of a full slot first (one read), before the person's own checks; the conditional
    # UPDATE below stays the real guard.
    if (
        Slot.objects.filter(category=category, date=date, start=start_t, booked__gte=F("capacity"))
        .exclude(appointments__person=person, appointments__status__in=Appointment.ACTIVE)
        .exists()
    ):
        raise _full()
    _check_blocked(person, now.date())
    with transaction.atomic():
        _lock_person(person)
        slot = _ensure_slot_row(hall, category, date, start_t, end_t, capacity)
        _check_person_limits(person, hall, date, slot, cfg)
        if not _take_place(slot):
            raise _full()
        try:
            with transaction.atomic():
                appt = Appointment.objects.create(
                    hall=hall,
                    category=category,
                    slot=slot,
                    date=date,
                    start=start_t,
                    end=end_t,
                    item_code=item.code,
                    item_name=item.name,
                    person=person,
                    user=authenticated(actor),
                )
        except IntegrityError as exc:  # the partial unique index: same person, same slot
            raise Conflict(_("You have already booked this time slot."), code="duplicate") from exc
        audit_record(
            actor=actor,
            action="appointment.book",
            obj=appt,
            data={
                "hall": hall.code,
                "item": item.code,
                "date": str(date),
                "start": start_t.isoformat("minutes"),
            },
        )
        _confirmation(appt)
    return appt


def _check_changeable(appt: Appointment, now: datetime) -> None:
    if appt.status != Appointment.Status.BOOKED:
        raise Conflict(_("Only a booked appointment can be cancelled or changed."), code="not_booked")
    cfg = selectors.hall_config(appt.hall)
    if _aware(appt.date, appt.start) - timedelta(minutes=cfg.change_cutoff_minutes) <= now:
        raise Conflict(
            _("Appointments can be cancelled or changed until %(n)d minutes before they start.")
            % {"n": cfg.change_cutoff_minutes},
            code="cutoff",
        )


def appointment_cancel(
    *, actor: Visitor, appointment: Appointment, now: datetime | None = None
) -> Appointment:
    ensure(access_appointment(actor, appointment), user=actor, action="appointment.cancel", obj=appointment)
    now = selectors.localnow(now)
    with transaction.atomic():
        appt = Appointment.objects.select_for_update().select_related("hall").get(pk=appointment.pk)
        _check_changeable(appt, now)
        appt.status = Appointment.Status.CANCELLED
        appt.changed_at = now
        appt.save(update_fields=["status", "changed_at"])
        _give_back(appt.slot_id)
        audit_record(actor=actor, action="appointment.cancel", obj=appt, data={"hall": appt.hall.code})
    return appt


def appointment_reschedule(
    *, actor: Visitor, appointment: Appointment, date: date, start: Any, now: datetime | None = None
) -> Appointment:
    """Move an appointment to another slot of the same hall and item (same confirmation code)."""
    ensure(
        access_appointment(actor, appointment), user=actor, action="appointment.reschedule", obj=appointment
    )
    now = selectors.localnow(now)
    hall = appointment.hall
    cfg = selectors.hall_config(hall)
    _check_changeable(appointment, now)
    item = _bookable_item(hall, appointment.item_code, cfg)
    category = item.category
    assert category is not None
    start_t, end_t, capacity = _validate_slot(
        hall=hall, category=category, d=date, start=_parse_time(start), now=now, cfg=cfg
    )
    person = appointment.person
    _check_blocked(person, now.date())
    with transaction.atomic():
        _lock_person(person)
        appt = Appointment.objects.select_for_update().select_related("hall").get(pk=appointment.pk)
        _check_changeable(appt, now)
        slot = _ensure_slot_row(hall, category, date, start_t, end_t, capacity)
        if slot.pk == appt.slot_id:
            raise Conflict(_("You have already booked this time slot."), code="duplicate")
        _check_person_limits(person, hall, date, slot, cfg, exclude=appt.pk)
        if not _take_place(slot):
            raise _full()
        old = {"date": str(appt.date), "start": appt.start.isoformat("minutes")}
        _give_back(appt.slot_id)
        appt.slot, appt.category, appt.date, appt.start, appt.end = slot, category, date, start_t, end_t
        appt.changed_at = now
        appt.save(update_fields=["slot", "category", "date", "start", "end", "changed_at"])
        audit_record(
            actor=actor,
            action="appointment.reschedule",
            obj=appt,
            data={"from": old, "to": {"date": str(date), "start": start_t.isoformat("minutes")}},
        )
        _confirmation(appt, changed=True)
    return appt


# --- tickets ---------------------------------------------------------------------------------


def _next_seq(hall: Hall, category: BusinessCategory, d: date) -> int:
    TicketCounter.objects.bulk_create(
        [TicketCounter(hall=hall, category=category, date=d)], ignore_conflicts=True
    )
    TicketCounter.objects.filter(category=category, date=d).update(last=F("last") + 1)
    return int(TicketCounter.objects.filter(category=category, date=d).values_list("last", flat=True).get())


def _priority(*, on_time: bool, green: bool) -> tuple[int, str]:
    policy = selectors.booking_policy()
    options = []
    if green and policy.green_priority:
        options.append((int(policy.green_priority), "green"))
    if on_time and policy.on_time_priority:
        options.append((int(policy.on_time_priority), "on_time"))
    return max(options) if options else (0, "")


def _is_elderly(person: Person | None, today: date) -> bool:
    if person is None:
        return False
    try:
        birth = person.birth_date
    except Exception:
        return False
    return bool(birth) and engine.age_on(birth, today) >= selectors.booking_policy().elderly_age


def _issue(
    *,
    hall: Hall,
    category: BusinessCategory,
    now: datetime,
    source: str,
    person: Person | None,
    user: Visitor,
    item_code: str = "",
    appointment: Appointment | None = None,
    on_time: bool = False,
    green: bool = False,
) -> Ticket:
    green = green or _is_elderly(person, now.date())
    priority, reason = _priority(on_time=on_time, green=green)
    seq = _next_seq(hall, category, now.date())
    return Ticket.objects.create(
        hall=hall,
        category=category,
        date=now.date(),
        seq=seq,
        number=f"{category.letter}{seq:03d}",
        source=source,
        appointment=appointment,
        person=person,
        user=authenticated(user),
        item_code=item_code,
        priority=priority,
        priority_reason=reason,
        green=green,
        taken_at=now,
        queued_at=now,
    )


def _require_open(hall: Hall, now: datetime) -> None:
    if not selectors.hall_is_open(hall, now):
        raise ServiceError(_("The hall is not open now."), code="closed")


def _walk_in_category(hall: Hall, *, category_letter: str, item_code: str = "") -> BusinessCategory:
    category = None
    if item_code:
        item = selectors.hall_item(hall, item_code.strip())
        if item is None or item.category is None:
            raise ServiceError(
                _("This hall does not handle this item."),
                code="not_handled",
                fields={"item": _("This hall does not handle this item.")},
            )
        category = item.category
    elif category_letter:
        category = BusinessCategory.objects.filter(hall=hall, letter=category_letter.strip().upper()).first()
    if category is None:
        raise ServiceError(
            _("Choose a queue of this hall."),
            code="no_category",
            fields={"category": _("Choose a queue of this hall.")},
        )
    return category


def ticket_take(
    *,
    actor: Visitor,
    hall: Hall,
    category_letter: str = "",
    item_code: str = "",
    green: bool = False,
    now: datetime | None = None,
) -> Ticket:
    """A walk-in number: at the hall's kiosk (its staff's device) or on an applicant's phone."""
    ensure(access_take_number(actor, hall), user=actor, action="ticket.take", obj=hall)
    now = selectors.localnow(now)
    _require_open(hall, now)
    category = _walk_in_category(hall, category_letter=category_letter, item_code=item_code)
    person = acting_person(actor)
    source = Ticket.Source.PHONE if person is not None else Ticket.Source.KIOSK
    with transaction.atomic():
        ticket = _issue(
            hall=hall,
            category=category,
            now=now,
            source=source,
            person=person,
            user=actor,
            item_code=item_code,
            green=green,
        )
        audit_record(
            actor=actor,
            action="ticket.take",
            obj=ticket,
            data={"hall": hall.code, "number": ticket.number, "source": source},
        )
    return ticket


# The public kiosk page (no account): numbers per address and per holder, so a script cannot drain a queue.
# A bureau changes them in ``settings.HALLS_KIOSK`` (keys as below); these are the defaults.
KIOSK_DEFAULTS = {
    "per_address": 30,  # numbers per address (the hall's kiosk is one address) …
    "address_window": 600,  # … per 10 minutes: one every 20 s, more than a kiosk hands out at its busiest
    "per_holder": 3,  # numbers per ID number or mobile per day at one hall
}


def kiosk_limits() -> dict[str, int]:
    """The kiosk's limits: ``settings.HALLS_KIOSK`` over the defaults (unknown keys are ignored)."""
    configured = getattr(settings, "HALLS_KIOSK", {}) or {}
    return {k: int(configured.get(k, v)) for k, v in KIOSK_DEFAULTS.items()}


def ticket_take_at_kiosk(
    *,
    actor: Visitor,
    hall: Hall,
    category_letter: str,
    green: bool = False,
    id_number: str = "",
    mobile: str = "",
    requester: Sequence[str] = (),
    now: datetime | None = None,
) -> Ticket:
    """A walk-in number from the hall's public kiosk page, without an account: by a resident ID number
    (validated; linked to the person when registered), by a mobile, or anonymously. Issued by the same
    numbering as every other ticket; limited per requester (``ratelimit.guessers``) and per holder, and
    a holder has one waiting number per queue."""
    now = selectors.localnow(now)
    _require_open(hall, now)
    category = _walk_in_category(hall, category_letter=category_letter)
    holder = normalize_resident_id(id_number) if id_number else normalize_mobile(mobile) if mobile else ""
    holder_index = blind_index(holder) if holder else ""
    person = selectors.person_by_resident_id(holder) if id_number else None
    limits = kiosk_limits()
    # In the transaction: a refused or failed number leaves no count behind.
    with transaction.atomic():
        for who in requester:
            key = f"halls:kiosk:{who}"
            if not ratelimit.attempt(key, limit=limits["per_address"], window=limits["address_window"]):
                raise RateLimited(_("Too many numbers were taken here just now. Ask the staff at the desk."))
        if holder_index:
            waiting = selectors.holder_waiting_ticket(hall, category, holder_index, now.date())
            if waiting is not None:
                message = _("This number already waits in this queue: %(number)s.") % {
                    "number": waiting.number
                }
                raise ServiceError(message, code="already_waiting", fields={"who": message})
            key = f"halls:kiosk:{hall.pk}:{holder_index}"
            if not ratelimit.attempt(key, limit=limits["per_holder"], window=ratelimit.DAY):
                message = _(
                    "Numbers for this ID number or mobile today: the limit is reached. Ask the staff."
                )
                raise RateLimited(message, fields={"who": message})
        ticket = _issue(
            hall=hall,
            category=category,
            now=now,
            source=Ticket.Source.KIOSK,
            person=person,
            user=actor,
            green=green or (bool(id_number) and _born_elderly(holder, now.date())),
        )
        ticket.holder_index = holder_index
        ticket.holder_masked = mask_middle(holder) if holder else ""
        ticket.save(update_fields=["holder_index", "holder_masked"])
        audit_record(
            actor=actor,
            action="ticket.take",
            obj=ticket,
            data={
                "hall": hall.code,
                "number": ticket.number,
                "source": "kiosk_page",
                "holder": "id" if id_number else "mobile" if mobile else "",
                "holder_masked": ticket.holder_masked,
            },
        )
    return ticket


def _born_elderly(id_number: str, today: date) -> bool:
    try:
        birth = ric.get_birth_date(id_number)
    except (StdnumError, ValueError):
        return False
    return engine.age_on(birth, today) >= selectors.booking_policy().elderly_age


def appointment_checkin(*, actor: Visitor, hall: Hall, code: str, now: datetime | None = None) -> Ticket:
    """Check a booked applicant in (code or QR) and give a number; priority when on time."""
    ensure(access_take_number(actor, hall), user=actor, action="appointment.checkin", obj=hall)
    now = selectors.localnow(now)
    appt = selectors.appointment_by_code(code)
    me = acting_person(actor)
    staff_desk = access_hall_desk(actor, hall)
    if appt is None or (not staff_desk and (me is None or appt.person_id != me.pk)):
        raise ServiceError(
            _("No appointment has this confirmation code."),
            code="unknown_code",
            fields={"code": _("No appointment has this confirmation code.")},
        )
    if appt.hall_id != hall.pk:
        raise ServiceError(
            _("This appointment is at %(hall)s, not at this hall.") % {"hall": selectors.name_of(appt.hall)},
            code="wrong_hall",
        )
    if appt.date != now.date():
        raise ServiceError(
            _("This appointment is for %(date)s, not today.") % {"date": _fmt_date(appt.date)},
            code="wrong_day",
        )
    if appt.status == Appointment.Status.CHECKED_IN:
        raise Conflict(_("This appointment has already been checked in."), code="checked_in")
    if appt.status != Appointment.Status.BOOKED:
        raise Conflict(
            _("This appointment is not active (%(status)s).") % {"status": appt.get_status_display()},
            code="not_booked",
        )
    cfg = selectors.hall_config(hall)
    starts = _aware(appt.date, appt.start)
    opens = starts - timedelta(minutes=cfg.checkin_early_minutes)
    if now < opens:
        raise ServiceError(
            _("Check-in opens %(n)d minutes before your time, at %(time)s.")
            % {"n": cfg.checkin_early_minutes, "time": timezone.localtime(opens).strftime("%H:%M")},
            code="too_early",
        )
    on_time = now <= starts + timedelta(minutes=cfg.checkin_late_minutes)
    with transaction.atomic():
        locked = Appointment.objects.select_for_update().get(pk=appt.pk)
        if locked.status != Appointment.Status.BOOKED:
            raise Conflict(_("This appointment has already been checked in."), code="checked_in")
        locked.status = Appointment.Status.CHECKED_IN
        locked.checked_in_at = now
        locked.save(update_fields=["status", "checked_in_at"])
        ticket = _issue(
            hall=hall,
            category=appt.category,
            now=now,
            source=Ticket.Source.APPOINTMENT,
            person=appt.person,
            user=appt.user,
            item_code=appt.item_code,
            appointment=locked,
            on_time=on_time,
        )
        audit_record(
            actor=actor,
            action="appointment.checkin",
            obj=locked,
            data={"ticket": ticket.number, "on_time": on_time},
        )
    return ticket


# --- the window console ------------------------------------------------------------------------


def _window_categories(window: Window) -> list[int]:
    return list(BusinessCategory.objects.filter(windows=window).values_list("pk", flat=True))


def _current(window: Window) -> Ticket | None:
    return Ticket.objects.select_for_update().filter(window=window, status=Ticket.Status.CALLED).first()


def ticket_call_next(  # noqa: C901 - the calling order: a chosen number, a green-channel number, a priority, the queue
    *,
    actor: Visitor,
    window: Window,
    ticket: Ticket | None = None,
    number: str = "",
    now: datetime | None = None,
) -> Ticket:
    """Call the next number this window can serve (or a given waiting number of the same hall)."""
    ensure(access_window(actor, window), user=actor, action="ticket.call", obj=window)
    now = selectors.localnow(now)
    if not window.active:
        raise ServiceError(_("This window is closed."), code="window_closed")
    with transaction.atomic():
        if _current(window) is not None:
            raise Conflict(_("Finish or mark the current number before calling the next one."), code="busy")
        cats = _window_categories(window)
        if ticket is None and number:
            ticket = Ticket.objects.filter(
                hall=window.hall, date=now.date(), number=number.strip().upper()
            ).first()
            if ticket is None:
                raise ServiceError(_("No such number today."), code="unknown_number")
        if ticket is not None:
            if ticket.hall_id != window.hall_id:
                raise ServiceError(_("This number belongs to another hall."), code="other_hall")
            if ticket.status != Ticket.Status.WAITING or ticket.date != now.date():
                raise Conflict(_("This number is not waiting."), code="not_waiting")
            if ticket.category_id not in cats and ticket.target_window_id != window.pk:
                raise ServiceError(_("This window does not serve this queue."), code="not_served")
            candidates = Ticket.objects.filter(pk=ticket.pk)
        else:
            serves = Q(category_id__in=cats, target_window__isnull=True) | Q(target_window=window)
            candidates = Ticket.objects.filter(
                serves, hall=window.hall, date=now.date(), status=Ticket.Status.WAITING
            )
            if window.kind == Window.Kind.GREEN:
                candidates = Ticket.objects.filter(
                    serves | Q(green=True, target_window__isnull=True),
                    hall=window.hall,
                    date=now.date(),
                    status=Ticket.Status.WAITING,
                )
        order = ["-priority", "queued_at", "id"]
        if window.kind == Window.Kind.GREEN:
            order = ["-green", *order]
        chosen = None
        lock = candidates.order_by(*order).select_for_update(
            skip_locked=connection.features.has_select_for_update_skip_locked
        )
        for cand in lock[:5]:
            # Conditional update: if another window took it in between, try the next one.
            if Ticket.objects.filter(pk=cand.pk, status=Ticket.Status.WAITING).update(
                status=Ticket.Status.CALLED, window=window, clerk=actor, called_at=now
            ):
                chosen = cand
                break
        if chosen is None:
            raise Conflict(_("Nobody is waiting for this window."), code="empty")
        chosen.refresh_from_db()
        audit_record(
            actor=actor,
            action="ticket.call",
            obj=chosen,
            data={"window": window.number, "number": chosen.number},
        )
    return chosen


def _with_current(window: Window) -> Ticket:
    current = _current(window)
    if current is None:
        raise Conflict(_("No number is being served at this window."), code="idle")
    return current


def ticket_recall(*, actor: Visitor, window: Window, now: datetime | None = None) -> Ticket:
    ensure(access_window(actor, window), user=actor, action="ticket.recall", obj=window)
    with transaction.atomic():
        t = _with_current(window)
        t.recalls += 1
        t.save(update_fields=["recalls"])
        audit_record(
            actor=actor, action="ticket.recall", obj=t, data={"window": window.number, "number": t.number}
        )
    return t


def ticket_no_show(*, actor: Visitor, window: Window, now: datetime | None = None) -> Ticket:
    now = selectors.localnow(now)
    ensure(access_window(actor, window), user=actor, action="ticket.no_show", obj=window)
    with transaction.atomic():
        t = _with_current(window)
        t.status = Ticket.Status.NO_SHOW
        t.finished_at = now
        t.save(update_fields=["status", "finished_at"])
        audit_record(
            actor=actor, action="ticket.no_show", obj=t, data={"window": window.number, "number": t.number}
        )
    return t


def ticket_finish(*, actor: Visitor, window: Window, now: datetime | None = None) -> Ticket:
    now = selectors.localnow(now)
    ensure(access_window(actor, window), user=actor, action="ticket.finish", obj=window)
    with transaction.atomic():
        t = _with_current(window)
        t.status = Ticket.Status.DONE
        t.finished_at = now
        t.save(update_fields=["status", "finished_at"])
        audit_record(
            actor=actor, action="ticket.finish", obj=t, data={"window": window.number, "number": t.number}
        )
    return t


def ticket_transfer(
    *,
    actor: Visitor,
    window: Window,
    category_letter: str = "",
    to_window: Window | None = None,
    now: datetime | None = None,
) -> Ticket:
    """Send the number being served back to the queue of another category or to one window of the hall."""
    now = selectors.localnow(now)
    ensure(access_window(actor, window), user=actor, action="ticket.transfer", obj=window)
    with transaction.atomic():
        t = _with_current(window)
        category = None
        if category_letter:
            category = BusinessCategory.objects.filter(
                hall=window.hall, letter=category_letter.strip().upper()
            ).first()
            if category is None:
                raise ServiceError(_("This hall has no such queue."), code="no_category")
        if to_window is not None and to_window.hall_id != window.hall_id:
            raise ServiceError(_("Transfer only to a queue or window of the same hall."), code="other_hall")
        if category is None and to_window is None:
            raise ServiceError(_("Choose a queue or a window to transfer to."), code="no_target")
        if to_window is not None and to_window.pk == window.pk:
            raise ServiceError(_("Choose a queue or a window to transfer to."), code="no_target")
        before = t.category.letter
        t.status = Ticket.Status.WAITING
        t.category = category or t.category
        t.target_window = to_window
        t.window = None
        t.queued_at = now
        t.transfers += 1
        t.save(update_fields=["status", "category", "target_window", "window", "queued_at", "transfers"])
        audit_record(
            actor=actor,
            action="ticket.transfer",
            obj=t,
            data={
                "number": t.number,
                "from_window": window.number,
                "from_category": before,
                "to_category": t.category.letter,
                "to_window": to_window.number if to_window else None,
            },
        )
    return t


# --- sweeps (periodic) ---------------------------------------------------------------------------


def appointments_mark_no_shows(*, now: datetime | None = None) -> int:
    """Booked appointments whose on-time window has passed without a check-in become no-shows."""
    now = selectors.localnow(now)
    ids = []
    for appt in Appointment.objects.filter(
        status=Appointment.Status.BOOKED, date__lte=now.date()
    ).select_related("hall"):
        late = selectors.hall_config(appt.hall).checkin_late_minutes
        if _aware(appt.date, appt.end) + timedelta(minutes=late) < now:
            ids.append(appt.pk)
    if not ids:
        return 0
    with transaction.atomic():
        n = Appointment.objects.filter(pk__in=ids, status=Appointment.Status.BOOKED).update(
            status=Appointment.Status.NO_SHOW, changed_at=now
        )
        audit_record(
            actor=None,
            action="appointment.no_show_sweep",
            object_type="halls.appointment",
            data={"count": n, "ids": ids[:500]},
        )
    return int(n)


def appointments_remind(*, now: datetime | None = None) -> int:
    """Queue the day-before reminder for tomorrow's appointments (once each, by dedupe key)."""
    now = selectors.localnow(now)
    tomorrow = now.date() + timedelta(days=1)
    queued = []
    with transaction.atomic():
        for appt in Appointment.objects.filter(
            status=Appointment.Status.BOOKED, date=tomorrow
        ).select_related("hall"):
            n = notification_queue(
                subject=_("Reminder: your appointment tomorrow at %(hall)s")
                % {"hall": selectors.name_of(appt.hall)},
                body=_("%(date)s %(start)s–%(end)s, item: %(item)s, confirmation code %(code)s.")
                % {
                    "date": _fmt_date(appt.date),
                    "start": appt.start.strftime("%H:%M"),
                    "end": appt.end.strftime("%H:%M"),
                    "item": appt.item_name,
                    "code": appt.code,
                },
                **_reach(appt),
                obj=appt,
                link=reverse("halls:appointment", kwargs={"code": appt.code}),
                dedupe_key=f"halls.appointment.{appt.pk}.reminder.{appt.date.isoformat()}",
            )
            if n is not None:
                queued.append(appt.pk)
        if queued:
            audit_record(
                actor=None,
                action="appointment.remind_sweep",
                object_type="halls.appointment",
                data={"count": len(queued), "ids": queued[:500]},
            )
    return len(queued)


# --- set-up ----------------------------------------------------------------------------------------

CONFIG_FIELDS = (
    "bookable",
    "slot_minutes",
    "buffer_minutes",
    "horizon_workdays",
    "per_person_per_day",
    "per_person_open",
    "change_cutoff_minutes",
    "checkin_early_minutes",
    "checkin_late_minutes",
)


def hall_config_update(*, actor: Visitor, hall: Hall, **values: Any) -> HallConfig:
    ensure(access_hall_manage(actor, hall), user=actor, action="hall_config.update", obj=hall)
    cfg = HallConfig.objects.filter(hall=hall).first() or HallConfig(hall=hall)
    changed = {}
    for k, v in values.items():
        if k in CONFIG_FIELDS and getattr(cfg, k) != v:
            setattr(cfg, k, v)
            changed[k] = v
    try:
        cfg.full_clean()
    except ValidationError as exc:
        raise from_validation_error(exc) from exc
    with transaction.atomic():
        cfg.save()
        audit_record(actor=actor, action="hall_config.update", obj=cfg, data={"changed": changed})
    return cfg


def category_update(
    *,
    actor: Visitor,
    category: BusinessCategory,
    avg_service_minutes: int,
    capacity_override: int | None,
    windows: list[Window] | None = None,
) -> BusinessCategory:
    """Service time, bookings per slot and (when given) the windows that serve the queue."""
    ensure(access_hall_manage(actor, category.hall), user=actor, action="category.update", obj=category)
    if avg_service_minutes < 1 or avg_service_minutes > 240:
        raise ServiceError(
            _("Average service time must be between 1 and 240 minutes."),
            code="invalid",
            fields={"avg_service_minutes": _("Average service time must be between 1 and 240 minutes.")},
        )
    if capacity_override is not None and not 0 <= capacity_override <= 500:
        raise ServiceError(
            _("Bookings per slot must be between 0 and 500."),
            code="invalid",
            fields={"capacity_override": _("Bookings per slot must be between 0 and 500.")},
        )
    if windows is not None and any(w.hall_id != category.hall_id for w in windows):
        raise ServiceError(
            _("Choose windows of this hall."),
            code="invalid",
            fields={"windows": _("Choose windows of this hall.")},
        )
    with transaction.atomic():
        category.avg_service_minutes = avg_service_minutes
        category.capacity_override = capacity_override
        category.save(update_fields=["avg_service_minutes", "capacity_override"])
        if windows is not None:
            category.windows.set(windows)
        audit_record(
            actor=actor,
            action="category.update",
            obj=category,
            data={
                "avg_service_minutes": avg_service_minutes,
                "capacity_override": capacity_override,
                "windows": None if windows is None else sorted(w.number for w in windows),
            },
        )
    return category


def special_day_set(
    *,
    actor: Visitor,
    hall: Hall,
    date: date,
    closed: bool,
    hours: list[list[str]] | None = None,
    note: str = "",
) -> SpecialDay:
    ensure(access_hall_manage(actor, hall), user=actor, action="special_day.set", obj=hall)
    intervals = [[a.strftime("%H:%M"), b.strftime("%H:%M")] for a, b in engine.parse_hours(hours or [])]
    if not closed and not intervals:
        raise ServiceError(
            _("Give the opening hours of the day, or mark it closed."),
            code="invalid",
            fields={"hours": _("Give the opening hours of the day, or mark it closed.")},
        )
    with transaction.atomic():
        row, _created = SpecialDay.objects.update_or_create(
            hall=hall,
            date=date,
            defaults={"closed": closed, "hours": [] if closed else intervals, "note": note[:120]},
        )
        audit_record(
            actor=actor,
            action="special_day.set",
            obj=row,
            data={"hall": hall.code, "date": str(date), "closed": closed, "hours": row.hours},
        )
    return row


def booking_policy_ensure() -> BookingPolicy:
    """The policy row with its defaults (demo loader and admin)."""
    policy, _created = BookingPolicy.objects.get_or_create(pk=1)
    return policy


def ticket_case_link(*, ticket: Ticket, case: Case) -> Ticket:
    """Link a served number to the case it led to (inside the receiving service's transaction, whose
    audit event records the ticket)."""
    ticket.case = case
    ticket.save(update_fields=["case"])
    return ticket
