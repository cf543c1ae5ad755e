"""What one applicant account may file per day (docs/rules.md §9: per-user caps), counted atomically per
local calendar day; a failed filing is not counted; staff filing at a window are not capped."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import override_settings

from yiwang.applications import services as s
from yiwang.cases.models import Case
from yiwang.core.errors import Conflict, RateLimited

from .builders import PDF, code_of

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


def _draft(world: Any, item: Any, *, ready: bool = True) -> Any:
    applicant = world.users["applicant"]
    case = s.application_draft_create(actor=applicant, item=item)
    if ready:
        s.application_draft_update(
            actor=applicant,
            case_id=case.pk,
            uploads=[s.Upload(code_of(item, p), PDF, f"{p}.pdf") for p in (1, 2)],
        )
    return case


@override_settings(CASES_DAILY_FILING_CAPS={"application": 2})
def test_the_third_filing_of_the_day_is_refused_and_tomorrow_allowed(world: Any, item: Any) -> None:
    applicant = world.users["applicant"]
    with time_machine.travel(datetime(2026, 12, 2, 23, 50, tzinfo=SHANGHAI), tick=False) as clock:
        incomplete = _draft(world, item, ready=False)
        with pytest.raises(Conflict):  # a failed filing does not use the allowance
            s.application_submit(actor=applicant, case_id=incomplete.pk)
        for _ in range(2):
            assert s.application_submit(actor=applicant, case_id=_draft(world, item).pk).status == "submitted"
        third = _draft(world, item)
        with pytest.raises(RateLimited) as refused:
            s.application_submit(actor=applicant, case_id=third.pk)
        assert refused.value.status == 429 and "2" in str(refused.value)
        assert Case.objects.get(pk=third.pk).status == "draft"  # nothing half-saved
        clock.move_to(datetime(2026, 12, 3, 0, 1, tzinfo=SHANGHAI))  # the next local day
        assert s.application_submit(actor=applicant, case_id=third.pk).status == "submitted"


@override_settings(CASES_DAILY_FILING_CAPS={"application": 1})
def test_the_api_answers_429_with_the_message_and_a_window_is_not_capped(
    world: Any, item: Any, client_for: Any
) -> None:
    s.application_submit(actor=world.users["applicant"], case_id=_draft(world, item).pk)
    second = _draft(world, item)
    r = client_for("applicant").post(
        f"/api/applications/{second.pk}/submit",
        "{}",
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert r.status_code == 429 and "the most one account may file in a day" in r.json()["message"]
    for _ in range(3):  # a clerk receiving at the window is not the applicant's own filing
        s.application_receive(actor=world.users["clerk"], item=item, person=world.other_person)
