"""Satisfaction reviews, their checks, rectifications, appeals, the complaints post and the rating pad.

Reviews are this context's own rows; rectifications and complaints are kernel cases (``case_create``,
``case_transition``), never moved any other way. Every change writes one audit event. Reviewable services
come from the registry (``reviewables``); other contexts are read only through their selectors.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from yiwang.accounts.access import has_role, is_applicant, is_staff_user
from yiwang.accounts.models import Hall, Office, Window
from yiwang.accounts.roles import Role
from yiwang.audit.services import audit_denied, audit_record
from yiwang.cases import clockops
from yiwang.cases.models import Case
from yiwang.cases.services import PartySpec, TransitionRequest, case_create, case_transfer, case_transition
from yiwang.core.errors import Conflict, NotFound, ServiceError

from . import checks
from . import workflow as wf
from .models import Complaint, PadRequest, Rectification, Review, ReviewCheck
from .reviewables import Served, reviewable
from .vocabulary import BAD_LEVELS, BAD_TAGS, TAGS, config

if TYPE_CHECKING:
    from yiwang.accounts.access import Visitor
    from yiwang.accounts.models import User
    from yiwang.cases.workflow import Transition

MAX_COMMENT = 500


class NotYours(ServiceError):
    status = 403
    default_code = "not_yours"


@dataclass(frozen=True)
class ReviewInput:
    level: int
    tags: tuple[str, ...] = ()
    comment: str = ""


def _user(actor: Visitor | None) -> User | None:
    return actor if getattr(actor, "is_authenticated", False) else None  # type: ignore[return-value]


def _check_input(data: ReviewInput) -> list[str]:
    if data.level not in (1, 2, 3, 4, 5):
        raise ServiceError(
            _("Choose a level from 1 (very dissatisfied) to 5 (very satisfied)."),
            code="bad_level",
            fields={"level": _("Choose a level from 1 to 5.")},
        )
    tags = list(dict.fromkeys(t.strip() for t in data.tags if t.strip()))
    unknown = [t for t in tags if t not in TAGS]
    if unknown:
        raise ServiceError(
            _("Unknown tag: %(tags)s.") % {"tags": "、".join(unknown)},
            code="unknown_tag",
            fields={"tags": _("Unknown tag: %(tags)s.") % {"tags": "、".join(unknown)}},
        )
    if len(data.comment) > MAX_COMMENT:
        raise ServiceError(
            _("The comment is too long (at most %(n)s characters).") % {"n": MAX_COMMENT},
            code="too_long",
            fields={"comment": _("At most %(n)s characters.") % {"n": MAX_COMMENT}},
        )
    return tags


def _load(service: str, subject_id: int) -> Served:
    r = reviewable(service)
    if r is None:
        raise ServiceError(
            _("Unknown service."), code="unknown_service", fields={"service": _("Unknown service.")}
        )
    served = r.load(subject_id)
    if served is None:
        raise NotFound(_("No such service to review."))
    return served


def _refuse(actor: Visitor | None, action: str, served: Served, message: Any) -> None:
    audit_denied(actor=actor, action=action, obj=served.case, service=served.ref)
    raise NotYours(message)


def _entitled(
    *, actor: Visitor | None, service: str, served: Served, channel: str, code: str, pad: PadRequest | None
) -> None:
    """The reviewer is the service's applicant: signed in as a party, holding the service's code, or in
    front of the window whose clerk asked the pad to show this service; 12345 forwards with the code."""
    r = reviewable(service)
    assert r is not None
    if channel == Review.Channel.WINDOW:
        ok = (
            pad is not None
            and pad.state == PadRequest.State.WAITING
            and pad.service == service
            and pad.subject_id == int(getattr(served.subject, "pk", 0))
            and is_staff_user(actor)
            and pad.window.hall_id == getattr(actor, "hall_id", None)
        )
    elif channel == Review.Channel.HOTLINE:
        ok = has_role(actor, Role.HOTLINE_OPERATOR) and r.code_ok(served, code)
    else:
        ok = (is_applicant(actor) and r.is_applicant(actor, served)) or (
            bool(code) and r.code_ok(served, code)
        )
    if not ok:
        _refuse(
            actor,
            "feedback.review",
            served,
            _("This service is not yours to review: only its applicant may."),
        )


def _store_checks(review: Review, served: Served, tags: list[str]) -> None:
    ReviewCheck.objects.filter(review=review).delete()
    bad = [t for t in tags if t in BAD_TAGS] if review.level in BAD_LEVELS else []
    if not bad:
        return
    r = reviewable(review.service)
    assert r is not None
    results = r.check(served, bad, review.pk)
    ReviewCheck.objects.bulk_create(
        [
            ReviewCheck(review=review, tag=tag, verdict=res.verdict, detail=res.as_detail())
            for tag, res in results.items()
        ]
    )


def review_give(
    *,
    actor: Visitor | None,
    service: str,
    subject_id: int,
    data: ReviewInput,
    channel: str,
    code: str = "",
    pad_id: int | None = None,
    now: datetime | None = None,
) -> Review:
    """One review of one service: checked, stored with the automatic checks of its bad-review tags and, for
    a bad review (1–2), a rectification case for the responsible office."""
    if channel not in Review.Channel.values:
        raise ServiceError(
            _("Unknown channel."), code="bad_channel", fields={"channel": _("Unknown channel.")}
        )
    tags = _check_input(data)
    served = _load(service, subject_id)
    pad = PadRequest.objects.select_related("window").filter(pk=pad_id).first() if pad_id else None
    _entitled(actor=actor, service=service, served=served, channel=channel, code=code, pad=pad)
    r = reviewable(service)
    assert r is not None
    why_not = r.ready(served)
    if why_not:
        raise Conflict(why_not, code="not_ready")
    if Review.objects.filter(service=service, subject_id=subject_id).exists():
        raise Conflict(
            _("This service has already been reviewed (one review per service)."), code="already_reviewed"
        )
    now = now or timezone.now()
    user = _user(actor) if channel in (Review.Channel.PORTAL, Review.Channel.MOBILE) else None
    person = served.person
    with transaction.atomic():
        try:
            with transaction.atomic():
                review = Review.objects.create(
                    service=service,
                    subject_id=subject_id,
                    subject_ref=served.ref[:60],
                    level=data.level,
                    tags=tags,
                    tag_text="," + ",".join(tags) + "," if tags else "",
                    comment=data.comment.strip(),
                    channel=channel,
                    reviewer=user,
                    reviewer_person=person,
                    real_name=person is not None,
                    case=served.case,
                    office=served.office,
                    department=served.department,
                    hall=served.hall,
                    street=served.street,
                    clerk=served.clerk,
                    window=served.window,
                    item_code=served.item_code[:40],
                    item_name=served.item_name[:200],
                    given_at=now,
                    editable_until=now + timedelta(minutes=int(config("edit_minutes"))),
                )
        except IntegrityError:
            raise Conflict(
                _("This service has already been reviewed (one review per service)."), code="already_reviewed"
            ) from None
        _store_checks(review, served, tags)
        rect = _rectification_open(review) if review.level in BAD_LEVELS else None
        if pad is not None:
            pad.state = PadRequest.State.DONE
            pad.save(update_fields=["state"])
        audit_record(
            actor=_user(actor),
            action="feedback.review",
            obj=review,
            data={
                "service": service,
                "ref": review.subject_ref,
                "level": review.level,
                "tags": tags,
                "channel": channel,
                "rectification": rect.number if rect is not None else None,
            },
        )
    return review


def _may_change(actor: Visitor | None, review: Review, code: str) -> bool:
    if review.reviewer_id is not None and getattr(actor, "pk", None) == review.reviewer_id:
        return True
    r = reviewable(review.service)
    if r is None:
        return False
    served = r.load(review.subject_id)
    if served is None:
        return False
    if is_applicant(actor) and r.is_applicant(actor, served):
        return True
    return bool(code) and r.code_ok(served, code)


def review_change(
    *, actor: Visitor | None, review_id: int, data: ReviewInput, code: str = "", now: datetime | None = None
) -> Review:
    """The reviewer changes the review within the short period after giving it."""
    tags = _check_input(data)
    review = Review.objects.filter(pk=review_id).first()
    if review is None:
        raise NotFound(_("No such review."))
    if not _may_change(actor, review, code):
        audit_denied(actor=actor, action="feedback.review_change", obj=review)
        raise NotYours(_("This review is not yours to change."))
    now = now or timezone.now()
    if now > review.editable_until:
        raise Conflict(
            _("A review may be changed only within %(n)s minutes of giving it.")
            % {"n": config("edit_minutes")},
            code="edit_period_over",
        )
    r = reviewable(review.service)
    assert r is not None
    served = r.load(review.subject_id)
    assert served is not None
    with transaction.atomic():
        review = Review.objects.select_for_update().get(pk=review.pk)
        before = {"level": review.level, "tags": review.tags}
        review.level = data.level
        review.tags = tags
        review.tag_text = "," + ",".join(tags) + "," if tags else ""
        review.comment = data.comment.strip()
        review.changed_at = now
        review.save()
        _store_checks(review, served, tags)
        rect = None
        if review.level in BAD_LEVELS and not Rectification.objects.filter(review=review).exists():
            rect = _rectification_open(review)
        audit_record(
            actor=_user(actor),
            action="feedback.review_change",
            obj=review,
            data={
                "before": before,
                "level": review.level,
                "tags": tags,
                "rectification": getattr(rect, "number", None),
            },
        )
    return review


# --- rectification of bad reviews -----------------------------------------------------------------------


def _rectification_open(review: Review) -> Case:
    parties = [PartySpec("reviewer", person=review.reviewer_person)] if review.reviewer_person_id else []
    case = case_create(
        actor=None,
        kind=wf.RECTIFICATION,
        status="open",
        title=_("Bad review of %(ref)s") % {"ref": review.subject_ref},
        owning_office=review.office,
        channel=Case.Channel.ONLINE,
        parties=parties,
        received_at=review.given_at,
        audit=False,
        data={"review": review.pk, "level": review.level, "tags": review.tags},
    )
    clockops.start(
        case=case,
        actor=None,
        purpose=wf.RECTIFY,
        primary=True,
        started_at=review.given_at,
        limit=int(config("rectify_days")),
        label=str(_("rectification")),
    )
    case.save(update_fields=["clock", "due_date", "due_at"])
    Rectification.objects.create(case=case, review=review)
    audit_record(
        actor=None,
        action="rectification.create",
        obj=case,
        data={
            "number": case.number,
            "review": review.pk,
            "office": review.office.code,
            "days": config("rectify_days"),
        },
    )
    return case


def _rect_facts(case: Case) -> wf.RectificationFacts:
    r = Rectification.objects.select_related("review").get(case=case)
    return wf.RectificationFacts(
        real_name=r.review.real_name,
        called_back=r.callback_at is not None,
        findings=r.findings,
        actions=r.actions,
    )


def _rect(case: Case) -> Rectification:
    return Rectification.objects.select_related("review").get(case=case)


def rectification_callback(
    *, actor: User, case_id: int, note: str, expected_version: int | None = None
) -> Case:
    note = (note or "").strip()
    if not note:
        raise ServiceError(
            _("Write what the reviewer said."), code="required", fields={"note": _("Required.")}
        )

    def apply(case: Case, t: Transition, f: Any) -> dict[str, Any]:
        r = _rect(case)
        r.callback_at = timezone.now()
        r.callback_note = note[:2000]
        r.save(update_fields=["callback_at", "callback_note"])
        return {}

    return case_transition(
        actor=actor,
        case_id=case_id,
        kind=wf.RECTIFICATION,
        request=TransitionRequest(
            action="callback", expected_version=expected_version, data={"note": note[:200]}
        ),
        apply=apply,
    )


def _rate_link(case: Case) -> str:
    return reverse("feedback:rectification_rate", kwargs={"case_id": case.pk})


def rectification_rectify(
    *, actor: User, case_id: int, findings: str, actions: str, expected_version: int | None = None
) -> Case:
    """Record what the office found and did; the reviewer is told and may rate the rectification."""
    findings, actions = (findings or "").strip(), (actions or "").strip()

    def facts(case: Case) -> wf.RectificationFacts:
        from_db = _rect_facts(case)
        return wf.RectificationFacts(
            real_name=from_db.real_name, called_back=from_db.called_back, findings=findings, actions=actions
        )

    def apply(case: Case, t: Transition, f: Any) -> dict[str, Any]:
        r = _rect(case)
        r.findings, r.actions = findings[:4000], actions[:4000]
        r.rectified_at = timezone.now()
        due = clockops.due_date(case)
        r.on_time = due is None or timezone.localdate() <= due
        r.save(update_fields=["findings", "actions", "rectified_at", "on_time"])
        return {"on_time": r.on_time}

    return case_transition(
        actor=actor,
        case_id=case_id,
        kind=wf.RECTIFICATION,
        request=TransitionRequest(
            action="rectify",
            expected_version=expected_version,
            facts=facts,
            notify=(
                _("Your review was followed up"),
                _("The office found: %(f)s\nWhat it did: %(a)s\nYou may rate how it was put right.")
                % {"f": findings[:300], "a": actions[:300]},
            ),
            link=_rate_link,
        ),
        apply=apply,
    )


def rectification_rate(
    *, actor: Visitor | None, case_id: int, rating: int, code: str = "", expected_version: int | None = None
) -> Case:
    """The reviewer rates the rectification: signed in as the reviewer, or with the service's code."""
    case = Case.objects.filter(pk=case_id, kind=wf.RECTIFICATION).first()
    if case is None:
        raise NotFound(_("No such rectification."))
    rect = _rect(case)
    who: User | None = _user(actor) if is_applicant(actor) else None
    if who is None:
        # The holder of the reviewed service's code rates as the system would, after the check here.
        r = reviewable(rect.review.service)
        served = r.load(rect.review.subject_id) if r is not None else None
        if r is None or served is None or not code or not r.code_ok(served, code):
            audit_denied(actor=actor, action="rectification.rate", obj=case)
            raise NotYours(_("Only the reviewer may rate this rectification."))

    def apply(c: Case, t: Transition, f: Any) -> dict[str, Any]:
        row = _rect(c)
        row.reviewer_rating = rating
        row.save(update_fields=["reviewer_rating"])
        return {"rating": rating}

    return case_transition(
        actor=who,
        case_id=case_id,
        kind=wf.RECTIFICATION,
        request=TransitionRequest(
            action="rate",
            expected_version=expected_version,
            facts=lambda c: wf.RectificationFacts(rating=rating),
        ),
        apply=apply,
    )


