"""The writers of government information disclosure: one public function per action, each one
transaction and one audit event (requests through the kernel's ``case_transition``).

Receipt (Art. 31): in person, the day submitted; by post, the day signed for (the clerk records it);
online, the day the office confirms receipt — a confirmation on a non-working day counts on the next
working day. The reply clock then runs 20 working days, counted from the day after receipt."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yiwang.audit.services import audit_record
from yiwang.cases import clockops
from yiwang.cases.models import Case, CaseExtensionRequest
from yiwang.cases.services import (
    PartySpec,
    TransitionRequest,
    case_create,
    case_extension_decide,
    case_extension_pending,
    case_extension_request_open,
    case_filing_allowance,
    case_notice_issue,
    case_notify,
    case_transition,
)
from yiwang.cases.workflow import ClockEffect, ClockStep
from yiwang.core.errors import Conflict, NotFound, ServiceError
from yiwang.core.masking import mask_id
from yiwang.hotline import selectors as hotline_selectors
from yiwang.hotline import services as hotline
from yiwang.workdays.calendar import get_calendar

from . import pdf
from . import workflow as wf
from .models import DisclosureRequest
from .vocabulary import (
    APPLICANT_TYPES,
    FORMS,
    NOT_DISCLOSED_GROUNDS,
    REPLY_FIELDS,
    REPLY_TYPES,
    config,
    fee_for,
)

if TYPE_CHECKING:
    from datetime import date, datetime

    from yiwang.accounts.models import Office, Person, User
    from yiwang.cases.workflow import Transition


def _bad(name: str, message: str) -> ServiceError:
    return ServiceError(message, code="invalid", fields={name: message})


def identity_key(value: str) -> str:
    """A keyed digest of an ID number or credit code (the fee count and tracking find the applicant by it)."""
    norm = (value or "").strip().upper()
    return hmac.new(settings.SECRET_KEY.encode(), norm.encode(), hashlib.sha256).hexdigest() if norm else ""


def next_working_day_from(day: date) -> date:
    """``day`` itself when it is a working day, else the next working day."""
    cal = get_calendar()
    return day if cal.is_workday(day) else cal.add_workdays(day, 1)


def online_receipt_date(confirmed_on: date) -> date:
    """Art. 31(3): the day the office confirms an online request; on a non-working day, the next working day."""
    return next_working_day_from(confirmed_on)


# --- filing ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RequestInput:
    """A request for government information, parsed by its form or schema."""

    applicant_type: str
    applicant_name: str
    id_number: str
    phone: str
    description: str
    form: str = "electronic"
    email: str = ""
    address: str = ""
    purpose: str = ""
    topic: str = ""
    office: str = ""  # the office's code


def _check(data: RequestInput) -> None:
    if data.applicant_type not in APPLICANT_TYPES:
        raise _bad("applicant_type", _("Not one of the allowed values."))
    if not data.applicant_name.strip():
        raise _bad("applicant_name", _("Give the applicant's name."))
    if not data.id_number.strip():
        raise _bad("id_number", _("Give the applicant's ID number or credit code."))
    if not data.phone.strip() and not data.email.strip() and not data.address.strip():
        raise _bad("phone", _("Give a way to contact the applicant: telephone, e-mail or address."))
    if data.phone and not hotline.phone_valid(data.phone):
        raise _bad("phone", _("Not a telephone number."))
    if not data.description.strip():
        raise _bad("description", _("Describe the government information you ask for."))
    if len(data.description) > 4000:
        raise _bad("description", _("At most 4,000 characters."))
    if data.form not in FORMS:
        raise _bad("form", _("Not one of the allowed values."))
    if data.form == "post" and not data.address.strip():
        raise _bad("address", _("Give the postal address for a reply by post."))


def _month_place(key: str, day: date, case_id: int) -> int:
    """The request's place among the applicant's requests received in ``day``'s calendar month."""
    start = day.replace(day=1)
    earlier = DisclosureRequest.objects.filter(
        applicant_key=key, receipt_date__gte=start, receipt_date__lte=day
    ).exclude(case_id=case_id)
    return earlier.count() + 1


