"""The concierge: the board follows every case of the portfolio (also cases created after the enterprise
joined), notes, coordination requests with a response due per level and escalation, transfers, refusals."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from tests.factories import make_staff
from yiwang.accounts.roles import Role
from yiwang.cases import clockops
from yiwang.cases.models import Case
from yiwang.concierge import selectors
from yiwang.concierge import services as s
from yiwang.concierge.models import Transfer
from yiwang.core.errors import Conflict, ServiceError

from .builders import key_with_case

pytestmark = pytest.mark.django_db


def test_the_board_shows_every_case_of_the_portfolio_with_time_left(world: Any) -> None:
    o = key_with_case(world)
    rows = selectors.board(world.users["concierge"])
    assert [r["case"].pk for r in rows] == [o["case"].pk]  # not the other enterprise's case
    assert rows[0]["state"] == "open" and rows[0]["left"] == clockops.workdays_between(
        timezone.localdate(), o["case"].due_date
    )
    Case.objects.filter(pk=o["case"].pk).update(is_open=False, timeliness="early")
    rows = selectors.board(world.users["concierge"])
    assert rows[0]["state"] == "early"


def test_coordination_requests_have_a_due_date_per_level_and_escalate_to_the_leaders(world: Any) -> None:
    o = key_with_case(world)
    req = o["request"]
    today = timezone.localdate()
    assert (req.level, req.due_date, req.office_id) == (
        1,
        clockops.add_workdays(today, 1),
        o["case"].owning_office_id,
    )
    req = s.concierge_escalate(actor=world.users["concierge"], request_id=req.pk)
    assert (req.level, req.due_date) == (2, clockops.add_workdays(today, 3))
    req = s.concierge_escalate(actor=world.users["concierge"], request_id=req.pk)
    assert req.level == 3
    with pytest.raises(Conflict):
        s.concierge_escalate(actor=world.users["concierge"], request_id=req.pk)
    req = s.coordination_answer(actor=world.users["supervisor"], request_id=req.pk, answer="已协调，明日办结")
    assert req.answered_on == today
    elsewhere = make_staff("t_rev_elsewhere", [Role.REVIEWER], office=world.other_office)
    with pytest.raises(PermissionDenied):
        s.coordination_answer(actor=elsewhere, request_id=req.pk, answer="x")
    with pytest.raises(Conflict):
        s.coordination_answer(actor=world.users["reviewer"], request_id=req.pk, answer="again")


def test_a_concierge_cannot_act_on_an_enterprise_outside_their_portfolio(world: Any) -> None:
    o = key_with_case(world)
    other_concierge = make_staff("t_concierge2", [Role.CONCIERGE])
    with pytest.raises(PermissionDenied):
        s.concierge_note(actor=other_concierge, case_id=o["case"].pk, text="跟进")
    from yiwang.core.errors import NotFound

    with pytest.raises(NotFound):
        s.concierge_note(actor=world.users["concierge"], case_id=o["other"].pk, text="跟进")
    with pytest.raises(ServiceError):
        s.concierge_note(actor=world.users["concierge"], case_id=o["case"].pk, text="  ")
    s.concierge_note(actor=world.users["concierge"], case_id=o["case"].pk, text="已电话联系企业")
    assert selectors.board(world.users["concierge"])[0]["notes"] == 1


def test_transfers_are_recorded_and_move_the_board(world: Any) -> None:
    o = key_with_case(world)
    other_concierge = make_staff("t_concierge3", [Role.CONCIERGE])
    s.key_enterprise_transfer(
        actor=world.users["supervisor"],
        key_id=o["key"].pk,
        to_concierge_id=other_concierge.pk,
        reason="分工调整",
    )
    t = Transfer.objects.get()
    assert (t.from_concierge_id, t.to_concierge_id) == (world.users["concierge"].pk, other_concierge.pk)
    assert selectors.board(world.users["concierge"]) == []
    assert len(selectors.board(other_concierge)) == 1


def test_figures_and_the_agent_sees_their_concierge(world: Any, client_for: Any) -> None:
    o = key_with_case(world)
    Case.objects.filter(pk=o["case"].pk).update(is_open=False, timeliness="early")
    d = selectors.figures()
    assert (d["enterprises"], d["cases"], d["early"], d["early_rate"]) == (1, 1, 1, 100.0)
    assert d["by_department"][0]["label"] == world.dept.name
    html = client_for("agent").get("/concierge/mine/").content.decode()
    assert "t_concierge" in html and world.enterprise.name in html
    assert client_for("applicant").get("/api/concierge/mine").json() == []
