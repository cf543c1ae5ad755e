from __future__ import annotations

from django_tasks import task


@task()
def deliver_notification(notification_id: int) -> str:
    from .services import notification_deliver

    return notification_deliver(notification_id=notification_id)
