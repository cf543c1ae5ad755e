"""The disclosure API (mounted at /api/disclosure): one typed operation per action, thin over the services.
Filing, tracking and the 双公示 search are public; the office's operations go through the kernel's access."""

from __future__ import annotations

from typing import Annotated, Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from pydantic import Field

from yiwang.accounts.access import ensure, signed_in
from yiwang.accounts.models import Office
from yiwang.cases.models import Case
from yiwang.core import ratelimit
from yiwang.core.errors import NotFound
from yiwang.web.api import AUTH, ERRORS, WRITE_ERRORS, Id

from . import proactive, report, selectors
from . import services as s
from . import workflow as wf
from .access import (
    access_file_request,
    access_proactive,
    access_public_register,
    access_report,
    access_request_view,
)
from .schemas import (
    AnnualReportOut,
    DisclosureDecisionIn,
    DisclosureExtensionIn,
    DisclosureItemIn,
    DisclosureItemOut,
    DisclosureItemQueryIn,
    DisclosureReasonIn,
    DisclosureReplyIn,
    DisclosureRequestIn,
    DisclosureRequestOut,
    DisclosureTrackQuery,
    InterpretationIn,
    InterpretationOut,
    NormativeIn,
    NormativeOut,
    NormativeQueryIn,
    NormativeStatusIn,
    PublicationOut,
    PublicationQueryIn,
    RemedyIn,
)
from .vocabulary import NORMATIVE_STATUSES, column_label

router = Router(tags=["disclosure"])
Year = Annotated[int, Field(ge=2000, le=2100, description="a calendar year")]


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


# --- proactive disclosure, normative documents, interpretations, the annual report ----------------------


def _item_out(item: Any, *, public: bool) -> dict[str, Any]:
    out = {
        "id": item.pk,
        "column": item.column,
        "column_label": column_label(item.column),
        "title": item.public_title if public else item.title,
        "body": item.public_body if public else item.body,
        "office": item.office.code,
        "published_on": item.published_on,
        "version": item.version,
        "attachment": item.attachment_name,
    }
    if not public:
        out.update(formed_on=item.formed_on, publish_by=item.publish_by, pending=item.pending)
    return out


def _interpretation_out(i: Any) -> dict[str, Any]:
    return {
        "id": i.pk,
        "title": i.title,
        "form": i.form,
        "body": i.body,
        "link": i.link,
        "document": i.document.number if i.document_id else "",
        "policy_title": i.policy_title,
        "office": i.office.code,
        "published_on": i.published_on,
    }


def _normative_out(d: Any, *, full: bool = False) -> dict[str, Any]:
    out = {
        "id": d.pk,
        "number": d.number,
        "title": d.title,
        "office": d.office.code,
        "year": d.year,
        "issued_on": d.issued_on,
        "effective_on": d.effective_on,
        "expires_on": d.expires_on,
        "status": d.status,
        "status_label": str(NORMATIVE_STATUSES.get(d.status, d.status)),
        "status_on": d.status_on,
        "status_note": d.status_note,
    }
    if full:
        out["body"] = d.body
        out["interpretations"] = [_interpretation_out(i) for i in selectors.interpretations(document_id=d.pk)]
    return out


def _office(request: HttpRequest) -> Office:
    """The signed-in officer's office, once the access function has let them in."""
    ensure(access_proactive(request.user), user=request.user, action="disclosure.proactive")
    office = selectors.office_of(request.user)
    if office is None:
        raise NotFound(_("No such office."))
    return office


@router.get("/items", response={200: list[DisclosureItemOut], **ERRORS}, auth=None)
def items(request: HttpRequest, q: Query[DisclosureItemQueryIn]) -> Any:
    """Proactive disclosure as the public sees it: by column or group, newest first."""
    ensure(access_public_register(request.user), user=request.user, action="disclosure.items")
    rows = selectors.items_public(column=q.column, group=q.group, text=q.text)[q.offset : q.offset + q.limit]
    return [_item_out(i, public=True) for i in rows]


@router.get("/items/overdue", response={200: list[DisclosureItemOut], **ERRORS}, auth=AUTH)
def items_overdue(request: HttpRequest) -> Any:
    """The office's items (or changes) not public after their 20 working days (Art. 26)."""
    office = _office(request)
    return [_item_out(i, public=False) for i in selectors.items_overdue(office_id=office.pk)[:500]]


@router.get("/items/{item_id}", response={200: DisclosureItemOut, **ERRORS}, auth=None)
def item(request: HttpRequest, item_id: Id) -> Any:
    ensure(access_public_register(request.user), user=request.user, action="disclosure.items")
    row = selectors.item_public(item_id)
    if row is None:
        raise NotFound(_("No such item."))
    return _item_out(row, public=True)


def _item_input(payload: DisclosureItemIn) -> proactive.ItemInput:
    return proactive.ItemInput(
        column=payload.column,
        title=payload.title,
        body=payload.body,
        formed_on=payload.formed_on,
        publish=payload.publish,
    )


