"""The kernel's writers. ``case_transition`` is the only function that changes a case's status.

Every public function here runs in one transaction and writes exactly one audit event. Kinds
(applications, hotline …) compose the internal helpers (``_store_attachment``, ``_store_notice``,
``_event``) inside their own services, which then write their own single audit event.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yiwang.accounts.access import ensure
from yiwang.audit.services import audit_record
from yiwang.core.errors import Conflict, NotFound, ServiceError
from yiwang.notifications.services import notification_queue

from . import clockops
from .access import access_case_act, access_case_note
from .models import Case, CaseAttachment, CaseEvent, CaseNote, CaseNotice
from .numbering import next_number
from .statuses import status_label
from .uploads import CONTENT_TYPES, check_upload
from .workflow import Transition, workflow_for


def _label(actor: Any) -> str:
    if actor is None:
        return "system"
    return str(getattr(actor, "full_name", "") or actor.get_username())[:150]


def _event(
    *,
    case: Case,
    actor: Any,
    action: str,
    from_status: str = "",
    to_status: str = "",
    reason: str = "",
    data: Mapping[str, Any] | None = None,
    public: bool = True,
) -> CaseEvent:
    return CaseEvent.objects.create(
        case=case,
        actor=actor if getattr(actor, "pk", None) else None,
        actor_label=_label(actor),
        action=action,
        from_status=from_status,
        to_status=to_status,
        reason=reason,
        data=dict(data or {}),
        public=public,
    )


def _store_attachment(
    *,
    case: Case,
    actor: Any,
    data: bytes,
    name: str = "",
    slot: str = "",
    label: str = "",
    replace: bool = False,
) -> CaseAttachment:
    """Check and store one file under a generated name (no audit event: the caller writes one)."""
    kind = check_upload(data, name=name)
    today = timezone.localdate()
    path = f"cases/{today:%Y/%m}/{uuid.uuid4().hex}.{kind}"
    stored = default_storage.save(path, ContentFile(data))
    if replace and slot:
        CaseAttachment.objects.filter(case=case, slot=slot, superseded=False).update(superseded=True)
    return CaseAttachment.objects.create(
        case=case,
        slot=slot,
        label=label[:200],
        file=stored,
        file_type=kind,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        original_name=(name or "")[-200:],
        uploaded_by=actor if getattr(actor, "pk", None) else None,
    )


def _store_notice(
    *, case: Case, actor: Any, kind: str, title: str, pdf: bytes | None, data: Mapping[str, Any] | None = None
) -> CaseNotice:
    stored = ""
    if pdf is not None:
        stored = default_storage.save(
            f"notices/{timezone.localdate():%Y/%m}/{uuid.uuid4().hex}.pdf", ContentFile(pdf)
        )
    return CaseNotice.objects.create(
        case=case,
        kind=kind,
        title=title[:200],
        file=stored,
        issued_by=actor if getattr(actor, "pk", None) else None,
        data=dict(data or {}),
    )


def _recipients(case: Case) -> list[Any]:
    """Applicant-side users who hear about the case: the person, the agent, the enterprise's agents."""
    users = []
    for p in (case.applicant_person, case.agent):
        if p is not None and p.user is not None:
            users.append(p.user)
    if case.applicant_enterprise_id is not None and not users:
        from yiwang.accounts.models import AgentAuthorization

        for auth in AgentAuthorization.objects.filter(
            enterprise_id=case.applicant_enterprise_id, revoked=False, person__user__isnull=False
        ).select_related("person__user")[:5]:
            if auth.person.user is not None:
                users.append(auth.person.user)
    seen: set[int] = set()
    out = []
    for u in users:
        if u.pk not in seen:
            seen.add(u.pk)
            out.append(u)
    return out


def case_notify(*, case: Case, subject: str, body: str, link: str = "", key: str = "") -> int:
    """Queue a message to the applicant side (inbox for account holders, SMS otherwise); sent on commit."""
    n = 0
    recipients = _recipients(case)
    for user in recipients:
        if notification_queue(
            subject=subject,
            body=body,
            recipient=user,
            link=link,
            obj=case,
            dedupe_key=f"case:{case.pk}:{key}:u{user.pk}" if key else None,
        ):
            n += 1
    if not recipients:
        person = case.applicant_person or case.agent
        if (
            person is not None
            and person.mobile
            and notification_queue(
                subject=subject,
                body=body,
                address=person.mobile,
                channel="sms",
                link=link,
                obj=case,
                dedupe_key=f"case:{case.pk}:{key}:sms" if key else None,
            )
        ):
            n += 1
    return n


