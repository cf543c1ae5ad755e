"""The kernel's writers. ``case_transition`` is the only function that changes a case's status.

Every public function that stands alone (``case_create``, ``case_transition``, ``case_note_add``,
``case_attachment_add``, ``cases_sync_due_dates``) runs in one transaction and writes exactly one audit
event. The building blocks a kind composes inside its own transaction — ``case_event_add``,
``case_attachment_store``, ``case_notice_issue``, ``case_party_add``/``case_party_end``,
``case_assignment_add``/``case_assignment_end``/``case_transfer`` — write none: the kind's service (or
the transition they run in) writes the one audit event.

Access is checked *before* any transaction or lock, so a refusal's ``denied`` audit row is never rolled
back with the refused work (an access that changes while the row is being locked is refused the same
way, after the rollback).
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NoReturn

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F, OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from yiwang.accounts.access import ensure, is_applicant
from yiwang.accounts.models import AgentAuthorization, Enterprise, Office, Person, User
from yiwang.audit.services import audit_record
from yiwang.core import ratelimit
from yiwang.core.errors import Conflict, NotFound, RateLimited, ServiceError
from yiwang.notifications.services import notification_queue
from yiwang.workdays.models import Clock

from . import clockops
from .access import access_case_act, access_case_note, case_capacity
from .events import CaseTransitioned, publish_on_commit
from .models import (
    Case,
    CaseAssignment,
    CaseAttachment,
    CaseEvent,
    CaseExtensionRequest,
    CaseNote,
    CaseNotice,
    CaseParty,
)
from .numbering import next_document_number, next_number
from .states import state_key
from .uploads import CONTENT_TYPES, check_upload
from .workflow import SYSTEM, Transition, Workflow, workflow_for

if TYPE_CHECKING:
    from datetime import date, datetime


def _label(actor: User | None) -> str:
    if actor is None:
        return "system"
    return str(getattr(actor, "full_name", "") or actor.get_username())[:150]


def _user(actor: User | None) -> User | None:
    return actor if actor is not None and getattr(actor, "pk", None) else None


# --- building blocks (no audit of their own) ----------------------------------------------------


def case_event_add(
    *,
    case: Case,
    actor: User | None,
    action: str,
    from_status: str = "",
    to_status: str = "",
    reason: str = "",
    data: Mapping[str, Any] | None = None,
    public: bool = True,
) -> CaseEvent:
    """One line of the case's history (``public`` lines appear on the progress page without personal data)."""
    return CaseEvent.objects.create(
        case=case,
        actor=_user(actor),
        actor_label=_label(actor),
        action=action,
        from_status=from_status,
        to_status=to_status,
        reason=reason,
        data=dict(data or {}),
        public=public,
    )


def case_attachment_store(
    *,
    case: Case,
    actor: User | None,
    data: bytes,
    name: str = "",
    slot: str = "",
    label: str = "",
    replace: bool = False,
) -> CaseAttachment:
    """Check and store one file under a generated name."""
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
        uploaded_by=_user(actor),
    )


def case_notice_issue(
    *,
    case: Case,
    actor: User | None,
    kind: str,
    title: str,
    pdf: bytes | None = None,
    data: Mapping[str, Any] | None = None,
    document: tuple[str, str] | None = None,
) -> CaseNotice:
    """Record a document given to the parties (rendered on demand unless ``pdf`` is stored). ``document``
    (type, abbreviation) makes it an official document with the next 文号 of the owning office's series."""
    number = ""
    if document is not None:
        number = next_document_number(
            office=case.owning_office,
            year=timezone.localdate().year,
            doc_type=document[0],
            abbreviation=document[1],
        )
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
        issued_by=_user(actor),
        data=dict(data or {}),
        document_number=number,
    )


@dataclass(frozen=True)
class PartySpec:
    """A party to add: a registered person or enterprise, a staff member (assisting someone), or a free
    contact (name and/or telephone), or an anonymous one."""

    role: str
    person: Person | None = None
    enterprise: Enterprise | None = None
    staff: User | None = None
    name: str = ""
    phone: str = ""
    address: str = ""
    anonymous: bool = False

    @property
    def someone(self) -> bool:
        return bool(
            self.person
            or self.enterprise
            or self.staff
            or self.name.strip()
            or self.phone.strip()
            or self.anonymous
        )


