from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from yiwang.accounts.models import Person, RoleGrant, User
from yiwang.accounts.roles import Role
from yiwang.accounts.services import (
    applicant_account_create,
    person_register,
    pii_reveal,
    role_grant,
    staff_create,
)
from yiwang.audit.models import AuditEvent
from yiwang.core.errors import ServiceError

pytestmark = pytest.mark.django_db

VALID_IDS = ["11010519491231002X", "440524188001010014"]


@pytest.mark.parametrize("id_number", VALID_IDS)
def test_rules_valid_resident_ids_are_accepted(id_number: str) -> None:
    p = person_register(actor=None, name="甲", id_number=id_number.lower(), mobile="138 1234 1234")
    assert p.id_number == id_number.upper()
    assert p.mobile == "13812341234"
    assert p.masked_id == id_number[:3] + "*" * 11 + id_number[-4:]
    assert p.masked_mobile == "138****1234"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("id_number", "110105194912310021"),
        ("id_number", "11010519491331002X"),
        ("id_number", "12345"),
        ("mobile", "12812341234"),
        ("mobile", "1381234123"),
    ],
)
def test_bad_identifiers_are_refused_and_nothing_saved(field: str, value: str) -> None:
    data = {"name": "甲", "id_number": VALID_IDS[0], "mobile": "13812341234", field: value}
    before = AuditEvent.objects.count()
    with pytest.raises(ServiceError) as exc:
        person_register(actor=None, **data)
    assert list(exc.value.fields) == [field]
    assert Person.objects.count() == 0
    assert AuditEvent.objects.count() == before


def test_register_writes_exactly_one_audit_event() -> None:
    p = person_register(actor=None, name="乙", id_number=VALID_IDS[1])
    events = list(AuditEvent.objects.filter(action="person.register"))
    assert len(events) == 1
    assert events[0].object_id == str(p.pk)


def test_duplicate_person_is_a_conflict() -> None:
    person_register(actor=None, name="乙", id_number=VALID_IDS[1])
    with pytest.raises(ServiceError) as exc:
        person_register(actor=None, name="乙", id_number=VALID_IDS[1])
    assert exc.value.status == 409
    assert Person.objects.count() == 1


def test_three_administrators_are_mutually_exclusive_in_the_service(world) -> None:
    sys_admin = world.users["sys_admin"]
    for role in (Role.SEC_ADMIN, Role.AUDIT_ADMIN):
        with pytest.raises(ServiceError) as exc:
            role_grant(actor=None, user=sys_admin, role=role)
        assert exc.value.code == "separation_of_duties"
    assert set(sys_admin.role_grants.values_list("role", flat=True)) == {"sys_admin"}
    # A business role beside an administrator role is allowed.
    role_grant(actor=None, user=sys_admin, role=Role.SUPERVISOR)
    assert RoleGrant.objects.filter(user=sys_admin).count() == 2


def test_three_administrators_are_mutually_exclusive_in_the_database(world) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        RoleGrant.objects.create(user=world.users["audit_admin"], role=Role.SYS_ADMIN)


def test_staff_create_hashes_with_argon2_and_audits_once() -> None:
    user = staff_create(
        actor=None,
        username="newclerk",
        password="A-long-enough-pass-9",
        full_name="新",
        roles=[Role.CLERK, Role.SUPERVISOR],
    )
    assert user.password.startswith("argon2$")
    assert user.check_password("A-long-enough-pass-9")
    assert user.kind == User.Kind.STAFF
    assert sorted(user.role_grants.values_list("role", flat=True)) == ["clerk", "supervisor"]
    assert AuditEvent.objects.filter(action="staff.create").count() == 1
    assert AuditEvent.objects.count() == 1


def test_accounts_created_without_a_password_cannot_sign_in() -> None:
    staff = staff_create(actor=None, username="former", password=None, full_name="旧", roles=[Role.REVIEWER])
    person = person_register(actor=None, name="甲", id_number=VALID_IDS[0])
    applicant = applicant_account_create(actor=None, username="jia", password=None, person=person)
    for user in (staff, applicant):
        user.refresh_from_db()
        assert not user.has_usable_password()
        assert not user.check_password("")
    assert AuditEvent.objects.filter(action__in=["staff.create", "applicant.account_create"]).count() == 2


