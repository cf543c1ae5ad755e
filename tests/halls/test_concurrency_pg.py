"""Concurrency on PostgreSQL: threads with their own database connections race for slots and numbers.

Skipped on SQLite (its writers are serialised by the database lock, so the race cannot happen there).
"""

from __future__ import annotations

import os
import threading
from datetime import timedelta
from typing import TYPE_CHECKING, Any

import pytest
from django.db import connection
from django.utils import translation

from yiwang.core.errors import ServiceError
from yiwang.halls import services
from yiwang.halls.models import Appointment, BusinessCategory, Slot, Ticket

from .helpers import applicants, at, make_item, next_workday, setup_hall

if TYPE_CHECKING:
    from collections.abc import Callable

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

THREADS = 40  # each with its own connection; stays well below max_connections (100)
REPEATS = int(os.environ.get("YIWANG_BOOKING_RACE_REPEATS", "50"))


def _race(jobs: list[Callable[[], Any]]) -> list[Any]:
    """Run ``jobs`` on THREADS threads that start together; return each job's result or exception."""
    results: list[Any] = [None] * len(jobs)
    barrier = threading.Barrier(THREADS)

    def worker(k: int) -> None:
        try:
            barrier.wait()
            for i in range(k, len(jobs), THREADS):
                try:
                    results[i] = jobs[i]()
                except Exception as exc:
                    results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def test_200_concurrent_bookings_for_20_slots(world: Any) -> None:
    cats = setup_hall(world.hall, letters="A", capacity=1)
    make_item(world, "ITEM-A")
    people = applicants(200, "race")
    d = next_workday()
    now = at(d - timedelta(days=1), "10:00")
    starts = [f"{8 + i // 2:02d}:{(i % 2) * 30:02d}" for i in range(20)]  # 08:00 … 17:30
    for round_no in range(REPEATS):
        jobs = [(lambda u=u, s=starts[i % 20]: _book(u, world.hall, d, s, now)) for i, u in enumerate(people)]
        results = _race(jobs)
        made = [r for r in results if isinstance(r, Appointment)]
        refused = [r for r in results if isinstance(r, ServiceError)]
        other = [r for r in results if not isinstance(r, Appointment | ServiceError)]
        assert not other, f"round {round_no}: unexpected {other[:3]}"
        assert (len(made), len(refused)) == (20, 180), f"round {round_no}"
        assert {r.code for r in refused} == {"full"}
        assert {r.as_dict()["message"] for r in refused} == {
            "This time slot is fully booked. Please choose another time."
        }
        assert sorted(a.start.strftime("%H:%M") for a in made) == sorted(starts)
        assert (
            list(Slot.objects.filter(category=cats[0], date=d).values_list("booked", flat=True)) == [1] * 20
        )
        assert Appointment.objects.filter(status="booked").count() == 20
        # start the next round from empty slots (test set-up, not a service)
        Appointment.objects.all().delete()
        Slot.objects.update(booked=0)


def _book(user: Any, hall: Any, d: Any, start: str, now: Any) -> Appointment:
    with translation.override("en"):
        appt = services.appointment_book(
            actor=user, hall=hall, item_code="ITEM-A", date=d, start=start, now=now
        )
        return appt


def test_500_concurrent_ticket_requests_get_500_distinct_numbers_in_order(world: Any) -> None:
    setup_hall(world.hall, letters="A")
    d = next_workday()
    clerk = world.users["clerk"]
    now = at(d, "10:00")
    jobs = [
        (lambda: services.ticket_take(actor=clerk, hall=world.hall, category_letter="A", now=now))
        for _ in range(500)
    ]
    results = _race(jobs)
    errors = [r for r in results if not isinstance(r, Ticket)]
    assert not errors, errors[:3]
    tickets = list(Ticket.objects.filter(hall=world.hall, date=d).order_by("id"))
    assert len({t.number for t in tickets}) == 500
    assert [t.number for t in tickets] == [
        f"A{n:03d}" for n in range(1, 501)
    ]  # creation order = number order
    assert BusinessCategory.objects.get(hall=world.hall, letter="A") is not None
