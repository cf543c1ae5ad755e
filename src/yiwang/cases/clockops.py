"""The case's statutory clock: the kernel holds a ``yiwang.workdays`` Clock and never counts days itself.

A workflow transition names a clock effect (start, pause, resume, extend, stop); this module maps it
onto the workdays services and copies the clock's due date onto the case. ``start`` replaces a
running clock (e.g. the 5-day acceptance clock gives way to the decision clock on acceptance).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, time
from typing import Any

from django.utils import timezone

from yiwang.workdays import services as clocks
from yiwang.workdays.calendar import get_calendar

from .workflow import ClockEffect


def start_moment(day: date) -> datetime:
    """The moment a clock counting from ``day`` starts: now if that is today, else the day's first minute."""
    now = timezone.now()
    if day == timezone.localdate(now):
        return now
    return timezone.make_aware(datetime.combine(day, time(0, 0)))


def _stop_if_running(case: Any, actor: Any) -> None:
    if case.clock_id is not None and case.clock.stopped_at is None:
        clocks.clock_stop(
            actor=actor, clock=case.clock, reason="replaced", at=max(timezone.now(), case.clock.started_at)
        )


def start(*, case: Any, actor: Any, limit: int, started_at: datetime | None = None, label: str = "") -> Any:
    _stop_if_running(case, actor)
    clock = clocks.clock_start(
        actor=actor,
        started_at=started_at or timezone.now(),
        limit_kind="working_days",
        limit_value=int(limit),
        label=label,
        subject=f"{case.number or ''} {case.title}",
        office=case.owning_office,
        responsible=case.assignee,
    )
    case.clock = clock
    case.due_date = clock.due_date
    return clock


def apply(*, case: Any, effect: str, actor: Any, args: Mapping[str, Any]) -> None:
    if effect == ClockEffect.START:
        start(
            case=case,
            actor=actor,
            limit=int(args.get("limit", 0)),
            started_at=args.get("started_at"),
            label=str(args.get("label", "")),
        )
        return
    clock = case.clock
    if clock is None:
        return
    if effect == ClockEffect.PAUSE:
        if clock.stopped_at is None:
            clocks.clock_pause(
                actor=actor,
                clock=clock,
                kind=str(args.get("kind", "correction")),
                reason=str(args.get("reason", ""))[:300],
            )
    elif effect == ClockEffect.RESUME:
        if clock.stopped_at is None and clock.pauses.filter(ended_at__isnull=True).exists():
            clocks.clock_resume(actor=actor, clock=clock, kind=args.get("kind"))
    elif effect == ClockEffect.EXTEND:
        clocks.clock_extend(
            actor=actor,
            clock=clock,
            days=int(args["days"]),
            reason=str(args.get("reason", "-")),
            approved_by=args.get("approved_by") or actor,
        )
    elif effect == ClockEffect.STOP and clock.stopped_at is None:
        clocks.clock_stop(
            actor=actor,
            clock=clock,
            reason=str(args.get("reason", "")),
            at=max(timezone.now(), clock.started_at),
        )
    clock.refresh_from_db()
    case.clock = clock
    case.due_date = clock.due_date
    if effect == ClockEffect.STOP and args.get("decision"):
        today = timezone.localdate()
        case.decided_on = today
        case.timeliness = timeliness(due=clock.due_date, done=today)


def due_date(case: Any) -> date | None:
    return case.clock.due_date if case.clock_id is not None else None


def timeliness(*, due: date | None, done: date) -> str:
    """early / on_time / late, comparing the day of decision with the due date."""
    if due is None:
        return "on_time"
    if done < due:
        return "early"
    return "on_time" if done == due else "late"


def add_workdays(day: date, n: int) -> date:
    """A date n working days after ``day`` (for promise deadlines and the acceptance window)."""
    return get_calendar().add_workdays(day, n)


def workdays_between(a: date, b: date) -> int:
    return get_calendar().workdays_between(a, b)
