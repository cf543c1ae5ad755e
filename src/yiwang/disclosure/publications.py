"""双公示: the writers of the publication of licensing and penalty decisions (docs/rules.md §4: within 7 working
days of the decision) and of the simple penalty register. Personal data is masked when the entry is
made: a natural person's ID number is kept only masked, and no address is ever copied."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yiwang.audit.services import audit_record
from yiwang.core.errors import Conflict, NotFound, ServiceError
from yiwang.core.masking import mask_id
from yiwang.workdays.calendar import get_calendar

from .models import PenaltyDecision, Publication
from .vocabulary import PARTY_KINDS, config

if TYPE_CHECKING:
    from datetime import date

    from yiwang.accounts.models import Office, User
    from yiwang.workdays.engine import WorkCalendar


def _bad(name: str, message: str) -> ServiceError:
    return ServiceError(message, code="invalid", fields={name: message})


def _expiry(kind: str, decided: date) -> date:
    years = int(config("publication_period_years")[kind])
    try:
        return decided.replace(year=decided.year + years)
    except ValueError:  # 29 February
        return decided.replace(year=decided.year + years, day=28)


@dataclass(frozen=True)
class PublicationInput:
    kind: str
    source_key: str
    decision_number: str
    title: str
    party_kind: str
    party_name: str
    office: Office
    decided_on: date
    credit_code: str = ""
    id_number: str = ""
    content: str = ""
    basis: str = ""


def publication_row(data: PublicationInput, *, today: date, cal: WorkCalendar | None = None) -> Publication:
    """A publication, masked, published today (the automatic path publishes at once, inside 7 working days)."""
    return Publication(
        kind=data.kind,
        source_key=data.source_key[:40],
        decision_number=data.decision_number[:60],
        title=data.title[:200],
        party_kind=data.party_kind,
        party_name=data.party_name[:120],
        credit_code="" if data.party_kind == "natural" else data.credit_code[:18],
        id_masked=mask_id(data.id_number)[:24] if data.id_number else "",
        content=data.content,
        basis=data.basis[:300],
        office=data.office,
        decided_on=data.decided_on,
        publish_by=(cal or get_calendar()).add_workdays(data.decided_on, int(config("publication_days"))),
        published_on=today,
        expires_on=_expiry(data.kind, data.decided_on),
    )


def publication_publish(*, actor: User | None, data: PublicationInput) -> Publication:
    """Publish one decision (idempotent per source: a second call returns the first entry)."""
    existing = Publication.objects.filter(source_key=data.source_key).first()
    if existing is not None:
        return existing
    with transaction.atomic():
        row = publication_row(data, today=timezone.localdate())
        row.save()
        audit_record(
            actor=actor,
            action="disclosure.publication_publish",
            obj=row,
            data={"kind": row.kind, "source": row.source_key, "publish_by": row.publish_by.isoformat()},
        )
    return row


def publication_withdraw(*, actor: User | None, publication_id: int, reason: str) -> Publication:
    row = Publication.objects.filter(pk=publication_id).first()
    if row is None:
        raise NotFound(_("No such publication."))
    if row.withdrawn_on is not None:
        raise Conflict(_("Already withdrawn."), code="withdrawn")
    if not (reason or "").strip():
        raise _bad("reason", _("Give a reason."))
    with transaction.atomic():
        row.withdrawn_on = timezone.localdate()
        row.withdrawal_reason = reason.strip()[:200]
        row.save(update_fields=["withdrawn_on", "withdrawal_reason"])
        audit_record(actor=actor, action="disclosure.publication_withdraw", obj=row, data={"reason": reason})
    return row


def publications_expire(*, today: date | None = None) -> int:
    """Periodic: entries whose publication period has ended leave public view."""
    today = today or timezone.localdate()
    n = Publication.objects.filter(withdrawn_on__isnull=True, expires_on__lt=today).update(
        withdrawn_on=today, withdrawal_reason="publication period ended"
    )
    if n:
        audit_record(
            actor=None,
            action="disclosure.publications_expire",
            object_type="disclosure.publication",
            data={"n": n},
        )
    return n


@dataclass(frozen=True)
class PenaltyInput:
    number: str
    party_kind: str
    party_name: str
    facts: str
    basis: str
    penalty: str
    decided_on: date
    credit_code: str = ""
    id_number: str = ""
    amount_yuan: Decimal = Decimal(0)


def _penalty_check(data: PenaltyInput) -> None:
    for name in ("number", "party_name", "facts", "basis", "penalty"):
        if not str(getattr(data, name)).strip():
            raise _bad(name, _("Required."))
    if data.party_kind not in PARTY_KINDS:
        raise _bad("party_kind", _("Not one of the allowed values."))
    if data.party_kind == "legal" and len(data.credit_code.strip()) != 18:
        raise _bad("credit_code", _("Give the 18-character unified social credit code."))
    if data.decided_on > timezone.localdate():
        raise _bad("decided_on", _("Cannot be in the future."))
    if data.amount_yuan < 0:
        raise _bad("amount_yuan", _("Cannot be negative."))


def _penalty_publication(p: PenaltyDecision, id_number: str) -> PublicationInput:
    return PublicationInput(
        kind="penalty",
        source_key=f"penalty:{p.pk}",
        decision_number=p.number,
        title=p.penalty,
        party_kind=p.party_kind,
        party_name=p.party_name,
        office=p.office,
        decided_on=p.decided_on,
        credit_code=p.credit_code,
        id_number=id_number,
        content=p.facts,
        basis=p.basis,
    )


def penalty_record(*, actor: User | None, office: Office, data: PenaltyInput) -> PenaltyDecision:
    """Record a penalty decision and publish it (双公示) in the same transaction."""
    _penalty_check(data)
    if PenaltyDecision.objects.filter(number=data.number.strip()).exists():
        raise _bad("number", _("A decision with this number is already recorded."))
    with transaction.atomic():
        p = PenaltyDecision.objects.create(
            number=data.number.strip()[:60],
            party_kind=data.party_kind,
            party_name=data.party_name.strip()[:120],
            credit_code=data.credit_code.strip().upper()[:18] if data.party_kind == "legal" else "",
            id_masked=mask_id(data.id_number.strip())[:24] if data.id_number else "",
            facts=data.facts.strip(),
            basis=data.basis.strip()[:300],
            penalty=data.penalty.strip()[:300],
            amount_yuan=data.amount_yuan,
            office=office,
            decided_on=data.decided_on,
            recorded_by=actor if getattr(actor, "pk", None) else None,
        )
        pub = publication_row(_penalty_publication(p, data.id_number.strip()), today=timezone.localdate())
        pub.save()
        audit_record(
            actor=actor,
            action="disclosure.penalty_record",
            obj=p,
            data={"number": p.number, "office": office.code, "publication": pub.pk},
        )
    return p


def penalty_revoke(*, actor: User | None, penalty_id: int, reason: str) -> PenaltyDecision:
    """A revoked decision leaves public view."""
    p = PenaltyDecision.objects.filter(pk=penalty_id).first()
    if p is None:
        raise NotFound(_("No such decision."))
    if p.revoked_on is not None:
        raise Conflict(_("Already revoked."), code="revoked")
    if not (reason or "").strip():
        raise _bad("reason", _("Give a reason."))
    with transaction.atomic():
        p.revoked_on = timezone.localdate()
        p.save(update_fields=["revoked_on"])
        Publication.objects.filter(source_key=f"penalty:{p.pk}", withdrawn_on__isnull=True).update(
            withdrawn_on=p.revoked_on, withdrawal_reason=f"revoked: {reason.strip()}"[:200]
        )
        audit_record(actor=actor, action="disclosure.penalty_revoke", obj=p, data={"reason": reason})
    return p
