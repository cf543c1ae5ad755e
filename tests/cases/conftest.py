from __future__ import annotations

from typing import Any

import pytest
from django.db import connection

NO_TRUNCATE = "audit_event_no_truncate"
_lifted: list[bool] = []


def _transactional(request: Any) -> bool:
    marker = request.node.get_closest_marker("django_db")
    return bool(marker and (marker.kwargs.get("transaction") or (marker.args and marker.args[0])))


@pytest.fixture(scope="module", autouse=True)
def _audit_truncate_guard_restored(django_db_blocker: Any) -> Any:
    """Transactional tests end with a flush (TRUNCATE), which the audit log's append-only trigger refuses on
    PostgreSQL. Each such test lifts the TRUNCATE guard for its final flush; this puts it back afterwards."""
    yield
    if _lifted:
        _lifted.clear()
        with django_db_blocker.unblock(), connection.cursor() as cur:
            cur.execute(f"ALTER TABLE audit_auditevent ENABLE TRIGGER {NO_TRUNCATE}")


@pytest.fixture(autouse=True)
def _allow_flush(request: Any) -> Any:
    yield
    if connection.vendor == "postgresql" and _transactional(request):
        with connection.cursor() as cur:
            cur.execute(f"ALTER TABLE audit_auditevent DISABLE TRIGGER {NO_TRUNCATE}")
        _lifted.append(True)
