"""The applications API (mounted at /api/applications): thin, through the services and selectors."""

from __future__ import annotations

import base64
import binascii
import hashlib
from datetime import date
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import File, Query, Router, Schema, Status
from ninja.files import UploadedFile

from yiwang.accounts import selectors as people
from yiwang.accounts.access import ensure, enterprises_for, is_applicant, signed_in
from yiwang.cases import selectors as kernel
from yiwang.cases.access import access_case_view
from yiwang.cases.idempotency import idempotent
from yiwang.cases.models import Case
from yiwang.cases.uploads import read_upload
from yiwang.cases.workflow import status_label
from yiwang.catalogue import selectors as catalogue
from yiwang.core import ratelimit
from yiwang.core.errors import NotFound, ServiceError
from yiwang.core.validators import normalize_resident_id, validate_resident_id
from yiwang.web.api import AUTH, ERRORS, WRITE_ERRORS, ErrorOut, Id, Year

from . import answerforms, selectors
from . import services as svc
from . import workflow as wf
from .access import (
    access_apply_online,
    access_approvals,
    access_assist,
    access_figures,
    access_inbox,
    access_reception,
)
from .actions import ACTIONS
from .answers import masked as answers_masked
from .schemas import (
    AcceptRongqueIn,
    ActionIn,
    AnswersIn,
    ApplicationFiguresOut,
    ApplicationOut,
    ApplicationRow,
    ApprovalOut,
    AssistIn,
    CorrectionIn,
    DeliverIn,
    DraftIn,
    NoteIn,
    OptionalReasonIn,
    ProgressOut,
    ReasonIn,
    ReceiveIn,
    RefusalIn,
    SubmitIn,
    SuspendIn,
    UseLicenceIn,
    VersionIn,
)

router = Router(tags=["applications"])


def _events(case: Case, public_only: bool) -> list[dict[str, Any]]:
    return [
        {"at": e.at, "action": e.action, "label": wf.transition_label(e.action), "to_status": e.to_status}
        for e in kernel.case_events(case, public_only=public_only)
    ]


def _out(case: Case, *, staff: bool) -> dict[str, Any]:
    app = case.application
    ent, person = case.applicant_enterprise, case.applicant_person
    applicant = ent.name if ent is not None else (f"{person.name} {person.masked_id}" if person else "")
    return {
        "id": case.pk,
        "number": case.number,
        "status": case.status,
        "status_label": status_label(case.kind, case.status),
        "version": case.version,
        "title": case.title,
        "item": app.item_version.code,
        "item_version": app.item_version.number,
        "channel": case.channel,
        "applicant": applicant,
        "owning_office": str(case.owning_office),
        "receiving_hall": app.receiving_hall.name if app.receiving_hall is not None else None,
        "return_hall": app.return_hall.name if app.return_hall is not None else None,
        "delivery_method": app.delivery_method,
        "tracking_number": app.tracking_number,
        "due_date": case.due_date,
        "received_at": case.received_at,
        "accepted_on": case.accepted_on,
        "decided_on": case.decided_on,
        "timeliness": case.timeliness,
        "rongque": app.rongque,
        "rongque_deadline": app.rongque_deadline,
        "no_visit": app.no_visit,
        "materials": [
            {"code": m.code, "name": m.name, "required": m.required, "state": m.state, "problem": m.problem}
            for m in app.materials.all()
        ],
        "parties": [
            {
                "role": p.role,
                "name": p.display_name,
                "kind": "enterprise" if p.enterprise_id else ("staff" if p.staff_id else "person"),
            }
            for p in kernel.case_party_rows(case)
        ],
        "events": _events(case, public_only=not staff),
        "form": app.item_version.form,
        "answers": answers_masked(app.item_version.form, app.answers),
        "notices": [
            {
                "id": n.pk,
                "kind": n.kind,
                "title": n.title,
                "document_number": n.document_number,
                "issued_at": n.issued_at,
                "pdf_url": reverse("applications:notice", args=[n.pk]),
            }
            for n in kernel.case_notices(case)
        ],
    }


def _answers(
    version: Any, given: dict[str, Any] | None, stored: dict[str, Any] | None = None
) -> dict[str, Any] | None:
    """The API's answers checked by the same form the pages use; 422 naming each bad field. Personal numbers
    are read back masked; sent back masked they keep the ``stored`` ones."""
    if given is None:
        return None
    bound = answerforms.check_json_answers(
        version.form, given, streets=answerforms.street_choices(), require=False, stored=stored
    )
    if not bound.is_valid():
        refusal = bound.refusal()
        raise ServiceError(refusal["message"], code="invalid", fields=refusal["fields"])
    return bound.answers()


