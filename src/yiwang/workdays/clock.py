"""The clock's arithmetic: dataclasses in, due date + remaining + state + explanation out. No ORM.

Conventions (docs/adr/0010-working-day-counting.md):

* The clock starts on the local date of ``started_at``; that day is not counted (民法典 Art. 201).
* A pause from D1 to D2 excludes the days in ``(D1, D2]``: the day the pause begins was spent
  on the case and counts; the day it ends is treated like a new start and does not count
  (行政许可法 Art. 45: the time of hearings, testing, expert review … "不计算在期限内").
  For a working-day clock the due date moves by the number of *working* days in ``(D1, D2]``;
  for a calendar-day clock by the calendar days; for an hour clock by the paused hours.
* Overlapping pauses are merged: a day is excluded once, however many pauses cover it.
* An open pause runs to ``now``: the due date shown is the one that holds if it ends today.
* Extensions add to the limit, in the clock's unit, whenever they are granted (also while paused).
* A calendar-day clock whose last day is not a working day ends on the next working day (民法典
  Art. 203). Working-day and calendar-day clocks are due at the end of the due date (local time).
* A stopped clock is frozen at ``stopped_at``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from .engine import WorkCalendar

WORKING_DAYS = "working_days"
CALENDAR_DAYS = "calendar_days"
HOURS = "hours"
LIMIT_KINDS = (WORKING_DAYS, CALENDAR_DAYS, HOURS)

RUNNING = "running"
PAUSED = "paused"
DUE_SOON = "due_soon"
OVERDUE = "overdue"
STOPPED = "stopped"
STATES = (RUNNING, PAUSED, DUE_SOON, OVERDUE, STOPPED)

DEFAULT_TZ = ZoneInfo("Asia/Shanghai")


@dataclass(frozen=True)
class Pause:
    kind: str
    start: datetime
    end: datetime | None = None  # None: still open
    reason: str = ""


@dataclass(frozen=True)
class Extension:
    days: int  # in the clock's unit
    reason: str = ""
    approved_by: str = ""
    at: datetime | None = None


@dataclass(frozen=True)
class ClockSpec:
    started_at: datetime
    limit_kind: str
    limit: int
    pauses: Sequence[Pause] = ()
    extensions: Sequence[Extension] = ()
    stopped_at: datetime | None = None
    due_soon_within: int = 3


@dataclass
class ClockResult:
    due_date: date
    due_at: datetime
    provisional: bool
    state: str
    remaining: int  # in the clock's unit; negative when overdue (amount overdue)
    unit: str
    limit_total: int  # limit + extensions
    excluded: int  # units not counted because of pauses
    explanation: dict[str, Any] = field(default_factory=dict)


# --- helpers -------------------------------------------------------------------------------------


def _local(dt: datetime, tz: tzinfo) -> datetime:
    return dt.astimezone(tz) if dt.tzinfo else dt.replace(tzinfo=tz)


def _merge(intervals: list[tuple[Any, Any]]) -> list[tuple[Any, Any]]:
    """Merge half-open intervals ``(a, b]`` that overlap or touch."""
    out: list[tuple[Any, Any]] = []
    for a, b in sorted(intervals):
        if b <= a:
            continue
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def _walk(
    start: Any,
    n: int,
    intervals: list[tuple[Any, Any]],
    advance: Callable[[Any, int], Any],
    count: Callable[[Any, Any], int],
) -> tuple[Any, list[tuple[Any, Any, int]]]:
    """Advance ``n`` units from ``start``, skipping the merged ``intervals``. Returns the end and
    the intervals actually skipped with the units each one excluded."""
    cursor, remaining = start, n
    applied: list[tuple[Any, Any, int]] = []
    for a, b in intervals:
        if b <= cursor:
            continue
        a = max(a, cursor)
        if count(cursor, a) >= remaining:
            break
        remaining -= count(cursor, a)
        applied.append((a, b, count(a, b)))
        cursor = b
    return advance(cursor, remaining), applied


# --- the computation --------------------------------------------------------------------------


def compute(spec: ClockSpec, cal: WorkCalendar, now: datetime, tz: tzinfo = DEFAULT_TZ) -> ClockResult:
    if spec.limit_kind not in LIMIT_KINDS:
        raise ValueError(f"unknown limit kind {spec.limit_kind!r}")
    if spec.limit < 0:
        raise ValueError("the limit cannot be negative")
    started = _local(spec.started_at, tz)
    at = _local(spec.stopped_at, tz) if spec.stopped_at else _local(now, tz)
    at = max(at, started)
    ext_total = sum(e.days for e in spec.extensions)
    total = spec.limit + ext_total
    open_pause = spec.stopped_at is None and any(p.end is None for p in spec.pauses)

    if spec.limit_kind == HOURS:
        return _compute_hours(spec, started, at, total, ext_total, open_pause, cal, tz)

    start_date = started.date()
    today = at.date()
    raw = []
    for p in spec.pauses:
        a = _local(p.start, tz).date()
        b = _local(p.end, tz).date() if p.end else today
        raw.append((max(a, start_date), b))
    merged = _merge(raw)

    if spec.limit_kind == WORKING_DAYS:
        due, applied = _walk(start_date, total, merged, cal.add_workdays, cal.workdays_between)
        rolled_from = None
    else:
        due, applied = _walk(
            start_date, total, merged, lambda d, k: d + timedelta(days=k), lambda x, y: (y - x).days
        )
        rolled_from = None
        if total > 0 and not cal.is_workday(due):
            rolled_from, due = due, cal.next_workday(due)
    excluded = sum(k for _a, _b, k in applied)
    due_at = datetime.combine(due + timedelta(days=1), time.min, tzinfo=tz)
    provisional = cal.is_provisional(start_date, due) or (
        rolled_from is not None and cal.is_provisional(start_date, rolled_from)
    )

    count = cal.workdays_between if spec.limit_kind == WORKING_DAYS else (lambda x, y: (y - x).days)
    remaining = count(today, due) if today <= due else -count(due, today)
    state = _state(spec, remaining, at >= due_at, open_pause)

    explanation = _explain_days(
        spec,
        cal,
        start_date,
        due,
        total,
        ext_total,
        merged,
        applied,
        rolled_from,
        provisional,
        today,
        remaining,
        state,
        tz,
    )
    return ClockResult(
        due, due_at, provisional, state, remaining, spec.limit_kind, total, excluded, explanation
    )


def _state(spec: ClockSpec, remaining: int, past_due: bool, open_pause: bool) -> str:
    if spec.stopped_at is not None:
        return STOPPED
    if past_due:
        return OVERDUE
    if open_pause:
        return PAUSED
    if remaining <= spec.due_soon_within:
        return DUE_SOON
    return RUNNING


def _pause_rows(
    spec: ClockSpec,
    applied: list[tuple[Any, Any, int]],
    to_key: Callable[[Any], Any],
    count: Callable[[Any, Any], int],
    open_end: Any,
    tz: tzinfo,
) -> list[dict[str, Any]]:
    """Each pause with the units it alone added (a unit covered by two pauses counts once)."""
    rows = []
    taken: list[tuple[Any, Any]] = []
    for p in sorted(spec.pauses, key=lambda p: p.start):
        a = to_key(p.start)
        b = to_key(p.end) if p.end else open_end
        own = 0
        for x, y, _k in applied:
            lo, hi = max(a, x), min(b, y)
            if hi <= lo:
                continue
            # subtract what earlier pauses already excluded inside [lo, hi]
            segs = [(lo, hi)]
            for tx, ty in taken:
                nxt = []
                for s0, s1 in segs:
                    if ty <= s0 or tx >= s1:
                        nxt.append((s0, s1))
                        continue
                    if tx > s0:
                        nxt.append((s0, tx))
                    if ty < s1:
                        nxt.append((ty, s1))
                segs = nxt
            own += sum(count(s0, s1) for s0, s1 in segs)
        taken.append((a, b))
        rows.append(
            {
                "kind": p.kind,
                "start": _local(p.start, tz).isoformat(),
                "end": _local(p.end, tz).isoformat() if p.end else None,
                "open": p.end is None,
                "reason": p.reason,
                "excluded": own,
            }
        )
    return rows


def _ext_rows(spec: ClockSpec, tz: tzinfo) -> list[dict[str, Any]]:
    return [
        {
            "days": e.days,
            "reason": e.reason,
            "approved_by": e.approved_by,
            "at": _local(e.at, tz).isoformat() if e.at else None,
        }
        for e in spec.extensions
    ]


def _explain_days(
    spec: ClockSpec,
    cal: WorkCalendar,
    start: date,
    due: date,
    total: int,
    ext_total: int,
    merged: list[tuple[date, date]],
    applied: list[tuple[date, date, int]],
    rolled_from: date | None,
    provisional: bool,
    today: date,
    remaining: int,
    state: str,
    tz: tzinfo,
) -> dict[str, Any]:
    working = spec.limit_kind == WORKING_DAYS
    count = cal.workdays_between if working else (lambda x, y: (y - x).days)
    paused_ranges = [(a, b) for a, b, _k in applied]
    days = []
    d = start + timedelta(days=1)
    while d <= due:
        info = cal.day_info(d)
        paused = any(a < d <= b for a, b in paused_ranges)
        if paused:
            status = "paused" if (info.working or not working) else "skipped"
        elif rolled_from is not None and d > rolled_from:
            status = "rolled"
        else:
            status = "counted" if (info.working or not working) else "skipped"
        days.append({"date": d.isoformat(), "kind": info.kind, "name": info.name, "status": status})
        d += timedelta(days=1)
    counted = sum(1 for x in days if x["status"] == "counted")
    excluded = sum(k for _a, _b, k in applied)
    return {
        "limit_kind": spec.limit_kind,
        "start": start.isoformat(),
        "start_rule": "start_day_not_counted",
        "limit": spec.limit,
        "extensions": _ext_rows(spec, tz),
        "extension_total": ext_total,
        "limit_total": total,
        "pauses": _pause_rows(spec, applied, lambda dt: _local(dt, tz).date(), count, today, tz),
        "excluded": excluded,
        "counted": counted,
        "calendar_days": (due - start).days,
        "holidays": [x for x in days if x["kind"] == "holiday"],
        "makeup_days": [x for x in days if x["kind"] == "makeup"],
        "weekend_days": sum(1 for x in days if x["kind"] == "weekend"),
        "rolled_from": rolled_from.isoformat() if rolled_from else None,
        "due": due.isoformat(),
        "provisional": provisional,
        "unpublished_years": cal.unpublished_years(start, due),
        "as_of": today.isoformat(),
        "remaining": remaining,
        "state": state,
        "day_by_day": days,
    }


def _compute_hours(
    spec: ClockSpec,
    started: datetime,
    at: datetime,
    total: int,
    ext_total: int,
    open_pause: bool,
    cal: WorkCalendar,
    tz: tzinfo,
) -> ClockResult:
    raw = [(max(_local(p.start, tz), started), _local(p.end, tz) if p.end else at) for p in spec.pauses]
    merged = _merge(raw)

    def hours_between(x: datetime, y: datetime) -> int:
        return int((y - x).total_seconds())  # seconds internally

    due_at, applied = _walk(
        started, total * 3600, merged, lambda x, s: x + timedelta(seconds=s), hours_between
    )
    excluded_s = sum(k for _a, _b, k in applied)
    left_s = (due_at - at).total_seconds()
    remaining = int(left_s // 3600) if left_s >= 0 else -int(-left_s // 3600)
    state = _state(spec, remaining, at >= due_at, open_pause)
    due_date = due_at.date()
    provisional = cal.is_provisional(started.date(), due_date)
    explanation = {
        "limit_kind": HOURS,
        "start": started.isoformat(),
        "start_rule": "hours_from_start",
        "limit": spec.limit,
        "extensions": _ext_rows(spec, tz),
        "extension_total": ext_total,
        "limit_total": total,
        "pauses": _pause_rows(spec, applied, lambda dt: max(_local(dt, tz), started), hours_between, at, tz),
        "excluded": excluded_s // 3600,
        "excluded_seconds": excluded_s,
        "counted": total,
        "due": due_at.isoformat(),
        "provisional": provisional,
        "unpublished_years": [],
        "as_of": at.isoformat(),
        "remaining": remaining,
        "state": state,
        "day_by_day": [],
    }
    for row in explanation["pauses"]:
        row["excluded_seconds"] = row["excluded"]
        row["excluded"] = row["excluded"] // 3600
    return ClockResult(
        due_date, due_at, provisional, state, remaining, HOURS, total, excluded_s // 3600, explanation
    )
