"""Services: one transaction and one audit event each; publication recomputes open provisional clocks;
imports are all-or-nothing; the sweep is idempotent; the calendar cache follows the database."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.db import transaction
from django.utils import timezone

from yiwang.audit.models import AuditEvent
from yiwang.core.errors import Conflict, ServiceError
from yiwang.notifications.models import Notification
from yiwang.workdays import services
from yiwang.workdays.calendar import get_calendar
from yiwang.workdays.models import CalendarEntry, CalendarYear, Clock, ClockEvent, ClockPause

SHANGHAI = ZoneInfo("Asia/Shanghai")

pytestmark = pytest.mark.django_db


def aware(y: int, m: int, d: int, h: int = 10) -> datetime:
    return datetime(y, m, d, h, tzinfo=SHANGHAI)


def audits(action: str) -> int:
    return AuditEvent.objects.filter(action=action).count()


def one_audit(action: str, fn: Any) -> Any:
    before_all, before = AuditEvent.objects.count(), audits(action)
    result = fn()
    assert AuditEvent.objects.count() == before_all + 1
    assert audits(action) == before + 1
    return result


def test_clock_lifecycle_each_service_writes_exactly_one_audit_event(world: Any) -> None:
    actor = world.users["reviewer"]
    # 2025-09-01 (Mon) + 20 working days; National Day 10-1..10-8 2025, make-up 9-28 (Sun) and 10-11 (Sat)
    clock = one_audit(
        "clock.start",
        lambda: services.clock_start(
            actor=actor,
            started_at=aware(2025, 9, 1),
            limit_kind="working_days",
            limit_value=20,
            office=world.office,
            label="decision",
            subject="2025-0001",
        ),
    )
    assert clock.due_date == date(2025, 9, 28) and clock.provisional is False  # a make-up Sunday
    one_audit(
        "clock.pause",
        lambda: services.clock_pause(
            actor=actor, clock=clock, kind="expert_review", at=aware(2025, 9, 19), reason="panel"
        ),
    )
    clock.refresh_from_db()
    assert clock.state == "paused"
    one_audit(
        "clock.extend",
        lambda: services.clock_extend(
            actor=actor, clock=clock, days=10, reason="complex", at=aware(2025, 9, 22)
        ),
    )
    one_audit("clock.resume", lambda: services.clock_resume(actor=actor, clock=clock, at=aware(2025, 10, 10)))
    clock.refresh_from_db()
    # (9-19, 10-10] excludes 9-22..26, 9-28, 9-29, 9-30, 10-9, 10-10 = 10 working days; 30 in all
    cal = get_calendar()
    assert cal.workdays_between(date(2025, 9, 19), date(2025, 10, 10)) == 10
    assert clock.due_date == cal.add_workdays(date(2025, 9, 1), 40)
    one_audit("clock.stop", lambda: services.clock_stop(actor=actor, clock=clock, at=aware(2025, 10, 20)))
    clock.refresh_from_db()
    assert clock.state == "stopped"
    one_audit(
        "clock.resume_after_stop",
        lambda: services.clock_resume_after_stop(
            actor=actor, clock=clock, reason="decision annulled", at=aware(2025, 10, 27)
        ),
    )
    clock.refresh_from_db()
    assert clock.stopped_at is None
    gap = clock.pauses.get(kind=ClockPause.STOP_KIND)
    assert (gap.started_at, gap.ended_at) == (aware(2025, 10, 20), aware(2025, 10, 27))
    one_audit("clock.recompute", lambda: services.clock_recompute(actor=actor, clock=clock))
    assert list(clock.events.values_list("kind", flat=True)) == [
        "started",
        "paused",
        "extended",
        "resumed",
        "stopped",
        "reopened",
    ]
    ev = clock.events.get(kind="extended")
    assert (ev.new_due - ev.old_due).days > 0


def test_extension_cap_and_bad_input(world: Any) -> None:
    clock = services.clock_start(
        actor=None, started_at=aware(2025, 9, 1), limit_kind="working_days", limit_value=20
    )
    services.clock_extend(actor=None, clock=clock, days=10, reason="once", at=aware(2025, 9, 2))
    with pytest.raises(Conflict):
        services.clock_extend(actor=None, clock=clock, days=10, reason="twice", at=aware(2025, 9, 3))
    with pytest.raises(ServiceError) as exc:
        services.clock_pause(actor=None, clock=clock, kind="nap")
    assert list(exc.value.fields) == ["kind"]
    with pytest.raises(Conflict):
        services.clock_resume(actor=None, clock=clock)
    with pytest.raises(ServiceError) as exc:
        services.clock_pause(actor=None, clock=clock, kind="hearing", at=aware(2025, 8, 1))
    assert list(exc.value.fields) == ["at"]
    with pytest.raises(ServiceError) as exc:
        services.clock_start(actor=None, started_at=aware(2025, 9, 1), limit_kind="fortnights", limit_value=2)
    assert list(exc.value.fields) == ["limit_kind"]
    two = services.clock_start(
        actor=None, started_at=aware(2025, 9, 1), limit_kind="working_days", limit_value=20, max_extensions=2
    )
    services.clock_extend(actor=None, clock=two, days=5, reason="a", at=aware(2025, 9, 2))
    services.clock_extend(actor=None, clock=two, days=5, reason="b", at=aware(2025, 9, 3))
    assert two.extensions.count() == 2


def test_publishing_a_year_recomputes_open_provisional_clocks(world: Any) -> None:
    open_clock = services.clock_start(
        actor=None, started_at=aware(2026, 12, 20), limit_kind="working_days", limit_value=20
    )
    stopped = services.clock_start(
        actor=None, started_at=aware(2026, 12, 20), limit_kind="working_days", limit_value=20
    )
    Clock.objects.filter(pk=stopped.pk).update(stopped_at=aware(2026, 12, 21))  # frozen: must not move
    assert (open_clock.due_date, open_clock.provisional) == (date(2027, 1, 15), True)
    # A draft entry does not count until the year is published.
    services.calendar_entry_save(actor=None, day=date(2027, 1, 1), kind="holiday", name="元旦")
    open_clock.refresh_from_db()
    assert (open_clock.due_date, open_clock.provisional) == (date(2027, 1, 15), True)
    admin = world.users["sys_admin"]
    change = one_audit(
        "calendar.publish",
        lambda: services.calendar_publish_year(actor=admin, year=2027, source="国办发明电〔2026〕"),
    )
    open_clock.refresh_from_db()
    stopped.refresh_from_db()
    assert (open_clock.due_date, open_clock.provisional) == (date(2027, 1, 18), False)
    assert (stopped.due_date, stopped.provisional) == (date(2027, 1, 15), True)
    assert change.recomputed == [
        {"clock": open_clock.pk, "old_due": "2027-01-15", "new_due": "2027-01-18", "provisional": False}
    ]
    ev = open_clock.events.get(kind=ClockEvent.Kind.RECOMPUTED)
    assert (ev.old_due, ev.new_due, ev.old_provisional, ev.new_provisional, ev.actor) == (
        date(2027, 1, 15),
        date(2027, 1, 18),
        True,
        False,
        admin,
    )
    assert not stopped.events.filter(kind=ClockEvent.Kind.RECOMPUTED).exists()
    audit = AuditEvent.objects.filter(action="calendar.publish").get()
    assert audit.data["recomputed"][0]["new_due"] == "2027-01-18"


def test_import_is_all_or_nothing_with_line_numbers() -> None:
    bad = "date,kind,name\n2027-01-01,holiday,元旦\n2027-02-30,holiday,春节\n2027-02-06,nap,春节\n2027-01-01,workday,x\n"
    with pytest.raises(services.CalendarImportError) as exc:
        services.calendar_import(actor=None, text=bad)
    assert [n for n, _m in exc.value.problems] == [3, 4, 5]
    assert "2027-02-30" in exc.value.problems[0][1]
    assert CalendarEntry.objects.count() == 0
    assert not CalendarYear.objects.exists()
    assert AuditEvent.objects.filter(action="calendar.import").count() == 0


def test_import_publishes_and_replace_removes_other_entries() -> None:
    clock = services.clock_start(
        actor=None, started_at=aware(2026, 12, 20), limit_kind="working_days", limit_value=20
    )
    change = one_audit(
        "calendar.import",
        lambda: services.calendar_import(
            actor=None, text="2027-01-01,holiday,元旦\n2027-01-02,holiday,元旦\n2027-02-06,holiday,春节\n"
        ),
    )
    assert (change.entries, change.years) == (3, [2027])
    assert get_calendar().is_published(2027)
    clock.refresh_from_db()
    assert (clock.due_date, clock.provisional) == (date(2027, 1, 18), False)
    services.calendar_import(actor=None, text="2027-01-01,holiday,元旦\n", replace=True)
    assert list(CalendarEntry.objects.values_list("date", flat=True)) == [date(2027, 1, 1)]


def test_calendar_cache_follows_the_database_and_ignores_rolled_back_changes() -> None:
    assert get_calendar().is_workday(date(2026, 3, 2)) is True
    with pytest.raises(RuntimeError), transaction.atomic():
        services.calendar_entry_save(actor=None, day=date(2026, 3, 2), kind="holiday", name="local")
        assert get_calendar().is_workday(date(2026, 3, 2)) is False
        raise RuntimeError("roll back")
    assert get_calendar().is_workday(date(2026, 3, 2)) is True
    services.calendar_entry_save(actor=None, day=date(2026, 3, 2), kind="holiday", name="local")
    assert get_calendar().is_workday(date(2026, 3, 2)) is False
    services.calendar_entry_delete(actor=None, entries=CalendarEntry.objects.all())
    assert get_calendar().is_workday(date(2026, 3, 2)) is True


def test_entry_change_recomputes_clocks_counting_across_it() -> None:
    clock = services.clock_start(
        actor=None, started_at=aware(2025, 3, 3), limit_kind="working_days", limit_value=5
    )
    assert clock.due_date == date(2025, 3, 10)
    services.calendar_entry_save(actor=None, day=date(2025, 3, 5), kind="holiday", name="local")
    clock.refresh_from_db()
    assert clock.due_date == date(2025, 3, 11)
    assert clock.events.filter(kind="recomputed").count() == 1


def test_sweep_marks_and_notifies_once(world: Any) -> None:
    now = timezone.now()
    reviewer = world.users["reviewer"]
    soon = services.clock_start(
        actor=None,
        started_at=now - timedelta(days=1),
        limit_kind="working_days",
        limit_value=1,
        responsible=reviewer,
        subject="soon",
    )
    late = services.clock_start(
        actor=None,
        started_at=now - timedelta(days=40),
        limit_kind="working_days",
        limit_value=1,
        office=world.office,
        subject="late",
    )
    fine = services.clock_start(
        actor=None, started_at=now, limit_kind="working_days", limit_value=100, responsible=reviewer
    )
    Clock.objects.update(state="running")  # as if computed before time passed
    result = services.clocks_sweep()
    assert (result.changed, result.notified) == (2, 3)
    assert {c.pk: c.state for c in Clock.objects.all()} == {
        soon.pk: "due_soon",
        late.pk: "overdue",
        fine.pk: "running",
    }
    assert sorted(Notification.objects.values_list("recipient__username", flat=True)) == [
        "t_reviewer",
        "t_reviewer",
        "t_supervisor",
    ]
    assert ClockEvent.objects.filter(kind="overdue", clock=late).count() == 1
    assert AuditEvent.objects.filter(action="clock.sweep").count() == 1
    again = services.clocks_sweep()
    assert (again.changed, again.notified) == (0, 0)
    assert Notification.objects.count() == 3
    assert AuditEvent.objects.filter(action="clock.sweep").count() == 1


def test_pause_kinds_are_configurable() -> None:
    from yiwang.workdays.models import PauseKind

    clock = services.clock_start(
        actor=None, started_at=aware(2025, 9, 1), limit_kind="working_days", limit_value=20
    )
    PauseKind.objects.filter(code="site_survey").update(active=False)
    PauseKind.objects.create(code="quarantine", name="检疫", name_en="Quarantine", order=70)
    with pytest.raises(ServiceError):
        services.clock_pause(actor=None, clock=clock, kind="site_survey", at=aware(2025, 9, 2))
    pause = services.clock_pause(actor=None, clock=clock, kind="quarantine", at=aware(2025, 9, 2))
    assert pause.kind == "quarantine"
    # the defaults hold even when the table is empty
    PauseKind.objects.all().delete()
    assert services.pause_kind_codes() == {
        "correction",
        "third_party",
        "expert_review",
        "hearing",
        "testing",
        "site_survey",
        "fee_unpaid",
    }
