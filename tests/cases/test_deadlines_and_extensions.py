"""Kernel features the hotline needs, proved with a kind registered only here: an hour clock whose due
moment is on the case (``due_at``), several clocks with limits given per case, extension requests a
supervisor decides, and the due-soon / overdue queries."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

import pytest
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yiwang.accounts.roles import Role
from yiwang.cases import selectors
from yiwang.cases.capacities import OfficeCapacity, RoleCapacity
from yiwang.cases.models import Case, CaseExtensionRequest
from yiwang.cases.services import (
    PartySpec,
    TransitionRequest,
    case_create,
    case_extension_decide,
    case_extension_pending,
    case_extension_request_open,
    case_transition,
)
from yiwang.cases.states import case_states_sync
from yiwang.cases.workflow import (
    STAY,
    ClockEffect,
    ClockStep,
    ClockUnit,
    PartyRole,
    Transition,
    Workflow,
    register,
    unregister,
)
from yiwang.core.errors import Conflict

if TYPE_CHECKING:
    from collections.abc import Iterator

    from tests.factories import World

KIND = "test_deadline"
C = ClockEffect
WORKFLOW = Workflow(
    kind=KIND,
    statuses={"open": _("Open"), "done": _("Done")},
    initial=frozenset({"open"}),
    final=frozenset({"done"}),
    parties={"caller": PartyRole("caller", principal=True)},
    capacities={
        "handler": OfficeCapacity(frozenset({Role.REVIEWER})),
        "supervisor": OfficeCapacity(frozenset({Role.SUPERVISOR})),
    },
    viewers=frozenset({"handler", "supervisor"}),
    transitions={
        "start": Transition(
            "start",
            frozenset({"open"}),
            STAY,
            frozenset({"handler"}),
            clock=(
                ClockStep(C.START, "handling", ClockUnit.HOURS, primary=True),
                ClockStep(C.START, "window", ClockUnit.WORKING_DAYS, primary=False),
            ),
        ),
        "ask_more_time": Transition("ask_more_time", frozenset({"open"}), STAY, frozenset({"handler"})),
        "grant_more_time": Transition(
            "grant_more_time",
            frozenset({"open"}),
            STAY,
            frozenset({"supervisor"}),
            clock=ClockStep(C.EXTEND, "handling", ClockUnit.HOURS),
        ),
        "finish": Transition(
            "finish", frozenset({"open"}), "done", frozenset({"handler"}), clock=ClockStep(C.STOP, "*")
        ),
    },
    number_format="DL{year}{seq:05d}",
)


@pytest.fixture
def kind(db: None) -> Iterator[Workflow]:
    register(WORKFLOW)
    case_states_sync()
    yield WORKFLOW
    unregister(KIND)


def _case(world: World) -> Case:
    with transaction.atomic():
        case = case_create(
            actor=None,
            kind=KIND,
            status="open",
            title="来电",
            owning_office=world.office,
            channel=Case.Channel.HOTLINE,
            parties=[PartySpec("caller", name="", phone="", anonymous=True)],
        )
    return case_transition(
        actor=world.users["reviewer"],
        case_id=case.pk,
        request=TransitionRequest(
            "start", clock={"handling": {"limit": 4, "due_soon_within": 1}, "window": {"limit": 1}}
        ),
    )


def test_hour_clock_puts_its_due_moment_on_the_case(kind: Workflow, world: World) -> None:
    case = _case(world)
    assert case.due_at is not None
    assert timedelta(hours=3, minutes=59) < case.due_at - timezone.now() <= timedelta(hours=4)
    assert case.due_date == timezone.localdate(case.due_at)
    clocks = {r.purpose: r for r in selectors.case_clock_rows(case)}
    assert set(clocks) == {"handling", "window"}
    assert clocks["handling"].primary and not clocks["window"].primary
    assert clocks["handling"].clock.limit_kind == "hours" and clocks["handling"].clock.due_soon_within == 1
    assert clocks["window"].clock.limit_kind == "working_days"


def test_due_soon_and_overdue_queries(kind: Workflow, world: World) -> None:
    case = _case(world)
    now = timezone.now()
    qs = Case.objects.filter(kind=KIND)
    assert not qs.filter(selectors.cases_overdue_q(now=now)).exists()
    assert not qs.filter(selectors.cases_due_soon_q(within=timedelta(hours=1), now=now)).exists()
    assert qs.filter(selectors.cases_due_soon_q(within=timedelta(hours=5), now=now)).exists()
    later = now + timedelta(hours=5)
    assert list(qs.filter(selectors.cases_overdue_q(now=later))) == [case]
    left = selectors.case_time_left(case, now=later)
    assert left is not None and left < timedelta(0)


def _ask(world: World, case: Case, amount: int = 2) -> Case:
    def apply(c: Case, t: Any, f: Any) -> dict[str, Any]:
        req = case_extension_request_open(
            case=c, actor=world.users["reviewer"], purpose="handling", amount=amount, reason="需现场核查"
        )
        return {"extension_request": req.pk}

    return case_transition(
        actor=world.users["reviewer"],
        case_id=case.pk,
        request=TransitionRequest("ask_more_time"),
        apply=apply,
    )


def _grant(world: World, case: Case, approve: bool = True) -> Case:
    req = case_extension_pending(case, "handling")
    assert req is not None

    def clock(c: Case, f: Any) -> dict[str, Any]:
        return case_extension_decide(request=req, actor=world.users["supervisor"], approve=approve)

    return case_transition(
        actor=world.users["supervisor"],
        case_id=case.pk,
        request=TransitionRequest("grant_more_time", clock=clock),
    )


def test_extension_request_decided_by_a_supervisor_extends_the_clock(kind: Workflow, world: World) -> None:
    case = _case(world)
    before = case.due_at
    case = _ask(world, case)
    with pytest.raises(Conflict):  # one pending request per clock
        _ask(world, case)
    case = _grant(world, case)
    assert case.due_at is not None and before is not None
    assert case.due_at - before == timedelta(hours=2)
    req = CaseExtensionRequest.objects.get(case=case)
    assert req.state == "approved" and req.decided_by == world.users["supervisor"] and req.unit == "hours"
    with pytest.raises(Conflict):  # one extension per clock by default
        _ask(world, case)


def test_extension_request_refused_leaves_the_clock(kind: Workflow, world: World) -> None:
    case = _case(world)
    before = case.due_at
    case = _ask(world, case)
    req = case_extension_pending(case)
    assert req is not None
    with transaction.atomic():
        case_extension_decide(request=req, actor=world.users["supervisor"], approve=False, reason="无必要")
    req.refresh_from_db()
    case.refresh_from_db()
    assert req.state == "refused" and case.due_at == before
    with pytest.raises(Conflict):
        case_extension_decide(request=req, actor=world.users["supervisor"], approve=True)


def test_no_extension_request_without_a_running_clock(kind: Workflow, world: World) -> None:
    case = _case(world)
    case = case_transition(
        actor=world.users["reviewer"], case_id=case.pk, request=TransitionRequest("finish")
    )
    assert case.is_open is False
    with pytest.raises(Conflict):
        case_extension_request_open(
            case=case, actor=world.users["reviewer"], purpose="handling", amount=1, reason="x"
        )


def test_role_capacity_holds_exactly_for_the_cases_it_lists(kind: Workflow, world: World) -> None:
    """A district-wide desk (``RoleCapacity``): every case of the kind for holders of the role, none for others;
    ``holds`` and ``cases_q`` agree."""
    case = _case(world)
    desk = RoleCapacity(frozenset({Role.DISPATCHER}))
    for role, user in world.users.items():
        listed = Case.objects.filter(desk.cases_q(user), pk=case.pk).exists()
        assert desk.holds(user, case) is listed, role
        assert listed is (role == "dispatcher"), role
