"""Real row locks, on PostgreSQL only: concurrent sweeps notify once; concurrent pauses open one pause;
a publication seen by every connection at once."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.utils import timezone

from yiwang.core.errors import Conflict
from yiwang.notifications.models import Notification
from yiwang.workdays import services
from yiwang.workdays.calendar import get_calendar
from yiwang.workdays.models import Clock, ClockEvent, ClockPause

SHANGHAI = ZoneInfo("Asia/Shanghai")

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _together(n: int, fn: Any) -> list[Any]:
    barrier = threading.Barrier(n)

    def run(_i: int) -> Any:
        try:
            barrier.wait()
            try:
                return fn()
            except Conflict as exc:
                return exc
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=n) as pool:
        return list(pool.map(run, range(n)))


def test_concurrent_sweeps_mark_and_notify_once(world: Any) -> None:
    now = timezone.now()
    for i in range(20):
        services.clock_start(
            actor=None,
            started_at=now - timedelta(days=40 + i),
            limit_kind="working_days",
            limit_value=1,
            responsible=world.users["reviewer"],
            subject=f"late {i}",
        )
    Clock.objects.update(state="running")
    results = _together(4, services.clocks_sweep)
    assert sum(r.changed for r in results) == 20
    assert sum(r.notified for r in results) == 20
    assert Notification.objects.count() == 20
    assert ClockEvent.objects.filter(kind="overdue").count() == 20


def test_concurrent_pauses_of_one_kind_open_one_pause() -> None:
    clock = services.clock_start(
        actor=None,
        started_at=datetime(2025, 9, 1, 10, tzinfo=SHANGHAI),
        limit_kind="working_days",
        limit_value=20,
    )
    results = _together(6, lambda: services.clock_pause(actor=None, clock=clock, kind="hearing"))
    assert sum(isinstance(r, ClockPause) for r in results) == 1
    assert sum(isinstance(r, Conflict) for r in results) == 5
    assert ClockPause.objects.filter(clock=clock, ended_at__isnull=True).count() == 1


def test_publication_is_seen_by_other_connections_at_once() -> None:
    assert get_calendar().is_published(2027) is False  # this connection's process cache is built

    def publish() -> None:
        try:
            services.calendar_import(actor=None, text="2027-01-01,holiday,元旦\n")
        finally:
            connection.close()

    t = threading.Thread(target=publish)
    t.start()
    t.join()
    cal = get_calendar()
    assert cal.is_published(2027) is True
    assert cal.is_workday(date(2027, 1, 1)) is False
