"""The remaining transitions and guards, and a check that every transition of the table is exercised."""

from __future__ import annotations

from typing import Any

import pytest

from yiwang.applications import services as s
from yiwang.applications import workflow as wf
from yiwang.cases.models import CaseEvent
from yiwang.core.errors import Conflict

from .builders import PDF, code_of, make_item

pytestmark = pytest.mark.django_db


def _received(world: Any, item: Any, provided: tuple[int, ...] = (1, 2)) -> Any:
    return s.application_receive(
        actor=world.users["clerk"],
        item=item,
        person=world.other_person,
        provided=[code_of(item, p) for p in provided],
    )


def _in_review(world: Any, item: Any) -> Any:
    case = _received(world, item)
    s.application_accept(actor=world.users["clerk"], case_id=case.pk)
    return s.application_start_review(actor=world.users["reviewer"], case_id=case.pk)


def test_submit_refused_until_required_materials_are_uploaded(world: Any, item: Any) -> None:
    applicant = world.users["applicant"]
    case = s.application_draft_create(actor=applicant, item=item, conditions=[code_of(item, 3)])
    with pytest.raises(Conflict, match="授权委托书"):  # the conditional material now applies
        s.application_submit(actor=applicant, case_id=case.pk)
    s.application_draft_update(
        actor=applicant,
        case_id=case.pk,
        uploads=[s.Upload(code_of(item, p), PDF, f"{p}.pdf") for p in (1, 2, 3)],
    )
    case = s.application_submit(actor=applicant, case_id=case.pk)
    assert case.status == "submitted" and case.number
    assert case.due_date == case.application.acceptance_window_ends  # 5 working days after (deemed) receipt


def test_online_correction_answered_by_the_applicant(world: Any, item: Any) -> None:
    applicant, reviewer = world.users["applicant"], world.users["reviewer"]
    case = s.application_draft_create(actor=applicant, item=item)
    s.application_draft_update(
        actor=applicant,
        case_id=case.pk,
        uploads=[s.Upload(code_of(item, p), PDF, f"{p}.pdf") for p in (1, 2)],
    )
    s.application_submit(actor=applicant, case_id=case.pk)
    s.application_request_correction(actor=reviewer, case_id=case.pk, items={code_of(item, 2): "已过期"})
    with pytest.raises(Exception, match="correction notice"):
        s.application_draft_update(
            actor=applicant, case_id=case.pk, uploads=[s.Upload(code_of(item, 1), PDF)]
        )
    s.application_draft_update(actor=applicant, case_id=case.pk, uploads=[s.Upload(code_of(item, 2), PDF)])
    case = s.application_answer_correction(actor=applicant, case_id=case.pk)
    assert case.status == "pre_review"
    case = s.application_accept(actor=reviewer, case_id=case.pk)
    assert case.status == "accepted"


def test_supervisor_sends_a_rejection_back_and_refuses_an_extension(world: Any, item: Any) -> None:
    reviewer, sup = world.users["reviewer"], world.users["supervisor"]
    case = _in_review(world, item)
    s.application_request_rejection(
        actor=reviewer, case_id=case.pk, reason_code="materials_false", guidance="g", reason="r"
    )
    case = s.application_decide_request(actor=sup, case_id=case.pk, approve=False, note="证据不足")
    assert case.status == "under_review"
    s.application_request_extension(actor=reviewer, case_id=case.pk, reason="需专家论证")
    with pytest.raises(Conflict, match="already waiting"):
        s.application_request_extension(actor=reviewer, case_id=case.pk, reason="again")
    due = case.due_date
    case = s.application_decide_request(actor=sup, case_id=case.pk, approve=False)
    assert case.status == "under_review" and case.due_date == due and not case.application.extended


def test_instant_items_cannot_be_extended(world: Any) -> None:
    item = make_item(world, instant=True, name="即办事项")
    case = _in_review(world, item)
    assert case.due_date == case.accepted_on
    with pytest.raises(Conflict, match="Instant"):
        s.application_request_extension(actor=world.users["reviewer"], case_id=case.pk, reason="x")


def test_supply_and_terminate_guards(world: Any, item: Any) -> None:
    case = _in_review(world, item)
    with pytest.raises(Conflict, match="No materials are outstanding"):
        s.application_supply_promised(actor=world.users["clerk"], case_id=case.pk)
    with pytest.raises(Conflict, match="not overdue"):
        s.application_terminate(actor=world.users["supervisor"], case_id=case.pk)


def test_electronic_delivery_and_close(world: Any) -> None:
    item = make_item(world, no_visit=True, name="不见面事项")
    applicant, reviewer = world.users["applicant"], world.users["reviewer"]
    case = s.application_draft_create(actor=applicant, item=item)
    s.application_draft_update(
        actor=applicant,
        case_id=case.pk,
        uploads=[s.Upload(code_of(item, p), PDF, f"{p}.pdf") for p in (1, 2)],
    )
    s.application_submit(actor=applicant, case_id=case.pk)
    for step in (
        s.application_accept,
        s.application_start_review,
        s.application_approve,
        s.application_issue_result,
    ):
        step(actor=reviewer, case_id=case.pk)
    case = s.application_deliver(actor=reviewer, case_id=case.pk)
    assert case.status == "delivered" and case.application.delivery_method == "electronic"
    assert s.application_close(actor=reviewer, case_id=case.pk).status == "closed"


