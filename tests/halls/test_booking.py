"""Booking, cancelling and rescheduling through the services: every rule, every refusal, nothing changed."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import translation

from yiwang.audit.models import AuditEvent
from yiwang.core.errors import ServiceError
from yiwang.halls import selectors, services
from yiwang.halls.models import Appointment, HallConfig, Slot
from yiwang.notifications.models import Notification

from .helpers import applicants, at, next_workday

pytestmark = pytest.mark.django_db


def _book(
    world: Any,
    user: Any = None,
    *,
    item: str = "ITEM-A",
    d: Any = None,
    start: str = "09:00",
    now: Any = None,
    hall: Any = None,
) -> Appointment:
    d = d or next_workday()
    return services.appointment_book(
        actor=user or world.users["applicant"],
        hall=hall or world.hall,
        item_code=item,
        date=d,
        start=start,
        now=now or at(d - timedelta(days=1), "10:00"),
    )


def _refused(fn: Any, message: str) -> ServiceError:
    before = (
        Appointment.objects.count(),
        list(Slot.objects.values_list("booked", flat=True)),
        AuditEvent.objects.filter(outcome="success").count(),
        Notification.objects.count(),
    )
    with translation.override("en"), pytest.raises(ServiceError) as exc:
        fn()
    assert str(exc.value.as_dict()["message"]) == message
    after = (
        Appointment.objects.count(),
        list(Slot.objects.values_list("booked", flat=True)),
        AuditEvent.objects.filter(outcome="success").count(),
        Notification.objects.count(),
    )
    assert after == before, "a refused booking changed something"
    return exc.value


def test_book_confirms_with_code_audit_and_notification(hallset: Any) -> None:
    d = next_workday()
    audit_before = AuditEvent.objects.count()
    appt = _book(hallset, d=d, start="09:30")
    assert (appt.date, appt.start.strftime("%H:%M"), appt.end.strftime("%H:%M")) == (d, "09:30", "10:00")
    assert appt.category == hallset.extra["cat_a"]
    assert len(appt.code) == 8
    assert appt.item_name == "营业执照设立登记"
    assert Slot.objects.get(category=appt.category, date=d, start=appt.start).booked == 1
    assert AuditEvent.objects.count() == audit_before + 1
    assert AuditEvent.objects.order_by("-id").first().action == "appointment.book"
    note = Notification.objects.get(object_id=str(appt.pk))
    assert appt.code in note.body


def test_item_goes_to_its_category(hallset: Any) -> None:
    appt = _book(hallset, item="ITEM-B")
    assert appt.category == hallset.extra["cat_b"]


def test_bad_bookings_are_refused_with_clear_messages_and_change_nothing(hallset: Any) -> None:
    d = next_workday()
    now = at(d - timedelta(days=1), "10:00")
    w = hallset
    _refused(lambda: _book(w, item="ITEM-S"), "This hall does not handle this item.")
    _refused(lambda: _book(w, item="NOPE"), "This hall does not handle this item.")
    _refused(lambda: _book(w, hall=w.other_hall), "This hall does not handle this item.")
    _refused(lambda: _book(w, d=d, now=at(d, "10:00"), start="09:00"), "This time has already passed.")
    _refused(lambda: _book(w, d=d - timedelta(days=3), now=now), "This time has already passed.")
    _refused(lambda: _book(w, d=d, start="09:10"), "There is no appointment slot at 09:10 on this day.")
    _refused(lambda: _book(w, d=d, start="21:00"), "There is no appointment slot at 21:00 on this day.")
    cal = selectors.work_calendar()
    last = cal.add_workdays(now.date(), 7)
    far = last + timedelta(days=1)
    while not selectors.hall_hours_on(w.hall, far):
        far += timedelta(days=1)
    _refused(
        lambda: _book(w, d=far, now=now),
        f"Bookings are open up to 7 working days ahead (until {last:%Y-%m-%d}).",
    )
    services.special_day_set(actor=w.users["hall_manager"], hall=w.hall, date=d, closed=True)
    _refused(lambda: _book(w, d=d, now=now), f"The hall is closed on {d:%Y-%m-%d}.")


def test_full_slot_twice_and_limits(hallset: Any) -> None:
    w = hallset
    cfg = HallConfig.objects.get(hall=w.hall)  # saved as the admin saves it (moves the halls' generation)
    cfg.per_person_per_day, cfg.per_person_open = 2, 3
    cfg.save()
    w.extra["cat_a"].capacity_override = 1
    w.extra["cat_a"].save()
    d = next_workday()
    _book(w, d=d, start="09:00")
    other = applicants(1, "full")[0]
    _refused(
        lambda: _book(w, other, d=d, start="09:00"),
        "This time slot is fully booked. Please choose another time.",
    )
    _refused(lambda: _book(w, d=d, start="09:00"), "You have already booked this time slot.")
    _book(w, d=d, start="10:00")
    _refused(lambda: _book(w, d=d, start="11:00"), "You can book at most 2 appointments a day at this hall.")
    d2 = next_workday(d)
    _book(w, d=d2, start="10:00")
    d3 = next_workday(d2)
    _refused(
        lambda: _book(w, d=d3, start="10:00", now=at(d - timedelta(days=1), "10:00")),
        "You already have 3 open appointments at this hall, the most allowed.",
    )


def test_noshow_block_three_in_thirty_days_blocks_seven_days(hallset: Any) -> None:
    w = hallset
    user = w.users["applicant"]
    base = next_workday()
    missed = []
    d = base
    for _ in range(3):
        appt = _book(w, d=d, start="09:00")
        missed.append(appt)
        d = next_workday(d)
    # the sweep after the last one's time marks all three as no-shows
    assert services.appointments_mark_no_shows(now=at(d, "12:00")) == 3
    last = max(a.date for a in missed)
    until = last + timedelta(days=7)
    day = next_workday(last)
    _refused(
        lambda: services.appointment_book(
            actor=user, hall=w.hall, item_code="ITEM-A", date=day, start="15:00", now=at(last, "20:00")
        ),
        f"You missed 3 appointments within 30 days, so you cannot book until {until:%Y-%m-%d}.",
    )
    # after the block the person may book again
    free = next_workday(until - timedelta(days=1))
    ok = services.appointment_book(
        actor=user,
        hall=w.hall,
        item_code="ITEM-A",
        date=free,
        start="15:00",
        now=at(until, "07:00") if free > until else at(free, "07:00"),
    )
    assert ok.status == "booked"


def test_cancel_and_reschedule_until_cutoff(hallset: Any) -> None:
    w = hallset
    d = next_workday()
    appt = _book(w, d=d, start="09:00")
    slot = appt.slot
    moved = services.appointment_reschedule(
        actor=w.users["applicant"], appointment=appt, date=d, start="14:00", now=at(d, "07:00")
    )
    assert (moved.code, moved.start.strftime("%H:%M")) == (appt.code, "14:00")
    slot.refresh_from_db()
    assert slot.booked == 0
    assert Slot.objects.get(pk=moved.slot_id).booked == 1
    _refused(
        lambda: services.appointment_cancel(
            actor=w.users["applicant"], appointment=moved, now=at(d, "13:30")
        ),
        "Appointments can be cancelled or changed until 60 minutes before they start.",
    )
    _refused(
        lambda: services.appointment_reschedule(
            actor=w.users["applicant"], appointment=moved, date=d, start="16:00", now=at(d, "13:01")
        ),
        "Appointments can be cancelled or changed until 60 minutes before they start.",
    )
    services.appointment_cancel(actor=w.users["applicant"], appointment=moved, now=at(d, "12:59"))
    moved.refresh_from_db()
    assert moved.status == "cancelled"
    assert Slot.objects.get(pk=moved.slot_id).booked == 0
    _refused(
        lambda: services.appointment_cancel(
            actor=w.users["applicant"], appointment=moved, now=at(d, "07:00")
        ),
        "Only a booked appointment can be cancelled or changed.",
    )


def test_someone_elses_appointment_cannot_be_cancelled(hallset: Any) -> None:
    from django.core.exceptions import PermissionDenied

    appt = _book(hallset)
    with pytest.raises(PermissionDenied):
        services.appointment_cancel(actor=hallset.users["agent"], appointment=appt)
    appt.refresh_from_db()
    assert appt.status == "booked"


def test_reminder_the_day_before_once(hallset: Any) -> None:
    d = next_workday()
    appt = _book(hallset, d=d)
    assert services.appointments_remind(now=at(d - timedelta(days=1), "18:00")) == 1
    assert services.appointments_remind(now=at(d - timedelta(days=1), "19:00")) == 0
    assert (
        Notification.objects.filter(dedupe_key__startswith=f"halls.appointment.{appt.pk}.reminder").count()
        == 1
    )


def test_capacity_derived_from_windows_and_overridable(hallset: Any) -> None:
    cat = hallset.extra["cat_a"]
    cfg = selectors.hall_config(hallset.hall)
    assert selectors.category_capacity(cat, cfg) == 1 * 30 // 10
    from yiwang.accounts.models import Window

    cat.windows.add(Window.objects.create(hall=hallset.hall, number="09", name="x"))
    cat = type(cat).objects.get(pk=cat.pk)
    assert selectors.category_capacity(cat, cfg) == 6
    cat.capacity_override = 2
    assert selectors.category_capacity(cat, cfg) == 2
