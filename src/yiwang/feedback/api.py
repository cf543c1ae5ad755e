"""The feedback API (mounted at /api/feedback): reviews of any registered service, forwarded 12345 reviews,
rectifications and appeals, the complaints post and the six ones' reports. One typed operation per action,
thin over the services."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Status

from yiwang.accounts.access import ensure, signed_in
from yiwang.cases.models import Case
from yiwang.core.errors import NotFound
from yiwang.web.api import AUTH, ERRORS, WRITE_ERRORS, Id

from . import reports, selectors
from . import services as s
from . import workflow as wf
from .access import (
    access_case_page,
    access_complaints,
    access_forward,
    access_post,
    access_rate,
    access_rectifications,
    access_reports,
    access_review_view,
    access_reviews,
)
from .models import Review
from .reviewables import reviewables
from .schemas import (
    AppealIn,
    CallbackIn,
    ComplaintIn,
    ComplaintOut,
    DecisionIn,
    ForwardIn,
    IssueIn,
    RateRectificationIn,
    RectificationOut,
    RectifyIn,
    ReplyIn,
    ReportOut,
    ReviewChangeIn,
    ReviewDetailOut,
    ReviewIn,
    ReviewOut,
    ServiceOut,
)

router = Router(tags=["feedback"])
OPTIONAL = [*AUTH, lambda request: True]


def review_out(r: Review, *, detail: bool = False) -> dict[str, Any]:
    rect = selectors.rectification_of_review(r)
    out: dict[str, Any] = {
        "id": r.pk,
        "service": r.service,
        "subject": r.subject_id,
        "ref": r.subject_ref,
        "level": r.level,
        "tags": r.tags,
        "comment": r.comment,
        "channel": r.channel,
        "office": r.office.code,
        "given_at": r.given_at,
        "editable_until": r.editable_until,
        "excluded": r.excluded,
        "rectification": rect.case_id if rect else None,
    }
    if detail:
        out["checks"] = [
            {"tag": c["tag"], "verdict": c["verdict"], "text": c["text"]} for c in selectors.review_checks(r)
        ]
    return out


@router.get("/services", response={200: list[ServiceOut], **ERRORS}, auth=None)
def services(request: HttpRequest) -> Any:
    """The kinds of service that may be reviewed (the registry; other contexts add theirs)."""
    return [{"key": r.key, "label": str(r.label)} for r in reviewables()]


@router.post("/reviews", response={201: ReviewDetailOut, **WRITE_ERRORS}, auth=OPTIONAL)
def give(request: HttpRequest, payload: ReviewIn) -> Any:
    """Give a review (portal or mobile): signed in as the service's applicant, or with the service's code.
    One review per service; bad reviews (1–2) are checked against the data and open a rectification."""
    ensure(access_rate(request.user), user=request.user, action="feedback.review")
    review = s.review_give(
        actor=request.user,
        service=payload.service,
        subject_id=payload.subject,
        data=s.ReviewInput(level=payload.level, tags=tuple(payload.tags), comment=payload.comment),
        channel=Review.Channel.MOBILE if payload.code else Review.Channel.PORTAL,
        code=payload.code,
    )
    return Status(201, review_out(review, detail=True))


@router.post("/reviews/{review_id}/change", response={200: ReviewDetailOut, **WRITE_ERRORS}, auth=OPTIONAL)
def change(request: HttpRequest, review_id: Id, payload: ReviewChangeIn) -> Any:
    """The reviewer changes the review within the short period after giving it."""
    review = s.review_change(
        actor=request.user,
        review_id=review_id,
        data=s.ReviewInput(level=payload.level, tags=tuple(payload.tags), comment=payload.comment),
        code=payload.code,
    )
    return review_out(review, detail=True)


@router.post("/forwarded", response={201: ReviewDetailOut, **WRITE_ERRORS}, auth=AUTH)
def forwarded(request: HttpRequest, payload: ForwardIn) -> Any:
    """A 12345 operator records a review given by telephone (the caller gives the service's code)."""
    ensure(access_forward(request.user), user=request.user, action="feedback.forward")
    review = s.review_give(
        actor=signed_in(request),
        service=payload.service,
        subject_id=payload.subject,
        data=s.ReviewInput(level=payload.level, tags=tuple(payload.tags), comment=payload.comment),
        channel=Review.Channel.HOTLINE,
        code=payload.code,
    )
    return Status(201, review_out(review, detail=True))


@router.get("/reviews", response={200: list[ReviewOut], **ERRORS}, auth=AUTH)
def list_reviews(request: HttpRequest, bad: bool = False) -> Any:
    """Reviews the user may read (their office's, hall's or — a clerk — their own), newest first (200)."""
    ensure(access_reviews(request.user), user=request.user, action="feedback.reviews")
    qs = selectors.reviews_visible(request.user)
    if bad:
        qs = qs.filter(level__lte=2)
    return [review_out(r) for r in qs[:200]]


@router.get("/reviews/{review_id}", response={200: ReviewDetailOut, **ERRORS}, auth=AUTH)
def get_review(request: HttpRequest, review_id: Id) -> Any:
    """One review with the automatic checks of its bad-review reasons."""
    ensure(access_reviews(request.user), user=request.user, action="feedback.review")
    r = selectors.review_get(review_id)
    if r is None or not access_review_view(request.user, r):
        raise NotFound(_("No such review."))
    return review_out(r, detail=True)


# --- rectifications -----------------------------------------------------------------------------------


def rect_out(case: Case) -> dict[str, Any]:
    r = case.rectification
    return {
        "id": case.pk,
        "number": case.number,
        "status": case.status,
        "status_label": wf.status_label(wf.RECTIFICATION, case.status),
        "version": case.version,
        "office": case.owning_office.code,
        "due_date": case.due_date,
        "review": r.review_id,
        "findings": r.findings,
        "actions": r.actions,
        "on_time": r.on_time,
        "reviewer_rating": r.reviewer_rating,
        "appeal_kind": r.appeal_kind,
        "appeal_decision": r.appeal_decision,
    }


def _rect(request: HttpRequest, case_id: int) -> Case:
    ensure(access_rectifications(request.user), user=request.user, action="feedback.rectification")
    case = selectors.rectification_case(case_id)
    if case is None or not access_case_page(request.user, case):
        raise NotFound(_("No such rectification."))
    return case


def _rect_done(case: Case) -> dict[str, Any]:
    fresh = selectors.rectification_case(case.pk)
    assert fresh is not None
    return rect_out(fresh)


@router.get("/rectifications/{case_id}", response={200: RectificationOut, **ERRORS}, auth=AUTH)
def get_rectification(request: HttpRequest, case_id: Id) -> Any:
    """One rectification (the responsible office, the bureau's supervisors)."""
    return rect_out(_rect(request, case_id))


@router.post(
    "/rectifications/{case_id}/callback", response={200: RectificationOut, **WRITE_ERRORS}, auth=AUTH
)
def callback(request: HttpRequest, case_id: Id, payload: CallbackIn) -> Any:
    """The office records its call back to the reviewer."""
    case = _rect(request, case_id)
    return _rect_done(
        s.rectification_callback(
            actor=signed_in(request), case_id=case.pk, note=payload.note, expected_version=payload.version
        )
    )


@router.post("/rectifications/{case_id}/rectify", response={200: RectificationOut, **WRITE_ERRORS}, auth=AUTH)
def rectify(request: HttpRequest, case_id: Id, payload: RectifyIn) -> Any:
    """The office records what it found and did; the reviewer is told and may rate it."""
    case = _rect(request, case_id)
    return _rect_done(
        s.rectification_rectify(
            actor=signed_in(request),
            case_id=case.pk,
            findings=payload.findings,
            actions=payload.actions,
            expected_version=payload.version,
        )
    )


@router.post(
    "/rectifications/{case_id}/rate", response={200: RectificationOut, **WRITE_ERRORS}, auth=OPTIONAL
)
def rate_rectification(request: HttpRequest, case_id: Id, payload: RateRectificationIn) -> Any:
    """The reviewer rates the rectification (signed in as the reviewer, or with the service's code)."""
    case = s.rectification_rate(
        actor=request.user,
        case_id=case_id,
        rating=payload.rating,
        code=payload.code,
        expected_version=payload.version,
    )
    return _rect_done(case)


@router.post("/rectifications/{case_id}/appeal", response={200: RectificationOut, **WRITE_ERRORS}, auth=AUTH)
def appeal(request: HttpRequest, case_id: Id, payload: AppealIn) -> Any:
    """The office appeals the review as mistaken or malicious, with its reasons (the clock pauses)."""
    case = _rect(request, case_id)
    return _rect_done(
        s.rectification_appeal(
            actor=signed_in(request),
            case_id=case.pk,
            kind=payload.kind,
            reason=payload.reason,
            expected_version=payload.version,
        )
    )


@router.post("/rectifications/{case_id}/decide", response={200: RectificationOut, **WRITE_ERRORS}, auth=AUTH)
def decide(request: HttpRequest, case_id: Id, payload: DecisionIn) -> Any:
    """A service-quality supervisor decides the appeal: upheld excludes the review from the scores."""
    case = _rect(request, case_id)
    return _rect_done(
        s.appeal_decide(
            actor=signed_in(request),
            case_id=case.pk,
            uphold=payload.uphold,
            reason=payload.reason,
            expected_version=payload.version,
        )
    )


# --- the complaints post ---------------------------------------------------------------------------------


def complaint_out(case: Case) -> dict[str, Any]:
    c = case.complaint
    return {
        "id": case.pk,
        "number": case.number,
        "status": case.status,
        "status_label": wf.status_label(wf.COMPLAINT, case.status),
        "version": case.version,
        "via": c.via,
        "description": c.description,
        "reply": c.reply,
        "due_date": case.due_date,
        "on_time": c.on_time,
    }


@router.post("/complaints", response={201: ComplaintOut, **WRITE_ERRORS}, auth=AUTH)
def log_complaint(request: HttpRequest, payload: ComplaintIn) -> Any:
    """The complaints post logs a complaint about service (in person, by telephone, online)."""
    ensure(access_post(request.user), user=request.user, action="complaint.create")
    case = s.complaint_log(actor=signed_in(request), data=s.ComplaintInput(**payload.dict()))
    fresh = selectors.complaint_case(case.pk)
    assert fresh is not None
    return Status(201, complaint_out(fresh))


@router.post("/complaints/{case_id}/reply", response={200: ComplaintOut, **WRITE_ERRORS}, auth=AUTH)
def reply_complaint(request: HttpRequest, case_id: Id, payload: ReplyIn) -> Any:
    """The post (or the office it was sent to) replies; the reply clock stops."""
    ensure(access_complaints(request.user), user=request.user, action="complaint.reply")
    case = selectors.complaint_case(case_id)
    if case is None or not access_case_page(request.user, case):
        raise NotFound(_("No such complaint."))
    s.complaint_reply(
        actor=signed_in(request), case_id=case.pk, reply=payload.reply, expected_version=payload.version
    )
    fresh = selectors.complaint_case(case.pk)
    assert fresh is not None
    return complaint_out(fresh)


# --- the six ones' reports ---------------------------------------------------------------------------------


def report_out(r: Any) -> dict[str, Any]:
    return {
        "id": r.pk,
        "period": r.period,
        "start": r.start,
        "end": r.end,
        "issued_at": r.issued_at,
        "sha256": r.sha256,
        "figures": r.figures,
    }


@router.get("/reports", response={200: list[ReportOut], **ERRORS}, auth=AUTH)
def list_reports(request: HttpRequest) -> Any:
    """The issued daily summaries, weekly cases and monthly reports (newest first, 100)."""
    ensure(access_reports(request.user), user=request.user, action="feedback.reports")
    return [report_out(r) for r in selectors.issued_reports()[:100]]


@router.post("/reports", response={201: ReportOut, **WRITE_ERRORS}, auth=AUTH)
def issue_report(request: HttpRequest, payload: IssueIn) -> Any:
    """The post issues the report of the period containing ``day`` now (an issued report is kept, never
    regenerated)."""
    ensure(access_post(request.user), user=request.user, action="feedback.report_issue")
    rep = reports.report_issue(actor=signed_in(request), period=payload.period, day=payload.day)
    return Status(201, report_out(rep))
