"""Audited writes do not wait for each other: a transaction holding an unsealed audit event open does not
block another writer's audited commit (the chain head is locked by the sealer only, briefly)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, transaction

from yiwang.audit.models import AuditEvent
from yiwang.audit.services import audit_record, audit_seal, audit_verify_chain

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_an_open_audited_transaction_does_not_block_another_writer() -> None:
    written = threading.Event()
    release = threading.Event()
    errors: list[BaseException] = []

    def slow_writer() -> None:
        try:
            with transaction.atomic():
                audit_record(actor=None, action="test.slow")
                written.set()
                assert release.wait(timeout=30)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    t = threading.Thread(target=slow_writer)
    t.start()
    try:
        assert written.wait(timeout=30)
        with connection.cursor() as cur:
            cur.execute(
                "SET lock_timeout = '3s'"
            )  # with the old head lock this write would wait for the other
        fast = audit_record(actor=None, action="test.fast")  # autocommit: committed and sealed at once
        assert AuditEvent.objects.get(pk=fast.pk).seq == 1
    finally:
        release.set()
        t.join(timeout=30)
    assert not errors, errors
    audit_seal()
    assert list(AuditEvent.objects.order_by("seq").values_list("action", flat=True)) == [
        "test.fast",
        "test.slow",
    ]
    result = audit_verify_chain()
    assert (result.ok, result.checked, result.unsealed) == (True, 2, 0)