@dataclass
class TransitionRequest:
    """What a kind's service hands the kernel for one transition."""

    action: str
    actor_role: str
    expected_version: int | None = None
    reason: str = ""
    # Facts for the guards, or a function computing them from the locked case (preferred: no stale facts).
    facts: Mapping[str, Any] | Callable[[Case], Mapping[str, Any]] = field(default_factory=dict)
    prior_status: str | Callable[[Case], str] = ""  # for BACK transitions
    # Arguments of the clock effect, or a function computing them from the locked case.
    clock: Mapping[str, Any] | Callable[[Case], Mapping[str, Any]] = field(default_factory=dict)
    data: Mapping[str, Any] = field(default_factory=dict)  # recorded in the event and the audit entry
    public_reason: bool = False  # may the reason appear on the public progress page
    notify: tuple[str, str] | None = None  # (subject, body) for the applicant side
    link: str = ""


def case_lock(case_id: int) -> Case:
    case = (
        Case.objects.select_for_update(of=("self",))
        .select_related(
            "applicant_person",
            "applicant_enterprise",
            "agent",
            "owning_office",
            "receiving_hall",
            "return_hall",
        )
        .filter(pk=case_id)
        .first()
    )
    if case is None:
        raise NotFound(_("No such case."))
    return case


def _problem_text(problem: Any, case: Case, t: Transition) -> str:
    if isinstance(problem, tuple) and problem and problem[0] == "status":
        return _("“%(action)s” is not possible while the case is “%(status)s”.") % {
            "action": t.label or t.name,
            "status": status_label(case.status),
        }
    if isinstance(problem, tuple) and problem and problem[0] == "actor":
        return _("You cannot do this in your role.")
    return str(problem)


def case_transition(
    *,
    actor: Any,
    case_id: int,
    request: TransitionRequest,
    apply: Callable[[Case, Transition], Mapping[str, Any] | None] | None = None,
    check_access: bool = True,
) -> Case:
    """Lock the case, check the workflow table, apply, update the clock, write the event, one audit
    entry and the notifications (sent on commit). A stale ``expected_version`` → Conflict."""
    with transaction.atomic():
        case = case_lock(case_id)
        if check_access and actor is not None:
            ensure(
                access_case_act(actor, case, request.actor_role),
                user=actor,
                action=f"case.{request.action}",
                obj=case,
                role=request.actor_role,
            )
        if request.expected_version is not None and case.version != request.expected_version:
            raise Conflict(
                _("This case was changed by someone else in the meantime. Reload it and try again."),
                code="stale",
            )
        wf = workflow_for(case.kind)
        t = wf.get(request.action)
        if t is None:
            raise ServiceError(_("Unknown action."), code="unknown_action")
        facts = request.facts(case) if callable(request.facts) else request.facts
        problems = wf.check(
            status=case.status, name=request.action, actor_role=request.actor_role, facts=facts
        )
        if problems:
            first = problems[0]
            code = "not_allowed" if isinstance(first, tuple) and first[0] == "status" else "guard"
            raise Conflict(" ".join(_problem_text(p, case, t) for p in problems), code=code)
        if t.needs_reason and not (request.reason or "").strip():
            raise ServiceError(_("Give a reason."), code="reason_required", fields={"reason": _("Required.")})
        old = case.status
        prior = request.prior_status(case) if callable(request.prior_status) else request.prior_status
        new = wf.target_of(t, status=old, prior=prior)
        extra = dict(apply(case, t) or {}) if apply else {}
        case.status = new
        case.version += 1
        if t.clock:
            clock_args = request.clock(case) if callable(request.clock) else request.clock
            clockops.apply(case=case, effect=t.clock, actor=actor, args=clock_args)
        if new in {"closed", "withdrawn", "not_accepted", "terminated"} and case.closed_at is None:
            case.closed_at = timezone.now()
        case.save()
        data = {**request.data, **extra}
        _event(
            case=case,
            actor=actor,
            action=request.action,
            from_status=old,
            to_status=new,
            reason=request.reason,
            data=data,
            public=t.public,
        )
        audit_record(
            actor=actor,
            action=f"{case.kind}.{request.action}",
            obj=case,
            data={"number": case.number, "from": old, "to": new, "version": case.version, **data},
        )
        if request.notify:
            subject, body = request.notify
            case_notify(case=case, subject=subject, body=body, link=request.link, key=f"v{case.version}")
    return case


