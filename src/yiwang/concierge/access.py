"""Who may use the concierge pages and operations (built on accounts.access)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from yiwang.accounts.access import has_role, is_applicant, is_staff_user
from yiwang.accounts.roles import Role

if TYPE_CHECKING:
    from yiwang.accounts.access import Visitor

    from .models import KeyEnterprise


def access_board(user: Visitor) -> bool:
    """The concierge's board, portfolio and their enterprises' pages (重点企业服务专员)."""
    return is_staff_user(user) and has_role(user, Role.CONCIERGE)


def access_key_enterprise(user: Visitor, key: KeyEnterprise) -> bool:
    """A concierge acts only on the enterprises of their own portfolio."""
    return access_board(user) and key.concierge_id == getattr(user, "pk", None) and key.active


def access_portfolio_manage(user: Visitor) -> bool:
    """Add enterprises and transfer them between concierges: the concierges and the supervisors."""
    return is_staff_user(user) and has_role(user, Role.CONCIERGE, Role.SUPERVISOR)


def access_answer(user: Visitor, office_id: int) -> bool:
    """The owning office answers a coordination request (its reviewers, supervisors, department administrators)."""
    return (
        is_staff_user(user)
        and user.office_id == office_id
        and has_role(user, Role.REVIEWER, Role.SUPERVISOR, Role.DEPT_ADMIN)
    )


def access_figures(user: Visitor) -> bool:
    return is_staff_user(user) and has_role(user, Role.CONCIERGE, Role.SUPERVISOR, Role.DEPT_ADMIN)


def access_my_concierge(user: Visitor) -> bool:
    """An enterprise's agent sees their concierge's name and contact in the portal."""
    return is_applicant(user)