def _check_parties(wf: Workflow, parties: Sequence[PartySpec]) -> None:
    for p in parties:
        if p.role not in wf.parties:
            raise ServiceError(
                _("Unknown party role."), code="party_role", fields={p.role: _("Unknown role.")}
            )
        if not p.someone:
            raise ServiceError(
                _("Name the party: a person, an enterprise, a name or a telephone number."),
                code="party_empty",
                fields={p.role: _("Required.")},
            )
    for role, spec in wf.parties.items():
        n = sum(1 for p in parties if p.role == role)
        if spec.required and n == 0:
            raise ServiceError(
                _("Name the %(role)s.") % {"role": spec.label},
                code="party_required",
                fields={role: _("Required.")},
            )
        if not spec.many and n > 1:
            raise ServiceError(
                _("Only one %(role)s.") % {"role": spec.label},
                code="party_many",
                fields={role: _("Only one.")},
            )


def _denormalise_parties(case: Case, wf: Workflow, parties: Iterable[PartySpec | CaseParty]) -> None:
    principal, representative = wf.role("principal"), wf.role("representative")
    for p in parties:
        if getattr(p, "until", None) is not None:
            continue
        if p.role == principal:
            case.applicant_person = p.person
            case.applicant_enterprise = p.enterprise
        elif p.role == representative:
            case.agent = p.person


def _party_row(case: Case, party: PartySpec, actor: User | None) -> CaseParty:
    return CaseParty(
        case=case,
        role=party.role,
        person=party.person,
        enterprise=party.enterprise,
        staff=party.staff,
        name=party.name.strip()[:120],
        phone=party.phone.strip()[:20],
        address=party.address.strip()[:200],
        anonymous=party.anonymous,
        added_by=_user(actor),
    )


def case_party_add(*, case: Case, actor: User | None, party: PartySpec) -> CaseParty:
    """Add a party to a case (the kind decides which roles it allows; the caller saves the case and audits)."""
    wf = workflow_for(case.kind)
    _check_parties(wf, [party])
    spec = wf.parties[party.role]
    if not spec.many and CaseParty.objects.filter(case=case, role=party.role, until__isnull=True).exists():
        raise Conflict(_("Only one %(role)s.") % {"role": spec.label}, code="party_many")
    row = _party_row(case, party, actor)
    row.save()
    _denormalise_parties(case, wf, [row])
    case.__dict__.pop("_parties_cache", None)
    return row


def case_party_end(*, party: CaseParty, actor: User | None) -> CaseParty:
    """A party stops being one (history kept)."""
    party.until = timezone.now()
    party.save(update_fields=["until"])
    return party


def case_parties(case: Case, *, current: bool = True) -> list[CaseParty]:
    qs = CaseParty.objects.filter(case=case).select_related("person", "enterprise", "staff")
    return list(qs.filter(until__isnull=True) if current else qs)


def case_assignment_add(
    *,
    case: Case,
    actor: User | None,
    role: str,
    office: Office | None = None,
    user: User | None = None,
    reason: str = "",
) -> CaseAssignment:
    """Co-handling, follow-up (or a first lead): an assignment with history."""
    if office is None and user is None:
        raise ServiceError(_("Name the office or the person."), fields={"office": _("Required.")})
    return CaseAssignment.objects.create(
        case=case, role=role, office=office, user=user, reason=reason[:300], by=_user(actor)
    )


def case_assignment_end(
    *, assignment: CaseAssignment, actor: User | None, reason: str = ""
) -> CaseAssignment:
    assignment.until = timezone.now()
    if reason and not assignment.reason:
        assignment.reason = reason[:300]
    assignment.save(update_fields=["until", "reason"])
    return assignment


def case_transfer(
    *, case: Case, actor: User | None, office: Office, user: User | None = None, reason: str = ""
) -> dict[str, Any]:
    """Hand the lead to another office (and person): ends the current lead assignment, starts the next,
    and moves the running clocks' responsibility. Use inside a transition (its event and audit entry
    record the transfer); returns what changed for them."""
    old = CaseAssignment.objects.filter(case=case, role=CaseAssignment.LEAD, until__isnull=True).first()
    old_office, old_user = case.owning_office_id, case.assignee_id
    if old is not None:
        case_assignment_end(assignment=old, actor=actor, reason=reason)
    case_assignment_add(
        case=case, actor=actor, role=CaseAssignment.LEAD, office=office, user=user, reason=reason
    )
    case.owning_office = office
    case.assignee = user
    Clock.objects.filter(case_clock__case=case, stopped_at__isnull=True).update(
        office=office, responsible=user
    )
    return {
        "from_office": old_office,
        "to_office": office.pk,
        "from_user": old_user,
        "to_user": getattr(user, "pk", None),
    }