def test_staff_create_with_conflicting_admin_roles_saves_nothing() -> None:
    with pytest.raises(ServiceError):
        staff_create(
            actor=None,
            username="bad",
            password="A-long-enough-pass-9",
            full_name="x",
            roles=[Role.SYS_ADMIN, Role.AUDIT_ADMIN],
        )
    assert not User.objects.filter(username="bad").exists()
    assert AuditEvent.objects.count() == 0


def test_reveal_needs_permission_a_person_in_own_work_and_a_purpose(world) -> None:
    from django.core.exceptions import PermissionDenied

    from tests.applications.builders import make_item
    from tests.factories import make_staff
    from yiwang.applications import services as applications
    from yiwang.core.errors import ServiceError

    person = world.other_person
    outsider = make_staff("t_clerk_elsewhere", [Role.CLERK], hall=world.other_hall)
    with pytest.raises(PermissionDenied):  # in nobody's cases yet
        pii_reveal(actor=world.users["clerk"], person=person, field="id_number", purpose="identity_check")
    applications.application_receive(actor=world.users["clerk"], item=make_item(world), person=person)
    with pytest.raises(ServiceError) as refused:
        pii_reveal(actor=world.users["clerk"], person=person, field="id_number", purpose="curiosity")
    assert "purpose" in refused.value.as_dict()["fields"]
    value = pii_reveal(actor=world.users["clerk"], person=person, field="id_number", purpose="identity_check")
    assert value == person.id_number
    assert (
        pii_reveal(actor=world.users["reviewer"], person=person, field="mobile", purpose="contact")
        == person.mobile
    )
    for actor in (world.users["hall_manager"], outsider):  # no unmasking role; not their hall's case
        with pytest.raises(PermissionDenied):
            pii_reveal(actor=actor, person=person, field="mobile", purpose="contact")
    rows = AuditEvent.objects.filter(action="pii.reveal").order_by("seq")
    assert [(e.outcome, e.actor_label, e.data.get("purpose")) for e in rows] == [
        ("denied", "t_clerk", "identity_check"),
        ("success", "t_clerk", "identity_check"),
        ("success", "t_reviewer", "contact"),
        ("denied", "t_hallmgr", "contact"),
        ("denied", "t_clerk_elsewhere", "contact"),
    ]


def test_a_full_id_finds_a_name_only_for_staff_who_register_applicants(world, client_for) -> None:
    number = world.other_person.id_number
    assert (
        world.other_person.name
        in client_for("clerk").get("/workbench/people/", {"q": number}).content.decode()
    )
    page = client_for("hall_manager").get("/workbench/people/", {"q": number}).content.decode()
    assert world.other_person.name not in page
    by_name = client_for("hall_manager").get("/workbench/people/", {"q": world.other_person.name})
    assert world.other_person.masked_id in by_name.content.decode()


def test_staff_act_only_within_their_office_and_hall(world) -> None:
    from yiwang.accounts.access import access_hall, access_office

    assert access_office(world.users["reviewer"], world.office)
    assert not access_office(world.users["reviewer"], world.other_office)
    assert access_hall(world.users["clerk"], world.hall)
    assert not access_hall(world.users["clerk"], world.other_hall)
    assert not access_office(world.users["clerk"], world.office)
    # a department administrator covers every office of the department, no other
    from yiwang.accounts.models import Office

    sibling = Office.objects.create(code="D0102", name="二科", department=world.dept)
    assert access_office(world.users["dept_admin"], sibling)
    assert not access_office(world.users["dept_admin"], world.other_office)


def test_agent_acts_only_for_authorised_enterprise(world) -> None:
    from yiwang.accounts.access import access_party

    agent = world.users["agent"]
    assert access_party(agent, enterprise=world.enterprise)
    assert not access_party(agent, enterprise=world.other_enterprise)
    assert access_party(world.users["applicant"], person=world.person)
    assert not access_party(world.users["applicant"], person=world.other_person)
    assert not access_party(world.users["clerk"], person=world.person)