def _load(request: HttpRequest, case_id: int) -> Case:
    case = selectors.application_get(case_id)
    if case is None:
        raise NotFound(_("No such application."))
    ensure(access_case_view(request.user, case), user=request.user, action="application.view", obj=case)
    return case


@router.get("/progress", response={200: ProgressOut, 429: ErrorOut, **ERRORS}, auth=None)
def progress(request: HttpRequest, number: str, last4: str) -> Any:
    """Public progress: case number + last 4 characters of the ID number or credit code (no personal data)."""
    case = selectors.progress_lookup(number, last4, guessers=ratelimit.guessers(request))
    if case is None:
        raise NotFound(_("No application matches this number and these 4 characters."))
    return {
        "number": case.number,
        "status": case.status,
        "status_label": status_label(case.kind, case.status),
        "item": case.application.item.name,
        "office": case.owning_office.name,
        "due_date": case.due_date,
        "explanation": selectors.clock_text(case),
        "events": _events(case, public_only=True),
    }


@router.post("", response={201: ApplicationOut, **WRITE_ERRORS}, auth=AUTH)
def create_draft(request: HttpRequest, payload: DraftIn) -> Any:
    """An applicant starts an online application (draft). Accepts an ``Idempotency-Key`` header."""
    ensure(access_apply_online(request.user), user=request.user, action="application.draft_create")

    def run() -> tuple[int, Any]:
        item = catalogue.item_get(payload.item)
        enterprise = None
        if payload.enterprise_id:
            enterprise = enterprises_for(request.user).filter(pk=payload.enterprise_id).first()
            ensure(
                enterprise is not None,
                user=request.user,
                action="application.draft_create",
                enterprise=payload.enterprise_id,
            )
        hall = people.hall_get(payload.return_hall_id)
        case = svc.application_draft_create(
            actor=signed_in(request),
            item=item,
            enterprise=enterprise,
            conditions=payload.conditions,
            delivery_method=payload.delivery_method,
            return_hall=hall,
            delivery_address=payload.delivery_address,
            answers=_answers(catalogue.item_published_version(item), payload.answers),
        )
        return 201, _out(selectors.application_get(case.pk), staff=False)  # type: ignore[arg-type]

    return Status(*idempotent(request=request, scope="applications.create", body=payload.dict(), run=run))


@router.post("/receive", response={201: ApplicationOut, **WRITE_ERRORS}, auth=AUTH)
def receive(request: HttpRequest, payload: ReceiveIn) -> Any:
    """A clerk receives an application at the window (one window, 通办). Accepts ``Idempotency-Key``."""
    ensure(access_reception(request.user), user=request.user, action="application.receive")

    def run() -> tuple[int, Any]:
        item = catalogue.item_get(payload.item)
        person = people.person_get(payload.person_id) if payload.person_id else None
        ent = people.enterprise_get(payload.enterprise_id) if payload.enterprise_id else None
        agent = people.person_get(payload.agent_id) if payload.agent_id else None
        if (payload.person_id and person is None) or (payload.enterprise_id and ent is None):
            raise NotFound(_("No such applicant."))
        hall = people.hall_get(payload.return_hall_id)
        case = svc.application_receive(
            actor=signed_in(request),
            item=item,
            person=person,
            enterprise=ent,
            agent=agent,
            conditions=payload.conditions,
            provided=payload.provided,
            delivery_method=payload.delivery_method,
            return_hall=hall,
            delivery_address=payload.delivery_address,
            answers=_answers(catalogue.item_published_version(item), payload.answers),
        )
        return 201, _out(selectors.application_get(case.pk), staff=True)  # type: ignore[arg-type]

    return Status(*idempotent(request=request, scope="applications.receive", body=payload.dict(), run=run))