def case_create(
    *,
    actor: Any,
    kind: str,
    status: str,
    title: str,
    owning_office: Any,
    channel: str,
    applicant_person: Any = None,
    applicant_enterprise: Any = None,
    agent: Any = None,
    receiving_hall: Any = None,
    return_hall: Any = None,
    numbered: bool = True,
    received_at: Any = None,
    action: str = "create",
    data: Mapping[str, Any] | None = None,
    audit: bool = True,
) -> Case:
    """Create a case (numbered unless a draft) with its first event. Use inside the kind's transaction;
    ``audit=False`` when the kind's service writes the single audit event itself."""
    wf = workflow_for(kind)
    if status not in wf.initial:
        raise ServiceError(_("A case cannot start in this status."), code="bad_initial")
    if applicant_person is None and applicant_enterprise is None:
        raise ServiceError(
            _("Name the applicant."), code="no_applicant", fields={"applicant": _("Required.")}
        )
    with transaction.atomic():
        case = Case(
            kind=kind,
            status=status,
            title=title[:200],
            owning_office=owning_office,
            channel=channel,
            applicant_person=applicant_person,
            applicant_enterprise=applicant_enterprise,
            agent=agent,
            receiving_hall=receiving_hall,
            return_hall=return_hall,
            received_at=received_at,
            received_by=actor if status == "received" else None,
        )
        if numbered:
            year = (received_at or timezone.now()).astimezone(timezone.get_current_timezone()).year
            case.number = next_number(office=owning_office, year=year, kind=kind)
        case.save()
        _event(case=case, actor=actor, action=action, to_status=status, data=data)
        if audit:
            audit_record(
                actor=actor,
                action=f"{kind}.{action}",
                obj=case,
                data={"number": case.number, "status": status, **(data or {})},
            )
    return case


def case_number_assign(*, case: Case) -> str:
    """Give a draft its number (inside the transaction that submits it)."""
    if case.number:
        return case.number
    year = timezone.localdate().year
    case.number = next_number(office=case.owning_office, year=year, kind=case.kind)
    return case.number


def case_attachment_add(
    *,
    actor: Any,
    case: Case,
    data: bytes,
    name: str = "",
    slot: str = "",
    label: str = "",
    actor_role: str = "clerk",
) -> CaseAttachment:
    ensure(access_case_act(actor, case, actor_role), user=actor, action="case.attachment_add", obj=case)
    with transaction.atomic():
        att = _store_attachment(
            case=case, actor=actor, data=data, name=name, slot=slot, label=label, replace=bool(slot)
        )
        _event(
            case=case,
            actor=actor,
            action="attachment_add",
            data={"slot": slot, "type": att.file_type},
            public=False,
        )
        audit_record(
            actor=actor,
            action=f"{case.kind}.attachment_add",
            obj=case,
            data={"attachment": att.pk, "slot": slot, "type": att.file_type, "size": att.size},
        )
    return att


def case_note_add(*, actor: Any, case: Case, text: str) -> CaseNote:
    ensure(access_case_note(actor, case), user=actor, action="case.note_add", obj=case)
    text = (text or "").strip()
    if not text:
        raise ServiceError(_("Write the note."), fields={"text": _("Required.")})
    with transaction.atomic():
        note = CaseNote.objects.create(case=case, author=actor, text=text[:4000])
        audit_record(actor=actor, action=f"{case.kind}.note_add", obj=case, data={"note": note.pk})
    return note


def attachment_content_type(att: CaseAttachment) -> str:
    return CONTENT_TYPES.get(att.file_type, "application/octet-stream")


def case_sync_due(*, case: Case) -> date | None:
    """Copy the clock's due date onto the case (called by clock operations and the sweep)."""
    case.due_date = clockops.due_date(case)
    return case.due_date


def cases_sync_due_dates() -> int:
    """Copy each open case's clock due date onto the case where they differ (after the calendar changed and
    the workdays sweep recomputed the clocks). Periodic; idempotent; returns the number of cases updated."""
    from django.db.models import F, OuterRef, Subquery

    from yiwang.workdays.models import Clock

    from .statuses import OPEN_STATUSES

    stale = Case.objects.filter(clock__isnull=False, status__in=sorted(OPEN_STATUSES)).exclude(
        due_date=F("clock__due_date")
    )
    n = stale.update(due_date=Subquery(Clock.objects.filter(pk=OuterRef("clock_id")).values("due_date")[:1]))
    if n:
        audit_record(actor=None, action="case.sync_due_dates", object_type="cases.case", data={"updated": n})
    return n
