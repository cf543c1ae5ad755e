"""Sign-in throttling that cannot lock the owner out (docs/adr/0012): known devices are not locked, every
account is capped at 100 failures in any hour however spread, one address is capped against sprays."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client, override_settings
from django.urls import reverse

from tests.factories import PASSWORD
from yiwang.accounts.throttle import DEVICE_COOKIE

pytestmark = pytest.mark.django_db
T0 = datetime(2026, 12, 2, 2, 0, tzinfo=UTC)


def _login(client: Client, username: str, password: str, address: str = "10.0.0.1") -> Any:
    return client.post(
        reverse("portal:login"), {"username": username, "password": password}, REMOTE_ADDR=address
    )


def _known_device(username: str) -> Client:
    owner = Client(HTTP_ACCEPT_LANGUAGE="en")
    assert _login(owner, username, PASSWORD).status_code == 302
    assert DEVICE_COOKIE in owner.cookies
    owner.post(reverse("portal:logout"))
    return owner


def test_an_attacker_cannot_lock_the_owner_out_of_a_known_device(world: Any) -> None:
    owner = _known_device("t_secadmin")
    attacker = Client()
    for _ in range(5):
        _login(attacker, "t_secadmin", "guess", address="203.0.113.9")
    assert _login(attacker, "t_secadmin", PASSWORD, address="203.0.113.9").status_code == 429  # locked there
    assert _login(owner, "t_secadmin", PASSWORD).status_code == 302  # the owner's own browser still works


@override_settings(LOGIN_ADDRESS_FAILURES=10_000)
def test_at_most_100_failures_per_account_in_any_hour_however_spread(world: Any) -> None:
    owner = _known_device("t_clerk")
    with time_machine.travel(T0, tick=False) as clock:
        for _ in range(50):
            assert _login(owner, "t_clerk", "wrong").status_code == 200  # the form again, not locked
        clock.move_to(T0 + timedelta(minutes=59))
        for _ in range(50):
            assert _login(owner, "t_clerk", "wrong").status_code == 200
        refused = _login(owner, "t_clerk", PASSWORD)  # the 101st attempt within the hour
        assert refused.status_code == 429 and "100 failed sign-ins" in refused.content.decode()
        clock.move_to(T0 + timedelta(minutes=60, seconds=1))  # the first 50 are older than an hour
        assert _login(owner, "t_clerk", PASSWORD).status_code == 302


@override_settings(LOGIN_ADDRESS_FAILURES=30)
def test_a_spray_from_one_address_is_stopped_and_other_addresses_are_not(world: Any) -> None:
    sprayer = Client(HTTP_ACCEPT_LANGUAGE="en")
    with time_machine.travel(T0, tick=False) as clock:
        for n in range(30):
            assert _login(sprayer, f"user{n:02d}", "Password1").status_code == 200
        blocked = _login(sprayer, "t_clerk", PASSWORD)
        assert blocked.status_code == 429 and "from this network" in blocked.content.decode()
        assert _login(Client(), "t_clerk", PASSWORD, address="10.0.0.2").status_code == 302
        clock.move_to(T0 + timedelta(minutes=15))
        assert _login(sprayer, "t_clerk", PASSWORD).status_code == 302
