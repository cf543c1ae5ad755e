"""Granting and revoking staff roles in the admin (docs/adr/0008): the security administrator's action, each
grant and revocation one audit event through the accounts services, refused on their own account, for two
of the three administrator roles, and for a role without the posting where it acts."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client

from tests.factories import make_staff
from yiwang.accounts.models import Hall, User
from yiwang.accounts.roles import Role
from yiwang.accounts.services import role_grant, role_revoke, roles_set
from yiwang.audit.models import AuditEvent
from yiwang.core.errors import ServiceError
from yiwang.halls.access import access_console

pytestmark = pytest.mark.django_db


def station(world: Any) -> Hall:
    return Hall.objects.create(
        code="H2006001",
        name="龙西社区党群服务中心",
        kind=Hall.Kind.COMMUNITY,
        district=world.district,
        street=world.street,
        community=world.community,
        address="龙西社区",
        lat=22.72,
        lng=114.25,
    )


def change_url(user: User) -> str:
    return f"/admin/accounts/user/{user.pk}/change/"


def form_data(user: User, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "username": user.username,
        "full_name": user.full_name,
        "mobile": user.mobile,
        "kind": user.kind,
        "preferred_language": user.preferred_language,
        "department": user.department_id or "",
        "office": user.office_id or "",
        "hall": user.hall_id or "",
        "community": user.community_id or "",
        "is_active": "on" if user.is_active else "",
        "roles": sorted(user.role_set()),
        "_save": "Save",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v not in ("", None)}


def admin_client(user: User) -> Client:
    c = Client()
    c.force_login(user)
    return c


def events(action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action, outcome="success").order_by("id"))


def test_the_security_administrator_posts_and_grants_a_clerk_at_a_community_station(world: Any) -> None:
    sec = world.users["sec_admin"]
    newcomer = make_staff("t_station_clerk", [])
    hall = station(world)
    c = admin_client(sec)
    page = c.get(change_url(newcomer))
    assert page.status_code == 200
    assert 'name="roles"' in page.content.decode() and 'value="clerk"' in page.content.decode()
    r = c.post(change_url(newcomer), form_data(newcomer, hall=hall.pk, roles=["clerk"]))
    assert r.status_code == 302, r.content.decode()[:2000]
    newcomer = User.objects.get(pk=newcomer.pk)
    assert newcomer.hall == hall and newcomer.role_set() == {"clerk"}
    grants = events("role.grant")
    assert [(e.data, e.actor_id) for e in grants] == [({"role": "clerk"}, sec.pk)]
    assert access_console(newcomer)
    # revoked again: one event, the role is gone
    r = c.post(change_url(newcomer), form_data(newcomer, roles=[]))
    assert r.status_code == 302
    assert User.objects.get(pk=newcomer.pk).role_set() == frozenset()
    assert [e.data for e in events("role.revoke")] == [{"role": "clerk"}]


def test_two_administrator_roles_are_refused_in_the_admin_and_nothing_changes(world: Any) -> None:
    target = make_staff("t_two_admins", [])
    before = AuditEvent.objects.filter(action__startswith="role.").count()
    r = admin_client(world.users["sec_admin"]).post(
        change_url(target), form_data(target, roles=["sys_admin", "audit_admin"])
    )
    assert r.status_code == 200
    assert "必须由不同人员担任" in r.content.decode()
    assert User.objects.get(pk=target.pk).role_set() == frozenset()
    assert AuditEvent.objects.filter(action__startswith="role.").count() == before


def test_administrator_roles_are_the_operators_alone(world: Any) -> None:
    """An administrator role is never granted or revoked in the admin (the security administrator could
    otherwise make an account of their own the audit administrator); the operator's command does it."""
    from io import StringIO

    from django.core.management import call_command

    target = make_staff("t_admin_moves", [Role.SUPERVISOR], office=world.office)
    r = admin_client(world.users["sec_admin"]).post(
        change_url(target), form_data(target, roles=["audit_admin"])
    )
    assert r.status_code == 200  # the form, with the refusal
    assert User.objects.get(pk=target.pk).role_set() == {"supervisor"}
    with pytest.raises(PermissionDenied):
        role_grant(actor=world.users["sec_admin"], user=target, role=Role.AUDIT_ADMIN)
    out = StringIO()
    call_command("role", target.username, "--grant", "audit_admin", stdout=out)
    assert User.objects.get(pk=target.pk).role_set() == {"supervisor", "audit_admin"}
    assert [(e.actor_label, e.data) for e in events("role.grant")] == [("system", {"role": "audit_admin"})]


def test_nobody_changes_their_own_roles(world: Any) -> None:
    sec = world.users["sec_admin"]
    r = admin_client(sec).post(change_url(sec), form_data(sec, roles=["sec_admin", "supervisor"]))
    assert r.status_code == 200
    assert User.objects.get(pk=sec.pk).role_set() == {"sec_admin"}
    with pytest.raises(PermissionDenied):
        role_grant(actor=sec, user=sec, role=Role.SUPERVISOR)
    assert events("role.grant") == []
    assert AuditEvent.objects.filter(action="role.grant", outcome="denied").count() == 1


@pytest.mark.parametrize("role", ["sys_admin", "audit_admin", "dept_admin", "clerk"])
def test_only_the_security_administrator_grants_roles(world: Any, role: str) -> None:
    target = make_staff("t_target", [])
    actor = world.users[role]
    with pytest.raises(PermissionDenied):
        role_grant(actor=actor, user=target, role=Role.SUPERVISOR)
    with pytest.raises(PermissionDenied):
        roles_set(actor=actor, user=target, roles=[Role.SUPERVISOR])
    assert target.role_set() == frozenset()
    # the user admin belongs to the security administrator alone (ADR 0002)
    status = admin_client(actor).get(change_url(target)).status_code
    assert status in (302, 403)


def test_a_role_needs_the_posting_where_it_acts(world: Any) -> None:
    target = make_staff("t_unposted", [])
    c = admin_client(world.users["sec_admin"])
    for role, posting in (("clerk", "hall"), ("reviewer", "office"), ("grid_worker", "community")):
        r = c.post(change_url(target), form_data(target, roles=[role]))
        assert r.status_code == 200, role
        assert User.objects.get(pk=target.pk).role_set() == frozenset()
        with pytest.raises(ServiceError) as exc:
            role_grant(actor=world.users["sec_admin"], user=target, role=role)
        assert "roles" in exc.value.fields, posting
    # posted to an office in the same form: granted
    r = c.post(change_url(target), form_data(target, office=world.office.pk, roles=["reviewer"]))
    assert r.status_code == 302
    assert User.objects.get(pk=target.pk).role_set() == {"reviewer"}


def test_revoking_a_role_not_held_writes_nothing(world: Any) -> None:
    target = make_staff("t_nothing", [])
    role_revoke(actor=world.users["sec_admin"], user=target, role=Role.CLERK)
    assert events("role.revoke") == []


def test_an_applicant_account_holds_no_staff_role(world: Any) -> None:
    with pytest.raises(ServiceError):
        roles_set(actor=world.users["sec_admin"], user=world.users["applicant"], roles=[Role.CLERK])
