"""A signed-in citizen's online tickets count against the daily filing cap; operators taking calls do not."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from django.test import override_settings

from yiwang.cases.models import Case
from yiwang.core.errors import RateLimited
from yiwang.hotline import services as s

from .builders import call, setup

if TYPE_CHECKING:
    from tests.factories import World

pytestmark = pytest.mark.django_db


def _data(w: World, n: int) -> Any:
    return s.TicketInput(
        type="complaint",
        category="env-noise",
        description=f"夜间施工噪音扰民 {n}",
        caller_name="张三",
        caller_phone=f"1390000{n:04d}",
        address="龙城街道龙西社区1号",
        community=w.community.code,
    )


@override_settings(CASES_DAILY_FILING_CAPS={"hotline": 2})
def test_the_third_online_ticket_of_the_day_is_refused(world: World) -> None:
    setup(world)
    applicant = world.users["applicant"]
    for n in range(2):
        s.ticket_receive(
            actor=applicant, data=_data(world, n), channel=Case.Channel.ONLINE, person=world.person
        )
    with pytest.raises(RateLimited) as refused:
        s.ticket_receive(
            actor=applicant, data=_data(world, 3), channel=Case.Channel.ONLINE, person=world.person
        )
    assert refused.value.status == 429
    assert Case.objects.filter(kind="hotline").count() == 2  # nothing half-saved
    for n in range(3):  # an operator recording calls is not capped
        call(world, caller_phone=f"1380000{n:04d}")
