"""The lifecycle of an item application (办件): a declarative table, no I/O (docs/architecture.md, "Workflows").

    draft ─submit→ submitted ┐
    (window) ──────→ received ┴→ pre_review → accepted (also with missing materials, 容缺)
                                            → correction (补正; acceptance clock paused) → pre_review
                                            → refusal_pending ─supervisor→ not_accepted | back
    accepted → under_review ⇄ suspended (expert review, testing, hearing, site survey: time not counted)
    under_review → approved | rejection_pending ─supervisor→ rejected | back to under_review
    approved | rejected → result_ready → delivered → closed
    withdrawn (by the applicant) · terminated (容缺 materials never supplied)

Capacities (``actors``): applicant, clerk (front office, in the hall), reviewer (back office, in the
owning office), supervisor, and the kernel's ``system`` (sweeps); front and back office read. Guards read
``ApplicationFacts``, loaded once from the locked case by the service.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from yiwang.accounts.roles import Role
from yiwang.cases.capacities import OfficeCapacity, PartyCapacity, StaffPartyCapacity
from yiwang.cases.workflow import (
    BACK,
    EVERY_CLOCK,
    STAY,
    SYSTEM,
    Capacity,
    ClockEffect,
    ClockStep,
    PartyRole,
    Transition,
    Workflow,
    register,
)

from .capacities import HallCapacity
from .vocabulary import (
    ACCEPTANCE_WINDOW_DAYS,
    DELIVERY_METHODS,
    EXTENSION_DAYS,
    REFUSAL_REASONS,
    REVIEW_PAUSE_KINDS,
)

__all__ = [
    "ACCEPTANCE_WINDOW_DAYS",
    "DELIVERY_METHODS",
    "EXTENSION_DAYS",
    "REFUSAL_REASONS",
    "REVIEW_PAUSE_KINDS",
]

KIND = "application"

STATUS_LABELS: dict[str, Any] = {
    "draft": pgettext_lazy("application status", "Draft"),
    "submitted": pgettext_lazy("application status", "Submitted online"),
    "received": pgettext_lazy("application status", "Received at a window"),
    "pre_review": pgettext_lazy("application status", "Pre-review"),
    "correction": pgettext_lazy("application status", "Correction requested"),
    "refusal_pending": pgettext_lazy("application status", "Not-accepted request awaiting a supervisor"),
    "not_accepted": pgettext_lazy("application status", "Not accepted"),
    "accepted": pgettext_lazy("application status", "Accepted"),
    "under_review": pgettext_lazy("application status", "Under review"),
    "suspended": pgettext_lazy("application status", "Paused (time not counted)"),
    "rejection_pending": pgettext_lazy("application status", "Rejection awaiting a supervisor"),
    "approved": pgettext_lazy("application status", "Approved"),
    "rejected": pgettext_lazy("application status", "Rejected"),
    "result_ready": pgettext_lazy("application status", "Result ready"),
    "delivered": pgettext_lazy("application status", "Delivered"),
    "closed": pgettext_lazy("application status", "Closed"),
    "withdrawn": pgettext_lazy("application status", "Withdrawn"),
    "terminated": pgettext_lazy("application status", "Terminated"),
}
STATUSES = frozenset(STATUS_LABELS)
FINAL = frozenset({"not_accepted", "closed", "withdrawn", "terminated"})
PRE_ACCEPT = frozenset({"submitted", "received", "pre_review"})
IN_REVIEW = frozenset({"under_review", "suspended"})
# Statuses in which the applicant still waits for acceptance (the 5-working-day rule applies).
AWAITING_ACCEPTANCE = PRE_ACCEPT
DECIDED = frozenset({"approved", "rejected", "result_ready", "delivered", "closed"})

# Capacities (who acts for one case), in the order a person holding several is taken to act in.
APPLICANT, CLERK, REVIEWER, SUPERVISOR = "applicant", "clerk", "reviewer", "supervisor"
FRONT_OFFICE, BACK_OFFICE = "front_office", "back_office"  # read only
# The staff member who applied on the resident's behalf (帮办代办): reads the case, answers a correction and
# supplies promised materials for the resident; nothing else (docs/adr/0057).
ASSISTANT = "assistant"
FRONT = frozenset({CLERK, REVIEWER})  # online submissions are pre-reviewed by the owning office
CAPACITIES: dict[str, Capacity] = {
    APPLICANT: PartyCapacity(frozenset({"applicant", "agent"}), label=_("Applicant"), staff=False),
    CLERK: HallCapacity(frozenset({Role.CLERK}), label=_("Window clerk")),
    REVIEWER: OfficeCapacity(frozenset({Role.REVIEWER}), label=_("Reviewer of the owning office")),
    # Requests are decided by a supervisor of the office that owns the item (the deciding authority:
    # 行政许可法 Art. 38/42); a hall's duty supervisor reads them as front office but decides none.
    SUPERVISOR: OfficeCapacity(frozenset({Role.SUPERVISOR}), label=_("Supervisor of the owning office")),
    FRONT_OFFICE: HallCapacity(
        frozenset({Role.CLERK, Role.HALL_MANAGER, Role.SUPERVISOR}), label=_("Front office")
    ),
    BACK_OFFICE: OfficeCapacity(
        frozenset({Role.REVIEWER, Role.SUPERVISOR, Role.DEPT_ADMIN}), label=_("Back office")
    ),
    ASSISTANT: StaffPartyCapacity(frozenset({"assistant"}), label=_("Assisting staff member")),
}
PARTIES = {
    "applicant": PartyRole(_("applicant"), required=True, principal=True),
    "agent": PartyRole(_("agent"), representative=True),
    # A window clerk or a community grid worker who applied for the resident (a staff party, never notified).
    "assistant": PartyRole(pgettext_lazy("party role", "assisting staff member"), follows=False),
}

# The application's two clocks: 5 working days to accept (行政许可法 Art. 32), then the committed limit.
ACCEPTANCE, DECISION = "acceptance", "decision"


@dataclass(frozen=True)
class ApplicationFacts:
    """What the guards read, loaded once from the locked case by the service (no I/O here)."""

    missing: tuple[str, ...] = ()
    unanswered: tuple[str, ...] = ()  # labels of required questions of the application form left empty
    rongque_names: tuple[str, ...] = ()
    blacklisted: bool = False
    window_passed: bool = False
    correction_given: bool = False
    extended: bool = False
    instant: bool = False
    extension_pending: bool = False
    pending_request: bool = False
    rongque_outstanding: bool = False
    rongque_overdue: bool = False
    no_visit: bool = False
    approving: bool = False
    # given with one action
    promise_days: int | None = None
    promise_max_days: int = 0
    promise_signed: bool = False
    promise_by: Any = None  # the promised date (working days to it: ``promise_days``)
    correction_items: tuple[str, ...] = ()
    reason_code: str = ""
    guidance: str = ""
    pause_kind: str = ""
    method: str = ""
    tracking_number: str = ""
    at_return_hall: bool = False
    # the rows the facts were read from, for the transition's changes (not compared)
    app: Any = field(default=None, compare=False, repr=False)
    pending: Any = field(default=None, compare=False, repr=False)


# --- guards (pure) ---------------------------------------------------------------------------


def materials_complete(f: ApplicationFacts) -> Any:
    missing = f.missing
    if missing:
        return _("Required materials are missing: %(names)s.") % {"names": "、".join(missing)}
    return None


def rongque_allowed(f: ApplicationFacts) -> Any:
    missing = f.missing
    if not missing:
        return _("Nothing is missing: accept normally.")
    if f.blacklisted:
        return _("Applicants on the dishonesty black list cannot be accepted with missing materials (容缺).")
    not_allowed = [m for m in missing if m not in set(f.rongque_names)]
    if not_allowed:
        return _("These materials cannot be supplied later: %(names)s.") % {"names": "、".join(not_allowed)}
    days, limit = f.promise_days, f.promise_max_days
    if not days or days < 1:
        return _(
            "Give the date by which the applicant promises to supply the materials (a working day after today)."
        )
    if days > limit:
        if f.promise_by is not None:
            return _(
                "The promised date %(date)s is %(days)s working days away: the item allows at most %(limit)s."
            ) % {"date": f.promise_by.isoformat(), "days": days, "limit": limit}
        return _("The promised delay (%(days)s working days) is longer than allowed (%(limit)s).") % {
            "days": days,
            "limit": limit,
        }
    if not f.promise_signed:
        return _("The applicant must sign the promise.")
    return None


def form_complete(f: ApplicationFacts) -> Any:
    """Every required question of the application form (申请表) is answered."""
    if f.unanswered:
        return _("The application form is incomplete: %(names)s.") % {"names": "、".join(f.unanswered)}
    return None


def submission_complete(f: ApplicationFacts) -> Any:
    """Online submission: every required material, or the missing ones listed as 容缺-allowed with the
    promise signed (date and signature), as a window would accept them."""
    if not f.missing:
        return None
    if f.promise_signed:
        return rongque_allowed(f)
    rongque_possible = not f.blacklisted and set(f.missing) <= set(f.rongque_names)
    if rongque_possible:
        return _(
            "Required materials are missing: %(names)s. They may be supplied later (容缺): give the date "
            "and sign the promise."
        ) % {"names": "、".join(f.missing)}
    return materials_complete(f)


def correction_items_given(f: ApplicationFacts) -> Any:
    if not f.correction_items:
        return _("List everything to be corrected, all at once (一次性告知).")
    return None


def within_acceptance_window(f: ApplicationFacts) -> Any:
    if f.window_passed:
        return _(
            "More than %(n)s working days have passed since receipt: the application already counts as "
            "accepted on the day it was received."
        ) % {"n": ACCEPTANCE_WINDOW_DAYS}
    return None


def acceptance_window_passed(f: ApplicationFacts) -> Any:
    if not f.window_passed:
        return _("The %(n)s-working-day acceptance period has not passed.") % {"n": ACCEPTANCE_WINDOW_DAYS}
    if f.correction_given:
        return _("A correction notice was given in time.")
    return None


def refusal_reason_valid(f: ApplicationFacts) -> Any:
    if f.reason_code not in REFUSAL_REASONS:
        return _("Choose a reason from the list.")
    if not (f.guidance or "").strip():
        return _("Write guidance for the applicant: what they can do next.")
    return None


def pending_request(f: ApplicationFacts) -> Any:
    if not f.pending_request:
        return _("There is no pending request to decide.")
    return None


def extension_possible(f: ApplicationFacts) -> Any:
    if f.extended:
        return _("The time limit has already been extended once.")
    if f.extension_pending:
        return _("An extension request is already waiting for a supervisor.")
    if f.instant:
        return _("Instant items are decided on the spot and cannot be extended.")
    return None


def extension_pending(f: ApplicationFacts) -> Any:
    if not f.extension_pending:
        return _("There is no pending extension request.")
    if f.extended:
        return _("The time limit has already been extended once.")
    return None


def pause_kind_valid(f: ApplicationFacts) -> Any:
    if f.pause_kind not in REVIEW_PAUSE_KINDS:
        return _("Choose what the pause is for.")
    return None


def rongque_released(f: ApplicationFacts) -> Any:
    if f.rongque_outstanding and f.approving:
        return _("The result is held until the promised materials (容缺) arrive.")
    return None


def rongque_outstanding(f: ApplicationFacts) -> Any:
    if not f.rongque_outstanding:
        return _("No materials are outstanding.")
    return None


def rongque_overdue(f: ApplicationFacts) -> Any:
    if not f.rongque_overdue:
        return _("The promised materials are not overdue.")
    return None


def delivery_valid(f: ApplicationFacts) -> Any:
    method = f.method
    if method not in DELIVERY_METHODS:
        return _("Choose how the result is delivered.")
    if method == "pickup" and f.no_visit:
        return _("This item is handled without any visit: deliver by post or electronically.")
    if method == "pickup" and not f.at_return_hall:
        return _("The result is picked up at the hall the applicant chose.")
    if method == "post" and not (f.tracking_number or "").strip():
        return _("Enter the postal tracking number.")
    return None


def _t(
    name: str,
    sources: frozenset[str] | set[str],
    target: str,
    actors: frozenset[str] | set[str],
    label: Any,
    **kw: Any,
) -> tuple[str, Transition]:
    return name, Transition(
        name=name, sources=frozenset(sources), target=target, actors=frozenset(actors), label=label, **kw
    )


C = ClockEffect
# Acceptance stops the 5-day clock and starts the decision clock (the committed limit).
ACCEPT_CLOCKS = (ClockStep(C.STOP, ACCEPTANCE), ClockStep(C.START, DECISION))
TRANSITIONS = dict(
    [
        _t(
            "submit",
            {"draft"},
            "submitted",
            {APPLICANT},
            _("Submit"),
            clock=ClockStep(C.START, ACCEPTANCE),
            guards=(form_complete, submission_complete),
        ),
        _t(
            "start_pre_review",
            {"submitted", "received"},
            "pre_review",
            FRONT,
            _("Start pre-review"),
            public=False,
        ),
        _t(
            "accept",
            PRE_ACCEPT,
            "accepted",
            FRONT,
            _("Accept"),
            clock=ACCEPT_CLOCKS,
            guards=(form_complete, materials_complete),
        ),
        _t(
            "accept_rongque",
            PRE_ACCEPT,
            "accepted",
            FRONT,
            _("Accept with missing materials (容缺)"),
            clock=ACCEPT_CLOCKS,
            guards=(form_complete, rongque_allowed),
        ),
        _t(
            "deem_accept",
            PRE_ACCEPT,
            "accepted",
            {SYSTEM},
            _("Counts as accepted (no notice within 5 working days)"),
            clock=ACCEPT_CLOCKS,
            guards=(acceptance_window_passed,),
        ),
        _t(
            "request_correction",
            PRE_ACCEPT,
            "correction",
            FRONT,
            _("Request correction (补正)"),
            clock=ClockStep(C.PAUSE, ACCEPTANCE),
            guards=(within_acceptance_window, correction_items_given),
        ),
        _t(
            "answer_correction",
            {"correction"},
            "pre_review",
            {APPLICANT, CLERK, ASSISTANT},
            _("Correction supplied"),
            clock=ClockStep(C.RESUME, ACCEPTANCE),
        ),
        _t(
            "request_not_accept",
            PRE_ACCEPT | {"correction"},
            "refusal_pending",
            FRONT,
            _("Propose not to accept"),
            guards=(refusal_reason_valid,),
            needs_reason=True,
            public=False,
        ),
        _t(
            "approve_not_accept",
            {"refusal_pending"},
            "not_accepted",
            {SUPERVISOR},
            _("Not accepted"),
            clock=ClockStep(C.STOP, EVERY_CLOCK),
            guards=(pending_request,),
        ),
        _t(
            "send_back_not_accept",
            {"refusal_pending"},
            BACK,
            {SUPERVISOR},
            _("Refusal sent back"),
            guards=(pending_request,),
            needs_reason=True,
            public=False,
        ),
        _t("start_review", {"accepted"}, "under_review", {REVIEWER}, _("Review started")),
        _t(
            "suspend",
            {"under_review"},
            "suspended",
            {REVIEWER},
            _("Paused (time not counted)"),
            clock=ClockStep(C.PAUSE, DECISION),
            guards=(pause_kind_valid,),
            needs_reason=True,
        ),
        _t(
            "resume",
            {"suspended"},
            "under_review",
            {REVIEWER},
            _("Review resumed"),
            clock=ClockStep(C.RESUME, DECISION),
        ),
        _t(
            "request_extension",
            IN_REVIEW,
            STAY,
            {REVIEWER},
            _("Extension requested"),
            guards=(extension_possible,),
            needs_reason=True,
            public=False,
        ),
        _t(
            "approve_extension",
            IN_REVIEW,
            STAY,
            {SUPERVISOR},
            _("Time limit extended by 10 working days"),
            clock=ClockStep(C.EXTEND, DECISION),
            guards=(extension_pending,),
        ),
        _t(
            "refuse_extension",
            IN_REVIEW,
            STAY,
            {SUPERVISOR},
            _("Extension refused"),
            guards=(extension_pending,),
            public=False,
        ),
        _t(
            "approve",
            {"under_review"},
            "approved",
            {REVIEWER},
            pgettext_lazy("application decision", "Approved"),
            clock=ClockStep(C.STOP, DECISION),
        ),
        _t(
            "request_rejection",
            {"under_review"},
            "rejection_pending",
            {REVIEWER},
            _("Proposed rejection"),
            guards=(refusal_reason_valid,),
            needs_reason=True,
            public=False,
        ),
        _t(
            "approve_rejection",
            {"rejection_pending"},
            "rejected",
            {SUPERVISOR},
            _("Rejected"),
            clock=ClockStep(C.STOP, DECISION),
            guards=(pending_request,),
        ),
        _t(
            "send_back_rejection",
            {"rejection_pending"},
            "under_review",
            {SUPERVISOR},
            _("Rejection sent back"),
            guards=(pending_request,),
            needs_reason=True,
            public=False,
        ),
        _t(
            "issue_result",
            {"approved", "rejected"},
            "result_ready",
            {REVIEWER},
            _("Result ready"),
            guards=(rongque_released,),
        ),
        _t(
            "supply_materials",
            {"accepted", "under_review", "suspended", "approved", "rejection_pending"},
            STAY,
            {APPLICANT, CLERK, ASSISTANT},
            _("Promised materials supplied"),
            guards=(rongque_outstanding,),
        ),
        _t(
            "deliver",
            {"result_ready"},
            "delivered",
            {CLERK, REVIEWER},
            _("Result delivered"),
            guards=(delivery_valid,),
        ),
        _t("close", {"delivered"}, "closed", {CLERK, REVIEWER, SYSTEM}, _("Closed")),
        _t(
            "withdraw",
            {
                "draft",
                "submitted",
                "received",
                "pre_review",
                "correction",
                "accepted",
                "under_review",
                "suspended",
            },
            "withdrawn",
            {APPLICANT, CLERK},
            _("Withdrawn by the applicant"),
            clock=ClockStep(C.STOP, EVERY_CLOCK),
        ),
        _t(
            "terminate",
            {"accepted", "under_review", "suspended", "approved"},
            "terminated",
            {SYSTEM, SUPERVISOR},
            _("Terminated: promised materials not supplied"),
            clock=ClockStep(C.STOP, EVERY_CLOCK),
            guards=(rongque_overdue,),
        ),
    ]
)

# History lines that are not transitions.
EVENTS = {
    "receive": _("Received at a window"),
    "draft_create": _("Draft started"),
    "upload": _("Materials uploaded"),
    "attachment_add": _("File added"),
    "assist": _("Applied on the applicant's behalf (帮办代办)"),
    "answers": _("Application form changed"),
}

WORKFLOW = register(
    Workflow(
        kind=KIND,
        label=_("Item application"),
        statuses=STATUS_LABELS,
        initial=frozenset({"draft", "received"}),
        final=FINAL,
        private=frozenset({"draft"}),
        transitions=TRANSITIONS,
        capacities=CAPACITIES,
        viewers=frozenset({APPLICANT, FRONT_OFFICE, BACK_OFFICE, ASSISTANT}),
        parties=PARTIES,
        events=EVENTS,
    )
)


def transition_label(name: str) -> str:
    t = TRANSITIONS.get(name)
    return str(t.label) if t else name
