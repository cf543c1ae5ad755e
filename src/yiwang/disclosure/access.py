"""Who may use the disclosure operations (built on accounts.access and the case kernel's access)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from yiwang.accounts.access import is_staff_user
from yiwang.cases.access import access_case_view

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
