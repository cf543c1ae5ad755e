"""The lifecycle of a construction project (深圳90): a declarative table, no I/O.

    registered ─submit_stage (stage 1)→ in_approval ─(stage 3's gate: the construction permit)→ permitted
    in_approval | permitted ─submit_stage (stages 2–4, each after the gate of the one before)→ (stays)
    permitted ─(stage 4's gate: completion acceptance)→ completed
    registered ─withdraw→ withdrawn

Submitting a stage files the stage's item applications (child cases of kind ``application``, through the
applications services) at once; the project moves on when their outcomes reach it (post-commit events).
The project's ``budget`` clock (working days, the plan's budget) starts with stage 1 and stops at the
permit. Capacities: the owner (the enterprise or government unit) and its agent; the coordinator
(统筹协调) district-wide; the offices of the project's items (co-handling assignments), which read it.
"""

from __future__ import annotations

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

KIND = "construction"
BUDGET = "budget"

STATUS_LABELS: dict[str, Any] = {
    "registered": pgettext_lazy("construction status", "Registered, stage 1 not yet submitted"),
    "in_approval": pgettext_lazy("construction status", "In approval"),
    "permitted": pgettext_lazy("construction status", "Construction permit issued"),
    "completed": pgettext_lazy("construction status", "Completion accepted"),
    "withdrawn": pgettext_lazy("construction status", "Withdrawn"),
}
FINAL = frozenset({"completed", "withdrawn"})

OWNER, COORDINATOR, ITEM_OFFICE = "owner", "coordinator", "item_office"
CAPACITIES: dict[str, Capacity] = {
    OWNER: PartyCapacity(frozenset({"owner", "agent"}), label=_("Project owner"), staff=False),
    COORDINATOR: RoleCapacity(frozenset({Role.PROJECT_COORDINATOR}), label=_("Project coordinator")),
    ITEM_OFFICE: OfficeCapacity(
        frozenset({Role.REVIEWER, Role.SUPERVISOR, Role.DEPT_ADMIN}),
        assignment=frozenset({CaseAssignment.CO_HANDLING}),
        label=_("Office of one of the project's items"),
    ),
}
PARTIES = {
    "owner": PartyRole(_("owner"), required=True, principal=True),
    "agent": PartyRole(_("agent"), representative=True),
}

C = ClockEffect
T = Transition
TRANSITIONS = {
    "submit_first": T(
        "submit_first",
        frozenset({"registered"}),
        "in_approval",
        frozenset({OWNER}),
        label=_("Submit the stage's form"),
        clock=ClockStep(C.START, BUDGET, ClockUnit.WORKING_DAYS, primary=True),
    ),
    "submit_stage": T(
        "submit_stage",
        frozenset({"in_approval", "permitted"}),
        STAY,
        frozenset({OWNER}),
        label=_("Submit the stage's form"),
    ),
    "permit": T(
        "permit",
        frozenset({"in_approval"}),
        "permitted",
        frozenset({SYSTEM}),
        label=_("Construction permit issued"),
        clock=ClockStep(C.STOP, BUDGET),
    ),
    "complete": T(
        "complete",
        frozenset({"permitted"}),
        "completed",
        frozenset({SYSTEM}),
        label=_("Completion accepted"),
        clock=ClockStep(C.STOP, EVERY_CLOCK),
    ),
    "withdraw": T(
        "withdraw",
        frozenset({"registered"}),
        "withdrawn",
        frozenset({OWNER}),
        label=_("Withdraw the project"),
        needs_reason=True,
    ),
}

WORKFLOW = register(
    Workflow(
        kind=KIND,
        label=_("construction project"),
        statuses=STATUS_LABELS,
        initial=frozenset({"registered"}),
        final=FINAL,
        transitions=TRANSITIONS,
        capacities=CAPACITIES,
        viewers=frozenset({OWNER, COORDINATOR, ITEM_OFFICE}),
        parties=PARTIES,
        number_format="JS{year}{seq:06d}",
    )
)


def status_label(status: str) -> str:
    return WORKFLOW.status_label(status)


def transition_label(name: str) -> str:
    t = WORKFLOW.get(name)
    if name == "create":
        return str(_("Project registered"))
    return str(t.label) if t is not None else name
