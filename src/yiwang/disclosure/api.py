"""The disclosure API (mounted at /api/disclosure): one typed operation per action, thin over the services.
Filing, tracking and the 双公示 search are public; the office's operations go through the kernel's access."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from yiwang.accounts.access import ensure, signed_in
from yiwang.cases.models import Case
from yiwang.core import ratelimit
from yiwang.core.errors import NotFound
from yiwang.web.api import AUTH, ERRORS, WRITE_ERRORS, Id

from . import selectors
from . import services as s
from . import workflow as wf
from .access import access_file_request, access_public_register, access_request_view
from .schemas import (
    DisclosureDecisionIn,
    DisclosureExtensionIn,
    DisclosureReplyIn,
    DisclosureRequestIn,
    DisclosureRequestOut,
    DisclosureTrackQuery,
    PublicationOut,
    PublicationQueryIn,
)

router = Router(tags=["disclosure"])


def _out(case: Case) -> dict[str, Any]:
    fresh = selectors.request_case(case.pk)
    assert fresh is not None
    req = fresh.disclosure
    return {
        "id": fresh.pk,
        "number": fresh.number,
        "status": fresh.status,
        "status_label": wf.status_label(fresh.status),
        "receipt_date": req.receipt_date,
        "due_date": fresh.due_date,
        "reply_type": req.reply_type,
        "fee_yuan": req.fee_yuan,
    }


def _load(request: HttpRequest, case_id: int) -> Case:
    case = selectors.request_case(case_id)
    if case is None or not access_request_view(request.user, case):
        raise NotFound(_("No such request."))
    return case


@router.post("/requests", response={201: DisclosureRequestOut, **WRITE_ERRORS}, auth=AUTH)
def file_request(request: HttpRequest, payload: DisclosureRequestIn) -> Any:
    """Apply for government information online, signed in (received when the office confirms it, Art. 31)."""
    ensure(access_file_request(request.user), user=request.user, action="disclosure.file")
    office = selectors.office_by_code(payload.office)
    if office is None:
        raise NotFound(_("No such office."))
    data = s.RequestInput(**payload.dict(exclude={"office"}), office=payload.office)
    case = s.request_file(actor=signed_in(request), data=data, office=office, channel="online")
    return Status(201, _out(case))


@router.get("/track", response={200: DisclosureRequestOut, **ERRORS}, auth=None)
def track(request: HttpRequest, q: Query[DisclosureTrackQuery]) -> Any:
    """Follow a request by its number and the last 4 characters of the applicant's ID number or telephone."""
    case = selectors.request_track(q.number, q.last4, guessers=ratelimit.guessers(request))
    if case is None:
        raise NotFound(_("No such request."))
    return _out(case)


@router.post("/requests/{case_id}/reply", response={200: DisclosureRequestOut, **WRITE_ERRORS}, auth=AUTH)
def reply(request: HttpRequest, case_id: Id, payload: DisclosureReplyIn) -> Any:
    """Reply with one of the Art. 36 types and its required content (non-disclosure goes to the head)."""
    case = _load(request, case_id)
    data = s.ReplyInput(payload.type, payload.content)
    return _out(
        s.reply_send(actor=signed_in(request), case_id=case.pk, data=data, expected_version=payload.version)
    )


@router.post("/requests/{case_id}/extension", response={200: DisclosureRequestOut, **WRITE_ERRORS}, auth=AUTH)
def extension(request: HttpRequest, case_id: Id, payload: DisclosureExtensionIn) -> Any:
    """Ask the head of the disclosure office for more time (once, at most 20 working days)."""
    case = _load(request, case_id)
    return _out(
        s.extension_request(
            actor=signed_in(request), case_id=case.pk, days=payload.days, reason=payload.reason
        )
    )


@router.post(
    "/requests/{case_id}/extension/decision", response={200: DisclosureRequestOut, **WRITE_ERRORS}, auth=AUTH
)
def extension_decision(request: HttpRequest, case_id: Id, payload: DisclosureDecisionIn) -> Any:
    """The head of the disclosure office approves or refuses the extension."""
    case = _load(request, case_id)
    return _out(
        s.extension_decide(
            actor=signed_in(request), case_id=case.pk, approve=payload.approve, reason=payload.reason
        )
    )


@router.get("/publications", response={200: list[PublicationOut], **ERRORS}, auth=None)
def publications(request: HttpRequest, q: Query[PublicationQueryIn]) -> Any:
    """The public 双公示 search (at most 100, newest decisions first); personal data masked."""
    ensure(access_public_register(request.user), user=request.user, action="disclosure.publications")
    rows = selectors.publications_search(selectors.PublicationQuery(**q.dict()))[:100]
    return [
        {
            "id": p.pk,
            "kind": p.kind,
            "decision_number": p.decision_number,
            "title": p.title,
            "party_name": p.party_name,
            "party_kind": p.party_kind,
            "credit_code": p.credit_code,
            "id_masked": p.id_masked,
            "office": p.office.code,
            "decided_on": p.decided_on,
            "published_on": p.published_on,
        }
        for p in rows
    ]
