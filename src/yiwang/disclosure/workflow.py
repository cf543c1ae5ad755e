"""The lifecycle of a request for government information (政府信息公开条例 2019): a table, no I/O.

    submitted (online) ─confirm→ received          (in person / by post: created as received)
    received ─request_correction (Art. 30, ≤ 7 wd)→ correction ─correct→ received (the clock restarts)
                                                    correction ─deem_withdrawn (period passed)→ withdrawn
    received: consult_third_party / third_party_answered (Art. 32: 15 wd not counted),
              request_extension → decide_extension | refuse_extension (the head of the office, once, ≤ 20 wd)
    received ─fee_notice→ fee_due ─fee_paid→ received
    received ─reply→ replied;  received ─submit_reply (non-disclosure)→ review ─approve_reply→ replied
    submitted | received | correction | fee_due ─withdraw (the applicant)→ withdrawn

The reply clock (20 working days, Art. 33) is the primary clock; the correction period and the third
party's 15 days are clocks of their own. The head of the disclosure office is the office's supervisor.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from yiwang.accounts.roles import Role
from yiwang.cases.capacities import OfficeCapacity, PartyCapacity
from yiwang.cases.workflow import (
    EVERY_CLOCK,
    STAY,
    SYSTEM,
    Capacity,
    ClockEffect,
    ClockStep,
    ClockUnit,
    PartyRole,
    Transition,
    Workflow,
    register,
)

KIND = "disclosure"
REPLY, CORRECTION, THIRD_PARTY = "reply", "correction", "third_party"
OFFICE, SUPERVISOR, OFFICE_VIEW, APPLICANT = "office", "supervisor", "office_view", "applicant"

STATUS_LABELS: dict[str, Any] = {
    "submitted": pgettext_lazy("disclosure status", "Submitted online, awaiting confirmation"),
    "received": pgettext_lazy("disclosure status", "Received, being handled"),
    "correction": pgettext_lazy("disclosure status", "Awaiting the applicant's correction"),
    "fee_due": pgettext_lazy("disclosure status", "Awaiting payment of the fee"),
    "review": pgettext_lazy("disclosure status", "Reply awaiting the head's approval"),
    "replied": pgettext_lazy("disclosure status", "Replied"),
    "withdrawn": pgettext_lazy("disclosure status", "Withdrawn"),
}
FINAL = frozenset({"replied", "withdrawn"})
CAPACITIES: dict[str, Capacity] = {
    OFFICE: OfficeCapacity(frozenset({Role.REVIEWER}), label=_("Disclosure office")),
    SUPERVISOR: OfficeCapacity(frozenset({Role.SUPERVISOR}), label=_("Head of the disclosure office")),
    OFFICE_VIEW: OfficeCapacity(
        frozenset({Role.REVIEWER, Role.SUPERVISOR, Role.DEPT_ADMIN}), label=_("Disclosure office staff")
    ),
    APPLICANT: PartyCapacity(frozenset({"applicant"}), label=_("Applicant"), staff=False),
}
PARTIES = {
    "applicant": PartyRole(_("applicant"), required=True, principal=True),
    "third_party": PartyRole(_("third party"), many=True, follows=False),
}


@dataclass(frozen=True)
class RequestFacts:
    """What the guards read, loaded once from the locked case by the service."""

    correction_window_open: bool = True
    corrected_before: bool = False
    correction_expired: bool = False
    third_party_open: bool = False
    extension_pending: bool = False
    extended: bool = False
    reply_problem: str = ""
    needs_approval: bool = False


def _correction_window(f: RequestFacts) -> Any:
    if f.corrected_before:
        return _("A correction notice has already been given for this request (Art. 30: once).")
    return None if f.correction_window_open else _("The 7 working days for a correction notice have passed.")


def _expired(f: RequestFacts) -> Any:
    return None if f.correction_expired else _("The period for the correction has not passed yet.")


def _no_third_party(f: RequestFacts) -> Any:
    return _("The third party's opinion is still awaited.") if f.third_party_open else None


def _third_party(f: RequestFacts) -> Any:
    return None if f.third_party_open else _("No third party is being consulted.")


def _may_ask_extension(f: RequestFacts) -> Any:
    if f.extended:
        return _("The reply time has already been extended once (Art. 33).")
    return _("An extension request is already waiting for a decision.") if f.extension_pending else None


def _extension_pending(f: RequestFacts) -> Any:
    return None if f.extension_pending else _("No extension request is waiting.")


def _reply_complete(f: RequestFacts) -> Any:
    return f.reply_problem or None


def _direct(f: RequestFacts) -> Any:
    return _("This reply needs the approval of the head of the office.") if f.needs_approval else None


def _approval(f: RequestFacts) -> Any:
    return None if f.needs_approval else _("This reply does not need approval; send it directly.")


C = ClockEffect
T = Transition
WORKING = ClockUnit.WORKING_DAYS
TRANSITIONS = {
    "confirm": T(
        "confirm",
        frozenset({"submitted"}),
        "received",
        frozenset({OFFICE}),
        label=_("Confirm receipt"),
        clock=ClockStep(C.START, REPLY, WORKING, primary=True),
    ),
    "request_correction": T(
        "request_correction",
        frozenset({"received"}),
        "correction",
        frozenset({OFFICE}),
        label=_("Ask the applicant to correct the request"),
        guards=(_correction_window, _no_third_party),
        needs_reason=True,
        clock=(ClockStep(C.STOP, REPLY), ClockStep(C.START, CORRECTION, WORKING, primary=True)),
    ),
    "correct": T(
        "correct",
        frozenset({"correction"}),
        "received",
        frozenset({APPLICANT, OFFICE}),
        label=_("Correct the request"),
        clock=(ClockStep(C.STOP, CORRECTION), ClockStep(C.START, REPLY, WORKING, primary=True)),
    ),
    "deem_withdrawn": T(
        "deem_withdrawn",
        frozenset({"correction"}),
        "withdrawn",
        frozenset({SYSTEM, OFFICE}),
        label=_("Deemed withdrawn (not corrected in time)"),
        guards=(_expired,),
        clock=ClockStep(C.STOP, EVERY_CLOCK),
    ),
    "consult_third_party": T(
        "consult_third_party",
        frozenset({"received"}),
        STAY,
        frozenset({OFFICE}),
        label=_("Ask a third party's opinion"),
        guards=(_no_third_party,),
        clock=(ClockStep(C.PAUSE, REPLY), ClockStep(C.START, THIRD_PARTY, WORKING, primary=False)),
    ),
    "third_party_answered": T(
        "third_party_answered",
        frozenset({"received"}),
        STAY,
        frozenset({OFFICE, SYSTEM}),
        label=_("Record the third party's opinion"),
        guards=(_third_party,),
        clock=(ClockStep(C.RESUME, REPLY), ClockStep(C.STOP, THIRD_PARTY)),
    ),
    "request_extension": T(
        "request_extension",
        frozenset({"received"}),
        STAY,
        frozenset({OFFICE}),
        label=_("Ask for more time"),
        guards=(_may_ask_extension,),
        needs_reason=True,
        public=False,
    ),
    "decide_extension": T(
        "decide_extension",
        frozenset({"received"}),
        STAY,
        frozenset({SUPERVISOR}),
        label=_("Approve the extension"),
        guards=(_extension_pending,),
        clock=ClockStep(C.EXTEND, REPLY),
    ),
    "refuse_extension": T(
        "refuse_extension",
        frozenset({"received"}),
        STAY,
        frozenset({SUPERVISOR}),
        label=_("Refuse the extension"),
        guards=(_extension_pending,),
        public=False,
    ),
    "fee_notice": T(
        "fee_notice",
        frozenset({"received"}),
        "fee_due",
        frozenset({OFFICE}),
        label=_("Issue a fee notice"),
        guards=(_no_third_party,),
    ),
    "fee_paid": T(
        "fee_paid", frozenset({"fee_due"}), "received", frozenset({OFFICE}), label=_("Record the payment")
    ),
    "reply": T(
        "reply",
        frozenset({"received"}),
        "replied",
        frozenset({OFFICE}),
        label=_("Reply"),
        guards=(_no_third_party, _reply_complete, _direct),
        clock=ClockStep(C.STOP, EVERY_CLOCK),
    ),
    "submit_reply": T(
        "submit_reply",
        frozenset({"received"}),
        "review",
        frozenset({OFFICE}),
        label=_("Submit the reply for approval"),
        guards=(_no_third_party, _reply_complete, _approval),
    ),
    "approve_reply": T(
        "approve_reply",
        frozenset({"review"}),
        "replied",
        frozenset({SUPERVISOR}),
        label=_("Approve the reply"),
        clock=ClockStep(C.STOP, EVERY_CLOCK),
    ),
    "return_reply": T(
        "return_reply",
        frozenset({"review"}),
        "received",
        frozenset({SUPERVISOR}),
        label=_("Return the reply for changes"),
        needs_reason=True,
        public=False,
    ),
    "withdraw": T(
        "withdraw",
        frozenset({"submitted", "received", "correction", "fee_due"}),
        "withdrawn",
        frozenset({APPLICANT}),
        label=_("Withdraw the request"),
        clock=ClockStep(C.STOP, EVERY_CLOCK),
    ),
}

WORKFLOW = register(
    Workflow(
        kind=KIND,
        label=_("disclosure request"),
        statuses=STATUS_LABELS,
        initial=frozenset({"submitted", "received"}),
        final=FINAL,
        transitions=TRANSITIONS,
        capacities=CAPACITIES,
        viewers=frozenset({OFFICE_VIEW, APPLICANT}),
        parties=PARTIES,
        number_format="GK{office}{year}{seq:05d}",
        events={"create": _("Request filed")},
    )
)


def status_label(status: str) -> str:
    return WORKFLOW.status_label(status)
