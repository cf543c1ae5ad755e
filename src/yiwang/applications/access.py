"""Access to application pages and operations (built on ``yiwang.accounts.access`` and the case kernel's
``yiwang.cases.access``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from yiwang.accounts.access import acting_person, has_role, is_applicant, is_staff_user, staff_member
from yiwang.accounts.roles import Role
from yiwang.cases.access import access_case_act, access_case_view

from . import workflow as wf

if TYPE_CHECKING:
    from yiwang.accounts.access import Visitor
    from yiwang.cases.models import Case


def access_apply_online(user: Visitor) -> bool:
    """The online hall: an applicant with a registered person record."""
    return is_applicant(user) and acting_person(user) is not None


def access_reception(user: Visitor) -> bool:
    """Receive applications at a window: a clerk posted to a hall."""
    return is_staff_user(user) and has_role(user, Role.CLERK) and user.hall_id is not None


def access_inbox(user: Visitor) -> bool:
    """Case lists (inbox, overdue and due soon): front and back office posted somewhere."""
    if not is_staff_user(user):
        return False
    return bool(
        (has_role(user, Role.CLERK, Role.HALL_MANAGER, Role.SUPERVISOR) and user.hall_id)
        or (has_role(user, Role.REVIEWER, Role.SUPERVISOR, Role.DEPT_ADMIN) and user.office_id)
    )


def access_approvals(user: Visitor) -> bool:
    """The supervisors' approvals queue (refusals, rejections, extensions) and refusal rates per clerk."""
    return is_staff_user(user) and has_role(user, Role.SUPERVISOR)


def access_figures(user: Visitor) -> bool:
    """The district's figures: supervisors, hall managers and department administrators."""
    return is_staff_user(user) and has_role(user, Role.SUPERVISOR, Role.HALL_MANAGER, Role.DEPT_ADMIN)


def access_application_view(user: Visitor, case: Case) -> bool:
    return access_case_view(user, case)


def access_answers_change(user: Visitor, case: Case) -> bool:
    """Change the application form's answers on the case page: the front office, before acceptance (the
    applicant changes them in a draft or a correction on their own page; docs/adr/0048)."""
    return case.status in wf.PRE_ACCEPT and access_case_act(user, case, wf.CLERK)


# --- assisted service (帮办代办, docs/adr/0057) ---------------------------------------------------------


def access_assist(user: Visitor) -> bool:
    """Apply on a resident's behalf: a window clerk posted to a hall, or a grid worker posted to a community."""
    if not is_staff_user(user):
        return False
    return bool(
        (has_role(user, Role.CLERK) and user.hall_id is not None)
        or (has_role(user, Role.GRID_WORKER) and user.community_id is not None)
    )


def assist_role(user: Visitor) -> str:
    """The role a staff member assists in: at their hall as a clerk (any resident), else in their community as
    a grid worker; "" when neither."""
    member = staff_member(user)
    if member is None or not access_assist(member):
        return ""
    return Role.CLERK if has_role(member, Role.CLERK) and member.hall_id is not None else Role.GRID_WORKER


def access_assist_person(user: Visitor, person: Any) -> bool:
    """For whom: a clerk for any resident (at their hall); a grid worker only for a resident registered in the
    grid worker's own community (``Person.community``)."""
    role = assist_role(user)
    if person is None or not role:
        return False
    if role == Role.CLERK:
        return True
    return person.community_id is not None and person.community_id == user.community_id  # type: ignore[union-attr]