def case_assignee_set(
    *, case: Case, actor: User | None, user: User | None, reason: str = ""
) -> dict[str, Any]:
    """The person who leads the case in its office (history kept as a new lead assignment)."""
    if case.assignee_id == getattr(user, "pk", None):
        return {}
    return case_transfer(case=case, actor=actor, office=case.owning_office, user=user, reason=reason)


def case_extension_request_open(
    *, case: Case, actor: User | None, purpose: str, amount: int, reason: str
) -> CaseExtensionRequest:
    """Ask for more time on the running clock of ``purpose`` (``amount`` in that clock's unit), for a
    supervisor to decide. Use inside the kind's transition (one pending request per clock)."""
    row = clockops.current(case, purpose)
    if row is None or row.clock.stopped_at is not None:
        raise Conflict(_("No running clock to extend."), code="no_clock")
    if isinstance(amount, bool) or not isinstance(amount, int) or not 1 <= amount <= 365:
        raise ServiceError(fields={"amount": _("Enter a whole number from 1 to %(max)d.") % {"max": 365}})
    if not (reason or "").strip():
        raise ServiceError(_("Give a reason."), code="reason_required", fields={"reason": _("Required.")})
    if row.clock.extensions.count() >= row.clock.max_extensions:
        raise Conflict(
            _("This clock may be extended at most %(n)d times.") % {"n": row.clock.max_extensions},
            code="extension_limit",
        )
    if CaseExtensionRequest.objects.filter(case=case, purpose=purpose, state="pending").exists():
        raise Conflict(_("An extension request is already waiting for a decision."), code="extension_pending")
    return CaseExtensionRequest.objects.create(
        case=case,
        purpose=purpose,
        amount=amount,
        unit=row.clock.limit_kind,
        reason=reason.strip()[:300],
        requested_by=_user(actor),
    )


def case_extension_pending(case: Case, purpose: str | None = None) -> CaseExtensionRequest | None:
    qs = CaseExtensionRequest.objects.filter(case=case, state=CaseExtensionRequest.State.PENDING)
    if purpose is not None:
        qs = qs.filter(purpose=purpose)
    return qs.order_by("id").first()


def case_extension_decide(
    *, request: CaseExtensionRequest, actor: User | None, approve: bool, reason: str = ""
) -> dict[str, Any]:
    """Record a supervisor's decision on a pending request. Use inside the deciding transition; when
    approved, the transition's ``extend`` clock step takes the returned arguments (``days`` in the
    clock's unit, the approver and the reason)."""
    if request.state != CaseExtensionRequest.State.PENDING:
        raise Conflict(_("This request has already been decided."), code="decided")
    request.state = CaseExtensionRequest.State.APPROVED if approve else CaseExtensionRequest.State.REFUSED
    request.decided_by = _user(actor)
    request.decided_at = timezone.now()
    request.decision_reason = (reason or "").strip()[:300]
    request.save(update_fields=["state", "decided_by", "decided_at", "decision_reason"])
    return {"days": request.amount, "reason": request.reason, "approved_by": actor}


# --- notifications ------------------------------------------------------------------------------


def _recipients(case: Case) -> tuple[list[User], list[str]]:  # noqa: C901 - the fallback order of recipients
    """Who hears about the case: the users of the following parties (an enterprise's authorised agents when
    nobody of it has an account) and, failing that, the mobile numbers of persons and free contacts."""
    wf = workflow_for(case.kind)
    parties = [p for p in case_parties(case) if p.role in wf.followers]
    users: dict[int, User] = {}
    phones: list[str] = []
    for p in parties:
        if p.person is not None and p.person.user_id is not None:
            user = User.objects.filter(pk=p.person.user_id).first()
            if user is not None:
                users.setdefault(user.pk, user)
    if not users:
        for p in parties:
            if p.enterprise_id is None:
                continue
            for auth in AgentAuthorization.objects.filter(
                enterprise_id=p.enterprise_id, revoked=False, person__user__isnull=False
            ).select_related("person__user")[:5]:
                if auth.person.user is not None:
                    users.setdefault(auth.person.user.pk, auth.person.user)
    if not users:
        for p in parties:
            number = (p.person.mobile if p.person is not None else "") or p.phone
            if number and number not in phones:
                phones.append(number)
    return list(users.values()), phones[:1]