def rectification_close(*, actor: User | None, case_id: int, expected_version: int | None = None) -> Case:
    return case_transition(
        actor=actor,
        case_id=case_id,
        kind=wf.RECTIFICATION,
        request=TransitionRequest(action="close", expected_version=expected_version),
    )


APPEAL_KINDS = ("mistaken", "malicious")


def rectification_appeal(
    *, actor: User, case_id: int, kind: str, reason: str, expected_version: int | None = None
) -> Case:
    """The office appeals the review as mistaken or malicious, with its reasons; the clock pauses."""
    if kind not in APPEAL_KINDS:
        raise ServiceError(
            _("Say whether the review is mistaken or malicious."),
            code="bad_kind",
            fields={"kind": _("Choose one.")},
        )
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError(
            _("An appeal needs its reasons."),
            code="reason_required",
            fields={"reason": _("Give the reasons.")},
        )

    def apply(case: Case, t: Transition, f: Any) -> dict[str, Any]:
        r = _rect(case)
        r.appeal_kind, r.appeal_reason, r.appeal_decision = kind, reason[:4000], ""
        r.save(update_fields=["appeal_kind", "appeal_reason", "appeal_decision"])
        return {"appeal": kind}

    return case_transition(
        actor=actor,
        case_id=case_id,
        kind=wf.RECTIFICATION,
        request=TransitionRequest(action="appeal", reason=reason, expected_version=expected_version),
        apply=apply,
    )


