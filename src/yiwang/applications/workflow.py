"""The lifecycle of an item application (办件): a declarative table, no I/O (ARCHITECTURE.md, "Workflows").

    draft ─submit→ submitted ┐
    (window) ──────→ received ┴→ pre_review → accepted (also with missing materials, 容缺)
                                            → correction (补正; acceptance clock paused) → pre_review
                                            → refusal_pending ─supervisor→ not_accepted | back
    accepted → under_review ⇄ suspended (expert review, testing, hearing, site survey: time not counted)
    under_review → approved | rejection_pending ─supervisor→ rejected | back to under_review
    approved | rejected → result_ready → delivered → closed
    withdrawn (by the applicant) · terminated (容缺 materials never supplied)

Capacities (``actors``): applicant, clerk (front office, in the hall), reviewer (back office, in the
owning office), supervisor, system (sweeps). Guards read a ``facts`` mapping the service prepares.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext_lazy as _

from yiwang.cases.workflow import BACK, STAY, ClockEffect, Transition, Workflow, register

KIND = "application"

STATUSES = frozenset(
    {
        "draft",
        "submitted",
        "received",
        "pre_review",
        "correction",
        "refusal_pending",
        "not_accepted",
        "accepted",
        "under_review",
        "suspended",
        "rejection_pending",
        "approved",
        "rejected",
        "result_ready",
        "delivered",
        "closed",
        "withdrawn",
        "terminated",
    }
)
PRE_ACCEPT = frozenset({"submitted", "received", "pre_review"})
IN_REVIEW = frozenset({"under_review", "suspended"})
# Statuses in which the applicant still waits for acceptance (the 5-working-day rule applies).
AWAITING_ACCEPTANCE = PRE_ACCEPT
DECIDED = frozenset({"approved", "rejected", "result_ready", "delivered", "closed"})

# RULES.md §2: no correction notice within 5 working days of receipt ⇒ accepted on the day received.
ACCEPTANCE_WINDOW_DAYS = 5
EXTENSION_DAYS = 10  # 行政许可法 Art. 42, once, with the head's approval

# Controlled list of reasons for not accepting or rejecting (窗口无否决权: no free-text refusals).
REFUSAL_REASONS: dict[str, Any] = {
    "not_competent": _("The matter is not within this office's competence"),
    "not_licensable": _("The matter does not need a licence under the law"),
    "conditions_unmet": _("The applicant does not meet the legal conditions"),
    "materials_false": _("Materials are false or inconsistent"),
    "correction_unanswered": _("Correction was not supplied in time"),
    "prohibited": _("The law prohibits the requested activity"),
    "other_legal": _("Other legal ground (stated in the guidance)"),
}
PAUSE_KINDS: dict[str, Any] = {
    "expert_review": _("Expert review"),
    "testing": _("Testing, inspection or quarantine"),
    "hearing": _("Hearing"),
    "site_survey": _("Site survey"),
}
DELIVERY_METHODS: dict[str, Any] = {
    "pickup": _("Pick up at a hall"),
    "post": _("By post"),
    "electronic": _("Electronically"),
}

APPLICANT, CLERK, REVIEWER, SUPERVISOR, SYSTEM = "applicant", "clerk", "reviewer", "supervisor", "system"
FRONT = frozenset({CLERK, REVIEWER})  # online submissions are pre-reviewed by the owning office


# --- guards (pure) ---------------------------------------------------------------------------


def materials_complete(f: Mapping[str, Any]) -> Any:
    missing = f.get("missing", [])
    if missing:
        return _("Required materials are missing: %(names)s.") % {"names": "、".join(missing)}
    return None


def rongque_allowed(f: Mapping[str, Any]) -> Any:
    missing = f.get("missing", [])
    if not missing:
        return _("Nothing is missing: accept normally.")
    if f.get("blacklisted"):
        return _("Applicants on the dishonesty black list cannot be accepted with missing materials (容缺).")
    not_allowed = [m for m in missing if m not in set(f.get("rongque_names", []))]
    if not_allowed:
        return _("These materials cannot be supplied later: %(names)s.") % {"names": "、".join(not_allowed)}
    days, limit = f.get("promise_days"), f.get("promise_max_days", 0)
    if not days or days < 1:
        return _("Give the number of working days the applicant promises to supply the materials in.")
    if days > limit:
        return _("The promised delay (%(days)s working days) is longer than allowed (%(limit)s).") % {
            "days": days,
            "limit": limit,
        }
    if not f.get("promise_signed"):
        return _("The applicant must sign the promise.")
    return None


def correction_items_given(f: Mapping[str, Any]) -> Any:
    if not f.get("correction_items"):
        return _("List everything to be corrected, all at once (一次性告知).")
    return None


def within_acceptance_window(f: Mapping[str, Any]) -> Any:
    if f.get("window_passed"):
        return _(
            "More than %(n)s working days have passed since receipt: the application already counts as "
            "accepted on the day it was received."
        ) % {"n": ACCEPTANCE_WINDOW_DAYS}
    return None


def acceptance_window_passed(f: Mapping[str, Any]) -> Any:
    if not f.get("window_passed"):
        return _("The %(n)s-working-day acceptance period has not passed.") % {"n": ACCEPTANCE_WINDOW_DAYS}
    if f.get("correction_given"):
        return _("A correction notice was given in time.")
    return None


def refusal_reason_valid(f: Mapping[str, Any]) -> Any:
    if f.get("reason_code") not in REFUSAL_REASONS:
        return _("Choose a reason from the list.")
    if not (f.get("guidance") or "").strip():
        return _("Write guidance for the applicant: what they can do next.")
    return None


def pending_request(f: Mapping[str, Any]) -> Any:
    if not f.get("pending_request"):
        return _("There is no pending request to decide.")
    return None


def extension_possible(f: Mapping[str, Any]) -> Any:
    if f.get("extended"):
        return _("The time limit has already been extended once.")
    if f.get("extension_pending"):
        return _("An extension request is already waiting for a supervisor.")
    if f.get("instant"):
        return _("Instant items are decided on the spot and cannot be extended.")
    return None


def extension_pending(f: Mapping[str, Any]) -> Any:
    if not f.get("extension_pending"):
        return _("There is no pending extension request.")
    if f.get("extended"):
        return _("The time limit has already been extended once.")
    return None


def pause_kind_valid(f: Mapping[str, Any]) -> Any:
    if f.get("pause_kind") not in PAUSE_KINDS:
        return _("Choose what the pause is for.")
    return None


def rongque_released(f: Mapping[str, Any]) -> Any:
    if f.get("rongque_outstanding") and f.get("approving"):
        return _("The result is held until the promised materials (容缺) arrive.")
    return None


def rongque_outstanding(f: Mapping[str, Any]) -> Any:
    if not f.get("rongque_outstanding"):
        return _("No materials are outstanding.")
    return None


def rongque_overdue(f: Mapping[str, Any]) -> Any:
    if not f.get("rongque_overdue"):
        return _("The promised materials are not overdue.")
    return None


def delivery_valid(f: Mapping[str, Any]) -> Any:
    method = f.get("method")
    if method not in DELIVERY_METHODS:
        return _("Choose how the result is delivered.")
    if method == "pickup" and f.get("no_visit"):
        return _("This item is handled without any visit: deliver by post or electronically.")
    if method == "pickup" and not f.get("at_return_hall"):
        return _("The result is picked up at the hall the applicant chose.")
    if method == "post" and not (f.get("tracking_number") or "").strip():
        return _("Enter the postal tracking number.")
    return None


def withdraw_allowed(f: Mapping[str, Any]) -> Any:
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
TRANSITIONS = dict(
    [
        _t(
            "submit",
            {"draft"},
            "submitted",
            {APPLICANT},
            _("Submit"),
            clock=C.START,
            guards=(materials_complete,),
        ),
        _t(
            "start_pre_review",
            {"submitted", "received"},
            "pre_review",
            FRONT,
            _("Start pre-review"),
            public=False,
        ),
        _t("accept", PRE_ACCEPT, "accepted", FRONT, _("Accept"), clock=C.START, guards=(materials_complete,)),
        _t(
            "accept_rongque",
            PRE_ACCEPT,
            "accepted",
            FRONT,
            _("Accept with missing materials (容缺)"),
            clock=C.START,
            guards=(rongque_allowed,),
        ),
        _t(
            "deem_accept",
            PRE_ACCEPT,
            "accepted",
            {SYSTEM},
            _("Counts as accepted (no notice within 5 working days)"),
            clock=C.START,
            guards=(acceptance_window_passed,),
        ),
        _t(
            "request_correction",
            PRE_ACCEPT,
            "correction",
            FRONT,
            _("Request correction (补正)"),
            clock=C.PAUSE,
            guards=(within_acceptance_window, correction_items_given),
        ),
        _t(
            "answer_correction",
            {"correction"},
            "pre_review",
            {APPLICANT, CLERK},
            _("Correction supplied"),
            clock=C.RESUME,
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
            clock=C.STOP,
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
            clock=C.PAUSE,
            guards=(pause_kind_valid,),
            needs_reason=True,
        ),
        _t("resume", {"suspended"}, "under_review", {REVIEWER}, _("Review resumed"), clock=C.RESUME),
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
            clock=C.EXTEND,
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
        _t("approve", {"under_review"}, "approved", {REVIEWER}, _("Approved"), clock=C.STOP),
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
            clock=C.STOP,
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
            {APPLICANT, CLERK},
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
            clock=C.STOP,
            guards=(withdraw_allowed,),
        ),
        _t(
            "terminate",
            {"accepted", "under_review", "suspended", "approved"},
            "terminated",
            {SYSTEM, SUPERVISOR},
            _("Terminated: promised materials not supplied"),
            clock=C.STOP,
            guards=(rongque_overdue,),
        ),
    ]
)

WORKFLOW = register(
    Workflow(kind=KIND, statuses=STATUSES, initial=frozenset({"draft", "received"}), transitions=TRANSITIONS)
)


def transition_label(name: str) -> str:
    t = TRANSITIONS.get(name)
    return str(t.label) if t else name
