"""The outreach API (mounted at /api/outreach): a grid worker's visits and the outcome of one."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router

from yiwang.accounts.access import ensure, signed_in
from yiwang.web.api import AUTH, ERRORS, WRITE_ERRORS, Id

from . import selectors
from . import services as s
from .access import access_visits
from .schemas import OutcomeIn, VisitOut

router = Router(tags=["outreach"])


def _out(v: Any) -> dict[str, Any]:
    return {
        "id": v.pk,
        "name": v.resident.name,
        "id_masked": v.resident.id_masked,
        "benefit": v.benefit,
        "outcome": v.outcome,
        "case": v.case.number if v.case_id else None,
    }


@router.get("/visits", response={200: list[VisitOut], **ERRORS}, auth=AUTH)
def list_visits(request: HttpRequest) -> Any:
    """The open visits of the grid worker's own community (IDs masked; at most 500)."""
    ensure(access_visits(request.user), user=request.user, action="outreach.visits")
    return [_out(v) for v in selectors.visits_for(signed_in(request), outcome="open")[:500]]


@router.post("/visits/{visit_id}/outcome", response={200: VisitOut, **WRITE_ERRORS}, auth=AUTH)
def record_outcome(request: HttpRequest, visit_id: Id, payload: OutcomeIn) -> Any:
    """Record a visit: applied on the resident's behalf (files the application), declined, not at home
    (retry), moved away, deceased. Only the grid worker of the resident's community."""
    ensure(access_visits(request.user), user=request.user, action="outreach.visit")
    v = s.visit_record(
        actor=signed_in(request), visit_id=visit_id, outcome=payload.outcome, note=payload.note
    )
    return _out(selectors.visit_get(v.pk))
