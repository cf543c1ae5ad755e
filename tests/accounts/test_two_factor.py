"""Two factors for staff (docs/adr/0013): enrolment with a QR code, codes used once, recovery codes once,
guesses limited, pages and the API closed until the factor is checked; applicants and tokens unaffected."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pyotp
import pytest
import time_machine
from django.test import Client, override_settings

from tests.factories import PASSWORD
from yiwang.accounts.models import TotpDevice
from yiwang.accounts.services import api_token_create
from yiwang.audit.models import AuditEvent

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("two_factor_on")]
T0 = datetime(2026, 12, 2, 2, 0, 5, tzinfo=UTC)


@pytest.fixture
def two_factor_on() -> Any:
    with override_settings(STAFF_TWO_FACTOR=True):
        yield


def _signed_in(username: str) -> Client:
    c = Client(HTTP_ACCEPT_LANGUAGE="en")
    assert c.post("/login/", {"username": username, "password": PASSWORD}).status_code == 302
    return c


def _enrol(c: Client) -> tuple[str, list[str]]:
    page = c.get("/account/2fa/enrol/")
    assert page.status_code == 200 and "<svg" in page.content.decode()
    secret = TotpDevice.objects.get().secret
    assert " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)) in page.content.decode()
    done = c.post("/account/2fa/enrol/", {"code": pyotp.TOTP(secret).now()})
    codes = re.findall(r"<code>([0-9A-F]{4}-[0-9A-F]{4})</code>", done.content.decode())
    assert done.status_code == 200 and len(codes) == 10
    return secret, codes


def test_a_staff_session_is_closed_until_the_authenticator_is_set_up(world: Any) -> None:
    with time_machine.travel(T0, tick=False):
        c = _signed_in("t_clerk")
        r = c.get("/workbench/")
        assert r.status_code == 302 and r["Location"].startswith("/account/2fa/?next=")
        assert c.get("/account/2fa/")["Location"].startswith("/account/2fa/enrol/")
        api = c.get("/api/me")
        assert api.status_code == 403 and api.json()["code"] == "second_factor"
        _enrol(c)
        assert c.get("/workbench/").status_code == 200 and c.get("/api/me").status_code == 200
    assert AuditEvent.objects.filter(action="auth.2fa_enrol", outcome="success").count() == 1


def test_codes_are_used_once_recovery_codes_once(world: Any) -> None:
    with time_machine.travel(T0, tick=False) as clock:
        secret, codes = _enrol(_signed_in("t_clerk"))
        used = pyotp.TOTP(secret).now()
        again = _signed_in("t_clerk")
        assert again.post("/account/2fa/", {"code": used}).status_code == 422  # replayed
        clock.move_to(T0 + timedelta(seconds=30))
        ok = again.post("/account/2fa/", {"code": pyotp.TOTP(secret).now(), "next": "/workbench/"})
        assert ok.status_code == 302 and ok["Location"] == "/workbench/"
        third = _signed_in("t_clerk")
        assert third.post("/account/2fa/", {"code": codes[0].lower()}).status_code == 302
        fourth = _signed_in("t_clerk")
        assert fourth.post("/account/2fa/", {"code": codes[0]}).status_code == 422
    assert len(TotpDevice.objects.get().recovery_codes) == 9


def test_wrong_codes_are_limited(world: Any) -> None:
    with time_machine.travel(T0, tick=False):
        secret, _codes = _enrol(_signed_in("t_clerk"))
        c = _signed_in("t_clerk")
        for _ in range(5):
            assert c.post("/account/2fa/", {"code": "000000"}).status_code == 422
        refused = c.post("/account/2fa/", {"code": pyotp.TOTP(secret).now()})
        assert refused.status_code == 429
    assert AuditEvent.objects.filter(action="auth.2fa_verify", outcome="failed").count() == 5


def test_applicants_and_api_tokens_need_no_second_factor(world: Any, client: Client) -> None:
    assert _signed_in("t_applicant").get("/account/").status_code == 200
    _token, raw = api_token_create(actor=None, user=world.users["clerk"], name="integration")
    assert client.get("/api/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 200


@override_settings(STAFF_TWO_FACTOR=False)
def test_off_for_the_demo(world: Any) -> None:
    assert _signed_in("t_clerk").get("/workbench/").status_code == 200


def test_the_authenticator_secret_is_encrypted_at_rest(world: Any) -> None:
    from django.db import connection

    with time_machine.travel(T0, tick=False):
        secret, _codes = _enrol(_signed_in("t_clerk"))
    with connection.cursor() as cur:
        cur.execute("SELECT secret FROM accounts_totpdevice")
        (raw,) = cur.fetchone()
    assert raw.startswith("sm4g1:") and secret not in raw
