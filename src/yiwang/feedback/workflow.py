"""Two kinds of case of the complaints post, as declarative tables (no I/O).

Rectification of a bad review (整改)::

    open ─callback→ called_back ─rectify→ rectified ─rate (the reviewer) | close (the office)→ closed
    open | called_back ─appeal (the office, with reasons)→ appealed
    appealed ─uphold_appeal (bureau supervisor)→ excluded      (the review leaves the scores; never deleted)
    appealed ─dismiss_appeal (bureau supervisor)→ back to open | called_back

The ``rectify`` clock (15 working days by default, settings.FEEDBACK["rectify_days"]) starts with the case,
pauses while an appeal waits and stops at the rectification. A real-name reviewer must be called back first.

Complaint about service (the complaints post's log)::

    logged ─handle→ handling ─reply→ replied
    logged | handling ─transfer→ handling (another office) ; reply stops the ``reply`` clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from yiwang.accounts.roles import Role
from yiwang.cases.capacities import OfficeCapacity, PartyCapacity, RoleCapacity
from yiwang.cases.workflow import (
    BACK,
    EVERY_CLOCK,
    SYSTEM,
    Capacity,
    ClockEffect,
    ClockStep,
    PartyRole,
    Transition,
    Workflow,
    register,
)

RECTIFICATION, COMPLAINT = "rectification", "complaint"
RECTIFY, REPLY = "rectify", "reply"
OFFICE, REVIEWER, BUREAU, POST, COMPLAINANT = "office", "reviewer", "bureau", "post", "complainant"
OFFICE_ROLES = frozenset({Role.REVIEWER, Role.SUPERVISOR, Role.DEPT_ADMIN})

C = ClockEffect
T = Transition

RECT_STATUSES: dict[str, Any] = {
    "open": pgettext_lazy("rectification status", "To call back and rectify"),
    "called_back": pgettext_lazy("rectification status", "Called back"),
    "rectified": pgettext_lazy("rectification status", "Rectified, the reviewer told"),
    "appealed": pgettext_lazy("rectification status", "Appeal awaiting the bureau"),
    "closed": pgettext_lazy("rectification status", "Closed"),
    "excluded": pgettext_lazy("rectification status", "Appeal upheld: review excluded"),
}


@dataclass(frozen=True)
class RectificationFacts:
    real_name: bool = False
    called_back: bool = False
    findings: str = ""
    actions: str = ""
    rating: int | None = None


def _called_back_if_real_name(f: RectificationFacts) -> Any:
    if f.real_name and not f.called_back:
        return _("Call the reviewer back first: every real-name bad review gets a callback.")
    return None


def _has_findings(f: RectificationFacts) -> Any:
    if not f.findings.strip() or not f.actions.strip():
        return _("Write what the office found and what it did.")
    return None


def _has_rating(f: RectificationFacts) -> Any:
    return None if f.rating in {1, 2, 3, 4, 5} else _("Choose a level from 1 to 5.")


RECT_CAPACITIES: dict[str, Capacity] = {
    OFFICE: OfficeCapacity(OFFICE_ROLES, label=_("Responsible office")),
    BUREAU: RoleCapacity(frozenset({Role.SERVICE_SUPERVISOR}), label=_("Service-quality supervisor")),
    REVIEWER: PartyCapacity(frozenset({"reviewer"}), label=_("Reviewer"), staff=False),
}
RECT_TRANSITIONS = {
    "callback": T(
        "callback", frozenset({"open"}), "called_back", frozenset({OFFICE}), label=_("Record the callback")
    ),
    "rectify": T(
        "rectify",
        frozenset({"open", "called_back"}),
        "rectified",
        frozenset({OFFICE}),
        label=_("Record the rectification and tell the reviewer"),
        guards=(_called_back_if_real_name, _has_findings),
        clock=ClockStep(C.STOP, RECTIFY),
    ),
    "rate": T(
        "rate",
        frozenset({"rectified"}),
        "closed",
        frozenset({REVIEWER, SYSTEM}),
        label=_("Rate the rectification"),
        guards=(_has_rating,),
    ),
    "close": T(
        "close",
        frozenset({"rectified"}),
        "closed",
        frozenset({OFFICE, SYSTEM}),
        label=pgettext_lazy("case action", "Close"),
    ),
    "appeal": T(
        "appeal",
        frozenset({"open", "called_back"}),
        "appealed",
        frozenset({OFFICE}),
        label=_("Appeal: the review is mistaken or malicious"),
        needs_reason=True,
        clock=ClockStep(C.PAUSE, RECTIFY),
    ),
    "uphold_appeal": T(
        "uphold_appeal",
        frozenset({"appealed"}),
        "excluded",
        frozenset({BUREAU}),
        label=_("Uphold the appeal"),
        needs_reason=True,
        clock=ClockStep(C.STOP, EVERY_CLOCK),
    ),
    "dismiss_appeal": T(
        "dismiss_appeal",
        frozenset({"appealed"}),
        BACK,
        frozenset({BUREAU}),
        label=_("Dismiss the appeal"),
        needs_reason=True,
        clock=ClockStep(C.RESUME, RECTIFY),
    ),
}
RECT_WORKFLOW = register(
    Workflow(
        kind=RECTIFICATION,
        label=_("bad-review rectification"),
        statuses=RECT_STATUSES,
        initial=frozenset({"open"}),
        final=frozenset({"closed", "excluded"}),
        transitions=RECT_TRANSITIONS,
        capacities=RECT_CAPACITIES,
        viewers=frozenset({OFFICE, BUREAU, REVIEWER}),
        parties={"reviewer": PartyRole(_("reviewer"), principal=True)},
        number_format="ZG{office}{year}{seq:06d}",
    )
)

COMPLAINT_STATUSES: dict[str, Any] = {
    "logged": pgettext_lazy("complaint status", "Logged"),
    "handling": pgettext_lazy("complaint status", "Being handled"),
    "replied": pgettext_lazy("complaint status", "Replied"),
}


@dataclass(frozen=True)
class ComplaintFacts:
    reply: str = ""


def _has_reply(f: ComplaintFacts) -> Any:
    return None if f.reply.strip() else _("Write the reply to the complainant.")


COMPLAINT_CAPACITIES: dict[str, Capacity] = {
    POST: RoleCapacity(frozenset({Role.SERVICE_SUPERVISOR}), label=_("Complaints post")),
    OFFICE: OfficeCapacity(OFFICE_ROLES, label=_("Responsible office")),
    COMPLAINANT: PartyCapacity(frozenset({"complainant"}), label=_("Complainant"), staff=False),
}
COMPLAINT_TRANSITIONS = {
    "handle": T("handle", frozenset({"logged"}), "handling", frozenset({POST, OFFICE}), label=_("Take up")),
    "transfer": T(
        "transfer",
        frozenset({"logged", "handling"}),
        "handling",
        frozenset({POST}),
        label=_("Send to the responsible office"),
        needs_reason=True,
    ),
    "reply": T(
        "reply",
        frozenset({"logged", "handling"}),
        "replied",
        frozenset({POST, OFFICE}),
        label=_("Reply to the complainant"),
        guards=(_has_reply,),
        clock=ClockStep(C.STOP, EVERY_CLOCK),
    ),
}
COMPLAINT_WORKFLOW = register(
    Workflow(
        kind=COMPLAINT,
        label=_("complaint about service"),
        statuses=COMPLAINT_STATUSES,
        initial=frozenset({"logged"}),
        final=frozenset({"replied"}),
        transitions=COMPLAINT_TRANSITIONS,
        capacities=COMPLAINT_CAPACITIES,
        viewers=frozenset({POST, OFFICE, COMPLAINANT}),
        parties={"complainant": PartyRole(_("complainant"), principal=True)},
        number_format="TS{office}{year}{seq:06d}",
    )
)


def status_label(kind: str, status: str) -> str:
    wf = RECT_WORKFLOW if kind == RECTIFICATION else COMPLAINT_WORKFLOW
    return wf.status_label(status)
