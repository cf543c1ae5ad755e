"""Every transition and guard of a hotline ticket, each clock limit, return / reassign / merge, callback and
reopen, co-handling, extensions and the refusals of bad input (nothing half-saved)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from yiwang.audit.models import AuditEvent
from yiwang.cases.models import Case, CaseAssignment, CaseEvent
from yiwang.core.errors import Conflict, ServiceError
from yiwang.hotline import selectors
from yiwang.hotline import services as s
from yiwang.hotline.models import Ticket

from .builders import PHONE, accepted, call, dispatched, replied, setup

if TYPE_CHECKING:
    from tests.factories import World

TZ = ZoneInfo("Asia/Shanghai")


def _clock(case: Case, purpose: str) -> object:
    return case.clocks.filter(purpose=purpose).select_related("clock").last().clock


def test_receive_records_caller_clock_suggestion_and_one_audit_event(world: World) -> None:
    before = AuditEvent.objects.count()
    case = call(world)
    t = case.ticket
    assert case.kind == "hotline" and case.status == "received" and case.number.startswith("RX")
    assert case.owning_office.code == "LG12345" and case.channel == "hotline"
    assert t.street == world.street and t.community == world.community
    assert t.suggested_office == world.office  # env-noise inherits the env rule
    assert t.phone_last4 == "5678" and t.phone_key and PHONE not in t.phone_key
    party = case.parties.get()
    assert party.role == "caller" and party.phone == PHONE and party.masked_phone == "139****5678"
    clock = _clock(case, "handling")
    assert clock.limit_kind == "working_days" and clock.limit_value == 13  # complaint
    assert AuditEvent.objects.count() == before + 1
    assert AuditEvent.objects.order_by("-id").first().action == "hotline.create"


@pytest.mark.parametrize(
    ("kind", "days"), [("consultation", 3), ("help", 3), ("complaint", 13), ("report", 13)]
)
def test_limit_per_type_in_working_days(world: World, kind: str, days: int) -> None:
    case = call(world, type=kind)
    clock = _clock(case, "handling")
    assert (clock.limit_kind, clock.limit_value) == ("working_days", days)


def test_urgent_is_due_the_same_day_in_hours(world: World) -> None:
    with time_machine.travel(datetime(2026, 3, 3, 9, 30, tzinfo=TZ), tick=False):
        case = call(world, urgency="urgent")
        clock = _clock(case, "handling")
        assert clock.limit_kind == "hours" and clock.limit_value == 14
        assert timezone.localtime(case.due_at).date() == timezone.localdate()
    with time_machine.travel(datetime(2026, 3, 3, 23, 30, tzinfo=TZ), tick=False):
        late = call(world, urgency="urgent", caller_phone="13900000001")
        assert _clock(late, "handling").limit_value == 2  # at least the configured minimum


def test_limits_are_configurable(world: World, settings: object) -> None:
    settings.HOTLINE = {**settings.HOTLINE, "limits": {"consultation": 5}, "urgent": 4}  # type: ignore[attr-defined]
    assert _clock(call(world, type="consultation"), "handling").limit_value == 5
    assert _clock(call(world, urgency="urgent", caller_phone="13900000002"), "handling").limit_value == 4


def test_business_line_follows_the_branch(world: World) -> None:
    assert call(world, category="biz-permit").ticket.business_line is True
    assert call(world, caller_phone="13900000003").ticket.business_line is False
    assert call(world, caller_phone="13900000004", business_line=True).ticket.business_line is True


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("category", "nope"),
        ("caller_phone", "12345"),
        ("caller_phone", "call me"),
        ("type", "rant"),
        ("description", ""),
        ("description", "长" * 2001),
        ("community", "999"),
    ],
)
def test_bad_input_is_refused_with_its_field_and_nothing_saved(world: World, field: str, value: str) -> None:
    setup(world)
    with pytest.raises(ServiceError) as err:
        call(world, **{field: value})
    assert field in err.value.as_dict()["fields"]
    assert not Case.objects.filter(kind="hotline").exists()


def test_location_outside_the_district_is_refused(world: World) -> None:
    with pytest.raises(ServiceError) as err:
        call(world, lat=39.9, lng=116.4)
    assert "lat" in err.value.as_dict()["fields"]
    case = call(world, lat=22.721, lng=114.251, community="")
    assert case.ticket.street == world.street


def test_anonymous_caller(world: World) -> None:
    case = call(world, caller_name="", caller_phone="", anonymous=True)
    party = case.parties.get()
    assert party.anonymous and party.display_name
    with pytest.raises(ServiceError):
        call(world, caller_name="", caller_phone="", anonymous=False)


def test_only_operators_record_calls(world: World) -> None:
    setup(world)
    with pytest.raises(PermissionDenied):
        s.ticket_receive(
            actor=world.users["reviewer"],
            data=s.TicketInput(type="help", category="env", description="x", caller_phone=PHONE),
        )


def test_dispatch_follows_the_catalogue_or_the_dispatcher(world: World) -> None:
    case = dispatched(world)
    assert case.status == "dispatched" and case.owning_office == world.office
    assert case.ticket.return_by is not None
    other = call(world, category="urban", caller_phone="13900000005")
    assert other.ticket.suggested_office == world.other_office  # category × street
    h = setup(world)
    sent = s.ticket_dispatch(
        actor=world.users["dispatcher"],
        case_id=other.pk,
        office=world.office.code,
        co_offices=[world.other_office.code],
    )
    assert sent.owning_office == world.office
    co = CaseAssignment.objects.get(case=sent, role="co_handling", until__isnull=True)
    assert co.office == world.other_office
    assert h["centre"].code == "LG12345"


def test_only_the_dispatcher_dispatches(world: World) -> None:
    case = call(world)
    with pytest.raises(PermissionDenied):
        s.ticket_dispatch(actor=world.users["hotline_operator"], case_id=case.pk)


def test_return_within_window_goes_back_and_the_clock_keeps_running(world: World) -> None:
    case = dispatched(world)
    due = case.due_at
    back = s.ticket_return(actor=world.users["reviewer"], case_id=case.pk, reason="不属于本单位职责")
    assert back.status == "returned" and back.owning_office.code == "LG12345"
    assert back.due_at == due and back.clock.stopped_at is None
    assert Ticket.objects.get(case=back).returns == 1
    assert back in selectors.dispatcher_board(world.users["dispatcher"]).returned
    again = s.ticket_reassign(
        actor=world.users["dispatcher"], case_id=case.pk, office=world.other_office, reason="属民政职责"
    )
    assert again.status == "dispatched" and again.owning_office == world.other_office and again.due_at == due


def test_return_needs_a_reason_and_the_window(world: World) -> None:
    case = dispatched(world)
    with pytest.raises(ServiceError):
        s.ticket_return(actor=world.users["reviewer"], case_id=case.pk, reason=" ")
    with time_machine.travel(timezone.now() + timedelta(days=6)), pytest.raises(Conflict) as err:
        s.ticket_return(actor=world.users["reviewer"], case_id=case.pk, reason="不归我们")
    assert "window" in str(err.value) or "退" in str(err.value)


def test_reassign_to_the_same_office_is_refused(world: World) -> None:
    case = dispatched(world)
    with pytest.raises(Conflict):
        s.ticket_reassign(actor=world.users["dispatcher"], case_id=case.pk, office=world.office, reason="x")


def test_another_office_cannot_act_or_see(world: World) -> None:
    h = setup(world)
    case = dispatched(world)
    with pytest.raises(PermissionDenied):
        s.ticket_accept(actor=h["other_reviewer"], case_id=case.pk)
    assert case.pk not in [c.pk for c in selectors.office_inbox(h["other_reviewer"])]
    assert case.pk in [c.pk for c in selectors.office_inbox(world.users["reviewer"])]


def test_co_handling_office_sees_and_must_answer_before_the_reply(world: World) -> None:
    h = setup(world)
    case = call(world)
    s.ticket_dispatch(actor=world.users["dispatcher"], case_id=case.pk, co_offices=[world.other_office.code])
    s.ticket_accept(actor=world.users["reviewer"], case_id=case.pk)
    assert case.pk in [c.pk for c in selectors.office_inbox(h["other_reviewer"])]
    with pytest.raises(Conflict):
        s.ticket_reply(actor=world.users["reviewer"], case_id=case.pk, handling="x", reply="已处理")
    s.ticket_answer_part(actor=h["other_reviewer"], case_id=case.pk, text="民政部分已核实")
    done = s.ticket_reply(actor=world.users["reviewer"], case_id=case.pk, handling="x", reply="已处理")
    assert done.status == "replied"
    with pytest.raises(PermissionDenied):
        s.ticket_reply(actor=h["other_reviewer"], case_id=case.pk, handling="x", reply="y")


def test_reply_starts_the_callback_clock_and_satisfied_callback_closes(world: World) -> None:
    case = replied(world)
    assert case.status == "replied" and case.timeliness in {"early", "on_time"}
    assert _clock(case, "handling").stopped_at is not None
    cb = _clock(case, "callback")
    assert cb.limit_value == 1 and cb.stopped_at is None and case.clock_id == cb.pk
    assert case in selectors.callbacks_due(world.users["hotline_operator"])
    closed = s.ticket_callback(actor=world.users["hotline_operator"], case_id=case.pk, rating="basic")
    assert closed.status == "closed" and closed.closed_at is not None and closed.ticket.rating == "basic"


def test_reply_needs_text(world: World) -> None:
    case = accepted(world)
    with pytest.raises(Conflict):
        s.ticket_reply(actor=world.users["reviewer"], case_id=case.pk, handling="", reply=" ")


def test_unsatisfied_goes_to_the_supervisor_who_reopens_once(world: World) -> None:
    case = replied(world)
    case = s.ticket_callback(actor=world.users["hotline_operator"], case_id=case.pk, rating="unsatisfied")
    assert case.status == "unsatisfied"
    assert case in selectors.escalations(world.users["supervisor"])["unsatisfied"]
    with pytest.raises(PermissionDenied):
        s.ticket_reopen(actor=world.users["reviewer"], case_id=case.pk, reason="x")
    case = s.ticket_reopen(actor=world.users["supervisor"], case_id=case.pk, reason="重新核查")
    assert case.status == "accepted" and case.ticket.reopened == 1 and case.clock.stopped_at is None
    case = s.ticket_reply(actor=world.users["reviewer"], case_id=case.pk, handling="复查", reply="已复查")
    case = s.ticket_callback(actor=world.users["hotline_operator"], case_id=case.pk, rating="unsatisfied")
    with pytest.raises(Conflict):  # once only (configurable)
        s.ticket_reopen(actor=world.users["supervisor"], case_id=case.pk, reason="再查")
    closed = s.ticket_close(actor=world.users["supervisor"], case_id=case.pk, reason="已两次处理")
    assert closed.status == "closed"


def test_bad_rating_refused(world: World) -> None:
    case = replied(world)
    with pytest.raises(ServiceError):
        s.ticket_callback(actor=world.users["hotline_operator"], case_id=case.pk, rating="meh")


def test_extension_request_approved_by_the_supervisor(world: World) -> None:
    case = accepted(world)
    due = case.due_date
    case = s.ticket_request_extension(
        actor=world.users["reviewer"], case_id=case.pk, days=3, reason="需多部门会商"
    )
    with pytest.raises(Conflict):
        s.ticket_request_extension(actor=world.users["reviewer"], case_id=case.pk, days=1, reason="again")
    assert case in selectors.escalations(world.users["supervisor"])["extensions"]
    with pytest.raises(PermissionDenied):
        s.ticket_decide_extension(actor=world.users["reviewer"], case_id=case.pk, approve=True)
    case = s.ticket_decide_extension(actor=world.users["supervisor"], case_id=case.pk, approve=True)
    assert case.due_date > due
    with pytest.raises(Conflict):
        s.ticket_decide_extension(actor=world.users["supervisor"], case_id=case.pk, approve=False)


def test_extension_refused(world: World) -> None:
    case = accepted(world)
    due = case.due_at
    s.ticket_request_extension(actor=world.users["reviewer"], case_id=case.pk, days=2, reason="需要时间")
    case = s.ticket_decide_extension(
        actor=world.users["supervisor"], case_id=case.pk, approve=False, reason="无需"
    )
    assert case.due_at == due
    with pytest.raises(ServiceError):
        s.ticket_request_extension(actor=world.users["reviewer"], case_id=case.pk, days=99, reason="x")


def test_duplicates_by_phone_and_by_place(world: World) -> None:
    first = call(world)
    same_phone = selectors.duplicate_candidates(phone_key=s.phone_key(PHONE))
    assert first in same_phone
    setup_ = setup(world)
    same_place = selectors.duplicate_candidates(category=setup_["noise"], community=world.community)
    assert first in same_place
    assert not selectors.duplicate_candidates(category=setup_["urban"], community=world.community)
    assert not selectors.duplicate_candidates(category=setup_["noise"], community=world.other_community)
    near = call(world, caller_phone="13900000009", lat=22.7200, lng=114.2500, community="")
    close = selectors.duplicate_candidates(category=setup_["noise"], lat=22.7205, lng=114.2503)
    assert near in close
    assert near not in selectors.duplicate_candidates(category=setup_["noise"], lat=22.80, lng=114.30)
    with time_machine.travel(timezone.now() + timedelta(days=10)):
        assert not selectors.duplicate_candidates(phone_key=s.phone_key(PHONE))


def test_merge_shares_the_reply_and_counts_each_caller_once(world: World) -> None:
    main = call(world)
    dup = call(world, caller_name="李女士", caller_phone="13900000010")
    again = call(world)  # the first caller calls again
    s.ticket_merge(actor=world.users["hotline_operator"], case_id=dup.pk, into_id=main.pk)
    s.ticket_merge(actor=world.users["hotline_operator"], case_id=again.pk, into_id=main.pk)
    dup.refresh_from_db()
    assert dup.status == "merged" and dup.parent_id == main.pk and dup.clock.stopped_at is not None
    phones = sorted(p.phone for p in selectors.ticket_callers(main))
    assert phones == sorted([PHONE, "13900000010"])
    s.ticket_dispatch(actor=world.users["dispatcher"], case_id=main.pk)
    s.ticket_accept(actor=world.users["reviewer"], case_id=main.pk)
    s.ticket_reply(actor=world.users["reviewer"], case_id=main.pk, handling="停工", reply="已停工")
    assert selectors.main_reply(dup).reply == "已停工"
    today = timezone.localdate()
    fig = selectors.figures(start=today, end=today)
    assert fig["total"]["received"] == 1 and fig["total"]["finished"] == 1


def test_merge_refusals(world: World) -> None:
    main = call(world)
    other = call(world, category="urban", caller_phone="13900000011")
    with pytest.raises(ServiceError) as err:
        s.ticket_merge(actor=world.users["hotline_operator"], case_id=other.pk, into_id=main.pk)
    assert "into" in err.value.as_dict()["fields"]
    with pytest.raises(ServiceError):
        s.ticket_merge(actor=world.users["hotline_operator"], case_id=main.pk, into_id=main.pk)
    with pytest.raises(PermissionDenied):
        s.ticket_merge(
            actor=world.users["reviewer"], case_id=main.pk, into_id=call(world, caller_phone="13900000012").pk
        )
    assert Case.objects.get(pk=other.pk).status == "received"


def test_every_transition_is_on_the_timeline_and_audited(world: World) -> None:
    case = replied(world)
    s.ticket_callback(actor=world.users["hotline_operator"], case_id=case.pk, rating="satisfied")
    actions = list(CaseEvent.objects.filter(case=case).values_list("action", flat=True))
    assert actions == ["create", "dispatch", "accept", "reply", "callback"]
    audited = list(
        AuditEvent.objects.filter(object_id=str(case.pk), action__startswith="hotline.").values_list(
            "action", flat=True
        )
    )
    assert audited == [
        "hotline.create",
        "hotline.dispatch",
        "hotline.accept",
        "hotline.reply",
        "hotline.callback",
    ]


def test_online_rating_by_number_and_last4(world: World) -> None:
    case = replied(world)
    with pytest.raises(Exception):  # noqa: B017 - NotFound for a wrong last-4
        s.ticket_rate_online(actor=None, number=case.number, last4="0000", rating="satisfied")
    done = s.ticket_rate_online(actor=None, number=case.number, last4="5678", rating="satisfied")
    assert done.status == "closed"


def test_phone_reveal_for_operators_only(world: World) -> None:
    case = call(world)
    assert s.ticket_phone_reveal(actor=world.users["hotline_operator"], case=case) == [PHONE]
    with pytest.raises(PermissionDenied):
        s.ticket_phone_reveal(actor=world.users["dispatcher"], case=case)