def case_notify(*, case: Case, subject: str, body: str, link: str = "", key: str = "") -> int:
    """Queue a message to the case's parties (inbox for account holders, SMS otherwise); sent on commit."""
    n = 0
    users, phones = _recipients(case)
    for user in users:
        if notification_queue(
            subject=subject,
            body=body,
            recipient=user,
            link=link,
            obj=case,
            dedupe_key=f"case:{case.pk}:{key}:u{user.pk}" if key else None,
        ):
            n += 1
    for phone in phones:
        if notification_queue(
            subject=subject,
            body=body,
            address=phone,
            channel="sms",
            link=link,
            obj=case,
            dedupe_key=f"case:{case.pk}:{key}:sms" if key else None,
        ):
            n += 1
    return n


# --- transitions --------------------------------------------------------------------------------

Facts = Any
FactsFn = Callable[[Case], Facts]
ApplyFn = Callable[[Case, Transition, Facts], Mapping[str, Any] | None]
ClockArgs = Mapping[str, Any] | Callable[[Case, Facts], Mapping[str, Any]]


@dataclass
class TransitionRequest:
    """What a kind's service hands the kernel for one transition."""

    action: str
    capacity: str = ""  # "" → the first capacity of the transition the actor holds
    expected_version: int | None = None
    reason: str = ""
    # The kind's typed facts for the guards, computed once from the locked case (no stale facts).
    facts: FactsFn | None = None
    prior_status: str | Callable[[Case, Facts], str] = ""  # for BACK transitions
    # Arguments of the clock steps: one mapping (every step), or {purpose: mapping}; or a function of
    # (locked case, facts) giving either.
    clock: ClockArgs = field(default_factory=dict)
    data: Mapping[str, Any] = field(default_factory=dict)  # recorded in the event and the audit entry
    notify: tuple[str, str] | None = None  # (subject, body) for the parties
    link: str | Callable[[Case], str] = ""  # in the notification (a function of the case once changed)


class _Refused(Exception):
    """Access was lost between the check and the lock: refused after the rollback."""


def case_lock(case_id: int) -> Case:
    case = (
        Case.objects.select_for_update(of=("self",))
        .select_related("applicant_person", "applicant_enterprise", "agent", "owning_office")
        .filter(pk=case_id)
        .first()
    )
    if case is None:
        raise NotFound(_("No such case."))
    return case


def _problem_text(problem: Any, wf: Workflow, case: Case, t: Transition) -> str:
    if isinstance(problem, tuple) and problem and problem[0] == "status":
        return _("“%(action)s” is not possible while the case is “%(status)s”.") % {
            "action": t.label or t.name,
            "status": wf.status_label(case.status),
        }
    if isinstance(problem, tuple) and problem and problem[0] == "actor":
        return _("You cannot do this in your role.")
    return str(problem)


def _clock_args(step_purpose: str, args: Mapping[str, Any], steps: int) -> Mapping[str, Any]:
    nested = args.get(step_purpose)
    if isinstance(nested, Mapping):
        return nested
    return args if steps == 1 or not any(isinstance(v, Mapping) for v in args.values()) else {}


def _deny(actor: User | None, case: Case, action: str, capacity: str) -> NoReturn:
    ensure(False, user=actor, action=f"case.{action}", obj=case, role=capacity)
    raise AssertionError("ensure(False) raises")


def case_transition(
    *,
    actor: User | None,
    case_id: int,
    request: TransitionRequest,
    apply: ApplyFn | None = None,
    kind: str | None = None,
) -> Case:
    """Check access (before any lock), lock the case, check the workflow table, apply, run the clock
    steps, write the event, one audit entry and the notifications (sent on commit), and publish
    ``CaseTransitioned`` after commit. A stale ``expected_version`` → Conflict."""
    case = Case.objects.select_related("owning_office").filter(pk=case_id).first()
    if case is None or (kind is not None and case.kind != kind):
        raise NotFound(_("No such case."))
    wf = workflow_for(case.kind)
    t = wf.get(request.action)
    if t is None:
        raise ServiceError(
            _("Unknown action."), code="unknown_action", fields={"action": _("Unknown action.")}
        )
    capacity = request.capacity or case_capacity(actor, case, t) or ""
    if actor is not None and not (capacity and access_case_act(actor, case, capacity)):
        _deny(actor, case, request.action, capacity)
    if actor is None and not capacity:
        capacity = SYSTEM
    seen = case.version
    try:
        with transaction.atomic():
            case = case_lock(case_id)
            # Changed since the check (e.g. transferred): check again under the lock.
            if actor is not None and case.version != seen and not access_case_act(actor, case, capacity):
                raise _Refused
            return _transition_locked(actor, case, wf, t, capacity, request, apply)
    except _Refused:
        _deny(actor, case, request.action, capacity)


