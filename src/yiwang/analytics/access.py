"""Who may read the dashboards and the assessment (built on accounts.access).

The dashboards and the department ranking: supervisors, department administrators, hall managers and the
bureau's service-quality supervisors. Staff scores: everyone on the staff sees their own; whose others
they see is ``selectors.staff_visible`` (a clerk never sees a colleague's)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from yiwang.accounts.access import has_role, is_staff_user
from yiwang.accounts.roles import Role

if TYPE_CHECKING:
    from yiwang.accounts.access import Visitor

READERS = (Role.SUPERVISOR, Role.DEPT_ADMIN, Role.HALL_MANAGER, Role.SERVICE_SUPERVISOR)


def access_dashboard(user: Visitor) -> bool:
    return is_staff_user(user) and has_role(user, *READERS)


def access_staff_scores(user: Visitor) -> bool:
    return is_staff_user(user) and has_role(user, *READERS, Role.CLERK, Role.REVIEWER)


def access_manage(user: Visitor) -> bool:
    """Publishing the formula and importing the third-party evaluation."""
    return is_staff_user(user) and has_role(user, Role.SERVICE_SUPERVISOR)