def _set_receipt(req: DisclosureRequest, day: date) -> None:
    req.receipt_date = day
    req.month_ordinal = _month_place(req.applicant_key, day, req.case_id)
    req.fee_yuan = fee_for(req.month_ordinal)
    req.bulk_warning = req.month_ordinal > int(config("bulk_warning_per_month"))


def _reply_clock(day: date) -> dict[str, Any]:
    return {
        "limit": int(config("reply_days")),
        "started_at": clockops.start_moment(day),
        "label": "答复（条例第三十三条）",
        "max_extensions": 1,
    }


def request_file(
    *,
    actor: User | None,
    data: RequestInput,
    office: Office,
    channel: str = "online",
    person: Person | None = None,
    submitted_at: datetime | None = None,
    signed_on: date | None = None,
) -> Case:
    """File a request: online (awaits the office's confirmation), in person (received the day submitted)
    or by post (received the day signed for, which the clerk records)."""
    _check(data)
    if channel not in ("online", "window", "post"):
        raise _bad("channel", _("Not one of the allowed values."))
    submitted_at = submitted_at or timezone.now()
    today = timezone.localdate(submitted_at)
    if channel == "post":
        if signed_on is None:
            raise _bad("signed_on", _("Give the day the letter was signed for."))
        if signed_on > timezone.localdate():
            raise _bad("signed_on", _("Cannot be in the future."))
    receipt = None if channel == "online" else (signed_on if channel == "post" else today)
    phone = hotline.phone_normalise(data.phone)
    party = PartySpec(
        "applicant",
        person=person,
        name=data.applicant_name.strip()[:120],
        phone=phone[:20],
        address=data.address.strip()[:200],
    )
    title = data.description.strip().splitlines()[0][:200]
    with case_filing_allowance(actor=actor, kind=wf.KIND), transaction.atomic():
        case = case_create(
            actor=actor,
            kind=wf.KIND,
            status="submitted" if receipt is None else "received",
            title=title,
            owning_office=office,
            channel=channel,
            parties=[party],
            received_by=actor if channel != "online" else None,
            received_at=submitted_at,
            audit=False,
        )
        req = DisclosureRequest(
            case=case,
            applicant_type=data.applicant_type,
            applicant_name=data.applicant_name.strip()[:120],
            applicant_key=identity_key(data.id_number),
            id_masked=mask_id(data.id_number.strip().upper())[:24],
            id_last4=data.id_number.strip().upper()[-4:],
            phone_last4=phone[-4:],
            email=data.email.strip(),
            address=data.address.strip()[:200],
            form=data.form,
            description=data.description.strip(),
            purpose=data.purpose.strip()[:300],
            topic=data.topic.strip()[:40],
            submitted_at=submitted_at,
        )
        if receipt is not None:
            _set_receipt(req, receipt)
            clockops.start(case=case, actor=actor, purpose=wf.REPLY, primary=True, **_reply_clock(receipt))
            case.accepted_on = receipt
            case.save(update_fields=["clock", "due_date", "due_at", "accepted_on"])
        req.save()
        audit_record(
            actor=actor,
            action="disclosure.create",
            obj=case,
            data={
                "number": case.number,
                "channel": channel,
                "receipt": receipt.isoformat() if receipt else None,
                "due": case.due_date.isoformat() if case.due_date else None,
                "ordinal": req.month_ordinal,
            },
        )
    return case


# --- transitions ------------------------------------------------------------------------------------


def _request(case_id: int) -> DisclosureRequest:
    req = DisclosureRequest.objects.select_related("case").filter(case_id=case_id).first()
    if req is None:
        raise NotFound(_("No such request."))
    return req


