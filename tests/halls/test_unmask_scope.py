"""A clerk may unmask the person holding today's number at the clerk's own hall, and nobody else's."""

from __future__ import annotations

from typing import Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied

from tests.factories import make_staff
from yiwang.accounts.services import pii_reveal
from yiwang.halls import services

from .helpers import at, next_workday, setup_hall

pytestmark = pytest.mark.django_db


def test_a_number_at_the_clerks_hall_puts_the_person_in_the_clerks_work(world: Any) -> None:
    setup_hall(world.hall, letters="A")
    d = next_workday()
    applicant = world.users["applicant"]
    elsewhere = make_staff("t_clerk_elsewhere", ["clerk"], hall=world.other_hall)
    with time_machine.travel(at(d, "10:00"), tick=False):
        with pytest.raises(PermissionDenied):
            pii_reveal(
                actor=world.users["clerk"], person=world.person, field="mobile", purpose="identity_check"
            )
        ticket = services.ticket_take(actor=applicant, hall=world.hall, category_letter="A")
        assert ticket.person_id == world.person.pk
        shown = pii_reveal(
            actor=world.users["clerk"], person=world.person, field="mobile", purpose="identity_check"
        )
        assert shown == world.person.mobile
        with pytest.raises(PermissionDenied):
            pii_reveal(actor=elsewhere, person=world.person, field="mobile", purpose="identity_check")
