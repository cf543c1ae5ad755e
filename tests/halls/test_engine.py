"""The pure rules (no database) and calendar-aware opening hours."""

from __future__ import annotations

from datetime import date, time
from typing import Any

import pytest

from yiwang.halls import engine, selectors, services
from yiwang.halls.calendar import work_calendar

WEEKDAYS = {str(d): [["09:00", "12:00"], ["14:00", "18:00"]] for d in range(1, 6)}
WITH_SATURDAY = {**WEEKDAYS, "6": [["09:00", "12:00"]], "7": []}


def _cal() -> Any:
    return work_calendar()


@pytest.mark.django_db
def test_national_day_closed_and_makeup_saturday_open() -> None:
    cal = _cal()
    h = lambda d: engine.hours_on(d, WITH_SATURDAY, cal.is_workday, None, cal.is_holiday)  # noqa: E731
    assert h(date(2026, 10, 1)) == []  # Thursday, National Day
    assert (
        h(date(2026, 10, 3)) == []
    )  # Saturday inside the holiday: closed although the hall opens on Saturdays
    # Saturday 2026-10-10 is a make-up working day: open with ordinary weekday hours
    assert h(date(2026, 10, 10)) == [(time(9), time(12)), (time(14), time(18))]
    assert h(date(2026, 10, 17)) == [(time(9), time(12))]  # an ordinary Saturday: its own hours
    assert h(date(2026, 10, 18)) == []  # Sunday
    assert h(date(2026, 10, 9)) == [(time(9), time(12)), (time(14), time(18))]


def test_holiday_period_without_the_calendar_detail() -> None:
    workdays = {date(2026, 9, 30), date(2026, 10, 9), date(2026, 10, 10)}

    def is_workday(d: date) -> bool:
        return d in workdays or (d.isoweekday() <= 5 and not date(2026, 10, 1) <= d <= date(2026, 10, 8))

    assert engine.in_holiday_period(date(2026, 10, 3), is_workday)
    assert not engine.in_holiday_period(date(2026, 10, 17), is_workday)


def test_special_day_decides_alone() -> None:
    def always(d: date) -> bool:
        return True

    assert engine.hours_on(date(2026, 11, 23), WEEKDAYS, always, (True, [])) == []
    assert engine.hours_on(date(2026, 11, 22), WEEKDAYS, always, (False, [["10:00", "11:00"]])) == [
        (time(10), time(11))
    ]


def test_slot_times_with_buffer() -> None:
    hours = [(time(9), time(10)), (time(14), time(15))]
    assert engine.slot_times(hours, 30) == [
        (time(9), time(9, 30)),
        (time(9, 30), time(10)),
        (time(14), time(14, 30)),
        (time(14, 30), time(15)),
    ]
    assert engine.slot_times(hours, 20, 10) == [
        (time(9), time(9, 20)),
        (time(9, 30), time(9, 50)),
        (time(14), time(14, 20)),
        (time(14, 30), time(14, 50)),
    ]


def test_capacity_and_wait() -> None:
    assert engine.derived_capacity(3, 30, 10) == 9
    assert engine.derived_capacity(2, 30, 12) == 5
    assert engine.derived_capacity(0, 30, 10) == 0
    assert engine.wait_minutes(0, 2, 10) == 0
    assert engine.wait_minutes(5, 2, 10) == 30


def test_blocked_until() -> None:
    d = date
    kw = {"limit": 3, "window_days": 30, "block_days": 7}
    assert engine.blocked_until([d(2026, 1, 1), d(2026, 1, 10)], d(2026, 1, 11), **kw) is None
    three = [d(2026, 1, 1), d(2026, 1, 10), d(2026, 1, 20)]
    assert engine.blocked_until(three, d(2026, 1, 21), **kw) == d(2026, 1, 27)
    assert engine.blocked_until(three, d(2026, 1, 27), **kw) is None
    spread = [d(2026, 1, 1), d(2026, 1, 20), d(2026, 2, 5)]  # 35 days from first to third
    assert engine.blocked_until(spread, d(2026, 2, 6), **kw) is None


def test_percentile_and_distance() -> None:
    assert engine.percentile([], 90) is None
    assert engine.percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90) == pytest.approx(9.1)
    assert engine.distance_km(22.72, 114.248, 22.72, 114.248) == 0
    assert engine.distance_km(22.0, 114.0, 23.0, 114.0) == pytest.approx(111.2, abs=0.1)


@pytest.mark.django_db
def test_hall_on_holiday_and_makeup_day_through_selectors(world: Any) -> None:
    world.hall.opening_hours = WITH_SATURDAY
    world.hall.save()
    assert selectors.hall_hours_on(world.hall, date(2026, 10, 1)) == []
    assert selectors.hall_hours_on(world.hall, date(2026, 10, 10)) != []
    services.special_day_set(
        actor=world.users["hall_manager"],
        hall=world.hall,
        date=date(2026, 10, 10),
        closed=True,
        note="内部培训",
    )
    assert selectors.hall_hours_on(world.hall, date(2026, 10, 10)) == []