@router.post(
    "/assisted",
    response={201: ApplicationOut, **WRITE_ERRORS},
    auth=AUTH,
    summary="Apply on a resident's behalf (帮办代办)",
)
def assist(request: HttpRequest, payload: AssistIn) -> Any:
    """A window clerk (any resident, at their hall) or a community grid worker (a resident of their own
    community) applies for a resident found by their whole ID number, recording the resident's consent. The
    resident is the applicant and is told; the staff member is the case's assisting party. Without a usable
    consent the answer is 422 naming the field. Accepts ``Idempotency-Key``."""
    ensure(access_assist(request.user), user=request.user, action="application.assist")

    def run() -> tuple[int, Any]:
        number = normalize_resident_id(payload.id_number)
        try:
            validate_resident_id(number)
        except ValidationError:
            raise ServiceError(
                _("Enter the resident's whole ID number (18 characters, check character included)."),
                fields={"id_number": _("Not a valid resident ID number.")},
            ) from None
        person = people.person_by_resident_id(number)
        if person is None:
            raise NotFound(_("No resident is registered with this ID number: register them first."))
        item = catalogue.item_get(payload.item)
        try:
            data = base64.b64decode(payload.consent_file, validate=True) if payload.consent_file else b""
        except (binascii.Error, ValueError):
            raise ServiceError(
                _("The consent file is not valid base64."), fields={"consent_file": _("Not valid base64.")}
            ) from None
        case = svc.application_assist(
            actor=signed_in(request),
            person=person,
            item=item,
            consent=svc.Consent(
                method=payload.consent_method,
                given_on=payload.consent_date,
                callback=payload.consent_callback,
                file_data=data,
                file_name=payload.consent_file_name,
            ),
            conditions=payload.conditions,
            provided=payload.provided,
            delivery_method=payload.delivery_method,
            return_hall=people.hall_get(payload.return_hall_id),
            delivery_address=payload.delivery_address,
            answers=_answers(catalogue.item_published_version(item), payload.answers),
        )
        return 201, _out(selectors.application_get(case.pk), staff=True)  # type: ignore[arg-type]

    body = {**payload.dict(), "consent_file": hashlib.sha256(payload.consent_file.encode()).hexdigest()}
    return Status(*idempotent(request=request, scope="applications.assist", body=body, run=run))


@router.get("", response={200: list[ApplicationRow], **ERRORS}, auth=AUTH)
def list_applications(
    request: HttpRequest,
    status: str = Query("", max_length=20, description="only cases in this status, e.g. ``accepted``"),
    when: Literal["", "overdue", "due_soon"] = Query(
        "", description="``overdue``: open cases past their due date; ``due_soon``: due within 3 working days"
    ),
    limit: int = Query(50, ge=1, le=200),
) -> Any:
    """An applicant's own applications (newest first), or a staff member's open cases sorted by time left;
    ``status`` and ``when`` filter both."""
    if is_applicant(request.user):
        ensure(access_apply_online(request.user), user=request.user, action="application.list")
        qs = selectors.applicant_applications(request.user, status=status, when=when)
    else:
        ensure(access_inbox(request.user), user=request.user, action="application.list")
        qs = selectors.inbox(request.user, selectors.InboxFilters(status=status, when=when, show="all"))
    return [
        {
            "id": c.pk,
            "number": c.number,
            "status": c.status,
            "title": c.title,
            "due_date": c.due_date,
            "version": c.version,
        }
        for c in qs[:limit]
    ]


@router.get("/approvals", response={200: list[ApprovalOut], **ERRORS}, auth=AUTH)
def approvals(request: HttpRequest) -> Any:
    """Supervisors: pending not-accepted, rejection and extension requests in their scope."""
    ensure(access_approvals(request.user), user=request.user, action="application.approvals")
    return [
        {
            "id": r.pk,
            "case_id": r.case_id,
            "number": r.case.number,
            "kind": r.kind,
            "reason_code": r.reason_code,
            "reason": r.reason,
            "guidance": r.guidance,
            "requested_by": str(r.requested_by),
            "requested_at": r.requested_at,
        }
        for r in selectors.approvals_queue(request.user)[:200]
    ]


@router.get("/figures", response={200: ApplicationFiguresOut, **ERRORS}, auth=AUTH)
def figures(request: HttpRequest, year: Year | None = None, by: str = "department") -> Any:
    """Received, accepted, decided; early/on time/late; 容缺; refusals by reason — from the monthly rollup."""
    ensure(access_figures(request.user), user=request.user, action="application.figures")
    year = year or timezone.localdate().year
    if not 2000 <= year <= 2100:
        raise ServiceError(_("Not a valid year."), fields={"year": _("Not a valid year.")})
    if by not in {"item", "department", "hall", "clerk"}:
        raise ServiceError(
            _("Not one of the allowed values."), fields={"by": _("Not one of the allowed values.")}
        )
    data = selectors.figures(start=date(year, 1, 1), end=date(year, 12, 1), dimension=by)
    return {
        "year": year,
        "dimension": by,
        "totals": data["totals"],
        "rows": data["by"],
        "reasons": data["reasons"],
    }