def _transition_locked(
    actor: User | None,
    case: Case,
    wf: Workflow,
    t: Transition,
    capacity: str,
    request: TransitionRequest,
    apply: ApplyFn | None,
) -> Case:
    if request.expected_version is not None and case.version != request.expected_version:
        raise Conflict(
            _("This case was changed by someone else in the meantime. Reload it and try again."), code="stale"
        )
    facts = request.facts(case) if request.facts is not None else None
    problems = wf.check(status=case.status, name=t.name, actor_role=capacity, facts=facts)
    if problems:
        first = problems[0]
        code = "not_allowed" if isinstance(first, tuple) and first[0] == "status" else "guard"
        raise Conflict(" ".join(_problem_text(p, wf, case, t) for p in problems), code=code)
    if t.needs_reason and not (request.reason or "").strip():
        raise ServiceError(_("Give a reason."), code="reason_required", fields={"reason": _("Required.")})
    old = case.status
    prior = request.prior_status(case, facts) if callable(request.prior_status) else request.prior_status
    new = wf.target_of(t, status=old, prior=prior)
    extra = dict(apply(case, t, facts) or {}) if apply else {}
    case.status = new
    case.state_id = state_key(case.kind, new)
    case.is_open = wf.is_open(new)
    case.version += 1
    clock_done = []
    if t.clock_steps:
        args = request.clock(case, facts) if callable(request.clock) else request.clock
        for step in t.clock_steps:
            clock_done.append(
                clockops.apply(
                    case=case,
                    step=step,
                    actor=actor,
                    args=_clock_args(step.purpose, args, len(t.clock_steps)),
                )
            )
    if new in wf.final and case.closed_at is None:
        case.closed_at = timezone.now()
    case.save()
    data = {**request.data, **extra}
    case_event_add(
        case=case,
        actor=actor,
        action=t.name,
        from_status=old,
        to_status=new,
        reason=request.reason,
        data=data,
        public=t.public,
    )
    audit_record(
        actor=actor,
        action=f"{case.kind}.{t.name}",
        obj=case,
        data={
            "number": case.number,
            "from": old,
            "to": new,
            "version": case.version,
            "capacity": capacity,
            **data,
            **({"clocks": clock_done} if clock_done else {}),
        },
    )
    if request.notify:
        subject, body = request.notify
        link = request.link(case) if callable(request.link) else request.link
        case_notify(case=case, subject=subject, body=body, link=link, key=f"v{case.version}")
    publish_on_commit(
        CaseTransitioned(
            case_id=case.pk,
            kind=case.kind,
            number=case.number,
            action=t.name,
            from_status=old,
            to_status=new,
            version=case.version,
            actor_id=getattr(actor, "pk", None),
            capacity=capacity,
            data=data,
        )
    )
    return case


# --- creation -----------------------------------------------------------------------------------


def case_create(
    *,
    actor: User | None,
    kind: str,
    status: str,
    title: str,
    owning_office: Office,
    channel: str,
    parties: Sequence[PartySpec] = (),
    assignee: User | None = None,
    parent: Case | None = None,
    received_by: User | None = None,
    numbered: bool = True,
    received_at: datetime | None = None,
    action: str = "create",
    data: Mapping[str, Any] | None = None,
    audit: bool = True,
) -> Case:
    """Create a case (numbered unless a draft) with its parties, its lead assignment and its first event.
    Use inside the kind's transaction; ``audit=False`` when the kind's service writes the single audit
    event itself. The workflow decides which party roles are required."""
    wf = workflow_for(kind)
    if status not in wf.initial:
        raise ServiceError(_("A case cannot start in this status."), code="bad_initial")
    _check_parties(wf, parties)
    with transaction.atomic():
        case = Case(
            kind=kind,
            status=status,
            state_id=state_key(kind, status),
            is_open=wf.is_open(status),
            title=title[:200],
            owning_office=owning_office,
            assignee=assignee,
            parent=parent,
            channel=channel,
            received_at=received_at,
            received_by=received_by,
        )
        _denormalise_parties(case, wf, parties)
        if numbered:
            year = (received_at or timezone.now()).astimezone(timezone.get_current_timezone()).year
            case.number = next_number(office=owning_office, year=year, kind=kind)
        case.save()
        CaseParty.objects.bulk_create([_party_row(case, p, actor) for p in parties])
        CaseAssignment.objects.create(
            case=case, role=CaseAssignment.LEAD, office=owning_office, user=assignee, by=_user(actor)
        )
        case_event_add(case=case, actor=actor, action=action, to_status=status, data=data)
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


