"""A second kind of case, registered only here, uses every kernel feature without touching applications:
parties (a requester, a third party who does not follow the case, a free-contact caller), two clocks at
once in two units (a reply clock in working days, a sign-off clock in hours), a transfer between offices
with its history, a parent case and its children, its own statuses and capacities, and the post-commit
``CaseTransitioned`` event."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, connection, transaction
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from tests.factories import World, make_staff
from yiwang.accounts.roles import Role
from yiwang.audit.models import AuditEvent
from yiwang.cases import selectors
from yiwang.cases.access import access_case_act, access_case_view, cases_visible
from yiwang.cases.capacities import AnyCapacity, OfficeCapacity, PartyCapacity
from yiwang.cases.events import CaseTransitioned, subscribe, unsubscribe
from yiwang.cases.models import Case, CaseAssignment
from yiwang.cases.services import PartySpec, TransitionRequest, case_create, case_transfer, case_transition
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
    workflow_for,
)
from yiwang.core.errors import Conflict, ServiceError

if TYPE_CHECKING:
    from collections.abc import Iterator

KIND = "test_request"
C = ClockEffect

WORKFLOW = Workflow(
    kind=KIND,
    label="test request",
    statuses={
        "received": _("Received"),
        "assigned": _("Being handled"),
        "replied": _("Replied"),
        "closed": _("Closed"),
    },
    initial=frozenset({"received"}),
    final=frozenset({"closed"}),
    parties={
        "requester": PartyRole("requester", required=True, principal=True),
        "third_party": PartyRole("third party", many=True, follows=False),
        "caller": PartyRole("caller", follows=False),
    },
    capacities={
        "requester": PartyCapacity(frozenset({"requester"}), staff=False),
        "dispatcher": OfficeCapacity(frozenset({Role.SUPERVISOR})),
        "handler": OfficeCapacity(frozenset({Role.REVIEWER})),
        "co_handler": OfficeCapacity(
            frozenset({Role.REVIEWER}), assignment=frozenset({CaseAssignment.CO_HANDLING})
        ),
        "staff": AnyCapacity(
            (
                OfficeCapacity(frozenset({Role.REVIEWER, Role.SUPERVISOR})),
                OfficeCapacity(
                    frozenset({Role.REVIEWER}), assignment=frozenset({CaseAssignment.CO_HANDLING})
                ),
            )
        ),
    },
    viewers=frozenset({"requester", "staff"}),
    transitions={
        "dispatch": Transition(
            "dispatch",
            frozenset({"received"}),
            "assigned",
            frozenset({"dispatcher"}),
            clock=(
                ClockStep(C.START, "reply", ClockUnit.WORKING_DAYS, primary=True),
                ClockStep(C.START, "sign_off", ClockUnit.HOURS, primary=False),
            ),
        ),
        "sign_off": Transition(
            "sign_off",
            frozenset({"assigned"}),
            STAY,
            frozenset({"handler"}),
            clock=ClockStep(C.STOP, "sign_off"),
        ),
        "transfer": Transition(
            "transfer", frozenset({"assigned"}), STAY, frozenset({"dispatcher", "handler"}), needs_reason=True
        ),
        "reply": Transition(
            "reply",
            frozenset({"assigned"}),
            "replied",
            frozenset({"handler", "co_handler"}),
            clock=ClockStep(C.STOP, "reply"),
            guards=(lambda f: None if f.get("text") else "Write the reply.",),
        ),
        "close": Transition("close", frozenset({"replied"}), "closed", frozenset({"requester", "handler"})),
    },
    number_format="TST{year}{seq:05d}",
)


@pytest.fixture
def kind(db: None) -> Iterator[Workflow]:
    register(WORKFLOW)
    case_states_sync()
    yield WORKFLOW
    unregister(KIND)


@pytest.fixture
def staff(world: World) -> dict[str, Any]:
    return {
        "dispatcher": world.users["supervisor"],  # supervisor of world.office
        "handler": world.users["reviewer"],  # reviewer of world.office
        "other_handler": make_staff("t_rev_other", [Role.REVIEWER], office=world.other_office),
        "other_dispatcher": make_staff("t_sup_other", [Role.SUPERVISOR], office=world.other_office),
    }


def _new(world: World, *, parent: Case | None = None, **extra: Any) -> Case:
    with transaction.atomic():
        return case_create(
            actor=None,
            kind=KIND,
            status="received",
            title="请求",
            owning_office=world.office,
            channel=Case.Channel.HOTLINE,
            parties=[
                PartySpec("requester", person=world.person),
                PartySpec("third_party", enterprise=world.other_enterprise),
                PartySpec("caller", name="匿名来电", phone="13800138000"),
            ],
            parent=parent,
            **extra,
        )


def _go(actor: Any, case: Case, action: str, **kw: Any) -> Case:
    return case_transition(actor=actor, case_id=case.pk, request=TransitionRequest(action=action, **kw))


def test_the_kind_has_its_own_vocabulary_numbers_and_parties(kind: Workflow, world: World) -> None:
    case = _new(world)
    assert case.number is not None and case.number.startswith("TST") and case.number.endswith("00001")
    with translation.override("en"):
        assert workflow_for(case.kind).status_label(case.status) == "Received"
    assert case.applicant_person == world.person  # the principal party, denormalised
    roles = sorted(p.role for p in selectors.case_party_rows(case))
    assert roles == ["caller", "requester", "third_party"]
    caller = next(p for p in selectors.case_party_rows(case) if p.role == "caller")
    assert caller.masked_phone == "138****8000"
    # The database refuses a status the kind does not declare: the state must be the kind and status …
    with pytest.raises(IntegrityError), transaction.atomic():
        Case.objects.filter(pk=case.pk).update(status="approved")
    # … and a registered (kind, status) pair (a deferred foreign key, checked at commit).
    with pytest.raises(IntegrityError), transaction.atomic():
        Case.objects.filter(pk=case.pk).update(status="approved", state_id=f"{KIND}:approved")
        connection.check_constraints(table_names=["cases_case"])


def test_a_required_party_is_required(kind: Workflow, world: World) -> None:
    with pytest.raises(ServiceError) as exc, transaction.atomic():
        case_create(
            actor=None,
            kind=KIND,
            status="received",
            title="x",
            owning_office=world.office,
            channel="hotline",
            parties=[PartySpec("caller", anonymous=True)],
        )
    assert "requester" in exc.value.fields


def test_two_clocks_in_two_units_and_the_primary_drives_the_due_date(
    kind: Workflow, world: World, staff: Any
) -> None:
    case = _new(world)
    case = _go(
        staff["dispatcher"],
        case,
        "dispatch",
        clock={"reply": {"limit": 15, "label": "reply"}, "sign_off": {"limit": 2, "label": "sign off"}},
    )
    clocks = {c.purpose: c for c in selectors.case_clock_rows(case)}
    assert set(clocks) == {"reply", "sign_off"}
    assert clocks["reply"].primary and not clocks["sign_off"].primary
    assert (
        clocks["reply"].clock.limit_kind == "working_days" and clocks["sign_off"].clock.limit_kind == "hours"
    )
    assert case.due_date == clocks["reply"].clock.due_date
    assert clocks["sign_off"].clock.due_at is not None
    assert clocks["sign_off"].clock.due_at - clocks["sign_off"].clock.started_at <= timedelta(days=7)
    case = _go(staff["handler"], case, "sign_off")
    clocks = {c.purpose: c for c in selectors.case_clock_rows(case)}
    assert clocks["sign_off"].clock.stopped_at is not None and clocks["reply"].clock.stopped_at is None
    # One audit event per transition, the clocks' changes in its details (no separate clock.* rows).
    events = AuditEvent.objects.filter(
        object_type="cases.case", object_id=str(case.pk), action=f"{KIND}.dispatch"
    )
    assert events.count() == 1
    assert [c["purpose"] for c in events.get().data["clocks"]] == ["reply", "sign_off"]
    assert not AuditEvent.objects.filter(
        action__startswith="clock.", object_id__in=[str(c.clock_id) for c in clocks.values()]
    ).exists()


def test_capacities_decide_access_and_listing_alike(kind: Workflow, world: World, staff: Any) -> None:
    case = _new(world)
    assert access_case_view(world.users["applicant"], case)  # the requester
    assert not access_case_view(world.users["agent"], case)  # the third party's agent does not follow it
    assert access_case_view(staff["handler"], case) and not access_case_view(staff["other_handler"], case)
    assert set(cases_visible(staff["handler"], kind=KIND)) == {case}
    assert not cases_visible(staff["other_handler"], kind=KIND).exists()
    with pytest.raises(PermissionDenied):
        _go(staff["handler"], case, "dispatch")  # a handler is not the dispatcher
    denied = AuditEvent.objects.filter(outcome="denied", action="case.dispatch", actor_id=staff["handler"].pk)
    assert denied.count() == 1  # the refusal's audit row survives


def test_a_transfer_is_a_transition_with_history_and_moves_access(
    kind: Workflow, world: World, staff: Any
) -> None:
    case = _new(world)
    case = _go(
        staff["dispatcher"], case, "dispatch", clock={"reply": {"limit": 15}, "sign_off": {"limit": 2}}
    )
    with pytest.raises(ServiceError):
        _go(staff["dispatcher"], case, "transfer")  # a transfer needs its reason

    def move(c: Case, t: Any, f: Any) -> dict[str, Any]:
        return case_transfer(
            case=c, actor=staff["dispatcher"], office=world.other_office, reason="属民政职能"
        )

    case = case_transition(
        actor=staff["dispatcher"],
        case_id=case.pk,
        request=TransitionRequest(action="transfer", reason="属民政职能"),
        apply=move,
    )
    assert case.owning_office == world.other_office
    history = list(selectors.case_assignment_rows(case))
    assert [(a.office_id, a.until is None) for a in history] == [
        (world.office.pk, False),
        (world.other_office.pk, True),
    ]
    assert history[0].reason == "属民政职能"
    assert access_case_view(staff["other_handler"], case) and not access_case_view(staff["handler"], case)
    assert all(c.clock.office_id == world.other_office.pk for c in selectors.case_clock_rows(case))
    event = case.events.get(action="transfer")
    assert event.data["to_office"] == world.other_office.pk and event.reason == "属民政职能"


def test_a_co_handling_office_may_reply(kind: Workflow, world: World, staff: Any) -> None:
    from yiwang.cases.services import case_assignment_add

    case = _new(world)
    case = _go(
        staff["dispatcher"], case, "dispatch", clock={"reply": {"limit": 15}, "sign_off": {"limit": 2}}
    )
    assert not access_case_act(staff["other_handler"], case, "co_handler")
    case_assignment_add(
        case=case, actor=staff["dispatcher"], role=CaseAssignment.CO_HANDLING, office=world.other_office
    )
    assert access_case_act(staff["other_handler"], case, "co_handler")
    assert access_case_view(staff["other_handler"], case)
    with pytest.raises(Conflict):
        _go(staff["other_handler"], case, "reply", facts=lambda c: {})  # the guard wants the reply's text
    case = _go(staff["other_handler"], case, "reply", facts=lambda c: {"text": "已答复"})
    assert case.status == "replied" and case.is_open
    assert case.clock is not None and case.clock.stopped_at is not None
    case = _go(world.users["applicant"], case, "close")
    assert case.status == "closed" and not case.is_open and case.closed_at is not None


def test_a_parent_owns_its_children(kind: Workflow, world: World) -> None:
    parent = _new(world)
    first, second = _new(world, parent=parent), _new(world, parent=parent)
    assert list(selectors.case_children(parent)) == [first, second]
    assert selectors.case_parent(first) == parent and selectors.case_parent(parent) is None


def test_the_party_timeline_follows_parties_across_kinds(kind: Workflow, world: World) -> None:
    case = _new(world)
    mine = {e.case_id for e in selectors.party_timeline(world.users["applicant"])}
    assert case.pk in mine
    # The agent acts for world.enterprise; the third party here is world.other_enterprise, and third
    # parties do not follow the case in this kind anyway.
    assert case.pk not in {e.case_id for e in selectors.party_timeline(world.users["agent"])}


def test_case_transitioned_is_delivered_after_commit_only(
    kind: Workflow, world: World, staff: Any, django_capture_on_commit_callbacks: Any
) -> None:
    seen: list[CaseTransitioned] = []

    @subscribe(kind=KIND, action="dispatch")
    def on_dispatch(event: CaseTransitioned) -> None:
        seen.append(event)

    try:
        case = _new(world)
        with django_capture_on_commit_callbacks(execute=False) as pending:
            _go(
                staff["dispatcher"],
                case,
                "dispatch",
                clock={"reply": {"limit": 15}, "sign_off": {"limit": 2}},
            )
        assert seen == []  # nothing before the commit
        for callback in pending:
            callback()
        assert [(e.kind, e.action, e.from_status, e.to_status, e.capacity) for e in seen] == [
            (KIND, "dispatch", "received", "assigned", "dispatcher")
        ]
        # A transition that rolls back publishes nothing.
        with django_capture_on_commit_callbacks(execute=True) as pending, pytest.raises(Conflict):
            _go(staff["handler"], case, "reply", facts=lambda c: {})
        assert len(seen) == 1
    finally:
        unsubscribe(on_dispatch)


def test_the_kernel_names_no_kind() -> None:
    """Nothing in cases/ names an application status, capacity, hall or party role."""
    from pathlib import Path

    src = Path(__file__).resolve().parents[2] / "src" / "yiwang" / "cases"
    words = [
        "receiving_hall",
        "return_hall",
        '"accepted"',
        '"draft"',
        '"clerk"',
        '"reviewer"',
        '"applicant"',
        "Role.CLERK",
    ]
    found = [f"{p.name}: {w}" for p in src.glob("*.py") for w in words if w in p.read_text(encoding="utf-8")]
    assert not found, found
