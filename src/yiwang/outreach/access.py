"""Who may use outreach: supervisors start screenings and see the figures; a grid worker sees and works only
the visits of their own community."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from yiwang.accounts.access import has_role, is_staff_user
from yiwang.accounts.roles import Role

if TYPE_CHECKING:
    from yiwang.accounts.access import Visitor


def access_screening(user: Visitor) -> bool:
    return is_staff_user(user) and has_role(user, Role.SUPERVISOR, Role.DEPT_ADMIN)


def access_figures(user: Visitor) -> bool:
    return access_screening(user)


def access_visits(user: Visitor) -> bool:
    return is_staff_user(user) and has_role(user, Role.GRID_WORKER) and user.community_id is not None


def access_visit(user: Visitor, visit: Any) -> bool:
    return is_staff_user(user) and access_visits(user) and visit.community_id == user.community_id


def access_register(user: Visitor) -> bool:
    """Import residents into the register."""
    return is_staff_user(user) and has_role(user, Role.DEPT_ADMIN)
