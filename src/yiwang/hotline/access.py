"""Who may use the hotline's pages and operations (built on accounts.access and the case kernel's access)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from yiwang.accounts.access import has_role, is_staff_user
from yiwang.accounts.roles import Role
from yiwang.cases.access import access_case_view

if TYPE_CHECKING:
    from yiwang.accounts.access import Visitor
    from yiwang.cases.models import Case

OFFICE_ROLES = (Role.REVIEWER, Role.SUPERVISOR, Role.DEPT_ADMIN)


def access_intake(user: Visitor) -> bool:
    """Record calls, see duplicates, merge, call back (话务员)."""
    return is_staff_user(user) and has_role(user, Role.HOTLINE_OPERATOR)


def access_board(user: Visitor) -> bool:
    """The dispatcher's board (派单员)."""
    return is_staff_user(user) and has_role(user, Role.DISPATCHER)


def access_inbox(user: Visitor) -> bool:
    """An office's tickets: its reviewers, supervisors and department administrators."""
    return is_staff_user(user) and user.office_id is not None and has_role(user, *OFFICE_ROLES)


def access_escalations(user: Visitor) -> bool:
    """督办: the supervisors of handling offices."""
    return is_staff_user(user) and user.office_id is not None and has_role(user, Role.SUPERVISOR)


def access_figures(user: Visitor) -> bool:
    return is_staff_user(user) and has_role(user, Role.SUPERVISOR, Role.DEPT_ADMIN, Role.DISPATCHER)


def access_ticket(user: Visitor) -> bool:
    """The staff ticket page and list (each ticket then by ``access_ticket_view``)."""
    return access_intake(user) or access_board(user) or access_inbox(user)


def access_ticket_view(user: Visitor, case: Case) -> bool:
    return is_staff_user(user) and access_case_view(user, case)


def access_file_online(user: Visitor) -> bool:
    """Anyone may file a ticket on the portal and follow it by its number and telephone."""
    return True
