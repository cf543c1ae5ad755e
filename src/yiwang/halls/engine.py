"""Pure rules of halls, with no ORM: opening hours on a day, slot times, capacity, the no-show block,
waiting estimates, distances and percentiles. Tested exhaustively in tests/halls/test_engine.py."""

from __future__ import annotations

import math
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Sequence

Interval = tuple[time, time]


def parse_hours(raw: Iterable[Sequence[str]] | None) -> list[Interval]:
    """``[["09:00","12:00"], …]`` → sorted (start, end) pairs; empty or malformed pairs are dropped."""
    out: list[Interval] = []
    for pair in raw or []:
        try:
            start, end = (time.fromisoformat(str(pair[0])), time.fromisoformat(str(pair[1])))
        except (ValueError, IndexError, TypeError):
            continue
        if start < end:
            out.append((start, end))
    return sorted(out)


def _weekday_template(weekly: dict[str, list[list[str]]]) -> list[Interval]:
    """The hours a hall keeps on an ordinary working day (used for make-up working weekends)."""
    for key in ("1", "2", "3", "4", "5"):
        hours = parse_hours(weekly.get(key))
        if hours:
            return hours
    return []


def in_holiday_period(d: date, is_workday: Callable[[date], bool]) -> bool:
    """Whether a non-working day belongs to a statutory holiday rather than an ordinary weekend.

    The run of consecutive non-working days around ``d`` is a holiday period when it contains a
    Monday-to-Friday day (an ordinary weekend has only Saturday and Sunday)."""
    if is_workday(d):
        return False
    for step in (-1, 1):
        cur = d
        for _ in range(20):
            if cur.isoweekday() <= 5:
                return True
            cur = cur + timedelta(days=step)
            if is_workday(cur):
                break
    return d.isoweekday() <= 5


def hours_on(
    d: date,
    weekly: dict[str, list[list[str]]],
    is_workday: Callable[[date], bool],
    special: tuple[bool, list[list[str]]] | None = None,
    is_holiday: Callable[[date], bool] | None = None,
) -> list[Interval]:
    """A hall's opening intervals on ``d``.

    Order of rules: a special day of the hall decides alone; a statutory holiday closes the hall;
    a make-up working day (调休, a weekend day that is a working day) opens it with ordinary
    weekday hours; otherwise the weekly hours of that weekday apply (some halls open on Saturdays)."""
    if special is not None:
        closed, hours = special
        return [] if closed else parse_hours(hours)
    weekly = weekly or {}
    if is_workday(d):
        own = parse_hours(weekly.get(str(d.isoweekday())))
        if d.isoweekday() <= 5:
            return own
        return _weekday_template(weekly) or own  # 调休: a make-up Saturday or Sunday works a weekday
    if is_holiday(d) if is_holiday is not None else in_holiday_period(d, is_workday):
        return []
    return parse_hours(weekly.get(str(d.isoweekday())))


def _add(t: time, minutes: int) -> datetime:
    return datetime.combine(date(2000, 1, 1), t) + timedelta(minutes=minutes)


def slot_times(hours: Iterable[Interval], slot_minutes: int, buffer_minutes: int = 0) -> list[Interval]:
    """Slots of ``slot_minutes`` inside each opening interval, ``buffer_minutes`` apart."""
    out: list[Interval] = []
    if slot_minutes <= 0:
        return out
    for start, end in hours:
        cur = datetime.combine(date(2000, 1, 1), start)
        stop = datetime.combine(date(2000, 1, 1), end)
        while cur + timedelta(minutes=slot_minutes) <= stop:
            nxt = cur + timedelta(minutes=slot_minutes)
            out.append((cur.time(), nxt.time()))
            cur = nxt + timedelta(minutes=buffer_minutes)
    return out


def derived_capacity(windows: int, slot_minutes: int, avg_service_minutes: int) -> int:
    """Bookings per slot: serving windows × slot length ÷ average service time (rounded down)."""
    if windows <= 0 or avg_service_minutes <= 0:
        return 0
    return (windows * slot_minutes) // avg_service_minutes


def is_open_at(hours: Iterable[Interval], at: time) -> bool:
    return any(start <= at < end for start, end in hours)


def blocked_until(
    noshows: Iterable[date], today: date, *, limit: int, window_days: int, block_days: int
) -> date | None:
    """The first day on which booking is allowed again, or None when not blocked.

    ``limit`` no-shows within ``window_days`` days block booking for ``block_days`` days counted
    from the no-show that reached the limit."""
    days = sorted(noshows)
    until: date | None = None
    for i in range(limit - 1, len(days)):
        if (days[i] - days[i - limit + 1]).days < window_days:
            end = days[i] + timedelta(days=block_days)
            if end > today and (until is None or end > until):
                until = end
    return until


def wait_minutes(ahead: int, windows: int, avg_minutes: float) -> int:
    """Estimated wait with ``ahead`` people in front, ``windows`` windows serving, given service time."""
    if ahead <= 0:
        return 0
    return int(math.ceil(ahead / max(1, windows)) * avg_minutes + 0.5)


def percentile(values: Sequence[float], p: float) -> float | None:
    """Linear-interpolated percentile (p in 0..100) of ``values``; None for no values."""
    if not values:
        return None
    xs = sorted(values)
    k = (len(xs) - 1) * p / 100.0
    lo = math.floor(k)
    hi = math.ceil(k)
    if lo == hi:
        return float(xs[int(k)])
    return float(xs[lo] + (xs[hi] - xs[lo]) * (k - lo))


def distance_km(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Great-circle distance (haversine) in kilometres."""
    r = 6371.0088
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp = p2 - p1
    dl = math.radians(lng2 - lng1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(math.sqrt(a))


def age_on(birth: date, on: date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))
