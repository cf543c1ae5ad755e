"""The case kernel's API (mounted at /api/cases): the applicant's one timeline across all their cases."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema

from yiwang.accounts.access import access_portal_account, ensure
from yiwang.web.api import AUTH, ERRORS

from . import selectors
from .workflow import status_label

router = Router(tags=["cases"])


class TimelineOut(Schema):
    at: datetime
    case_id: int
    number: str | None
    kind: str
    title: str
    action: str
    status: str
    status_label: str


@router.get("/timeline", response={200: list[TimelineOut], **ERRORS}, auth=AUTH)
def timeline(request: HttpRequest, limit: int = Query(100, ge=1, le=500)) -> Any:
    """The signed-in applicant's timeline across every case of every kind (newest first)."""
    ensure(access_portal_account(request.user), user=request.user, action="case.timeline")
    return [
        {
            "at": e.at,
            "case_id": e.case_id,
            "number": e.case.number,
            "kind": e.case.kind,
            "title": e.case.title,
            "action": e.action,
            "status": e.to_status,
            "status_label": status_label(e.case.kind, e.to_status) if e.to_status else "",
        }
        for e in selectors.party_timeline(request.user, limit=limit)
    ]
