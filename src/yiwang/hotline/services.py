"""The hotline's writers: one public function per action, each one transaction and one audit event.

Tickets are kernel cases: created with ``case_create`` and moved only with ``case_transition``; the
clocks are the kernel's (handling, return window, callback), the reassignment is ``case_transfer``, the
co-handling offices are kernel assignments and a merge makes the duplicate a child (``Case.parent``) of the
main ticket. Inputs arrive typed (forms and schemas parse them); access is checked by the kernel.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from yiwang.accounts.access import ensure, has_role
from yiwang.accounts.models import Community, Office, Street
from yiwang.accounts.roles import ADMIN_ROLES, Role
from yiwang.audit.services import audit_record
from yiwang.cases import clockops
from yiwang.cases.access import access_case_view
from yiwang.cases.models import Case, CaseAssignment, CaseParty
from yiwang.cases.services import (
    PartySpec,
    TransitionRequest,
    case_assignment_add,
    case_assignment_end,
    case_create,
    case_extension_decide,
    case_extension_pending,
    case_extension_request_open,
    case_filing_allowance,
    case_notify,
    case_party_add,
    case_transfer,
    case_transition,
)
from yiwang.cases.workflow import SYSTEM
from yiwang.core.errors import Conflict, NotFound, ServiceError
from yiwang.core.masking import MOBILE_RE

from . import selectors
from . import workflow as wf
from .models import Category, Open311Key, Ticket, TicketPart
from .vocabulary import RATINGS, TICKET_TYPES, URGENCIES, config

if TYPE_CHECKING:
    from yiwang.accounts.models import Person, User
    from yiwang.cases.workflow import Transition

LANDLINE_RE = re.compile(r"^(0\d{2,3})?\d{7,8}$")


def phone_normalise(value: str) -> str:
    digits = re.sub(r"[\s\-()+]", "", value or "")
    if digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    return digits


def phone_valid(value: str) -> bool:
    """A mobile number (1[3-9]…, 11 digits) or a fixed line (7–8 digits with an optional 0xx(x) area code)."""
    digits = phone_normalise(value)
    return bool(MOBILE_RE.fullmatch(digits) or LANDLINE_RE.fullmatch(digits))


def phone_key(value: str) -> str:
    """A keyed digest of the telephone: duplicates and the public follow-up find tickets by it, so the
    number itself is never searched or indexed."""
    digits = phone_normalise(value)
    if not digits:
        return ""
    return hmac.new(settings.SECRET_KEY.encode(), digits.encode(), hashlib.sha256).hexdigest()


# --- intake ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TicketInput:
    """A call, an online filing or an Open311 request, parsed by its form or schema."""

    type: str
    category: str
    description: str
    caller_name: str = ""
    caller_phone: str = ""
    anonymous: bool = False
    urgency: str = "normal"
    address: str = ""
    street: str = ""
    community: str = ""
    lat: float | None = None
    lng: float | None = None
    business_line: bool = False
    title: str = ""


def _bad(field: str, message: str) -> ServiceError:
    return ServiceError(message, code="invalid", fields={field: message})


def _location(data: TicketInput) -> tuple[Street | None, Community | None]:  # noqa: C901 - one check per field
    street = community = None
    if data.community:
        community = Community.objects.select_related("street").filter(code=data.community).first()
        if community is None:
            raise _bad("community", _("Unknown community."))
    if data.street:
        street = Street.objects.filter(code=data.street).first()
        if street is None:
            raise _bad("street", _("Unknown street."))
    if community is not None:
        if street is not None and community.street_id != street.pk:
            raise _bad("community", _("This community is not in the chosen street."))
        street = community.street
    if (data.lat is None) != (data.lng is None):
        raise _bad("lat", _("Give both latitude and longitude, or neither."))
    if data.lat is not None and data.lng is not None:
        if not selectors.inside_district(data.lat, data.lng):
            raise _bad("lat", _("This location is outside the district."))
        if street is None:
            street = selectors.nearest_street(data.lat, data.lng)
    return street, community


def _check_input(data: TicketInput) -> Category:
    if data.type not in TICKET_TYPES:
        raise _bad("type", _("Unknown ticket type."))
    if data.urgency not in URGENCIES:
        raise _bad("urgency", _("Unknown urgency."))
    if not data.description.strip():
        raise _bad("description", _("Describe the matter."))
    if len(data.description) > 2000:
        raise _bad("description", _("At most 2,000 characters."))
    if data.caller_phone and not phone_valid(data.caller_phone):
        raise _bad("caller_phone", _("Not a telephone number."))
    if not data.anonymous and not (data.caller_phone or data.caller_name.strip()):
        raise _bad("caller_phone", _("Give the caller's telephone or name, or mark the call anonymous."))
    category = selectors.category_by_code(data.category)
    if category is None:
        raise _bad("category", _("Unknown category."))
    return category


def _handling_clock(received: datetime, ticket_type: str, urgency: str) -> dict[str, Any]:
    """The handling clock's arguments for a ticket type and urgency (docs/rules.md §6)."""
    if urgency == "urgent":
        rule = config("urgent")
        if rule == "same_day":
            local = timezone.localtime(received)
            end = timezone.make_aware(datetime.combine(local.date() + timedelta(days=1), time.min))
            hours = max(int(config("urgent_min_hours")), int((end - received).total_seconds() // 3600))
        else:
            hours = int(rule)
        return {"limit": hours, "unit": "hours", "due_soon_within": int(config("due_soon_hours"))}
    return {
        "limit": int(config("limits")[ticket_type]),
        "unit": "working_days",
        "due_soon_within": int(config("due_soon_days")),
    }


def ticket_receive(
    *,
    actor: User | None,
    data: TicketInput,
    channel: str = Case.Channel.HOTLINE,
    person: Person | None = None,
    source: str = "",
    received_at: datetime | None = None,
) -> Case:
    """Record a call (an operator), an online filing (a citizen: ``person``) or an Open311 request
    (``source``): the case with its caller, the handling clock, the suggested office, one audit event."""
    if actor is not None and channel == Case.Channel.HOTLINE:
        ensure(has_role(actor, Role.HOTLINE_OPERATOR), user=actor, action="hotline.receive")
    category = _check_input(data)
    street, community = _location(data)
    centre = selectors.centre_office()
    received_at = received_at or timezone.now()
    phone = phone_normalise(data.caller_phone)
    caller = PartySpec(
        "caller",
        person=person,
        name="" if data.anonymous else data.caller_name.strip()[:120],
        phone=phone[:20],
        address=data.address[:200],
        anonymous=data.anonymous,
    )
    title = (data.title or f"{category.name}：{data.description.strip()}")[:200]
    business = data.business_line or selectors.category_in_business_line(category)
    # A citizen filing online is capped per day like any other filing (CASES_DAILY_FILING_CAPS).
    with case_filing_allowance(actor=actor, kind=wf.KIND), transaction.atomic():
        case = case_create(
            actor=actor,
            kind=wf.KIND,
            status="received",
            title=title,
            owning_office=centre,
            channel=channel,
            parties=[caller],
            received_by=actor,
            received_at=received_at,
            audit=False,
        )
        clock = _handling_clock(received_at, data.type, data.urgency)
        clockops.start(
            case=case,
            actor=actor,
            purpose=wf.HANDLING,
            primary=True,
            started_at=received_at,
            limit=clock["limit"],
            unit=clock["unit"],
            due_soon_within=clock["due_soon_within"],
            label=str(_("handling")),
        )
        case.save(update_fields=["clock", "due_date", "due_at"])
        ticket = Ticket.objects.create(
            case=case,
            type=data.type,
            category=category,
            urgency=data.urgency,
            business_line=business,
            description=data.description.strip(),
            address=data.address.strip()[:200],
            street=street,
            community=community,
            lat=data.lat,
            lng=data.lng,
            phone_key=phone_key(phone),
            phone_last4=phone[-4:] if phone else "",
            suggested_office=selectors.suggest_office(category, street),
            source=source[:80],
            token=secrets.token_hex(8) if source else "",
        )
        audit_record(
            actor=actor,
            action="hotline.create",
            obj=case,
            data={
                "number": case.number,
                "channel": channel,
                "type": ticket.type,
                "category": category.code,
                "urgency": ticket.urgency,
                "business_line": business,
                "anonymous": data.anonymous,
                "source": source,
                "clock": clock,
            },
        )
    return case


# --- transitions ----------------------------------------------------------------------------------

Apply = Callable[[Case, "Transition", wf.TicketFacts], Mapping[str, Any] | None]


def _ticket(case: Case) -> Ticket:
    return Ticket.objects.select_related("category").get(case=case)


def _facts(case: Case, **extra: Any) -> wf.TicketFacts:
    ticket = _ticket(case)
    window = clockops.current(case, wf.RETURN_WINDOW)
    window_open = bool(
        window is not None and window.clock.due_at is not None and timezone.now() < window.clock.due_at
    )
    co = CaseAssignment.objects.filter(case=case, role=CaseAssignment.CO_HANDLING, until__isnull=True)
    answered = set(TicketPart.objects.filter(case=case).values_list("office_id", flat=True))
    missing = tuple(
        str(a.office.name)
        for a in co.select_related("office")
        if a.office is not None and a.office_id not in answered
    )
    facts = wf.TicketFacts(
        return_window_open=window_open,
        parts_missing=missing,
        extension_pending=case_extension_pending(case, wf.HANDLING) is not None,
        reopened=ticket.reopened,
        reopen_max=int(config("reopen_max")),
    )
    return replace(facts, **extra) if extra else facts


def _follow_link(case: Case) -> str:
    return reverse("hotline:follow") + f"?number={case.number or ''}"


def _run(
    *,
    actor: User | None,
    case_id: int,
    action: str,
    expected_version: int | None = None,
    reason: str = "",
    facts: Callable[[Case], wf.TicketFacts] | None = None,
    apply: Apply | None = None,
    clock: Mapping[str, Any] | Callable[[Case, wf.TicketFacts], Mapping[str, Any]] | None = None,
    notify: tuple[str, str] | None = None,
    data: Mapping[str, Any] | None = None,
) -> Case:
    return case_transition(
        actor=actor,
        case_id=case_id,
        kind=wf.KIND,
        request=TransitionRequest(
            action=action,
            expected_version=expected_version,
            reason=(reason or "").strip()[:2000],
            facts=facts or _facts,
            clock=clock or {},
            data=dict(data or {}),
            notify=notify,
            link=_follow_link,
        ),
        apply=apply,
    )


def _office(code_or_office: Office | str | None, field: str = "office") -> Office:
    if isinstance(code_or_office, Office):
        return code_or_office
    office = Office.objects.filter(code=code_or_office or "").first()
    if office is None:
        raise _bad(field, _("Unknown office."))
    return office


def _co_offices(codes: Sequence[str], lead: Office) -> list[Office]:
    offices = []
    for code in dict.fromkeys(c for c in codes if c):
        office = _office(code, "co_offices")
        if office.pk == lead.pk:
            raise _bad("co_offices", _("The lead office cannot also co-handle."))
        offices.append(office)
    return offices


def _send(case: Case, actor: User | None, office: Office, co: list[Office], reason: str) -> dict[str, Any]:
    moved = case_transfer(case=case, actor=actor, office=office, reason=reason)
    for a in CaseAssignment.objects.filter(case=case, role=CaseAssignment.CO_HANDLING, until__isnull=True):
        case_assignment_end(assignment=a, actor=actor, reason=reason)
    for o in co:
        case_assignment_add(case=case, actor=actor, role=CaseAssignment.CO_HANDLING, office=o, reason=reason)
    Ticket.objects.filter(case=case).update(dispatched_at=timezone.now())
    return {**moved, "office": office.code, "co_offices": [o.code for o in co]}


def _window_clock(case: Case, f: wf.TicketFacts) -> dict[str, Any]:
    return {"limit": int(config("return_window_days")), "due_soon_within": 0}


def _set_return_by(case: Case) -> None:
    window = clockops.current(case, wf.RETURN_WINDOW)
    Ticket.objects.filter(case=case).update(return_by=window.clock.due_at if window else None)


def ticket_dispatch(
    *,
    actor: User,
    case_id: int,
    office: Office | str | None = None,
    co_offices: Sequence[str] = (),
    expected_version: int | None = None,
) -> Case:
    """Send the ticket to the responsible office (the catalogue's suggestion unless overridden) and its
    co-handling offices; the office's return window starts."""
    case = selectors.ticket_case(case_id)
    chosen = _office(office) if office else (case.ticket.suggested_office if case else None)
    if chosen is None:
        raise _bad("office", _("Choose the responsible office."))
    co = _co_offices(co_offices, chosen)

    def apply(c: Case, t: Transition, f: wf.TicketFacts) -> dict[str, Any]:
        return _send(c, actor, chosen, co, "")

    case = _run(
        actor=actor,
        case_id=case_id,
        action="dispatch",
        expected_version=expected_version,
        apply=apply,
        clock=_window_clock,
    )
    _set_return_by(case)
    return case


def ticket_reassign(
    *,
    actor: User,
    case_id: int,
    office: Office | str,
    reason: str,
    co_offices: Sequence[str] = (),
    expected_version: int | None = None,
) -> Case:
    """转派: the dispatcher sends the ticket to another office (the handling clock keeps running)."""
    chosen = _office(office)
    co = _co_offices(co_offices, chosen)
    case = _run(
        actor=actor,
        case_id=case_id,
        action="reassign",
        expected_version=expected_version,
        reason=reason,
        facts=lambda c: _facts(c, same_office=c.owning_office_id == chosen.pk),
        apply=lambda c, t, f: _send(c, actor, chosen, co, reason),
        clock=_window_clock,
    )
    _set_return_by(case)
    return case


def ticket_accept(*, actor: User, case_id: int, expected_version: int | None = None) -> Case:
    def apply(c: Case, t: Transition, f: wf.TicketFacts) -> None:
        Ticket.objects.filter(case=c).update(accepted_at=timezone.now())

    return _run(actor=actor, case_id=case_id, action="accept", expected_version=expected_version, apply=apply)


def ticket_return(*, actor: User, case_id: int, reason: str, expected_version: int | None = None) -> Case:
    """退单: the office sends the ticket back to the dispatcher, within the window; the clock keeps running."""

    def apply(c: Case, t: Transition, f: wf.TicketFacts) -> dict[str, Any]:
        office = c.owning_office
        moved = case_transfer(case=c, actor=actor, office=selectors.centre_office(), reason=reason)
        for a in CaseAssignment.objects.filter(case=c, role=CaseAssignment.CO_HANDLING, until__isnull=True):
            case_assignment_end(assignment=a, actor=actor, reason=reason)
        ticket = _ticket(c)
        ticket.returns += 1
        ticket.return_by = None
        ticket.save(update_fields=["returns", "return_by"])
        return {**moved, "returned_by": office.code}

    return _run(
        actor=actor,
        case_id=case_id,
        action="return",
        expected_version=expected_version,
        reason=reason,
        apply=apply,
    )


def ticket_answer_part(*, actor: User, case_id: int, text: str, expected_version: int | None = None) -> Case:
    """A co-handling office answers its part (once; a second answer replaces the first)."""
    text = (text or "").strip()
    if not text:
        raise _bad("text", _("Write your office's answer."))

    def apply(c: Case, t: Transition, f: wf.TicketFacts) -> dict[str, Any]:
        office = actor.office  # the co-handling capacity holds: the actor is posted to an assigned office
        if office is None:
            raise Conflict(_("You are not posted to an office."), code="no_office")
        TicketPart.objects.update_or_create(
            case=c, office=office, defaults={"text": text[:2000], "by": actor}
        )
        return {"office": office.code}

    return _run(
        actor=actor, case_id=case_id, action="answer_part", expected_version=expected_version, apply=apply
    )


def ticket_request_extension(
    *, actor: User, case_id: int, days: int, reason: str, expected_version: int | None = None
) -> Case:
    """The office asks its supervisor for more time on the handling clock (in the clock's unit)."""
    top = int(config("extension_max_days"))
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= top:
        raise _bad("days", _("Enter a whole number from 1 to %(max)d.") % {"max": top})

    def apply(c: Case, t: Transition, f: wf.TicketFacts) -> dict[str, Any]:
        req = case_extension_request_open(
            case=c, actor=actor, purpose=wf.HANDLING, amount=days, reason=reason
        )
        return {"extension_request": req.pk, "amount": days}

    return _run(
        actor=actor,
        case_id=case_id,
        action="request_extension",
        expected_version=expected_version,
        reason=reason,
        apply=apply,
    )


def ticket_decide_extension(
    *, actor: User, case_id: int, approve: bool, reason: str = "", expected_version: int | None = None
) -> Case:
    """The supervisor approves (the handling clock is extended) or refuses the pending request."""
    decided: dict[str, Any] = {}

    def decide(c: Case, f: wf.TicketFacts) -> dict[str, Any]:
        req = case_extension_pending(c, wf.HANDLING)
        if req is None:
            raise Conflict(_("No extension request is waiting."), code="no_request")
        decided.update(case_extension_decide(request=req, actor=actor, approve=approve, reason=reason))
        decided["request"] = req.pk
        return decided

    if approve:
        return _run(
            actor=actor,
            case_id=case_id,
            action="decide_extension",
            expected_version=expected_version,
            reason=reason,
            clock=decide,
        )
    return _run(
        actor=actor,
        case_id=case_id,
        action="refuse_extension",
        expected_version=expected_version,
        reason=reason,
        apply=lambda c, t, f: {"request": decide(c, f)["request"]},
    )


def _notify_merged(case: Case, subject: str, body: str) -> None:
    for child in selectors.merged_children(case):
        case_notify(
            case=child, subject=subject, body=body, link=_follow_link(child), key=f"reply{case.version}"
        )


def ticket_reply(
    *, actor: User, case_id: int, handling: str, reply: str, expected_version: int | None = None
) -> Case:
    """The office records what it did and its reply; every caller (also of merged tickets) is told, and the
    callback clock starts."""
    handling, reply = (handling or "").strip(), (reply or "").strip()
    if len(reply) > 2000 or len(handling) > 2000:
        raise _bad("reply", _("At most 2,000 characters."))

    def apply(c: Case, t: Transition, f: wf.TicketFacts) -> dict[str, Any]:
        ticket = _ticket(c)
        ticket.handling, ticket.reply, ticket.replied_at = handling, reply, timezone.now()
        ticket.save(update_fields=["handling", "reply", "replied_at"])
        return {}

    subject = _("Your hotline ticket has been answered")
    case = _run(
        actor=actor,
        case_id=case_id,
        action="reply",
        expected_version=expected_version,
        facts=lambda c: _facts(c, reply_text=reply),
        apply=apply,
        clock={
            wf.HANDLING: {"reason": "replied", "decision": True},
            wf.CALLBACK: {"limit": int(config("callback_days")), "due_soon_within": 0},
        },
        notify=(subject, reply[:500]),
    )
    _notify_merged(case, subject, reply[:500])
    return case


def ticket_callback(
    *, actor: User, case_id: int, rating: str, note: str = "", expected_version: int | None = None
) -> Case:
    """An operator calls the caller back and records the rating: satisfied or basically satisfied closes the
    ticket; unsatisfied sends it to the office's supervisor."""
    if rating not in RATINGS:
        raise _bad("rating", _("Choose the caller's rating."))

    def apply(c: Case, t: Transition, f: wf.TicketFacts) -> dict[str, Any]:
        Ticket.objects.filter(case=c).update(rating=rating, rated_at=timezone.now())
        return {"rating": rating}

    action = "callback_unsatisfied" if rating == "unsatisfied" else "callback"
    return _run(
        actor=actor,
        case_id=case_id,
        action=action,
        expected_version=expected_version,
        reason=note,
        facts=lambda c: _facts(c, rating=rating),
        apply=apply,
        clock={"reason": "callback"},
    )


def ticket_rate_online(
    *, actor: User | None, number: str, last4: str, rating: str, guessers: Sequence[str] = ()
) -> Case:
    """The caller rates a replied ticket on the portal (number + last 4 digits of the telephone): the same
    transition as an operator's callback, by the system on the caller's word. ``guessers`` are who is asking
    (``ratelimit.guessers``), so wrong digits count against them as on the follow-up page."""
    case = selectors.ticket_follow(number, last4, guessers=guessers)
    if case is None:
        raise NotFound(_("No ticket matches this number and these 4 digits."))
    if rating not in RATINGS:
        raise _bad("rating", _("Choose your rating."))
    action = "callback_unsatisfied" if rating == "unsatisfied" else "callback"

    def apply(c: Case, t: Transition, f: wf.TicketFacts) -> dict[str, Any]:
        Ticket.objects.filter(case=c).update(rating=rating, rated_at=timezone.now())
        return {"rating": rating, "online": True}

    return case_transition(
        actor=None,
        case_id=case.pk,
        kind=wf.KIND,
        request=TransitionRequest(
            action=action,
            capacity=SYSTEM,
            facts=lambda c: _facts(c, rating=rating),
            clock={"reason": "rated online"},
        ),
        apply=apply,
    )


def ticket_reopen(*, actor: User, case_id: int, reason: str, expected_version: int | None = None) -> Case:
    """The supervisor reopens an unsatisfied ticket for handling (at most ``reopen_max`` times)."""
    case = selectors.ticket_case(case_id)
    limit = _handling_clock(timezone.now(), case.ticket.type, case.ticket.urgency) if case else {}

    def apply(c: Case, t: Transition, f: wf.TicketFacts) -> dict[str, Any]:
        ticket = _ticket(c)
        ticket.reopened += 1
        ticket.rating, ticket.rated_at = "", None
        ticket.save(update_fields=["reopened", "rating", "rated_at"])
        c.decided_on, c.timeliness, c.closed_at = None, "", None
        return {"reopened": ticket.reopened}

    return _run(
        actor=actor,
        case_id=case_id,
        action="reopen",
        expected_version=expected_version,
        reason=reason,
        apply=apply,
        clock=limit,
    )


def ticket_close(*, actor: User, case_id: int, reason: str = "", expected_version: int | None = None) -> Case:
    return _run(
        actor=actor, case_id=case_id, action="close", expected_version=expected_version, reason=reason
    )


def ticket_merge(
    *, actor: User, case_id: int, into_id: int, reason: str = "", expected_version: int | None = None
) -> Case:
    """Merge a duplicate into the main ticket: it becomes the main ticket's child, its callers become callers
    of the main ticket (each answered and counted once), its clocks stop. Refused across categories."""
    child, main = selectors.ticket_case(case_id), selectors.ticket_case(into_id)
    if child is None or main is None:
        raise NotFound(_("No such ticket."))
    if child.pk == main.pk:
        raise _bad("into", _("A ticket cannot be merged into itself."))
    if main.status not in wf.MERGEABLE or main.parent_id is not None:
        raise Conflict(_("The main ticket can no longer take duplicates."), code="main_closed")
    if child.ticket.category_id != main.ticket.category_id:
        raise _bad("into", _("Only tickets of the same category can be merged."))
    ensure(access_case_view(actor, main), user=actor, action="hotline.merge", obj=main)

    def apply(c: Case, t: Transition, f: wf.TicketFacts) -> dict[str, Any]:
        Case.objects.select_for_update().filter(pk=main.pk).first()
        known = {p.phone for p in CaseParty.objects.filter(case=main, until__isnull=True) if p.phone}
        for p in CaseParty.objects.filter(case=c, role="caller", until__isnull=True):
            if p.phone and p.phone in known:
                continue  # the same caller again: answered and counted once
            case_party_add(
                case=main,
                actor=actor,
                party=PartySpec(
                    "caller",
                    person=p.person,
                    name=p.name,
                    phone=p.phone,
                    address=p.address,
                    anonymous=p.anonymous,
                ),
            )
        c.parent = main
        return {"into": main.number}

    return _run(
        actor=actor,
        case_id=case_id,
        action="merge",
        expected_version=expected_version,
        reason=reason,
        apply=apply,
        clock={"reason": "merged"},
    )


# --- personal data and configuration --------------------------------------------------------------


def ticket_phone_reveal(*, actor: User, case: Case) -> list[str]:
    """The callers' full telephone numbers for a callback: operators only, audited."""
    ensure(
        has_role(actor, Role.HOTLINE_OPERATOR) and access_case_view(actor, case),
        user=actor,
        action="hotline.phone_reveal",
        obj=case,
    )
    phones = [
        p.phone for p in CaseParty.objects.filter(case=case, role="caller", until__isnull=True) if p.phone
    ]
    audit_record(
        actor=actor, action="hotline.phone_reveal", obj=case, data={"number": case.number, "n": len(phones)}
    )
    return phones


def open311_key_issue(*, actor: User, name: str) -> tuple[Open311Key, str]:
    """Issue an Open311 API key to a system (administrators); the raw key is returned once."""
    ensure(has_role(actor, *ADMIN_ROLES), user=actor, action="hotline.open311_key_issue")
    if not (name or "").strip():
        raise _bad("name", _("Name the system."))
    raw = "o311_" + secrets.token_urlsafe(24)
    with transaction.atomic():
        key = Open311Key.objects.create(
            name=name.strip()[:80],
            prefix=raw[5:13],
            digest=hashlib.sha256(raw.encode()).hexdigest(),
            created_by=actor,
        )
        audit_record(actor=actor, action="hotline.open311_key_issue", obj=key, data={"name": key.name})
    return key, raw