def _facts(extra: dict[str, Any] | None = None) -> Any:
    def compute(case: Case) -> wf.RequestFacts:
        req = DisclosureRequest.objects.get(case_id=case.pk)
        cal = get_calendar()
        today = timezone.localdate()
        third = clockops.current(case, wf.THIRD_PARTY)
        reply = clockops.current(case, wf.REPLY)
        window_end = (
            cal.add_workdays(req.receipt_date, int(config("correction_notice_days")))
            if req.receipt_date
            else None
        )
        return wf.RequestFacts(
            correction_window_open=window_end is not None and today <= window_end,
            corrected_before=bool(req.correction_asked),
            correction_expired=req.correction_deadline is not None and today > req.correction_deadline,
            third_party_open=third is not None and third.clock.stopped_at is None,
            extension_pending=case_extension_pending(case, wf.REPLY) is not None,
            extended=reply is not None and reply.clock.extensions.exists(),
            **(extra or {}),
        )

    return compute


def _move(
    actor: User | None,
    case_id: int,
    action: str,
    *,
    reason: str = "",
    clock: Any = None,
    data: dict[str, Any] | None = None,
    apply: Any = None,
    facts: dict[str, Any] | None = None,
    notify: tuple[str, str] | None = None,
    expected_version: int | None = None,
) -> Case:
    return case_transition(
        actor=actor,
        case_id=case_id,
        kind=wf.KIND,
        request=TransitionRequest(
            action=action,
            reason=reason,
            facts=_facts(facts),
            clock=clock or {},
            data=data or {},
            notify=notify,
            expected_version=expected_version,
        ),
        apply=apply,
    )


def request_confirm(*, actor: User | None, case_id: int, on: date | None = None) -> Case:
    """The office confirms an online request; the date of receipt is that day, or the next working day."""
    req = _request(case_id)
    confirmed = on or timezone.localdate()
    if confirmed < timezone.localdate(req.submitted_at):
        raise _bad("on", _("Cannot be before the request was submitted."))
    receipt = online_receipt_date(confirmed)

    def apply(case: Case, t: Transition, facts: Any) -> dict[str, Any]:
        row = DisclosureRequest.objects.get(case_id=case.pk)
        _set_receipt(row, receipt)
        row.save(update_fields=["receipt_date", "month_ordinal", "fee_yuan", "bulk_warning"])
        case.accepted_on = receipt
        return {"receipt": receipt.isoformat(), "ordinal": row.month_ordinal}

    return _move(
        actor,
        case_id,
        "confirm",
        clock=_reply_clock(receipt),
        apply=apply,
        notify=(_("Your request was received"), _("The office confirmed receipt of your request.")),
    )


def request_correction(*, actor: User | None, case_id: int, what: str, days: int | None = None) -> Case:
    """Art. 30: a one-time notice to correct an unclear request, within 7 working days of receipt."""
    if not (what or "").strip():
        raise _bad("what", _("Say what the applicant must correct."))
    days = int(days or config("correction_period_days"))
    if not 1 <= days <= 60:
        raise _bad("days", _("Enter a whole number from 1 to %(max)d.") % {"max": 60})
    deadline = get_calendar().add_workdays(timezone.localdate(), days)

    def apply(case: Case, t: Transition, facts: Any) -> dict[str, Any]:
        row = DisclosureRequest.objects.get(case_id=case.pk)
        row.correction_asked = what.strip()
        row.correction_deadline = deadline
        row.save(update_fields=["correction_asked", "correction_deadline"])
        case_notice_issue(
            case=case,
            actor=actor,
            kind="correction",
            title=_("Notice to correct the request"),
            data={"what": what.strip(), "deadline": deadline.isoformat()},
        )
        return {"deadline": deadline.isoformat(), "days": days}

    return _move(
        actor,
        case_id,
        "request_correction",
        reason=what,
        clock={
            wf.REPLY: {"reason": "correction"},
            wf.CORRECTION: {"limit": days, "label": "补正（条例第三十条）"},
        },
        apply=apply,
        notify=(
            _("Please correct your request"),
            _("Correct your request by %(day)s: %(what)s")
            % {"day": deadline.isoformat(), "what": what.strip()},
        ),
    )


