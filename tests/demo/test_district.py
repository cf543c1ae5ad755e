"""The whole demo district (with a shorter history than ``make demo``'s: the first cases of the same plan): its history was walked through the real services, in time order, into
every status of the workflow; loading it again changes nothing."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.db.models import Count, F
from django.utils import timezone

from yiwang.accounts.models import User
from yiwang.applications.models import Application, ApprovalRequest, FigureRollup
from yiwang.applications.workflow import STATUSES
from yiwang.audit.models import AuditEvent
from yiwang.audit.services import audit_seal, audit_verify_chain
from yiwang.cases.models import Case, CaseEvent
from yiwang.catalogue.models import ItemVersion
from yiwang.demo.context import HISTORY_DAYS, data_json
from yiwang.outreach.models import Visit

CASES = 150
# Sessions and task results change whenever anything runs; they are not demo data.
SKIP = {"sessions", "django_tasks_db", "axes", "admin"}

pytestmark = pytest.mark.skipif(
    connection.vendor == "postgresql", reason="the same loaders; run once, on SQLite"
)


# The application history walks the workflow (ADR 0061); the hotline's 2019 archive is loaded in bulk (ADR 0072).
APPLICATIONS = Case.objects.filter(kind="application")


def counts() -> dict[str, int]:
    return {m._meta.label: m.objects.count() for m in apps.get_models() if m._meta.app_label not in SKIP}


def check_the_demo_logins_are_printed_as_before(district: str) -> None:
    logins = district[district.index("Demo logins") :].splitlines()
    assert logins == [
        "Demo logins (password for all: Yiwang-demo-2026):",
        "  clerk        Window clerk 综合窗口受理员  ·  龙岗区政务服务中心",
        "  clerk_ph     Window clerk 综合窗口受理员  ·  平湖街道党群服务中心（政务服务大厅）",
        "  clerk_sq     Window clerk 综合窗口受理员  ·  龙西社区党群服务中心",
        "  clerk_yq     Window clerk 综合窗口受理员  ·  坂雪岗科技城园区服务平台",
        "  reviewer     Department reviewer 部门审批人员  ·  深圳市市场监督管理局龙岗监管局·行政审批科",
        "  reviewer_mz  Department reviewer 部门审批人员  ·  龙岗区民政局·行政审批科",
        "  supervisor   Supervisor 审批负责人  ·  深圳市市场监督管理局龙岗监管局·行政审批科",
        "  hall_super   Supervisor 审批负责人  ·  龙岗区政务服务中心",
        "  hallmgr      Hall manager 大厅管理员  ·  龙岗区政务服务中心",
        "  grid         Grid worker 网格员  ·  龙城街道·龙西社区",
        "  deptadmin    Department administrator 部门管理员  ·  深圳市市场监督管理局龙岗监管局·行政审批科",
        "  sysadmin     System administrator 系统管理员  ·  —",
        "  secadmin     Security administrator 安全管理员  ·  —",
        "  auditadmin   Audit administrator 审计管理员  ·  —",
        "  operator     Hotline operator 话务员  ·  龙岗区政务服务数据管理局·12345政务服务便民热线中心",
        "  dispatcher   Hotline dispatcher 派单员  ·  龙岗区政务服务数据管理局·12345政务服务便民热线中心",
        "  coordinator  Construction project coordinator 工程建设项目统筹协调员  ·  —",
        "  resident     Applicant (person) 申请人（个人）  ·  张三",
        "  agent        Applicant (enterprise agent) 企业代理人  ·  李四 → 深圳市龙岗示范科技有限公司",
        "  quality      Service-quality supervisor 服务质量督查员  ·  龙岗区政务服务数据管理局·微笑办一次办投诉岗",
        "  policy       Policy officer 政策专员  ·  龙岗区科技创新局",
        "  grid_nw      Grid worker 网格员 (outreach)  ·  南岭村社区",
        "  grid_ph      Grid worker 网格员 (outreach)  ·  平湖社区",
    ]


def check_every_step_of_the_history_ran(district: str) -> None:
    assert "refused" not in district
    assert f"applications (history) {CASES}," in district
    # and the demo logins' journeys (one for an e-licence, one assisted by the grid worker: 帮办代办), and one
    # filed on an outreach visit; the live construction projects own theirs
    assert Application.objects.exclude(case__parent__kind="construction").count() == CASES + 6 + 1
    assert Visit.objects.exclude(case=None).count() == 1


def check_the_history_reaches_every_status_of_the_workflow(district: str) -> None:
    by_status = dict(APPLICATIONS.values_list("status").annotate(n=Count("id")))
    assert set(by_status) == STATUSES
    assert by_status["closed"] > CASES // 2
    timeliness = set(APPLICATIONS.exclude(timeliness="").values_list("timeliness", flat=True))
    assert timeliness == {"early", "on_time", "late"}
    assert Application.objects.filter(rongque=True).exists()
    assert APPLICATIONS.filter(channel="online").exists() and APPLICATIONS.filter(channel="window").exists()
    assert set(ApprovalRequest.objects.values_list("kind", flat=True)) >= {"not_accept", "reject"}


def check_the_history_happened_in_the_past_in_time_order(district: str) -> None:
    today = timezone.localdate()
    received = list(APPLICATIONS.exclude(received_at=None).values_list("received_at", flat=True))
    first = min(received)
    assert today - timedelta(days=HISTORY_DAYS + 1) <= timezone.localdate(first) < today - timedelta(days=60)
    assert max(received) <= timezone.now()
    months = {(r.year, r.month) for r in received}
    assert len(months) >= 6
    # The catalogue was published before the first case was filed under it; every case was filed under a
    # version already published (the e-licence demo publishes later versions of a few items today).
    assert ItemVersion.objects.order_by("published_at").values_list("published_at", flat=True)[0] < first
    assert not Application.objects.filter(item_version__published_at__gt=F("case__received_at")).exists()
    # Numbers were given in the order cases were received (each office, each year).
    for office, year in (
        APPLICATIONS.exclude(number__isnull=True)
        .exclude(number="")
        .values_list("owning_office", "received_at__year")
        .distinct()
    ):
        numbers = list(
            APPLICATIONS.filter(owning_office=office, received_at__year=year, number__isnull=False)
            .exclude(number="")
            .order_by("received_at", "id")
            .values_list("number", flat=True)
        )
        assert numbers == sorted(numbers)
    # Each case's history is the services' own events, in order.
    assert not CaseEvent.objects.filter(data__demo=True).exists()
    assert CaseEvent.objects.filter(case__kind="application").count() >= APPLICATIONS.count() * 3


def check_the_audit_chain_verifies_and_runs_forward_in_time(district: str) -> None:
    # The whole load runs in this test's transaction, where no commit triggers the sealer: seal as the
    # periodic job would, then verify.
    audit_seal()
    assert audit_verify_chain().ok
    # The district's history, up to today, runs forward in time. The loaders after it (construction onward)
    # each walk their own past again (a project registered three weeks ago, reviews of decided cases …),
    # so only each of their contexts runs forward on its own.
    rows = list(AuditEvent.objects.order_by("id").values_list("action", "at"))
    later = next(i for i, (action, _at) in enumerate(rows) if action.startswith("construction."))
    at = [a for _action, a in rows[:later]]
    assert at == sorted(at)
    by_context: dict[str, list[Any]] = {}
    for action, a in rows[later:]:
        by_context.setdefault(action.split(".")[0], []).append(a)
    assert sorted(c for c, ats in by_context.items() if ats != sorted(ats)) == []


def check_the_figures_and_the_demo_logins_inboxes(district: str) -> None:
    assert FigureRollup.objects.filter(dimension="department").values("period").distinct().count() >= 6
    reviewer = User.objects.get(username="reviewer")
    open_cases = Case.objects.filter(owning_office=reviewer.office).exclude(
        status__in=["closed", "withdrawn", "not_accepted", "terminated", "draft"]
    )
    assert open_cases.count() >= 5
    offices = {c for c in data_json("applications.json")["today"]["offices"]}
    assert ApprovalRequest.objects.filter(state="pending", case__owning_office__code__in=offices).exists()
    resident = User.objects.get(username="resident")
    assert Case.objects.filter(applicant_person__user=resident, status="draft").count() == 1
    # 帮办代办: the demo grid worker applied for the demo resident, with their consent in person.
    grid = User.objects.get(username="grid")
    assisted = Case.objects.get(parties__role="assistant", parties__staff=grid)
    assert assisted.applicant_person == resident.person and assisted.status == "received"
    assert assisted.application.assist.method == "in_person"


def check_loading_again_changes_nothing() -> None:
    before = counts()
    events = AuditEvent.objects.count()
    out = StringIO()
    call_command("load_demo", "--cases", str(CASES), stdout=out)
    assert "demo district already loaded: nothing changed" in out.getvalue()
    assert counts() == before
    assert AuditEvent.objects.count() == events


@pytest.mark.django_db
def test_the_whole_demo_district() -> None:
    """One test, so that one worker loads it (the checks below share the load)."""
    out = StringIO()
    call_command("load_demo", "--cases", str(CASES), stdout=out)
    district = out.getvalue()
    check_the_demo_logins_are_printed_as_before(district)
    check_every_step_of_the_history_ran(district)
    check_the_history_reaches_every_status_of_the_workflow(district)
    check_the_history_happened_in_the_past_in_time_order(district)
    check_the_audit_chain_verifies_and_runs_forward_in_time(district)
    check_the_figures_and_the_demo_logins_inboxes(district)
    check_loading_again_changes_nothing()
