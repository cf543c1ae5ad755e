"""The application lifecycle through its services: every transition and its guard."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from yiwang.applications import services as s
from yiwang.applications.models import ApplicationMaterial, ApprovalRequest
from yiwang.audit.models import AuditEvent
from yiwang.cases.models import Case, CaseEvent
from yiwang.core.errors import Conflict, ServiceError

from .builders import PDF, code_of, make_item

pytestmark = pytest.mark.django_db


def receive(world: Any, item: Any, *, provided: tuple[int, ...] = (1, 2), **kw: Any) -> Case:
    return s.application_receive(
        actor=world.users["clerk"],
        item=item,
        person=world.other_person,
        provided=[code_of(item, p) for p in provided],
        **kw,
    )


def test_window_receipt_numbers_routes_and_starts_the_acceptance_clock(world: Any, item: Any) -> None:
    case = receive(world, item)
    assert case.status == "received"
    assert case.number.startswith(f"{world.office.code}{timezone.localdate(case.received_at).year}")
    assert case.number.endswith("000001")
    assert case.owning_office == world.office
    assert case.application.receiving_hall == world.hall and case.application.return_hall == world.hall
    assert case.clock is not None and case.clock.limit_value == 5
    assert case.application.item_version == item.current_version
    assert AuditEvent.objects.filter(action="application.receive", object_id=str(case.pk)).count() == 1


def test_accept_starts_the_decision_clock_on_the_committed_limit(world: Any, item: Any) -> None:
    case = receive(world, item)
    case = s.application_accept(actor=world.users["clerk"], case_id=case.pk, expected_version=case.version)
    assert case.status == "accepted"
    assert case.clock.limit_value == 10
    assert case.due_date == case.clock.due_date
    assert case.notices.filter(kind="acceptance").count() == 1
    assert AuditEvent.objects.filter(action="application.accept", object_id=str(case.pk)).count() == 1


def test_accept_refused_while_required_material_missing(world: Any, item: Any) -> None:
    case = receive(world, item, provided=(1,))
    with pytest.raises(Conflict) as err:
        s.application_accept(actor=world.users["clerk"], case_id=case.pk)
    assert "营业执照复印件" in str(err.value)
    case.refresh_from_db()
    assert case.status == "received"


def test_rongque_hold_then_release(world: Any, item: Any) -> None:
    clerk, reviewer = world.users["clerk"], world.users["reviewer"]
    case = receive(world, item, provided=(1,))
    case = s.application_accept_rongque(actor=clerk, case_id=case.pk, promise_days=3, promise_signed=True)
    app = case.application
    assert app.rongque and app.rongque_materials == 1 and app.rongque_deadline is not None
    assert app.materials.get(code=code_of(item, 2)).state == ApplicationMaterial.State.PROMISED
    s.application_start_review(actor=reviewer, case_id=case.pk)
    s.application_approve(actor=reviewer, case_id=case.pk)
    with pytest.raises(Conflict, match="held"):
        s.application_issue_result(actor=reviewer, case_id=case.pk)
    s.application_draft_update(
        actor=clerk, case_id=case.pk, uploads=[s.Upload(code_of(item, 2), PDF, "a.pdf")]
    )
    s.application_supply_promised(actor=clerk, case_id=case.pk)
    case = s.application_issue_result(actor=reviewer, case_id=case.pk)
    assert case.status == "result_ready"


def test_rongque_refused_for_material_not_listed(world: Any, item: Any) -> None:
    case = receive(world, item, provided=(2,))
    with pytest.raises(Conflict, match="申请书"):
        s.application_accept_rongque(
            actor=world.users["clerk"], case_id=case.pk, promise_days=3, promise_signed=True
        )


def test_rongque_promise_longer_than_allowed(world: Any, item: Any) -> None:
    case = receive(world, item, provided=(1,))
    with pytest.raises(Conflict, match="longer than allowed"):
        s.application_accept_rongque(
            actor=world.users["clerk"], case_id=case.pk, promise_days=6, promise_signed=True
        )
    with pytest.raises(Conflict, match="sign"):
        s.application_accept_rongque(
            actor=world.users["clerk"], case_id=case.pk, promise_days=2, promise_signed=False
        )


def test_rongque_terminated_when_materials_never_arrive(world: Any, item: Any) -> None:
    case = receive(world, item, provided=(1,))
    s.application_accept_rongque(
        actor=world.users["clerk"], case_id=case.pk, promise_days=2, promise_signed=True
    )
    from yiwang.applications.models import Application

    deadline = Application.objects.get(case=case).rongque_deadline
    Application.objects.filter(case=case).update(rongque_deadline=deadline - timedelta(days=30))
    result = s.applications_sweep()
    assert result.terminated == 1
    case.refresh_from_db()
    assert case.status == "terminated" and case.closed_at is not None
    assert s.applications_sweep().terminated == 0  # idempotent


def test_correction_pauses_and_answer_resumes(world: Any, item: Any) -> None:
    clerk = world.users["clerk"]
    case = receive(world, item)
    case = s.application_request_correction(
        actor=clerk, case_id=case.pk, items={code_of(item, 1): "未签字"}, note="请补充签名"
    )
    assert case.status == "correction"
    assert case.clock.pauses.filter(kind="correction", ended_at__isnull=True).count() == 1
    assert case.notices.get(kind="correction").data["items"][0]["problem"] == "未签字"
    with pytest.raises(ServiceError, match="申请书"):
        s.application_answer_correction(actor=clerk, case_id=case.pk)
    s.application_draft_update(
        actor=clerk, case_id=case.pk, uploads=[s.Upload(code_of(item, 1), PDF, "x.pdf")]
    )
    case = s.application_answer_correction(actor=clerk, case_id=case.pk)
    assert case.status == "pre_review"
    assert case.clock.pauses.filter(ended_at__isnull=True).count() == 0


def test_correction_needs_items(world: Any, item: Any) -> None:
    case = receive(world, item)
    with pytest.raises(Conflict, match="一次性告知"):
        s.application_request_correction(actor=world.users["clerk"], case_id=case.pk, items={})


def test_not_accept_is_only_a_request_until_a_supervisor_approves(world: Any, item: Any) -> None:
    clerk, sup = world.users["clerk"], world.users["supervisor"]
    case = receive(world, item)
    with pytest.raises(Conflict, match="reason"):
        s.application_request_not_accept(
            actor=clerk, case_id=case.pk, reason_code="made_up", guidance="g", reason="r"
        )
    case = s.application_request_not_accept(
        actor=clerk,
        case_id=case.pk,
        reason_code="not_competent",
        guidance="请向市级部门申请",
        reason="非本级事项",
    )
    assert case.status == "refusal_pending"
    req = ApprovalRequest.objects.get(case=case)
    assert req.state == "pending" and req.prior_status == "received"
    with pytest.raises(PermissionDenied):  # the clerk cannot approve their own refusal
        s.application_decide_request(actor=clerk, case_id=case.pk, approve=True)
    case = s.application_decide_request(actor=sup, case_id=case.pk, approve=True, note="同意")
    assert case.status == "not_accepted"
    assert case.application.guidance == "请向市级部门申请"
    assert case.notices.filter(kind="not_accepted").exists()


def test_supervisor_sends_refusal_back(world: Any, item: Any) -> None:
    clerk, sup = world.users["clerk"], world.users["supervisor"]
    case = receive(world, item)
    s.application_start_pre_review(actor=clerk, case_id=case.pk)
    s.application_request_not_accept(
        actor=clerk, case_id=case.pk, reason_code="conditions_unmet", guidance="g", reason="r"
    )
    with pytest.raises(ServiceError):
        s.application_decide_request(actor=sup, case_id=case.pk, approve=False, note="")
    case = s.application_decide_request(actor=sup, case_id=case.pk, approve=False, note="材料齐全，应受理")
    assert case.status == "pre_review"
    assert ApprovalRequest.objects.get(case=case).state == "sent_back"


def test_rejection_needs_supervisor_and_extension_only_once(world: Any, item: Any) -> None:
    clerk, reviewer, sup = world.users["clerk"], world.users["reviewer"], world.users["supervisor"]
    case = receive(world, item)
    s.application_accept(actor=clerk, case_id=case.pk)
    s.application_start_review(actor=reviewer, case_id=case.pk)
    due = Case.objects.get(pk=case.pk).due_date
    s.application_request_extension(actor=reviewer, case_id=case.pk, reason="需现场核查")
    case = s.application_decide_request(actor=sup, case_id=case.pk, approve=True)
    assert case.application.extended
    assert case.due_date > due
    assert case.clock.extensions.count() == 1
    with pytest.raises(Conflict, match="already been extended"):
        s.application_request_extension(actor=reviewer, case_id=case.pk, reason="again")
    case = s.application_request_rejection(
        actor=reviewer,
        case_id=case.pk,
        reason_code="conditions_unmet",
        guidance="补足条件后可重新申请",
        reason="不符合条件",
    )
    assert case.status == "rejection_pending"
    case = s.application_decide_request(actor=sup, case_id=case.pk, approve=True)
    assert case.status == "rejected" and case.decided_on is not None and case.timeliness == "early"


def test_suspend_and_resume(world: Any, item: Any) -> None:
    reviewer = world.users["reviewer"]
    case = receive(world, item)
    s.application_accept(actor=world.users["clerk"], case_id=case.pk)
    s.application_start_review(actor=reviewer, case_id=case.pk)
    with pytest.raises(Conflict, match="pause"):
        s.application_suspend(actor=reviewer, case_id=case.pk, pause_kind="nap", reason="x")
    case = s.application_suspend(
        actor=reviewer, case_id=case.pk, pause_kind="expert_review", reason="专家评审", expected_days=5
    )
    assert case.status == "suspended"
    assert case.clock.pauses.filter(kind="expert_review", ended_at__isnull=True).exists()
    case = s.application_resume(actor=reviewer, case_id=case.pk)
    assert case.status == "under_review"
    assert not case.clock.pauses.filter(ended_at__isnull=True).exists()


def test_full_path_to_closed_with_post_delivery(world: Any, item: Any) -> None:
    clerk, reviewer = world.users["clerk"], world.users["reviewer"]
    case = receive(world, item, delivery_method="post", delivery_address="深圳市龙岗区")
    s.application_accept(actor=clerk, case_id=case.pk)
    s.application_start_review(actor=reviewer, case_id=case.pk)
    s.application_approve(actor=reviewer, case_id=case.pk)
    s.application_issue_result(actor=reviewer, case_id=case.pk)
    with pytest.raises(Conflict, match="tracking"):
        s.application_deliver(actor=reviewer, case_id=case.pk)
    case = s.application_deliver(actor=reviewer, case_id=case.pk, tracking_number="SF1234567890")
    assert case.status == "delivered" and case.application.tracking_number == "SF1234567890"
    case = s.application_close(actor=reviewer, case_id=case.pk)
    assert case.status == "closed"
    actions = list(CaseEvent.objects.filter(case=case).values_list("action", flat=True))
    assert actions == ["receive", "accept", "start_review", "approve", "issue_result", "deliver", "close"]


def test_pickup_delivery_only_at_the_chosen_hall(world: Any, item: Any) -> None:
    clerk, reviewer = world.users["clerk"], world.users["reviewer"]
    case = receive(world, item)
    s.application_accept(actor=clerk, case_id=case.pk)
    s.application_start_review(actor=reviewer, case_id=case.pk)
    s.application_approve(actor=reviewer, case_id=case.pk)
    s.application_issue_result(actor=reviewer, case_id=case.pk)
    with pytest.raises(Conflict, match="hall the applicant chose"):
        s.application_deliver(actor=reviewer, case_id=case.pk)
    case = s.application_deliver(actor=clerk, case_id=case.pk)
    assert case.status == "delivered"


def test_transition_not_allowed_from_status(world: Any, item: Any) -> None:
    case = receive(world, item)
    with pytest.raises(Conflict) as err:
        s.application_approve(actor=world.users["reviewer"], case_id=case.pk)
    assert err.value.code in {"not_allowed", "guard"}
    case.refresh_from_db()
    assert case.status == "received"


def test_stale_version_is_a_conflict(world: Any, item: Any) -> None:
    case = receive(world, item)
    s.application_start_pre_review(actor=world.users["clerk"], case_id=case.pk, expected_version=case.version)
    with pytest.raises(Conflict, match="changed by someone else"):
        s.application_accept(actor=world.users["clerk"], case_id=case.pk, expected_version=case.version)


def test_withdraw_by_applicant(world: Any) -> None:
    item = make_item(world)
    applicant = world.users["applicant"]
    case = s.application_draft_create(actor=applicant, item=item)
    case = s.application_withdraw(actor=applicant, case_id=case.pk, reason="不办了")
    assert case.status == "withdrawn"
