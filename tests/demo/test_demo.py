"""The demo district's organisations and people have the shape of docs/capabilities.md; loading them twice
changes nothing."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from rich.progress import Progress

from yiwang.accounts.models import Community, Department, Hall, Office, Person, RoleGrant, Street, User
from yiwang.audit.models import AuditEvent
from yiwang.core.validators import validate_resident_id
from yiwang.demo.context import DEMO_PASSWORD, DemoContext
from yiwang.demo.loaders import accounts as accounts_demo

pytestmark = pytest.mark.django_db
# Sessions and task results change whenever anything runs; they are not demo data.
SKIP = {"sessions", "django_tasks_db", "axes", "admin"}


def is_valid_id(number: str) -> bool:
    try:
        validate_resident_id(number)
    except ValidationError:
        return False
    return True


def _ctx() -> DemoContext:
    return DemoContext(out=lambda s: None, progress=Progress(disable=True))


def test_demo_organisations_have_the_district_shape() -> None:
    ctx = _ctx()
    accounts_demo.load(ctx)
    assert Department.objects.filter(kind="government").count() == 24
    assert list(Department.objects.filter(kind="utility").values_list("short_name", flat=True)) == [
        "供水",
        "供电",
        "燃气",
        "电信",
        "移动",
        "联通",
        "邮政",
    ]
    assert list(Department.objects.filter(kind="stationed").values_list("short_name", flat=True)) == [
        "社保",
        "数字证书",
        "中国银行",
    ]
    assert list(Street.objects.order_by("name").values_list("name", flat=True)) == sorted(
        [
            "平湖街道",
            "坂田街道",
            "布吉街道",
            "南湾街道",
            "横岗街道",
            "龙城街道",
            "龙岗街道",
            "坪地街道",
            "吉华街道",
            "园山街道",
            "宝龙街道",
        ]
    )
    assert Community.objects.count() == 111
    assert Hall.objects.filter(kind="district").count() == 1
    assert Hall.objects.filter(kind="street").count() == 11
    assert Hall.objects.filter(kind="community").count() == 111
    assert Hall.objects.filter(kind="park").count() == 9
    # one login per role, each with the demo password
    roles = set()
    for user in User.objects.filter(kind="staff"):
        roles |= set(user.role_grants.values_list("role", flat=True))
    assert User.objects.get(username="clerk").check_password(DEMO_PASSWORD)
    assert roles == {
        "clerk",
        "reviewer",
        "supervisor",
        "hall_manager",
        "grid_worker",
        "dept_admin",
        "sys_admin",
        "sec_admin",
        "audit_admin",
        "hotline_operator",
        "dispatcher",
        "project_coordinator",
    }
    # Only the demo logins can sign in; the others handled or filed the demo history.
    with_password = {u.username for u in User.objects.all() if u.has_usable_password()}
    assert with_password == {login for _role, login, _where in ctx.logins}
    assert len(with_password) == 19
    # a clerk with a login at a community station and at a park platform, so their journeys can be walked
    station, park = (User.objects.get(username=u).hall for u in ("clerk_sq", "clerk_yq"))
    assert station is not None and station.kind == "community"
    assert park is not None and park.kind == "park"
    assert all(User.objects.get(username=u).role_set() == {"clerk"} for u in ("clerk_sq", "clerk_yq"))
    assert {u.username for u in User.objects.filter(kind="applicant") if u.has_usable_password()} == {
        "resident",
        "agent",
    }
    for office in Office.objects.all():
        assert set(RoleGrant.objects.filter(user__office=office).values_list("role", flat=True)) >= {
            "reviewer",
            "supervisor",
        }, office.code
    for hall in Hall.objects.all():
        assert RoleGrant.objects.filter(user__hall=hall, role="clerk").exists(), hall.code
    assert Person.objects.count() == 405
    assert all(is_valid_id(p.id_number) for p in Person.objects.all())
    assert ctx.created["accounts.hall"] == 132
    again = _ctx()
    accounts_demo.load(again)
    assert again.created == {}


def test_load_demo_command_is_idempotent_and_prints_logins() -> None:
    out = StringIO()
    call_command("load_demo", "--only", "accounts", stdout=out)
    first = out.getvalue()
    assert "Demo logins (password for all: Yiwang-demo-2026):" in first
    for username in (
        "clerk",
        "clerk_sq",
        "clerk_yq",
        "reviewer",
        "supervisor",
        "hallmgr",
        "grid",
        "deptadmin",
        "sysadmin",
        "secadmin",
        "auditadmin",
        "resident",
        "agent",
    ):
        assert f" {username} " in first
    assert "龙西社区党群服务中心" in first and "坂雪岗科技城园区服务平台" in first
    events = AuditEvent.objects.count()
    out2 = StringIO()
    call_command("load_demo", "--only", "accounts", stdout=out2)
    assert "demo district already loaded: nothing changed" in out2.getvalue()
    assert AuditEvent.objects.count() == events
