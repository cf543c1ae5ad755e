"""Each bad-review reason checked against the data, on cases built to support and to contradict it."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from yiwang.applications.models import ApplicationMaterial
from yiwang.cases import clockops
from yiwang.feedback import checks
from yiwang.feedback import services as s
from yiwang.feedback.models import Review, ReviewCheck
from yiwang.feedback.reviewables import APPLICATION_RESULT, HALL_VISIT

from .builders import decided, served

pytestmark = pytest.mark.django_db


def bad(world: Any, case: Any, *tags: str) -> dict[str, ReviewCheck]:
    review = s.review_give(
        actor=world.users["applicant"],
        service=APPLICATION_RESULT,
        subject_id=case.pk,
        data=s.ReviewInput(level=1, tags=tags),
        channel="portal",
    )
    return {c.tag: c for c in ReviewCheck.objects.filter(review=review)}


def test_late_supported_with_the_working_days_over(world: Any) -> None:
    case = decided(world, late_by=4)
    c = bad(world, case, "late")["late"]
    due = clockops.current(case, "decision").clock.due_date
    assert c.verdict == "supported"
    assert c.detail["days"] == clockops.workdays_between(due, timezone.localdate()) and c.detail["days"] > 0
    assert "working days over the limit" in checks.message(c.detail)


def test_late_contradicted_when_decided_in_time(world: Any) -> None:
    c = bad(world, decided(world), "late")["late"]
    assert c.verdict == "contradicted" and c.detail["msg"] == "in_time"


def test_materials_beyond_the_guide_supported(world: Any) -> None:
    case = decided(world)
    ApplicationMaterial.objects.create(
        application=case.application, code="EXTRA", position=9, name="户口本原件", state="provided"
    )
    c = bad(world, case, "materials")["materials"]
    assert c.verdict == "supported" and c.detail["names"] == "户口本原件"


def test_materials_within_the_guide_contradicted(world: Any) -> None:
    c = bad(world, decided(world), "materials")["materials"]
    assert c.verdict == "contradicted" and c.detail["n"] == 2


def test_conditions_beyond_the_guide_supported_and_within_contradicted(world: Any) -> None:
    beyond = decided(world)
    beyond.application.conditions = ["须提供无犯罪记录证明"]
    beyond.application.save(update_fields=["conditions"])
    within = decided(world)
    within.application.conditions = ["委托他人办理的"]
    within.application.save(update_fields=["conditions"])
    assert bad(world, beyond, "conditions")["conditions"].verdict == "supported"
    assert bad(world, within, "conditions")["conditions"].verdict == "contradicted"


def test_visit_again_supported_by_the_tickets_of_the_case_and_contradicted_by_one(world: Any) -> None:
    many = decided(world)
    for _i in range(3):
        served(world, case=many)
    once = decided(world)
    served(world, case=once)
    c = bad(world, many, "visit_again")["visit_again"]
    assert (c.verdict, c.detail["n"], c.detail["allowed"]) == ("supported", 3, 1)
    assert bad(world, once, "visit_again")["visit_again"].verdict == "contradicted"


def test_attitude_supported_by_a_pattern_of_the_same_clerk_otherwise_cannot_tell(world: Any) -> None:
    first = bad(world, decided(world), "attitude")["attitude"]
    assert first.verdict == "unknown" and first.detail["n"] == 0
    bad(world, decided(world), "attitude")
    third = bad(world, decided(world), "attitude")["attitude"]
    assert third.verdict == "supported" and third.detail["n"] == 2
    assert Review.objects.filter(clerk=world.users["clerk"]).count() == 3


def test_attitude_contradicted_when_there_was_no_window_contact() -> None:
    v = checks.attitude_verdict(clerk="", window="", others=0, online=True, pattern=2)
    assert v.verdict == "contradicted" and v.msg == "no_contact"
    assert (
        checks.attitude_verdict(clerk="", window="", others=0, online=False, pattern=2).verdict == "unknown"
    )


def test_a_hall_visit_late_means_waiting_too_long(world: Any, settings: Any) -> None:
    settings.FEEDBACK = {**settings.FEEDBACK, "max_wait_minutes": 30}
    results = {}
    for waited in (45, 5):
        t = served(world, waited=waited)
        r = s.review_give(
            actor=world.users["applicant"],
            service=HALL_VISIT,
            subject_id=t.pk,
            data=s.ReviewInput(level=2, tags=("late", "visit_again")),
            channel="portal",
        )
        results[waited] = {c.tag: c for c in r.checks.all()}
    assert results[45]["late"].verdict == "supported" and results[45]["late"].detail["minutes"] == 45
    assert results[5]["late"].verdict == "contradicted"


def test_a_hall_visit_again_against_the_persons_earlier_numbers(world: Any) -> None:
    first = served(world, item_code="X1", day=timezone.localdate() - timezone.timedelta(days=3))
    again = served(world, item_code="X1")
    verdicts = []
    for t in (first, again):
        r = s.review_give(
            actor=world.users["applicant"],
            service=HALL_VISIT,
            subject_id=t.pk,
            data=s.ReviewInput(level=1, tags=("visit_again",)),
            channel="portal",
        )
        verdicts.append(r.checks.get().verdict)
    assert verdicts == ["contradicted", "supported"]


@pytest.mark.parametrize(
    ("due", "done", "today", "verdict", "days"),
    [
        ("2026-03-02", "2026-03-06", "2026-03-10", "supported", 4),
        ("2026-03-06", "2026-03-06", "2026-03-10", "contradicted", None),
        ("2026-03-06", None, "2026-03-05", "contradicted", None),
        ("2026-03-06", None, "2026-03-09", "supported", 1),
    ],
)
def test_late_verdict(due: str, done: str | None, today: str, verdict: str, days: int | None) -> None:
    from datetime import date

    r = checks.late_verdict(
        due=date.fromisoformat(due),
        done=date.fromisoformat(done) if done else None,
        today=date.fromisoformat(today),
    )
    assert r.verdict == verdict and r.params.get("days") == days
    assert checks.late_verdict(due=None, done=None, today=date(2026, 3, 1)).verdict == "unknown"
