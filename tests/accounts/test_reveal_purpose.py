"""Showing a full number asks why first: the control offers the service's purposes with none chosen, a
request without one is refused naming the field, and the reveal is audited with the purpose given."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.applications.builders import code_of, make_item
from yiwang.applications import services as s
from yiwang.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_the_case_page_asks_the_purpose_before_showing_the_number(world: Any, client_for: Any) -> None:
    item = make_item(world)
    case = s.application_receive(
        actor=world.users["clerk"], item=item, person=world.person, provided=[code_of(item, 1)]
    )
    clerk = client_for("clerk")
    page = clerk.get(f"/applications/case/{case.pk}/").content.decode()
    url = f"/workbench/people/{world.person.pk}/reveal/id_number/"
    control = re.search(
        rf'<form class="inline reveal" hx-post="{url}" hx-target="#pid".*?</form>', page, re.S
    )
    assert control, "no reveal control for the ID number"
    options = re.findall(r'<option value="([^"]*)"', control.group(0))
    assert options == ["", "identity_check", "contact", "case_handling", "legal_request"]
    assert "selected" not in control.group(0) and "required" in control.group(0)

    refused = clerk.post(url, {}, HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 400 and "Purpose" in refused.content.decode()
    assert clerk.post(url, {"purpose": "just curious"}).status_code == 400
    assert not AuditEvent.objects.filter(action="pii.reveal", outcome="success").exists()

    shown = clerk.post(url, {"purpose": "identity_check"})
    assert shown.status_code == 200 and shown.content.decode() == world.person.id_number
    event = AuditEvent.objects.get(action="pii.reveal", outcome="success")
    assert event.data == {"field": "id_number", "purpose": "identity_check"}
