"""Projects on the kernel: the plan drawn with its rule, one form per stage filing real item applications
(child cases routed to their offices with their own clocks), the stage gates, the project following its
items (post-commit events), corrections excluded from the government's time, the what-if."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from tests.factories import make_staff
from yiwang.accounts.roles import Role
from yiwang.applications import services as apps
from yiwang.audit.models import AuditEvent
from yiwang.cases.models import Case, CaseAssignment
from yiwang.construction import selectors as sel
from yiwang.construction import services as s
from yiwang.construction.models import Project
from yiwang.core.errors import Conflict, ServiceError
from yiwang.workdays.calendar import get_calendar

from .builders import PDF, register, submit

TZ = ZoneInfo("Asia/Shanghai")
MONDAY = datetime(2026, 3, 2, 9, 30, tzinfo=TZ)  # a plain working week: no holiday until 清明


@pytest.fixture(autouse=True)
def _english() -> Any:
    from django.utils import translation

    with translation.override("en"):
        yield


def at(day: int, hour: int = 10) -> Any:
    return time_machine.travel(datetime(2026, 3, day, hour, 0, tzinfo=TZ), tick=False)


def reviewer_for(w: Any, case: Case) -> Any:
    if case.owning_office_id == w.office.pk:
        return w.users["reviewer"]
    if "rev2" not in w.extra:
        w.extra["rev2"] = make_staff(
            "t_rev2", [Role.REVIEWER], office=w.other_office, department=w.other_dept
        )
    return w.extra["rev2"]


def approve(w: Any, child: Case, capture: Any) -> None:
    r = reviewer_for(w, child)
    child.refresh_from_db()
    if child.status == "submitted":
        with capture(execute=True):
            apps.application_start_pre_review(actor=r, case_id=child.pk)
    with capture(execute=True):
        apps.application_accept(actor=r, case_id=child.pk)
    with capture(execute=True):
        apps.application_start_review(actor=r, case_id=child.pk)
    with capture(execute=True):
        apps.application_approve(actor=r, case_id=child.pk)


def children(case: Case) -> dict[str, Case]:
    p = Project.objects.get(pk=case.pk)
    return {i.key: i.application for i in p.items.select_related("application") if i.application}


def test_register_draws_the_plan_with_the_rule_that_applied(world: Any) -> None:
    case = register(world, project_type="gov_municipal", investment="30000000", nature="new")
    p = Project.objects.get(pk=case.pk)
    assert case.kind == "construction" and case.status == "registered" and case.number.startswith("JS")
    assert (p.budget_days, p.base_budget_days) == (70, 90)
    assert p.rules_applied[0]["code"] == "under_50m" and p.rules_applied[0]["saves_days"] == 20
    skipped = [(i.key, i.skip_reason) for i in p.items.all() if i.skipped]
    assert [k for k, _r in skipped] == ["feasibility"] and "5000万元" in skipped[0][1]
    assert p.expected_days == 70 and p.slack == 0
    assert case.applicant_enterprise == world.enterprise
    assert AuditEvent.objects.filter(action="construction.register", object_id=str(case.pk)).count() == 1


def test_an_owner_who_may_not_act_for_the_enterprise_is_refused(world: Any) -> None:
    register(world)  # the plans and items
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        s.project_register(
            actor=world.users["applicant"],
            enterprise=world.enterprise,
            data=s.ProjectInput("x", "gov_building", Decimal(1), "new", "龙岗"),
        )


def test_one_form_files_the_stage_items_at_once_routed_with_their_clocks(world: Any) -> None:
    with time_machine.travel(MONDAY, tick=False):
        case = register(world)
        case = submit(world, case, 1)
    p = Project.objects.get(pk=case.pk)
    kids = children(case)
    assert sorted(kids) == ["feasibility", "proposal", "site"]
    assert all(
        c.parent_id == case.pk and c.kind == "application" and c.status == "submitted" for c in kids.values()
    )
    assert kids["proposal"].owning_office == world.office and kids["site"].owning_office == world.other_office
    assert all(c.due_date is not None for c in kids.values())  # each its own acceptance clock
    assert case.status == "in_approval" and p.started_on == date(2026, 3, 2) and p.stage == 1
    assert case.due_date == get_calendar().add_workdays(date(2026, 3, 2), 85)
    offices = set(
        CaseAssignment.objects.filter(case=case, role="co_handling", until__isnull=True).values_list(
            "office", flat=True
        )
    )
    assert offices == {world.office.pk, world.other_office.pk}
    assert p.stage_data["1"]["contact"] == "李四"


def test_a_stage_before_the_previous_gate_is_refused_and_nothing_is_filed(world: Any) -> None:
    case = register(world)
    with pytest.raises(Conflict) as e:
        submit(world, case, 2)
    assert e.value.code == "gate_not_reached"
    assert "政府投资项目建议书审批" in str(e.value.message)
    assert Case.objects.filter(parent=case).count() == 0
    submit(world, case, 1)
    with pytest.raises(Conflict) as e:
        submit(world, case, 1)
    assert e.value.code == "stage_submitted"
    with pytest.raises(Conflict):
        submit(world, case, 2)  # stage 1 not approved yet
    assert Case.objects.filter(parent=case).count() == 3


def test_a_stage_without_its_dossier_is_refused(world: Any) -> None:
    case = register(world)
    with pytest.raises(ServiceError) as e:
        s.project_submit_stage(actor=world.users["agent"], case_id=case.pk, data=s.StageInput(stage=1))
    assert "dossier" in e.value.fields
    assert Case.objects.filter(parent=case).count() == 0


def test_the_project_follows_its_items_through_the_gates_to_the_permit(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with time_machine.travel(MONDAY, tick=False):
        case = register(world, investment="30000000", nature="renovation")  # building, under 50M: 65 days
        submit(world, case, 1)
    with at(4):
        for child in children(case).values():
            approve(world, child, django_capture_on_commit_callbacks)
    p = Project.objects.get(pk=case.pk)
    assert all(i.approved for i in p.items.filter(stage=1, skipped=False))
    with at(5):
        submit(world, case, 2)
    with at(9):
        approve(world, children(case)["works_planning"], django_capture_on_commit_callbacks)
        submit(world, case, 3)
    with at(11):
        for k in ("drawings", "permit"):
            approve(world, children(case)[k], django_capture_on_commit_callbacks)
    case.refresh_from_db()
    p = Project.objects.get(pk=case.pk)
    assert case.status == "permitted"
    assert p.permitted_on == date(2026, 3, 11)
    # government days: stage 1 2 (Mon→Wed), stage 2 2 (Thu→Mon: Fri, Mon), stage 3 2 (Mon→Wed); the permit
    # was filed with the drawings review and decided the same day as it: 0 days after it
    assert p.expected_days == 6
    assert p.items.get(key="permit").gov_days == 0
    assert p.applicant_days == 1  # the owner's waiting: stage 1's gate on the 4th, stage 2 filed on the 5th
    assert p.gov_days == 6  # 7 working days from the 2nd to the 11th, less the owner's 1
    assert p.early is True
    assert case.due_date is not None and case.clock is not None


def test_corrections_are_the_applicants_time_not_the_governments(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with time_machine.travel(MONDAY, tick=False):
        case = register(world)
        submit(world, case, 1)
    site = children(case)["site"]
    r = reviewer_for(world, site)
    with at(3):
        with django_capture_on_commit_callbacks(execute=True):
            apps.application_start_pre_review(actor=r, case_id=site.pk)
        code = site.application.materials.first().code
        with django_capture_on_commit_callbacks(execute=True):
            apps.application_request_correction(actor=r, case_id=site.pk, items={code: "不清晰"})
    with at(6):  # Tuesday → Friday: 3 working days with the owner
        apps.application_draft_update(
            actor=world.users["agent"],
            case_id=site.pk,
            uploads=[apps.Upload(code=code, data=PDF, name="新.pdf")],
        )
        with django_capture_on_commit_callbacks(execute=True):
            apps.application_answer_correction(actor=world.users["agent"], case_id=site.pk)
    with at(9):
        approve(world, site, django_capture_on_commit_callbacks)
    item = Project.objects.get(pk=case.pk).items.get(key="site")
    assert item.correction_days == 3
    # submitted Monday the 2nd, decided Monday the 9th: 5 working days, 3 of them the owner's
    assert item.gov_days == 2
    assert item.decided_on == date(2026, 3, 9)


def test_what_if_an_item_takes_five_more_days(world: Any) -> None:
    with time_machine.travel(MONDAY, tick=False):
        case = register(world)  # building, 85 days, all items at their budgets
        p = Project.objects.get(pk=case.pk)
        on_path = sel.what_if(p, "works_planning", 5)
        off_path = sel.what_if(p, "site", 5)
    cal = get_calendar()
    assert on_path is not None and off_path is not None
    assert (on_path["length_now"], on_path["length_then"], on_path["slack_then"]) == (85, 90, -5)
    assert on_path["finish_then"] == cal.add_workdays(date(2026, 3, 2), 90)
    # site (10) runs beside proposal → feasibility (30): 5 more days change nothing
    assert (off_path["length_then"], off_path["later_by"]) == (85, 0)
    assert sel.what_if(p, "nothing", 5) is None


def test_the_board_puts_projects_at_risk_first_and_offices_see_their_own(world: Any) -> None:
    safe = register(world, investment="30000000", nature="renovation")
    risky = register(world, title="道路改造")
    Project.objects.filter(pk=risky.pk).update(slack=-3)
    Project.objects.filter(pk=safe.pk).update(slack=12)
    b = sel.board(world.users["project_coordinator"])
    assert [p.pk for p in b.rows][:2] == [risky.pk, safe.pk] and b.at_risk == 1
    assert sel.board(world.users["reviewer"]).total == 0  # no item filed at its office yet
    submit(world, risky, 1)
    assert [p.pk for p in sel.board(world.users["reviewer"]).rows] == [risky.pk]
    assert [i.key for i in sel.office_items(Project.objects.get(pk=risky.pk), world.users["reviewer"])] == [
        "proposal",
        "feasibility",
    ]