@router.get("/{case_id}", response={200: ApplicationOut, **ERRORS}, auth=AUTH)
def get_application(request: HttpRequest, case_id: Id) -> Any:
    """One application: status, version (for optimistic concurrency), materials, history."""
    case = _load(request, case_id)
    return _out(case, staff=not is_applicant(request.user))


def _act(request: HttpRequest, case_id: int, name: str, payload: Schema) -> Any:
    """Run one action through its ``perform`` (the same the pages use); ``Idempotency-Key`` accepted."""
    case = _load(request, case_id)
    action = ACTIONS[name]
    body = payload.dict()

    def run() -> tuple[int, Any]:
        action.perform(request.user, case.pk, body)  # type: ignore[arg-type]
        fresh = selectors.application_get(case.pk)
        return 200, _out(fresh, staff=not is_applicant(request.user))  # type: ignore[arg-type]

    return Status(*idempotent(request=request, scope=f"applications.{case.pk}.{name}", body=body, run=run))


def _action_route(name: str, schema: Any, summary: str, description: str) -> None:
    """Mount ``POST /{case_id}/<action>`` with its own body schema, summary and description."""
    action = ACTIONS[name]

    def endpoint(request: HttpRequest, case_id: Id, payload: Schema) -> Any:
        return _act(request, case_id, name, payload)

    endpoint.__annotations__["payload"] = schema
    endpoint.__name__ = f"application_{name}"
    endpoint.__doc__ = description
    router.post(
        f"/{{case_id}}/{action.slug}",
        response={200: ApplicationOut, **WRITE_ERRORS},
        auth=AUTH,
        summary=summary,
        operation_id=f"application_{name}",
    )(endpoint)


# One typed operation per action. Capacities: who may call it for this case (else 403); a transition not
# allowed from the case's status, or a failed rule, answers 409 with the reason in the reader's language.
for _name, _schema, _summary, _description in [
    (
        "submit",
        SubmitIn,
        "Submit a draft (applicant)",
        "The draft gets its number; the 5-working-day acceptance clock starts; a receipt (收件回执) is issued. "
        "Materials the item allows to be supplied later (容缺) may be missing when the applicant signs the "
        "promise with its date.",
    ),
    (
        "start_pre_review",
        VersionIn,
        "Start pre-review",
        "Clerk of the receiving hall, or a reviewer of the owning office for online submissions.",
    ),
    (
        "accept",
        VersionIn,
        "Accept",
        "Every required material is there: accepted; the decision clock (the committed limit) starts.",
    ),
    (
        "accept_rongque",
        AcceptRongqueIn,
        "Accept with missing materials (容缺)",
        "Only materials the item allows to be supplied later, by a date within their limit, on the applicant's signed promise (or the promise signed online at submission); never for applicants on the black list.",
    ),
    (
        "request_correction",
        CorrectionIn,
        "Request correction (补正)",
        "One notice listing everything to correct, within 5 working days of receipt; the acceptance clock pauses.",
    ),
    (
        "answer_correction",
        VersionIn,
        "Correction supplied",
        "Every material listed in the correction notice has been replaced; the acceptance clock resumes.",
    ),
    (
        "request_not_accept",
        RefusalIn,
        "Propose not to accept",
        "Only a request: a supervisor decides (窗口无否决权). Reason from the controlled list, with guidance.",
    ),
    (
        "request_rejection",
        RefusalIn,
        "Propose rejection",
        "Only a request: a supervisor decides. Reason from the controlled list, with guidance.",
    ),
    (
        "request_extension",
        ReasonIn,
        "Request an extension",
        "Once, 10 working days (行政许可法 Art. 42), with a supervisor's approval.",
    ),
    (
        "approve_request",
        NoteIn,
        "Approve the pending request (supervisor)",
        "Not accepting, rejecting or extending: takes effect now.",
    ),
    (
        "send_back",
        NoteIn,
        "Send the pending request back (supervisor)",
        "The case returns to where it was; say why.",
    ),
    (
        "start_review",
        VersionIn,
        "Take for review",
        "A reviewer of the owning office becomes the case's assignee.",
    ),
    (
        "suspend",
        SuspendIn,
        "Pause the clock (time not counted)",
        "Expert review, testing, hearing or site survey (行政许可法 Art. 45); the applicant is told how long.",
    ),
    ("resume", VersionIn, "Resume the clock", "The pause ends; the decision clock counts again."),
    (
        "approve",
        VersionIn,
        "Approve",
        "Decision: approved; the decision clock stops (early, on time or late).",
    ),
    ("issue_result", VersionIn, "Result ready", "Held while promised (容缺) materials are outstanding."),
    (
        "supply_materials",
        VersionIn,
        "Promised materials supplied",
        "Every promised (容缺) material has been uploaded; the hold on the result is lifted.",
    ),
    (
        "deliver",
        DeliverIn,
        "Deliver the result",
        "Pick-up at the return hall (the pick-up code is checked), by post (tracking number) or electronically.",
    ),
    ("close", VersionIn, "Close", "After delivery."),
    (
        "withdraw",
        OptionalReasonIn,
        "Withdraw",
        "At the applicant's wish, before a decision; every clock stops.",
    ),
    ("terminate", VersionIn, "Terminate", "Promised (容缺) materials were not supplied by the deadline."),
]:
    _action_route(_name, _schema, _summary, _description)


