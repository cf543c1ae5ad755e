"""Who may use the construction pages and operations (built on accounts.access and the kernel's access)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from yiwang.accounts.access import has_role, is_applicant, is_staff_user
from yiwang.accounts.roles import Role
from yiwang.cases.access import access_case_act, access_case_view

from . import workflow as wf

if TYPE_CHECKING:
    from yiwang.accounts.access import Visitor
    from yiwang.cases.models import Case

OFFICE_ROLES = (Role.REVIEWER, Role.SUPERVISOR, Role.DEPT_ADMIN)


def access_owner_portal(user: Visitor) -> bool:
    """An owner's agent (signed-in applicant) lists and registers projects."""
    return is_applicant(user)


def access_project_own(user: Visitor, case: Case) -> bool:
    return is_applicant(user) and access_case_act(user, case, wf.OWNER)


def access_board(user: Visitor) -> bool:
    """The coordinator's board (统筹协调), and each office's own items in their projects."""
    return is_staff_user(user) and (
        has_role(user, Role.PROJECT_COORDINATOR)
        or (user.office_id is not None and has_role(user, *OFFICE_ROLES))
    )


def access_project_staff(user: Visitor, case: Case) -> bool:
    return is_staff_user(user) and access_case_view(user, case)


def access_figures(user: Visitor) -> bool:
    return is_staff_user(user) and has_role(user, Role.PROJECT_COORDINATOR, Role.SUPERVISOR, Role.DEPT_ADMIN)


def access_plans(user: Visitor) -> bool:
    """Reading the plans: coordinators and system administrators (who edit them in the admin)."""
    return is_staff_user(user) and has_role(user, Role.PROJECT_COORDINATOR, Role.SYS_ADMIN)


def access_plan_edit(user: Visitor) -> bool:
    """Saving a new version of a plan: system administrators."""
    return is_staff_user(user) and has_role(user, Role.SYS_ADMIN)