# --- standalone operations (one audit event each) -------------------------------------------------


def case_attachment_add(
    *,
    actor: User,
    case: Case,
    data: bytes,
    name: str = "",
    slot: str = "",
    label: str = "",
    capacity: str,
) -> CaseAttachment:
    ensure(access_case_act(actor, case, capacity), user=actor, action="case.attachment_add", obj=case)
    with transaction.atomic():
        att = case_attachment_store(
            case=case, actor=actor, data=data, name=name, slot=slot, label=label, replace=bool(slot)
        )
        case_event_add(
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


NOTE_MAX = 4000


def case_note_add(*, actor: User, case: Case, text: str) -> CaseNote:
    ensure(access_case_note(actor, case), user=actor, action="case.note_add", obj=case)
    text = (text or "").strip()
    if not text:
        raise ServiceError(_("Write the note."), fields={"text": _("Required.")})
    if len(text) > NOTE_MAX:
        raise ServiceError(
            _("The note is too long: at most %(max)s characters (it has %(n)s).")
            % {"max": NOTE_MAX, "n": len(text)},
            code="too_long",
            fields={"text": _("At most %(max)s characters.") % {"max": NOTE_MAX}},
        )
    with transaction.atomic():
        note = CaseNote.objects.create(case=case, author=actor, text=text)
        audit_record(actor=actor, action=f"{case.kind}.note_add", obj=case, data={"note": note.pk})
    return note


def attachment_content_type(att: CaseAttachment) -> str:
    return CONTENT_TYPES.get(att.file_type, "application/octet-stream")


def case_sync_due(*, case: Case) -> date | None:
    """Copy the primary clock's due date onto the case."""
    case.due_date = clockops.due_date(case)
    case.due_at = clockops.due_at(case)
    return case.due_date


def cases_sync_due_dates() -> int:
    """Copy each open case's primary-clock due date onto the case where they differ (after the calendar
    changed and the workdays sweep recomputed the clocks). Periodic; idempotent; returns the number of
    cases updated."""
    stale = Case.objects.filter(clock__isnull=False, is_open=True).exclude(
        due_date=F("clock__due_date"), due_at=F("clock__due_at")
    )
    primary = Clock.objects.filter(pk=OuterRef("clock_id"))
    n = stale.update(
        due_date=Subquery(primary.values("due_date")[:1]), due_at=Subquery(primary.values("due_at")[:1])
    )
    if n:
        audit_record(actor=None, action="case.sync_due_dates", object_type="cases.case", data={"updated": n})
    return n


@contextmanager
def case_filing_allowance(*, actor: User | None, kind: str) -> Iterator[None]:
    """Count one filing by an applicant's account against the kind's daily cap (``CASES_DAILY_FILING_CAPS``,
    per local calendar day); refuse with a clear message once the cap is reached, and give the filing back
    if it fails. Staff filing at a window or on the phone for someone are not capped here."""
    limit = int(getattr(settings, "CASES_DAILY_FILING_CAPS", {}).get(kind) or 0)
    if not limit or not is_applicant(actor):
        yield
        return
    key = f"cases:filings:{kind}:{actor.pk}"
    if not ratelimit.attempt(key, limit=limit, window=ratelimit.DAY):
        raise RateLimited(
            _(
                "This account has filed %(limit)d today, the most one account may file in a day. Try again "
                "tomorrow, or come to a service hall."
            )
            % {"limit": limit},
            code="daily_cap",
        )
    try:
        yield
    except BaseException:
        ratelimit.refund(key, window=ratelimit.DAY)
        raise