def appeal_decide(
    *, actor: User, case_id: int, uphold: bool, reason: str, expected_version: int | None = None
) -> Case:
    """A supervisor at the bureau decides: upheld → the review leaves the scores (kept, never deleted);
    dismissed → the rectification goes on where it was."""
    reason = (reason or "").strip()

    def prior(case: Case, f: Any) -> str:
        r = _rect(case)
        return "called_back" if r.callback_at is not None else "open"

    def apply(case: Case, t: Transition, f: Any) -> dict[str, Any]:
        r = _rect(case)
        r.appeal_decision = "upheld" if uphold else "dismissed"
        r.save(update_fields=["appeal_decision"])
        if uphold:
            Review.objects.filter(pk=r.review_id).update(excluded=True, excluded_reason=reason[:300])
        return {"decision": r.appeal_decision, "review": r.review_id}

    return case_transition(
        actor=actor,
        case_id=case_id,
        kind=wf.RECTIFICATION,
        request=TransitionRequest(
            action="uphold_appeal" if uphold else "dismiss_appeal",
            reason=reason,
            expected_version=expected_version,
            prior_status=prior,
        ),
        apply=apply,
    )


# --- the complaints post --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ComplaintInput:
    via: str
    description: str
    name: str = ""
    phone: str = ""
    about_office: str = ""
    about_hall: str = ""


