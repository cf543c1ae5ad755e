"""Real row locks, on PostgreSQL only: one licence per decision under concurrent issuing, gapless serials."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from django.db import connection

from yiwang.core.errors import Conflict
from yiwang.licences import services
from yiwang.licences.identifier import parse
from yiwang.licences.models import Issuance, Licence, LicenceVersion

from .helpers import approved_case, licence_type

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
FIELDS = {"scope": "预包装食品销售", "address": "龙城街道1号"}


def _in_thread(fn: Any) -> Any:
    def run(*args: Any) -> Any:
        try:
            return fn(*args)
        finally:
            connection.close()

    return run


def test_one_decision_issued_from_eight_threads_gives_one_licence(world: Any) -> None:
    ltype = licence_type(world)
    issuance = Issuance.objects.get(case=approved_case(world, ltype))
    reviewer = world.users["reviewer"]

    @_in_thread
    def issue(_i: int) -> str:
        try:
            services.licence_issue(actor=reviewer, issuance_id=issuance.pk, fields=FIELDS)
        except Conflict as exc:
            return exc.code
        return "ok"

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(issue, range(8)))
    assert results.count("ok") == 1 and set(results) - {"ok"} == {"already_issued"}
    assert Licence.objects.count() == 1 and LicenceVersion.objects.count() == 1


def test_concurrent_issuances_get_gapless_serials(world: Any) -> None:
    ltype = licence_type(world)
    issuances = [Issuance.objects.get(case=approved_case(world, ltype)).pk for _ in range(12)]
    reviewer = world.users["reviewer"]

    @_in_thread
    def issue(pk: int) -> str:
        return str(services.licence_issue(actor=reviewer, issuance_id=pk, fields=FIELDS).serial)

    with ThreadPoolExecutor(max_workers=6) as pool:
        serials = sorted(pool.map(issue, issuances))
    assert [int(s[-6:]) for s in serials] == list(range(1, 13))
    assert all(parse(v.identifier).serial in serials for v in LicenceVersion.objects.all())