def request_correct(*, actor: User | None, case_id: int, text: str) -> Case:
    """The corrected request arrives: the reply clock starts again from that day."""
    if not (text or "").strip():
        raise _bad("text", _("Describe the corrected request."))
    today = timezone.localdate()

    def apply(case: Case, t: Transition, facts: Any) -> dict[str, Any]:
        row = DisclosureRequest.objects.get(case_id=case.pk)
        row.description = f"{row.description}\n\n【补正】{text.strip()}"[:8000]
        row.corrected_on = today
        row.save(update_fields=["description", "corrected_on"])
        return {"corrected_on": today.isoformat()}

    return _move(
        actor, case_id, "correct", clock={wf.REPLY: _reply_clock(today), wf.CORRECTION: {}}, apply=apply
    )


def requests_sweep(*, today: date | None = None) -> int:
    """Periodic: requests whose correction period has passed are deemed withdrawn (Art. 30)."""
    today = today or timezone.localdate()
    ids = list(
        DisclosureRequest.objects.filter(
            case__status="correction", correction_deadline__lt=today
        ).values_list("case_id", flat=True)
    )
    for case_id in ids:
        _move(None, case_id, "deem_withdrawn", data={"reason": "not corrected in time"})
    return len(ids)


def third_party_consult(*, actor: User | None, case_id: int, name: str, phone: str = "") -> Case:
    """Art. 32: ask a third party's opinion; its 15 working days are not counted in the reply time."""
    if not (name or "").strip():
        raise _bad("name", _("Name the third party."))

    def apply(case: Case, t: Transition, facts: Any) -> dict[str, Any]:
        row = DisclosureRequest.objects.get(case_id=case.pk)
        row.third_party = name.strip()[:120]
        row.save(update_fields=["third_party"])
        return {"third_party": row.third_party}

    return _move(
        actor,
        case_id,
        "consult_third_party",
        clock={
            wf.REPLY: {"kind": "third_party", "reason": name.strip()[:100]},
            wf.THIRD_PARTY: {
                "limit": int(config("third_party_days")),
                "label": "第三方意见（条例第三十二条）",
            },
        },
        apply=apply,
    )


def third_party_answered(*, actor: User | None, case_id: int, opinion: str = "") -> Case:
    return _move(
        actor,
        case_id,
        "third_party_answered",
        reason=opinion,
        clock={wf.REPLY: {"kind": "third_party"}, wf.THIRD_PARTY: {}},
    )


def extension_request(*, actor: User | None, case_id: int, days: int, reason: str) -> Case:
    """Ask the head of the office for more time (once, at most 20 working days)."""
    top = int(config("extension_max_days"))
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= top:
        raise _bad("days", _("Enter a whole number from 1 to %(max)d.") % {"max": top})
    if not (reason or "").strip():
        raise _bad("reason", _("Give a reason."))

    def apply(case: Case, t: Transition, facts: Any) -> dict[str, Any]:
        ext = case_extension_request_open(
            case=case, actor=actor, purpose=wf.REPLY, amount=days, reason=reason
        )
        return {"extension": ext.pk, "days": days}

    return _move(actor, case_id, "request_extension", reason=reason, apply=apply)


def extension_decide(*, actor: User | None, case_id: int, approve: bool, reason: str = "") -> Case:
    """The head of the disclosure office decides; an approved extension is told to the applicant, with why."""
    holder: dict[str, Any] = {}

    def apply(case: Case, t: Transition, facts: Any) -> dict[str, Any]:
        pending = case_extension_pending(case, wf.REPLY)
        assert pending is not None  # the guard saw it
        holder.update(case_extension_decide(request=pending, actor=actor, approve=approve, reason=reason))
        if approve:
            case_notice_issue(
                case=case,
                actor=actor,
                kind="extension",
                title=_("Notice of extension of the reply time"),
                data={"days": pending.amount, "reason": pending.reason},
            )
        return {"extension": pending.pk, "days": pending.amount, "approved": approve}

    def clock(case: Case, facts: Any) -> dict[str, Any]:
        return holder

    if not approve and not (reason or "").strip():
        raise _bad("reason", _("Give a reason."))
    case = _move(
        actor,
        case_id,
        "decide_extension" if approve else "refuse_extension",
        reason=reason,
        clock=clock,
        apply=apply,
    )
    if approve:
        with transaction.atomic():
            req = CaseExtensionRequest.objects.filter(case=case, purpose=wf.REPLY).order_by("-id").first()
            case_notify(
                case=case,
                subject=_("The reply time of your request was extended"),
                body=_("Extended by %(n)d working days, because: %(why)s. New reply date: %(day)s.")
                % {"n": req.amount if req else 0, "why": req.reason if req else "", "day": case.due_date},
                key=f"ext{case.version}",
            )
    return case