def complaint_log(*, actor: User, data: ComplaintInput, received_at: datetime | None = None) -> Case:
    """The post logs a complaint (the log): a kernel case with a reply clock, held by the post's office."""
    if not has_role(actor, Role.SERVICE_SUPERVISOR):
        audit_denied(actor=actor, action="complaint.create")
        raise NotYours(_("Only the complaints post logs complaints."))
    if data.via not in Complaint.Via.values:
        raise ServiceError(
            _("Say how the complaint came in."), code="bad_via", fields={"via": _("Choose one.")}
        )
    text = (data.description or "").strip()
    if not text:
        raise ServiceError(_("Write the complaint."), code="required", fields={"description": _("Required.")})
    office = Office.objects.filter(code=data.about_office).first() if data.about_office else None
    if data.about_office and office is None:
        raise ServiceError(
            _("No such office."), code="bad_office", fields={"about_office": _("No such office.")}
        )
    hall = Hall.objects.filter(code=data.about_hall).first() if data.about_hall else None
    if data.about_hall and hall is None:
        raise ServiceError(_("No such hall."), code="bad_hall", fields={"about_hall": _("No such hall.")})
    received_at = received_at or timezone.now()
    party = PartySpec(
        "complainant",
        name=data.name.strip()[:120],
        phone=data.phone.strip()[:20],
        anonymous=not (data.name.strip() or data.phone.strip()),
    )
    with transaction.atomic():
        case = case_create(
            actor=actor,
            kind=wf.COMPLAINT,
            status="logged",
            title=text[:80],
            owning_office=checks.post_office(),
            channel=Case.Channel.ONLINE if data.via == "online" else Case.Channel.WINDOW,
            parties=[party],
            received_by=actor,
            received_at=received_at,
            audit=False,
        )
        clockops.start(
            case=case,
            actor=actor,
            purpose=wf.REPLY,
            primary=True,
            started_at=received_at,
            limit=int(config("complaint_reply_days")),
            label=str(_("reply")),
        )
        case.save(update_fields=["clock", "due_date", "due_at"])
        Complaint.objects.create(
            case=case, via=data.via, about_office=office, about_hall=hall, description=text[:4000]
        )
        audit_record(
            actor=actor,
            action="complaint.create",
            obj=case,
            data={
                "number": case.number,
                "via": data.via,
                "office": data.about_office,
                "hall": data.about_hall,
            },
        )
    return case


