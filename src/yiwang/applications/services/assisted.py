"""Assisted service (帮办代办): a window clerk or a community grid worker applies on a resident's behalf.

The application is the ordinary one — received like at a window (``intake.receive_case``: the same clock,
materials, 容缺 at acceptance, service-object checks) — with the resident as applicant, the staff member as
the case's ``assistant`` party, and the resident's consent recorded (``AssistConsent``). See docs/adr/0057.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yiwang.accounts.access import ensure
from yiwang.accounts.roles import Role
from yiwang.audit.services import audit_record
from yiwang.cases.models import Case
from yiwang.cases.services import PartySpec, case_attachment_store, case_event_add, case_notify
from yiwang.catalogue import selectors as catalogue
from yiwang.core.errors import ServiceError

from ..access import access_assist, access_assist_person, assist_role
from ..models import AssistConsent
from .common import progress_link
from .intake import ADDRESS_MIN, check_applicant_allowed, check_delivery_choice, receive_case

if TYPE_CHECKING:
    from collections.abc import Iterable
    from datetime import date

    from yiwang.accounts.models import Hall, Person, User
    from yiwang.catalogue.models import Item

    from .common import Upload

# A consent older than this is not taken: ask the resident again (docs/adr/0057).
CONSENT_MAX_AGE_DAYS = 30
CONSENT_SLOT = "consent"  # the attachment slot of the consent file (not a material code)
CALLBACK_MAX = 200


@dataclass(frozen=True)
class Consent:
    """The resident's consent as the staff member recorded it (parsed by a form or a schema)."""

    method: str = ""
    given_on: date | None = None
    callback: str = ""  # for consent by telephone: when the callback was made, to which number, by whom
    file_data: bytes = b""
    file_name: str = ""


def check_consent(consent: Consent | None) -> None:
    """Refuse an application without a usable consent, naming the field."""
    if consent is None or consent.method not in AssistConsent.Method.values:
        raise ServiceError(
            _("Record how the resident consented to the application made on their behalf."),
            code="consent_required",
            fields={"consent_method": _("Required.")},
        )
    today = timezone.localdate()
    if consent.given_on is None:
        raise ServiceError(
            _("Give the date the resident consented."),
            code="consent_date_required",
            fields={"consent_date": _("Required.")},
        )
    if consent.given_on > today:
        raise ServiceError(
            _("The consent date cannot be in the future."),
            code="consent_date_future",
            fields={"consent_date": _("On or before today.")},
        )
    if consent.given_on < today - timedelta(days=CONSENT_MAX_AGE_DAYS):
        raise ServiceError(
            _("The consent is older than %(n)s days: ask the resident again.") % {"n": CONSENT_MAX_AGE_DAYS},
            code="consent_date_old",
            fields={"consent_date": _("Within the last %(n)s days.") % {"n": CONSENT_MAX_AGE_DAYS}},
        )
    if consent.method == AssistConsent.Method.PAPER and not consent.file_data:
        raise ServiceError(
            _("Upload the signed consent form (PDF or image)."),
            code="consent_file_required",
            fields={"consent_file": _("Required for a signed paper form.")},
        )
    callback = consent.callback.strip()
    if consent.method == AssistConsent.Method.PHONE and not callback:
        raise ServiceError(
            _("Record the callback that confirmed the consent by telephone (when, which number, by whom)."),
            code="consent_callback_required",
            fields={"consent_callback": _("Required for consent by telephone.")},
        )
    if len(callback) > CALLBACK_MAX:
        raise ServiceError(
            _("The callback record is too long: at most %(max)s characters (it has %(n)s).")
            % {"max": CALLBACK_MAX, "n": len(callback)},
            code="too_long",
            fields={"consent_callback": _("At most %(max)s characters.") % {"max": CALLBACK_MAX}},
        )


