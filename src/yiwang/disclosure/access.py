"""Who may use the disclosure operations (built on accounts.access and the case kernel's access)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from yiwang.accounts.access import has_role, is_applicant, is_staff_user
from yiwang.accounts.roles import Role
from yiwang.cases.access import access_case_party, access_case_view

if TYPE_CHECKING:
    from yiwang.accounts.access import Visitor
    from yiwang.cases.models import Case


def access_file_request(user: Visitor) -> bool:
    """Anyone may apply for government information, and follow it by number and the last 4 of the ID or phone."""
    return True


def access_public_register(user: Visitor) -> bool:
    """The 双公示 column is public."""
    return True


def access_request_view(user: Visitor, case: Case) -> bool:
    """Staff of the disclosure office (its reviewers, the head, the department administrator)."""
    return is_staff_user(user) and access_case_view(user, case)


OFFICE_ROLES = (Role.REVIEWER, Role.SUPERVISOR, Role.DEPT_ADMIN)


def access_office(user: Visitor) -> bool:
    """The disclosure office's inbox and request pages: its reviewers, the head (the office's supervisor)
    and the department administrator; each request then by ``access_request_view``."""
    return is_staff_user(user) and user.office_id is not None and has_role(user, *OFFICE_ROLES)


def access_figures(user: Visitor) -> bool:
    """The figures of the annual report (政府信息公开工作年度报告): the office's staff who prepare it."""
    return is_staff_user(user) and has_role(user, *OFFICE_ROLES)


def access_own_requests(user: Visitor) -> bool:
    """A signed-in applicant acting on their own requests (withdrawing one)."""
    return is_applicant(user)


def access_request_party(user: Visitor, case: Case) -> bool:
    """The applicant of this request (as that person, or for the enterprise they act for)."""
    return access_case_party(user, case)


def access_proactive(user: Visitor) -> bool:
    """An office's proactive disclosure, normative documents and interpretations: the same staff as its
    disclosure inbox (reviewers draft, the head and the department administrator too)."""
    return access_office(user)


def access_report(user: Visitor) -> bool:
    """The annual report (tables, PDF, Excel): the staff who prepare it, as for the figures."""
    return access_figures(user)