def complaint_handle(*, actor: User, case_id: int, expected_version: int | None = None) -> Case:
    return case_transition(
        actor=actor,
        case_id=case_id,
        kind=wf.COMPLAINT,
        request=TransitionRequest(action="handle", expected_version=expected_version),
    )


def complaint_transfer(
    *, actor: User, case_id: int, office: str, reason: str, expected_version: int | None = None
) -> Case:
    target = Office.objects.filter(code=(office or "").strip()).first()
    if target is None:
        raise ServiceError(_("No such office."), code="bad_office", fields={"office": _("No such office.")})

    def apply(case: Case, t: Transition, f: Any) -> dict[str, Any]:
        before = case.owning_office.code
        case_transfer(case=case, office=target, actor=actor, reason=reason)
        return {"from_office": before, "to_office": target.code}

    return case_transition(
        actor=actor,
        case_id=case_id,
        kind=wf.COMPLAINT,
        request=TransitionRequest(action="transfer", reason=reason, expected_version=expected_version),
        apply=apply,
    )


def complaint_reply(*, actor: User, case_id: int, reply: str, expected_version: int | None = None) -> Case:
    reply = (reply or "").strip()

    def apply(case: Case, t: Transition, f: Any) -> dict[str, Any]:
        c = Complaint.objects.get(case=case)
        c.reply = reply[:4000]
        c.replied_at = timezone.now()
        due = clockops.due_date(case)
        c.on_time = due is None or timezone.localdate() <= due
        c.save(update_fields=["reply", "replied_at", "on_time"])
        return {"on_time": c.on_time}

    return case_transition(
        actor=actor,
        case_id=case_id,
        kind=wf.COMPLAINT,
        request=TransitionRequest(
            action="reply",
            expected_version=expected_version,
            facts=lambda c: wf.ComplaintFacts(reply=reply),
            notify=(_("Reply to your complaint"), reply[:500]),
        ),
        apply=apply,
    )


