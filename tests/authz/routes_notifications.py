"""Notifications: the inbox pages and API, with own / somebody else's message variants.

A message is private to its recipient: for every other role it does not exist (404). The messages
below belong to world.users["applicant"] and, for a staff member's inbox, world.users["reviewer"].
"""

from __future__ import annotations

from typing import Any

from .registry import NOBODY, SIGNED_IN, Route

OWNER = frozenset({"applicant"})
STAFF_OWNER = frozenset({"reviewer"})


def _messages(w: Any) -> dict[str, Any]:
    """One inbox message of the applicant, one of the reviewer and one SMS of the applicant (once)."""
    if "notifications" in w.extra:
        return w.extra["notifications"]  # type: ignore[no-any-return]
    from yiwang.notifications.services import notification_queue

    own = notification_queue(subject="受理通知", body="您的申请已受理。", recipient=w.users["applicant"])
    staff = notification_queue(subject="即将到期", body="审批时限即将届满。", recipient=w.users["reviewer"])
    sms = notification_queue(
        subject="短信", body="短信内容", recipient=w.users["applicant"], channel="sms", address="sms"
    )
    assert own is not None and staff is not None and sms is not None
    w.extra["notifications"] = {"own": own.pk, "staff": staff.pk, "sms": sms.pk}
    return w.extra["notifications"]  # type: ignore[no-any-return]


def _id(which: str) -> Any:
    return lambda w: {"notification_id": _messages(w)[which]}


ROUTES = [
    # Pages: applicants in the portal shell, staff in the workbench shell
    Route("notifications:inbox", allow=SIGNED_IN, must_succeed=SIGNED_IN),
    Route("notifications:read", "POST", allow=OWNER, must_succeed=OWNER, kwargs=_id("own"), variant="own"),
    Route(
        "notifications:read",
        "POST",
        allow=STAFF_OWNER,
        must_succeed=STAFF_OWNER,
        kwargs=_id("staff"),
        variant="a staff member's own",
    ),
    Route("notifications:read", "POST", allow=NOBODY, kwargs=_id("sms"), variant="not in the inbox (SMS)"),
    Route("notifications:read_all", "POST", allow=SIGNED_IN, must_succeed=SIGNED_IN),
    # API
    Route("API GET /api/notifications/", allow=SIGNED_IN, must_succeed=SIGNED_IN),
    Route("API GET /api/notifications/unread-count", allow=SIGNED_IN, must_succeed=SIGNED_IN),
    Route(
        "API POST /api/notifications/{notification_id}/read",
        allow=OWNER,
        must_succeed=OWNER,
        kwargs=_id("own"),
        variant="own",
    ),
    Route(
        "API POST /api/notifications/{notification_id}/read",
        allow=STAFF_OWNER,
        must_succeed=STAFF_OWNER,
        kwargs=_id("staff"),
        variant="a staff member's own",
    ),
    Route(
        "API POST /api/notifications/{notification_id}/read",
        allow=NOBODY,
        kwargs=_id("sms"),
        variant="not in the inbox (SMS)",
    ),
    Route(
        "API POST /api/notifications/read-all",
        allow=SIGNED_IN,
        must_succeed=SIGNED_IN,
        data=lambda w: {"up_to": None},
    ),
]
