"""Lockout after 5 failures for 15 minutes, session rotation at login, idle and absolute timeouts."""

from __future__ import annotations

import time

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from yiwang.accounts.middleware import AUTH_AT, SEEN_AT
from yiwang.audit.models import AuditEvent

from ..factories import PASSWORD

pytestmark = pytest.mark.django_db


def _login(client: Client, username: str, password: str):  # type: ignore[no-untyped-def]
    return client.post(reverse("portal:login"), {"username": username, "password": password})


def test_successful_login_rotates_session_key_and_redirects_staff_to_workbench(world) -> None:
    c = Client()
    c.get(reverse("portal:login"))
    c.session["probe"] = 1
    s = c.session
    s["probe"] = 1
    s.save()
    before = c.cookies["sessionid"].value
    r = _login(c, "t_clerk", PASSWORD)
    assert r.status_code == 302 and r.headers["Location"] == reverse("workbench:home")
    assert c.cookies["sessionid"].value != before
    assert AuditEvent.objects.filter(action="auth.login", actor_label="t_clerk").count() == 1


def test_applicant_is_sent_to_the_portal_account(world) -> None:
    r = _login(Client(), "t_applicant", PASSWORD)
    assert r.headers["Location"] == reverse("portal:account")


def test_five_failures_lock_the_account_for_fifteen_minutes(world) -> None:
    c = Client()
    for _ in range(5):
        r = _login(c, "t_clerk", "wrong-password")
    assert r.status_code == 429
    r = _login(c, "t_clerk", PASSWORD)  # the right password no longer helps
    assert r.status_code == 429
    body = r.content.decode()
    assert "15" in body and "分钟" in body
    r = Client(HTTP_ACCEPT_LANGUAGE="en").post(
        reverse("portal:login"), {"username": "t_clerk", "password": PASSWORD}
    )
    assert r.status_code == 429
    assert "locked for 15 minutes" in r.content.decode()
    assert AuditEvent.objects.filter(action="auth.login_failed").count() >= 5
    # another account is not affected
    assert _login(Client(), "t_reviewer", PASSWORD).status_code == 302


def test_four_failures_do_not_lock(world) -> None:
    c = Client()
    for _ in range(4):
        assert _login(c, "t_clerk", "wrong").status_code == 200
    assert _login(c, "t_clerk", PASSWORD).status_code == 302


def _session_at(client: Client, auth_at: float, seen_at: float) -> None:
    s = client.session
    s[AUTH_AT] = auth_at
    s[SEEN_AT] = seen_at
    s.save()


def test_idle_timeout_after_thirty_minutes(world) -> None:
    c = Client()
    _login(c, "t_clerk", PASSWORD)
    now = time.time()
    _session_at(c, now - 3600, now - 29 * 60)
    assert c.get(reverse("workbench:home")).status_code == 200
    _session_at(c, now - 3600, now - 31 * 60)
    r = c.get(reverse("workbench:home"))
    assert r.status_code == 302 and reverse("portal:login") in r.headers["Location"]


def test_absolute_timeout_after_twelve_hours(world) -> None:
    c = Client()
    _login(c, "t_clerk", PASSWORD)
    now = time.time()
    _session_at(c, now - 11.9 * 3600, now - 60)
    assert c.get(reverse("workbench:home")).status_code == 200
    _session_at(c, now - 12.1 * 3600, now - 60)
    assert c.get(reverse("workbench:home")).status_code == 302


@override_settings(SESSION_IDLE_SECONDS=1800)
def test_settings_carry_the_rules_numbers() -> None:
    from django.conf import settings

    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.AXES_COOLOFF_TIME == 0.25  # hours = 15 minutes
    assert settings.SESSION_ABSOLUTE_SECONDS == 12 * 3600
    assert settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
