"""The hotline API (mounted at /api/hotline): one typed operation per action, thin over the services.
Callers' telephone numbers are always masked here. The Open311 GeoReport v2 interface is at /open311/v2/."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from pydantic import Field

from yiwang.accounts.access import ensure, signed_in
from yiwang.cases import selectors as kernel
from yiwang.cases.models import Case
from yiwang.core import ratelimit
from yiwang.core.errors import NotFound
from yiwang.web.api import AUTH, ERRORS, WRITE_ERRORS, ErrorOut, Id, IsoDate

from . import selectors
from . import services as s
from . import workflow as wf
from .access import access_figures, access_intake, access_ticket, access_ticket_view
from .schemas import (
    HotlineCallbackIn,
    HotlineCategoryOut,
    HotlineDecisionIn,
    HotlineDispatchIn,
    HotlineExtensionIn,
    HotlineFiguresOut,
    HotlineFollowOut,
    HotlineMergeIn,
    HotlineOptionalReasonIn,
    HotlinePartIn,
    HotlineRateIn,
    HotlineReasonIn,
    HotlineReassignIn,
    HotlineReplyIn,
    HotlineTicketIn,
    HotlineTicketOut,
    HotlineTicketRow,
    HotlineVersionIn,
)

router = Router(tags=["hotline"])


def _events(case: Case, public_only: bool) -> list[dict[str, Any]]:
    return [
        {"at": e.at, "action": e.action, "label": wf.transition_label(e.action), "to_status": e.to_status}
        for e in kernel.case_events(case, public_only=public_only)
    ]


def ticket_out(case: Case) -> dict[str, Any]:
    t = case.ticket
    answer = selectors.main_reply(case)
    return {
        "id": case.pk,
        "number": case.number,
        "status": case.status,
        "status_label": wf.status_label(case.status),
        "version": case.version,
        "type": t.type,
        "category": t.category.code,
        "category_name": t.category.label(),
        "urgency": t.urgency,
        "business_line": t.business_line,
        "description": t.description,
        "address": t.address,
        "street": t.street.code if t.street else None,
        "community": t.community.code if t.community else None,
        "lat": t.lat,
        "lng": t.lng,
        "office": case.owning_office.code,
        "suggested_office": t.suggested_office.code if t.suggested_office else None,
        "received_at": case.received_at,
        "due_at": case.due_at,
        "parent": case.parent_id,
        "reply": answer.reply,
        "rating": t.rating,
        "callers": [
            {"name": p.display_name, "phone": p.masked_phone, "anonymous": p.anonymous}
            for p in selectors.ticket_callers(case)
        ],
        "events": _events(case, public_only=False),
    }


def _load(request: HttpRequest, case_id: int) -> Case:
    case = selectors.ticket_case(case_id)
    if case is None or not access_ticket_view(request.user, case):
        raise NotFound(_("No such ticket."))
    return case


def _done(case: Case) -> dict[str, Any]:
    fresh = selectors.ticket_case(case.pk)
    assert fresh is not None
    return ticket_out(fresh)


@router.get("/categories", response={200: list[HotlineCategoryOut], **ERRORS}, auth=None)
def categories(request: HttpRequest) -> Any:
    """The classification tree (active categories, parents first)."""
    return [
        {
            "code": c.code,
            "name": c.label(),
            "parent": c.parent.code if c.parent else None,
            "business_line": c.business_line,
        }
        for c in selectors.categories()
    ]


@router.post("/tickets", response={201: HotlineTicketOut, **WRITE_ERRORS}, auth=AUTH)
def receive(request: HttpRequest, payload: HotlineTicketIn) -> Any:
    """An operator records a call (话务员)."""
    ensure(access_intake(request.user), user=request.user, action="hotline.receive")
    case = s.ticket_receive(actor=signed_in(request), data=s.TicketInput(**payload.dict()))
    return Status(201, _done(case))


class HotlineDuplicatesQuery(Schema):
    caller_phone: str = Field("", max_length=20)
    category: str = Field("", max_length=40)
    community: str = Field("", max_length=15)
    lat: float | None = Field(None, ge=-90, le=90)
    lng: float | None = Field(None, ge=-180, le=180)


@router.get("/tickets/duplicates", response={200: list[HotlineTicketRow], **ERRORS}, auth=AUTH)
def duplicates(request: HttpRequest, q: Query[HotlineDuplicatesQuery]) -> Any:
    """Likely duplicates of a call being recorded: the same telephone, or the same category nearby."""
    ensure(access_intake(request.user), user=request.user, action="hotline.duplicates")
    category = selectors.category_by_code(q.category) if q.category else None
    community = selectors.communities().filter(code=q.community).first() if q.community else None
    rows = selectors.duplicate_candidates(
        phone_key=s.phone_key(q.caller_phone), category=category, community=community, lat=q.lat, lng=q.lng
    )
    return [_row(c) for c in rows]


def _row(c: Case) -> dict[str, Any]:
    return {
        "id": c.pk,
        "number": c.number,
        "status": c.status,
        "type": c.ticket.type,
        "category": c.ticket.category.code,
        "office": c.owning_office.code,
        "due_at": c.due_at,
    }


class HotlineListQuery(Schema):
    status: str = Field("", max_length=24)
    q: str = Field("", max_length=60)


@router.get("/tickets", response={200: list[HotlineTicketRow], **ERRORS}, auth=AUTH)
def list_tickets(request: HttpRequest, q: Query[HotlineListQuery]) -> Any:
    """Tickets the user may see (an office: its own and those it co-handles), newest first (at most 100)."""
    ensure(access_ticket(request.user), user=request.user, action="hotline.list")
    return [_row(c) for c in selectors.ticket_search(request.user, q=q.q, status=q.status)]


@router.get("/tickets/{case_id}", response={200: HotlineTicketOut, **ERRORS}, auth=AUTH)
def get_ticket(request: HttpRequest, case_id: Id) -> Any:
    """One ticket with its callers (telephones masked) and its history."""
    return ticket_out(_load(request, case_id))


@router.post("/tickets/{case_id}/dispatch", response={200: HotlineTicketOut, **WRITE_ERRORS}, auth=AUTH)
def dispatch(request: HttpRequest, case_id: Id, payload: HotlineDispatchIn) -> Any:
    """The dispatcher sends the ticket to an office (the catalogue's suggestion unless another is named)."""
    case = _load(request, case_id)
    return _done(
        s.ticket_dispatch(
            actor=signed_in(request),
            case_id=case.pk,
            office=payload.office or None,
            co_offices=payload.co_offices,
            expected_version=payload.version,
        )
    )


@router.post("/tickets/{case_id}/accept", response={200: HotlineTicketOut, **WRITE_ERRORS}, auth=AUTH)
def accept(request: HttpRequest, case_id: Id, payload: HotlineVersionIn) -> Any:
    """The office accepts the ticket for handling."""
    case = _load(request, case_id)
    return _done(s.ticket_accept(actor=signed_in(request), case_id=case.pk, expected_version=payload.version))


@router.post("/tickets/{case_id}/return", response={200: HotlineTicketOut, **WRITE_ERRORS}, auth=AUTH)
def return_ticket(request: HttpRequest, case_id: Id, payload: HotlineReasonIn) -> Any:
    """退单: the office returns the ticket to the dispatcher with a reason, within the return window."""
    case = _load(request, case_id)
    return _done(
        s.ticket_return(
            actor=signed_in(request), case_id=case.pk, reason=payload.reason, expected_version=payload.version
        )
    )


@router.post("/tickets/{case_id}/reassign", response={200: HotlineTicketOut, **WRITE_ERRORS}, auth=AUTH)
def reassign(request: HttpRequest, case_id: Id, payload: HotlineReassignIn) -> Any:
    """转派: the dispatcher sends the ticket to another office, with a reason."""
    case = _load(request, case_id)
    return _done(
        s.ticket_reassign(
            actor=signed_in(request),
            case_id=case.pk,
            office=payload.office,
            reason=payload.reason,
            co_offices=payload.co_offices,
            expected_version=payload.version,
        )
    )


@router.post("/tickets/{case_id}/answer-part", response={200: HotlineTicketOut, **WRITE_ERRORS}, auth=AUTH)
def answer_part(request: HttpRequest, case_id: Id, payload: HotlinePartIn) -> Any:
    """A co-handling office answers its part."""
    case = _load(request, case_id)
    return _done(
        s.ticket_answer_part(
            actor=signed_in(request), case_id=case.pk, text=payload.text, expected_version=payload.version
        )
    )


@router.post(
    "/tickets/{case_id}/request-extension", response={200: HotlineTicketOut, **WRITE_ERRORS}, auth=AUTH
)
def request_extension(request: HttpRequest, case_id: Id, payload: HotlineExtensionIn) -> Any:
    """The office asks its supervisor for more time (in the handling clock's unit)."""
    case = _load(request, case_id)
    return _done(
        s.ticket_request_extension(
            actor=signed_in(request),
            case_id=case.pk,
            days=payload.days,
            reason=payload.reason,
            expected_version=payload.version,
        )
    )


@router.post(
    "/tickets/{case_id}/decide-extension", response={200: HotlineTicketOut, **WRITE_ERRORS}, auth=AUTH
)
def decide_extension(request: HttpRequest, case_id: Id, payload: HotlineDecisionIn) -> Any:
    """The supervisor approves or refuses the pending extension request."""
    case = _load(request, case_id)
    return _done(
        s.ticket_decide_extension(
            actor=signed_in(request),
            case_id=case.pk,
            approve=payload.approve,
            reason=payload.reason,
            expected_version=payload.version,
        )
    )


@router.post("/tickets/{case_id}/reply", response={200: HotlineTicketOut, **WRITE_ERRORS}, auth=AUTH)
def reply(request: HttpRequest, case_id: Id, payload: HotlineReplyIn) -> Any:
    """The office records what it did and its reply; the callers are told and the callback clock starts."""
    case = _load(request, case_id)
    return _done(
        s.ticket_reply(
            actor=signed_in(request),
            case_id=case.pk,
            handling=payload.handling,
            reply=payload.reply,
            expected_version=payload.version,
        )
    )


@router.post("/tickets/{case_id}/callback", response={200: HotlineTicketOut, **WRITE_ERRORS}, auth=AUTH)
def callback(request: HttpRequest, case_id: Id, payload: HotlineCallbackIn) -> Any:
    """An operator records the callback and the caller's rating (unsatisfied goes to the supervisor)."""
    case = _load(request, case_id)
    return _done(
        s.ticket_callback(
            actor=signed_in(request),
            case_id=case.pk,
            rating=payload.rating,
            note=payload.note,
            expected_version=payload.version,
        )
    )


@router.post("/tickets/{case_id}/reopen", response={200: HotlineTicketOut, **WRITE_ERRORS}, auth=AUTH)
def reopen(request: HttpRequest, case_id: Id, payload: HotlineReasonIn) -> Any:
    """The supervisor reopens an unsatisfied ticket (once, configurable)."""
    case = _load(request, case_id)
    return _done(
        s.ticket_reopen(
            actor=signed_in(request), case_id=case.pk, reason=payload.reason, expected_version=payload.version
        )
    )


@router.post("/tickets/{case_id}/close", response={200: HotlineTicketOut, **WRITE_ERRORS}, auth=AUTH)
def close(request: HttpRequest, case_id: Id, payload: HotlineOptionalReasonIn) -> Any:
    """The supervisor closes an unsatisfied ticket without reopening it."""
    case = _load(request, case_id)
    return _done(
        s.ticket_close(
            actor=signed_in(request), case_id=case.pk, reason=payload.reason, expected_version=payload.version
        )
    )


@router.post("/tickets/{case_id}/merge", response={200: HotlineTicketOut, **WRITE_ERRORS}, auth=AUTH)
def merge(request: HttpRequest, case_id: Id, payload: HotlineMergeIn) -> Any:
    """Merge this ticket into the main ticket ``into`` (same category only)."""
    case = _load(request, case_id)
    return _done(
        s.ticket_merge(
            actor=signed_in(request),
            case_id=case.pk,
            into_id=payload.into,
            reason=payload.reason,
            expected_version=payload.version,
        )
    )


class HotlineFollowQuery(Schema):
    number: str = Field(max_length=40)
    last4: str = Field(max_length=4)


def _follow_out(case: Case) -> dict[str, Any]:
    return {
        "number": case.number,
        "status": case.status,
        "status_label": wf.status_label(case.status),
        "category": case.ticket.category.label(),
        "due_at": case.due_at if case.is_open else None,
        "reply": selectors.main_reply(case).reply,
        "events": _events(case, public_only=True),
    }


@router.get("/follow", response={200: HotlineFollowOut, 429: ErrorOut, **ERRORS}, auth=None)
def follow(request: HttpRequest, q: Query[HotlineFollowQuery]) -> Any:
    """Public follow-up: ticket number + last 4 digits of the caller's telephone (no personal data)."""
    case = selectors.ticket_follow(q.number, q.last4, guessers=ratelimit.guessers(request))
    if case is None:
        raise NotFound(_("No ticket matches this number and these 4 digits."))
    return _follow_out(case)


@router.post("/follow/rate", response={200: HotlineFollowOut, 429: ErrorOut, **WRITE_ERRORS}, auth=None)
def rate(request: HttpRequest, payload: HotlineRateIn) -> Any:
    """The caller rates the reply online (number + last 4 digits of the telephone)."""
    case = s.ticket_rate_online(
        actor=None,
        number=payload.number,
        last4=payload.last4,
        rating=payload.rating,
        guessers=ratelimit.guessers(request),
    )
    fresh = selectors.ticket_case(case.pk)
    assert fresh is not None
    return _follow_out(fresh)


class HotlineFiguresQuery(Schema):
    start: IsoDate | None = None
    end: IsoDate | None = None
    per: Literal["day", "week", "month"] = "month"


@router.get("/figures", response={200: HotlineFiguresOut, **ERRORS}, auth=AUTH)
def figures(request: HttpRequest, q: Query[HotlineFiguresQuery]) -> Any:
    """Received, finished, completion and overdue rates, average handling time, by type, category, office and
    street, per period; the business-environment line apart. Dates between 2000 and 2100."""
    ensure(access_figures(request.user), user=request.user, action="hotline.figures")
    today = timezone.localdate()
    start = q.start or date(today.year, 1, 1)
    end = q.end or today
    for d in (start, end):
        if not date(2000, 1, 1) <= d <= date(2100, 12, 31):
            raise NotFound(_("No figures for this period."))
    if end < start:
        end = start
    return selectors.figures(start=start, end=end, per=q.per)
