"""``GET /api/audit/events``: its documented filters filter (docs/adr/0052)."""

from __future__ import annotations

from typing import Any

import pytest

from yiwang.audit.services import audit_record

pytestmark = pytest.mark.django_db


def test_events_filter_by_action_and_limit(world: Any, client_for: Any) -> None:
    for i in range(3):
        audit_record(actor=None, action="test.alpha", data={"i": i})
    audit_record(actor=None, action="test.beta")
    c = client_for("audit_admin")
    alpha = c.get("/api/audit/events", {"action": "test.alpha"}).json()
    assert [e["action"] for e in alpha] == ["test.alpha"] * 3
    assert [e["action"] for e in c.get("/api/audit/events", {"action": "test.beta"}).json()] == ["test.beta"]
    assert c.get("/api/audit/events", {"action": "test.none"}).json() == []
    assert len(c.get("/api/audit/events", {"action": "test.alpha", "limit": 2}).json()) == 2
