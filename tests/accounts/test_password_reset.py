"""No administrator takes over another account (三权分立): no password page in the admin, other
administrators' accounts read-only, and a staff password reset needs two administrators and the owner
(docs/adr/0011)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client

from tests.factories import PASSWORD
from yiwang.accounts import resets
from yiwang.accounts.models import PasswordReset, TotpDevice
from yiwang.audit.models import AuditEvent
from yiwang.core.errors import Conflict, ServiceError

pytestmark = pytest.mark.django_db
NEW = "A-new-long-pass-2026"


def test_the_admin_has_no_password_page_and_the_refusal_is_audited(world: Any, client_for: Any) -> None:
    target = world.users["audit_admin"]
    r = client_for("sec_admin").get(f"/admin/accounts/user/{target.pk}/password/")
    assert r.status_code == 403
    assert AuditEvent.objects.filter(action="admin.password_change", outcome="denied").count() == 1
    page = client_for("sec_admin").get(f"/admin/accounts/user/{world.users['clerk'].pk}/change/")
    assert page.status_code == 200 and 'name="password"' not in page.content.decode()


def test_another_administrators_account_is_read_only(world: Any, client_for: Any) -> None:
    target = world.users["audit_admin"]
    url = f"/admin/accounts/user/{target.pk}/change/"
    sec = client_for("sec_admin")
    assert sec.get(url).status_code == 200  # viewed
    r = sec.post(url, {"username": "taken-over", "kind": "staff", "is_active": "on"})
    assert r.status_code == 403
    target.refresh_from_db()
    assert target.username == "t_auditadmin"


def test_the_user_form_shows_the_mobile_masked(world: Any, client_for: Any) -> None:
    user = world.users["applicant"]
    user.mobile = "13812345678"
    user.save()
    body = client_for("sec_admin").get(f"/admin/accounts/user/{user.pk}/change/").content.decode()
    assert "13812345678" not in body and "138****5678" in body


def test_a_reset_needs_two_administrators_and_the_owner(world: Any) -> None:
    sec, sys, audit, clerk = (world.users[k] for k in ("sec_admin", "sys_admin", "audit_admin", "clerk"))
    with pytest.raises(PermissionDenied):
        resets.password_reset_request(actor=sys, user=clerk, reason="忘记密码")  # not the security admin
    with pytest.raises(PermissionDenied):
        resets.password_reset_request(actor=sec, user=sec, reason="忘记密码")  # own account
    with pytest.raises(ServiceError):
        resets.password_reset_request(actor=sec, user=clerk, reason=" ")
    reset, first = resets.password_reset_request(actor=sec, user=clerk, reason="本人到场申请")
    with pytest.raises(Conflict):
        resets.password_reset_request(actor=sec, user=clerk, reason="again")
    for outsider in (sec, audit, clerk):  # the requester, a non-approving role, the owner
        with pytest.raises(PermissionDenied):
            resets.password_reset_approve(actor=outsider, reset=reset)
    with pytest.raises(ServiceError):  # not approved yet: the first half alone does nothing
        resets.password_reset_complete(username=clerk.username, first=first, second=first, password=NEW)
    reset, second = resets.password_reset_approve(actor=sys, reset=reset)
    TotpDevice.objects.create(user=clerk, secret="JBSWY3DPEHPK3PXP", confirmed_at=reset.approved_at)
    assert first != second and first not in reset.first_half and second not in reset.second_half
    with pytest.raises(ServiceError):
        resets.password_reset_complete(username=clerk.username, first=first, second="WRONG123", password=NEW)
    with pytest.raises(ServiceError) as weak:
        resets.password_reset_complete(username=clerk.username, first=first, second=second, password="123")
    assert "password" in weak.value.as_dict()["fields"]
    resets.password_reset_complete(
        username=clerk.username, first=first.lower(), second=f" {second} ", password=NEW
    )
    clerk.refresh_from_db()
    assert clerk.check_password(NEW) and not clerk.check_password(PASSWORD)
    reset.refresh_from_db()
    assert reset.state == "used" and not TotpDevice.objects.filter(user=clerk).exists()  # a lost phone
    with pytest.raises(ServiceError):  # used once
        resets.password_reset_complete(
            username=clerk.username, first=first, second=second, password=NEW + "x"
        )
    actions = list(
        AuditEvent.objects.filter(action__startswith="password_reset.", outcome="success").values_list(
            "action", "actor_label"
        )
    )
    assert actions == [
        ("password_reset.request", "t_secadmin"),
        ("password_reset.approve", "t_sysadmin"),
        ("password_reset.complete", "t_clerk"),
    ]


def test_the_owner_sets_the_password_on_the_public_page_and_other_sessions_end(world: Any) -> None:
    clerk = world.users["clerk"]
    signed_in = Client()
    signed_in.force_login(clerk)
    assert signed_in.get("/workbench/").status_code == 200
    reset, first = resets.password_reset_request(
        actor=world.users["sec_admin"], user=clerk, reason="本人到场"
    )
    reset, second = resets.password_reset_approve(actor=world.users["sys_admin"], reset=reset)
    page = Client(HTTP_ACCEPT_LANGUAGE="en")
    data = {
        "username": clerk.username,
        "first": first,
        "second": second,
        "password1": NEW,
        "password2": NEW + "x",
    }
    r = page.post("/account/reset/", data)
    assert r.status_code == 422 and "The two passwords differ." in r.content.decode()
    r = page.post("/account/reset/", {**data, "password2": NEW})
    assert r.status_code == 200 and "Your new password is set" in r.content.decode()
    assert signed_in.get("/workbench/").status_code == 302  # the old session is signed out
    login = page.post("/login/", {"username": clerk.username, "password": NEW})
    assert login.status_code == 302 and login["Location"] == "/workbench/"


def test_guessing_the_codes_is_limited(world: Any) -> None:
    clerk = world.users["clerk"]
    reset, first = resets.password_reset_request(actor=world.users["sec_admin"], user=clerk, reason="x")
    reset, second = resets.password_reset_approve(actor=world.users["sys_admin"], reset=reset)
    for n in range(resets.OWNER_ATTEMPTS_PER_HOUR):
        with pytest.raises(ServiceError) as wrong:
            resets.password_reset_complete(
                username=clerk.username, first=first, second=f"X{n:07d}", password=NEW
            )
        assert wrong.value.status == 422
    with pytest.raises(ServiceError) as limited:
        resets.password_reset_complete(username=clerk.username, first=first, second=second, password=NEW)
    assert limited.value.status == 429
    assert PasswordReset.objects.get().state == "approved"


def test_the_admin_flow_shows_each_half_once(world: Any, client_for: Any) -> None:
    clerk = world.users["clerk"]
    sec = client_for("sec_admin")
    r = sec.post(
        "/admin/accounts/passwordreset/add/", {"user": clerk.pk, "reason": "本人到场申请"}, follow=True
    )
    assert r.status_code == 200
    shown = [str(m) for m in r.context["messages"] if "——" in str(m) or "—" in str(m)]
    assert len(shown) == 1 and clerk.username in shown[0]
    reset = PasswordReset.objects.get()
    sys = client_for("sys_admin")
    r = sys.post(
        "/admin/accounts/passwordreset/",
        {"action": "approve", "_selected_action": [reset.pk]},
        follow=True,
    )
    assert any(clerk.username in str(m) for m in r.context["messages"])
    reset.refresh_from_db()
    assert reset.state == "approved" and reset.approved_by == world.users["sys_admin"]
