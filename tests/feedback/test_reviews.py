"""One review per service, who may give it, changing it, and bad reviews opening a rectification."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from yiwang.audit.models import AuditEvent
from yiwang.cases import clockops
from yiwang.core.errors import Conflict, NotFound, ServiceError
from yiwang.feedback import services as s
from yiwang.feedback.models import Rectification, Review
from yiwang.feedback.reviewables import APPLICATION_ACCEPTANCE, APPLICATION_RESULT, HALL_VISIT

from .builders import accepted, decided, received, served

pytestmark = pytest.mark.django_db


def give(
    w: Any,
    case: Any,
    level: int = 5,
    *,
    service: str = APPLICATION_RESULT,
    user: Any = "applicant",
    **kw: Any,
) -> Review:
    return s.review_give(
        actor=w.users["applicant"] if user == "applicant" else user,
        service=service,
        subject_id=case.pk,
        data=s.ReviewInput(level=level, tags=tuple(kw.pop("tags", ())), comment=kw.pop("comment", "")),
        channel=kw.pop("channel", "portal"),
        **kw,
    )


def test_the_applicant_reviews_once_and_a_second_review_is_refused(world: Any) -> None:
    case = decided(world)
    review = give(world, case, 5, tags=["fast"])
    assert (review.level, review.tags, review.office, review.real_name) == (5, ["fast"], world.office, True)
    assert review.clerk == world.users["clerk"] and review.hall == world.hall
    assert not Rectification.objects.exists()
    with pytest.raises(Conflict) as err:
        give(world, case, 4)
    assert err.value.code == "already_reviewed"
    assert Review.objects.count() == 1
    assert AuditEvent.objects.filter(action="feedback.review").count() == 1


def test_acceptance_and_result_are_two_services(world: Any) -> None:
    case = accepted(world)
    give(world, case, 4, service=APPLICATION_ACCEPTANCE)
    with pytest.raises(Conflict) as err:
        give(world, case, 4, service=APPLICATION_RESULT)
    assert err.value.code == "not_ready"  # no result yet
    assert Review.objects.filter(subject_id=case.pk).count() == 1


def test_someone_else_may_not_review_and_nothing_is_saved(world: Any) -> None:
    case = decided(world)
    with pytest.raises(s.NotYours, match="not yours"):
        give(world, case, 1, user=world.users["agent"])
    with pytest.raises(s.NotYours):
        give(world, case, 1, user=None, code="ZZZZ")
    assert not Review.objects.exists()
    assert AuditEvent.objects.filter(action="feedback.review", outcome="denied").count() == 2


def test_the_holder_of_the_notice_code_may_review_without_signing_in(world: Any) -> None:
    case = decided(world)
    review = give(world, case, 4, user=None, code=case.application.public_token.lower(), channel="mobile")
    assert review.channel == "mobile" and review.reviewer is None and review.real_name


@pytest.mark.parametrize(
    ("level", "tags", "field"),
    [(0, (), "level"), (6, (), "level"), (2, ("late", "rude"), "tags")],
)
def test_bad_input_names_the_field(world: Any, level: int, tags: tuple[str, ...], field: str) -> None:
    case = decided(world)
    with pytest.raises(ServiceError) as err:
        give(world, case, level, tags=list(tags))
    assert field in err.value.fields
    assert not Review.objects.exists() and not Rectification.objects.exists()


def test_unknown_service_and_subject(world: Any) -> None:
    with pytest.raises(ServiceError) as err:
        s.review_give(actor=None, service="nope", subject_id=1, data=s.ReviewInput(level=5), channel="portal")
    assert "service" in err.value.fields
    with pytest.raises(NotFound):
        s.review_give(
            actor=None,
            service=APPLICATION_RESULT,
            subject_id=999999,
            data=s.ReviewInput(level=5),
            channel="portal",
        )


def test_a_review_may_be_changed_only_within_the_period(world: Any, settings: Any) -> None:
    settings.FEEDBACK = {**settings.FEEDBACK, "edit_minutes": 10}
    case = decided(world)
    review = give(world, case, 4)
    changed = s.review_change(
        actor=world.users["applicant"], review_id=review.pk, data=s.ReviewInput(level=2, tags=("late",))
    )
    assert changed.level == 2 and Rectification.objects.filter(review=review).count() == 1
    with pytest.raises(s.NotYours):
        s.review_change(actor=world.users["agent"], review_id=review.pk, data=s.ReviewInput(level=5))
    later = timezone.now() + timedelta(minutes=11)
    with pytest.raises(Conflict) as err:
        s.review_change(
            actor=world.users["applicant"], review_id=review.pk, data=s.ReviewInput(level=5), now=later
        )
    assert err.value.code == "edit_period_over"
    review.refresh_from_db()
    assert review.level == 2


def test_a_bad_review_opens_a_rectification_due_in_15_working_days(world: Any) -> None:
    case = decided(world)
    review = give(world, case, 1, tags=["attitude"], comment="态度差")
    rect = Rectification.objects.select_related("case").get(review=review)
    rc = rect.case
    assert (rc.kind, rc.status, rc.owning_office) == ("rectification", "open", world.office)
    start = timezone.localtime(review.given_at).date()
    assert rc.due_date == clockops.add_workdays(start, 15)
    assert rc.parties.filter(role="reviewer", person=world.person).exists()


def test_the_rectification_limit_is_configurable(world: Any, settings: Any) -> None:
    settings.FEEDBACK = {**settings.FEEDBACK, "rectify_days": 5}
    review = give(world, decided(world), 2)
    start = timezone.localtime(review.given_at).date()
    assert review.rectification.case.due_date == clockops.add_workdays(start, 5)


def test_a_hall_visit_is_reviewed_by_the_holder_of_the_number(world: Any) -> None:
    ticket = served(world)
    review = s.review_give(
        actor=None,
        service=HALL_VISIT,
        subject_id=ticket.pk,
        data=s.ReviewInput(level=5),
        channel="mobile",
        code=str(ticket.token),
    )
    assert (
        review.window == ticket.window and review.clerk == world.users["clerk"] and review.hall == world.hall
    )
    other = served(world, person=world.other_person)
    with pytest.raises(s.NotYours):
        s.review_give(
            actor=world.users["applicant"],
            service=HALL_VISIT,
            subject_id=other.pk,
            data=s.ReviewInput(level=5),
            channel="portal",
        )


def test_the_rating_pad_needs_the_clerks_request_for_that_service(world: Any) -> None:
    ticket = served(world)
    clerk = world.users["clerk"]
    with pytest.raises(s.NotYours):
        s.review_give(
            actor=clerk,
            service=HALL_VISIT,
            subject_id=ticket.pk,
            data=s.ReviewInput(level=5),
            channel="window",
        )
    pad = s.pad_request(actor=clerk, window=ticket.window, service=HALL_VISIT, subject_id=ticket.pk)
    review = s.review_give(
        actor=clerk,
        service=HALL_VISIT,
        subject_id=ticket.pk,
        data=s.ReviewInput(level=4),
        channel="window",
        pad_id=pad.pk,
    )
    pad.refresh_from_db()
    assert review.channel == "window" and pad.state == "done"


def test_12345_forwards_with_the_code(world: Any) -> None:
    case = decided(world)
    op = world.users["hotline_operator"]
    with pytest.raises(s.NotYours):
        give(world, case, 3, user=op, channel="hotline", code="0000")
    review = give(world, case, 3, user=op, channel="hotline", code=case.application.public_token)
    assert review.channel == "hotline" and review.reviewer is None


def test_not_ready_before_acceptance(world: Any) -> None:
    case = received(world)
    with pytest.raises(Conflict) as err:
        give(world, case, 5, service=APPLICATION_ACCEPTANCE)
    assert err.value.code == "not_ready"


def test_bad_reviews_of_two_offices_each_open_their_own_numbered_rectification(world: Any) -> None:
    from tests.applications.builders import make_item
    from tests.hotline.builders import setup as hotline_setup
    from yiwang.applications import services as apps

    other_reviewer = hotline_setup(world)["other_reviewer"]
    other_item = make_item(world, office=world.other_office)
    ours = give(world, decided(world), 1)
    case = accepted(world, item=other_item, of_item=other_item)
    apps.application_start_review(actor=other_reviewer, case_id=case.pk)
    theirs = give(world, apps.application_approve(actor=other_reviewer, case_id=case.pk), 2)
    a, b = ours.rectification.case, theirs.rectification.case
    assert (a.owning_office, b.owning_office) == (world.office, world.other_office)
    assert a.number != b.number and a.number.startswith("ZG") and b.number.startswith("ZG")