def fee_notice(*, actor: User | None, case_id: int, month: str = "") -> Case:
    """Issue the fee notice of a request above the free monthly number (国办函〔2020〕109号); the reply
    clock pauses until it is paid (``fee_pauses_clock``)."""
    req = _request(case_id)
    if req.receipt_date is None:
        raise Conflict(_("The request has not been received yet."), code="not_received")
    if month and month != f"{req.receipt_date:%Y-%m}":
        raise _bad(
            "month",
            _("The fee counts the requests of the month of receipt, %(m)s.")
            % {"m": f"{req.receipt_date:%Y-%m}"},
        )
    if req.fee_yuan <= 0:
        raise Conflict(
            _("This is the applicant's request no. %(n)d of the month: within the free %(free)d.")
            % {"n": req.month_ordinal, "free": int(config("fee_free_per_month"))},
            code="free",
        )

    def apply(case: Case, t: Transition, facts: Any) -> dict[str, Any]:
        case_notice_issue(
            case=case,
            actor=actor,
            kind="fee",
            title=_("Fee notice"),
            data={"yuan": req.fee_yuan, "ordinal": req.month_ordinal, "month": f"{req.receipt_date:%Y-%m}"},
        )
        if config("fee_pauses_clock"):
            clockops.apply(
                case=case,
                step=ClockStep(ClockEffect.PAUSE, wf.REPLY),
                actor=actor,
                args={"kind": "fee_unpaid"},
            )
        return {"yuan": req.fee_yuan, "ordinal": req.month_ordinal}

    return _move(
        actor,
        case_id,
        "fee_notice",
        apply=apply,
        notify=(_("Fee notice"), _("Your request is subject to a fee of %(y)d yuan.") % {"y": req.fee_yuan}),
    )


def fee_paid(*, actor: User | None, case_id: int, paid_on: date | None = None) -> Case:
    paid_on = paid_on or timezone.localdate()
    if paid_on > timezone.localdate():
        raise _bad("paid_on", _("Cannot be in the future."))

    def apply(case: Case, t: Transition, facts: Any) -> dict[str, Any]:
        row = DisclosureRequest.objects.get(case_id=case.pk)
        row.fee_paid_on = paid_on
        row.save(update_fields=["fee_paid_on"])
        running = clockops.current(case, wf.REPLY)
        if (
            running is not None
            and running.clock.pauses.filter(kind="fee_unpaid", ended_at__isnull=True).exists()
        ):
            clockops.apply(
                case=case,
                step=ClockStep(ClockEffect.RESUME, wf.REPLY),
                actor=actor,
                args={"kind": "fee_unpaid"},
            )
        return {"paid_on": paid_on.isoformat(), "yuan": row.fee_yuan}

    return _move(actor, case_id, "fee_paid", apply=apply)


# --- replies --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReplyInput:
    type: str
    content: dict[str, str] = field(default_factory=dict)


def reply_problem(data: ReplyInput) -> tuple[str, str]:
    """(field, message) of the first missing or wrong piece of a reply's required content, or ("", "")."""
    t = REPLY_TYPES.get(data.type)
    if t is None:
        return "type", _("Not one of the allowed values.")
    for name in t.required:
        if not str(data.content.get(name, "")).strip():
            return name, _("A reply of this type must give: %(what)s.") % {"what": REPLY_FIELDS[name]}
    if "ground" in t.required and data.content.get("ground") not in NOT_DISCLOSED_GROUNDS:
        return "ground", _("Choose the legal ground from the list.")
    return "", ""


