"""The audit log names the zone its times are shown in (they are stored in UTC, shown in Beijing time)."""

from __future__ import annotations

from datetime import UTC, timedelta
from typing import Any

import pytest
from django.urls import reverse

from yiwang.audit.models import AuditEvent
from yiwang.audit.services import audit_record


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "label"), [("zh-hans", "时间（Asia/Shanghai）"), ("en", "Time (Asia/Shanghai)")]
)
def test_the_audit_list_shows_beijing_time_and_says_so(
    world: Any, client_for: Any, language: str, label: str
) -> None:
    audit_record(action="probe.done", actor=None, object_type="probe", object_id="1")
    event = AuditEvent.objects.get(action="probe.done")
    client = client_for("audit_admin")
    page = client.get(
        reverse("admin:audit_auditevent_changelist"), {"q": "probe.done"}, HTTP_ACCEPT_LANGUAGE=language
    )
    text = page.content.decode()
    assert page.status_code == 200
    assert label in text and "UTC" not in text
    shown = (event.at.astimezone(UTC) + timedelta(hours=8)).strftime("%Y-%m-%d %H:%M:%S +0800")
    assert shown in text  # stored in UTC (the table is append-only), shown in Beijing time