def application_assist(
    *,
    actor: User,
    person: Person,
    item: Item,
    consent: Consent | None,
    conditions: Iterable[str] = (),
    provided: Iterable[str] = (),
    uploads: Iterable[Upload] = (),
    delivery_method: str = "",
    return_hall: Hall | None = None,
    delivery_address: str = "",
    answers: dict[str, Any] | None = None,
) -> Case:
    """A clerk (at their hall, for any resident) or a grid worker (for a resident of their own community)
    applies for ``person``, with the resident's ``consent``. A clerk's application is received at the
    clerk's hall (its front office accepts it); a grid worker's goes to the item's office, which pre-reviews
    it like an online one. The resident is told (inbox or SMS); the staff member follows it in "assisted by
    me"."""
    ensure(access_assist(actor), user=actor, action="application.assist")
    ensure(
        access_assist_person(actor, person),
        user=actor,
        action="application.assist",
        person=person.pk,
    )
    role = assist_role(actor)
    check_consent(consent)
    assert consent is not None and consent.given_on is not None
    check_applicant_allowed(item, enterprise=None)
    catalogue.item_published_version(item)
    hall = actor.hall if role == Role.CLERK else None
    if hall is not None and not catalogue.hall_accepts_item(hall, item):
        raise ServiceError(
            _("This hall cannot accept this item: it is neither of the hall's level nor 通办 here."),
            code="not_at_this_hall",
            fields={"item": _("Not accepted at this hall.")},
        )
    address = delivery_address
    if not address.strip() and len(person.address.strip()) >= ADDRESS_MIN and delivery_method == "post":
        address = person.address
    method = delivery_method or ("electronic" if item.no_visit else "pickup")
    check_delivery_choice(item, method, address)
    if method == "pickup" and return_hall is None:
        if hall is None:
            raise ServiceError(
                _("Choose the hall where the resident picks up the result."),
                code="return_hall_required",
                fields={"return_hall": _("Required for pick-up.")},
            )
        return_hall = hall
    office = catalogue.item_office_for_hall(item, hall) if hall is not None else item.office
    staff_name = (actor.full_name or actor.get_username())[:120]
    resident = str(person)  # name and masked ID number
    with transaction.atomic():
        case, started, credit = receive_case(
            actor=actor,
            item=item,
            office=office,
            channel=Case.Channel.WINDOW if hall is not None else Case.Channel.ONLINE,
            parties=[
                PartySpec("applicant", person=person),
                PartySpec("assistant", staff=actor, name=staff_name),
            ],
            person=person,
            enterprise=None,
            conditions=conditions,
            provided=provided,
            uploads=uploads,
            method=method,
            address=address,
            receiving_hall=hall,
            return_hall=return_hall,
            answers=answers,
        )
        attachment = None
        if consent.file_data:
            attachment = case_attachment_store(
                case=case,
                actor=actor,
                data=consent.file_data,
                name=consent.file_name,
                slot=CONSENT_SLOT,
                label=_("Consent to the assisted application"),
            )
        AssistConsent.objects.create(
            application=case.application,
            staff_role=role,
            method=consent.method,
            given_on=consent.given_on,
            callback=consent.callback.strip(),
            attachment=attachment,
            recorded_by=actor,
        )
        case_event_add(
            case=case,
            actor=actor,
            action="assist",
            data={"staff": staff_name, "role": role, "resident": resident, "consent": consent.method},
        )
        case_notify(
            case=case,
            subject=_("An application was made on your behalf"),
            body=_(
                "%(role)s %(staff)s applied for “%(item)s” on your behalf (case %(number)s), with your consent."
            )
            % {
                "role": Role(role).label,
                "staff": staff_name,
                "item": item.name,
                "number": case.number,
            },
            link=progress_link(case),
            key="assist",
        )
        audit_record(
            actor=actor,
            action="application.assist",
            obj=case,
            data={
                "summary": f"代办 by {staff_name} for {resident}",
                "number": case.number,
                "item": item.code,
                "role": role,
                "hall": hall.code if hall is not None else "",
                "community": actor.community_id if role == Role.GRID_WORKER else None,
                "office": office.code,
                "consent": {
                    "method": consent.method,
                    "given_on": consent.given_on.isoformat() if consent.given_on else "",
                    "file": attachment.pk if attachment is not None else None,
                },
                "clock": {"purpose": started.purpose, "due": str(started.clock.due_date)},
                **credit,
            },
        )
    return case


__all__ = ["CONSENT_MAX_AGE_DAYS", "Consent", "application_assist", "check_consent"]
