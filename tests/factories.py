"""Small builders for tests: an organisation world with one user per role, and applicants."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.contrib.auth.hashers import make_password
from stdnum.cn import ric, uscc

from yiwang.accounts.models import (
    AgentAuthorization,
    Community,
    Department,
    District,
    Enterprise,
    Hall,
    Office,
    Person,
    RoleGrant,
    Street,
    User,
    Window,
)
from yiwang.accounts.roles import Role
from yiwang.credit.services import credit_rules_install

PASSWORD = "Correct-Horse-42"
# Fixtures store a fast hash; real sign-ups and password changes use Argon2 (tested separately).
FAST_HASH = make_password(PASSWORD, hasher="md5")

ROLES = [
    "anonymous",
    "applicant",
    "agent",
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
    "service_supervisor",
    "credit_officer",
    "concierge",
    "policy_officer",
]
STAFF_ROLES = ROLES[3:]


def resident_id(birth: str = "19800101", seq: int = 1, area: str = "440307") -> str:
    body = f"{area}{birth}{seq:03d}"
    return body + ric.calc_check_digit(body + "0")  # stdnum computes over number[:-1]


def credit_code(n: int) -> str:
    body = f"91440307MA5T{n:05d}"[:17]
    return body + uscc.calc_check_digit(body)


_seq = {"n": 0}


def _next() -> int:
    _seq["n"] += 1
    return _seq["n"]


def make_person(
    name: str = "测试人",
    *,
    birth: str = "19800101",
    mobile: str | None = None,
    user: Any = None,
    community: Any = None,
) -> Person:
    n = _next()
    return Person.objects.create(
        name=name,
        id_number=resident_id(birth, n % 1000),
        mobile=mobile or f"139{n:08d}",
        user=user,
        community=community,
    )


def make_staff(username: str, roles: list[str], **posting: Any) -> User:
    user = User.objects.create(
        username=username,
        password=FAST_HASH,
        kind=User.Kind.STAFF,
        is_staff=True,
        full_name=username,
        **posting,
    )
    for r in roles:
        RoleGrant.objects.create(user=user, role=r)
    return user


def make_applicant(username: str, name: str = "申请人") -> User:
    user = User.objects.create(
        username=username, password=FAST_HASH, kind=User.Kind.APPLICANT, full_name=name
    )
    make_person(name, user=user)
    return user


@dataclass
class World:
    district: District
    dept: Department
    other_dept: Department
    office: Office
    other_office: Office
    street: Street
    community: Community
    other_community: Community
    hall: Hall
    other_hall: Hall
    users: dict[str, Any] = field(default_factory=dict)
    person: Person | None = None  # the applicant's own person record
    other_person: Person | None = None
    enterprise: Enterprise | None = None
    other_enterprise: Enterprise | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def _reseed_migration_data() -> None:
    """A transactional test's flush empties the tables a data migration seeded; put back the published
    default credit list rules, which the platform does not keep in code."""
    credit_rules_install()


def build_world() -> World:
    _reseed_migration_data()
    district = District.objects.create(code="440307", name="深圳市龙岗区", name_en="Longgang")
    dept = Department.objects.create(
        district=district, code="D01", name="市场监管局", name_en="Market Supervision"
    )
    other_dept = Department.objects.create(
        district=district, code="D02", name="民政局", name_en="Civil Affairs"
    )
    office = Office.objects.create(code="D0101", name="审批科", department=dept)
    other_office = Office.objects.create(code="D0201", name="民政审批科", department=other_dept)
    street = Street.objects.create(
        district=district, code="440307006", name="龙城街道", name_en="Longcheng", lat=22.72, lng=114.25
    )
    community = Community.objects.create(street=street, code="440307006001", name="龙西社区")
    other_community = Community.objects.create(street=street, code="440307006002", name="回龙埔社区")
    hours = {str(d): [["09:00", "12:00"], ["14:00", "18:00"]] for d in range(1, 6)}
    hall = Hall.objects.create(
        code="H0001",
        name="区政务服务中心",
        kind=Hall.Kind.DISTRICT,
        district=district,
        street=street,
        address="龙岗区",
        lat=22.72,
        lng=114.248,
        opening_hours=hours,
    )
    other_hall = Hall.objects.create(
        code="H1006",
        name="龙城街道大厅",
        kind=Hall.Kind.STREET,
        district=district,
        street=street,
        address="龙城街道",
        lat=22.73,
        lng=114.25,
        opening_hours=hours,
    )
    Window.objects.create(hall=hall, number="01", name="综合窗口01")
    Window.objects.create(hall=other_hall, number="01", name="综合窗口01")
    w = World(
        district, dept, other_dept, office, other_office, street, community, other_community, hall, other_hall
    )
    w.users = {
        "anonymous": None,
        "clerk": make_staff("t_clerk", [Role.CLERK], hall=hall),
        "reviewer": make_staff("t_reviewer", [Role.REVIEWER], office=office, department=dept),
        "supervisor": make_staff("t_supervisor", [Role.SUPERVISOR], office=office, department=dept),
        "hall_manager": make_staff("t_hallmgr", [Role.HALL_MANAGER], hall=hall),
        "grid_worker": make_staff("t_grid", [Role.GRID_WORKER], community=community),
        "dept_admin": make_staff("t_deptadmin", [Role.DEPT_ADMIN], office=office, department=dept),
        "sys_admin": make_staff("t_sysadmin", [Role.SYS_ADMIN]),
        "sec_admin": make_staff("t_secadmin", [Role.SEC_ADMIN]),
        "audit_admin": make_staff("t_auditadmin", [Role.AUDIT_ADMIN]),
        "hotline_operator": make_staff("t_operator", [Role.HOTLINE_OPERATOR]),
        "dispatcher": make_staff("t_dispatcher", [Role.DISPATCHER]),
        "project_coordinator": make_staff("t_coordinator", [Role.PROJECT_COORDINATOR]),
        "service_supervisor": make_staff("t_svcsup", [Role.SERVICE_SUPERVISOR]),
        "credit_officer": make_staff("t_credit", [Role.CREDIT_OFFICER]),
        "concierge": make_staff("t_concierge", [Role.CONCIERGE]),
        "policy_officer": make_staff("t_policy", [Role.POLICY_OFFICER], department=dept),
    }
    applicant = make_applicant("t_applicant", "张三")
    agent = make_applicant("t_agent", "李四")
    w.users["applicant"] = applicant
    w.users["agent"] = agent
    w.person = applicant.person
    w.other_person = make_person("王五")
    w.enterprise = Enterprise.objects.create(
        name="示范科技有限公司", credit_code=credit_code(1), legal_representative="李四"
    )
    w.other_enterprise = Enterprise.objects.create(
        name="别家公司", credit_code=credit_code(2), legal_representative="赵六"
    )
    AgentAuthorization.objects.create(
        enterprise=w.enterprise, person=agent.person, valid_from=date(2020, 1, 1)
    )
    return w
