"""The only writers of the calendar and the clocks. Keyword-only, one transaction each, and each
writes exactly one audit event (docs/architecture.md, layering rules 2 and 6)."""

from __future__ import annotations

import csv
import io
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from yiwang.accounts.models import User
from yiwang.audit.services import audit_record
from yiwang.core.errors import Conflict, ServiceError
from yiwang.core.generations import bump
from yiwang.notifications.services import notification_queue

from . import clock as engine_clock
from .calendar import get_calendar
from .engine import MAX_DAYS, CalendarRangeError, WorkCalendar
from .models import (
    CalendarEntry,
    CalendarVersion,
    CalendarYear,
    Clock,
    ClockEvent,
    ClockExtension,
    ClockPause,
)
from .pausekinds import pause_kinds

if TYPE_CHECKING:
    from collections.abc import Iterable

FUTURE_SKEW = timedelta(minutes=5)


# --- clocks: helpers --------------------------------------------------------------------------


def clock_spec(clock: Clock) -> engine_clock.ClockSpec:
    """The pure computation's input for a stored clock (pauses and extensions read from the database)."""
    return engine_clock.ClockSpec(
        started_at=clock.started_at,
        limit_kind=clock.limit_kind,
        limit=clock.limit_value,
        pauses=tuple(
            engine_clock.Pause(p.kind, p.started_at, p.ended_at, p.reason) for p in clock.pauses.all()
        ),
        extensions=tuple(
            engine_clock.Extension(e.days, e.reason, e.approved_by_name, e.created_at)
            for e in clock.extensions.all()
        ),
        stopped_at=clock.stopped_at,
        due_soon_within=clock.due_soon_within,
    )


def _compute(
    clock: Clock, *, now: datetime | None = None, cal: WorkCalendar | None = None
) -> engine_clock.ClockResult:
    return engine_clock.compute(
        clock_spec(clock), cal or get_calendar(), now or timezone.now(), timezone.get_default_timezone()
    )


def _apply(clock: Clock, result: engine_clock.ClockResult, cal: WorkCalendar, now: datetime) -> None:
    clock.due_date = result.due_date
    clock.due_at = result.due_at
    clock.provisional = result.provisional
    clock.state = result.state
    clock.remaining = result.remaining
    clock.calendar_version = cal.version
    clock.computed_at = now
    clock.save(
        update_fields=[
            "due_date",
            "due_at",
            "provisional",
            "state",
            "remaining",
            "calendar_version",
            "computed_at",
        ]
    )


def _event(
    clock: Clock,
    kind: str,
    *,
    actor: User | None,
    at: datetime,
    old: tuple[date | None, bool],
    data: dict[str, Any] | None = None,
) -> ClockEvent:
    return ClockEvent.objects.create(
        clock=clock,
        kind=kind,
        at=at,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        old_due=old[0],
        new_due=clock.due_date,
        old_provisional=old[1],
        new_provisional=clock.provisional,
        data=data or {},
    )


def _locked(clock: Clock) -> Clock:
    return Clock.objects.select_for_update().get(pk=clock.pk)


def _moment(at: datetime | None, clock: Clock, name: str = "at") -> datetime:
    now = timezone.now()
    at = at or now
    if timezone.is_naive(at):
        at = timezone.make_aware(at)
    if at < clock.started_at:
        raise ServiceError(fields={name: _("Cannot be before the clock started.")})
    if at > now + FUTURE_SKEW:
        raise ServiceError(fields={name: _("Cannot be in the future.")})
    return at


def _audit(actor: User | None, action: str, clock: Clock, old: tuple[date | None, bool], **data: Any) -> None:
    audit_record(
        actor=actor,
        action=action,
        obj=clock,
        data={
            **data,
            "old_due": old[0].isoformat() if old[0] else None,
            "new_due": clock.due_date.isoformat() if clock.due_date else None,
            "provisional": clock.provisional,
            "state": clock.state,
        },
    )


def _recompute_in_place(clock: Clock, *, cal: WorkCalendar, now: datetime) -> tuple[date | None, bool]:
    old = (clock.due_date, clock.provisional)
    _apply(clock, _compute(clock, now=now, cal=cal), cal, now)
    return old


def pause_kind_codes() -> set[str]:
    return {k.code for k in pause_kinds()}


# --- clocks: services ----------------------------------------------------------------------