@router.post(
    "/{case_id}/actions/{action}",
    response={200: ApplicationOut, **WRITE_ERRORS},
    auth=AUTH,
    deprecated=True,
    summary="Perform an action by name (deprecated: use the operation of each action)",
)
def act(request: HttpRequest, case_id: Id, action: str, payload: ActionIn) -> Any:
    """Deprecated since the per-action operations (``POST /{case_id}/accept`` …), which document what each
    action needs; kept for existing integrations. ``action`` is the name with underscores."""
    _load(request, case_id)
    if action not in ACTIONS:
        raise ServiceError(
            _("Unknown action."), code="unknown_action", fields={"action": _("Unknown action.")}
        )
    return _act(request, case_id, action, payload)


@router.post(
    "/{case_id}/licence-materials",
    response={200: ApplicationOut, **WRITE_ERRORS},
    auth=AUTH,
    summary="Supply a material with an e-licence",
    description="Instead of an upload, a material the catalogue obtains from an e-licence is supplied by the "
    "applicant's current licence version (``licence_version_id``, from ``GET /api/licences/mine``): by the "
    "applicant on a draft, or by the applicant or the window before acceptance. A revoked, suspended, "
    "superseded or expired licence is refused (409) with the licence named.",
)
def use_licence(request: HttpRequest, case_id: Id, payload: UseLicenceIn) -> Any:
    case = _load(request, case_id)
    svc.application_use_licence(
        actor=signed_in(request),
        case_id=case.pk,
        material_code=payload.material,
        licence_version_id=payload.licence_version_id,
    )
    fresh = selectors.application_get(case.pk)
    return _out(fresh, staff=not is_applicant(request.user))  # type: ignore[arg-type]


@router.put(
    "/{case_id}/answers",
    response={200: ApplicationOut, **WRITE_ERRORS},
    auth=AUTH,
    summary="Answer the application form (申请表)",
)
def answer(request: HttpRequest, case_id: Id, payload: AnswersIn) -> Any:
    """Replace the application form's answers: the applicant while the application is a draft or in
    correction, the front office before it accepts. Every answer is checked as on the page (422 naming the
    field); required answers may wait for submission, which refuses while one is missing."""
    case = _load(request, case_id)
    app = case.application
    answers = _answers(app.item_version, payload.answers, stored=app.answers)
    svc.application_draft_update(actor=signed_in(request), case_id=case.pk, answers=answers)
    return _out(selectors.application_get(case.pk), staff=not is_applicant(request.user))  # type: ignore[arg-type]


@router.post("/{case_id}/materials/{code}", response={200: ApplicationOut, **WRITE_ERRORS}, auth=AUTH)
def upload(request: HttpRequest, case_id: Id, code: str, file: UploadedFile | None = File(None)) -> Any:  # noqa: B008
    """Upload one material (multipart field ``file``: PDF, JPG, PNG or OFD, checked by content; size-limited)."""
    case = _load(request, case_id)
    if file is None:
        raise ServiceError(_("Attach a file."), fields={"file": _("This field is required.")})
    svc.application_draft_update(
        actor=signed_in(request),
        case_id=case.pk,
        uploads=[svc.Upload(code=code, data=read_upload(file), name=file.name or "")],
    )
    fresh = selectors.application_get(case.pk)
    return _out(fresh, staff=not is_applicant(request.user))  # type: ignore[arg-type]
