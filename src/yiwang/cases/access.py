"""Who may see, list and act on a case — in one module, for every kind, from the workflow's capacities.

"May this user see this case" (``access_case_view``) and "which cases may this user list"
(``cases_visible``) are answered by the same capacity resolvers (``Workflow.capacities``, named in
``Workflow.viewers``), so they cannot disagree; "may this user act in this capacity" is
``access_case_act``. A case in a *private* status (a draft) is seen only by its parties' capacities
(``staff=False``). Nothing here names a kind, a status or a capacity.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from yiwang.accounts.access import access_unmask, is_applicant, is_staff_user

from .models import Case
from .workflow import SYSTEM, Transition, Workflow, workflow_for, workflows

if TYPE_CHECKING:
    from yiwang.accounts.access import Visitor
    from yiwang.accounts.models import Person, User


def _capacity_holds(wf: Workflow, name: str, user: Visitor, case: Case) -> bool:
    if name == SYSTEM:
        return user is None
    capacity = wf.capacities.get(name)
    if capacity is None or user is None:
        return False
    if case.status in wf.private and capacity.staff:
        return False
    return bool(capacity.holds(user, case))


def access_case_act(user: Visitor, case: Case, capacity: str) -> bool:
    """May fire a transition in ``capacity`` (one of the capacities the case's workflow declares)."""
    return _capacity_holds(workflow_for(case.kind), capacity, user, case)


def case_capacity(user: Visitor, case: Case, transition: Transition) -> str | None:
    """The capacity in which ``user`` may fire ``transition`` on ``case``: the first, in the workflow's
    order of capacities, that the transition allows and the user holds (``system`` for no user)."""
    if user is None:
        return SYSTEM if SYSTEM in transition.actors else None
    wf = workflow_for(case.kind)
    for name in wf.capacities:
        if name in transition.actors and _capacity_holds(wf, name, user, case):
            return name
    return None


def case_capacities(user: Visitor, case: Case) -> list[str]:
    """Every capacity the user holds on the case (for rendering the actions they may take)."""
    wf = workflow_for(case.kind)
    return [name for name in wf.capacities if _capacity_holds(wf, name, user, case)]


def access_case_view(user: Visitor, case: Case) -> bool:
    """May read the case (history, materials, notices)."""
    wf = workflow_for(case.kind)
    return any(_capacity_holds(wf, name, user, case) for name in wf.viewers)


def access_case_party(user: Visitor, case: Case) -> bool:
    """The user reads the case as one of its parties (not as staff)."""
    wf = workflow_for(case.kind)
    return is_applicant(user) and any(
        not wf.capacities[name].staff and _capacity_holds(wf, name, user, case) for name in wf.viewers
    )


def cases_visible_q(user: Visitor, *, kind: str | None = None, staff_only: bool = False) -> Q:
    """The cases ``access_case_view`` allows, as a query (every kind, or one)."""
    q = Q(pk__in=[])
    for wf in workflows():
        if kind is not None and wf.kind != kind:
            continue
        for name in sorted(wf.viewers):
            capacity = wf.capacities[name]
            if staff_only and not capacity.staff:
                continue
            part = capacity.cases_q(user)
            if capacity.staff and wf.private:
                part &= ~Q(status__in=sorted(wf.private))
            q |= Q(kind=wf.kind) & part
    return q


def cases_visible(user: Visitor, *, kind: str | None = None, staff_only: bool = False) -> QuerySet[Case]:
    """The cases the user may see (``access_case_view`` as a queryset)."""
    return Case.objects.filter(cases_visible_q(user, kind=kind, staff_only=staff_only))


def cases_acting_q(user: Visitor, case_kind: str, capacity: str) -> Q:
    """The cases of a kind on which the user holds ``capacity`` (e.g. a supervisor's approvals)."""
    wf = workflow_for(case_kind)
    cap = wf.capacities.get(capacity)
    if cap is None:
        return Q(pk__in=[])
    q = Q(kind=case_kind) & cap.cases_q(user)
    return q & ~Q(status__in=sorted(wf.private)) if cap.staff and wf.private else q


def access_case_note(user: Visitor, case: Case) -> bool:
    """Internal notes: staff who may see the case."""
    return is_staff_user(user) and access_case_view(user, case)


def access_case_unmask(user: Visitor, case: Case) -> bool:
    """Full identifiers of the case's parties: staff handling the case who hold an unmask role."""
    return access_unmask(user) and access_case_view(user, case)


def person_in_own_cases(user: User, person: Person) -> bool:
    """Unmasking scope (``accounts.access.register_unmask_scope``): the person is a party of a case the
    staff member may read."""
    return Case.objects.filter(cases_visible_q(user, staff_only=True), parties__person=person).exists()