def clock_start(
    *,
    actor: User | None,
    started_at: datetime,
    limit_kind: str,
    limit_value: int,
    label: str = "",
    subject: str = "",
    office: Any = None,
    responsible: Any = None,
    max_extensions: int = 1,
    due_soon_within: int = 3,
    audit: bool = True,
) -> Clock:
    """Create a clock and compute its due date. The caller decides ``started_at`` (e.g. the day of
    acceptance, or the next working day for a submission received on a holiday). ``audit=False`` when the
    caller's own audit event records the clock (a case transition)."""
    if limit_kind not in engine_clock.LIMIT_KINDS:
        raise ServiceError(fields={"limit_kind": _("Not one of the allowed values.")})
    if isinstance(limit_value, bool) or not isinstance(limit_value, int) or not 0 <= limit_value <= MAX_DAYS:
        raise ServiceError(
            fields={"limit_value": _("Enter a whole number from 0 to %(max)d.") % {"max": MAX_DAYS}}
        )
    if timezone.is_naive(started_at):
        started_at = timezone.make_aware(started_at)
    with transaction.atomic():
        clock = Clock.objects.create(
            label=label[:120],
            subject=subject[:200],
            started_at=started_at,
            limit_kind=limit_kind,
            limit_value=limit_value,
            office=office,
            responsible=responsible,
            max_extensions=max_extensions,
            due_soon_within=due_soon_within,
        )
        now = timezone.now()
        cal = get_calendar()
        try:
            old = _recompute_in_place(clock, cal=cal, now=now)
        except CalendarRangeError as exc:
            raise ServiceError(fields={"started_at": _("Outside the calendar's range.")}) from exc
        _event(
            clock,
            ClockEvent.Kind.STARTED,
            actor=actor,
            at=now,
            old=old,
            data={"limit_kind": limit_kind, "limit": limit_value},
        )
        if audit:
            _audit(actor, "clock.start", clock, old, limit_kind=limit_kind, limit=limit_value, label=label)
    return clock


