"""Every clock rule of a request with hand-computed dates on China's 2019 calendar (docs/rules.md §4).

2019 holidays used here: 13 September (Mid-Autumn), 1–7 October (National Day); make-up working days
Sunday 29 September, Saturday 12 October and Sunday 5 May."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

import pytest
from django.core.exceptions import PermissionDenied

from yiwang.audit.models import AuditEvent
from yiwang.cases.models import Case
from yiwang.core.errors import Conflict, ServiceError
from yiwang.disclosure import services as s
from yiwang.disclosure.models import DisclosureRequest

from .builders import file, travel

if TYPE_CHECKING:
    from tests.factories import World


def _clock(case: Case, purpose: str):  # type: ignore[no-untyped-def]
    return case.clocks.filter(purpose=purpose).select_related("clock").last().clock


def test_in_person_is_received_the_day_submitted_and_due_20_working_days_after(world: World) -> None:
    before = AuditEvent.objects.count()
    case = file(world, (2019, 9, 2))
    req = case.disclosure
    assert case.status == "received" and case.kind == "disclosure"
    assert case.number == f"GK{world.office.code}2019" + "00001"
    assert req.receipt_date == date(2019, 9, 2)
    # 3–6 Sep (4), 9–12 (8), 13 Mid-Autumn, 16–20 (13), 23–27 (18), Sun 29 make-up (19), 30 (20)
    assert case.due_date == date(2019, 9, 30)
    assert req.id_masked.startswith("110") and "19491231" not in req.id_masked and req.id_last4 == "002X"
    assert AuditEvent.objects.count() == before + 1


def test_post_is_received_the_day_signed_for_even_a_make_up_sunday(world: World) -> None:
    case = file(world, (2019, 5, 8), channel="post", signed_on=date(2019, 5, 5), address="龙岗区龙城街道1号")
    assert case.disclosure.receipt_date == date(2019, 5, 5)
    assert case.due_date == date(2019, 5, 31)  # 6–10, 13–17, 20–24, 27–31 May
    with pytest.raises(ServiceError) as err:
        file(world, (2019, 5, 8), channel="post")
    assert "signed_on" in err.value.fields


def test_online_on_a_holiday_is_confirmed_on_the_next_working_day(world: World) -> None:
    case = file(world, (2019, 10, 1), channel="online")
    assert case.status == "submitted" and case.due_date is None
    with travel(2019, 10, 3):  # the office confirms during the holiday: it counts on 8 October
        case = s.request_confirm(actor=world.users["reviewer"], case_id=case.pk)
    assert case.status == "received"
    assert case.disclosure.receipt_date == date(2019, 10, 8)
    # 9–11 Oct (3), Sat 12 make-up (4), 14–18 (9), 21–25 (14), 28–31 (18), 1 Nov (19), 4 Nov (20)
    assert case.due_date == date(2019, 11, 4)


def test_one_extension_of_at_most_20_working_days_approved_by_the_head(world: World) -> None:
    case = file(world, (2019, 9, 2))
    reviewer, head = world.users["reviewer"], world.users["supervisor"]
    with travel(2019, 9, 20):
        with pytest.raises(ServiceError):
            s.extension_request(actor=reviewer, case_id=case.pk, days=21, reason="涉及多个部门")
        s.extension_request(actor=reviewer, case_id=case.pk, days=20, reason="涉及多个部门")
        with pytest.raises(Conflict):  # one request waiting
            s.extension_request(actor=reviewer, case_id=case.pk, days=5, reason="again")
        with pytest.raises(PermissionDenied):  # the reviewer cannot approve it
            s.extension_decide(actor=reviewer, case_id=case.pk, approve=True)
        case = s.extension_decide(actor=head, case_id=case.pk, approve=True, reason="同意")
    # 20 working days after 30 Sep: 8–11 Oct (4), Sat 12 (5), 14–18 (10), 21–25 (15), 28–31 (19), 1 Nov (20)
    assert case.due_date == date(2019, 11, 1)
    assert case.notices.filter(kind="extension").count() == 1
    with travel(2019, 9, 23), pytest.raises(Conflict, match="once"):
        s.extension_request(actor=reviewer, case_id=case.pk, days=5, reason="again")


def test_correction_notice_within_7_working_days_and_the_clock_restarts(world: World) -> None:
    reviewer = world.users["reviewer"]
    late = file(world, (2019, 9, 2))
    with travel(2019, 9, 12), pytest.raises(Conflict, match="7 working days"):  # window ended 11 Sep
        s.request_correction(actor=reviewer, case_id=late.pk, what="请明确项目名称")
    case = file(world, (2019, 9, 2), id_number="440524188001010014")
    with travel(2019, 9, 11):
        case = s.request_correction(actor=reviewer, case_id=case.pk, what="请明确项目名称", days=5)
    assert case.status == "correction"
    assert case.disclosure.correction_deadline == date(2019, 9, 19)  # 12, 16, 17, 18, 19 (13th a holiday)
    assert case.notices.filter(kind="correction").count() == 1
    with travel(2019, 9, 16):
        case = s.request_correct(actor=reviewer, case_id=case.pk, text="龙城街道回龙埔社区改造项目")
    assert case.status == "received" and case.disclosure.corrected_on == date(2019, 9, 16)
    # 17–20 (4), 23–27 (9), Sun 29 (10), 30 (11), 8–11 Oct (15), Sat 12 (16), 14–17 (20)
    assert case.due_date == date(2019, 10, 17)
    with travel(2019, 9, 17), pytest.raises(Conflict, match="once"):
        s.request_correction(actor=reviewer, case_id=case.pk, what="again")


def test_not_corrected_in_time_is_deemed_withdrawn(world: World) -> None:
    case = file(world, (2019, 9, 2))
    with travel(2019, 9, 4):
        s.request_correction(actor=world.users["reviewer"], case_id=case.pk, what="请明确信息名称", days=15)
    assert DisclosureRequest.objects.get(pk=case.pk).correction_deadline == date(2019, 9, 26)
    with travel(2019, 9, 26):
        assert s.requests_sweep() == 0
    with travel(2019, 9, 27):
        assert s.requests_sweep() == 1
    case.refresh_from_db()
    assert case.status == "withdrawn" and not case.is_open


def test_third_party_pause_across_the_national_day_is_not_counted(world: World) -> None:
    reviewer = world.users["reviewer"]
    case = file(world, (2019, 9, 23))
    # unpaused: 24–27 (4), Sun 29 (5), 30 (6), 8–11 Oct (10), Sat 12 (11), 14–18 (16), 21–24 (20)
    assert case.due_date == date(2019, 10, 24)
    with travel(2019, 9, 27):
        case = s.third_party_consult(actor=reviewer, case_id=case.pk, name="某科技有限公司")
    # the third party's 15: Sun 29, 30, 8–11 Oct (6), Sat 12 (7), 14–18 (12), 21–23 (15)
    assert _clock(case, "third_party").due_date == date(2019, 10, 23)
    with travel(2019, 10, 10), pytest.raises(Conflict):
        s.reply_send(actor=reviewer, case_id=case.pk, data=s.ReplyInput("does_not_exist"))
    with travel(2019, 10, 15):
        case = s.third_party_answered(actor=reviewer, case_id=case.pk, opinion="不同意公开")
    # paused (27 Sep, 15 Oct]: 29, 30 Sep, 8–12, 14, 15 Oct = 9 working days not counted
    # 24 Oct + 9: 25 (1), 28–31 (5), 1 Nov (6), 4–6 (9)
    assert case.due_date == date(2019, 11, 6)
    assert _clock(case, "third_party").stopped_at is not None


def test_bad_input_is_refused_naming_the_field_and_nothing_is_saved(world: World) -> None:
    n = Case.objects.count()
    for kw, name in (
        ({"description": "  "}, "description"),
        ({"phone": "", "email": "", "address": ""}, "phone"),
        ({"applicant_name": ""}, "applicant_name"),
        ({"form": "fax"}, "form"),
        ({"phone": "12"}, "phone"),
    ):
        with pytest.raises(ServiceError) as err:
            file(world, (2019, 9, 2), **kw)
        assert name in err.value.fields
    assert Case.objects.count() == n