# --- the rating pad -------------------------------------------------------------------------------------


def pad_request(*, actor: User, window: Window, service: str, subject_id: int) -> PadRequest:
    """The clerk asks the window's pad to show a service for the applicant to rate."""
    if not (has_role(actor, Role.CLERK) and window.hall_id == actor.hall_id):
        audit_denied(actor=actor, action="feedback.pad_request", obj=window)
        raise NotYours(_("Only a clerk of this hall drives its windows' rating pads."))
    served = _load(service, subject_id)
    r = reviewable(service)
    assert r is not None
    why_not = r.ready(served)
    if why_not:
        raise Conflict(why_not, code="not_ready")
    if Review.objects.filter(service=service, subject_id=subject_id).exists():
        raise Conflict(
            _("This service has already been reviewed (one review per service)."), code="already_reviewed"
        )
    with transaction.atomic():
        PadRequest.objects.filter(window=window, state=PadRequest.State.WAITING).update(
            state=PadRequest.State.CANCELLED
        )
        pad = PadRequest.objects.create(
            window=window, service=service, subject_id=subject_id, label=served.label[:200], clerk=actor
        )
        audit_record(
            actor=actor, action="feedback.pad_request", obj=pad, data={"service": service, "ref": served.ref}
        )
    return pad


def pad_cancel(*, actor: User, window: Window) -> int:
    if not (has_role(actor, Role.CLERK) and window.hall_id == actor.hall_id):
        audit_denied(actor=actor, action="feedback.pad_cancel", obj=window)
        raise NotYours(_("Only a clerk of this hall drives its windows' rating pads."))
    with transaction.atomic():
        n = PadRequest.objects.filter(window=window, state=PadRequest.State.WAITING).update(
            state=PadRequest.State.CANCELLED
        )
        audit_record(actor=actor, action="feedback.pad_cancel", obj=window, data={"cancelled": n})
    return n
