"""Messages for the inbox tests, queued through the real service."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from yiwang.notifications.models import Notification
from yiwang.notifications.services import notification_queue


def message(
    user: Any,
    subject: str = "申请已受理",
    body: str = "您的申请已受理。",
    *,
    link: str = "",
    minutes_ago: int = 0,
    channel: str = Notification.Channel.INBOX,
) -> Notification:
    n = notification_queue(
        subject=subject,
        body=body,
        recipient=user,
        link=link,
        channel=channel,
        address="" if channel == Notification.Channel.INBOX else "x",
    )
    assert n is not None
    if minutes_ago:
        # The test's clock: place the message in the past (auto_now_add stamps "now").
        Notification.objects.filter(pk=n.pk).update(
            created_at=timezone.now() - timedelta(minutes=minutes_ago)
        )
        n.refresh_from_db()
    return n
