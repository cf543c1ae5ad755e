"""The kernel's invariants: numbering, the workflow table, one audit event per transition, status writers."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.db import IntegrityError, transaction

from tests.applications.builders import PDF, code_of, make_item
from yiwang.applications import services as s
from yiwang.audit.models import AuditEvent
from yiwang.cases.models import Case, CaseAttachment
from yiwang.cases.numbering import format_number, next_number
from yiwang.cases.selectors import party_timeline
from yiwang.cases.workflow import Transition, Workflow
from yiwang.core.errors import ServiceError

SRC = Path(__file__).resolve().parents[2] / "src" / "yiwang"


def test_number_format_is_configurable(settings: Any) -> None:
    assert format_number(office_code="LG1901", year=2026, seq=42) == "LG19012026000042"
    settings.CASES_NUMBER_FORMAT = "{year}-{office}-{seq:05d}"
    assert format_number(office_code="LG1901", year=2026, seq=42) == "2026-LG1901-00042"


@pytest.mark.django_db
def test_numbers_are_sequential_per_office_and_year(world: Any) -> None:
    with transaction.atomic():
        a = next_number(office=world.office, year=2026)
        b = next_number(office=world.office, year=2026)
        c = next_number(office=world.other_office, year=2026)
        d = next_number(office=world.office, year=2027)
    assert (a[-6:], b[-6:], c[-6:], d[-6:]) == ("000001", "000002", "000001", "000001")


@pytest.mark.django_db
def test_rolled_back_creation_gives_its_number_back(world: Any) -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        next_number(office=world.office, year=2026)
        raise RuntimeError("abort")
    with transaction.atomic():
        assert next_number(office=world.office, year=2026).endswith("000001")


@pytest.mark.django_db(transaction=True)
def test_number_outside_a_transaction_is_refused(world: Any) -> None:
    with pytest.raises(RuntimeError):
        next_number(office=world.office, year=2026)


def test_workflow_table_rejects_unknown_statuses() -> None:
    with pytest.raises(ValueError, match="unknown statuses"):
        Workflow(
            kind="x",
            statuses=frozenset({"a"}),
            initial=frozenset({"a"}),
            transitions={"go": Transition("go", frozenset({"a"}), "b", frozenset({"clerk"}))},
        )


def test_workflow_check_reports_status_actor_and_guards() -> None:
    wf = Workflow(
        kind="x",
        statuses=frozenset({"a", "b"}),
        initial=frozenset({"a"}),
        transitions={
            "go": Transition(
                "go",
                frozenset({"a"}),
                "b",
                frozenset({"clerk"}),
                guards=(lambda f: None if f.get("ok") else "not ok",),
            )
        },
    )
    assert wf.check(status="a", name="go", actor_role="clerk", facts={"ok": True}) == []
    assert wf.check(status="a", name="go", actor_role="clerk", facts={}) == ["not ok"]
    assert wf.check(status="b", name="go", actor_role="clerk", facts={"ok": True}) == [("status", "b")]
    assert wf.check(status="a", name="go", actor_role="reviewer", facts={"ok": True}) == [
        ("actor", "reviewer")
    ]


@pytest.mark.django_db
def test_status_check_constraint(world: Any) -> None:
    item = make_item(world)
    case = s.application_receive(actor=world.users["clerk"], item=item, person=world.other_person)
    with pytest.raises(IntegrityError), transaction.atomic():
        Case.objects.filter(pk=case.pk).update(status="bogus")  # the database refuses unknown statuses


@pytest.mark.django_db
def test_each_transition_writes_one_case_audit_event_and_one_history_line(world: Any) -> None:
    item = make_item(world)
    case = s.application_receive(
        actor=world.users["clerk"],
        item=item,
        person=world.other_person,
        provided=[code_of(item, 1), code_of(item, 2)],
    )
    before = AuditEvent.objects.filter(object_type="cases.case", object_id=str(case.pk)).count()
    s.application_accept(actor=world.users["clerk"], case_id=case.pk)
    after = AuditEvent.objects.filter(object_type="cases.case", object_id=str(case.pk)).count()
    assert after - before == 1
    assert case.events.count() == 2


@pytest.mark.django_db
def test_attachments_are_stored_under_generated_names(world: Any) -> None:
    item = make_item(world)
    case = s.application_receive(
        actor=world.users["clerk"],
        item=item,
        person=world.other_person,
        uploads=[s.Upload(code_of(item, 1), PDF, "张三身份证.pdf")],
    )
    att = CaseAttachment.objects.get(case=case)
    assert att.file_type == "pdf" and att.size == len(PDF)
    assert "张三" not in att.file.name and re.search(r"cases/\d{4}/\d{2}/[0-9a-f]{32}\.pdf$", att.file.name)


@pytest.mark.django_db
def test_refused_upload_changes_nothing(world: Any) -> None:
    item = make_item(world)
    with pytest.raises(ServiceError):
        s.application_receive(
            actor=world.users["clerk"],
            item=item,
            person=world.other_person,
            uploads=[s.Upload(code_of(item, 1), b"MZ\x90\x00", "x.pdf")],
        )
    assert not Case.objects.exists() and not CaseAttachment.objects.exists()


@pytest.mark.django_db
def test_one_timeline_per_applicant_across_cases(world: Any) -> None:
    item = make_item(world)
    clerk = world.users["clerk"]
    a = s.application_receive(actor=clerk, item=item, person=world.person)
    b = s.application_receive(
        actor=clerk, item=item, enterprise=world.enterprise, agent=world.users["agent"].person
    )
    s.application_receive(actor=clerk, item=item, person=world.other_person)
    mine = {e.case_id for e in party_timeline(world.users["applicant"])}
    agent = {e.case_id for e in party_timeline(world.users["agent"])}
    assert mine == {a.pk}
    assert agent == {b.pk}


# --- nothing but the transition service writes a status ----------------------------------------

STATUS_WRITE = re.compile(r"\.update\([^)]*\bstatus\s*=|\bcase\.status\s*=(?!=)|\.status\s*=\s*[\"']")
ALLOWED_WRITERS = {
    SRC / "cases" / "services.py",  # case_transition
}


def _case_sources() -> list[Path]:
    return [p for p in (SRC / "cases").rglob("*.py") if "migrations" not in p.parts] + [
        p for p in (SRC / "applications").rglob("*.py") if "migrations" not in p.parts
    ]


def test_no_status_write_outside_the_transition_service() -> None:
    offenders = []
    for path in _case_sources():
        if path in ALLOWED_WRITERS:
            continue
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            code = line.split("#", 1)[0]
            if STATUS_WRITE.search(code) and "case" in code.lower():
                offenders.append(f"{path.relative_to(SRC)}:{n}: {line.strip()}")
    assert not offenders, "case status written outside case_transition:\n" + "\n".join(offenders)


def test_the_scan_catches_a_raw_update() -> None:
    assert STATUS_WRITE.search('Case.objects.filter(pk=1).update(status="closed")')
    assert STATUS_WRITE.search("case.status = 'closed'")
    assert not STATUS_WRITE.search("qs.filter(status='closed')")
    assert not STATUS_WRITE.search('if case.status == "draft":')


@pytest.mark.django_db
def test_due_dates_follow_the_clock_after_a_recompute(world: Any) -> None:
    from datetime import timedelta

    from yiwang.cases.services import cases_sync_due_dates
    from yiwang.workdays.models import Clock

    item = make_item(world)
    case = s.application_receive(actor=world.users["clerk"], item=item, person=world.other_person)
    Clock.objects.filter(pk=case.clock_id).update(due_date=case.due_date + timedelta(days=3))
    assert cases_sync_due_dates() == 1
    case.refresh_from_db()
    assert case.due_date == case.clock.due_date
    assert cases_sync_due_dates() == 0