def clock_pause(
    *,
    actor: User | None,
    clock: Clock,
    kind: str,
    at: datetime | None = None,
    reason: str = "",
    audit: bool = True,
) -> ClockPause:
    """Open a pause of a configured kind (补正, expert review …). Pauses of different kinds may overlap."""
    if kind not in pause_kind_codes():
        raise ServiceError(fields={"kind": _("Not one of the allowed values.")})
    with transaction.atomic():
        clock = _locked(clock)
        if clock.stopped_at is not None:
            raise Conflict(_("The clock is stopped."))
        at = _moment(at, clock)
        if clock.pauses.filter(kind=kind, ended_at__isnull=True).exists():
            raise Conflict(_("A pause of this kind is already open."))
        pause = ClockPause.objects.create(
            clock=clock,
            kind=kind,
            started_at=at,
            reason=reason[:300],
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        now = timezone.now()
        old = _recompute_in_place(clock, cal=get_calendar(), now=now)
        _event(
            clock,
            ClockEvent.Kind.PAUSED,
            actor=actor,
            at=now,
            old=old,
            data={"pause": pause.pk, "kind": kind, "from": at.isoformat(), "reason": reason},
        )
        if audit:
            _audit(actor, "clock.pause", clock, old, pause=pause.pk, kind=kind, at=at.isoformat())
    return pause


def clock_resume(
    *,
    actor: User | None,
    clock: Clock,
    at: datetime | None = None,
    kind: str | None = None,
    audit: bool = True,
) -> Clock:
    """Close the open pause (of ``kind``, or every open pause) at ``at``."""
    with transaction.atomic():
        clock = _locked(clock)
        open_pauses = clock.pauses.filter(ended_at__isnull=True)
        if kind:
            open_pauses = open_pauses.filter(kind=kind)
        pauses = list(open_pauses)
        if not pauses:
            raise Conflict(_("The clock is not paused."))
        at = _moment(at, clock)
        for p in pauses:
            if at < p.started_at:
                raise ServiceError(fields={"at": _("Cannot be before the pause started.")})
            p.ended_at = at
            p.save(update_fields=["ended_at"])
        now = timezone.now()
        old = _recompute_in_place(clock, cal=get_calendar(), now=now)
        ids = [p.pk for p in pauses]
        _event(
            clock,
            ClockEvent.Kind.RESUMED,
            actor=actor,
            at=now,
            old=old,
            data={"pauses": ids, "to": at.isoformat()},
        )
        if audit:
            _audit(actor, "clock.resume", clock, old, pauses=ids, at=at.isoformat())
    return clock


def clock_extend(
    *,
    actor: User | None,
    clock: Clock,
    days: int,
    reason: str,
    approved_by: Any = None,
    at: datetime | None = None,
    audit: bool = True,
) -> ClockExtension:
    """Add an approved extension (行政许可法 Art. 42: once, +10 working days, with the head's approval)."""
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= MAX_DAYS:
        raise ServiceError(fields={"days": _("Enter a whole number from 1 to %(max)d.") % {"max": MAX_DAYS}})
    if not reason.strip():
        raise ServiceError(fields={"reason": _("This field is required.")})
    with transaction.atomic():
        clock = _locked(clock)
        if clock.stopped_at is not None:
            raise Conflict(_("The clock is stopped."))
        if clock.extensions.count() >= clock.max_extensions:
            raise Conflict(_("This clock may be extended at most %(n)d times.") % {"n": clock.max_extensions})
        at = _moment(at, clock)
        approver = approved_by or actor
        ext = ClockExtension.objects.create(
            clock=clock,
            days=days,
            reason=reason[:300],
            created_at=at,
            approved_by=approver if getattr(approver, "is_authenticated", False) else None,
            approved_by_name=str(getattr(approver, "full_name", "") or getattr(approver, "username", ""))[
                :100
            ],
        )
        now = timezone.now()
        old = _recompute_in_place(clock, cal=get_calendar(), now=now)
        _event(
            clock,
            ClockEvent.Kind.EXTENDED,
            actor=actor,
            at=now,
            old=old,
            data={"extension": ext.pk, "days": days, "reason": reason},
        )
        if audit:
            _audit(actor, "clock.extend", clock, old, extension=ext.pk, days=days, reason=reason)
    return ext


def clock_stop(
    *, actor: User | None, clock: Clock, at: datetime | None = None, reason: str = "", audit: bool = True
) -> Clock:
    """Stop the clock (decision made, case closed). Open pauses end at the same moment."""
    with transaction.atomic():
        clock = _locked(clock)
        if clock.stopped_at is not None:
            raise Conflict(_("The clock is stopped."))
        at = _moment(at, clock)
        clock.pauses.filter(ended_at__isnull=True).update(ended_at=at)
        clock.stopped_at = at
        clock.save(update_fields=["stopped_at"])
        now = timezone.now()
        old = _recompute_in_place(clock, cal=get_calendar(), now=now)
        _event(
            clock,
            ClockEvent.Kind.STOPPED,
            actor=actor,
            at=now,
            old=old,
            data={"at": at.isoformat(), "reason": reason, "remaining": clock.remaining},
        )
        if audit:
            _audit(actor, "clock.stop", clock, old, at=at.isoformat(), reason=reason)
    return clock


def clock_resume_after_stop(
    *, actor: User | None, clock: Clock, reason: str, at: datetime | None = None
) -> Clock:
    """Reopen a stopped clock (e.g. a decision annulled). The time it stood stopped is not counted:
    it is recorded as a pause of kind ``stopped`` from the stop to ``at``."""
    if not reason.strip():
        raise ServiceError(fields={"reason": _("This field is required.")})
    with transaction.atomic():
        clock = _locked(clock)
        if clock.stopped_at is None:
            raise Conflict(_("The clock is not stopped."))
        at = _moment(at, clock)
        if at < clock.stopped_at:
            raise ServiceError(fields={"at": _("Cannot be before the clock stopped.")})
        gap = ClockPause.objects.create(
            clock=clock,
            kind=ClockPause.STOP_KIND,
            started_at=clock.stopped_at,
            ended_at=at,
            reason=reason[:300],
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        clock.stopped_at = None
        clock.save(update_fields=["stopped_at"])
        now = timezone.now()
        old = _recompute_in_place(clock, cal=get_calendar(), now=now)
        _event(
            clock,
            ClockEvent.Kind.REOPENED,
            actor=actor,
            at=now,
            old=old,
            data={"pause": gap.pk, "at": at.isoformat(), "reason": reason},
        )
        _audit(actor, "clock.resume_after_stop", clock, old, pause=gap.pk, at=at.isoformat(), reason=reason)
    return clock


def clock_recompute(*, actor: User | None, clock: Clock, reason: str = "") -> Clock:
    """Recompute with the current calendar; records an event when the due date or its provisional
    flag changed."""
    with transaction.atomic():
        clock = _locked(clock)
        now = timezone.now()
        old = _recompute_in_place(clock, cal=get_calendar(), now=now)
        if old != (clock.due_date, clock.provisional):
            _event(clock, ClockEvent.Kind.RECOMPUTED, actor=actor, at=now, old=old, data={"reason": reason})
        _audit(actor, "clock.recompute", clock, old, reason=reason)
    return clock


# --- calendar -------------------------------------------------------------------------------


def _bump_version() -> CalendarVersion:
    row, _created = CalendarVersion.objects.select_for_update().get_or_create(pk=1)
    row.counter += 1
    row.token = uuid.uuid4().hex
    row.changed_at = timezone.now()
    row.save()
    bump("calendar")  # configuration snapshots that hold the calendar (docs/adr/0015)
    return row


def _recompute_open(clocks: QuerySet[Clock], *, actor: User | None, reason: str) -> list[dict[str, Any]]:
    """Recompute the given open clocks against the (new) calendar; a ClockEvent for each change."""
    cal = get_calendar()
    now = timezone.now()
    changed = []
    for clock in clocks.filter(stopped_at__isnull=True).select_for_update().order_by("pk"):
        old = _recompute_in_place(clock, cal=cal, now=now)
        new = (clock.due_date, clock.provisional)
        if old != new:
            _event(clock, ClockEvent.Kind.RECOMPUTED, actor=actor, at=now, old=old, data={"reason": reason})
            changed.append(
                {
                    "clock": clock.pk,
                    "old_due": old[0].isoformat() if old[0] else None,
                    "new_due": clock.due_date.isoformat() if clock.due_date else None,
                    "provisional": clock.provisional,
                }
            )
    return changed


def _affected_by_dates(dates: Iterable[date]) -> QuerySet[Clock]:
    """Open clocks whose counted range may include one of ``dates``, plus all provisional ones."""
    q = Q(provisional=True)
    for d in set(dates):
        start_of_next = timezone.make_aware(datetime.combine(d, datetime.min.time()))
        q |= Q(started_at__lt=start_of_next, due_date__gte=d)
    return Clock.objects.filter(q, stopped_at__isnull=True)


@dataclass
class CalendarChange:
    entries: int = 0
    years: list[int] = field(default_factory=list)
    recomputed: list[dict[str, Any]] = field(default_factory=list)


def _check_entry(d: Any, kind: str, name: str) -> dict[str, str]:
    errors = {}
    if not isinstance(d, date) or isinstance(d, datetime):
        errors["date"] = _("Enter a valid date (YYYY-MM-DD).")
    elif not 1990 <= d.year <= 2120:
        errors["date"] = _("The year must be between 1990 and 2120.")
    if kind not in CalendarEntry.Kind.values:
        errors["kind"] = _("Use holiday or workday.")
    if len(name) > 60:
        errors["name"] = _("Too long.")
    return errors


def calendar_entry_save(
    *, actor: User | None, day: date, kind: str, name: str = "", note: str = ""
) -> CalendarEntry:
    """Add or change one calendar day. Clocks counting across it are recomputed once its year is published."""
    errors = _check_entry(day, kind, name)
    if errors:
        raise ServiceError(fields=errors)
    with transaction.atomic():
        entry, created = CalendarEntry.objects.update_or_create(
            date=day, defaults={"kind": kind, "name": name, "note": note[:200]}
        )
        _bump_version()
        changed = _recompute_open(_affected_by_dates([day]), actor=actor, reason="calendar entry")
        audit_record(
            actor=actor,
            action="calendar.entry_save",
            obj=entry,
            data={
                "date": day.isoformat(),
                "kind": kind,
                "name": name,
                "created": created,
                "recomputed": changed,
            },
        )
    return entry


def calendar_entry_delete(*, actor: User | None, entries: Iterable[CalendarEntry]) -> int:
    with transaction.atomic():
        rows = list(CalendarEntry.objects.select_for_update().filter(pk__in=[e.pk for e in entries]))
        dates = [e.date for e in rows]
        CalendarEntry.objects.filter(pk__in=[e.pk for e in rows]).delete()
        _bump_version()
        changed = _recompute_open(_affected_by_dates(dates), actor=actor, reason="calendar entry deleted")
        audit_record(
            actor=actor,
            action="calendar.entry_delete",
            object_type="workdays.calendarentry",
            data={"dates": [d.isoformat() for d in dates], "recomputed": changed},
        )
    return len(rows)


def calendar_publish_year(
    *, actor: User | None, year: int, published: bool = True, source: str = ""
) -> CalendarChange:
    """Publish (or withdraw) a year: its entries become final and every open provisional clock — and,
    on withdrawal, every open clock reaching into the year — is recomputed and the change recorded."""
    if not isinstance(year, int) or not 1990 <= year <= 2120:
        raise ServiceError(fields={"year": _("The year must be between 1990 and 2120.")})
    with transaction.atomic():
        row, _created = CalendarYear.objects.select_for_update().get_or_create(year=year)
        row.published = published
        row.published_at = timezone.now() if published else None
        row.published_by = actor if getattr(actor, "is_authenticated", False) else None
        row.source = source[:200] or row.source
        row.save()
        _bump_version()
        affected = Clock.objects.filter(Q(provisional=True) | Q(due_date__gte=date(year, 1, 1)))
        changed = _recompute_open(
            affected, actor=actor, reason=f"year {year} {'published' if published else 'withdrawn'}"
        )
        audit_record(
            actor=actor,
            action="calendar.publish" if published else "calendar.withdraw",
            obj=row,
            data={"year": year, "source": source, "recomputed": changed},
        )
    return CalendarChange(years=[year], recomputed=changed)


class CalendarImportError(ServiceError):
    """Bad rows in an import file: ``problems`` lists ``(line number, message)``; nothing was imported."""

    def __init__(self, problems: list[tuple[int, str]]):
        self.problems = problems
        super().__init__(
            _("The file has errors; nothing was imported."),
            code="invalid",
            fields={"file": "; ".join(f"{n}: {m}" for n, m in problems[:20])},
        )


def parse_calendar_csv(text: str) -> tuple[list[tuple[date, str, str]], list[tuple[int, str]]]:
    """Rows of ``date,kind,name`` (an optional header line ``date,kind,name`` is skipped)."""
    rows: list[tuple[date, str, str]] = []
    problems: list[tuple[int, str]] = []
    seen: dict[date, int] = {}
    for lineno, cols in enumerate(csv.reader(io.StringIO(text.lstrip("\ufeff"))), start=1):
        if not cols or all(not c.strip() for c in cols):
            continue
        cols = [c.strip() for c in cols]
        if lineno == 1 and [c.lower() for c in cols[:2]] == ["date", "kind"]:
            continue
        if len(cols) not in (2, 3):
            problems.append((lineno, _("expected 3 columns: date,kind,name")))
            continue
        raw_date, kind, name = cols[0], cols[1].lower(), cols[2] if len(cols) == 3 else ""
        try:
            d = date.fromisoformat(raw_date)
            if len(raw_date) != 10:
                raise ValueError
        except ValueError:
            problems.append((lineno, _("%(value)s is not a valid date (YYYY-MM-DD)") % {"value": raw_date}))
            continue
        errors = _check_entry(d, kind, name)
        if errors:
            problems.append((lineno, " ".join(errors.values())))
            continue
        if d in seen:
            problems.append(
                (lineno, _("%(date)s is already on line %(line)d") % {"date": raw_date, "line": seen[d]})
            )
            continue
        seen[d] = lineno
        rows.append((d, kind, name))
    if not rows and not problems:
        problems.append((0, _("the file has no rows")))
    return rows, problems


def calendar_import(
    *, actor: User | None, text: str, replace: bool = False, source: str = ""
) -> CalendarChange:
    """Import ``date,kind,name`` rows. All or nothing: any bad row raises CalendarImportError.
    Every year in the file is published. With ``replace`` the file becomes the complete list of
    those years' entries (other entries of those years are deleted)."""
    rows, problems = parse_calendar_csv(text)
    if problems:
        raise CalendarImportError(problems)
    years = sorted({d.year for d, _k, _n in rows})
    with transaction.atomic():
        if replace:
            CalendarEntry.objects.filter(date__year__in=years).exclude(
                date__in=[d for d, _k, _n in rows]
            ).delete()
        for d, kind, name in rows:
            CalendarEntry.objects.update_or_create(date=d, defaults={"kind": kind, "name": name})
        now = timezone.now()
        for y in years:
            CalendarYear.objects.update_or_create(
                year=y,
                defaults={
                    "published": True,
                    "published_at": now,
                    "source": source[:200],
                    "published_by": actor if getattr(actor, "is_authenticated", False) else None,
                },
            )
        _bump_version()
        affected = Clock.objects.filter(Q(provisional=True) | Q(due_date__gte=date(years[0], 1, 1)))
        changed = _recompute_open(
            affected, actor=actor, reason=f"calendar import {', '.join(map(str, years))}"
        )
        audit_record(
            actor=actor,
            action="calendar.import",
            object_type="workdays.calendarentry",
            data={
                "rows": len(rows),
                "years": years,
                "replace": replace,
                "source": source,
                "recomputed": changed,
            },
        )
    return CalendarChange(entries=len(rows), years=years, recomputed=changed)


# --- the sweep ------------------------------------------------------------------------------


@dataclass
class SweepResult:
    checked: int = 0
    changed: int = 0
    notified: int = 0

    def __str__(self) -> str:
        return f"checked {self.checked}, changed {self.changed}, notified {self.notified}"


def _recipients(clock: Clock) -> list[User]:
    if clock.responsible_id is not None:
        return [clock.responsible] if clock.responsible and clock.responsible.is_active else []
    if clock.office_id is None:
        return []
    return list(
        User.objects.filter(office_id=clock.office_id, is_active=True, kind="staff")
        .filter(role_grants__role__in=["reviewer", "supervisor"])
        .distinct()
        .order_by("pk")
    )


def _notify(clock: Clock) -> int:
    n = 0
    for user in _recipients(clock):
        lang = getattr(user, "preferred_language", "") or "zh-hans"
        with translation.override(lang):
            name = str(clock) if clock.subject or clock.label else _("Clock #%(id)d") % {"id": clock.pk}
            if clock.state == Clock.State.OVERDUE:
                subject = _("Overdue: %(name)s") % {"name": name}
                body = _("%(name)s was due on %(due)s.") % {"name": name, "due": clock.due_date}
            else:
                subject = _("Due soon: %(name)s") % {"name": name}
                body = _("%(name)s is due on %(due)s.") % {"name": name, "due": clock.due_date}
            if clock.provisional:
                body += " " + _("The due date is provisional: next year's holidays are not yet published.")
        created = notification_queue(
            subject=subject,
            body=body,
            recipient=user,
            link=reverse("workdays:clock", args=[clock.pk]),
            obj=clock,
            dedupe_key=f"clock:{clock.pk}:{clock.state}:{clock.due_date}:{user.pk}",
        )
        n += created is not None
    return n


def clocks_sweep(*, now: datetime | None = None, actor: User | None = None) -> SweepResult:
    """Recompute the state of open clocks; mark them due soon or overdue and notify the responsible
    staff. Idempotent: a second run changes nothing and sends nothing (dedupe keys)."""
    now = now or timezone.now()
    result = SweepResult()
    cal = get_calendar()
    horizon = now.date() + timedelta(days=60)
    with transaction.atomic():
        candidates = (
            Clock.objects.select_for_update()
            .filter(stopped_at__isnull=True)
            .filter(Q(due_date__lte=horizon) | Q(due_date__isnull=True) | ~Q(calendar_version=cal.version))
            .order_by("pk")
        )
        changes = []
        for clock in candidates:
            result.checked += 1
            old_state = clock.state
            old = (clock.due_date, clock.provisional)
            _apply(clock, _compute(clock, now=now, cal=cal), cal, now)
            if clock.state != old_state:
                result.changed += 1
                if clock.state in (Clock.State.DUE_SOON, Clock.State.OVERDUE):
                    _event(clock, clock.state, actor=actor, at=now, old=old, data={"from": old_state})
                changes.append({"clock": clock.pk, "from": old_state, "to": clock.state})
            if clock.state in (Clock.State.DUE_SOON, Clock.State.OVERDUE):
                result.notified += _notify(clock)
        if changes or result.notified:
            audit_record(
                actor=actor,
                action="clock.sweep",
                object_type="workdays.clock",
                data={"changes": changes[:500], "notified": result.notified},
            )
    return result
