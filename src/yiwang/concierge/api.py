"""The concierge API (mounted at /api/concierge): one typed operation per action, thin over the services."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Status

from yiwang.accounts.access import ensure, enterprises_for, signed_in
from yiwang.web.api import AUTH, ERRORS, WRITE_ERRORS, Id

from . import selectors
from . import services as s
from .access import access_board, access_figures, access_my_concierge
from .models import CoordinationRequest, KeyEnterprise
from .schemas import (
    ConciergeAddIn,
    ConciergeAnswerIn,
    ConciergeBoardRow,
    ConciergeContactOut,
    ConciergeCoordinationIn,
    ConciergeCoordinationOut,
    ConciergeFiguresOut,
    ConciergeKeyOut,
    ConciergeNoteIn,
    ConciergeNoteOut,
    ConciergeTransferIn,
)

router = Router(tags=["concierge"])


def _req(r: CoordinationRequest) -> dict[str, Any]:
    return {
        "id": r.pk,
        "case": r.case_id,
        "office": r.office.code,
        "level": r.level,
        "text": r.text,
        "due_date": r.due_date,
        "answer": r.answer,
        "answered_on": r.answered_on,
    }


def _key(k: KeyEnterprise) -> dict[str, Any]:
    return {
        "id": k.pk,
        "enterprise": k.enterprise.name,
        "credit_code": k.enterprise.credit_code,
        "reason": k.reason,
        "concierge": k.concierge_id,
        "since": k.since,
    }


@router.get("/board", response={200: list[ConciergeBoardRow], **ERRORS}, auth=AUTH)
def board(request: HttpRequest) -> Any:
    """Every case of the concierge's enterprises (any kind), open ones first, with time left or the outcome."""
    ensure(access_board(request.user), user=request.user, action="concierge.board")
    return [
        {
            "case": r["case"].pk,
            "number": r["case"].number,
            "kind": r["case"].kind,
            "title": r["case"].title,
            "enterprise": r["case"].applicant_enterprise.name if r["case"].applicant_enterprise else None,
            "office": r["case"].owning_office.code,
            "due_date": r["case"].due_date,
            "working_days_left": r["left"],
            "state": r["state"] or "open",
            "notes": r["notes"],
        }
        for r in selectors.board(request.user)
    ]


@router.post("/cases/{case_id}/notes", response={201: ConciergeNoteOut, **WRITE_ERRORS}, auth=AUTH)
def note(request: HttpRequest, case_id: Id, payload: ConciergeNoteIn) -> Any:
    n = s.concierge_note(actor=signed_in(request), case_id=case_id, text=payload.text)
    return Status(201, {"id": n.pk, "case": n.case_id, "text": n.text, "at": n.at})


@router.post(
    "/cases/{case_id}/coordination", response={201: ConciergeCoordinationOut, **WRITE_ERRORS}, auth=AUTH
)
def coordinate(request: HttpRequest, case_id: Id, payload: ConciergeCoordinationIn) -> Any:
    """A coordination request to the owning office (问题分级处置), with a response due date for its level."""
    r = s.concierge_coordinate(
        actor=signed_in(request), case_id=case_id, level=payload.level, text=payload.text
    )
    return Status(201, _req(r))


@router.post(
    "/coordination/{request_id}/escalate", response={200: ConciergeCoordinationOut, **WRITE_ERRORS}, auth=AUTH
)
def escalate(request: HttpRequest, request_id: Id) -> Any:
    return _req(s.concierge_escalate(actor=signed_in(request), request_id=request_id))


@router.post(
    "/coordination/{request_id}/answer", response={200: ConciergeCoordinationOut, **WRITE_ERRORS}, auth=AUTH
)
def answer(request: HttpRequest, request_id: Id, payload: ConciergeAnswerIn) -> Any:
    """The owning office answers."""
    return _req(s.coordination_answer(actor=signed_in(request), request_id=request_id, answer=payload.answer))


@router.post("/enterprises", response={201: ConciergeKeyOut, **WRITE_ERRORS}, auth=AUTH)
def add(request: HttpRequest, payload: ConciergeAddIn) -> Any:
    k = s.key_enterprise_add(
        actor=signed_in(request),
        credit_code=payload.credit_code,
        reason=payload.reason,
        concierge_id=payload.concierge,
    )
    return Status(201, _key(k))


@router.post("/enterprises/{key_id}/transfer", response={200: ConciergeKeyOut, **WRITE_ERRORS}, auth=AUTH)
def transfer(request: HttpRequest, key_id: Id, payload: ConciergeTransferIn) -> Any:
    k = s.key_enterprise_transfer(
        actor=signed_in(request), key_id=key_id, to_concierge_id=payload.to_concierge, reason=payload.reason
    )
    return _key(k)


@router.get("/figures", response={200: ConciergeFiguresOut, **ERRORS}, auth=AUTH)
def figures(request: HttpRequest) -> Any:
    ensure(access_figures(request.user), user=request.user, action="concierge.figures")
    return selectors.figures()


@router.get("/mine", response={200: list[ConciergeContactOut], **ERRORS}, auth=AUTH)
def mine(request: HttpRequest) -> Any:
    """The signed-in agent's concierges: name and contact, per key enterprise they act for."""
    ensure(access_my_concierge(request.user), user=request.user, action="concierge.mine")
    return selectors.my_concierges(enterprises_for(request.user))
