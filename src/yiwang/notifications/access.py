"""Access functions of notifications (see yiwang.accounts.access for the conventions).

A message in the platform inbox is private to its recipient: nobody else may read it or mark it
read, and for anybody else it does not exist (pages and the API answer 404, not 403).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from yiwang.accounts.access import access_portal_account, access_workbench

from .models import Notification

if TYPE_CHECKING:
    from yiwang.accounts.access import Visitor


def access_inbox(user: Visitor) -> bool:
    """Have a platform inbox: applicants (in the portal) and staff (in the workbench)."""
    return access_portal_account(user) or access_workbench(user)


def access_notification(user: Visitor, notification: Notification | None) -> bool:
    """Read or mark one message: only its recipient, and only a message of the platform inbox."""
    return bool(
        notification is not None
        and access_inbox(user)
        and notification.recipient_id is not None
        and notification.recipient_id == getattr(user, "pk", None)
        and notification.channel == Notification.Channel.INBOX
    )
