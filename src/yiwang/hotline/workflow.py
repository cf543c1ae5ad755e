"""The lifecycle of a 12345 hotline ticket: a declarative table, no I/O (docs/architecture.md, "Workflows").

    received ─dispatch→ dispatched ─accept→ accepted ─reply→ replied ─callback→ closed
                        dispatched ─return (退单, within the window)→ returned ─reassign (转派)→ dispatched
                        dispatched | accepted ─reassign→ dispatched (another office)
    accepted: answer_part (co-handling offices), request_extension → decide_extension (supervisor)
    replied ─callback (unsatisfied)→ unsatisfied ─reopen (supervisor, once)→ accepted | ─close→ closed
    received | dispatched | returned | accepted ─merge→ merged (shares the main ticket's handling and reply)

The handling clock starts when the ticket is received and keeps running through returns and
reassignments (docs/rules.md §6); the return window and the callback are clocks of their own.
Capacities: the operator (话务员) and the dispatcher (派单员) work district-wide; the office (lead), its
co-handling offices and its supervisor (督办) act on their own tickets; the caller follows online.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from yiwang.accounts.roles import Role
from yiwang.cases.capacities import OfficeCapacity, PartyCapacity, RoleCapacity
from yiwang.cases.models import CaseAssignment
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

KIND = "hotline"

STATUS_LABELS: dict[str, Any] = {
    "received": pgettext_lazy("hotline status", "Received"),
    "dispatched": pgettext_lazy("hotline status", "Dispatched to an office"),
    "returned": pgettext_lazy("hotline status", "Returned to the dispatcher"),
    "accepted": pgettext_lazy("hotline status", "Being handled"),
    "replied": pgettext_lazy("hotline status", "Replied, awaiting callback"),
    "unsatisfied": pgettext_lazy("hotline status", "Caller unsatisfied, awaiting the supervisor"),
    "closed": pgettext_lazy("hotline status", "Closed"),
    "merged": pgettext_lazy("hotline status", "Merged into another ticket"),
}
FINAL = frozenset({"closed", "merged"})
MERGEABLE = frozenset({"received", "dispatched", "returned", "accepted"})
WITH_OFFICE = frozenset({"dispatched", "accepted"})

OPERATOR, DISPATCHER, OFFICE, CO_HANDLER, SUPERVISOR, CALLER = (
    "operator",
    "dispatcher",
    "office",
    "co_handler",
    "supervisor",
    "caller",
)
OFFICE_VIEW = "office_view"
HANDLING, RETURN_WINDOW, CALLBACK = "handling", "return_window", "callback"
OFFICE_ROLES = frozenset({Role.REVIEWER, Role.SUPERVISOR, Role.DEPT_ADMIN})
CAPACITIES: dict[str, Capacity] = {
    OPERATOR: RoleCapacity(frozenset({Role.HOTLINE_OPERATOR}), label=_("Hotline operator")),
    DISPATCHER: RoleCapacity(frozenset({Role.DISPATCHER}), label=_("Hotline dispatcher")),
    OFFICE: OfficeCapacity(frozenset({Role.REVIEWER}), label=_("Handling office")),
    CO_HANDLER: OfficeCapacity(
        frozenset({Role.REVIEWER}),
        assignment=frozenset({CaseAssignment.CO_HANDLING}),
        label=_("Co-handling office"),
    ),
    SUPERVISOR: OfficeCapacity(frozenset({Role.SUPERVISOR}), label=_("Supervisor of the handling office")),
    OFFICE_VIEW: OfficeCapacity(
        OFFICE_ROLES,
        assignment=frozenset({CaseAssignment.LEAD, CaseAssignment.CO_HANDLING}),
        label=_("Handling or co-handling office"),
    ),
    CALLER: PartyCapacity(frozenset({"caller"}), label=_("Caller"), staff=False),
}
PARTIES = {"caller": PartyRole(_("caller"), required=True, many=True, principal=True)}


@dataclass(frozen=True)
class TicketFacts:
    """What the guards read, loaded once from the locked case by the service."""

    return_window_open: bool = True
    parts_missing: tuple[str, ...] = ()
    extension_pending: bool = False
    reopened: int = 0
    reopen_max: int = 1
    reply_text: str = ""
    rating: str = ""
    same_office: bool = False


def _in_window(f: TicketFacts) -> Any:
    return None if f.return_window_open else _("The window for returning this ticket has passed.")


def _parts_answered(f: TicketFacts) -> Any:
    if f.parts_missing:
        return _("Co-handling offices have not answered yet: %(offices)s.") % {
            "offices": "、".join(f.parts_missing)
        }
    return None


def _has_reply(f: TicketFacts) -> Any:
    return None if f.reply_text.strip() else _("Write the reply to the caller.")


def _satisfied(f: TicketFacts) -> Any:
    return None if f.rating in {"satisfied", "basic"} else _("Not a satisfied rating.")


def _unsatisfied(f: TicketFacts) -> Any:
    return None if f.rating == "unsatisfied" else _("Not an unsatisfied rating.")


def _may_reopen(f: TicketFacts) -> Any:
    if f.reopened >= f.reopen_max:
        return _("This ticket has already been reopened %(n)d times.") % {"n": f.reopened}
    return None


def _no_extension_pending(f: TicketFacts) -> Any:
    return _("An extension request is already waiting for a decision.") if f.extension_pending else None


def _extension_pending(f: TicketFacts) -> Any:
    return None if f.extension_pending else _("No extension request is waiting.")


def _other_office(f: TicketFacts) -> Any:
    return _("Choose another office.") if f.same_office else None


C = ClockEffect
T = Transition
TRANSITIONS = {
    "dispatch": T(
        "dispatch",
        frozenset({"received"}),
        "dispatched",
        frozenset({DISPATCHER}),
        label=_("Dispatch"),
        clock=ClockStep(C.START, RETURN_WINDOW, ClockUnit.WORKING_DAYS, primary=False),
    ),
    "accept": T(
        "accept",
        frozenset({"dispatched"}),
        "accepted",
        frozenset({OFFICE}),
        label=pgettext_lazy("ticket", "Accept"),
        clock=ClockStep(C.STOP, RETURN_WINDOW),
    ),
    "return": T(
        "return",
        frozenset({"dispatched"}),
        "returned",
        frozenset({OFFICE}),
        label=_("Return to the dispatcher (退单)"),
        guards=(_in_window,),
        needs_reason=True,
        clock=ClockStep(C.STOP, RETURN_WINDOW),
    ),
    "reassign": T(
        "reassign",
        frozenset({"returned", "dispatched", "accepted"}),
        "dispatched",
        frozenset({DISPATCHER}),
        label=_("Reassign (转派)"),
        guards=(_other_office,),
        needs_reason=True,
        clock=ClockStep(C.START, RETURN_WINDOW, ClockUnit.WORKING_DAYS, primary=False),
    ),
    "answer_part": T(
        "answer_part", frozenset({"accepted"}), STAY, frozenset({CO_HANDLER}), label=_("Answer our part")
    ),
    "request_extension": T(
        "request_extension",
        frozenset({"accepted"}),
        STAY,
        frozenset({OFFICE}),
        label=_("Ask for more time"),
        guards=(_no_extension_pending,),
        needs_reason=True,
    ),
    "decide_extension": T(
        "decide_extension",
        frozenset({"accepted"}),
        STAY,
        frozenset({SUPERVISOR}),
        label=_("Decide the extension"),
        guards=(_extension_pending,),
        clock=ClockStep(C.EXTEND, HANDLING),
    ),
    "refuse_extension": T(
        "refuse_extension",
        frozenset({"accepted"}),
        STAY,
        frozenset({SUPERVISOR}),
        label=_("Refuse the extension"),
        guards=(_extension_pending,),
    ),
    "reply": T(
        "reply",
        frozenset({"accepted"}),
        "replied",
        frozenset({OFFICE}),
        label=_("Reply to the caller"),
        guards=(_has_reply, _parts_answered),
        clock=(
            ClockStep(C.STOP, HANDLING),
            ClockStep(C.START, CALLBACK, ClockUnit.WORKING_DAYS, primary=True),
        ),
    ),
    "callback": T(
        "callback",
        frozenset({"replied"}),
        "closed",
        frozenset({OPERATOR, SYSTEM}),
        label=_("Record the callback"),
        guards=(_satisfied,),
        clock=ClockStep(C.STOP, EVERY_CLOCK),
    ),
    "callback_unsatisfied": T(
        "callback_unsatisfied",
        frozenset({"replied"}),
        "unsatisfied",
        frozenset({OPERATOR, SYSTEM}),
        label=_("Record the callback"),
        guards=(_unsatisfied,),
        clock=ClockStep(C.STOP, EVERY_CLOCK),
    ),
    "reopen": T(
        "reopen",
        frozenset({"unsatisfied"}),
        "accepted",
        frozenset({SUPERVISOR}),
        label=_("Reopen for handling"),
        guards=(_may_reopen,),
        needs_reason=True,
        clock=ClockStep(C.START, HANDLING, ClockUnit.WORKING_DAYS, primary=True),
    ),
    "close": T(
        "close",
        frozenset({"unsatisfied"}),
        "closed",
        frozenset({SUPERVISOR}),
        label=pgettext_lazy("case action", "Close"),
    ),
    "merge": T(
        "merge",
        MERGEABLE,
        "merged",
        frozenset({OPERATOR, DISPATCHER}),
        label=_("Merge into another ticket"),
        clock=ClockStep(C.STOP, EVERY_CLOCK),
    ),
}

WORKFLOW = register(
    Workflow(
        kind=KIND,
        label=_("hotline ticket"),
        statuses=STATUS_LABELS,
        initial=frozenset({"received"}),
        final=FINAL,
        transitions=TRANSITIONS,
        capacities=CAPACITIES,
        viewers=frozenset({OPERATOR, DISPATCHER, OFFICE_VIEW, CALLER}),
        parties=PARTIES,
        number_format="RX{year}{seq:07d}",
    )
)


def status_label(status: str) -> str:
    return WORKFLOW.status_label(status)


def transition_label(name: str) -> str:
    t = WORKFLOW.get(name)
    if name == "create":
        return str(pgettext_lazy("ticket", "Received"))
    return str(t.label) if t is not None else name
