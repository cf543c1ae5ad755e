"""docs/rules.md §2–3 as the platform applies them: the 5-working-day rule, one window and 通办, 不见面."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from tests.factories import make_staff
from yiwang.accounts.models import Hall
from yiwang.accounts.roles import Role
from yiwang.applications import services as s
from yiwang.applications.models import Application
from yiwang.cases import clockops
from yiwang.core.errors import Conflict, ServiceError

from .builders import code_of, make_item

pytestmark = pytest.mark.django_db


def _age(case: Any, received: date) -> None:
    """Pretend the case was received on ``received`` (the window ends 5 working days later)."""
    Application.objects.filter(case=case).update(
        received_on=received, acceptance_window_ends=clockops.add_workdays(received, 5)
    )


def test_acceptance_window_is_five_working_days_after_receipt(world: Any, item: Any) -> None:
    case = s.application_receive(actor=world.users["clerk"], item=item, person=world.other_person)
    app = Application.objects.get(case=case)
    assert clockops.workdays_between(app.received_on, app.acceptance_window_ends) == 5
    # Across the 2026 National Day holiday, received Tue 29 Sep: 30 Sep (1), 1–7 Oct holidays, Thu 8 Oct (2),
    # Fri 9 Oct (3), Sat 10 Oct is a make-up working day (4), Mon 12 Oct (5).
    assert clockops.add_workdays(date(2026, 9, 29), 5) == date(2026, 10, 12)


def test_sweep_counts_an_unanswered_application_as_accepted_on_the_day_received(
    world: Any, item: Any
) -> None:
    case = s.application_receive(actor=world.users["clerk"], item=item, person=world.other_person)
    received = date(2026, 9, 1)
    _age(case, received)
    result = s.applications_sweep()
    assert result.deemed_accepted == 1
    case.refresh_from_db()
    app = Application.objects.get(case=case)
    assert case.status == "accepted" and app.deemed_accepted
    assert case.accepted_on == received
    # the decision clock counts from the day received, on the committed limit
    assert case.clock.limit_value == item.committed_limit_days
    assert case.due_date == clockops.add_workdays(received, item.committed_limit_days)
    assert s.applications_sweep().deemed_accepted == 0


def test_the_rule_also_applies_on_any_action(world: Any, item: Any) -> None:
    case = s.application_receive(actor=world.users["clerk"], item=item, person=world.other_person)
    _age(case, date(2026, 9, 1))
    with pytest.raises(Conflict) as err:
        s.application_request_correction(
            actor=world.users["clerk"], case_id=case.pk, items={code_of(item, 1): "缺页"}
        )
    assert err.value.code == "deemed_accepted"
    case.refresh_from_db()
    assert case.status == "accepted"


def test_a_correction_notice_in_time_stops_the_rule(world: Any, item: Any) -> None:
    case = s.application_receive(actor=world.users["clerk"], item=item, person=world.other_person)
    s.application_request_correction(
        actor=world.users["clerk"], case_id=case.pk, items={code_of(item, 1): "缺页"}
    )
    _age(case, date(2026, 9, 1))
    assert s.applications_sweep().deemed_accepted == 0
    case.refresh_from_db()
    assert case.status == "correction"


def test_window_not_passed_on_the_fifth_day(world: Any, item: Any) -> None:
    from django.utils import timezone

    case = s.application_receive(actor=world.users["clerk"], item=item, person=world.other_person)
    today = timezone.localdate()
    Application.objects.filter(case=case).update(acceptance_window_ends=today)
    assert s.applications_sweep().deemed_accepted == 0


# --- one window and 通办 ----------------------------------------------------------------------------


def test_any_district_item_at_the_district_hall_routed_to_its_office(world: Any) -> None:
    other_dept_item = make_item(world, office=world.other_office, name="社会救助")
    case = s.application_receive(actor=world.users["clerk"], item=other_dept_item, person=world.other_person)
    assert case.application.receiving_hall == world.hall
    assert case.owning_office == world.other_office  # routed to the owning back office
    assert case.application.return_hall == world.hall  # the result comes back to the hall chosen


def test_street_hall_cannot_take_a_district_only_item_but_can_take_tongban(world: Any) -> None:
    street_clerk = make_staff("t_street_clerk", [Role.CLERK], hall=world.other_hall)
    district_only = make_item(world, name="仅区级事项")
    with pytest.raises(ServiceError) as err:
        s.application_receive(actor=street_clerk, item=district_only, person=world.other_person)
    assert err.value.code == "not_at_this_hall"
    tongban = make_item(world, name="全区通办事项", tongban="district")
    case = s.application_receive(
        actor=street_clerk,
        item=tongban,
        person=world.other_person,
        return_hall=world.hall,
        delivery_method="pickup",
    )
    assert case.application.receiving_hall == world.other_hall
    assert case.owning_office == world.office
    assert case.application.return_hall == world.hall


def test_clerk_cannot_receive_for_another_hall(world: Any, item: Any) -> None:
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        s.application_receive(
            actor=world.users["clerk"], item=item, person=world.other_person, hall=world.other_hall
        )


def test_reviewer_outside_the_office_is_refused_and_audited(world: Any, item: Any) -> None:
    from django.core.exceptions import PermissionDenied

    from yiwang.audit.models import AuditEvent

    outsider = make_staff("t_rev_other", [Role.REVIEWER], office=world.other_office)
    case = s.application_receive(
        actor=world.users["clerk"],
        item=item,
        person=world.other_person,
        provided=[code_of(item, 1), code_of(item, 2)],
    )
    s.application_accept(actor=world.users["clerk"], case_id=case.pk)
    with pytest.raises(PermissionDenied):
        s.application_start_review(actor=outsider, case_id=case.pk)
    assert AuditEvent.objects.filter(actor_id=outsider.pk, outcome="denied").exists()
    case.refresh_from_db()
    assert case.status == "accepted"


# --- 不见面 --------------------------------------------------------------------------------------------


def test_no_visit_item_never_asks_for_a_visit(world: Any) -> None:
    item = make_item(world, no_visit=True, name="不见面事项")
    applicant = world.users["applicant"]
    with pytest.raises(ServiceError) as err:
        s.application_draft_create(actor=applicant, item=item, delivery_method="pickup")
    assert err.value.code == "no_visit"
    case = s.application_draft_create(actor=applicant, item=item)
    app = Application.objects.get(case=case)
    assert app.delivery_method == "electronic" and app.no_visit
    # the database itself refuses pickup for a 不见面 application
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Application.objects.filter(case=case).update(delivery_method="pickup")


def test_no_visit_pages_offer_no_pickup(world: Any, client_for: Any) -> None:
    item = make_item(world, no_visit=True, name="不见面事项")
    page = client_for("applicant").get(f"/applications/apply/{item.code}/")
    assert page.status_code == 200
    body = page.content.decode()
    assert 'value="pickup"' not in body and 'name="return_hall"' not in body


def test_hall_list_is_district_and_street(world: Any) -> None:
    assert Hall.objects.filter(kind__in=["district", "street"]).count() == 2
