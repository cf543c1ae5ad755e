"""Who may use the calculator and the policy workbench."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from yiwang.accounts.access import access_party, has_role, is_staff_user
from yiwang.accounts.roles import Role

if TYPE_CHECKING:
    from yiwang.accounts.access import Visitor


def access_calculator(user: Visitor) -> bool:
    """Anyone: an anonymous visitor enters a profile by hand."""
    return True


def access_enterprise_calculator(user: Visitor, enterprise: Any) -> bool:
    """An enterprise's own facts: its legal representative or authorised agents."""
    return access_party(user, enterprise=enterprise)


def access_policy_edit(user: Visitor) -> bool:
    """Edit, test and publish rule sets, list and notify qualifying enterprises (政策专员)."""
    return is_staff_user(user) and has_role(user, Role.POLICY_OFFICER)


def access_policy_figures(user: Visitor) -> bool:
    return is_staff_user(user) and has_role(user, Role.POLICY_OFFICER, Role.SUPERVISOR, Role.DEPT_ADMIN)
