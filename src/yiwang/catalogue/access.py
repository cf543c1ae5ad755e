"""Who may maintain catalogue items. (Reading published guides is public.)

Department administrators maintain their own department's items; the system administrator maintains all.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from yiwang.accounts.access import access_workbench, has_role, is_staff_user
from yiwang.accounts.roles import Role

if TYPE_CHECKING:
    from yiwang.accounts.access import Visitor


def access_catalogue_admin(user: Visitor) -> bool:
    """May open the catalogue's maintenance screens at all."""
    return is_staff_user(user) and has_role(user, Role.SYS_ADMIN, Role.DEPT_ADMIN)


def access_catalogue_department(user: Visitor, department_id: int | None) -> bool:
    """May edit, import and publish items of this department."""
    if not is_staff_user(user):
        return False
    if has_role(user, Role.SYS_ADMIN):
        return True
    return bool(
        has_role(user, Role.DEPT_ADMIN) and user.department_id and user.department_id == department_id
    )


def access_catalogue_report(user: Visitor) -> bool:
    """The catalogue report in the workbench: any staff member with a role."""
    return access_workbench(user)
