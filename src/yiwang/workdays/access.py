"""Access functions of the working-day context (the rest are in ``yiwang.accounts.access``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from yiwang.accounts.access import access_office, has_role, is_staff_user
from yiwang.accounts.roles import Role

if TYPE_CHECKING:
    from yiwang.accounts.access import Visitor


def access_calendar_admin(user: Visitor) -> bool:
    """Maintain the calendar (entries, publication, import): the system administrator."""
    return is_staff_user(user) and has_role(user, Role.SYS_ADMIN)


def access_clock(user: Visitor, clock: Any) -> bool:
    """See a clock: its responsible person, and staff of its responsible office (or its department's
    administrator). The case kinds that hold a clock add their own rules for applicants."""
    if not is_staff_user(user) or clock is None:
        return False
    if clock.responsible_id is not None and clock.responsible_id == user.pk:
        return True
    return clock.office_id is not None and access_office(user, clock.office)
