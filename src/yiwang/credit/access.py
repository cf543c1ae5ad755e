"""Who may use the credit pages and operations (built on accounts.access)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from yiwang.accounts.access import has_role, is_applicant, is_staff_user
from yiwang.accounts.roles import Role

if TYPE_CHECKING:
    from yiwang.accounts.access import Visitor

# Record search and subject pages show personal data (masked): the credit officers and the supervisors.
SEARCH_ROLES = (Role.CREDIT_OFFICER, Role.SUPERVISOR)
FIGURE_ROLES = (Role.CREDIT_OFFICER, Role.SUPERVISOR, Role.DEPT_ADMIN)


def access_records(user: Visitor) -> bool:
    """Record search, a subject's credit page, import history."""
    return is_staff_user(user) and has_role(user, *SEARCH_ROLES)


def access_manage(user: Visitor) -> bool:
    """Import and push records, credit repair, list rules: the credit officers (信用管理员)."""
    return is_staff_user(user) and has_role(user, Role.CREDIT_OFFICER)


def access_figures(user: Visitor) -> bool:
    return is_staff_user(user) and has_role(user, *FIGURE_ROLES)


def access_rules(user: Visitor) -> bool:
    """The published list rules: anyone."""
    return True


def access_own_standing(user: Visitor) -> bool:
    """An applicant's own standing (and their enterprises') in the portal."""
    return is_applicant(user)