def _forward_to_hotline(case: Case, req: DisclosureRequest) -> Case:
    code = str(config("hotline_category") or "")
    cats = hotline_selectors.categories()
    category = (
        next((c for c in cats if c.code == code), None)
        if code
        else next((c for c in cats if c.parent_id is None), None)
    )
    if category is None:
        raise Conflict(_("No hotline category to forward the request to."), code="no_category")
    phone = next((p.phone for p in case.parties.filter(role="applicant")), "")
    return hotline.ticket_receive(
        actor=None,
        data=hotline.TicketInput(
            type="complaint",
            category=category.code,
            description=req.description[:2000],
            caller_name=req.applicant_name,
            caller_phone=phone,
            anonymous=not (phone or req.applicant_name),
            title=f"{_('Forwarded from disclosure request')} {case.number}"[:200],
        ),
        channel=Case.Channel.ONLINE,
        source=f"disclosure:{case.number}",
    )


def reply_send(
    *, actor: User | None, case_id: int, data: ReplyInput, expected_version: int | None = None
) -> Case:
    """Reply (Art. 36) with the type's required content and the 答复书 PDF; a non-disclosure or partial
    reply goes to the head of the office for approval first. "Not government information" forwards the
    matter to the 12345 hotline as a ticket."""
    name, problem = reply_problem(data)
    if problem:
        raise _bad(name, problem)
    t = REPLY_TYPES[data.type]
    content = {k: str(v).strip() for k, v in data.content.items() if k in REPLY_FIELDS and str(v).strip()}

    def apply(case: Case, tr: Transition, facts: Any) -> dict[str, Any]:
        row = DisclosureRequest.objects.get(case_id=case.pk)
        row.reply_type = data.type
        row.reply = content
        if data.type == "not_government_information":
            ticket = _forward_to_hotline(case, row)
            row.forwarded_to = ticket
            row.reply = {**content, "ticket": ticket.number or ""}
        if not t.needs_approval:
            _issue_reply(case, row, actor)
        row.save()
        return {
            "reply_type": data.type,
            **({"ticket": row.reply.get("ticket")} if row.forwarded_to_id else {}),
        }

    return _move(
        actor,
        case_id,
        "submit_reply" if t.needs_approval else "reply",
        apply=apply,
        clock={} if t.needs_approval else {"decision": True, "reason": "replied"},
        facts={"needs_approval": t.needs_approval},
        expected_version=expected_version,
        notify=None
        if t.needs_approval
        else (_("Your request has been answered"), _("Read the reply to your request online.")),
    )


def _issue_reply(case: Case, row: DisclosureRequest, actor: User | None) -> None:
    today = timezone.localdate()
    row.replied_on = today
    case_notice_issue(
        case=case,
        actor=actor,
        kind="reply",
        title=_("Reply to the request for government information"),
        pdf=pdf.reply_pdf_official(case, row, today),
        data={"type": row.reply_type, **row.reply},
    )


def reply_approve(*, actor: User | None, case_id: int, approve: bool, reason: str = "") -> Case:
    """The head of the office approves a non-disclosure (or partial) reply, or returns it for changes."""
    if not approve:
        return _move(actor, case_id, "return_reply", reason=reason)

    def apply(case: Case, t: Transition, facts: Any) -> dict[str, Any]:
        row = DisclosureRequest.objects.get(case_id=case.pk)
        _issue_reply(case, row, actor)
        row.save(update_fields=["replied_on"])
        return {"reply_type": row.reply_type}

    return _move(
        actor,
        case_id,
        "approve_reply",
        apply=apply,
        clock={"decision": True, "reason": "replied"},
        notify=(_("Your request has been answered"), _("Read the reply to your request online.")),
    )


def request_withdraw(*, actor: User | None, case_id: int, reason: str = "") -> Case:
    return _move(actor, case_id, "withdraw", reason=reason)