@router.post("/items", response={201: DisclosureItemOut, **WRITE_ERRORS}, auth=AUTH)
def item_create(request: HttpRequest, payload: DisclosureItemIn) -> Any:
    """Create an item of the office's proactive disclosure (published at once when ``publish``)."""
    office = _office(request)
    row = proactive.item_save(actor=signed_in(request), office=office, data=_item_input(payload))
    return Status(201, _item_out(row, public=False))


@router.put("/items/{item_id}", response={200: DisclosureItemOut, **WRITE_ERRORS}, auth=AUTH)
def item_change(request: HttpRequest, item_id: Id, payload: DisclosureItemIn) -> Any:
    """Record a change to an item: its clock starts again; the public sees it once published."""
    office = _office(request)
    data = _item_input(payload)
    return _item_out(
        proactive.item_save(actor=signed_in(request), office=office, data=data, item_id=item_id), public=False
    )


@router.post("/items/{item_id}/publish", response={200: DisclosureItemOut, **WRITE_ERRORS}, auth=AUTH)
def item_publish(request: HttpRequest, item_id: Id) -> Any:
    office = _office(request)
    return _item_out(
        proactive.item_publish(actor=signed_in(request), office=office, item_id=item_id), public=False
    )


@router.post("/items/{item_id}/withdraw", response={200: DisclosureItemOut, **WRITE_ERRORS}, auth=AUTH)
def item_withdraw(request: HttpRequest, item_id: Id, payload: DisclosureReasonIn) -> Any:
    office = _office(request)
    row = proactive.item_withdraw(
        actor=signed_in(request), office=office, item_id=item_id, reason=payload.reason
    )
    return _item_out(row, public=False)


@router.get("/normative", response={200: list[NormativeOut], **ERRORS}, auth=None)
def normative(request: HttpRequest, q: Query[NormativeQueryIn]) -> Any:
    """The public register of normative documents (at most 200, newest first)."""
    ensure(access_public_register(request.user), user=request.user, action="disclosure.normative")
    rows = selectors.normative_search(selectors.NormativeQuery(**q.dict()))[:200]
    return [_normative_out(d) for d in rows]


@router.get("/normative/{document_id}", response={200: NormativeOut, **ERRORS}, auth=None)
def normative_document(request: HttpRequest, document_id: Id) -> Any:
    ensure(access_public_register(request.user), user=request.user, action="disclosure.normative")
    d = selectors.normative_get(document_id)
    if d is None:
        raise NotFound(_("No such document."))
    return _normative_out(d, full=True)


@router.post("/normative", response={201: NormativeOut, **WRITE_ERRORS}, auth=AUTH)
def normative_register(request: HttpRequest, payload: NormativeIn) -> Any:
    """Register a normative document; it takes the office's next number of the year."""
    office = _office(request)
    data = proactive.NormativeInput(**payload.dict())
    return Status(
        201, _normative_out(proactive.normative_register(actor=signed_in(request), office=office, data=data))
    )


@router.post("/normative/{document_id}/status", response={200: NormativeOut, **WRITE_ERRORS}, auth=AUTH)
def normative_status(request: HttpRequest, document_id: Id, payload: NormativeStatusIn) -> Any:
    """Record that a document was amended or repealed (or is in force again)."""
    office = _office(request)
    d = proactive.normative_status(
        actor=signed_in(request),
        office=office,
        document_id=document_id,
        status=payload.status,
        on=payload.on,
        note=payload.note,
    )
    return _normative_out(d)


@router.post("/interpretations", response={201: InterpretationOut, **WRITE_ERRORS}, auth=AUTH)
def interpretation(request: HttpRequest, payload: InterpretationIn) -> Any:
    """Publish a policy interpretation (of a normative document, or of a policy named by title)."""
    office = _office(request)
    data = proactive.InterpretationInput(**payload.dict())
    row = proactive.interpretation_publish(actor=signed_in(request), office=office, data=data)
    return Status(201, _interpretation_out(row))


@router.post("/requests/{case_id}/remedy", response={200: DisclosureRequestOut, **WRITE_ERRORS}, auth=AUTH)
def remedy(request: HttpRequest, case_id: Id, payload: RemedyIn) -> Any:
    """Record what became of a reconsideration or lawsuit against the reply (the annual report's table 4)."""
    case = _load(request, case_id)
    proactive.request_remedy(
        actor=signed_in(request),
        case_id=case.pk,
        reconsideration=payload.reconsideration,
        litigation=payload.litigation,
    )
    return _out(case)


@router.get("/annual-report/{year}", response={200: AnnualReportOut, **ERRORS}, auth=AUTH)
def annual_report(request: HttpRequest, year: Year) -> Any:
    """The annual report's tables for a year (the national template), each with its header row."""
    ensure(access_report(request.user), user=request.user, action="disclosure.figures")
    tables = report.annual_report(year)
    return {
        "year": year,
        "title": report.report_title(year),
        "tables": [{"key": t.key, "title": t.title, "rows": t.rows} for t in tables],
    }
