"""Rectifying a bad review: the callback, the findings, the reviewer's rating; appeals and their outcomes."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from yiwang.core.errors import Conflict, ServiceError
from yiwang.feedback import selectors as fs
from yiwang.feedback import services as s
from yiwang.feedback.models import Review
from yiwang.feedback.reviewables import APPLICATION_RESULT

from .builders import decided

pytestmark = pytest.mark.django_db


def bad(world: Any, level: int = 1) -> Review:
    return s.review_give(
        actor=world.users["applicant"],
        service=APPLICATION_RESULT,
        subject_id=decided(world).pk,
        data=s.ReviewInput(level=level, tags=("attitude",)),
        channel="portal",
    )


def test_callback_first_then_rectify_then_the_reviewer_rates(world: Any) -> None:
    review = bad(world)
    case_id = review.rectification.case_id
    reviewer = world.users["reviewer"]
    with pytest.raises(Conflict, match="Call the reviewer back first"):
        s.rectification_rectify(
            actor=reviewer, case_id=case_id, findings="窗口人员态度生硬", actions="已批评教育"
        )
    s.rectification_callback(actor=reviewer, case_id=case_id, note="申请人反映等候时被训斥")
    case = s.rectification_rectify(
        actor=reviewer, case_id=case_id, findings="窗口人员态度生硬", actions="已批评教育"
    )
    assert case.status == "rectified" and case.rectification.on_time is True
    assert case.clock.stopped_at is not None
    with pytest.raises(PermissionDenied):  # another applicant: not the reviewer
        s.rectification_rate(actor=world.users["agent"], case_id=case_id, rating=4)
    case = s.rectification_rate(actor=world.users["applicant"], case_id=case_id, rating=4)
    assert case.status == "closed" and case.rectification.reviewer_rating == 4


def test_another_office_may_not_act(world: Any) -> None:
    from tests.hotline.builders import setup as hotline_setup

    other = hotline_setup(world)["other_reviewer"]
    review = bad(world)
    with pytest.raises(PermissionDenied):
        s.rectification_callback(actor=other, case_id=review.rectification.case_id, note="x")


def test_an_appeal_without_reasons_is_refused(world: Any) -> None:
    review = bad(world)
    with pytest.raises(ServiceError) as err:
        s.rectification_appeal(
            actor=world.users["reviewer"], case_id=review.rectification.case_id, kind="malicious", reason=" "
        )
    assert "reason" in err.value.fields
    assert review.rectification.case.status == "open"


def test_an_upheld_appeal_excludes_the_review_but_keeps_it(world: Any) -> None:
    review = bad(world)
    case_id = review.rectification.case_id
    s.rectification_appeal(
        actor=world.users["reviewer"], case_id=case_id, kind="malicious", reason="评价人未办理此事项"
    )
    with pytest.raises(PermissionDenied):  # the office's own supervisor does not decide: the bureau does
        s.appeal_decide(actor=world.users["supervisor"], case_id=case_id, uphold=True, reason="x")
    case = s.appeal_decide(
        actor=world.users["service_supervisor"], case_id=case_id, uphold=True, reason="核实为恶意差评"
    )
    review.refresh_from_db()
    assert case.status == "excluded" and review.excluded and review.excluded_reason == "核实为恶意差评"
    assert Review.objects.filter(pk=review.pk).exists()
    day = timezone.localdate(review.given_at)
    figures = fs.review_figures(Review.objects.filter(pk=review.pk))
    assert (figures["total"], figures["counted"], figures["excluded"], figures["bad"]) == (1, 0, 1, 0)
    assert fs.period_figures(day, day)["reviews"]["bad"] == 0


def test_a_dismissed_appeal_returns_to_where_it_was_and_the_clock_runs_again(world: Any) -> None:
    review = bad(world)
    case_id = review.rectification.case_id
    s.rectification_callback(actor=world.users["reviewer"], case_id=case_id, note="已回访")
    case = s.rectification_appeal(
        actor=world.users["reviewer"], case_id=case_id, kind="mistaken", reason="评错事项"
    )
    assert case.status == "appealed" and case.clock.state == "paused"
    case = s.appeal_decide(
        actor=world.users["service_supervisor"], case_id=case_id, uphold=False, reason="证据不足"
    )
    review.refresh_from_db()
    assert case.status == "called_back" and not review.excluded
    assert case.clock.state == "running" and case.rectification.appeal_decision == "dismissed"
