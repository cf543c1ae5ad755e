"""Writers of the concierge context: the portfolio and its transfers, follow-up notes, coordination requests
(问题分级处置) with a response due date per level in working days (the kernel's ``clockops``), escalation and
the owning office's answer. Every change writes an audit event."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yiwang.accounts.access import ensure, has_role
from yiwang.accounts.models import Enterprise, User
from yiwang.accounts.roles import Role
from yiwang.audit.services import audit_record
from yiwang.cases import clockops
from yiwang.cases.models import Case
from yiwang.core.errors import Conflict, NotFound, ServiceError
from yiwang.notifications.services import notification_queue

from . import selectors
from .access import access_answer, access_board, access_key_enterprise, access_portfolio_manage
from .models import LEVELS, REASONS, CoordinationRequest, FollowUpNote, KeyEnterprise, Transfer

if TYPE_CHECKING:
    from yiwang.accounts.access import Visitor

DEFAULT_RESPONSE_DAYS = {1: 1, 2: 3, 3: 5}


def response_days(level: int) -> int:
    days = getattr(settings, "CONCIERGE_RESPONSE_DAYS", DEFAULT_RESPONSE_DAYS)
    return int(days.get(level, days.get(str(level), DEFAULT_RESPONSE_DAYS[level])))


def _concierge(pk: int) -> User:
    user = User.objects.filter(pk=pk, is_active=True, kind=User.Kind.STAFF).first()
    if user is None or not has_role(user, Role.CONCIERGE):
        raise ServiceError(
            _("Choose a concierge."), code="not_a_concierge", fields={"concierge": _("Not a concierge.")}
        )
    return user


def key_enterprise_add(*, actor: User, credit_code: str, reason: str, concierge_id: int) -> KeyEnterprise:
    ensure(access_portfolio_manage(actor), user=actor, action="concierge.add")
    if reason not in REASONS:
        raise ServiceError(_("Choose the reason."), code="invalid", fields={"reason": _("Unknown reason.")})
    enterprise = Enterprise.objects.filter(credit_code=(credit_code or "").strip().upper()).first()
    if enterprise is None:
        raise NotFound(
            _("No enterprise with this credit code."), fields={"credit_code": _("Unknown enterprise.")}
        )
    concierge = _concierge(concierge_id)
    with transaction.atomic():
        if KeyEnterprise.objects.filter(enterprise=enterprise).exists():
            raise Conflict(_("This enterprise is already a key enterprise."), code="already_key")
        key = KeyEnterprise.objects.create(
            enterprise=enterprise, reason=reason, concierge=concierge, since=timezone.localdate()
        )
        audit_record(
            actor=actor, action="concierge.add", obj=key, data={"reason": reason, "concierge": concierge.pk}
        )
    return key


def key_enterprise_transfer(
    *, actor: User, key_id: int, to_concierge_id: int, reason: str = ""
) -> KeyEnterprise:
    ensure(access_portfolio_manage(actor), user=actor, action="concierge.transfer")
    to = _concierge(to_concierge_id)
    found = selectors.key_enterprise_get(key_id)
    if found is None:
        raise NotFound(_("No such key enterprise."))
    if has_role(actor, Role.CONCIERGE) and not has_role(actor, Role.SUPERVISOR):
        ensure(access_key_enterprise(actor, found), user=actor, action="concierge.transfer", obj=found)
    with transaction.atomic():
        key = KeyEnterprise.objects.select_for_update().get(pk=key_id)
        if key.concierge_id == to.pk:
            raise Conflict(
                _("The enterprise is already in this concierge's portfolio."), code="same_concierge"
            )
        Transfer.objects.create(
            key_enterprise=key,
            from_concierge_id=key.concierge_id,
            to_concierge=to,
            reason=reason[:300],
            by=actor,
        )
        audit_record(
            actor=actor, action="concierge.transfer", obj=key, data={"from": key.concierge_id, "to": to.pk}
        )
        key.concierge = to
        key.save(update_fields=["concierge"])
    return key


def _followed(actor: Visitor, case_id: int, action: str) -> tuple[Case, KeyEnterprise]:
    ensure(access_board(actor), user=actor, action=action)
    case = Case.objects.filter(pk=case_id).first()
    key = selectors.key_of_case(case) if case is not None else None
    if case is None or key is None:
        raise NotFound(_("No such case of a key enterprise."))
    if not access_key_enterprise(actor, key):
        ensure(False, user=actor, action=action, obj=case)
    return case, key


def _text(value: str, field: str) -> str:
    text = (value or "").strip()
    if not text:
        raise ServiceError(_("Write the text."), code="invalid", fields={field: _("This field is required.")})
    return text[:2000]


def concierge_note(*, actor: User, case_id: int, text: str) -> FollowUpNote:
    """A follow-up note on a case of the concierge's own enterprise."""
    case, _key = _followed(actor, case_id, "concierge.note")
    body = _text(text, "text")
    with transaction.atomic():
        note = FollowUpNote.objects.create(case=case, author=actor, text=body)
        audit_record(actor=actor, action="concierge.note", obj=case, data={"note": note.pk})
    return note


