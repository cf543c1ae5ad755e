"""信用+政务服务 in the application workflow (RULES §3): red → fast track and 容缺; black → no 容缺, stricter
review, the supervisor told; white → normal. Each case keeps the standing and reasons that applied then."""

from __future__ import annotations

import math
from typing import Any

import pytest
from django.utils import timezone, translation

from tests.applications.builders import code_of, make_item
from yiwang.applications import selectors as app_selectors
from yiwang.applications import services as s
from yiwang.audit.models import AuditEvent
from yiwang.cases import clockops
from yiwang.core.errors import Conflict
from yiwang.credit import services as credit
from yiwang.credit.models import CaseStanding, Record
from yiwang.notifications.models import Notification

from .builders import put_on

pytestmark = pytest.mark.django_db
BLACK_MESSAGE = "Applicants on the dishonesty black list cannot be accepted with missing materials (容缺)."


@pytest.fixture
def item(world: Any) -> Any:
    return make_item(world, committed=10)


def _receive(world: Any, item: Any, *, person: Any = None, enterprise: Any = None, provided=(1,)) -> Any:
    return s.application_receive(
        actor=world.users["clerk"],
        item=item,
        person=person if person is not None else (None if enterprise else world.other_person),
        enterprise=enterprise,
        provided=[code_of(item, p) for p in provided],
    )


def test_black_listed_applicant_cannot_use_rongque_and_the_supervisor_is_told(world: Any, item: Any) -> None:
    put_on(world.other_person.id_number, "court_dishonest", "c-1", source="court")
    case = _receive(world, item)
    row = CaseStanding.objects.get(case=case, step="received")
    assert row.standing == "black"
    assert [(r["category"], r["source"], r["rule"]) for r in row.reasons] == [
        ("court_dishonest", "court", "black-court-dishonest")
    ]
    told = Notification.objects.filter(recipient=world.users["supervisor"], object_id=str(case.pk))
    assert told.count() == 1 and "黑名单" in told.get().body
    receive_event = AuditEvent.objects.filter(action="application.receive", object_id=str(case.pk)).get()
    assert receive_event.data["credit"] == {
        "step": "received",
        "standing": "black",
        "rules": ["black-court-dishonest"],
    }
    with translation.override("en"), pytest.raises(Conflict) as err:
        s.application_accept_rongque(
            actor=world.users["clerk"], case_id=case.pk, promise_days=3, promise_signed=True
        )
    assert str(err.value) == BLACK_MESSAGE
    case.refresh_from_db()
    assert case.status == "received"


def test_the_clerk_sees_why_rongque_is_refused_on_the_case_page(
    world: Any, item: Any, client_for: Any
) -> None:
    put_on(world.other_person.id_number, "mr_serious", "m-1", source="market")
    case = _receive(world, item)
    clerk = client_for("clerk")
    page = clerk.get(f"/applications/case/{case.pk}/")
    html = page.content.decode()
    assert 'id="stricter-review"' in html and 'data-standing="black"' in html
    r = clerk.post(
        f"/applications/case/{case.pk}/",
        {
            "action": "accept_rongque",
            "promise_days": 3,
            "promise_signed": "on",
            "expected_version": case.version,
        },
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert r.status_code == 409
    assert "失信" in r.content.decode() and "容缺" in r.content.decode()
    case.refresh_from_db()
    assert case.status == "received"


def test_reception_screen_shows_the_standing_with_its_reasons(world: Any, item: Any, client_for: Any) -> None:
    put_on(world.enterprise.credit_code, "tax_d", "t-9", source="tax")
    r = client_for("clerk").get(
        "/applications/reception/",
        {"credit_code": world.enterprise.credit_code, "person": world.other_person.pk},
    )
    html = r.content.decode()
    assert 'data-standing="black"' in html
    assert "纳税信用D级" in html


def test_red_listed_applicant_is_fast_tracked_with_a_shorter_internal_target(world: Any, item: Any) -> None:
    put_on(world.enterprise.credit_code, "tax_a", "a-1")
    white = _receive(world, item, provided=(1, 2))
    red = _receive(world, item, enterprise=world.enterprise, person=world.other_person)
    # the red case was received later (same due date): it comes first in the inbox
    s.application_accept(actor=world.users["clerk"], case_id=white.pk)
    red = s.application_accept_rongque(
        actor=world.users["clerk"], case_id=red.pk, promise_days=2, promise_signed=True
    )
    accepted = CaseStanding.objects.get(case=red, step="accepted_rongque")
    today = timezone.localdate()
    assert accepted.standing == "red"
    assert accepted.internal_target == clockops.add_workdays(today, math.ceil(10 * 0.5))
    assert accepted.internal_target < red.due_date
    inbox = list(app_selectors.inbox(world.users["reviewer"]))
    assert [c.pk for c in inbox] == [red.pk, white.pk]
    assert inbox[0].fast_track and not inbox[1].fast_track
    white_row = CaseStanding.objects.get(case=white, step="accepted")
    assert (white_row.standing, white_row.internal_target, white_row.reasons) == ("white", None, [])


def test_the_case_keeps_the_standing_that_applied_at_the_time(world: Any, item: Any, client_for: Any) -> None:
    put_on(world.other_person.id_number, "court_dishonest", "c-2", source="court")
    before = _receive(world, item, provided=(1, 2))
    record = Record.objects.get(source_record_id="c-2")
    credit.credit_repair(
        actor=world.users["credit_officer"],
        record_id=record.pk,
        decision_reference="龙信修〔2026〕12号",
        decided_on=timezone.localdate(),
    )
    after = _receive(world, item, provided=(1, 2))
    assert CaseStanding.objects.get(case=before).standing == "black"
    assert CaseStanding.objects.get(case=after).standing == "white"
    html = client_for("reviewer").get(f"/applications/case/{before.pk}/").content.decode()
    assert 'data-standing="black"' in html and "失信被执行人" in html
    s.application_accept_rongque(
        actor=world.users["clerk"], case_id=_receive(world, item).pk, promise_days=2, promise_signed=True
    )


def test_an_online_submission_records_the_standing(world: Any, item: Any) -> None:
    from tests.applications.builders import PDF

    applicant = world.users["applicant"]
    put_on(world.person.id_number, "honours", "h-1", source="gov")
    case = s.application_draft_create(actor=applicant, item=item)
    s.application_draft_update(
        actor=applicant,
        case_id=case.pk,
        uploads=[s.Upload(code_of(item, p), PDF, f"{p}.pdf") for p in (1, 2)],
    )
    s.application_submit(actor=applicant, case_id=case.pk)
    assert CaseStanding.objects.get(case=case, step="received").standing == "red"
