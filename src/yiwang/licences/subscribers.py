"""The kernel's post-commit events this context reacts to (``yiwang.cases.events``)."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from django.db import transaction

from yiwang.core.errors import ServiceError

from . import services

if TYPE_CHECKING:
    from yiwang.cases.events import CaseTransitioned

log = logging.getLogger(__name__)


def on_application_approved(event: CaseTransitioned) -> None:
    """An approved application whose item's result is a licence type owes a licence: open its issuance and,
    when the case's data already fills every required field, issue it at once (the system signs)."""
    issuance = services.issuance_open(case_id=event.case_id)
    if issuance is None or issuance.state != issuance.State.PENDING:
        return
    if services.missing_fields(issuance.type, services.issuance_case_fields(issuance)):
        return  # the reviewer completes the missing fields on the issuance page
    try:
        with transaction.atomic():
            services.licence_issue(actor=None, issuance_id=issuance.pk)
    except ServiceError as exc:
        log.warning("licence for case %s left to the reviewer: %s", event.case_id, exc)
