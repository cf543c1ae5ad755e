"""Real row locks, on PostgreSQL only: gapless numbers under concurrent creation, one winner per transition."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from django.db import connection, transaction

from tests.applications.builders import code_of, make_item
from yiwang.applications import services as s
from yiwang.cases.models import Case
from yiwang.cases.services import PartySpec, case_create
from yiwang.core.errors import Conflict

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _in_thread(fn: Any) -> Any:
    def run(*args: Any) -> Any:
        try:
            return fn(*args)
        finally:
            connection.close()

    return run


def test_1000_concurrent_creations_get_1000_gapless_numbers(world: Any) -> None:
    office, person = world.office, world.other_person

    @_in_thread
    def create(_i: int) -> str:
        with transaction.atomic():
            case = case_create(
                actor=None,
                kind="application",
                status="received",
                title="并发",
                owning_office=office,
                channel="window",
                parties=[PartySpec("applicant", person=person)],
                audit=False,
            )
        return str(case.number)

    with ThreadPoolExecutor(max_workers=16) as pool:
        numbers = list(pool.map(create, range(1000)))
    assert len(set(numbers)) == 1000
    seqs = sorted(int(n[-6:]) for n in numbers)
    assert seqs == list(range(1, 1001))
    assert Case.objects.filter(owning_office=office).count() == 1000


def test_concurrent_transitions_on_one_case_let_exactly_one_through(world: Any) -> None:
    item = make_item(world)
    clerk = world.users["clerk"]
    case = s.application_receive(
        actor=clerk, item=item, person=world.other_person, provided=[code_of(item, 1), code_of(item, 2)]
    )
    version = case.version

    @_in_thread
    def accept(_i: int) -> str:
        try:
            s.application_accept(actor=clerk, case_id=case.pk, expected_version=version)
        except Conflict as exc:
            return exc.code
        return "ok"

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(accept, range(8)))
    assert results.count("ok") == 1
    assert set(results) - {"ok"} == {"stale"}
    case.refresh_from_db()
    assert case.status == "accepted" and case.version == version + 1
    assert case.events.filter(action="accept").count() == 1