def _tell_office(req: CoordinationRequest) -> None:
    roles = [Role.SUPERVISOR] if req.level >= 2 else [Role.REVIEWER, Role.SUPERVISOR]
    for user in User.objects.filter(
        office=req.office, is_active=True, role_grants__role__in=roles
    ).distinct():
        notification_queue(
            recipient=user,
            subject=_("Coordination request (%(level)s) on %(number)s")
            % {"level": LEVELS[req.level], "number": req.case.number},
            body=_("A key enterprise's concierge asks: %(text)s — answer by %(due)s.")
            % {"text": req.text, "due": req.due_date.isoformat()},
            obj=req,
            dedupe_key=f"concierge-req-{req.pk}-{req.level}-{user.pk}",
        )


def concierge_coordinate(*, actor: User, case_id: int, level: int, text: str) -> CoordinationRequest:
    """Ask the owning office to act; the level decides who handles it and the response due date."""
    case, _key = _followed(actor, case_id, "concierge.coordinate")
    if level not in LEVELS:
        raise ServiceError(
            _("The level is 1, 2 or 3."), code="invalid", fields={"level": _("The level is 1, 2 or 3.")}
        )
    body = _text(text, "text")
    with transaction.atomic():
        req = CoordinationRequest.objects.create(
            case=case,
            office=case.owning_office,
            level=level,
            text=body,
            by=actor,
            due_date=clockops.add_workdays(timezone.localdate(), response_days(level)),
        )
        audit_record(
            actor=actor, action="concierge.coordinate", obj=req, data={"case": case.pk, "level": level}
        )
        _tell_office(req)
    return req


def concierge_escalate(*, actor: User, request_id: int) -> CoordinationRequest:
    """Raise an unanswered request one level (to the department, then to the bureau's leaders); a new clock."""
    found = selectors.request_get(request_id)
    if found is None:
        raise NotFound(_("No such coordination request."))
    _followed(actor, found.case_id, "concierge.escalate")
    with transaction.atomic():
        req = CoordinationRequest.objects.select_for_update().select_related("case").get(pk=request_id)
        if req.answered_on is not None:
            raise Conflict(_("The request has been answered."), code="answered")
        if req.level >= 3:
            raise Conflict(_("The request is already with the bureau's leaders."), code="top_level")
        req.level += 1
        req.escalated_at = timezone.now()
        req.due_date = clockops.add_workdays(timezone.localdate(), response_days(req.level))
        req.save(update_fields=["level", "escalated_at", "due_date"])
        audit_record(actor=actor, action="concierge.escalate", obj=req, data={"level": req.level})
        _tell_office(req)
    return req


def coordination_answer(*, actor: User, request_id: int, answer: str) -> CoordinationRequest:
    found = selectors.request_get(request_id)
    if found is None:
        raise NotFound(_("No such coordination request."))
    # Access is decided before the transaction, so a refusal's audit row is kept.
    ensure(access_answer(actor, found.office_id), user=actor, action="concierge.answer", obj=found)
    with transaction.atomic():
        req = CoordinationRequest.objects.select_for_update().select_related("case").get(pk=request_id)
        if req.answered_on is not None:
            raise Conflict(_("The request has been answered."), code="answered")
        req.answer = _text(answer, "answer")
        req.answered_on = timezone.localdate()
        req.save(update_fields=["answer", "answered_on"])
        audit_record(
            actor=actor, action="concierge.answer", obj=req, data={"late": req.answered_on > req.due_date}
        )
        notification_queue(
            recipient=req.by,
            subject=_("Coordination request answered: %(number)s") % {"number": req.case.number},
            body=req.answer,
            obj=req,
        )
    return req
