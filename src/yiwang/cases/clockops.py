"""The case's statutory clocks: the kernel holds ``yiwang.workdays`` clocks and never counts days itself.

A case may run several clocks at once, each with a purpose (acceptance, decision, reply, sign-off …)
and a unit (working days, calendar days, hours); one is *primary* and drives ``Case.due_date``. A
workflow transition names its clock steps (``ClockStep``); this module maps each onto the workdays
services. ``start`` replaces a running clock of the same purpose. The clock services are called with
``audit=False``: the transition's one audit event records what happened to each clock.
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from yiwang.workdays import services as clocks
from yiwang.workdays.calendar import get_calendar
from yiwang.workdays.models import Clock

from .models import CaseClock
from .workflow import EVERY_CLOCK, ClockEffect, ClockStep

if TYPE_CHECKING:
    from collections.abc import Mapping

    from yiwang.accounts.models import User

    from .models import Case


def start_moment(day: date) -> datetime:
    """The moment a clock counting from ``day`` starts: now if that is today, else the day's first minute."""
    now = timezone.now()
    if day == timezone.localdate(now):
        return now
    return timezone.make_aware(datetime.combine(day, time(0, 0)))


def case_clocks(case: Case) -> list[CaseClock]:
    """The case's clocks, oldest first (cached on the case for one transition)."""
    cached: list[CaseClock] | None = getattr(case, "_clocks_cache", None)
    if cached is None:
        cached = list(CaseClock.objects.filter(case=case).select_related("clock").order_by("id"))
        case._clocks_cache = cached  # type: ignore[attr-defined]
    return cached


def current(case: Case, purpose: str) -> CaseClock | None:
    """The latest clock of a purpose (``EVERY_CLOCK``: the primary one)."""
    rows = case_clocks(case)
    if purpose == EVERY_CLOCK:
        return next((r for r in reversed(rows) if r.primary), None)
    return next((r for r in reversed(rows) if r.purpose == purpose), None)


def _running(case: Case, purpose: str) -> list[CaseClock]:
    rows = case_clocks(case)
    return [r for r in rows if r.clock.stopped_at is None and purpose in (EVERY_CLOCK, r.purpose)]


def _stop(actor: User | None, row: CaseClock, reason: str) -> None:
    row.clock = clocks.clock_stop(
        actor=actor, clock=row.clock, reason=reason, at=max(timezone.now(), row.clock.started_at), audit=False
    )


def start(
    *,
    case: Case,
    actor: User | None,
    limit: int,
    purpose: str = "main",
    unit: str = "working_days",
    primary: bool = True,
    started_at: datetime | None = None,
    label: str = "",
    due_soon_within: int = 3,
    max_extensions: int = 1,
) -> CaseClock:
    """Start a clock of ``purpose`` (stopping a running one of the same purpose). ``due_soon_within`` and
    ``max_extensions`` are in the clock's unit and count (an hour clock warns hours before)."""
    for row in _running(case, purpose):
        _stop(actor, row, "replaced")
    clock = clocks.clock_start(
        actor=actor,
        started_at=started_at or timezone.now(),
        limit_kind=unit,
        limit_value=int(limit),
        label=label,
        subject=f"{case.number or ''} {case.title}",
        office=case.owning_office,
        responsible=case.assignee,
        due_soon_within=due_soon_within,
        max_extensions=max_extensions,
        audit=False,
    )
    if primary:
        CaseClock.objects.filter(case=case, primary=True).update(primary=False)
        for r in case_clocks(case):
            r.primary = False
    row = CaseClock.objects.create(case=case, purpose=purpose, clock=clock, primary=primary)
    case_clocks(case).append(row)
    if primary:
        case.clock = clock
        case.due_date = clock.due_date
        case.due_at = clock.due_at
    return row


def apply(*, case: Case, step: ClockStep, actor: User | None, args: Mapping[str, Any]) -> dict[str, Any]:
    """Apply one clock step; returns what happened, for the transition's event and audit entry."""
    if step.effect == ClockEffect.START:
        row = start(
            case=case,
            actor=actor,
            limit=int(args.get("limit", 0)),
            purpose=step.purpose,
            unit=str(args.get("unit", step.unit)),
            primary=step.primary,
            started_at=args.get("started_at"),
            label=str(args.get("label", "")),
            due_soon_within=int(args.get("due_soon_within", 3)),
            max_extensions=int(args.get("max_extensions", 1)),
        )
        return _summary(step, row)
    if step.effect == ClockEffect.STOP:
        rows = _running(case, step.purpose)
        for row in rows:
            _stop(actor, row, str(args.get("reason", "")))
        done = {"effect": step.effect, "purpose": step.purpose, "clocks": [r.clock_id for r in rows]}
        _sync_primary(case)
        if args.get("decision"):
            today = timezone.localdate()
            decided = next((r for r in rows if r.primary), None)
            case.decided_on = today
            case.timeliness = timeliness(due=decided.clock.due_date if decided else case.due_date, done=today)
        return done
    found = current(case, step.purpose)
    if found is None or found.clock.stopped_at is not None:
        return {"effect": step.effect, "purpose": step.purpose, "clocks": []}
    row = found
    clock = row.clock
    if step.effect == ClockEffect.PAUSE:
        clocks.clock_pause(
            actor=actor,
            clock=clock,
            kind=str(args.get("kind", "correction")),
            reason=str(args.get("reason", ""))[:300],
            audit=False,
        )
    elif step.effect == ClockEffect.RESUME:
        if clock.pauses.filter(ended_at__isnull=True).exists():
            clocks.clock_resume(actor=actor, clock=clock, kind=args.get("kind"), audit=False)
    elif step.effect == ClockEffect.EXTEND:
        clocks.clock_extend(
            actor=actor,
            clock=clock,
            days=int(args["days"]),
            reason=str(args.get("reason", "-")),
            approved_by=args.get("approved_by") or actor,
            audit=False,
        )
    row.clock = Clock.objects.get(pk=clock.pk)
    _sync_primary(case)
    return _summary(step, row)


def _summary(step: ClockStep, row: CaseClock) -> dict[str, Any]:
    c = row.clock
    return {
        "effect": step.effect,
        "purpose": row.purpose,
        "clock": c.pk,
        "unit": c.limit_kind,
        "limit": c.limit_value,
        "due": c.due_date.isoformat() if c.due_date else None,
        "state": c.state,
    }


def _sync_primary(case: Case) -> None:
    row = current(case, EVERY_CLOCK)
    if row is not None:
        case.clock = row.clock
        case.due_date = row.clock.due_date
        case.due_at = row.clock.due_at


def due_at(case: Case) -> datetime | None:
    return case.clock.due_at if case.clock_id is not None and case.clock is not None else None


def due_date(case: Case) -> date | None:
    return case.clock.due_date if case.clock_id is not None and case.clock is not None else None


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