def test_every_transition_in_the_table_is_exercised_by_this_suite() -> None:
    """Guard against adding a transition without a test: each name must appear in a test of this package."""
    from pathlib import Path

    text = "".join(p.read_text(encoding="utf-8") for p in Path(__file__).parent.glob("test_*.py"))
    helpers = {
        "approve_not_accept": "approve=True",
        "send_back_not_accept": "approve=False",
        "approve_rejection": "approve=True",
        "send_back_rejection": "approve=False",
        "approve_extension": "approve=True",
        "refuse_extension": "approve=False",
        "deem_accept": "applications_sweep",
        "supply_materials": "application_supply_promised",
        "start_pre_review": "application_start_pre_review",
        "answer_correction": "application_answer_correction",
        "issue_result": "application_issue_result",
    }
    missing = [
        name
        for name in wf.TRANSITIONS
        if f"application_{name}" not in text and helpers.get(name, f"@@{name}") not in text
    ]
    assert not missing, missing
    assert CaseEvent  # the history model every transition writes to


def test_overdue_list_counts_running_clocks_only(world: Any, item: Any) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from yiwang.applications import selectors
    from yiwang.cases.models import Case

    running = _in_review(world, item)
    decided = _in_review(world, item)
    s.application_approve(actor=world.users["reviewer"], case_id=decided.pk)
    past = timezone.localdate() - timedelta(days=10)
    Case.objects.filter(pk__in=[running.pk, decided.pk]).update(due_date=past)
    overdue, _soon = selectors.deadlines(world.users["reviewer"])
    assert list(overdue.values_list("pk", flat=True)) == [running.pk]
    assert selectors.time_left(Case.objects.get(pk=decided.pk)) == (None, "")
    left, colour = selectors.time_left(Case.objects.get(pk=running.pk))
    assert colour == "bad" and left is not None and left < 0


def test_clerk_adds_a_scan_before_accepting(world: Any, item: Any, client_for: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    case = _received(world, item, provided=(1,))
    r = client_for("clerk").post(
        f"/applications/case/{case.pk}/",
        {"action": "upload", "material": code_of(item, 2), "file": SimpleUploadedFile("b.pdf", PDF)},
    )
    assert r.status_code == 302
    case = s.application_accept(actor=world.users["clerk"], case_id=case.pk)
    assert case.status == "accepted"
    with pytest.raises(Conflict):  # after acceptance only promised or corrected materials are taken
        s.application_draft_update(
            actor=world.users["clerk"], case_id=case.pk, uploads=[s.Upload(code_of(item, 1), PDF)]
        )


def test_one_acceptance_reads_the_application_three_times_and_writes_one_audit_event(
    world: Any, item: Any
) -> None:
    """Once for the 5-working-day rule, once (its halls only) for the clerk's access, once for the facts
    from the locked case; the clock changes go into the transition's one audit event."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from yiwang.audit.models import AuditEvent

    case = _received(world, item, provided=(1, 2))
    before = AuditEvent.objects.count()
    with CaptureQueriesContext(connection) as ctx:
        s.application_accept(actor=world.users["clerk"], case_id=case.pk)
    sql = [q["sql"] for q in ctx.captured_queries]
    reads = [q for q in sql if q.startswith("SELECT") and 'FROM "applications_application"' in q]
    assert len(reads) == 3, reads
    assert AuditEvent.objects.count() - before == 1
    assert AuditEvent.objects.latest("id").data["clocks"][1]["purpose"] == "decision"
    assert len(sql) <= 48, len(
        sql
    )  # 45, and the acceptance notice's 文号 (its counter: insert, lock, update)


@pytest.mark.parametrize("request_kind", ["not_accept", "rejection", "extension"])
def test_only_a_supervisor_of_the_owning_office_decides_a_request(
    world: Any, item: Any, request_kind: str
) -> None:
    """A supervisor posted to the hall that received the case, or to another office, decides nothing."""
    from django.core.exceptions import PermissionDenied

    from tests.factories import make_staff
    from yiwang.accounts.roles import Role

    hall_sup = make_staff("t_hall_sup", [Role.SUPERVISOR], hall=world.hall)
    other_sup = make_staff(
        "t_other_sup", [Role.SUPERVISOR], office=world.other_office, department=world.other_dept
    )
    if request_kind == "not_accept":
        case = _received(world, item)
        s.application_request_not_accept(
            actor=world.users["clerk"],
            case_id=case.pk,
            reason_code="materials_false",
            guidance="g",
            reason="r",
        )
    else:
        case = _in_review(world, item)
        if request_kind == "rejection":
            s.application_request_rejection(
                actor=world.users["reviewer"],
                case_id=case.pk,
                reason_code="materials_false",
                guidance="g",
                reason="r",
            )
        else:
            s.application_request_extension(
                actor=world.users["reviewer"], case_id=case.pk, reason="需专家论证"
            )
    before = case.__class__.objects.get(pk=case.pk).status
    for outsider in (hall_sup, other_sup):
        with pytest.raises(PermissionDenied):
            s.application_decide_request(actor=outsider, case_id=case.pk, approve=True)
        assert case.__class__.objects.get(pk=case.pk).status == before
    decided = s.application_decide_request(actor=world.users["supervisor"], case_id=case.pk, approve=True)
    if request_kind == "extension":
        assert decided.status == before and decided.application.extended
    else:
        assert decided.status in {"not_accepted", "rejected"}
