"""Who may see and act on a case (built on ``yiwang.accounts.access``).

* applicants: their own cases, cases of enterprises they may act for, and cases they filed as agent;
* front office (clerks, hall managers, supervisors posted to a hall): cases received at, or returning
  their result to, their hall;
* back office (reviewers, supervisors, department administrators): cases owned by their office.
"""

from __future__ import annotations

from typing import Any

from yiwang.accounts.access import (
    access_hall,
    access_office,
    access_party,
    acting_person,
    has_role,
    is_applicant,
    is_staff_user,
)
from yiwang.accounts.roles import Role


def _case_halls(case: Any) -> list[Any]:
    return [h for h in (case.receiving_hall, case.return_hall) if h is not None]


def access_case_party(user: Any, case: Any) -> bool:
    """The user is the applicant, acts for the applicant enterprise, or filed the case as agent."""
    if not is_applicant(user):
        return False
    me = acting_person(user)
    if me is None:
        return False
    if case.agent_id is not None and case.agent_id == me.pk:
        return True
    if case.applicant_enterprise_id is not None:
        return access_party(user, enterprise=case.applicant_enterprise)
    return access_party(user, person=case.applicant_person)


def access_case_front_office(user: Any, case: Any) -> bool:
    return bool(
        has_role(user, Role.CLERK, Role.HALL_MANAGER, Role.SUPERVISOR)
        and any(access_hall(user, h) for h in _case_halls(case))
    )


def access_case_back_office(user: Any, case: Any) -> bool:
    return bool(
        has_role(user, Role.REVIEWER, Role.SUPERVISOR, Role.DEPT_ADMIN)
        and access_office(user, case.owning_office)
    )


def access_case_view(user: Any, case: Any) -> bool:
    """May read the case (history, materials, notices)."""
    if is_applicant(user):
        return access_case_party(user, case)
    if not is_staff_user(user) or case.status == "draft":  # a draft is the applicant's own until submitted
        return False
    return access_case_front_office(user, case) or access_case_back_office(user, case)


def access_case_act(user: Any, case: Any, actor_role: str) -> bool:
    """May fire a transition in the given capacity (the workflow table names the capacities)."""
    if actor_role == "applicant":
        return access_case_party(user, case)
    if not is_staff_user(user) or case.status == "draft":
        return False
    if actor_role == "clerk":
        return has_role(user, Role.CLERK) and any(access_hall(user, h) for h in _case_halls(case))
    if actor_role == "reviewer":
        return has_role(user, Role.REVIEWER) and access_office(user, case.owning_office)
    if actor_role == "supervisor":
        return has_role(user, Role.SUPERVISOR) and (
            access_office(user, case.owning_office) or any(access_hall(user, h) for h in _case_halls(case))
        )
    return False


def access_case_note(user: Any, case: Any) -> bool:
    """Internal notes: staff who may see the case."""
    return is_staff_user(user) and access_case_view(user, case)


def access_case_unmask(user: Any, case: Any) -> bool:
    """Full identifiers of the case's applicant: staff handling the case who hold an unmask role."""
    from yiwang.accounts.access import access_unmask

    return access_unmask(user) and access_case_view(user, case)
