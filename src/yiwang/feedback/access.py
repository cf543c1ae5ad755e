"""Who may use the feedback pages and operations (built on accounts.access and the case kernel's access).

Giving a review is open to anyone: the service decides whether the reviewer is the service's applicant (signed
in as its party, or holding its code). Staff read reviews of their own office, hall or — a clerk — their own."""

from __future__ import annotations

from typing import TYPE_CHECKING

from yiwang.accounts.access import has_role, is_staff_user
from yiwang.accounts.roles import Role
from yiwang.cases.access import access_case_view

from .selectors import reviews_visible

if TYPE_CHECKING:
    from yiwang.accounts.access import Visitor
    from yiwang.accounts.models import Window
    from yiwang.cases.models import Case

    from .models import Review

OFFICE_ROLES = (Role.REVIEWER, Role.SUPERVISOR, Role.DEPT_ADMIN)


def access_rate(user: Visitor) -> bool:
    """The rating pages (QR, portal): anyone; entitlement is the service's check."""
    return True


def access_my_reviews(user: Visitor) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and getattr(user, "kind", "") == "applicant"


def access_reviews(user: Visitor) -> bool:
    return is_staff_user(user) and (
        has_role(user, Role.SERVICE_SUPERVISOR)
        or (user.office_id is not None and has_role(user, *OFFICE_ROLES))
        or (user.hall_id is not None and has_role(user, Role.HALL_MANAGER, Role.CLERK))
    )


def access_review_view(user: Visitor, review: Review) -> bool:
    return access_reviews(user) and reviews_visible(user).filter(pk=review.pk).exists()


def access_rectifications(user: Visitor) -> bool:
    """The rectification inbox: the responsible offices and the bureau's supervisors."""
    return is_staff_user(user) and (
        has_role(user, Role.SERVICE_SUPERVISOR)
        or (user.office_id is not None and has_role(user, *OFFICE_ROLES))
    )


def access_case_page(user: Visitor, case: Case) -> bool:
    return is_staff_user(user) and access_case_view(user, case)


def access_appeals(user: Visitor) -> bool:
    """Appeals are decided by a service-quality supervisor of the bureau."""
    return is_staff_user(user) and has_role(user, Role.SERVICE_SUPERVISOR)


def access_post(user: Visitor) -> bool:
    """The complaints post: its log, and issuing the six ones' reports."""
    return is_staff_user(user) and has_role(user, Role.SERVICE_SUPERVISOR)


def access_complaints(user: Visitor) -> bool:
    return access_rectifications(user)


def access_reports(user: Visitor) -> bool:
    return is_staff_user(user) and has_role(
        user, Role.SERVICE_SUPERVISOR, Role.SUPERVISOR, Role.DEPT_ADMIN, Role.HALL_MANAGER
    )


def access_console(user: Visitor) -> bool:
    """A clerk's console for the rating pad of a window of their hall."""
    return is_staff_user(user) and user.hall_id is not None and has_role(user, Role.CLERK)


def access_pad(user: Visitor, window: Window) -> bool:
    return access_console(user) and window.hall_id == getattr(user, "hall_id", None)


def access_forward(user: Visitor) -> bool:
    """12345 operators forward reviews given by telephone."""
    return is_staff_user(user) and has_role(user, Role.HOTLINE_OPERATOR)
